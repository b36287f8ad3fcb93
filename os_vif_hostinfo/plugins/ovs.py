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

"""The ``ovs`` static description: guests attached through Open vSwitch."""

from __future__ import annotations

from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import plugins

_V1_0 = ('1.0', '1.0')
_OVS = ('VIFPortProfileOpenVSwitch', _V1_0)
_REPRESENTOR = ('VIFPortProfileOVSRepresentor', _V1_0)


class OvsPlugin(plugin.PluginBase):
    """What os-vif 5.3.0's ``ovs`` plugin declares.

    Each VIF class and port profile at version 1.0 only. Bridged and
    direct Open vSwitch ports take the Open vSwitch port profile;
    vhost-user and host device ports also take the representor profile
    of offloaded (SmartNIC) ports.
    """

    def describe(self) -> objects.HostPluginInfo:
        """Return the ``ovs`` description."""
        return objects.HostPluginInfo(plugin_name='ovs', vif_info=[
            plugins.vif('VIFBridge', _V1_0, [_OVS]),
            plugins.vif('VIFOpenVSwitch', _V1_0, [_OVS]),
            plugins.vif('VIFVHostUser', _V1_0, [_OVS, _REPRESENTOR]),
            plugins.vif('VIFHostDevice', _V1_0, [_OVS, _REPRESENTOR]),
        ])
