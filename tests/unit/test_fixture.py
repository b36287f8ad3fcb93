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

import fixtures

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
        self.assertRaises(RuntimeError, plugins.host_info)
        with plugins:
            self.assertTrue(plugins.host_info().has_plugin('named'))
        self.assertIsNone(plugins.provider)

    def test_no_entry_points_needed(self):
        def forbidden(*args, **kwargs):
            raise AssertionError('entry points or os-vif were consulted')
        self.useFixture(fixtures.MonkeyPatch(
            'importlib.metadata.entry_points', forbidden))
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo._osvif.import_os_vif', forbidden))
        provider = fixture.make_provider({'a': Named()})
        self.assertEqual('TESTING', provider.namespace)
        self.assertIsNone(provider.os_vif_namespace)
        info = provider.host_info()
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
