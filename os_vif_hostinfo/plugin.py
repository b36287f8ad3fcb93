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

"""The base class of host information plugins.

A plugin tells the service host which VIF object classes one VIF plugin
can consume, between which versions, and with which port profiles. It is
registered as an entry point in the ``os_vif_hostinfo.plugins`` namespace
(see :data:`NAMESPACE`) and found by :class:`~.discovery.HostInfoProvider`.
"""

from __future__ import annotations

import abc

from os_vif_hostinfo import objects

#: The stevedore namespace (entry-point group) plugins are registered in.
NAMESPACE = 'os_vif_hostinfo.plugins'


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
