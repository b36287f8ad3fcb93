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

"""os-vif-hostinfo-agent: its reports through a fake state RPC, and the
real console script's signals."""

import logging
import os
import signal
import subprocess
import sys
import time

import fixtures
from oslo_config import cfg
from oslo_config import fixture as config_fixture
from oslo_serialization import jsonutils
import testtools

import os_vif_hostinfo as hi
from os_vif_hostinfo import neutron as hn
from os_vif_hostinfo.neutron.agent import config
from os_vif_hostinfo.neutron.agent import service as agent_service
from os_vif_hostinfo import wire
from tests import samples
from tests.unit.test_neutron_profile import wide_host


class FakeStateRPC:
    """PluginReportStateAPI's report_state, as the server answers it."""

    def __init__(self):
        self.reports = []
        self.fail = None

    def report_state(self, context, agent_state, use_call=False):
        # What crossed oslo.messaging: JSON types only.
        self.reports.append(jsonutils.loads(jsonutils.dumps(agent_state)))
        if self.fail is not None:
            raise self.fail
        return 'alive'


class FakeProvider:
    """A HostInfoProvider whose host changes when told."""

    def __init__(self, info):
        self.info = info
        self.refreshed = 0

    def refresh(self):
        self.refreshed += 1

    def host_info(self, permitted=None):
        return (self.info if permitted is None
                else self.info.filter_vif_types(permitted))


class TestAgent(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(cfg.ConfigOpts()))
        config.register_opts(self.conf.conf)
        self.conf.conf.register_opt(cfg.StrOpt('host', default='compute-7'))
        self.conf.conf([], project='neutron')
        self.log = self.useFixture(fixtures.FakeLogger(
            name='os_vif_hostinfo', level=logging.DEBUG,
            format='%(levelname)s %(message)s'))
        self.rpc = FakeStateRPC()
        self.provider = FakeProvider(samples.sample_host())
        self.agent = agent_service.HostInfoAgent(
            self.conf.conf, self.rpc, self.provider, context=object())

    def test_reports_as_a_neutron_agent(self):
        self.agent.rediscover()
        self.agent._report_state()
        state = self.rpc.reports[0]
        self.assertEqual(hn.AGENT_TYPE, state['agent_type'])
        self.assertEqual(hn.AGENT_BINARY, state['binary'])
        self.assertEqual('compute-7', state['host'])
        self.assertTrue(state['start_flag'])
        self.assertEqual(['1.1', '1.0'],
                         hn.report_versions(state['configurations']))
        self.assertEqual(
            wire.serialize(samples.sample_host()),
            wire.serialize(hn.read_report(state['configurations'])))
        self.assertLessEqual(
            hn.configurations_length(state['configurations']),
            hn.MAX_CONFIGURATIONS_LENGTH)

    def test_start_flag_and_info_only_when_changed(self):
        self.agent.rediscover()
        for _ in range(3):
            self.agent._report_state()
        self.assertEqual([True, False, False],
                         ['start_flag' in r for r in self.rpc.reports])
        self.assertEqual(1, self.log.output.count('INFO Host compute-7: '
                                                  'reported HostInfo 1.1, '
                                                  '1.0 in'))
        self.assertEqual(self.rpc.reports[0]['configurations'],
                         self.rpc.reports[2]['configurations'])

    def test_one_failure_line_one_recovery_line_never_raises(self):
        self.agent.rediscover()
        self.rpc.fail = RuntimeError('AMQP server unreachable')
        for _ in range(3):
            self.agent._report_state()
        self.rpc.fail = None
        self.agent._report_state()
        self.agent._report_state()
        self.assertEqual(1, self.log.output.count(
            'ERROR Host compute-7: failed reporting state'))
        self.assertEqual(2, self.log.output.count(
            'DEBUG Host compute-7: failed reporting state again'))
        self.assertEqual(1, self.log.output.count(
            'INFO Host compute-7: reported state again after a failure'))
        # The first report the server took carries start_flag.
        self.assertEqual([True, True, True, True, False],
                         ['start_flag' in r for r in self.rpc.reports])

    def test_max_version_and_vif_types(self):
        self.conf.config(group=config.GROUP_NAME, max_version='1.0',
                         vif_types=['VIFBridge'])
        self.agent.rediscover()
        self.agent._report_state()
        conf = self.rpc.reports[0]['configurations']
        self.assertEqual(['1.0'], hn.report_versions(conf))
        self.assertEqual(['VIFBridge'], conf['vif_types'])
        info = hn.read_report(conf)
        self.assertEqual({'VIFBridge'}, {v.vif_object_name
                                         for p in info.plugin_info
                                         for v in p.vif_info})

    def test_rediscovery_logs_what_changed_and_reports_at_once(self):
        self.agent.rediscover()
        self.agent._report_state()
        self.agent._rediscover_and_report()
        self.assertEqual(1, len(self.rpc.reports))
        self.conf.config(group=config.GROUP_NAME, vif_types=['VIFBridge'])
        self.agent._rediscover_and_report()
        self.assertEqual(2, len(self.rpc.reports))
        self.assertTrue(self.rpc.reports[1]['start_flag'])
        self.assertIn('INFO Host compute-7 changed: added -; removed ',
                      self.log.output)
        self.assertIn('VIFOpenVSwitch', self.log.output.split(
            'changed: added -; removed ')[1].splitlines()[0])
        self.assertEqual(3, self.provider.refreshed)

    def test_a_restarted_worker_logs_what_changed_since_launch(self):
        self.agent.remember_launch()
        self.conf.config(group='AGENT', report_interval=30)
        self.conf.config(group=config.GROUP_NAME, rediscover_interval=0)
        self.agent.start()
        self.agent.stop()
        self.assertNotIn('changed since', self.log.output)
        # SIGHUP: the options changed, a new worker starts from the
        # launched process (a copy of this agent as launched).
        self.conf.config(group=config.GROUP_NAME, vif_types=['VIFBridge'])
        worker = agent_service.HostInfoAgent(
            self.conf.conf, self.rpc, self.provider, context=object())
        worker._launched = self.agent._launched
        worker.start()
        worker.stop()
        line = [x for x in self.log.output.splitlines()
                if 'changed since the agent started' in x]
        self.assertEqual(1, len(line))
        self.assertIn('added -; removed ', line[0])
        self.assertIn('VIFOpenVSwitch', line[0])

    def test_too_large_reports_without_hostinfo(self):
        self.provider.info = wide_host(300)
        self.conf.config(group=config.GROUP_NAME,
                         vif_types=['VIF%04d' % i for i in range(400)]
                         + ['VIFOpenVSwitch', 'VIFBridge'])
        self.agent.rediscover()
        self.agent._report_state()
        conf = self.rpc.reports[0]['configurations']
        self.assertNotIn(hn.REPORT_KEY, conf)
        self.assertEqual([], hn.report_versions(conf))
        self.assertIn('ERROR Host compute-7: reporting no HostInfo: the '
                      'agent\'s configurations would be', self.log.output)
        self.assertLessEqual(hn.configurations_length(conf),
                             hn.MAX_CONFIGURATIONS_LENGTH)

    def test_start_stop_wait(self):
        self.conf.config(group='AGENT', report_interval=0.05)
        self.conf.config(group=config.GROUP_NAME, rediscover_interval=0)
        self.agent.start()
        deadline = time.monotonic() + 10
        while len(self.rpc.reports) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        started = time.monotonic()
        self.agent.stop()
        self.agent.wait()
        self.assertLess(time.monotonic() - started, 1)
        self.assertGreaterEqual(len(self.rpc.reports), 3)
        count = len(self.rpc.reports)
        time.sleep(0.2)
        self.assertLessEqual(len(self.rpc.reports), count + 1)

    def test_list_opts(self):
        groups = {str(g): [o.name for o in opts]
                  for g, opts in config.list_opts()}
        self.assertEqual(['vif_types', 'max_version', 'rediscover_interval'],
                         groups[config.GROUP_NAME])
        self.assertEqual([config.GROUP_NAME], list(groups))
        # Neutron's own namespace documents the [AGENT] options it reads.
        self.assertIn('report_interval', self.conf.conf.AGENT)

    def test_describe(self):
        info = hi.HostInfo(plugin_info=[
            samples.plugin('ovs', [samples.vif('VIFOpenVSwitch', '1.0',
                                               '1.1')]),
            samples.plugin('linux_bridge', [samples.vif('VIFBridge')])])
        self.assertEqual(['linux_bridge VIFBridge 1.0-1.0',
                          'ovs VIFOpenVSwitch 1.0-1.1'],
                         agent_service.describe(info))


AGENT_CONF = """
[DEFAULT]
host = signal-host
transport_url = fake:/
[AGENT]
report_interval = 0.5
[os_vif_hostinfo_agent]
rediscover_interval = 0
"""


class TestConsoleScript(testtools.TestCase):
    """The installed console script, as a real process."""

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.conf_file = os.path.join(self.tmp, 'neutron.conf')
        with open(self.conf_file, 'w') as f:
            f.write(AGENT_CONF)
        self.log_file = os.path.join(self.tmp, 'agent.log')
        script = os.path.join(os.path.dirname(sys.executable),
                              hn.AGENT_BINARY)
        if not os.path.exists(script):
            self.fail('%s is not installed (pip install -e .[agent])'
                      % script)
        self.proc = subprocess.Popen(
            [script, '--config-file', self.conf_file,
             '--log-file', self.log_file],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(self._kill)

    def _kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def _log(self):
        try:
            with open(self.log_file) as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def _wait_for(self, text, count=1, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._log().count(text) >= count:
                return
            time.sleep(0.1)
        self.fail('%r not logged %d times in %d s:\n%s'
                  % (text, count, timeout, self._log()[-3000:]))

    def test_sighup_rediscovers_sigterm_stops(self):
        offers = 'Host signal-host offers:'
        self._wait_for(offers)
        # No server: one failure line, then quiet, never dead.
        self._wait_for('Host signal-host: failed reporting state')
        time.sleep(1.5)
        self.assertEqual(1, self._log().count(
            'ERROR os_vif_hostinfo.neutron.agent.service [-] Host '
            'signal-host: failed reporting state'))
        self.proc.send_signal(signal.SIGHUP)
        self._wait_for(offers, count=2)
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=15)
        self.assertLess(time.monotonic() - started, 8)
