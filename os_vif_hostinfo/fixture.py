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

"""Test helpers for plugin authors: providers without entry points.

.. code-block:: python

    from os_vif_hostinfo import fixture

    class TestMyPlugin(testtools.TestCase):
        def test_describe(self):
            plugins = self.useFixture(fixture.PluginFixture(
                {'mine': my_module.MyPlugin}))
            self.assertEqual([], plugins.failures)
            info = plugins.host_info()
            self.assertTrue(info.has_plugin('mine'))

The plugins go through the same checks as installed ones, so a plugin
that would be left out on a real host is left out here too, and its
reason is in :attr:`PluginFixture.failures`.

Needs the ``fixtures`` package, a test requirement rather than a runtime
one: ``pip install '.[test]'`` in a clone of os_vif_hostinfo, or ``pip
install 'os-vif-hostinfo[test]'`` from a package index. Without it,
importing this module raises :class:`~.exception.MissingDependency` saying
so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stevedore import extension

from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects

try:
    import fixtures
except ImportError:
    # One clear line instead of a traceback from deep inside the import.
    raise exception.MissingDependency(
        feature='os_vif_hostinfo.fixture', package='fixtures',
        install="'.[test]' in a clone of os_vif_hostinfo, or pip install "
        "'os-vif-hostinfo[test]' from a package index") from None

#: Plugins to test: entry-point name -> plugin class or instance, or a
#: sequence of them, named ``plugin-00``, ``plugin-01``, ... in order.
Plugins = Mapping[str, Any] | Iterable[Any]


def make_extension(name: str, plugin: Any) -> extension.Extension:
    """A stevedore extension for ``plugin`` as if loaded as ``name``.

    A class is created by discovery as an entry point's class would be;
    anything else is taken as the already created plugin object.
    """
    if isinstance(plugin, type):
        return extension.Extension(name, None, plugin, None)  # type: ignore
    return extension.Extension(name, None, type(plugin),  # type: ignore
                               plugin)


def make_provider(plugins: Plugins) -> discovery.HostInfoProvider:
    """A :class:`~.discovery.HostInfoProvider` over the given plugins.

    Built on stevedore's ``ExtensionManager.make_test_instance``; no entry
    point is read or needed.
    """
    if isinstance(plugins, Mapping):
        items = list(plugins.items())
    else:
        items = [('plugin-%02d' % i, p) for i, p in enumerate(plugins)]
    return discovery.HostInfoProvider.from_extensions(
        [make_extension(name, p) for name, p in items])


class PluginFixture(fixtures.Fixture):
    """A fixture giving a test a provider over the given plugins.

    :param plugins: entry-point name -> plugin class or instance, or a
        sequence of plugins.
    """

    def __init__(self, plugins: Plugins) -> None:
        super().__init__()
        self._plugins = plugins
        self.provider: discovery.HostInfoProvider | None = None

    def _setUp(self) -> None:
        self.provider = make_provider(self._plugins)
        self.addCleanup(setattr, self, 'provider', None)

    def _provider(self) -> discovery.HostInfoProvider:
        if self.provider is None:
            raise exception.FixtureNotSetUp(fixture=type(self).__name__)
        return self.provider

    def host_info(self, permitted_vif_type_names: discovery.PermittedNames
                  = None) -> objects.HostInfo:
        """What ``host_info()`` gives on a host with just these plugins."""
        return self._provider().host_info(permitted_vif_type_names)

    @property
    def failures(self) -> list[exception.PluginLoadError]:
        """The plugins that were left out, and why."""
        return self._provider().failures
