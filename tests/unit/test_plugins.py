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

"""The static descriptions, checked against os-vif 5.3.0 itself."""

import importlib.metadata
import subprocess
import sys
import textwrap

from oslo_serialization import jsonutils

from os_vif_hostinfo import discovery
from os_vif_hostinfo import plugin
from os_vif_hostinfo import plugins
from os_vif_hostinfo.plugins import noop
from os_vif_hostinfo.plugins import ovs
from os_vif_hostinfo import wire
from tests import base

SHIPPED = {
    'noop': noop.NoOpPlugin,
    'ovs': ovs.OvsPlugin,
}


def _fields(info):
    """Every field of a HostPluginInfo of either library, in order."""
    return (info.plugin_name, [
        (vif.vif_object_name, vif.min_version, vif.max_version, [
            (p.profile_object_name, p.min_version, p.max_version)
            for p in vif.supported_port_profiles])
        for vif in info.vif_info])


def _static():
    """A provider of the static descriptions alone."""
    return discovery.HostInfoProvider(os_vif_namespace=None)


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

    def test_static_when_os_vif_is_left_out(self):
        provider = _static()
        info = provider.host_info()
        self.assertEqual([], provider.failures)
        self.assertEqual(sorted(SHIPPED),
                         [p.plugin_name for p in info.plugin_info])
        for name, cls in SHIPPED.items():
            self.assertEqual(plugin.PluginSource(
                plugin.KIND_STATIC, name,
                '%s:%s' % (cls.__module__, cls.__name__), 'os-vif-hostinfo'),
                provider.sources[name])

    def test_os_vif_describes_them_when_installed(self):
        provider = discovery.HostInfoProvider()
        info = provider.host_info()
        # os-vif's own plugins replace the static descriptions silently.
        self.assertEqual([], provider.failures)
        self.assertEqual(sorted(SHIPPED),
                         [p.plugin_name for p in info.plugin_info])
        self.assertEqual({plugin.KIND_OS_VIF},
                         {s.kind for s in provider.sources.values()})


class TestAgainstOsVif(base.TestCase):
    """The static descriptions say what os-vif 5.3.0's plugins declare."""

    def setUp(self):
        super().setUp()
        self.assertEqual(plugins.OS_VIF_RELEASE,
                         importlib.metadata.version('os_vif'))
        self.os_vif = {ep.name: ep for ep in
                       importlib.metadata.entry_points(group='os_vif')}

    def _os_vif_describe(self, name):
        import os_vif.objects
        os_vif.objects.register_all()
        # Created as os_vif.initialize() creates it, without touching
        # os-vif's own list of loaded plugins.
        return self.os_vif[name].load().load(name).describe()

    def test_os_vif_ships_the_same_plugin_names(self):
        # linux_bridge is not among them: os-vif 5.3.0 does not ship it.
        self.assertEqual(sorted(SHIPPED), sorted(self.os_vif))

    def test_field_by_field(self):
        for name, cls in SHIPPED.items():
            theirs = self._os_vif_describe(name)
            ours = cls().describe()
            self.assertEqual(_fields(theirs), _fields(ours), name)

    def test_equal_through_the_wire_reader(self):
        for name, cls in SHIPPED.items():
            theirs = self._os_vif_describe(name)
            read = wire.deserialize(jsonutils.dumps(
                theirs.obj_to_primitive()), type(cls().describe()))
            self.assertEqual(cls().describe(), read, name)

    def test_os_vif_reads_what_they_describe(self):
        import os_vif.objects.host_info as os_vif_host_info
        info = _static().host_info()
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
            print(','.join('%s=%s' % (name, source.kind)
                           for name, source in provider.sources.items()))
        ''')
        result = subprocess.run([sys.executable, '-c', script],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual('noop=static,ovs=static', result.stdout.strip())
