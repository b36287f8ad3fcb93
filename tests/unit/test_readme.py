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

"""The README (and the plugin author's guide) stay true.

Every Python block of README.rst runs, in order, in a fresh interpreter
(:mod:`tests.readme`); the entry-point snippets parse and agree; every
command line the README shows parses with the real command's options and
names extras and tox environments that exist.
"""

import ast
import configparser
import contextlib
import importlib.metadata
import io
import os
import pathlib
import re
import shlex
import subprocess
import sys

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None

from os_vif_hostinfo import plugin
from tests import base
from tests import readme

ROOT = pathlib.Path(__file__).parents[2]
README = ROOT / 'README.rst'
PLUGIN_GUIDE = ROOT / 'doc' / 'source' / 'guides' / 'plugin-authors.rst'
EXAMPLES = ROOT / 'doc' / 'source' / 'examples'


def read_blocks(path):
    return readme.blocks(path.read_text(encoding='utf-8'))


def defined_names(code):
    """Names a block binds at its top level (assignments, defs, imports)."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split('.')[0]
                         for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


class TestBlocks(base.TestCase):
    """The block reader itself."""

    TEXT = '\n'.join([
        'Intro naming ``x``:',
        '',
        '.. code-block:: python',
        '   :caption: one',
        '',
        '    a = 1',
        '',
        '    b = a',
        '',
        'Then a literal block::',
        '',
        '    $ echo hi',
        '',
        '.. code-block:: ini',
        '',
        '    [s]',
        '    k = v',
        'Not code.',
    ])

    def test_kinds_lines_and_code(self):
        found = readme.blocks(self.TEXT)
        self.assertEqual(['python', 'shell', 'ini'],
                         [b.lang for b in found])
        self.assertEqual([6, 12, 16], [b.line for b in found])
        self.assertEqual(['a = 1\n\nb = a', '$ echo hi', '[s]\nk = v'],
                         [b.code for b in found])
        self.assertIn('``x``', found[0].intro)
        self.assertEqual('Then a literal block::', found[1].intro.strip())

    def test_used_names_include_nested_functions(self):
        self.assertEqual({'f', 'send', 'hi', 'g'}, readme.used_names(
            'def f():\n    return send(hi.g)\n'))

    def test_stand_ins_only_where_undefined(self):
        self.assertEqual(['payload', 'send'], readme.stand_ins_for(
            'send(payload)', set()))
        self.assertEqual([], readme.stand_ins_for('send(1)', {'send'}))


class TestReadmePython(base.TestCase):

    def setUp(self):
        super().setUp()
        self.blocks = read_blocks(README)
        self.python = [b for b in self.blocks if b.lang == 'python']

    def test_blocks_are_found(self):
        self.assertGreaterEqual(len(self.python), 5)
        self.assertEqual(set(), {'python', 'toml', 'ini', 'shell'}
                         - {b.lang for b in self.blocks})

    def test_names_left_to_the_reader_are_named(self):
        # A stand-in is only supplied for a name the README tells the
        # reader about, in the text before the block or in its comments.
        defined = set()
        seen = set()
        for block in self.python:
            comments = '\n'.join(line for line in block.code.splitlines()
                                 if line.strip().startswith('#'))
            for name in readme.stand_ins_for(block.code, defined):
                seen.add(name)
                self.assertRegex(
                    block.intro + comments, r'``%s\b' % re.escape(name),
                    'README.rst line %d uses %s without saying what it is'
                    % (block.line, name))
            defined |= defined_names(block.code)
        # The README's network-host half and the plugin test do need them.
        self.assertTrue({'send', 'payload', 'self'} <= seen, seen)

    def run_readme(self, *options):
        env = dict(os.environ, PYTHONWARNINGS='ignore')
        result = subprocess.run(
            [sys.executable, '-m', 'tests.readme'] + list(options)
            + [str(README)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        output = result.stdout + result.stderr
        self.assertEqual(0, result.returncode, output)
        ran = re.findall(r'^ok: block at .* line (\d+)', result.stdout,
                         re.MULTILINE)
        self.assertEqual([str(b.line) for b in self.python], ran, output)
        return result.stdout

    def test_python_blocks_run_in_order(self):
        # A fresh interpreter: nothing imported os-vif or registered its
        # classes, as on a newcomer's machine.
        out = self.run_readme()
        self.assertNotIn('needs os-vif', out)

    def test_python_blocks_run_without_os_vif(self):
        # As after a bare "pip install .": every block runs, and the two
        # that need os-vif (the network host's half, and the ML2 side)
        # fail as the README says they do, with the fix in the message.
        out = self.run_readme('--without-os-vif')
        needing = [b for b in self.python if readme.says_needs_os_vif(b)]
        self.assertEqual(2, len(needing), [b.line for b in needing])
        for block in needing:
            self.assertRegex(out, r'line %d \(stand-ins: [^)]*\); needs '
                                  r'os-vif, as the README says' % block.line)
        self.assertEqual(2, out.count('needs os-vif'), out)

    def test_hiding_os_vif_is_real(self):
        code = ('import sys; from tests import readme; readme.hide_os_vif(); '
                'import os_vif')
        result = subprocess.run([sys.executable, '-c', code], cwd=ROOT,
                                capture_output=True, text=True, timeout=60)
        self.assertNotEqual(0, result.returncode)
        self.assertIn('ModuleNotFoundError', result.stderr)


def entry_points_from_toml(code):
    data = tomllib.loads(code)
    return {group: dict(items)
            for group, items in data['project']['entry-points'].items()}


def entry_points_from_ini(code):
    """pbr's ``[entry_points]``: group = lines of ``name = module:attr``."""
    parser = configparser.ConfigParser()
    parser.read_string(code)
    groups = {}
    for group, text in parser['entry_points'].items():
        entries = {}
        for line in text.strip().splitlines():
            name, _sep, value = line.partition('=')
            entries[name.strip()] = value.strip()
        groups[group] = entries
    return groups


class TestEntryPointSnippets(base.TestCase):
    """pyproject.toml first, pbr's setup.cfg second, naming the same."""

    def setUp(self):
        super().setUp()
        if tomllib is None:
            self.skipTest('tomllib needs Python 3.11')

    def _snippets(self, path):
        found = [b for b in read_blocks(path) if b.lang in ('toml', 'ini')]
        self.assertEqual(['toml', 'ini'], [b.lang for b in found],
                         '%s: pyproject.toml first, then setup.cfg' % path)
        toml, ini = found
        self.assertIn('pbr', ini.intro)
        return entry_points_from_toml(toml.code), entry_points_from_ini(
            ini.code)

    def _check(self, path, defined_in):
        from_toml, from_ini = self._snippets(path)
        self.assertEqual(from_toml, from_ini, path)
        self.assertEqual([plugin.NAMESPACE], list(from_toml), path)
        (name, value), = from_toml[plugin.NAMESPACE].items()
        entry_point = importlib.metadata.EntryPoint(name, value,
                                                    plugin.NAMESPACE)
        self.assertTrue(entry_point.module, value)
        self.assertIn(entry_point.attr, defined_in, path)
        return entry_point

    def test_readme(self):
        classes = set()
        for block in read_blocks(README):
            if block.lang == 'python':
                classes |= defined_names(block.code)
        entry_point = self._check(README, classes)
        self.assertEqual('MyPlugin', entry_point.attr)

    def test_plugin_authors_guide(self):
        example = (EXAMPLES / 'sriov_plugin.py').read_text()
        self._check(PLUGIN_GUIDE, defined_names(example))

    def test_ini_reader_reads_pbr_as_pbr_installs_it(self):
        # This project is built with pbr: its own [entry_points], read the
        # way the snippet is, names exactly the plugins installed.
        ours = entry_points_from_ini((ROOT / 'setup.cfg').read_text())
        installed = {ep.name: ep.value for ep in
                     importlib.metadata.entry_points(group=plugin.NAMESPACE)}
        self.assertEqual(installed, ours[plugin.NAMESPACE])


def setup_cfg():
    parser = configparser.ConfigParser()
    parser.read(ROOT / 'setup.cfg')
    return parser


def extras():
    return set(setup_cfg()['extras'])


def tox_envs():
    parser = configparser.ConfigParser()
    parser.read(ROOT / 'tox.ini')
    envs = {s.split(':', 1)[1] for s in parser.sections()
            if s.startswith('testenv:')}
    envs.update(e.strip() for e in parser['tox']['envlist'].split(','))
    return envs


def is_tox_env(name):
    return name in tox_envs() or re.fullmatch(r'py3\d*', name) is not None


class TestReadmeCommands(base.TestCase):

    def setUp(self):
        super().setUp()
        self.text = README.read_text(encoding='utf-8')
        self.lines = []
        for block in read_blocks(README):
            if block.lang == 'shell':
                for line in block.code.splitlines():
                    self.lines.extend(self._commands(line))

    @staticmethod
    def _commands(line):
        """The commands of one shell line, split at ``&&``."""
        command = []
        for word in shlex.split(line, comments=True) + ['&&']:
            if word != '&&':
                command.append(word)
            elif command:
                yield command
                command = []

    @staticmethod
    def _strip_redirections(words):
        for i, word in enumerate(words):
            if word in ('>', '<', '|', '2>'):
                return words[:i]
        return words

    def _parse_cli(self, argv):
        from os_vif_hostinfo import cli
        app = cli.HostInfoApp()
        factory, name, rest = app.command_manager.find_command(argv)
        command = factory(app, None, cmd_name=name)
        parser = command.get_parser('os-vif-hostinfo ' + name)
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            try:
                parser.parse_args(rest)
            except SystemExit:
                self.fail('README: os-vif-hostinfo %s: %s'
                          % (' '.join(argv), errors.getvalue()))

    def test_commands_are_found(self):
        programs = {tuple(words[:1]) for words in self.lines}
        self.assertIn(('os-vif-hostinfo',), programs)
        self.assertGreaterEqual(
            sum(1 for w in self.lines if w[0] == 'os-vif-hostinfo'), 5)

    def test_every_command_line_parses(self):
        for words in self.lines:
            words = self._strip_redirections(words)
            if words[0] == 'os-vif-hostinfo':
                self._parse_cli(words[1:])
            elif words[:4] == ['python3', '-m', 'pip', 'install']:
                for spec in words[4:]:
                    wanted = re.findall(r'\[([\w,-]+)\]', spec)
                    for extra in ','.join(wanted).split(','):
                        if extra:
                            self.assertIn(extra, extras(), spec)
            elif words[:3] == ['python3', '-m', 'venv']:
                self.assertEqual(4, len(words), words)
            elif words[0] in ('.', 'source'):
                self.assertRegex(words[1], r'^[\w.]+/bin/activate$')
            elif words[:3] == ['python3', '-m', 'tox'] or words[0] == 'tox':
                rest = words[3:] if words[0] == 'python3' else words[1:]
                if '-e' in rest:
                    for env in rest[rest.index('-e') + 1].split(','):
                        self.assertTrue(is_tox_env(env), env)
            else:
                self.fail('README shows %r, which this test does not check'
                          % ' '.join(words))

    def test_quick_start_installs_into_a_venv(self):
        # Debian's and Ubuntu's system Python refuse pip install outside a
        # venv (externally-managed-environment): the first command makes
        # one, activates it, and only then installs.
        quick = [b for b in read_blocks(README) if b.lang == 'shell'][0]
        first = list(self._commands(quick.code.splitlines()[0]))
        self.assertEqual(['python3', '-m', 'venv'], first[0][:3])
        venv = first[0][3]
        self.assertEqual(['.', '%s/bin/activate' % venv], first[1])
        self.assertEqual(['python3', '-m', 'pip', 'install'], first[2][:4])
        self.assertEqual(['os-vif-hostinfo', 'demo'], first[-1])
        after = self.text.split(quick.code.splitlines()[-1], 1)[1]
        self.assertIn('externally-managed-environment', after[:800])

    def test_install_hints_in_both_forms(self):
        # The package is not on every index: each extra named by package
        # name is also named in the form that works in a clone.
        by_name = set(re.findall(r"os-vif-hostinfo\[([\w-]+)\]", self.text))
        in_clone = set(re.findall(r"'\.\[([\w-]+)\]'", self.text))
        self.assertTrue({'test', 'rpc', 'neutron'} <= by_name, by_name)
        self.assertEqual(set(), by_name - in_clone)

    def test_a_bad_option_is_caught(self):
        self.assertRaises(self.failureException, self._parse_cli,
                          ['show', '--no-such-option'])

    def test_extras_named_in_the_text_exist(self):
        named = re.findall(r"os-vif-hostinfo\[([\w-]+)\]|'\.\[([\w-]+)\]'",
                           self.text)
        names = {a or b for a, b in named}
        self.assertTrue({'cli', 'rpc', 'test'} <= names, names)
        self.assertEqual(set(), names - extras())

    def test_tox_envs_named_in_the_text_exist(self):
        named = set(re.findall(r'tox -e ([\w-]+)', self.text))
        self.assertIn('docs', named)
        self.assertEqual([], sorted(e for e in named if not is_tox_env(e)))

    def test_config_generator_namespace_exists(self):
        named = set(re.findall(r'oslo-config-generator --namespace (\S+?)``',
                               self.text))
        self.assertTrue(named)
        declared = {line.split('=')[0].strip() for line in
                    setup_cfg()['entry_points']['oslo.config.opts']
                    .strip().splitlines()}
        self.assertEqual(set(), named - declared)
