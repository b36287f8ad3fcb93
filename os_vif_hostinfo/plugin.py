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

"""The base class of host information plugins, and where plugins come from.

A plugin tells the service host which VIF object classes one VIF plugin
can consume, between which versions, and with which port profiles. It is
registered as an entry point in the ``os_vif_hostinfo.plugins`` namespace
(see :data:`NAMESPACE`) and found by :class:`~.discovery.HostInfoProvider`,
which also describes os-vif's own plugins (namespace
:data:`OS_VIF_NAMESPACE`) and records each description's
:class:`PluginSource`.
"""

from __future__ import annotations

import abc
from typing import NamedTuple

from os_vif_hostinfo import objects

#: The stevedore namespace (entry-point group) plugins are registered in.
NAMESPACE = 'os_vif_hostinfo.plugins'

#: os-vif's namespace: the VIF plugins os-vif itself loads.
OS_VIF_NAMESPACE = 'os_vif'

#: :attr:`PluginSource.kind` of a plugin of os-vif's namespace, described
#: by its own ``describe()``: os-vif's plugins and third-party ones.
KIND_OS_VIF = 'os-vif'
#: :attr:`PluginSource.kind` of a plugin of this library's namespace that
#: is not one of the descriptions shipped with this library.
KIND_PLUGIN = 'os_vif_hostinfo'
#: :attr:`PluginSource.kind` of a description shipped with this library,
#: the fallback for a host where os-vif does not describe that plugin.
KIND_STATIC = 'static'


class PluginSource(NamedTuple):
    """Where the description of one plugin came from.

    ``str()`` of it is a short line for people, e.g. ``os-vif plugin ovs
    (vif_plug_ovs.ovs:OvsPlugin, from os_vif)``.
    """

    #: :data:`KIND_OS_VIF`, :data:`KIND_PLUGIN` or :data:`KIND_STATIC`.
    kind: str
    #: The entry point's name (for a test provider, the name it was given).
    entry_point: str
    #: What the entry point loads, ``module:attribute``.
    target: str
    #: The installed distribution declaring the entry point, if known.
    distribution: str | None = None

    def __str__(self) -> str:
        if self.kind == KIND_STATIC:
            return 'static description (%s)' % self.target
        where = self.target
        if self.distribution:
            where += ', from %s' % self.distribution
        return '%s plugin %s (%s)' % (self.kind, self.entry_point, where)


class PluginBase(abc.ABC):
    """Describes what one VIF plugin installed on this host can consume.

    Subclasses implement :meth:`describe`. Discovery creates each plugin
    by calling its class with no arguments, so a subclass's ``__init__``
    must not require any.
    """

    @abc.abstractmethod
    def describe(self) -> objects.HostPluginInfo:
        """Return this plugin's description.

        The result must be an ``os_vif_hostinfo`` :class:`HostPluginInfo`
        with every field set. Discovery leaves out (and logs) a plugin
        whose ``describe()`` raises or returns anything else, so a broken
        plugin never hides the others.
        """
