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

import logging
import uuid

import fixtures
import hypothesis
from hypothesis import strategies as st

import os_vif_hostinfo
from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import fixture
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from tests import base
from tests import entry_points
from tests import strategies

#: What the real namespaces describe here: os-vif 5.3.0's plugins
#: (installed with the tests), which stand over the static descriptions.
SHIPPED = ['noop', 'ovs']


def _namespace():
    return 'os_vif_hostinfo.tests.%s' % uuid.uuid4().hex


def _provider(group):
    """A provider of ``group`` alone, without os-vif's plugins."""
    return discovery.HostInfoProvider(group, os_vif_namespace=None)


class DiscoveryTestCase(base.TestCase):
    """Real entry points in a temporary distribution on sys.path."""

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name=discovery.LOG.name, level=logging.WARNING,
            format='%(levelname)s %(message)s'))

    def declare(self, pairs, group=None):
        group = group or _namespace()
        self.useFixture(entry_points.EntryPointsFixture(pairs, group))
        return group

    def discover(self, *pairs):
        """Declare ``good`` and ``pairs``; return the provider."""
        group = self.declare([('good', 'good:Good')] + list(pairs))
        return _provider(group)

    def assertLeftOut(self, provider, name, *reason_parts):
        info = provider.host_info()
        self.assertEqual(['good'],
                         [p.plugin_name for p in info.plugin_info])
        failures = provider.failures
        self.assertEqual([name], [f.entry_point for f in failures])
        for part in reason_parts:
            self.assertIn(part, failures[0].reason)
        self.assertIsInstance(failures[0], exception.PluginLoadError)
        self.assertIn('WARNING Plugin %s left out: %s'
                      % (name, failures[0].reason),
                      self.log.output)
        return failures[0]


class TestIsolation(DiscoveryTestCase):

    def test_good_plugin(self):
        provider = self.discover()
        info = provider.host_info()
        self.assertEqual(['good'], [p.plugin_name for p in info.plugin_info])
        self.assertEqual('VIFBridge',
                         info.plugin_info[0].vif_info[0].vif_object_name)
        self.assertEqual([], provider.failures)
        self.assertEqual('', self.log.output)
        [source] = provider.sources.values()
        package = source.distribution
        self.assertTrue(package.startswith('hostinfo_test_'), package)
        self.assertEqual(plugin.PluginSource(
            plugin.KIND_PLUGIN, 'good', '%s.good:Good' % package, package),
            source)

    def test_module_does_not_import(self):
        provider = self.discover(('broken', 'import_error:Plugin'))
        self.assertLeftOut(provider, 'broken', 'cannot load',
                           'import_error:Plugin', 'ModuleNotFoundError',
                           'os_vif_hostinfo_no_such_backend')

    def test_module_has_a_syntax_error(self):
        provider = self.discover(('broken', 'syntax_error:Plugin'))
        self.assertLeftOut(provider, 'broken', 'SyntaxError')

    def test_module_lacks_the_attribute(self):
        provider = self.discover(('broken', 'good:NoSuchClass'))
        self.assertLeftOut(provider, 'broken', 'AttributeError',
                           'NoSuchClass')

    def test_module_asserts_on_import(self):
        # stevedore re-raises AssertionError; discovery must not.
        provider = self.discover(('broken', 'asserts:Plugin'))
        self.assertLeftOut(provider, 'broken', 'AssertionError',
                           'needs a newer kernel')

    def test_module_exits_on_import(self):
        provider = self.discover(('broken', 'exits:Plugin'))
        self.assertLeftOut(provider, 'broken', 'SystemExit',
                           'plugin gave up')

    def test_class_is_not_a_plugin_base(self):
        provider = self.discover(('broken', 'good:NotAPlugin'))
        self.assertLeftOut(provider, 'broken', 'good:NotAPlugin',
                           'the class', 'NotAPlugin',
                           'not a PluginBase subclass')

    def test_entry_point_is_a_function(self):
        provider = self.discover(('broken', 'good:not_a_class'))
        self.assertLeftOut(provider, 'broken', 'the callable',
                           'not_a_class', 'not a PluginBase subclass')

    def test_entry_point_may_be_a_plugin_instance(self):
        provider = self.discover(('instance', 'good:INSTANCE'))
        info = provider.host_info()
        # Both describe plugin 'good': the instance's entry point name
        # sorts after 'good', so it is the duplicate.
        self.assertEqual(['good'], [p.plugin_name for p in info.plugin_info])
        self.assertEqual(['instance'],
                         [f.entry_point for f in provider.failures])
        self.assertIn('already described', provider.failures[0].reason)

    def test_class_needs_arguments(self):
        provider = self.discover(('broken', 'good:NeedsConfig'))
        self.assertLeftOut(provider, 'broken', 'creating', 'NeedsConfig',
                           'TypeError', 'config')

    def test_class_is_abstract(self):
        provider = self.discover(('broken', 'good:Abstract'))
        self.assertLeftOut(provider, 'broken', 'creating', 'TypeError',
                           'abstract')

    def test_describe_raises(self):
        provider = self.discover(('broken', 'good:Raises'))
        self.assertLeftOut(provider, 'broken', 'describe() raised',
                           'RuntimeError: backend daemon is down')

    def test_describe_returns_a_dict(self):
        provider = self.discover(('broken', 'good:ReturnsDict'))
        self.assertLeftOut(provider, 'broken', 'returned a builtins.dict',
                           'not an os_vif_hostinfo HostPluginInfo')

    def test_describe_returns_none(self):
        provider = self.discover(('broken', 'good:ReturnsNone'))
        self.assertLeftOut(provider, 'broken', 'NoneType')

    def test_describe_builds_min_above_max(self):
        provider = self.discover(('broken', 'good:MinAboveMax'))
        self.assertLeftOut(provider, 'broken', 'InvalidVersionRange',
                           '1.3', '1.1')

    def test_describe_builds_garbage_versions(self):
        provider = self.discover(('broken', 'good:GarbageVersion'))
        self.assertLeftOut(provider, 'broken', 'InvalidVersion', "'one'")

    def test_garbage_version_past_the_setters(self):
        provider = self.discover(('broken', 'good:SneakyVersion'))
        self.assertLeftOut(provider, 'broken', 'invalid HostPluginInfo',
                           "'v1.x'")

    def test_min_above_max_past_the_setters(self):
        provider = self.discover(('broken', 'good:SneakyRange'))
        self.assertLeftOut(provider, 'broken', 'invalid HostPluginInfo',
                           'min_version 2.0 is greater than max_version '
                           '1.0')

    def test_incomplete_description(self):
        provider = self.discover(('broken', 'good:Incomplete'))
        self.assertLeftOut(provider, 'broken', 'invalid HostPluginInfo',
                           'plugin_name')

    def test_every_failure_at_once(self):
        broken = [
            ('b01', 'import_error:Plugin'), ('b02', 'syntax_error:P'),
            ('b03', 'asserts:P'), ('b04', 'exits:P'),
            ('b05', 'good:Missing'), ('b06', 'good:NotAPlugin'),
            ('b07', 'good:not_a_class'), ('b08', 'good:NeedsConfig'),
            ('b09', 'good:Abstract'), ('b10', 'good:Raises'),
            ('b11', 'good:ReturnsDict'), ('b12', 'good:ReturnsNone'),
            ('b13', 'good:MinAboveMax'), ('b14', 'good:GarbageVersion'),
            ('b15', 'good:SneakyVersion'), ('b16', 'good:SneakyRange'),
            ('b17', 'good:Incomplete'),
        ]
        provider = self.discover(*broken, ('zz', 'good:Zeta'))
        info = provider.host_info()
        self.assertEqual(['good', 'zeta'],
                         [p.plugin_name for p in info.plugin_info])
        names = [name for name, _ in broken]
        self.assertEqual(names, [f.entry_point for f in provider.failures])
        for name in names:
            self.assertIn('Plugin %s left out' % name, self.log.output)

    def test_duplicate_plugin_name_keeps_first_entry_point(self):
        group = self.declare([('b_second', 'good:DupSecond'),
                              ('a_first', 'good:DupFirst')])
        provider = _provider(group)
        info = provider.host_info()
        self.assertEqual(['dup'], [p.plugin_name for p in info.plugin_info])
        self.assertEqual('VIFDirect',
                         info.plugin_info[0].vif_info[0].vif_object_name)
        [failure] = provider.failures
        self.assertEqual('b_second', failure.entry_point)
        self.assertEqual(
            "plugin name 'dup' is already described by os_vif_hostinfo "
            "plugin a_first (%s.good:DupFirst, from %s)"
            % ((provider.sources['dup'].distribution,) * 2), failure.reason)
        self.assertEqual(group, failure.namespace)
        self.assertIn('WARNING Plugin b_second left out', self.log.output)

    def test_sorted_by_plugin_name_not_entry_point(self):
        group = self.declare([('a', 'good:Zeta'), ('b', 'good:Good')])
        info = _provider(group).host_info()
        self.assertEqual(['good', 'zeta'],
                         [p.plugin_name for p in info.plugin_info])

    def test_empty_namespace(self):
        provider = _provider(_namespace())
        self.assertEqual(objects.HostInfo(plugin_info=[]),
                         provider.host_info())
        self.assertEqual([], provider.failures)

    def test_module_function_with_the_real_namespace(self):
        self.declare([('zz_broken', 'good:Raises'), ('zz_good', 'good:Good')],
                     group=plugin.NAMESPACE)
        info = os_vif_hostinfo.host_info()
        self.assertEqual(sorted(SHIPPED + ['good']),
                         [p.plugin_name for p in info.plugin_info])
        self.assertIn('Plugin zz_broken left out', self.log.output)

    def test_module_function_filters(self):
        self.declare([('zz_good', 'good:Good')], group=plugin.NAMESPACE)
        info = discovery.host_info(['VIFBridge'])
        self.assertEqual(['good', 'ovs'],
                         [p.plugin_name for p in info.plugin_info])
        for p in info.plugin_info:
            self.assertEqual(['VIFBridge'],
                             [v.vif_object_name for v in p.vif_info])


class TestProviderCache(DiscoveryTestCase):

    def test_cached_until_refresh(self):
        group = _namespace()
        provider = _provider(group)
        self.assertEqual([], provider.host_info().plugin_info)
        self.declare([('good', 'good:Good')], group=group)
        # The provider keeps what it found...
        self.assertEqual([], provider.host_info().plugin_info)
        self.assertEqual({}, provider.sources)
        # ...a new one sees the new plugin, and so does a refresh.
        self.assertTrue(_provider(group).host_info().has_plugin('good'))
        provider.refresh()
        self.assertTrue(provider.host_info().has_plugin('good'))
        self.assertEqual(['good'], list(provider.sources))

    def test_refresh_forgets_failures(self):
        group = self.declare([('broken', 'good:Raises')])
        provider = _provider(group)
        self.assertEqual(1, len(provider.failures))
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo.discovery._describe',
            lambda ext: objects.HostPluginInfo(plugin_name='fixed')))
        self.assertEqual(1, len(provider.failures))
        provider.refresh()
        self.assertEqual([], provider.failures)
        self.assertTrue(provider.host_info().has_plugin('fixed'))


class CountingPlugin(plugin.PluginBase):

    def __init__(self):
        self.calls = 0

    def describe(self):
        self.calls += 1
        return objects.HostPluginInfo(plugin_name='counting', vif_info=[
            objects.HostVIFInfo(vif_object_name='VIFBridge',
                                min_version='1.0', max_version='1.2'),
            objects.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                                min_version='1.0', max_version='1.0')])


class TestProvider(base.TestCase):

    def setUp(self):
        super().setUp()
        self.plugin = CountingPlugin()
        self.provider = fixture.make_provider({'counting': self.plugin})

    def test_describes_once(self):
        self.provider.host_info()
        self.provider.host_info(['VIFBridge'])
        self.assertEqual([], self.provider.failures)
        self.assertEqual(1, self.plugin.calls)
        self.provider.refresh()
        self.assertEqual(2, self.plugin.calls)

    def test_sources_of_given_plugins(self):
        self.assertEqual({'counting': plugin.PluginSource(
            plugin.KIND_PLUGIN, 'counting', '%s.CountingPlugin' % __name__,
            None)}, self.provider.sources)
        self.assertEqual('os_vif_hostinfo plugin counting (%s.CountingPlugin)'
                         % __name__, str(self.provider.sources['counting']))

    def test_returns_copies(self):
        first = self.provider.host_info()
        first.plugin_info[0].vif_info.pop()
        first.plugin_info[0].plugin_name = 'changed'
        second = self.provider.host_info()
        self.assertEqual('counting', second.plugin_info[0].plugin_name)
        self.assertEqual(2, len(second.plugin_info[0].vif_info))

    def test_filter(self):
        info = self.provider.host_info(['VIFOpenVSwitch', 'VIFOther'])
        self.assertEqual(['VIFOpenVSwitch'],
                         [v.vif_object_name
                          for v in info.plugin_info[0].vif_info])

    def test_filter_by_one_name_as_a_string(self):
        info = self.provider.host_info('VIFBridge')
        self.assertEqual(['VIFBridge'],
                         [v.vif_object_name
                          for v in info.plugin_info[0].vif_info])

    def test_filter_drops_emptied_plugins(self):
        self.assertEqual([], self.provider.host_info(['VIFOther']).plugin_info)
        self.assertEqual([], self.provider.host_info([]).plugin_info)

    def test_filter_rejects_non_strings(self):
        error = self.assertRaises(exception.InvalidObject,
                                  self.provider.host_info, ['VIFBridge', 3])
        self.assertIn('VIF class name', str(error))
        self.assertRaises(exception.InvalidObject,
                          self.provider.host_info, 42)

    def test_shared_between_threads(self):
        import threading
        results = []
        threads = [threading.Thread(
            target=lambda: results.append(self.provider.host_info()))
            for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(4, len(results))
        self.assertEqual(1, self.plugin.calls)


class TestEntryPointManager(DiscoveryTestCase):

    def test_lists_afresh_and_sorted(self):
        group = _namespace()
        self.assertEqual(
            [], discovery._EntryPointManager(group).list_entry_points())
        self.declare([('b', 'good:Good'), ('a', 'good:Zeta')], group=group)
        manager = discovery._EntryPointManager(group)
        self.assertEqual(['a', 'b'],
                         [ep.name for ep in manager.list_entry_points()])
        self.assertEqual(['a', 'b'], manager.names())


class Fixed(plugin.PluginBase):

    def __init__(self, info):
        self.info = info

    def describe(self):
        return self.info


class TestProperties(base.TestCase):

    @hypothesis.given(st.lists(strategies.plugin_infos(max_vifs=2),
                               max_size=5),
                      st.none() | st.lists(strategies.names, max_size=3))
    def test_first_by_entry_point_then_sorted_by_name(self, infos, permit):
        provider = fixture.make_provider(
            {'ep%02d' % i: Fixed(info) for i, info in enumerate(infos)})
        kept = {}
        for info in infos:
            kept.setdefault(info.plugin_name, info)
        expected = objects.HostInfo(
            plugin_info=[kept[name] for name in sorted(kept)])
        if permit is not None:
            expected = expected.filter_vif_types(permit)
        self.assertEqual(expected, provider.host_info(permit))
        self.assertEqual(len(infos) - len(kept), len(provider.failures))
