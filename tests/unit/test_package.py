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

"""The package as a whole: which of its modules import which.

Dependencies point one way (objects <- wire <- negotiation <- adapters and
CLI); the core never imports a transport or the CLI. Read from the source
with :mod:`ast`, so an import inside a function counts as much as one at
the top of a module.
"""

import ast
import pathlib

import fixtures

import os_vif_hostinfo
from tests import base

PACKAGE = 'os_vif_hostinfo'
ROOT = pathlib.Path(os_vif_hostinfo.__file__).parent

#: Subpackages built on the core that the core must not import.
ADAPTERS = ('os_vif_hostinfo.cli', 'os_vif_hostinfo.rpc',
            'os_vif_hostinfo.neutron')


def module_files():
    """Module name -> source file, for every module of the package."""
    found = {}
    for path in ROOT.rglob('*.py'):
        parts = list(path.relative_to(ROOT.parent).with_suffix('').parts)
        if parts[-1] == '__init__':
            parts.pop()
        found['.'.join(parts)] = path
    return found


def imports_of(name, path, modules):
    """The package's modules that module ``name`` imports, anywhere in it."""
    is_package = path.name == '__init__.py'
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                here = name.split('.') if is_package else name.split(
                    '.')[:-1]
                here = here[:len(here) - node.level + 1]
                source = '.'.join(here + [node.module] if node.module
                                  else here)
            else:
                source = node.module or ''
            for alias in node.names:
                target = '%s.%s' % (source, alias.name)
                found.add(target if target in modules else source)
    return {target for target in found
            if target in modules and target != name}


def import_graph():
    modules = module_files()
    return {name: imports_of(name, path, modules)
            for name, path in modules.items()}


def find_cycle(graph):
    """One import cycle as a list of modules (first repeated last), or []."""
    state = {}

    def visit(node, trail):
        state[node] = 'open'
        trail.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 'open':
                return trail[trail.index(target):] + [target]
            if target not in state:
                cycle = visit(target, trail)
                if cycle:
                    return cycle
        trail.pop()
        state[node] = 'done'
        return []

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return []


def under(name, prefixes):
    return any(name == p or name.startswith(p + '.') for p in prefixes)


class TestFindCycle(base.TestCase):
    """The helper itself finds a cycle when there is one."""

    def test_cycle(self):
        self.assertEqual(['a', 'b', 'c', 'a'], find_cycle(
            {'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': {'a'}}))

    def test_no_cycle(self):
        self.assertEqual([], find_cycle({'a': {'b', 'c'}, 'b': {'c'},
                                         'c': set()}))

    def test_lazy_import_counts(self):
        # The circle this package used to have: a function-level import.
        path = pathlib.Path(self.useFixture(fixtures.TempDir()).path,
                            'exception.py')
        path.write_text('def f():\n    from os_vif_hostinfo import versions\n')
        self.assertEqual({'os_vif_hostinfo.versions'}, imports_of(
            'os_vif_hostinfo.exception', path, module_files()))


class TestImportGraph(base.TestCase):

    def setUp(self):
        super().setUp()
        self.graph = import_graph()

    def test_the_graph_is_read(self):
        self.assertIn('os_vif_hostinfo.exception',
                      self.graph['os_vif_hostinfo.versions'])
        self.assertIn('os_vif_hostinfo._hostobject',
                      self.graph['os_vif_hostinfo.objects'])

    def test_no_cycles(self):
        self.assertEqual([], find_cycle(self.graph))

    def test_exception_depends_on_nothing_but_version_syntax(self):
        self.assertEqual({'os_vif_hostinfo._version_syntax'},
                         self.graph['os_vif_hostinfo.exception'])
        self.assertEqual(set(),
                         self.graph['os_vif_hostinfo._version_syntax'])

    def test_objects_do_not_import_the_wire_or_above(self):
        above = {'os_vif_hostinfo.wire', 'os_vif_hostinfo.negotiation',
                 'os_vif_hostinfo.discovery', 'os_vif_hostinfo'}
        for name in ('os_vif_hostinfo.objects', 'os_vif_hostinfo._hostobject',
                     'os_vif_hostinfo.versions'):
            self.assertEqual(set(), self.graph[name] & above, name)

    def test_the_core_imports_no_adapter_or_cli(self):
        for name, targets in sorted(self.graph.items()):
            if under(name, ADAPTERS):
                continue
            self.assertEqual([], sorted(t for t in targets
                                        if under(t, ADAPTERS)), name)

    def test_transports_do_not_import_each_other(self):
        transports = ('os_vif_hostinfo.rpc', 'os_vif_hostinfo.neutron')
        for name, targets in self.graph.items():
            for transport in transports:
                if under(name, [transport]):
                    others = [t for t in transports if t != transport]
                    self.assertEqual(
                        [], sorted(t for t in targets if under(t, others)),
                        name)
