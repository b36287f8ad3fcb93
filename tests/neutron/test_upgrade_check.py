#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""The "os-vif HostInfo" upgrade check, on Neutron's own test database."""

import datetime

from neutron.cmd import status as neutron_status
from neutron.db.models import agent as agent_model
from neutron.db import models_v2
from neutron.plugins.ml2 import models as ml2_models
from neutron.tests.unit import testlib_api
from neutron_lib import context
from neutron_lib.db import api as db_api
from oslo_config import cfg
from oslo_serialization import jsonutils
from oslo_upgradecheck import upgradecheck
from oslo_utils import timeutils
from oslo_utils import uuidutils

from os_vif_hostinfo.neutron.ml2 import config
from os_vif_hostinfo.neutron import report
from os_vif_hostinfo.neutron import upgrade_check
from os_vif_hostinfo import objects
from tests import samples

NEWEST = objects.current_version('HostInfo')
TOO_NEW = '%d.%d' % (NEWEST.major, NEWEST.minor + 1)


def configurations(too_new=False):
    configs = report.agent_configurations(
        objects.HostInfo(plugin_info=[samples.plugin('ovs',
                                                     [samples.vif()])]))
    if too_new:
        copies = configs[report.REPORT_KEY]['hostinfo']
        configs[report.REPORT_KEY]['hostinfo'] = {
            TOO_NEW: copies[str(NEWEST)]}
    return configs


class UpgradeCheckTestCase(testlib_api.SqlTestCase):

    def setUp(self):
        super().setUp()
        self.checks = upgrade_check.HostInfoChecks()
        cfg.CONF.set_override('connection', 'sqlite://', group='database')
        self.ctx = context.get_admin_context()
        self.network_id = uuidutils.generate_uuid()
        with db_api.CONTEXT_WRITER.using(self.ctx):
            self.ctx.session.add(models_v2.Network(
                id=self.network_id, project_id='p', name='net',
                status='ACTIVE', admin_state_up=True, mtu=1500))

    def add_agent(self, host, configs, alive=True, agent_type=None):
        now = timeutils.utcnow()
        beat = now if alive else now - datetime.timedelta(hours=1)
        with db_api.CONTEXT_WRITER.using(self.ctx):
            self.ctx.session.add(agent_model.Agent(
                id=uuidutils.generate_uuid(),
                agent_type=agent_type or report.AGENT_TYPE,
                binary=report.AGENT_BINARY, topic='N/A', host=host,
                admin_state_up=True, created_at=now, started_at=now,
                heartbeat_timestamp=beat,
                configurations=jsonutils.dumps(configs)))

    def add_port(self, host, profile=None, device_owner='compute:nova'):
        port_id = uuidutils.generate_uuid()
        with db_api.CONTEXT_WRITER.using(self.ctx):
            self.ctx.session.add(models_v2.Port(
                id=port_id, project_id='p', network_id=self.network_id,
                mac_address='fa:16:3e:%s:%s:%s' % (
                    port_id[:2], port_id[2:4], port_id[4:6]),
                admin_state_up=True, status='ACTIVE', device_id='vm',
                device_owner=device_owner))
            self.ctx.session.add(ml2_models.PortBinding(
                port_id=port_id, host=host, vif_type='ovs', vnic_type='normal',
                profile=jsonutils.dumps(profile or {}), vif_details='{}'))

    def run_check(self):
        return self.checks.hostinfo_check(None)

    def test_registered_where_neutron_status_loads_checks(self):
        names = [name for name, _check in neutron_status.load_checks()]
        self.assertIn(upgrade_check.CHECK_NAME, names)

    def test_success(self):
        self.add_agent('compute-1', configurations())
        self.add_port('compute-1')
        # A host whose Nova sends HostInfo in the profile needs no agent.
        self.add_port('compute-2', {report.REPORT_KEY: 'x'})
        # Neither are other agents' or non-compute ports' hosts legacy.
        self.add_agent('net-1', {}, agent_type='Open vSwitch agent')
        self.add_port('net-1', device_owner='network:dhcp')
        result = self.run_check()
        self.assertEqual(upgradecheck.Code.SUCCESS, result.code,
                         result.details)
        self.assertIn('(1)', result.details)

    def test_warning_names_legacy_and_dead_hosts(self):
        self.add_agent('compute-1', configurations())
        self.add_agent('compute-dead', configurations(), alive=False)
        self.add_port('compute-legacy')
        result = self.run_check()
        self.assertEqual(upgradecheck.Code.WARNING, result.code)
        self.assertIn('compute-legacy', result.details)
        self.assertIn('compute-dead', result.details)
        self.assertNotIn('compute-1', result.details)

    def test_failure_names_the_host_this_release_cannot_read(self):
        self.add_agent('compute-1', configurations())
        self.add_agent('compute-new', configurations(too_new=True))
        self.add_port('compute-legacy')
        result = self.run_check()
        self.assertEqual(upgradecheck.Code.FAILURE, result.code)
        self.assertIn('compute-new (', result.details)
        self.assertIn(TOO_NEW, result.details)
        # The warnings are not lost behind the failure.
        self.assertIn('compute-legacy', result.details)

    def test_failure_at_the_configured_pin(self):
        only_newest = configurations()
        copies = only_newest[report.REPORT_KEY]['hostinfo']
        only_newest[report.REPORT_KEY]['hostinfo'] = {
            str(NEWEST): copies[str(NEWEST)]}
        self.add_agent('compute-1', only_newest)
        self.assertEqual(upgradecheck.Code.SUCCESS, self.run_check().code)
        if NEWEST.minor:
            cfg.CONF.set_override('pin', '%d.0' % NEWEST.major,
                                  group=config.GROUP_NAME)
            result = self.run_check()
            self.assertEqual(upgradecheck.Code.FAILURE, result.code)
            self.assertIn('pinned at HostInfo %d.0' % NEWEST.major,
                          result.details)

    def test_a_dead_unreadable_agent_is_a_warning(self):
        self.add_agent('compute-old', configurations(too_new=True),
                       alive=False)
        result = self.run_check()
        self.assertEqual(upgradecheck.Code.WARNING, result.code)
        self.assertIn('compute-old', result.details)

    def test_many_hosts_are_counted_not_all_named(self):
        for index in range(upgrade_check.MAX_NAMED + 5):
            self.add_port('legacy-%02d' % index)
        result = self.run_check()
        self.assertIn('legacy-00', result.details)
        self.assertIn('and 5 more', result.details)

    def test_no_database_is_a_warning(self):
        cfg.CONF.set_override('connection', '', group='database')
        self.assertEqual(upgradecheck.Code.WARNING, self.run_check().code)
