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

"""A temporary installed distribution that declares entry points.

Tests use it to give discovery real entry points (read by
importlib.metadata, loaded by stevedore) that fail in chosen ways.
"""

import importlib
import os
import sys
import textwrap
import uuid

import fixtures

#: Plugin modules for the isolation tests, by short name. ``{package}`` is
#: replaced by the temporary package's name.
PLUGIN_SOURCES = {
    'good': '''
        from os_vif_hostinfo import objects
        from os_vif_hostinfo import plugin


        def _vif(name, low='1.0', high='1.0'):
            return objects.HostVIFInfo(vif_object_name=name,
                                       min_version=low, max_version=high)


        class Good(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(
                    plugin_name='good', vif_info=[_vif('VIFBridge')])


        class Zeta(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(
                    plugin_name='zeta', vif_info=[_vif('VIFOpenVSwitch')])


        class DupFirst(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(
                    plugin_name='dup', vif_info=[_vif('VIFDirect')])


        class DupSecond(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(
                    plugin_name='dup', vif_info=[_vif('VIFGeneric')])


        class ClaimsOvs(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(plugin_name='ovs', vif_info=[
                    _vif('VIFBridge', '1.0', '1.9')])


        class ClaimsVendor(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(
                    plugin_name='vendor', vif_info=[_vif('VIFVHostUser')])


        INSTANCE = Good()


        def not_a_class():
            return Good()


        class NotAPlugin:
            def describe(self):
                return Good().describe()


        class NeedsConfig(plugin.PluginBase):
            def __init__(self, config):
                self.config = config

            def describe(self):
                return Good().describe()


        class Abstract(plugin.PluginBase):
            pass


        class Raises(plugin.PluginBase):
            def describe(self):
                raise RuntimeError('backend daemon is down')


        class ReturnsDict(plugin.PluginBase):
            def describe(self):
                return {'plugin_name': 'dict'}


        class ReturnsNone(plugin.PluginBase):
            def describe(self):
                return None


        class MinAboveMax(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(
                    plugin_name='minmax',
                    vif_info=[_vif('VIFBridge', '1.3', '1.1')])


        class GarbageVersion(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(
                    plugin_name='garbage',
                    vif_info=[_vif('VIFBridge', 'one', 'two')])


        class SneakyVersion(plugin.PluginBase):
            """Gets a bad version past the setters, into OVO's storage."""

            def describe(self):
                vif = _vif('VIFBridge')
                vif._obj_max_version = 'v1.x'
                return objects.HostPluginInfo(plugin_name='sneaky',
                                              vif_info=[vif])


        class SneakyRange(plugin.PluginBase):
            def describe(self):
                vif = _vif('VIFBridge')
                vif._obj_min_version = '2.0'
                return objects.HostPluginInfo(plugin_name='sneaky_range',
                                              vif_info=[vif])


        class Incomplete(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(vif_info=[])
    ''',
    # Third-party os-vif plugins (namespace os_vif), written against
    # os-vif's own PluginBase and objects.
    'osvif': '''
        from os_vif.objects import host_info
        from os_vif import plugin
        from oslo_config import cfg

        from os_vif_hostinfo import objects


        def _vif(name, low='1.0', high='1.0', profiles=()):
            return host_info.HostVIFInfo(
                vif_object_name=name, min_version=low, max_version=high,
                supported_port_profiles=[host_info.HostPortProfileInfo(
                    profile_object_name=p, min_version=a, max_version=b)
                    for p, a, b in profiles])


        class _Plugin(plugin.PluginBase):
            def plug(self, vif, instance_info):
                pass

            def unplug(self, vif, instance_info):
                pass


        class Vendor(_Plugin):
            CONFIG_OPTS = [cfg.StrOpt('socket_dir', default='/run/vendor')]

            def describe(self):
                # Created through os-vif's load(): it has its options.
                assert self.config.socket_dir == '/run/vendor'
                return host_info.HostPluginInfo(
                    plugin_name='vendor', vif_info=[
                    _vif('VIFVHostUser', '1.0', '1.1',
                         [('VIFPortProfileFPOpenVSwitch', '1.0', '1.1')]),
                    _vif('VIFGeneric', '1.0', '1.0')])


        class ClaimsOvs(_Plugin):
            def describe(self):
                return host_info.HostPluginInfo(plugin_name='ovs', vif_info=[
                    _vif('VIFBridge', '1.0', '1.3')])


        class Raises(_Plugin):
            def describe(self):
                raise RuntimeError('vendor daemon is down')


        class InitRaises(_Plugin):
            def __init__(self, config):
                raise OSError('no such device')

            def describe(self):
                raise AssertionError('never created')


        class NotAnOsVifPlugin:
            @classmethod
            def load(cls, name):
                return cls()

            def describe(self):
                return Vendor.describe(self)


        class ReturnsOurs(_Plugin):
            def describe(self):
                return objects.HostPluginInfo(plugin_name='ours', vif_info=[])


        class ReturnsNone(_Plugin):
            def describe(self):
                return None


        class GarbageVersion(_Plugin):
            def describe(self):
                return host_info.HostPluginInfo(plugin_name='garbage',
                                                vif_info=[_vif('VIFBridge',
                                                               'one')])


        class MinAboveMax(_Plugin):
            def describe(self):
                return host_info.HostPluginInfo(
                    plugin_name='minmax',
                    vif_info=[_vif('VIFBridge', '1.3', '1.1')])


        class Incomplete(_Plugin):
            def describe(self):
                return host_info.HostPluginInfo(vif_info=[])
    ''',
    'import_error': '''
        import os_vif_hostinfo_no_such_backend  # noqa
    ''',
    'syntax_error': '''
        def broken(:
    ''',
    'asserts': '''
        assert False, 'needs a newer kernel'
    ''',
    'exits': '''
        import sys
        sys.exit('plugin gave up')
    ''',
}


class EntryPointsFixture(fixtures.Fixture):
    """A distribution in a temporary directory declaring entry points.

    :param entry_points: ``(name, 'module:attr')`` pairs; ``module`` is a
        key of ``modules`` and is put inside a fresh package.
    :param group: the entry-point group (namespace).
    :param modules: module short name -> source.
    :param on_sys_path: add the directory to ``sys.path`` (else only use
        :attr:`path`, e.g. as PYTHONPATH of a subprocess).
    """

    def __init__(self, entry_points, group, modules=None, on_sys_path=True):
        super().__init__()
        self.entry_points = entry_points
        self.group = group
        self.modules = PLUGIN_SOURCES if modules is None else modules
        self.on_sys_path = on_sys_path

    def _setUp(self):
        self.path = self.useFixture(fixtures.TempDir()).path
        self.package = 'hostinfo_test_%s' % uuid.uuid4().hex
        package_dir = os.path.join(self.path, self.package)
        os.mkdir(package_dir)
        self._write(os.path.join(package_dir, '__init__.py'), '')
        for name, source in self.modules.items():
            self._write(os.path.join(package_dir, name + '.py'),
                        textwrap.dedent(source))
        dist_info = os.path.join(self.path, '%s-1.0.dist-info' % self.package)
        os.mkdir(dist_info)
        self._write(os.path.join(dist_info, 'METADATA'),
                    'Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n'
                    % self.package)
        lines = ['[%s]' % self.group]
        lines += ['%s = %s.%s' % (name, self.package, target)
                  for name, target in self.entry_points]
        self._write(os.path.join(dist_info, 'entry_points.txt'),
                    '\n'.join(lines) + '\n')
        if self.on_sys_path:
            self.useFixture(fixtures.PythonPathEntry(self.path))
            importlib.invalidate_caches()
            self.addCleanup(self._forget_modules)

    def _forget_modules(self):
        for name in list(sys.modules):
            if name == self.package or name.startswith(self.package + '.'):
                del sys.modules[name]
        importlib.invalidate_caches()

    @staticmethod
    def _write(path, text):
        with open(path, 'w') as stream:
            stream.write(text)
