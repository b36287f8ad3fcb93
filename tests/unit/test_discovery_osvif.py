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

"""Discovery of os-vif's plugins through os-vif 5.3.0 itself.

Whatever calls ``os_vif.initialize()`` runs in a subprocess: os-vif keeps
its plugins in module state, which must not leak between tests.
"""

import logging
import os
import subprocess
import sys
import textwrap
import uuid

import fixtures
from oslo_serialization import jsonutils

from os_vif_hostinfo import _osvif
from os_vif_hostinfo import _reasons
from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo.plugins import noop
from os_vif_hostinfo.plugins import ovs
from os_vif_hostinfo import wire
from tests import base
from tests import entry_points

OS_VIF_OVS = plugin.PluginSource(plugin.KIND_OS_VIF, 'ovs',
                                 'vif_plug_ovs.ovs:OvsPlugin', 'os_vif')


def _fields(info):
    """Every field of a HostPluginInfo of either library, in order."""
    return [info.plugin_name, [
        [vif.vif_object_name, vif.min_version, vif.max_version, [
            [p.profile_object_name, p.min_version, p.max_version]
            for p in vif.supported_port_profiles]]
        for vif in info.vif_info]]


class OsVifTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name=discovery.LOG.name, level=logging.INFO,
            format='%(levelname)s %(message)s'))

    def declare(self, pairs, group=plugin.OS_VIF_NAMESPACE):
        dist = self.useFixture(entry_points.EntryPointsFixture(pairs, group))
        return dist.package

    def failure(self, provider, name):
        [found] = [f for f in provider.failures if f.entry_point == name]
        self.assertIn('WARNING Plugin %s left out: %s' % (name, found.reason),
                      self.log.output)
        return found


class TestThirdParty(OsVifTestCase):

    def test_appears_with_its_own_ranges(self):
        package = self.declare([('vendor', 'osvif:Vendor')])
        provider = discovery.HostInfoProvider()
        info = provider.host_info()
        self.assertEqual([], provider.failures)
        self.assertEqual(['noop', 'ovs', 'vendor'],
                         [p.plugin_name for p in info.plugin_info])
        self.assertEqual(
            ['vendor', [
                ['VIFVHostUser', '1.0', '1.1',
                 [['VIFPortProfileFPOpenVSwitch', '1.0', '1.1']]],
                ['VIFGeneric', '1.0', '1.0', []]]],
            _fields(info.get_plugin('vendor')))
        self.assertEqual(plugin.PluginSource(
            plugin.KIND_OS_VIF, 'vendor', '%s.osvif:Vendor' % package,
            package), provider.sources['vendor'])
        self.assertEqual(OS_VIF_OVS, provider.sources['ovs'])
        self.assertEqual('', self.log.output)

    def test_refresh_sees_a_new_one(self):
        provider = discovery.HostInfoProvider()
        self.assertFalse(provider.host_info().has_plugin('vendor'))
        self.declare([('vendor', 'osvif:Vendor')])
        self.assertFalse(provider.host_info().has_plugin('vendor'))
        provider.refresh()
        self.assertTrue(provider.host_info().has_plugin('vendor'))

    def test_broken_ones_are_isolated(self):
        broken = {
            'b01': ('import_error:Plugin', ['ModuleNotFoundError']),
            'b02': ('asserts:Plugin', ['AssertionError']),
            'b03': ('osvif:Missing', ['AttributeError', 'Missing']),
            'b04': ('osvif:NotAnOsVifPlugin', [
                'the class', 'not an os-vif PluginBase subclass']),
            'b05': ('osvif:InitRaises', [
                "os-vif's PluginBase.load() raised OSError: no such "
                "device"]),
            'b06': ('osvif:Raises', [
                'describe() raised RuntimeError: vendor daemon is down']),
            'b07': ('osvif:ReturnsOurs', ['not an os-vif HostPluginInfo']),
            'b08': ('osvif:ReturnsNone', ['NoneType']),
            'b09': ('osvif:GarbageVersion', ['invalid HostPluginInfo',
                                             "'one'"]),
            'b10': ('osvif:MinAboveMax', ['invalid HostPluginInfo', '1.3',
                                          '1.1']),
            'b11': ('osvif:Incomplete', ['invalid HostPluginInfo',
                                         'plugin_name']),
        }
        package = self.declare(
            [(name, target) for name, (target, _) in broken.items()]
            + [('vendor', 'osvif:Vendor')])
        provider = discovery.HostInfoProvider()
        self.assertEqual(['noop', 'ovs', 'vendor'],
                         [p.plugin_name
                          for p in provider.host_info().plugin_info])
        self.assertEqual(sorted(broken),
                         [f.entry_point for f in provider.failures])
        for name, (target, parts) in broken.items():
            found = self.failure(provider, name)
            self.assertIsInstance(found, exception.PluginLoadError)
            self.assertEqual(plugin.OS_VIF_NAMESPACE, found.namespace)
            if name in ('b01', 'b02', 'b03'):
                prefix = 'os-vif plugin: cannot load %s.%s: '
            else:
                prefix = 'os-vif plugin %s.%s: '
            self.assertTrue(found.reason.startswith(
                prefix % (package, target)), found.reason)
            for part in parts:
                self.assertIn(part, found.reason, name)

    def test_os_vif_raising_on_import_is_a_failure(self):
        def broken():
            raise RuntimeError('half installed')
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo._osvif.import_os_vif', broken))
        provider = discovery.HostInfoProvider()
        self.assertEqual({'noop': plugin.KIND_STATIC,
                          'ovs': plugin.KIND_STATIC},
                         {n: s.kind for n, s in provider.sources.items()})
        found = self.failure(provider, 'os_vif')
        self.assertEqual('importing os-vif raised RuntimeError: half '
                         'installed', found.reason)


class TestPrecedence(OsVifTestCase):

    def test_third_party_os_vif_plugin_cannot_take_ovs(self):
        # Its entry point sorts first: the rank decides, not the name.
        self.declare([('aaa', 'osvif:ClaimsOvs')])
        provider = discovery.HostInfoProvider()
        info = provider.host_info()
        self.assertEqual(OS_VIF_OVS, provider.sources['ovs'])
        self.assertEqual(_fields(ovs.OvsPlugin().describe()),
                         _fields(info.get_plugin('ovs')))
        self.assertEqual(['aaa'], [f.entry_point for f in provider.failures])
        self.assertEqual("plugin name 'ovs' is already described by %s"
                         % (OS_VIF_OVS,), self.failure(provider, 'aaa').reason)

    def test_library_plugin_cannot_take_ovs(self):
        self.declare([('aaa', 'good:ClaimsOvs')], group=plugin.NAMESPACE)
        provider = discovery.HostInfoProvider()
        self.assertEqual(OS_VIF_OVS, provider.sources['ovs'])
        found = self.failure(provider, 'aaa')
        self.assertEqual(plugin.NAMESPACE, found.namespace)
        self.assertIn('already described by os-vif plugin ovs', found.reason)

    def test_library_plugin_cannot_take_a_third_party_os_vif_name(self):
        package = self.declare([('zz', 'osvif:Vendor')])
        self.declare([('aa', 'good:ClaimsVendor')], group=plugin.NAMESPACE)
        provider = discovery.HostInfoProvider()
        self.assertEqual(('zz', package),
                         provider.sources['vendor'][1::2])
        self.assertEqual(['aa'], [f.entry_point for f in provider.failures])
        self.assertEqual('1.1', provider.host_info().get_plugin(
            'vendor').get_vif('VIFVHostUser').max_version)

    def test_static_descriptions_stand_where_os_vif_has_no_plugin(self):
        group = 'os_vif_hostinfo.tests.%s' % uuid.uuid4().hex
        self.declare([('vendor', 'osvif:Vendor')], group=group)
        provider = discovery.HostInfoProvider(os_vif_namespace=group)
        self.assertEqual({'noop': plugin.KIND_STATIC,
                          'ovs': plugin.KIND_STATIC,
                          'vendor': plugin.KIND_OS_VIF},
                         {n: s.kind for n, s in provider.sources.items()})
        self.assertEqual([], provider.failures)
        self.assertEqual(_fields(noop.NoOpPlugin().describe()),
                         _fields(provider.host_info().get_plugin('noop')))

    def test_static_descriptions_are_not_loaded_when_replaced(self):
        def broken(self):
            raise RuntimeError('a static description was used')
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo.plugins.ovs.OvsPlugin.describe', broken))
        self.assertEqual([], discovery.HostInfoProvider().failures)
        without = discovery.HostInfoProvider(os_vif_namespace=None)
        self.assertEqual(['ovs'], [f.entry_point for f in without.failures])

    def test_os_vif_not_importable_in_process(self):
        def missing():
            raise ModuleNotFoundError("No module named 'os_vif'")
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo._osvif.import_os_vif', missing))
        provider = discovery.HostInfoProvider()
        self.assertEqual([], provider.failures)
        self.assertEqual({plugin.KIND_STATIC},
                         {s.kind for s in provider.sources.values()})
        self.assertEqual(
            "INFO os-vif is not importable (ModuleNotFoundError: No module "
            "named 'os_vif'): describing this host from the %s namespace "
            "only\n" % plugin.NAMESPACE, self.log.output)


#: Run in a subprocess: discovery and os-vif's own initialize() and
#: host_info(), in the order given as argv[1].
_BOTH_ORDERS = textwrap.dedent('''
    import json
    import sys

    import os_vif
    from os_vif import exception as osv_exception
    from oslo_config import cfg

    from os_vif_hostinfo import discovery


    def fields(info):
        return [[p.plugin_name, [
            [v.vif_object_name, v.min_version, v.max_version,
             [[pp.profile_object_name, pp.min_version, pp.max_version]
              for pp in v.supported_port_profiles]]
            for v in p.vif_info]] for p in info.plugin_info]


    order = sys.argv[1]
    if order == 'os-vif-first':
        os_vif.initialize()
        manager = os_vif._EXT_MANAGER
        objs = {name: manager[name].obj for name in manager.names()}
        first = fields(os_vif.host_info())
    provider = discovery.HostInfoProvider()
    ours = fields(provider.host_info())
    if order == 'os-vif-first':
        # os-vif's loaded plugins are untouched.
        assert os_vif._EXT_MANAGER is manager
        assert {n: manager[n].obj for n in manager.names()} == objs
        assert fields(os_vif.host_info()) == first
    else:
        # Discovery did not initialize os-vif behind its back.
        assert os_vif._EXT_MANAGER is None
        try:
            os_vif.host_info()
        except osv_exception.LibraryNotInitialized:
            pass
        else:
            raise AssertionError('os-vif was initialized by discovery')
        os_vif.initialize()
    theirs = fields(os_vif.host_info())
    # The options os-vif registers are readable as ever.
    assert cfg.CONF.os_vif_ovs.ovsdb_connection
    print(json.dumps({
        'ours': ours, 'theirs': theirs,
        'failures': [str(f) for f in provider.failures],
        'kinds': sorted({s.kind for s in provider.sources.values()}),
        'os_vif_plugins': sorted(os_vif._EXT_MANAGER.names())}))
''')


class TestBesideOsVif(OsVifTestCase):
    """Both orders of discovery and os_vif.initialize() in one process."""

    def run_both(self, order, pythonpath=None):
        env = dict(os.environ, PYTHONWARNINGS='ignore')
        env.pop('PYTHONPATH', None)
        if pythonpath:
            env['PYTHONPATH'] = pythonpath
        result = subprocess.run(
            [sys.executable, '-c', _BOTH_ORDERS, order], capture_output=True,
            text=True, env=env, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        return jsonutils.loads(result.stdout.strip().splitlines()[-1])

    def test_equal_to_os_vif_host_info_in_both_orders(self):
        for order in ('discovery-first', 'os-vif-first'):
            out = self.run_both(order)
            self.assertEqual(out['theirs'], out['ours'], order)
            self.assertEqual(['noop', 'ovs'],
                             [p[0] for p in out['ours']], order)
            self.assertEqual([], out['failures'], order)
            self.assertEqual(['os-vif'], out['kinds'], order)

    def test_with_a_third_party_plugin_in_both_orders(self):
        dist = self.useFixture(entry_points.EntryPointsFixture(
            [('vendor', 'osvif:Vendor')], plugin.OS_VIF_NAMESPACE,
            on_sys_path=False))
        for order in ('discovery-first', 'os-vif-first'):
            out = self.run_both(order, dist.path)
            self.assertEqual(['noop', 'ovs', 'vendor'], out['os_vif_plugins'])
            self.assertEqual(out['theirs'], out['ours'], order)
            self.assertEqual([], out['failures'], order)


#: Run in a subprocess where os-vif cannot be imported; argv[1] says how.
_WITHOUT_OS_VIF = textwrap.dedent('''
    import json
    import logging
    import sys

    if sys.argv[1] == 'sys.modules':
        sys.modules['os_vif'] = None
    else:
        class Blocker:
            def find_spec(self, name, path=None, target=None):
                if name == 'os_vif' or name.startswith(
                        ('os_vif.', 'vif_plug_')):
                    raise ModuleNotFoundError('blocked: %s' % name,
                                              name=name)
                return None

        sys.meta_path.insert(0, Blocker())

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger('os_vif_hostinfo')
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    from os_vif_hostinfo import discovery
    from os_vif_hostinfo import wire

    provider = discovery.HostInfoProvider()
    info = provider.host_info()
    print(json.dumps({
        'plugins': [wire.serialize(p) for p in info.plugin_info],
        'sources': {n: list(s) for n, s in provider.sources.items()},
        'failures': [str(f) for f in provider.failures],
        'log': [[r.levelname, r.name, r.getMessage()] for r in records],
        'os_vif_loaded': any(m.startswith(('os_vif.', 'vif_plug_'))
                             for m in sys.modules),
    }))
''')


class TestWithoutOsVif(base.TestCase):

    def test_static_descriptions_and_one_info_line(self):
        expected = [wire.serialize(cls().describe())
                    for cls in (noop.NoOpPlugin, ovs.OvsPlugin)]
        for how in ('sys.modules', 'meta-path'):
            env = dict(os.environ, PYTHONWARNINGS='ignore')
            env.pop('PYTHONPATH', None)
            result = subprocess.run(
                [sys.executable, '-c', _WITHOUT_OS_VIF, how],
                capture_output=True, text=True, env=env, timeout=120)
            self.assertEqual(0, result.returncode, result.stderr)
            out = jsonutils.loads(result.stdout)
            self.assertEqual(expected, out['plugins'], how)
            self.assertEqual({
                'noop': [plugin.KIND_STATIC, 'noop',
                         'os_vif_hostinfo.plugins.noop:NoOpPlugin',
                         'os-vif-hostinfo'],
                'ovs': [plugin.KIND_STATIC, 'ovs',
                        'os_vif_hostinfo.plugins.ovs:OvsPlugin',
                        'os-vif-hostinfo']}, out['sources'], how)
            self.assertEqual([], out['failures'], how)
            self.assertFalse(out['os_vif_loaded'], how)
            [(level, name, message)] = out['log']
            self.assertEqual(('INFO', discovery.LOG.name), (level, name))
            self.assertTrue(message.startswith('os-vif is not importable ('),
                            message)


class TestConvert(base.TestCase):

    def setUp(self):
        super().setUp()
        import os_vif.objects
        from os_vif.objects import host_info
        os_vif.objects.register_all()
        self.osv = host_info

    def test_newer_os_vif_description_is_backleveled(self):
        ours = str(objects.current_version('HostPluginInfo'))

        # As a later os-vif might have them; not entered in OVO's registry.
        class HostVIFInfo(self.osv.HostVIFInfo):
            obj_relationships = {
                'supported_port_profiles': [('1.1', '1.0')]}

        class HostPluginInfo(self.osv.HostPluginInfo):
            VERSION = '%d.9' % objects.current_version('HostPluginInfo')[0]
            obj_relationships = {'vif_info': [(ours, '1.1'),
                                              (VERSION, '1.1')]}

        info = HostPluginInfo(plugin_name='x', vif_info=[
            HostVIFInfo(vif_object_name='VIFBridge', min_version='1.0',
                        max_version='1.2', supported_port_profiles=[])])
        converted = _osvif.convert(info)
        self.assertEqual(['x', [['VIFBridge', '1.0', '1.2', []]]],
                         _fields(converted))

    def test_other_major_version_is_refused(self):
        info = self.osv.HostPluginInfo(plugin_name='x', vif_info=[])
        info.VERSION = '2.0'
        error = self.assertRaises(_reasons.Refused, _osvif.convert, info)
        self.assertIn('invalid HostPluginInfo', error.reason)
        self.assertIn('2.0', error.reason)
