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

"""os-vif-hostinfo-agent against a real Neutron, Nova unmodified.

The agents are real ``os-vif-hostinfo-agent`` processes reporting to
``neutron-rpc-server`` through RabbitMQ; openstacksdk plays an unmodified
Nova: a port update with ``binding:host_id`` and no HostInfo, and the
port-bindings API for a live migration.
"""

import base64
import calendar
import json
import os
import signal
import sys
import time
import zlib

import os_vif_hostinfo as hi
from os_vif_hostinfo import neutron as hn
from tests.e2e import base
from tests.e2e import cloud
from tests import samples

#: A current host: every VIF class, HostInfo 1.1 and 1.0.
HOST_A = 'agent-a'
#: An "older" host: vhost-user only, HostInfo 1.0 only.
HOST_B = 'agent-b'
B_OPTIONS = {'vif_types': 'VIFVHostUser', 'max_version': '1.0'}

OVS_AGENT = {'agent_type': 'Open vSwitch agent',
             'binary': 'neutron-openvswitch-agent'}
OVS_CONFIGURATIONS = {'tunnel_types': ['vxlan'], 'bridge_mappings': {},
                      'integration_bridge': 'br-int',
                      'tunneling_ip': '192.0.2.10', 'l2_population': False,
                      'ovs_hybrid_plug': False, 'datapath_type': 'system'}

_AGENTS = {}


def wait_for(predicate, timeout, what):
    """Poll ``predicate`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('%s: not within %.0f s' % (what, timeout))
        time.sleep(0.2)


def compact(table):
    return 't1:' + base64.b85encode(zlib.compress(
        json.dumps(table).encode())).decode('ascii')


class AgentTestCase(base.E2ETestCase):

    def start_agent(self, host, **options):
        """A running agent for ``host`` (one per host and options)."""
        key = (host, tuple(sorted(options.items())))
        agent = _AGENTS.get(key)
        if agent is not None and agent.running():
            return agent
        conf = self.cloud.agent_config(host, os_vif_hostinfo_agent=options)
        script = os.path.join(os.path.dirname(sys.executable),
                              hn.AGENT_BINARY)
        # A log of its own: a restarted agent's is not its predecessor's.
        agent = self.cloud.spawn([script, '--config-file', conf],
                                 'os-vif-hostinfo-agent-%s-%d'
                                 % (host, len(_AGENTS)))
        _AGENTS[key] = agent
        self.wait_reported(host, agent)
        return agent

    def agent_row(self, host):
        rows = list(self.conn.network.agents(agent_type=hn.AGENT_TYPE,
                                             host=host))
        return rows[0] if len(rows) == 1 else None

    def wait_reported(self, host, process=None, versions=None,
                      timeout=90):
        def reported():
            if process is not None and not process.running():
                raise AssertionError('the agent of %s exited: %s'
                                     % (host, process.log()))
            row = self.agent_row(host)
            if row is None or not row.is_alive:
                return None
            found = hn.report_versions(row.configuration)
            if not found or (versions is not None and found != versions):
                return None
            return row
        return wait_for(reported, timeout, 'a report from %s' % host)

    def nova_bind(self, host, conn=None, **attrs):
        """An unmodified Nova: binding:host_id, no HostInfo."""
        conn = conn or self.conn
        port = self.cloud.new_port(conn=conn)
        return conn.network.update_port(port, binding_host_id=host, **attrs)

    def assertChoice(self, port, vif_object, source='agent'):
        details = port.binding_vif_details or {}
        self.assertEqual(
            (vif_object, source),
            (details.get(hn.VIF_DETAILS_OBJECT),
             details.get(hn.VIF_DETAILS_SOURCE)),
            'vif_type %s, details %s' % (port.binding_vif_type, details))


class TestTwoReleases(AgentTestCase):

    def setUp(self):
        super().setUp()
        self.start_agent(HOST_A)
        self.start_agent(HOST_B, **B_OPTIONS)

    def test_both_listed(self):
        rows = {a.host: a for a in self.conn.network.agents(
            agent_type=hn.AGENT_TYPE) if a.host in (HOST_A, HOST_B)}
        self.assertEqual({HOST_A, HOST_B}, set(rows))
        for row in rows.values():
            self.assertEqual(hn.AGENT_BINARY, row.binary)
            self.assertTrue(row.is_alive)
        self.assertEqual(['1.1', '1.0'],
                         hn.report_versions(rows[HOST_A].configuration))
        self.assertEqual(['1.0'],
                         hn.report_versions(rows[HOST_B].configuration))
        self.assertEqual(['VIFVHostUser'],
                         rows[HOST_B].configuration['vif_types'])

    def test_unmodified_nova_binds_with_each_hosts_choice(self):
        port = self.nova_bind(HOST_A)
        self.assertEqual('ovs', port.binding_vif_type)
        self.assertChoice(port, 'VIFOpenVSwitch')
        other = self.nova_bind(HOST_B)
        self.assertEqual('vhostuser', other.binding_vif_type)
        self.assertChoice(other, 'VIFVHostUser')

    def test_live_migration_gets_the_destination_choice(self):
        port = self.nova_bind(HOST_A)
        self.assertChoice(port, 'VIFOpenVSwitch')
        binding = self.conn.network.create_port_binding(
            port, host=HOST_B, project_id=cloud.PROJECT_ID)
        self.assertEqual('INACTIVE', binding.status)
        self.assertEqual('vhostuser', binding.vif_type)
        self.assertEqual('VIFVHostUser',
                         binding.vif_details[hn.VIF_DETAILS_OBJECT])
        self.assertEqual('agent', binding.vif_details[hn.VIF_DETAILS_SOURCE])
        self.conn.network.activate_port_binding(port, HOST_B)
        moved = self.conn.network.get_port(port.id)
        self.assertEqual(HOST_B, moved.binding_host_id)
        self.assertEqual('vhostuser', moved.binding_vif_type)
        self.assertChoice(moved, 'VIFVHostUser')

    def test_profile_beats_agent(self):
        profile = hn.binding_profile(vhostuser_host())
        port = self.nova_bind(HOST_A, binding_profile=profile)
        self.assertChoice(port, 'VIFVHostUser', source='profile')

    def test_pinned_server_reads_a_newer_hosts_report(self):
        pinned = self.cloud.start_api(pin='1.0')
        try:
            port = self.nova_bind(HOST_A, conn=pinned.conn)
            self.assertChoice(port, 'VIFOpenVSwitch')
            # A host whose 1.1 copy only a 1.1 reader would open.
            report = hn.agent_configurations(vhostuser_host())
            report[hn.REPORT_KEY]['hostinfo']['1.1'] = 't1:"'
            self.cloud.report_state('agent-pinned', report)
            self.assertChoice(self.nova_bind('agent-pinned',
                                             conn=pinned.conn),
                              'VIFVHostUser')
            failed = self.nova_bind('agent-pinned')
            self.assertEqual('binding_failed', failed.binding_vif_type)
        finally:
            pinned.stop()


def vhostuser_host():
    """A host that plugs vhost-user only."""
    return hi.HostInfo(plugin_info=[samples.plugin('noop', [
        samples.vif('VIFVHostUser')])])


class TestLegacyAndHostile(AgentTestCase):

    def test_host_without_agent_binds_legacy(self):
        host = 'agent-none'
        self.cloud.report_state(host, OVS_CONFIGURATIONS, **OVS_AGENT)
        port = self.nova_bind(host)
        details = port.binding_vif_details
        self.assertEqual('ovs', port.binding_vif_type)
        self.assertEqual({'0': 'openvswitch'}, details['bound_drivers'])
        self.assertNotIn(hn.VIF_DETAILS_SOURCE, details)

    def test_hostile_reports_fail_that_binding_only(self):
        self.start_agent(HOST_A)
        deep = {}
        for _ in range(200):
            deep = {'a': deep}
        # 2 MiB in under 4095 characters: the server stores it, the
        # reader refuses to inflate it past 1 MiB.
        bomb = '["1.1", ["' + 'a' * (2 << 20) + '"], [0]]'
        hostile = {
            'garbage': {hn.REPORT_KEY: 'garbage'},
            'wrong-types': {hn.REPORT_KEY: {'format': '1',
                                            'hostinfo': [1]}},
            'deep': {hn.REPORT_KEY: {'format': 1, 'hostinfo': deep}},
            'bomb': {hn.REPORT_KEY: {'format': 1,
                                     'hostinfo': {'1.1': compact(bomb)}}},
            'too-new': {hn.REPORT_KEY: {'format': 1, 'hostinfo': {
                '1.7': compact(['1.7', [], [0]])}}},
        }
        for name, configurations in hostile.items():
            host = 'hostile-%s' % name
            self.cloud.report_state(host, configurations)
            port = self.nova_bind(host)
            self.assertEqual('binding_failed', port.binding_vif_type, name)
            body = port.binding_vif_details[hn.VIF_DETAILS_ERROR]
            self.assertIn(body['error']['code'],
                          ('host_info_error', 'unsupported_version'), name)
            self.assertChoice(self.nova_bind(HOST_A), 'VIFOpenVSwitch')
        self.assertEqual('unsupported_version', self.nova_bind(
            'hostile-too-new').binding_vif_details[hn.VIF_DETAILS_ERROR][
                'error']['code'])

    def test_oversized_report_is_refused_by_the_database(self):
        # MariaDB keeps VARCHAR(4095): the server refuses the report, and
        # the host has no HostInfo agent row to bind from.
        host = 'hostile-oversized'
        oversized = {hn.REPORT_KEY: {'format': 1, 'hostinfo': {
            '1.1': 't1:' + '0' * 5000}}}
        self.assertRaises(AssertionError, self.cloud.report_state, host,
                          oversized)
        self.assertEqual(0, len(self.cloud.agents_rows(host=host)))
        port = self.nova_bind(host)
        self.assertNotIn(hn.VIF_DETAILS_SOURCE,
                         port.binding_vif_details or {})


class TestFaults(AgentTestCase):

    def test_dead_agent_is_not_used(self):
        host = 'agent-dies'
        agent = self.start_agent(host)
        self.assertChoice(self.nova_bind(host), 'VIFOpenVSwitch')
        agent.kill()
        wait_for(lambda: not self.agent_row(host).is_alive,
                 self.cloud.agent_down_time + 3 * self.cloud.report_interval
                 + 5, 'the agent of %s dead' % host)
        self.cloud.report_state(host, OVS_CONFIGURATIONS, **OVS_AGENT)
        port = self.nova_bind(host)
        self.assertEqual({'0': 'openvswitch'},
                         port.binding_vif_details['bound_drivers'])
        self.assertNotIn(hn.VIF_DETAILS_SOURCE, port.binding_vif_details)

    def test_restart_with_other_vif_types(self):
        host = 'agent-restarts'
        agent = self.start_agent(host)
        self.assertChoice(self.nova_bind(host), 'VIFOpenVSwitch')
        agent.stop()
        again = self.start_agent(host, vif_types='VIFVHostUser')
        first = wait_for(lambda: 'reported HostInfo' in again.log(20000),
                         60, 'the first report of the restarted agent')
        self.assertTrue(first)
        began = time.monotonic()

        def new_choice():
            port = self.nova_bind(host)
            details = port.binding_vif_details or {}
            return details.get(hn.VIF_DETAILS_OBJECT) == 'VIFVHostUser'
        wait_for(new_choice, 3 * self.cloud.report_interval,
                 'the new choice of %s' % host)
        self.assertLess(time.monotonic() - began,
                        3 * self.cloud.report_interval + 1)

    def test_sighup_rediscovers(self):
        host = 'agent-hup'
        agent = self.start_agent(host)
        offers = 'Host %s offers:' % host
        self.assertEqual(1, agent.log(200000).count(offers))
        agent.signal(signal.SIGHUP)
        wait_for(lambda: agent.log(200000).count(offers) >= 2, 30,
                 'rediscovery after SIGHUP')
        self.wait_reported(host, agent)
        began = time.monotonic()
        self.assertTrue(agent.stop(timeout=10))
        self.assertLess(time.monotonic() - began, 10)

    def test_rabbit_and_rpc_server_restart(self):
        agent = self.start_agent(HOST_A)
        self.cloud.restart_rabbit()
        self.cloud.restart_rpc()
        restarted = time.time()

        def fresh():
            rows = self.cloud.agents_rows(host=HOST_A,
                                          agent_type=hn.AGENT_TYPE)
            return rows if rows and calendar.timegm(
                rows[0][4].timetuple()) > restarted else None
        rows = wait_for(fresh, 120, 'a report after the restarts')
        self.assertEqual(1, len(rows))
        self.assertEqual(['1.1', '1.0'], hn.report_versions(
            json.loads(rows[0][3])))
        self.assertTrue(agent.running())
        self.assertChoice(self.nova_bind(HOST_A), 'VIFOpenVSwitch')
        log = agent.log(500000)
        if 'failed reporting state' in log:
            self.assertIn('reported state again after a failure', log)
