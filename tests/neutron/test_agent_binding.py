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

"""Binding from a HostInfo agent's report, as an unmodified Nova does it.

The agents are registered in Neutron's agents table the way
neutron-rpc-server registers a state report (``create_or_update_agent``);
the ports are bound through the API, with no HostInfo in the profile.
"""

import logging

import fixtures
from neutron_lib.api.definitions import portbindings
from neutron_lib import context as n_context
from neutron_lib.db import api as db_api
from oslo_serialization import jsonutils

from neutron.db.models import agent as agent_model
from neutron.tests.common import helpers
import os_vif_hostinfo as hi
from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from tests.neutron import base
from tests import samples

#: A compute host whose agent reports VIFBridge only (an "older" host).
BRIDGE_HOST = 'compute-bridge'
#: A compute host with an Open vSwitch agent and no HostInfo agent.
NO_AGENT_HOST = base.LEGACY_HOST


def register_hostinfo_agent(host, info, max_version=None, report=None):
    """Register (or update) a HostInfo agent's report; its agent dict."""
    configurations = (report if report is not None
                      else hn.agent_configurations(info, max_version))
    # What crossed oslo.messaging: JSON types only.
    configurations = jsonutils.loads(jsonutils.dumps(configurations))
    return helpers._register_agent({
        'agent_type': hn.AGENT_TYPE, 'binary': hn.AGENT_BINARY,
        'host': host, 'topic': 'N/A', 'start_flag': True,
        'configurations': configurations})


class AgentTestCase(base.ML2TestCase):

    hostinfo_options = {'vif_classes': ['VIFOpenVSwitch', 'VIFBridge']}

    def setUp(self):
        super().setUp()
        helpers.register_ovs_agent(host=BRIDGE_HOST)
        self.log = self.useFixture(fixtures.FakeLogger(
            name='os_vif_hostinfo', level=logging.DEBUG,
            format='%(levelname)s %(message)s'))
        self.info = hi.host_info()
        self.agent = register_hostinfo_agent(base.HOST, self.info)
        self.bridge_agent = register_hostinfo_agent(
            BRIDGE_HOST, hi.host_info(['VIFBridge']), max_version='1.0')

    def nova_bind(self, host=base.HOST, port_id=None, profile=None):
        """What an unmodified Nova sends: host_id, no HostInfo."""
        port_id = port_id or self.new_port(
            device_owner='compute:nova')['id']
        body = {portbindings.HOST_ID: host}
        if profile is not None:
            body[portbindings.PROFILE] = profile
        res = self.update_binding(port_id, body)
        return self.deserialize(self.fmt, res)['port']


class TestFromAgent(AgentTestCase):

    def test_agents_are_listed(self):
        agents = self.driver.get_agents(n_context.get_admin_context())
        mine = {a['host']: a for a in agents
                if a['agent_type'] == hn.AGENT_TYPE}
        self.assertEqual({base.HOST, BRIDGE_HOST}, set(mine))
        self.assertEqual(hn.AGENT_BINARY, mine[base.HOST]['binary'])
        self.assertEqual(['1.1', '1.0'], hn.report_versions(
            mine[base.HOST]['configurations']))
        self.assertEqual(['1.0'], hn.report_versions(
            mine[BRIDGE_HOST]['configurations']))

    def test_each_host_gets_its_own_choice(self):
        port = self.nova_bind()
        details = port[portbindings.VIF_DETAILS]
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         port[portbindings.VIF_TYPE])
        self.assertEqual('agent', details[hn.VIF_DETAILS_SOURCE])
        self.assertEqual({'0': 'os_vif_hostinfo'},
                         details[portbindings.VIF_DETAILS_BOUND_DRIVERS])
        self.assertEqual('VIFOpenVSwitch', hn.read_binding(port)
                         .vif_object_name)
        other = self.nova_bind(BRIDGE_HOST)
        self.assertEqual('VIFBridge',
                         hn.read_binding(other).vif_object_name)
        self.assertEqual('agent', other[portbindings.VIF_DETAILS][
            hn.VIF_DETAILS_SOURCE])

    def test_host_without_agent_binds_legacy(self):
        port = self.nova_bind(NO_AGENT_HOST)
        details = port[portbindings.VIF_DETAILS]
        self.assertEqual({'0': 'openvswitch'},
                         details[portbindings.VIF_DETAILS_BOUND_DRIVERS])
        self.assertNotIn(hn.VIF_DETAILS_SOURCE, details)

    def test_profile_beats_agent(self):
        bridge_only = hi.host_info(['VIFBridge'])
        port = self.nova_bind(profile=hn.binding_profile(bridge_only))
        details = port[portbindings.VIF_DETAILS]
        self.assertEqual('profile', details[hn.VIF_DETAILS_SOURCE])
        self.assertEqual('VIFBridge', details[hn.VIF_DETAILS_OBJECT])
        # Nova's own keys alone are not HostInfo: the agent decides.
        port = self.nova_bind(profile=dict(base.NOVA_KEYS))
        self.assertEqual('agent', port[portbindings.VIF_DETAILS][
            hn.VIF_DETAILS_SOURCE])

    def test_dead_agent_is_not_used(self):
        helpers.kill_agent(self.agent['id'])
        port = self.nova_bind()
        details = port[portbindings.VIF_DETAILS]
        self.assertEqual({'0': 'openvswitch'},
                         details[portbindings.VIF_DETAILS_BOUND_DRIVERS])
        self.assertIn('DEBUG Port %s on host %s: HostInfo agent %s is dead'
                      % (port['id'], base.HOST, self.agent['id']),
                      self.log.output)
        helpers.revive_agent(self.agent['id'])
        self.assertEqual('agent', self.nova_bind()[
            portbindings.VIF_DETAILS][hn.VIF_DETAILS_SOURCE])

    def test_report_decoded_once_per_change(self):
        decoder = self.mech().host_info_decoder
        self.assertIsInstance(decoder, hn.ReportDecoder)
        misses, hits = decoder.misses, decoder.hits
        expanded = decoder.expansions_misses
        for _ in range(3):
            self.nova_bind()
        self.assertEqual(misses + 1, decoder.misses)
        self.assertGreaterEqual(decoder.hits, hits + 2)
        self.assertEqual(expanded + 1, decoder.expansions_misses)
        # A new report (the host changed) is read once more.
        register_hostinfo_agent(base.HOST, hi.host_info(['VIFBridge']))
        self.assertEqual('VIFBridge', hn.read_binding(
            self.nova_bind()).vif_object_name)
        self.assertEqual(misses + 2, decoder.misses)

    def test_live_migration_gets_the_destination_choice(self):
        port = self.nova_bind()
        self.assertEqual('VIFOpenVSwitch',
                         hn.read_binding(port).vif_object_name)
        res = self._service_req(
            'POST', 'ports', id=port['id'], subresource='bindings',
            data={'binding': {'host': BRIDGE_HOST}}).get_response(self.api)
        self.assertEqual(201, res.status_int, res.body)
        inactive = self.deserialize(self.fmt, res)['binding']
        self.assertEqual('INACTIVE', inactive['status'])
        self.assertEqual(BRIDGE_HOST, inactive['host'])
        self.assertEqual('VIFBridge', inactive['vif_details'][
            hn.VIF_DETAILS_OBJECT])
        self.assertEqual('agent', inactive['vif_details'][
            hn.VIF_DETAILS_SOURCE])
        res = self._service_req(
            'PUT', 'ports', id=port['id'], data={'port_id': port['id']},
            subresource='bindings', sub_id=BRIDGE_HOST,
            action='activate').get_response(self.api)
        self.assertEqual(200, res.status_int, res.body)
        moved = self.show(port['id'])
        self.assertEqual(BRIDGE_HOST, moved[portbindings.HOST_ID])
        self.assertEqual('VIFBridge', hn.read_binding(moved).vif_object_name)


class TestBadReports(AgentTestCase):

    BAD = {
        'garbage': {hn.REPORT_KEY: 'not a report'},
        'wrong types': {hn.REPORT_KEY: {'format': '1', 'hostinfo': []}},
        'bad copy': {hn.REPORT_KEY: {'format': 1,
                                     'hostinfo': {'1.1': 't1:"'}}},
        'too new': {hn.REPORT_KEY: {'format': 1, 'hostinfo': {
            '1.7': 't1:anything'}}},
    }

    def test_each_fails_one_binding_and_the_good_host_binds(self):
        for name, report in self.BAD.items():
            agent = register_hostinfo_agent(base.HOST, None, report=report)
            port = self.nova_bind()
            self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                             port[portbindings.VIF_TYPE], name)
            body = port[portbindings.VIF_DETAILS][hn.VIF_DETAILS_ERROR]
            self.assertIn(body['error']['code'],
                          ('host_info_error', 'unsupported_version'), name)
            self.assertIn('WARNING Port %s on host %s: binding failed on '
                          'the report of HostInfo agent %s'
                          % (port['id'], base.HOST, agent['id']),
                          self.log.output, name)
            good = self.nova_bind(BRIDGE_HOST)
            self.assertEqual('VIFBridge',
                             hn.read_binding(good).vif_object_name, name)

    def test_too_new_is_refused_with_the_maximum(self):
        register_hostinfo_agent(base.HOST, None,
                                report=self.BAD['too new'])
        port = self.nova_bind()
        exc = self.assertRaises(exception.UnsupportedVersion,
                                hn.read_binding, port)
        self.assertEqual('1.7', exc.requested_version)
        self.assertEqual('1.1', exc.max_supported_version)


class TestPinnedAgent(AgentTestCase):

    hostinfo_options = dict(AgentTestCase.hostinfo_options, pin='1.0')

    def test_pinned_server_reads_a_newer_hosts_report(self):
        port = self.nova_bind()
        self.assertEqual('agent', port[portbindings.VIF_DETAILS][
            hn.VIF_DETAILS_SOURCE])
        self.assertEqual('VIFOpenVSwitch',
                         hn.read_binding(port).vif_object_name)
        # Only the 1.0 copy was read: the 1.1 copy is garbage here.
        report = hn.agent_configurations(self.info)
        report[hn.REPORT_KEY]['hostinfo']['1.1'] = 't1:"'
        register_hostinfo_agent(base.HOST, None, report=report)
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         self.nova_bind()[portbindings.VIF_TYPE])


class TestSamples(base.ML2TestCase):
    """The report as neutron-server stores it, measured by Neutron."""

    def test_stored_text_is_what_configurations_length_measures(self):
        info = samples.sample_host()
        configurations = hn.agent_configurations(info)
        configurations['other'] = {'z': 1, 'a': '\u00e9'}
        agent = register_hostinfo_agent('compute-9', None,
                                        report=configurations)
        ctx = n_context.get_admin_context()
        with db_api.CONTEXT_READER.using(ctx):
            row = ctx.session.query(agent_model.Agent).filter_by(
                id=agent['id']).one()
            stored = row.configurations
        self.assertIsInstance(stored, str)
        self.assertEqual(hn.configurations_length(configurations),
                         len(stored))
        self.assertEqual(configurations, jsonutils.loads(stored))
