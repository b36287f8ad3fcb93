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

import configparser
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys

import fixtures
import jsonschema
from oslo_serialization import jsonutils
import yaml

from os_vif_hostinfo.cli import output
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import discovery
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import schema
from os_vif_hostinfo import wire
from tests import base
from tests import entry_points

#: What this host describes: os-vif 5.3.0's plugins, installed with the
#: tests, described through os-vif itself.
SHIPPED = ['noop', 'ovs']

#: A plugin name that forges a line, repaints the terminal and cannot be
#: encoded: what escaping is for.
HOSTILE_NAME = 'x\nrefused: fake\x1b[31m\ud800\u202e'
ESCAPED_NAME = 'x\\nrefused: fake\\x1b[31m\\ud800\\u202e'

ODD_PLUGINS = {'odd': '''
    from os_vif_hostinfo import objects
    from os_vif_hostinfo import plugin


    class Hostile(plugin.PluginBase):
        def describe(self):
            return objects.HostPluginInfo(
                plugin_name=%r, vif_info=[objects.HostVIFInfo(
                    vif_object_name='VIFBridge', min_version='1.0',
                    max_version='1.0')])


    class Empty(plugin.PluginBase):
        def describe(self):
            return objects.HostPluginInfo(plugin_name='empty', vif_info=[])
''' % HOSTILE_NAME}


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

    def add_odd_plugins(self):
        dist = self.useFixture(entry_points.EntryPointsFixture(
            [('hostile', 'odd:Hostile'), ('empty', 'odd:Empty')],
            plugin.NAMESPACE, modules=ODD_PLUGINS, on_sys_path=False))
        self.env['PYTHONPATH'] = dist.path

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
        wanted = ['VIFOpenVSwitch', 'VIFBridge']
        result = self.run_cli('show', '-f', 'json', '--vif-type', *wanted)
        rows = jsonutils.loads(result.stdout)
        expected = [(p.plugin_name, v.vif_object_name) for p in
                    discovery.host_info(wanted).plugin_info
                    for v in p.vif_info]
        self.assertTrue(expected)
        self.assertEqual(expected, [(r['Plugin'], r['VIF type'])
                                    for r in rows])
        offered = {v.vif_object_name for p in
                   discovery.host_info().plugin_info for v in p.vif_info}
        if set(wanted) <= offered:
            self.assertEqual('', result.stderr)

    def test_vif_type_nobody_offers_warns_and_fails(self):
        offered = sorted({v.vif_object_name
                          for p in discovery.host_info().plugin_info
                          for v in p.vif_info})
        for names, left in ((['NoSuchVIF'], []),
                            (['VIFOpenVSwitch', 'VIFNone'],
                             [('ovs', 'VIFOpenVSwitch')])):
            result = self.run_cli('show', '-f', 'json', '--vif-type', *names,
                                  expect=status.FAILED)
            rows = jsonutils.loads(result.stdout)
            self.assertEqual(left, [(r['Plugin'], r['VIF type'])
                                    for r in rows])
            missing = names[-1]
            self.assertEqual('no plugin offers VIF class %s; the plugins '
                             'here offer %s\n' % (missing, ', '.join(offered)),
                             result.stderr)

    def test_wire_refuses_formatting_options(self):
        for extra, named in ((['-f', 'yaml'], '-f/--format'),
                             (['-f', 'table'], '-f/--format'),
                             (['-c', 'Plugin'], '-c/--column'),
                             (['--max-width', '20'], '--max-width')):
            result = self.run_cli('show', '--wire', *extra,
                                  expect=status.USAGE)
            self.assertEqual('', result.stdout)
            self.assertIn('argument --wire: ', result.stderr)
            self.assertIn(named, result.stderr)

    def test_one_line_formatters_show_profiles_as_text(self):
        def text(vif):
            return ', '.join('%s %s-%s' % (p.profile_object_name,
                                           p.min_version, p.max_version)
                             for p in vif.supported_port_profiles)
        vifs = [v for p in discovery.host_info(['VIFVHostUser']).plugin_info
                for v in p.vif_info if v.supported_port_profiles]
        self.assertTrue(vifs)
        out = self.run_cli('show', '-f', 'csv', '--vif-type',
                           'VIFVHostUser').stdout
        self.assertNotIn("{'", out)
        for vif in vifs:
            self.assertIn(text(vif), out)
        # -f value: one word per cell, so the profiles are NAME:MIN-MAX
        # joined by commas.
        value = self.run_cli('show', '-f', 'value', '-c', 'Port profiles',
                             '--vif-type', 'VIFOpenVSwitch').stdout
        self.assertEqual(
            [text(v).replace(', ', ',').replace(' ', ':')
             for p in discovery.host_info(['VIFOpenVSwitch']).plugin_info
             for v in p.vif_info],
            value.splitlines())

    def test_plugin_without_vif_types_shows_empty_cells(self):
        self.add_odd_plugins()
        table = self.run_cli('show').stdout
        self.assertNotIn('None', table)
        self.assertRegex(table, r'\| empty +\| +\| +\| +\| +\|')
        rows = jsonutils.loads(self.run_cli('show', '-f', 'json').stdout)
        [empty] = [r for r in rows if r['Plugin'] == 'empty']
        self.assertEqual({'Plugin': 'empty', 'VIF type': None,
                          'Min version': None, 'Max version': None,
                          'Port profiles': []},
                         {k: v for k, v in empty.items() if k != 'Source'})
        value = self.run_cli('show', '-f', 'value', '-c', 'Plugin', '-c',
                             'VIF type', '-c', 'Min version').stdout
        self.assertIn('empty - -\n', value)
        csv = self.run_cli('show', '-f', 'csv').stdout
        self.assertIn('"empty","","","","",', csv)

    def test_human_formats_escape_what_is_not_printable(self):
        self.add_odd_plugins()
        for fmt in ('table', 'value', 'csv', 'yaml'):
            out = self.run_cli('show', '-f', fmt).stdout
            self.assertNotIn('\x1b', out, fmt)
            self.assertNotIn('\u202e', out, fmt)
            self.assertNotIn('refused: fake', out.splitlines()[0], fmt)
            for line in out.splitlines():
                self.assertFalse(line.startswith('refused'), (fmt, line))
            if fmt == 'table':  # yaml and csv quote in their own way
                self.assertIn(ESCAPED_NAME, out, fmt)
            elif fmt == 'value':  # one word per cell
                self.assertIn(ESCAPED_NAME.replace(' ', '\\x20'), out)
        yaml_rows = yaml.safe_load(self.run_cli('show', '-f', 'yaml').stdout)
        self.assertIn(ESCAPED_NAME, [r['Plugin'] for r in yaml_rows])

    def test_json_output_keeps_the_real_name(self):
        self.add_odd_plugins()
        out = self.run_cli('show', '-f', 'json').stdout
        self.assertNotIn('\x1b', out)
        rows = jsonutils.loads(out)
        self.assertIn(HOSTILE_NAME, [r['Plugin'] for r in rows])
        info = wire.deserialize(self.run_cli('show', '--wire').stdout)
        self.assertIn(HOSTILE_NAME, [p.plugin_name for p in info.plugin_info])

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
                         ('1.01', "the minor number '01' has a leading zero"),
                         ('2.0', 'HostInfo 2.0 cannot be written'),
                         ('1.9', 'HostInfo 1.9 cannot be written')):
            result = self.run_cli('show', '--target-version', bad,
                                  expect=status.USAGE)
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
                              expect=status.REFUSED)
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
            result = self.run_cli('check', '-', stdin=text,
                                  expect=status.REFUSED)
            verdict, body = result.stdout.splitlines()
            self.assertTrue(verdict.startswith('refused: Malformed payload'))
            error = jsonutils.loads(body)['error']
            # What the RPC endpoint would reply: the error's to_dict().
            self.assertEqual('host_info_error', error['code'])
            self.assertEqual('MalformedPayload', error['type'])
            self.assertEqual(path, error['details']['path'])
            self.assertEqual('refused: ' + error['message'], verdict)

    def test_refusals_validate_against_the_error_schema(self):
        newer = jsonutils.loads(self.payload())
        newer[wire.KEY_VERSION] = '1.7'
        strict = jsonschema.Draft202012Validator(schema.error_schema())
        printed = jsonutils.loads(self.run_cli(
            'schema', '--error').stdout)
        self.assertEqual(schema.error_schema(), printed)
        for text in ('not json', '[]', jsonutils.dumps(newer),
                     '{"versioned_object.version": "1.01"}',
                     ' ' * (wire.DEFAULT_MAX_SIZE + 1)):
            result = self.run_cli('check', '-', stdin=text,
                                  expect=status.REFUSED)
            body = jsonutils.loads(result.stdout.splitlines()[1])
            self.assertEqual(
                [], [e.message for e in strict.iter_errors(body)], text[:40])

    def test_leading_zero_is_named(self):
        primitive = jsonutils.loads(self.payload())
        primitive[wire.KEY_VERSION] = '1.01'
        result = self.run_cli('check', '-', stdin=jsonutils.dumps(primitive),
                              expect=status.REFUSED)
        self.assertIn("invalid version '1.01': the minor number '01' has a "
                      "leading zero", result.stdout)
        self.assertNotIn('digits only', result.stdout)

    def test_refuses_an_oversized_file_with_its_real_size(self):
        size = wire.DEFAULT_MAX_SIZE * 3 + 7
        path = self.write(' ' * size)
        reason = ('payload of %d bytes is over the limit of %d'
                  % (size, wire.DEFAULT_MAX_SIZE))
        result = self.run_cli('check', path, expect=status.REFUSED)
        self.assertIn(reason, result.stdout)
        # Standard input redirected from a file is a file too.
        with open(path) as stream:
            proc = subprocess.run([self.script, 'check', '-'], stdin=stream,
                                  capture_output=True, text=True,
                                  env=self.env, timeout=120)
        self.assertEqual(status.REFUSED, proc.returncode, proc.stderr)
        self.assertIn(reason, proc.stdout)

    def test_refuses_an_oversized_pipe_without_reading_it_all(self):
        result = self.run_cli('check', '-',
                              stdin=' ' * (wire.DEFAULT_MAX_SIZE * 2),
                              expect=status.REFUSED)
        self.assertIn('payload of more than %d bytes is over the limit of %d'
                      % ((wire.DEFAULT_MAX_SIZE,) * 2), result.stdout)

    def test_hostile_names_are_escaped(self):
        info = objects.HostInfo(plugin_info=[objects.HostPluginInfo(
            plugin_name=HOSTILE_NAME, vif_info=[])])
        result = self.run_cli('check', '-', stdin=wire.serialize(info))
        self.assertEqual('accepted: HostInfo 1.1 with 1 plugin(s): %s\n'
                         % ESCAPED_NAME, result.stdout)

    def test_unreadable_input_is_one_line(self):
        missing = os.path.join(self.useFixture(
            fixtures.TempDir()).path, 'missing.json')
        result = self.run_cli('check', missing, expect=status.UNREADABLE)
        self.assertEqual('Cannot read the payload from %s: No such file or '
                         'directory' % missing, result.stderr.strip())
        self.assertEqual('', result.stdout)
        directory = os.path.dirname(missing)
        result = self.run_cli('check', directory, expect=status.UNREADABLE)
        self.assertIn('Is a directory', result.stderr)

    def test_debug_shows_the_traceback(self):
        result = self.run_cli('--debug', 'check', '/nonexistent/x.json',
                              expect=status.UNREADABLE)
        self.assertIn('Traceback', result.stderr)
        self.assertIn('PayloadUnreadable', result.stderr)


class TestExitStatus(CLITestCase):

    def test_usage_errors_share_argparses_status(self):
        for argv in (['schema', '--version', 'x'],
                     ['show', '--target-version', 'abc'],
                     ['show', '--wire', '-f', 'json'],
                     ['check'],
                     ['nosuchcommand']):
            self.run_cli(*argv, expect=status.USAGE)

    def test_statuses_are_distinct_and_the_app_help_has_them_all(self):
        codes = [code for code, _meaning in status.TABLE]
        self.assertEqual(len(codes), len(set(codes)))
        out = ' '.join(self.run_cli('--help').stdout.split())
        self.assertIn(' '.join(status.EPILOG.split()), out)
        self.assertIn('130 interrupted', out)

    def test_each_help_lists_its_own_statuses_only(self):
        every = {code for code, _meaning in status.TABLE}
        for command in sorted(status.COMMANDS):
            out = ' '.join(self.run_cli(command, '--help').stdout.split())
            epilog = out[out.index('Exit status: '):]
            listed = {int(code) for code in re.findall(
                r'(?:: |; )(\d+) ', epilog)}
            own = {code for code, _meaning in status.command_table(command)}
            self.assertEqual(own, listed, command)
            self.assertIn(' '.join(status.epilog(command).split()), out)
            self.assertLess(len(own), len(every), command)
        # show can end neither refused nor unreachable, so says neither.
        self.assertEqual(
            {0, 1, 2, 130}, {c for c, _m in status.command_table('show')})

    def _documented_codes(self, text):
        return {int(code) for code in re.findall(r'(?m)^(\d+) {2,}\S', text)}

    def test_operators_guide_has_the_table(self):
        guide = os.path.join(os.path.dirname(__file__), '..', '..', 'doc',
                             'source', 'guides', 'operators.rst')
        with open(guide) as stream:
            text = stream.read()
        self.assertEqual({code for code, _meaning in status.TABLE},
                         self._documented_codes(text))

    def test_readme_has_the_table(self):
        readme = os.path.join(os.path.dirname(__file__), '..', '..',
                              'README.rst')
        with open(readme) as stream:
            text = ' '.join(stream.read().split())
        (listed,) = re.findall(r'exit-status table \(([^)]*)\)', text)
        self.assertEqual([code for code, _meaning in status.TABLE],
                         [int(c) for c in re.findall(r'(\d+) ', listed)])

    def test_bad_json_follows_the_rule(self):
        # check's input is what a peer sends: a network host refuses
        # text that is not JSON, so check says refused. explain's is a
        # port: text that is not JSON is not a port, so unreadable.
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'x')
        with open(path, 'w') as stream:
            stream.write('{not json')
        self.run_cli('check', path, expect=status.REFUSED)
        self.run_cli('explain', path, expect=status.UNREADABLE)
        self.assertIn('not JSON included', dict(status.TABLE)[status.REFUSED])
        self.assertIn('JSON or not', dict(status.TABLE)[status.UNREADABLE])
        self.assertIn('not JSON', status.epilog('check'))
        self.assertIn('JSON or not', status.epilog('explain'))


class TestSmallExits(CLITestCase):
    """Wrong arguments are usage errors, errors go to stderr, in one line."""

    def test_unknown_transport_is_one_usage_line(self):
        result = self.run_cli('demo', '--transport-url', 'bogus://x',
                              expect=status.USAGE)
        self.assertEqual('', result.stdout)
        self.assertEqual(
            ["argument --transport-url: no oslo.messaging driver 'bogus' "
             "is installed"],
            [line.split(' (drivers:')[0]
             for line in result.stderr.splitlines()])

    def test_unknown_column_is_a_usage_error(self):
        for argv in (['show', '-c', 'Bogus'],
                     ['show', '-c', 'Plugin', '-c', 'Bogus'],
                     ['preflight', '--offer', 'VIFBridge', '-c', 'Bogus']):
            result = self.run_cli(*argv, expect=status.USAGE)
            self.assertEqual('', result.stdout, argv)
            (line,) = result.stderr.splitlines()
            self.assertIn("no column 'Bogus'; the columns are 'Plugin'"
                          if argv[0] == 'show' else "no column 'Bogus'",
                          line)
        # cliff's own spelling of a column still works.
        out = self.run_cli('show', '-c', 'vif_type', '-f', 'value').stdout
        self.assertIn('VIFOpenVSwitch', out.split())

    def test_no_matching_vif_type_prints_nothing_on_stdout(self):
        result = self.run_cli('show', '--vif-type', 'VIFBogus', expect=1)
        self.assertEqual('', result.stdout)
        self.assertIn('no plugin offers VIF class VIFBogus', result.stderr)
        json_rows = self.run_cli('show', '-f', 'json', '--vif-type',
                                 'VIFBogus', expect=1).stdout
        self.assertEqual([], jsonutils.loads(json_rows))

    def test_unknown_command_on_stderr(self):
        result = self.run_cli('bogus', expect=status.USAGE)
        self.assertEqual('', result.stdout)
        (line,) = result.stderr.splitlines()
        self.assertIn("'bogus' is not a command", line)
        self.assertIn("see 'os-vif-hostinfo --help'", line)

    def test_value_format_splits_into_the_columns(self):
        self.add_odd_plugins()
        out = self.run_cli('show', '-f', 'value').stdout
        expected = {(r['Plugin'], r['VIF type'] or '-')
                    for r in jsonutils.loads(
                        self.run_cli('show', '-f', 'json').stdout)}
        got = set()
        for line in out.splitlines():
            # As "read plugin vif min max profiles source" splits it.
            plugin_name, vif, low, high, profiles, source = line.split(
                ' ', 5)
            got.add((plugin_name, vif))
            self.assertNotIn(' ', profiles)
            self.assertTrue(source, line)
        self.assertEqual({(output.printable(p).replace(' ', '\\x20'), v)
                          for p, v in expected}, got)


ROOT = os.path.join(os.path.dirname(__file__), '..', '..')


class TestCompletionAndManPage(CLITestCase):
    """Bash completion is documented; the manual page is built, installed."""

    def commands(self):
        return sorted(ep.name for ep in importlib.metadata.entry_points(
            group='os_vif_hostinfo.cli'))

    def test_complete_covers_every_command(self):
        script = self.run_cli('complete').stdout
        self.assertIn('complete -F _os_vif_hostinfo os-vif-hostinfo', script)
        (cmds,) = re.findall(r"cmds='([^']*)'", script)
        self.assertLessEqual(set(self.commands()), set(cmds.split()))

    def test_completion_is_documented(self):
        for path in (('doc', 'source', 'guides', 'operators.rst'),
                     ('doc', 'source', 'reference', 'cli.rst'),
                     ('README.rst',)):
            with open(os.path.join(ROOT, *path)) as stream:
                self.assertIn('source <(os-vif-hostinfo complete)',
                              ' '.join(stream.read().split()), path)

    def conf(self):
        path = os.path.join(ROOT, 'doc', 'source', 'conf.py')
        namespace = {'__file__': path}
        with open(path) as stream:
            exec(compile(stream.read(), path, 'exec'), namespace)
        return namespace

    def test_man_page_is_configured_and_covers_every_command(self):
        ((source, name, _desc, _authors, section),) = self.conf()[
            'man_pages']
        self.assertEqual(('os-vif-hostinfo', 1), (name, section))
        with open(os.path.join(ROOT, 'doc', 'source', source + '.rst')) as f:
            page = f.read()
        for command in self.commands():
            self.assertIn('program-output:: os-vif-hostinfo %s --help'
                          % command, page)
        self.assertIn('status.TABLE', page)
        self.assertIn('reference/cli', open(os.path.join(
            ROOT, 'doc', 'source', 'index.rst')).read())

    def test_docs_build_the_man_page_and_setup_installs_it(self):
        tox = configparser.ConfigParser()
        tox.read(os.path.join(ROOT, 'tox.ini'))
        self.assertRegex(tox['testenv:docs']['commands'],
                         r'sphinx-build .*-b man .*doc/build/man')
        setup = configparser.ConfigParser()
        setup.read(os.path.join(ROOT, 'setup.cfg'))
        self.assertIn('share/man/man1 = doc/build/man/*',
                      setup['files']['data_files'])


class TestWithoutTheExtra(base.TestCase):
    """The console script installed without the ``cli`` extra."""

    def blocked(self, *modules):
        # sitecustomize runs before the script: the modules cannot be
        # imported, as if they were not installed.
        path = self.useFixture(fixtures.TempDir()).path
        with open(os.path.join(path, 'sitecustomize.py'), 'w') as stream:
            stream.write('import sys\n')
            for module in modules:
                stream.write('sys.modules[%r] = None\n' % module)
        return dict(os.environ, PYTHONPATH=path, PYTHONWARNINGS='ignore')

    def test_one_line_says_what_to_install(self):
        for argv in (['show'], ['--help'], []):
            proc = subprocess.run(
                [_console_script()] + argv, capture_output=True, text=True,
                env=self.blocked('cliff'), timeout=120)
            self.assertEqual(status.FAILED, proc.returncode)
            self.assertEqual('', proc.stdout)
            self.assertEqual(
                status.MISSING_EXTRA % 'cliff' + '\n', proc.stderr)
            # Both forms: the package is not on every index.
            self.assertIn("pip install '.[cli]' in a clone", proc.stderr)
            self.assertIn("pip install 'os-vif-hostinfo[cli]'", proc.stderr)

    def test_the_library_still_imports(self):
        proc = subprocess.run(
            [sys.executable, '-c', 'import os_vif_hostinfo, '
             'os_vif_hostinfo.cli; print(os_vif_hostinfo.host_info())'],
            capture_output=True, text=True, env=self.blocked('cliff'),
            timeout=120)
        self.assertEqual(0, proc.returncode, proc.stderr)


class TestOutputHelpers(base.TestCase):

    def test_printable(self):
        for raw, shown in (('plain', 'plain'), ('caf\u00e9', 'caf\u00e9'),
                           ('a\nb', 'a\\nb'), ('\t\r', '\\t\\r'),
                           ('\x1b[0m', '\\x1b[0m'), ('\x85', '\\x85'),
                           ('\ud800', '\\ud800'), ('\u2028', '\\u2028'),
                           ('\U000e0001', '\\U000e0001')):
            self.assertEqual(shown, output.printable(raw), repr(raw))
            self.assertTrue(output.printable(raw).isprintable())

    def test_cells_for_json_are_untouched(self):
        rows = [('a\nb', None)]
        self.assertEqual(rows, output.cells_for('json', rows))
        self.assertEqual([('a\\nb', '')], output.cells_for('table', rows))
        self.assertEqual([('a\\nb', None)], output.cells_for('yaml', rows))


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
