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

"""The ``noop`` static description: vhost-user ports needing no plugging."""

from __future__ import annotations

from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import plugins


class NoOpPlugin(plugin.PluginBase):
    """What os-vif 5.3.0's ``noop`` plugin declares.

    VIFVHostUser 1.0 only, with no port profile.
    """

    def describe(self) -> objects.HostPluginInfo:
        """Return the ``noop`` description."""
        return objects.HostPluginInfo(plugin_name='noop', vif_info=[
            plugins.vif('VIFVHostUser', ('1.0', '1.0')),
        ])
