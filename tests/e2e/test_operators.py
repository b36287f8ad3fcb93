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

"""The operators' commands against a real cloud: explain --port, fleet,
and ``neutron-status upgrade check``.

The commands run as an operator runs them, as processes, with a
clouds.yaml written by the test (``auth_type: none``: Neutron's noauth
gives a request without a project the admin role). With
OS_VIF_HOSTINFO_REGEN_FIXTURES=1 their outputs are saved to
tests/fixtures/operators/ for the operators' guide.
"""

import json
import os
import subprocess
import sys
import time

import fixtures

import os_vif_hostinfo as hi
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import neutron as hn
from os_vif_hostinfo.neutron import report
from tests.e2e import base
from tests import samples

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SAVED = os.path.join(ROOT, 'tests', 'fixtures', 'operators')
REGEN = os.environ.get('OS_VIF_HOSTINFO_REGEN_FIXTURES') == '1'

NEWEST = hi.objects.current_version('HostInfo')
TOO_NEW = '%d.%d' % (NEWEST.major, NEWEST.minor + 1)

AGENT_HOST = 'ops-compute-1'
NOVA_HOST = 'ops-compute-2'
LEGACY_HOST = 'ops-legacy'
NEW_HOST = 'ops-compute-new'
DEAD_HOST = 'ops-dead'


REPORT_LOOP = """
import json, time
from neutron_lib.agent import topics
from neutron_lib import context
from neutron_lib import rpc as n_rpc
from oslo_config import cfg
from neutron.agent import rpc as agent_rpc
from neutron.common import config as common_config
from neutron.conf.agent import common as agent_config
common_config.register_common_config_options()
agent_config.register_agent_state_opts_helper(cfg.CONF)
common_config.init(['--config-file', %(conf)r])
n_rpc.init(cfg.CONF)
client = agent_rpc.PluginReportStateAPI(topics.REPORTS)
ctx = context.get_admin_context_without_session()
state = {'binary': %(binary)r, 'host': cfg.CONF.host, 'topic': 'N/A',
         'agent_type': %(agent_type)r, 'start_flag': True,
         'configurations': json.loads(%(configurations)r)}
while True:
    client.report_state(ctx, state, use_call=True)
    state['start_flag'] = False
    time.sleep(%(interval)r)
"""


def ovs_host():
    return hi.HostInfo(plugin_info=[samples.plugin('ovs', [
        samples.vif('VIFOpenVSwitch'), samples.vif('VIFVHostUser')])])


def too_new():
    configs = report.agent_configurations(ovs_host())
    copies = configs[report.REPORT_KEY]['hostinfo']
    configs[report.REPORT_KEY]['hostinfo'] = {TOO_NEW: copies[str(NEWEST)]}
    return configs


class TestOperators(base.E2ETestCase):

    def setUp(self):
        super().setUp()
        self.home = self.useFixture(fixtures.TempDir()).path
        self.clouds = os.path.join(self.home, 'clouds.yaml')
        with open(self.clouds, 'w') as f:
            f.write('clouds:\n'
                    '  e2e:\n'
                    '    auth_type: none\n'
                    '    auth:\n'
                    '      endpoint: %(url)s\n'
                    '    network_endpoint_override: %(url)s\n'
                    '    network_api_version: "2"\n'
                    '  unreachable:\n'
                    '    auth_type: none\n'
                    '    auth:\n'
                    '      endpoint: http://127.0.0.1:9\n'
                    '    network_endpoint_override: http://127.0.0.1:9\n'
                    % {'url': self.cloud.api_url})

    def run_cli(self, *args, expect=0, name=None):
        env = dict(os.environ, OS_CLIENT_CONFIG_FILE=self.clouds,
                   PYTHONWARNINGS='ignore')
        env.pop('OS_CLOUD', None)
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable),
                          'os-vif-hostinfo')] + list(args),
            capture_output=True, text=True, timeout=120, env=env)
        if expect is not None:
            self.assertEqual(expect, proc.returncode,
                             proc.stdout + proc.stderr)
        self.assertNotIn('Traceback', proc.stderr)
        if REGEN and name:
            os.makedirs(SAVED, exist_ok=True)
            with open(os.path.join(SAVED, name + '.txt'), 'w') as f:
                f.write('$ os-vif-hostinfo %s\n%s%s' % (
                    ' '.join(a for a in args if a != '--os-cloud=e2e'),
                    proc.stdout, proc.stderr))
        return proc

    def keep_reporting(self, host, configurations):
        """An agent that stays alive: a report every report interval.

        One process, Neutron's own PluginReportStateAPI, as
        tests.e2e.report_state sends a single report.
        """
        conf = self.cloud.agent_config(host)
        loop = REPORT_LOOP % {
            'conf': conf, 'configurations': json.dumps(configurations),
            'agent_type': report.AGENT_TYPE, 'binary': report.AGENT_BINARY,
            'interval': self.cloud.report_interval}
        process = self.cloud.spawn([sys.executable, '-c', loop],
                                   'reporter-%s' % host,
                                   env=dict(os.environ, PYTHONPATH=ROOT))
        self.addCleanup(process.stop)
        self.cloud.report_state(host, configurations)
        return process

    def bound_port(self, host, profile=None):
        port = self.cloud.new_port()
        attrs = {'binding_host_id': host}
        if profile is not None:
            attrs['binding_profile'] = profile
        return self.conn.network.update_port(port, **attrs)

    def upgrade_check(self, name=None):
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), 'neutron-status')]
            + self.cloud._config_args() + ['upgrade', 'check'],
            capture_output=True, text=True, timeout=300,
            env=dict(os.environ, PYTHONWARNINGS='ignore'))
        section = proc.stdout.split('Check: os-vif HostInfo')
        self.assertEqual(2, len(section), proc.stdout + proc.stderr)
        ours = section[1].split('+----')[0]
        if REGEN and name:
            os.makedirs(SAVED, exist_ok=True)
            with open(os.path.join(SAVED, name + '.txt'), 'w') as f:
                f.write('| Check: os-vif HostInfo' + ours.rstrip() + '\n')
        # neutron-status wraps the details anywhere, even inside a name:
        # compared without any whitespace.
        return ''.join(ours.replace('|', ' ').split())

    def clean_agents(self):
        for agent in self.conn.network.agents(
                agent_type=report.AGENT_TYPE):
            self.conn.network.delete_agent(agent)

    def clean_slate(self):
        """No agent and no bound port left by the run's other tests.

        The control plane serves the whole run; the upgrade check reads
        every host of it. Agents other tests left running are stopped
        first, or they would report themselves back.
        """
        self.cloud.stop_spawned()
        for agent in self.conn.network.agents():
            self.conn.network.delete_agent(agent)
        for port in self.conn.network.ports(fields=['id', 'binding:host_id']):
            if port.binding_host_id:
                self.conn.network.delete_port(port)

    def test_explain_port_by_id_and_name(self):
        self.clean_agents()
        self.keep_reporting(AGENT_HOST,
                            report.agent_configurations(ovs_host()))
        # HostInfo in the profile: bound; consumability judged from the
        # host's own agent report (the command does not run there).
        port = self.bound_port(AGENT_HOST, hn.binding_profile(ovs_host()))
        self.conn.network.update_port(port, name='ops-port')
        out = self.run_cli('explain', '--os-cloud=e2e', '--port', port.id,
                           name='explain-agent')
        self.assertIn('Judged from', out.stdout)
        rows = json.loads(self.run_cli(
            'explain', '--os-cloud=e2e', '--port', port.id, '-f',
            'json').stdout)
        self.assertEqual('bound', rows['Outcome'])
        self.assertEqual('binding:profile', rows['HostInfo source'])
        self.assertIn('HostInfo agent of %s (alive)' % AGENT_HOST,
                      rows['Judged from'])
        self.assertTrue(rows['Consumable on %s' % AGENT_HOST].startswith(
            'yes: plugin ovs'))
        by_name = self.run_cli('explain', '--os-cloud=e2e', '--port',
                               'ops-port', '-f', 'json')
        self.assertEqual(rows, json.loads(by_name.stdout))
        # An unmodified Nova: the offer is the agent's report.
        legacy = self.bound_port(AGENT_HOST)
        out = self.run_cli('explain', '--os-cloud=e2e', '--port', legacy.id,
                           '-f', 'json', expect=None)
        rows = json.loads(out.stdout)
        self.assertIn('from the HostInfo agent of %s' % AGENT_HOST,
                      rows['HostInfo'])
        self.assertEqual(['ovs: VIFOpenVSwitch 1.0-1.0',
                          'ovs: VIFVHostUser 1.0-1.0'],
                         rows['Compute host offers'])
        self.assertEqual({'bound': status.OK, 'failed': status.NOT_BOUND}[
            rows['Outcome']], out.returncode)
        # No agent on the host: nothing judges what it consumes now.
        sent = self.bound_port(NOVA_HOST, hn.binding_profile(ovs_host()))
        rows = json.loads(self.run_cli(
            'explain', '--os-cloud=e2e', '--port', sent.id, '-f', 'json',
            name='explain-profile').stdout)
        self.assertIn('not checked', rows['Consumable on %s' % NOVA_HOST])

    def test_explain_port_bad_inputs_are_one_line(self):
        for args, code in (
                (('--port', 'no-such-port'), status.NOT_FOUND),
                (('--port', 'x', '--os-cloud', 'unreachable'),
                 status.UNREACHABLE),
                (('--port', 'x', '--os-cloud', 'no-such-cloud'),
                 status.USAGE)):
            if '--os-cloud' not in args:
                args = args + ('--os-cloud=e2e',)
            proc = self.run_cli('explain', *args, expect=code)
            self.assertEqual(1, len(proc.stderr.splitlines()), proc.stderr)
            self.assertEqual('', proc.stdout)
        self.cloud.new_port(name='ops-twin')
        self.cloud.new_port(name='ops-twin')
        proc = self.run_cli('explain', '--os-cloud=e2e', '--port',
                            'ops-twin', expect=status.USAGE)
        self.assertIn('More than one port', proc.stderr)

    def test_fleet_and_upgrade_check(self):
        self.clean_slate()
        self.keep_reporting(AGENT_HOST,
                            report.agent_configurations(ovs_host()))
        self.assertIn('Success', self.upgrade_check('check-success'))

        self.bound_port(LEGACY_HOST)
        text = self.upgrade_check('check-warning')
        self.assertIn('Warning', text)
        self.assertIn(LEGACY_HOST, text)

        self.keep_reporting(NEW_HOST, too_new())
        self.cloud.report_state(DEAD_HOST,
                                report.agent_configurations(ovs_host()))
        # DEAD_HOST reported once: dead after agent_down_time.
        time.sleep(self.cloud.agent_down_time + 1)
        text = self.upgrade_check('check-failure')
        self.assertIn('Failure', text)
        self.assertIn(NEW_HOST, text)
        self.assertIn(TOO_NEW, text)
        self.assertIn(DEAD_HOST, text)

        out = self.run_cli('fleet', '--os-cloud=e2e', '-f', 'json',
                           name='fleet-json')
        doc = json.loads(out.stdout)
        hosts = {row['Host']: row for row in doc['hosts']}
        self.assertEqual({AGENT_HOST, NEW_HOST, DEAD_HOST}, set(hosts))
        self.assertTrue(hosts[AGENT_HOST]['Alive'])
        self.assertEqual(str(NEWEST),
                         hosts[AGENT_HOST]['HostInfo versions'][0])
        self.assertEqual(['ovs'], hosts[AGENT_HOST]['Plugins'])
        self.assertIn(TOO_NEW, hosts[NEW_HOST]['Problem'])
        summary = doc['summary']
        self.assertIn(LEGACY_HOST, summary['without_hostinfo'])
        self.assertEqual([NEW_HOST], list(summary['unreadable']))
        self.assertEqual([DEAD_HOST], summary['dead'])
        self.assertEqual({'VIFOpenVSwitch': '1.0-1.0',
                          'VIFVHostUser': '1.0-1.0'}, summary['vif_caps'])
        table = self.run_cli('fleet', '--os-cloud=e2e', name='fleet-table')
        self.assertIn('| Host', table.stdout)
        self.assertIn('Hosts binding without HostInfo', table.stdout)
        self.assertIn(LEGACY_HOST, table.stdout)
        for fmt in ('csv', 'value', 'yaml'):
            self.run_cli('fleet', '--os-cloud=e2e', '-f', fmt)
        proc = self.run_cli('fleet', '--os-cloud', 'unreachable',
                            expect=status.UNREACHABLE)
        self.assertEqual(1, len(proc.stderr.splitlines()), proc.stderr)
