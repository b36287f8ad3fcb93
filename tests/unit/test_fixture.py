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

import ast
import configparser
import importlib
import importlib.metadata
import pathlib
import sys
from unittest import mock

from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import fixture
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from tests import base


class Named(plugin.PluginBase):

    def __init__(self, name='named', vif='VIFBridge'):
        self.name = name
        self.vif = vif

    def describe(self):
        return objects.HostPluginInfo(plugin_name=self.name, vif_info=[
            objects.HostVIFInfo(vif_object_name=self.vif, min_version='1.0',
                                max_version='1.0')])


class Broken(plugin.PluginBase):

    def describe(self):
        raise ValueError('no bridge')


class TestPluginFixture(base.TestCase):

    def test_instances_and_classes_by_name(self):
        plugins = self.useFixture(fixture.PluginFixture(
            {'b': Named('zeta'), 'a': Named}))
        self.assertEqual([], plugins.failures)
        info = plugins.host_info()
        self.assertEqual(['named', 'zeta'],
                         [p.plugin_name for p in info.plugin_info])
        self.assertIsInstance(plugins.provider, discovery.HostInfoProvider)

    def test_sequence_named_by_position(self):
        plugins = self.useFixture(fixture.PluginFixture(
            [Named('one'), Named('one', 'VIFOpenVSwitch')]))
        info = plugins.host_info()
        self.assertEqual('VIFBridge',
                         info.get_plugin('one').vif_info[0].vif_object_name)
        self.assertEqual(['plugin-01'],
                         [f.entry_point for f in plugins.failures])

    def test_broken_plugins_are_isolated_as_on_a_host(self):
        plugins = self.useFixture(fixture.PluginFixture({
            'good': Named(), 'raises': Broken(), 'abstract': plugin.PluginBase,
            'not_plugin': object(), 'not_class': len}))
        self.assertEqual(['named'], [p.plugin_name
                                     for p in plugins.host_info().plugin_info])
        reasons = {f.entry_point: f.reason for f in plugins.failures}
        self.assertEqual(['abstract', 'not_class', 'not_plugin', 'raises'],
                         sorted(reasons))
        self.assertEqual('describe() raised ValueError: no bridge',
                         reasons['raises'])
        self.assertIn('not a PluginBase', reasons['not_plugin'])
        self.assertIn('builtins.object', reasons['not_plugin'])
        self.assertIn('creating', reasons['abstract'])
        self.assertIsInstance(plugins.failures[0], exception.PluginLoadError)

    def test_filter(self):
        plugins = self.useFixture(fixture.PluginFixture(
            {'a': Named('a'), 'b': Named('b', 'VIFOpenVSwitch')}))
        self.assertEqual(['b'], [p.plugin_name for p in plugins.host_info(
            ['VIFOpenVSwitch']).plugin_info])

    def test_not_set_up(self):
        plugins = fixture.PluginFixture({'a': Named()})
        for use in (plugins.host_info, lambda: plugins.failures):
            exc = self.assertRaises(exception.FixtureNotSetUp, use)
            self.assertEqual('PluginFixture is not set up: use it with '
                             'useFixture() or as a context manager', str(exc))
            # Code written against the RuntimeError it used to be still
            # catches it.
            self.assertIsInstance(exc, RuntimeError)
        with plugins:
            self.assertTrue(plugins.host_info().has_plugin('named'))
        self.assertIsNone(plugins.provider)

    def test_no_entry_points_needed(self):
        forbidden = AssertionError('entry points or os-vif were consulted')
        with mock.patch('importlib.metadata.entry_points',
                        side_effect=forbidden), \
                mock.patch('importlib.metadata.distributions',
                           side_effect=forbidden), \
                mock.patch('os_vif_hostinfo._osvif.import_os_vif',
                           side_effect=forbidden):
            provider = fixture.make_provider({'a': Named()})
            info = provider.host_info()
        self.assertEqual('TESTING', provider.namespace)
        self.assertIsNone(provider.os_vif_namespace)
        self.assertEqual(['named'], [p.plugin_name for p in info.plugin_info])
        self.assertEqual([], provider.failures)
        self.assertEqual(plugin.PluginSource(
            plugin.KIND_PLUGIN, 'a', '%s.Named' % __name__),
            provider.sources['named'])


class TestMakeExtension(base.TestCase):

    def test_class(self):
        ext = fixture.make_extension('x', Named)
        self.assertIs(Named, ext.plugin)
        self.assertIsNone(ext.obj)
        self.assertEqual('x', ext.name)

    def test_instance(self):
        obj = Named()
        ext = fixture.make_extension('x', obj)
        self.assertIs(Named, ext.plugin)
        self.assertIs(obj, ext.obj)


class TestWithoutFixtures(base.TestCase):
    """The fixtures package is a test requirement, not a runtime one."""

    def test_missing_fixtures_is_one_clear_error(self):
        with mock.patch.dict(sys.modules):
            # None in sys.modules makes an import fail as if not installed.
            sys.modules['fixtures'] = None
            sys.modules.pop('os_vif_hostinfo.fixture', None)
            exc = self.assertRaises(exception.MissingDependency,
                                    importlib.import_module,
                                    'os_vif_hostinfo.fixture')
        self.assertEqual(
            "os_vif_hostinfo.fixture needs the fixtures package, which is "
            "not installed: pip install '.[test]' in a clone of "
            "os_vif_hostinfo, or pip install 'os-vif-hostinfo[test]' from "
            "a package index", str(exc))
        self.assertIsInstance(exc, ImportError)
        # No "During handling of the above exception" chain to read.
        self.assertTrue(exc.__suppress_context__)
        self.assertIsNone(exc.__cause__)
        # The real module is back for the other tests.
        self.assertIs(fixture, sys.modules['os_vif_hostinfo.fixture'])

    def test_the_test_extra_installs_what_the_fixture_imports(self):
        root = pathlib.Path(__file__).parents[2]
        setup_cfg = configparser.ConfigParser()
        setup_cfg.read(root / 'setup.cfg')
        extra = requirement_names(setup_cfg['extras']['test'])
        runtime = requirement_names(
            (root / 'requirements.txt').read_text())
        # Every third-party package fixture.py imports (read from the
        # installed distributions, not from a list kept here).
        needed = set()
        for module in third_party_imports(pathlib.Path(fixture.__file__)):
            for dist in importlib.metadata.packages_distributions()[module]:
                needed.add(canonical(dist))
        self.assertIn('fixtures', needed)
        self.assertEqual(set(), needed - extra - runtime)
        # The extra holds only what the fixture needs beyond the runtime.
        self.assertEqual(extra, needed - runtime)


def canonical(name):
    return name.lower().replace('_', '-').replace('.', '-')


def requirement_names(text):
    """Distribution names in requirements text (one a line, # comments)."""
    names = set()
    for line in text.splitlines():
        line = line.split('#', 1)[0].strip()
        if line:
            for stop in '<>=!~;[ ':
                line = line.split(stop, 1)[0]
            names.add(canonical(line))
    return names


def third_party_imports(path):
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split('.')[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.add(node.module.split('.')[0])
    return {name for name in found
            if name not in sys.stdlib_module_names
            and name not in ('os_vif_hostinfo', '__future__')}
