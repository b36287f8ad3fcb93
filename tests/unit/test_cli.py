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

"""The os-vif-hostinfo commands, run through the installed console script."""

import os
import shutil
import subprocess
import sys

import fixtures
from oslo_serialization import jsonutils

from os_vif_hostinfo import discovery
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import wire
from tests import base
from tests import entry_points

#: What this host describes: os-vif 5.3.0's plugins, installed with the
#: tests, described through os-vif itself.
SHIPPED = ['noop', 'ovs']


def _console_script():
    here = os.path.join(os.path.dirname(sys.executable), 'os-vif-hostinfo')
    return here if os.path.exists(here) else shutil.which('os-vif-hostinfo')


class CLITestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.script = _console_script()
        self.assertIsNotNone(self.script, 'os-vif-hostinfo is not installed')
        self.env = dict(os.environ)
        # Third-party import warnings are not what these tests read.
        self.env['PYTHONWARNINGS'] = 'ignore'
        self.env.pop('PYTHONPATH', None)

    def run_cli(self, *args, stdin=None, expect=0):
        result = subprocess.run(
            [self.script] + list(args), input=stdin, capture_output=True,
            text=True, env=self.env, timeout=120)
        self.assertEqual(expect, result.returncode,
                         'stdout: %s\nstderr: %s'
                         % (result.stdout, result.stderr))
        if '--debug' not in args:
            self.assertNotIn('Traceback', result.stderr)
        return result

    def add_broken_plugins(self):
        dist = self.useFixture(entry_points.EntryPointsFixture(
            [('zz_import', 'import_error:Plugin'),
             ('zz_raises', 'good:Raises'),
             ('zz_good', 'good:Good')],
            plugin.NAMESPACE, on_sys_path=False))
        self.env['PYTHONPATH'] = dist.path

    def expected_rows(self, profiles=True):
        provider = discovery.HostInfoProvider()
        info, sources = provider.host_info(), provider.sources
        rows = []
        for p in info.plugin_info:
            for vif in p.vif_info:
                row = {'Plugin': p.plugin_name,
                       'VIF type': vif.vif_object_name,
                       'Min version': vif.min_version,
                       'Max version': vif.max_version}
                if profiles:
                    row['Port profiles'] = [
                        {'profile_object_name': pp.profile_object_name,
                         'min_version': pp.min_version,
                         'max_version': pp.max_version}
                        for pp in vif.supported_port_profiles]
                row['Source'] = str(sources[p.plugin_name])
                rows.append(row)
        return rows


class TestShow(CLITestCase):

    def test_json_rows_match_host_info(self):
        result = self.run_cli('show', '-f', 'json')
        rows = jsonutils.loads(result.stdout)
        self.assertEqual(self.expected_rows(), rows)
        self.assertEqual(SHIPPED, sorted({r['Plugin'] for r in rows}))
        self.assertEqual({'os-vif plugin ovs (vif_plug_ovs.ovs:OvsPlugin, '
                          'from os_vif)'},
                         {r['Source'] for r in rows if r['Plugin'] == 'ovs'})
        self.assertEqual('', result.stderr.strip())

    def test_static_descriptions_without_os_vif(self):
        script = ('import sys; sys.modules["os_vif"] = None; '
                  'from os_vif_hostinfo.cli import main; '
                  'sys.exit(main(["show", "-f", "json"]))')
        result = subprocess.run([sys.executable, '-c', script],
                                capture_output=True, text=True,
                                env=self.env, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        rows = jsonutils.loads(result.stdout)
        self.assertEqual(SHIPPED, sorted({r['Plugin'] for r in rows}))
        self.assertEqual(
            {'static description (os_vif_hostinfo.plugins.%s)' % target
             for target in ('noop:NoOpPlugin', 'ovs:OvsPlugin')},
            {r['Source'] for r in rows})

    def test_wire_is_exactly_serialize(self):
        result = self.run_cli('show', '--wire')
        info = discovery.host_info()
        self.assertEqual(wire.serialize(info) + '\n', result.stdout)
        received = wire.deserialize(result.stdout)
        self.assertGreaterEqual(len(received.plugin_info), 2)

    def test_wire_at_target_version(self):
        result = self.run_cli('show', '--wire', '--target-version', '1.0')
        info = discovery.host_info()
        self.assertEqual(wire.serialize(info, '1.0') + '\n', result.stdout)
        self.assertEqual('1.0', jsonutils.loads(result.stdout)[
            wire.KEY_VERSION])

    def test_target_version_without_port_profiles(self):
        result = self.run_cli('show', '-f', 'json', '--target-version', '1.0')
        rows = jsonutils.loads(result.stdout)
        self.assertEqual(self.expected_rows(profiles=False), rows)
        self.assertIn('Source', rows[0])

    def test_vif_type_filter(self):
        result = self.run_cli('show', '-f', 'json', '--vif-type',
                              'VIFOpenVSwitch', '--vif-type', 'VIFNone')
        rows = jsonutils.loads(result.stdout)
        self.assertEqual([('ovs', 'VIFOpenVSwitch')],
                         [(r['Plugin'], r['VIF type']) for r in rows])

    def test_table_and_other_formats(self):
        table = self.run_cli('show').stdout
        self.assertIn('| Plugin ', table)
        self.assertIn('| Source ', table)
        self.assertIn('VIFPortProfileOVSRepresentor 1.0-1.0', table)
        for fmt in ('table', 'yaml', 'csv', 'value'):
            out = self.run_cli('show', '-f', fmt).stdout
            for name in SHIPPED + [
                    'VIFVHostUser',
                    'os-vif plugin noop (vif_plug_noop.noop:NoOpPlugin']:
                self.assertIn(name, out, fmt)

    def test_broken_plugins_on_stderr_and_exit_1(self):
        self.add_broken_plugins()
        result = self.run_cli('show', '-f', 'json', expect=1)
        rows = jsonutils.loads(result.stdout)
        self.assertEqual(sorted(SHIPPED + ['good']),
                         sorted({r['Plugin'] for r in rows}))
        [source] = {r['Source'] for r in rows if r['Plugin'] == 'good'}
        self.assertTrue(source.startswith(
            'os_vif_hostinfo plugin zz_good (hostinfo_test_'), source)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(2, len(lines), result.stderr)
        self.assertTrue(lines[0].startswith('broken plugin zz_import: '
                                            'cannot load '))
        self.assertIn('os_vif_hostinfo_no_such_backend', lines[0])
        self.assertEqual('broken plugin zz_raises: describe() raised '
                         'RuntimeError: backend daemon is down', lines[1])

    def test_wire_with_broken_plugins(self):
        self.add_broken_plugins()
        result = self.run_cli('show', '--wire', expect=1)
        info = wire.deserialize(result.stdout)
        self.assertEqual(sorted(SHIPPED + ['good']),
                         [p.plugin_name for p in info.plugin_info])
        self.assertIn('broken plugin zz_raises', result.stderr)

    def test_bad_target_versions(self):
        for bad, why in (('x', "Invalid version 'x'"),
                         ('2.0', 'HostInfo 2.0 cannot be written'),
                         ('1.9', 'HostInfo 1.9 cannot be written')):
            result = self.run_cli('show', '--target-version', bad, expect=2)
            self.assertIn(why, result.stderr)
            self.assertEqual('', result.stdout)


class TestCheck(CLITestCase):

    def write(self, text, name='payload.json'):
        path = os.path.join(self.useFixture(
            fixtures.TempDir()).path, name)
        with open(path, 'w') as stream:
            stream.write(text)
        return path

    def payload(self, version=None):
        return wire.serialize(discovery.host_info(), version)

    def test_accepts_a_file(self):
        result = self.run_cli('check', self.write(self.payload()))
        self.assertEqual('accepted: HostInfo 1.1 with %d plugin(s): %s\n'
                         % (len(SHIPPED), ', '.join(SHIPPED)), result.stdout)

    def test_accepts_stdin_at_an_older_version(self):
        result = self.run_cli('check', '-', stdin=self.payload('1.0'))
        self.assertTrue(result.stdout.startswith('accepted: HostInfo 1.0 '))

    def test_accepts_what_os_vif_sends(self):
        import os_vif.objects
        from os_vif.objects import host_info as os_vif_host_info
        os_vif.objects.register_all()
        theirs = os_vif_host_info.HostInfo(plugin_info=[
            os_vif_host_info.HostPluginInfo(plugin_name='ovs', vif_info=[
                os_vif_host_info.HostVIFInfo(
                    vif_object_name='VIFOpenVSwitch', min_version='1.0',
                    max_version='1.0', supported_port_profiles=[])])])
        text = jsonutils.dumps(theirs.obj_to_primitive())
        result = self.run_cli('check', '-', stdin=text)
        self.assertEqual('accepted: HostInfo 1.0 with 1 plugin(s): ovs\n',
                         result.stdout)

    def test_refuses_a_newer_version_with_the_reply_body(self):
        primitive = jsonutils.loads(self.payload())
        primitive[wire.KEY_VERSION] = '1.7'
        result = self.run_cli('check', '-', stdin=jsonutils.dumps(primitive),
                              expect=2)
        verdict, body = result.stdout.splitlines()
        self.assertEqual('refused: HostInfo version 1.7 is not supported; '
                         'the highest supported version is 1.1', verdict)
        error = jsonutils.loads(body)['error']
        self.assertEqual({'code': 'unsupported_version', 'object': 'HostInfo',
                          'requested_version': '1.7',
                          'max_supported_version': '1.1'},
                         {k: v for k, v in error.items() if k != 'message'})

    def test_refuses_malformed_payloads(self):
        for text, path in (('not json', '$'), ('[]', '$'),
                           ('{"versioned_object.namespace": "nova"}',
                            '$.versioned_object.namespace')):
            result = self.run_cli('check', '-', stdin=text, expect=2)
            verdict, body = result.stdout.splitlines()
            self.assertTrue(verdict.startswith('refused: Malformed payload'))
            error = jsonutils.loads(body)['error']
            self.assertEqual('malformed_payload', error['code'])
            self.assertEqual(path, error['path'])

    def test_refuses_an_oversized_payload(self):
        path = self.write(' ' * (wire.DEFAULT_MAX_SIZE + 10))
        result = self.run_cli('check', path, expect=2)
        self.assertIn('over the limit', result.stdout)

    def test_unreadable_input_is_one_line(self):
        missing = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'missing.json')
        result = self.run_cli('check', missing, expect=1)
        self.assertEqual('Cannot read the payload from %s: No such file or '
                         'directory' % missing, result.stderr.strip())
        self.assertEqual('', result.stdout)

    def test_debug_shows_the_traceback(self):
        result = self.run_cli('--debug', 'check', '/nonexistent/x.json',
                              expect=1)
        self.assertIn('Traceback', result.stderr)
        self.assertIn('PayloadUnreadable', result.stderr)


class TestHelp(CLITestCase):

    def test_every_command_has_help(self):
        for command, words in (('show', ['--target-version', '--vif-type',
                                         '--wire', '-f']),
                               ('check', ['FILE'])):
            result = self.run_cli(command, '--help')
            self.assertIn('usage: os-vif-hostinfo %s' % command,
                          result.stdout)
            for word in words:
                self.assertIn(word, result.stdout)

    def test_module_entry_point(self):
        result = subprocess.run(
            [sys.executable, '-m', 'os_vif_hostinfo.cli', 'show', '--wire'],
            capture_output=True, text=True, env=self.env, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIsInstance(wire.deserialize(result.stdout),
                              objects.HostInfo)
