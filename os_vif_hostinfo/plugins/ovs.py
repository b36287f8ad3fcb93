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

"""The ``ovs`` plugin: guests attached through Open vSwitch."""

from __future__ import annotations

from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import plugins

_OVS = 'VIFPortProfileOpenVSwitch'
_REPRESENTOR = 'VIFPortProfileOVSRepresentor'


class OvsPlugin(plugin.PluginBase):
    """What os-vif's ``ovs`` plugin consumes.

    Bridged and direct Open vSwitch ports take the Open vSwitch port
    profile; vhost-user and host device ports also take the representor
    profile used for offloaded (SmartNIC) ports.
    """

    def describe(self) -> objects.HostPluginInfo:
        """Return the ``ovs`` description."""
        return objects.HostPluginInfo(plugin_name='ovs', vif_info=[
            plugins.vif('VIFBridge', [_OVS]),
            plugins.vif('VIFOpenVSwitch', [_OVS]),
            plugins.vif('VIFVHostUser', [_OVS, _REPRESENTOR]),
            plugins.vif('VIFHostDevice', [_OVS, _REPRESENTOR]),
        ])
