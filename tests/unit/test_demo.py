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

"""``os-vif-hostinfo demo`` over the fake:// transport."""

import importlib.metadata
import io
import logging
import os
import pathlib
import re
import subprocess
import sys
import threading

import fixtures

from os_vif_hostinfo import cli
from os_vif_hostinfo.cli.demo import hosts as demo_hosts
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import wire
from tests import base

MAIN = ('import sys; from os_vif_hostinfo.cli import main; '
        'sys.exit(main(sys.argv[1:]))')


class TestDemoPackage(base.TestCase):
    """The demo is one package, and its entry point still loads."""

    def test_one_package_no_demo_modules_beside_it(self):
        cli_dir = pathlib.Path(cli.__file__).parent
        self.assertEqual([], sorted(p.name for p in cli_dir.glob('demo*.py')))
        self.assertTrue((cli_dir / 'demo' / '__init__.py').is_file())

    def test_entry_point_is_the_command(self):
        from os_vif_hostinfo.cli.demo import command
        (entry,) = [ep for ep in importlib.metadata.entry_points(
            group='os_vif_hostinfo.cli') if ep.name == 'demo']
        self.assertEqual('os_vif_hostinfo.cli.demo:Demo', entry.value)
        self.assertIs(command.Demo, entry.load())


class TestDemoCommand(base.TestCase):

    def run_cli(self, *args):
        return subprocess.run([sys.executable, '-c', MAIN] + list(args),
                              capture_output=True, text=True, timeout=120)

    def test_default_demo_tells_the_story(self):
        proc = self.run_cli('demo')
        self.assertEqual(0, proc.returncode, proc.stderr)
        out = proc.stdout
        self.assertIn('fake:// transport, one process', out)
        self.assertIn('network host net-old: release old, reads HostInfo '
                      'up to 1.0', out)
        self.assertIn('2. ask net-current', out)
        # Each plugin says where its description came from.
        self.assertRegex(out, r'\n {17}described by (os-vif plugin|plugin|'
                              r'static description|the demo)')
        self.assertIn('<- refused: HostInfo up to 1.0 only', out)
        self.assertIn('-> HostInfo 1.0', out)
        self.assertIn('backleveled', out)
        self.assertIn('net-old: refused HostInfo 1.1 from compute-1', out)
        # The plugins are this host's if discovery finds any, so only the
        # shape of the verdicts is fixed here (TestReleases pins the sample's).
        self.assertRegex(out, r'<- net-current \(current\) chose plugin '
                              r'\S+, VIF\w+ \d+\.\d+')
        self.assertRegex(out, r'<- net-old \(old\) chose plugin \S+, '
                              r'VIF\w+ \d+\.\d+')
        self.assertEqual(3, out.count('check_vif: accepted'))
        self.assertIn('4. ask net-old again', out)
        self.assertIn('remembered for net-old', out)
        self.assertIn('2 round trips', out)
        self.assertRegex(out, r'check_vif: refused, fatal: VIF \w+ version '
                              r'\d+\.\d+ is outside every range')
        # Not a terminal: no color codes.
        self.assertNotIn('\033[', out)
        # Each step's round trips: current 1, old 2, old again 1.
        self.assertEqual(['1 round trip', '2 round trips', '1 round trip'],
                         [line.strip() for line in out.splitlines()
                          if 'round trip' in line])

    def test_service_host_needs_a_transport_url(self):
        for extra in ([], ['--transport-url', 'fake://']):
            proc = self.run_cli('demo', '--service-host', *extra)
            self.assertEqual(status.USAGE, proc.returncode)
            self.assertIn('argument --service-host: needs --transport-url',
                          proc.stderr)

    def test_options_of_another_mode_are_usage_errors(self):
        for argv, option, mode in (
                (['--pin', '1.0'], '--pin', '--network-host'),
                (['--release', 'old'], '--release', '--network-host'),
                (['--serve-for', '1'], '--serve-for', '--network-host'),
                (['--peer', 'foo'], '--peer', '--service-host'),
                (['--service-host', '--transport-url', 'rabbit://x/',
                  '--pin', '1.0'], '--pin', '--network-host'),
                (['--network-host', 'n', '--peer', 'foo'], '--peer',
                 '--service-host')):
            proc = self.run_cli('demo', *argv)
            self.assertEqual(status.USAGE, proc.returncode, argv)
            self.assertIn('argument %s: applies to %s only'
                          % (option, mode), proc.stderr)
            self.assertEqual('', proc.stdout)

    def test_bad_values_name_their_option(self):
        for argv, message in (
                (['--timeout', '0'], 'argument --timeout: must be at least '
                                     '0.1, got 0'),
                (['--timeout', 'nan'], 'argument --timeout: expected a '
                                       'finite number'),
                (['--timeout', 'x'], 'argument --timeout: expected a '
                                     'number of seconds'),
                (['--network-host', 'n', '--serve-for', '-1'],
                 'argument --serve-for: must be at least 0'),
                (['--network-host', 'n', '--pin', 'abc'],
                 "argument --pin: Invalid version 'abc' for --pin"),
                (['--network-host', 'n', '--pin', '1.01'],
                 "the minor number '01' has a leading zero"),
                (['--network-host', 'n', '--pin', '2.0'],
                 'argument --pin: a network host of this release reads '
                 'HostInfo 1.0 to')):
            proc = self.run_cli('demo', *argv)
            self.assertEqual(status.USAGE, proc.returncode, argv)
            self.assertIn(message, proc.stderr)

    def test_network_and_service_host_are_exclusive(self):
        proc = self.run_cli('demo', '--network-host', 'a', '--service-host')
        self.assertNotEqual(0, proc.returncode)
        self.assertIn('not allowed with argument', proc.stderr)

    def test_help_names_the_modes(self):
        proc = self.run_cli('help', 'demo')
        self.assertEqual(0, proc.returncode, proc.stderr)
        for option in ('--transport-url', '--network-host',
                       '--service-host', '--release', '--pin'):
            self.assertIn(option, proc.stdout)


class TestNetworkHostMode(base.TestCase):

    def setUp(self):
        super().setUp()
        # cliff configures the root logger when run in-process; undo it.
        root = logging.getLogger()
        saved = (root.level, list(root.handlers))

        def restore():
            root.setLevel(saved[0])
            root.handlers[:] = saved[1]
        self.addCleanup(restore)

    def test_serves_and_stops(self):
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        code = cli.main(['demo', '--network-host', 'net-x', '--release',
                         'old', '--serve-for', '0.2'])
        self.assertEqual(0, code)
        lines = out.getvalue().splitlines()
        self.assertIn('network host net-x: release old, reads HostInfo up '
                      'to 1.0, offers VIFVHostUser 1.0, VIFOpenVSwitch 1.0, '
                      'VIFBridge 1.0 (most preferred first), listening on '
                      'fake:// topic os_vif_hostinfo', lines)
        self.assertIn(demo_hosts.READY, lines)

    def test_pin_lowers_the_release(self):
        out = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', out))
        cli.main(['demo', '--network-host', 'net-y', '--pin', '1.0',
                  '--serve-for', '0.1'])
        self.assertIn('release current, reads HostInfo up to 1.0',
                      out.getvalue())


class TestReleases(base.TestCase):

    def test_pins(self):
        old = demo_hosts.RELEASES['old']
        current = demo_hosts.RELEASES['current']
        self.assertEqual('1.0', old.pin(None))
        self.assertEqual('1.0', old.pin('1.1'))
        self.assertIsNone(current.pin(None))
        self.assertEqual('1.0', current.pin('1.0'))

    def test_handlers_choose_per_release(self):
        info = demo_hosts.sample_host_info()
        for release, version in (('current', '1.1'), ('old', '1.0')):
            answer = demo_hosts.make_handler(
                'n', demo_hosts.RELEASES[release])(info)
            self.assertEqual(('ovs', 'VIFVHostUser', version),
                             (answer['plugin'],
                              answer['vif'][wire.KEY_NAME],
                              answer['vif'][wire.KEY_VERSION]))
            self.assertEqual('1.1', negotiation.check_vif(
                answer['vif'], info).max_version)

    def test_handler_without_common_vif(self):
        info = objects.HostInfo(plugin_info=[objects.HostPluginInfo(
            plugin_name='x', vif_info=[objects.HostVIFInfo(
                vif_object_name='VIFHostDevice', min_version='1.0',
                max_version='1.0')])])
        handler = demo_hosts.make_handler('n', demo_hosts.RELEASES['old'])
        self.assertRaises(exception.NoMatchingVIFClass, handler, info)

    def test_stand_in_classes_stay_out_of_the_registry(self):
        from oslo_versionedobjects import base as ovo_base
        registered = ovo_base.VersionedObjectRegistry.obj_classes()
        for release in demo_hosts.RELEASES.values():
            for cls in release.vif_classes:
                self.assertNotIn(cls, registered.get(cls.obj_name(), []))


class TestNarration(base.TestCase):
    """What each network host offers, and the vif_type Nova plugs with."""

    def test_each_release_says_what_it_offers(self):
        self.assertEqual(
            'release current, reads HostInfo up to 1.1, offers VIFVHostUser '
            '1.1, VIFOpenVSwitch 1.0, VIFBridge 1.0 (most preferred first)',
            demo_hosts.RELEASES['current'].describe(None))
        self.assertIn('offers VIFVHostUser 1.0, VIFOpenVSwitch 1.0',
                      demo_hosts.RELEASES['old'].describe(None))

    def test_vif_type_is_the_reference_drivers(self):
        from os_vif_hostinfo.neutron import binding
        for (plugin_name, vif), vif_type in [
                (key, value) for key, value in binding.VIF_TYPES.items()
                if isinstance(key, tuple)]:
            self.assertEqual(vif_type,
                             demo_hosts.vif_type(plugin_name, vif))
        self.assertEqual('ovs', demo_hosts.vif_type('other', 'VIFOpenVSwitch'))
        self.assertEqual('unknown', demo_hosts.vif_type('x', 'VIFNothing'))

    def test_story_names_the_vif_type(self):
        proc = subprocess.run([sys.executable, '-c', MAIN, 'demo'],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(0, proc.returncode, proc.stderr)
        for plugin_name, vif in re.findall(
                r'chose plugin (\S+), (VIF\w+) ', proc.stdout):
            self.assertIn('as a Neutron port: binding:vif_type %s,'
                          % demo_hosts.vif_type(plugin_name, vif),
                          proc.stdout)
        self.assertEqual(3, proc.stdout.count('binding:vif_type'))

    def test_missing_os_vif_is_information(self):
        hidden = ('import sys; sys.modules["os_vif"] = None; ' + MAIN)
        proc = subprocess.run([sys.executable, '-c', hidden, 'demo'],
                              capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, PYTHONWARNINGS='ignore'))
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertNotIn('not importable', proc.stdout + proc.stderr)
        self.assertEqual('', proc.stderr)
        self.assertRegex(proc.stdout, r'\n1\. service host compute-1: '
                         r'discovered plugins\n   note: os-vif is not '
                         r'installed here \(that is fine for the demo\)')


class _Server:
    """An RPC server whose wait() lasts until every server is waited on."""

    def __init__(self, name, log, all_waiting):
        self.name, self.log, self.all_waiting = name, log, all_waiting

    def stop(self):
        self.log.append('stop %s' % self.name)

    def wait(self):
        self.log.append('wait %s' % self.name)
        # Passes only once both servers are waited on at the same time;
        # waited one after the other, the barrier breaks after 5 s.
        try:
            self.all_waiting.wait()
        except threading.BrokenBarrierError:
            self.log.append('waited alone %s' % self.name)


class TestShutdown(base.TestCase):
    """The demo ends when its story does (it sat ~2 s after it)."""

    def test_servers_stop_together_and_wait_together(self):
        from os_vif_hostinfo.cli.demo import command
        log = []
        barrier = threading.Barrier(2, timeout=5)
        servers = [_Server(n, log, barrier) for n in ('a', 'b')]
        command.stop_servers(servers)
        self.assertEqual(['stop a', 'stop b'], log[:2])
        self.assertEqual({'wait a', 'wait b'}, set(log[2:]))

    def test_children_are_signalled_together(self):
        events = []

        class Child:
            def __init__(self, name):
                self.name = name
                self.pid = 1

            def poll(self):
                return None

            def send_signal(self, sig):
                events.append(('signal', self.name))

            def wait(self, timeout=None):
                events.append(('wait', self.name))

        demo_hosts.stop_children([Child('a'), Child('b')], timeout=1)
        self.assertEqual([('signal', 'a'), ('signal', 'b'), ('wait', 'a'),
                          ('wait', 'b')], events)


class TestThisHostInfo(base.TestCase):

    def provider(self, info, sources):
        class Provider:
            def __init__(self):
                self.sources = sources

            def host_info(self):
                return info
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo.discovery.HostInfoProvider', Provider))

    def test_sample_when_no_plugin_is_installed(self):
        self.provider(objects.HostInfo(plugin_info=[]), {})
        info, origin, sources = demo_hosts.this_host_info()
        self.assertEqual(demo_hosts.sample_host_info(), info)
        self.assertIn('sample', origin)
        self.assertEqual({'linux_bridge': demo_hosts.SAMPLE_SOURCE,
                          'ovs': demo_hosts.SAMPLE_SOURCE}, sources)

    def test_discovered_plugins_win_and_say_where_they_come_from(self):
        found = objects.HostInfo(plugin_info=[objects.HostPluginInfo(
            plugin_name='mine', vif_info=[])])
        source = plugin.PluginSource(plugin.KIND_OS_VIF, 'mine',
                                     'vif_plug_mine:Plugin', 'os-vif-mine')
        self.provider(found, {'mine': source})
        self.assertEqual(
            (found, 'discovered plugins',
             {'mine': 'os-vif plugin mine (vif_plug_mine:Plugin, from '
                      'os-vif-mine)'}),
            demo_hosts.this_host_info())
