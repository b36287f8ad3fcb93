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

"""The hosts the benchmarks describe, built the same way in both libraries.

A host is a list of ``(plugin name, [(VIF class, min, max, [(port profile
class, min, max), ...]), ...])``; :func:`build` turns it into HostInfo
objects of either os-vif 5.3.0 or os_vif_hostinfo, which share their class
and field names.
"""

from typing import Any

Profile = tuple[str, str, str]
VIF = tuple[str, str, str, list[Profile]]
Host = list[tuple[str, list[VIF]]]

_OVS_PROFILES = [('VIFPortProfileOpenVSwitch', '1.0', '1.1'),
                 ('VIFPortProfileFPOpenVSwitch', '1.0', '1.1')]


def small() -> Host:
    """Three plugins, as on a typical compute node: 6 VIF types."""
    return [
        ('linux_bridge', [
            ('VIFBridge', '1.0', '1.0', []),
        ]),
        ('noop', [
            ('VIFVHostUser', '1.0', '1.1', []),
        ]),
        ('ovs', [
            ('VIFBridge', '1.0', '1.0', _OVS_PROFILES[:1]),
            ('VIFOpenVSwitch', '1.0', '1.0', _OVS_PROFILES),
            ('VIFVHostUser', '1.0', '1.1', _OVS_PROFILES),
            ('VIFHostDevice', '1.0', '1.0',
             [('VIFPortProfile8021Qbh', '1.0', '1.0')]),
        ]),
    ]


def large() -> Host:
    """100 plugins x 20 VIF types, each with two port profiles."""
    return [
        ('plugin-%03d' % plugin, [
            ('VIFType%02d' % vif, '1.0', '1.%d' % (vif % 4), [
                ('VIFPortProfile%02d' % vif, '1.0', '1.1'),
                ('VIFPortProfileFP%02d' % vif, '1.0', '1.0'),
            ])
            for vif in range(20)])
        for plugin in range(100)]


HOSTS = {'small': small, 'large': large}


def vif_types(host: Host) -> int:
    """How many VIF types the host describes, over all its plugins."""
    return sum(len(vifs) for _name, vifs in host)


def build(module: Any, host: Host) -> Any:
    """A HostInfo of ``module`` (either library's objects) for ``host``."""
    return module.HostInfo(plugin_info=[
        module.HostPluginInfo(plugin_name=name, vif_info=[
            module.HostVIFInfo(
                vif_object_name=vif, min_version=low, max_version=high,
                supported_port_profiles=[
                    module.HostPortProfileInfo(
                        profile_object_name=profile, min_version=p_low,
                        max_version=p_high)
                    for profile, p_low, p_high in profiles])
            for vif, low, high, profiles in vifs])
        for name, vifs in host])
