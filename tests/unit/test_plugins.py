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

"""The shipped plugins, checked against os-vif 5.3.0 itself."""

import importlib.metadata
import subprocess
import sys
import textwrap

from oslo_serialization import jsonutils

from os_vif_hostinfo import discovery
from os_vif_hostinfo import plugin
from os_vif_hostinfo import plugins
from os_vif_hostinfo.plugins import linux_bridge
from os_vif_hostinfo.plugins import noop
from os_vif_hostinfo.plugins import ovs
from os_vif_hostinfo import wire
from tests import base

SHIPPED = {
    'linux_bridge': linux_bridge.LinuxBridgePlugin,
    'noop': noop.NoOpPlugin,
    'ovs': ovs.OvsPlugin,
}


def _summary(info):
    """VIF class -> (min, max, {profile: (min, max)})."""
    return {vif.vif_object_name: (
        vif.min_version, vif.max_version,
        {p.profile_object_name: (p.min_version, p.max_version)
         for p in vif.supported_port_profiles})
        for vif in info.vif_info}


class TestShippedPlugins(base.TestCase):

    def test_declared_as_entry_points(self):
        declared = {ep.name: ep.value for ep in
                    importlib.metadata.entry_points(group=plugin.NAMESPACE)}
        for name, cls in SHIPPED.items():
            self.assertEqual('%s:%s' % (cls.__module__, cls.__name__),
                             declared.get(name))

    def test_describe_their_own_names(self):
        for name, cls in SHIPPED.items():
            info = cls().describe()
            self.assertIsInstance(cls(), plugin.PluginBase)
            self.assertEqual(name, info.plugin_name)
            info.obj_check_complete()

    def test_discovered_with_no_failures(self):
        provider = discovery.HostInfoProvider()
        info = provider.host_info()
        self.assertEqual([], provider.failures)
        self.assertEqual(sorted(SHIPPED),
                         [p.plugin_name for p in info.plugin_info])

    def test_linux_bridge(self):
        self.assertEqual({'VIFBridge': ('1.0', '1.0', {})},
                         _summary(linux_bridge.LinuxBridgePlugin().describe()))

    def test_ovs(self):
        ovs_profile = {'VIFPortProfileOpenVSwitch': ('1.0', '1.4')}
        both = dict(ovs_profile, VIFPortProfileOVSRepresentor=('1.0', '1.4'))
        self.assertEqual({
            'VIFBridge': ('1.0', '1.0', ovs_profile),
            'VIFOpenVSwitch': ('1.0', '1.0', ovs_profile),
            'VIFVHostUser': ('1.0', '1.1', both),
            'VIFHostDevice': ('1.0', '1.0', both),
        }, _summary(ovs.OvsPlugin().describe()))

    def test_unknown_class_is_a_bug_here(self):
        self.assertRaises(KeyError, plugins.vif, 'VIFNoSuchThing')


class TestAgainstOsVif(base.TestCase):
    """The hard-coded facts match the installed os-vif 5.3.0."""

    def setUp(self):
        super().setUp()
        self.assertEqual('5.3.0', importlib.metadata.version('os_vif'))
        import os_vif.objects
        from oslo_versionedobjects import base as ovo_base
        os_vif.objects.register_all()
        self.registry = ovo_base.VersionedObjectRegistry.obj_classes()

    def _os_vif_describe(self, cls):
        # describe() of os-vif's plugins reads no state, so it can be
        # called without configuring and loading the plugin.
        return cls.describe(object.__new__(cls))

    def test_versions_are_what_os_vif_registers(self):
        for name, version in plugins.OS_VIF_VERSIONS.items():
            self.assertEqual(version, self.registry[name][0].VERSION, name)
            self.assertEqual(self.registry[name][0].__module__,
                             'os_vif.objects.vif')

    def test_same_classes_as_os_vif_plugins(self):
        from vif_plug_noop import noop as os_vif_noop
        from vif_plug_ovs import ovs as os_vif_ovs
        for ours, theirs in ((ovs.OvsPlugin, os_vif_ovs.OvsPlugin),
                             (noop.NoOpPlugin, os_vif_noop.NoOpPlugin)):
            mine = ours().describe()
            other = self._os_vif_describe(theirs)
            self.assertEqual(other.plugin_name, mine.plugin_name)
            self.assertEqual(
                [v.vif_object_name for v in other.vif_info],
                [v.vif_object_name for v in mine.vif_info])
            for vif_theirs, vif_mine in zip(other.vif_info, mine.vif_info):
                self.assertEqual(
                    [p.profile_object_name
                     for p in vif_theirs.supported_port_profiles],
                    [p.profile_object_name
                     for p in vif_mine.supported_port_profiles])
                # Their range starts where ours does; ours ends at the
                # class version os-vif registers.
                self.assertEqual(vif_theirs.min_version,
                                 vif_mine.min_version)
                self.assertEqual(
                    self.registry[vif_mine.vif_object_name][0].VERSION,
                    vif_mine.max_version)

    def test_linux_bridge_classes_exist_in_os_vif(self):
        info = linux_bridge.LinuxBridgePlugin().describe()
        for vif in info.vif_info:
            self.assertIn(vif.vif_object_name, self.registry)

    def test_os_vif_reads_what_they_describe(self):
        import os_vif.objects.host_info as os_vif_host_info
        info = discovery.HostInfoProvider().host_info()
        primitive = jsonutils.loads(wire.serialize(info, '1.0'))
        theirs = os_vif_host_info.HostInfo.obj_from_primitive(primitive)
        self.assertEqual(sorted(SHIPPED),
                         sorted(p.plugin_name for p in theirs.plugin_info))
        self.assertTrue(theirs.get_plugin('ovs').has_vif('VIFVHostUser'))


class TestWithoutOsVif(base.TestCase):

    def test_shipped_plugins_do_not_need_os_vif(self):
        script = textwrap.dedent('''
            import sys
            for name in ('os_vif', 'vif_plug_ovs', 'vif_plug_noop'):
                sys.modules[name] = None  # any import of it fails
            from os_vif_hostinfo import discovery
            provider = discovery.HostInfoProvider()
            info = provider.host_info()
            assert not provider.failures, provider.failures
            print(','.join(p.plugin_name for p in info.plugin_info))
        ''')
        result = subprocess.run([sys.executable, '-c', script],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('linux_bridge,noop,ovs', result.stdout.strip())
