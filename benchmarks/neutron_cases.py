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

"""How much HostInfo fits in a Neutron port's binding:profile.

Sizes, not times: every length is ``len(jsonutils.dumps(profile))``, what
Neutron's ML2 plugin compares with its 4095 character limit. Run alone
(``python benchmarks/neutron_cases.py``) or from ``run.py``, which adds
the goals to its table.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from oslo_serialization import jsonutils

import hosts
import os_vif_hostinfo as hi
from os_vif_hostinfo import neutron

_VIFS = ['VIFOpenVSwitch', 'VIFBridge', 'VIFVHostUser', 'VIFHostDevice',
         'VIFGeneric', 'VIFNestedDPDK']
_PROFILES = ['VIFPortProfileOpenVSwitch', 'VIFPortProfileFPOpenVSwitch',
             'VIFPortProfileOVSRepresentor', 'VIFPortProfileFPBridge',
             'VIFPortProfileFPTap', 'VIFPortProfile8021Qbg',
             'VIFPortProfile8021Qbh', 'VIFPortProfileK8sDPDK']
_PLUGINS = ['ovs', 'linux_bridge', 'noop', 'vrouter', 'vpp', 'ovs_dpdk',
            'sriov', 'agilio_ovs', 'vhostuser_fp', 'contrail_vrouter']


def compute_host(plugins: int = 10) -> hosts.Host:
    """``plugins`` plugins x 4 VIF types x 2 port profiles, os-vif names.

    Class names repeat across plugins as on a real host (os-vif has six
    VIF classes); version ranges vary.
    """
    return [
        ('%s%s' % (_PLUGINS[p % 10], '' if p < 10 else '_%d' % p), [
            (_VIFS[(p + v) % len(_VIFS)], '1.0', '1.%d' % ((p + v) % 3), [
                (_PROFILES[(p + v + k) % len(_PROFILES)], '1.0',
                 '1.%d' % ((p + k) % 3))
                for k in range(2)])
            for v in range(4)])
        for p in range(plugins)]


def nova_part(length: int = 1024) -> dict[str, Any]:
    """Nova's own binding:profile keys, ``length`` characters as JSON.

    An SR-IOV port with QoS bandwidth, as Nova writes it: the PCI device,
    its physical function, and the resource providers of the allocation.
    """
    part: dict[str, Any] = {
        'pci_slot': '0000:81:00.2',
        'pci_vendor_info': '15b3:101e',
        'physical_network': 'physnet-sriov-0',
        'card_serial_number': 'MT2116X09385',
        'pf_mac_address': '0c:42:a1:5e:d2:10',
        'vf_num': 3,
        'capabilities': ['switchdev'],
        'allocation': {},
    }
    index = 0
    while len(jsonutils.dumps(part)) < length - 90:
        part['allocation']['%08x-7c1d-4a4e-9b5a-1f0c2d3e4f%02d' % (
            index, index)] = '%08x-0a8b-4c9d-8e7f-6a5b4c3d2e%02d' % (
                index, index)
        index += 1
    part['physical_network'] += 'x' * (length - len(jsonutils.dumps(part)))
    return part


def profile_sizes() -> dict[str, int]:
    """The lengths the goals are checked on."""
    compute = hosts.build(hi, compute_host())
    shipped = hi.host_info()
    nova = nova_part()
    beside = neutron.binding_profile(shipped, nova)
    return {
        'compute plain': neutron.profile_length(
            {neutron.PROFILE_KEY: json.loads(hi.serialize(compute))}),
        'compute': neutron.profile_length(neutron.binding_profile(compute)),
        'shipped plain': neutron.profile_length(
            {neutron.PROFILE_KEY: json.loads(hi.serialize(shipped))}),
        'shipped': neutron.profile_length(neutron.binding_profile(shipped)),
        'nova part': neutron.profile_length(nova),
        'shipped beside nova': neutron.profile_length(beside),
    }


def goals(sizes: dict[str, int]) -> list[tuple[str, int, int]]:
    """``(goal, measured characters, limit)`` of each size goal."""
    if not sizes:
        return []
    return [
        ('profile: 10 plugins x 4 VIF x 2 profiles <= 1024 chars',
         sizes['compute'], 1024),
        ('profile: shipped host beside %d chars of Nova keys <= %d'
         % (sizes['nova part'], neutron.MAX_PROFILE_LENGTH),
         sizes['shipped beside nova'], neutron.MAX_PROFILE_LENGTH),
    ]


def main() -> int:
    sizes = profile_sizes()
    for name, value in sizes.items():
        print('%-22s %6d characters' % (name, value))
    for text, value, limit in goals(sizes):
        print('%-4s %s: %d' % ('PASS' if value <= limit else 'MISS', text,
                               value))
    return 0


if __name__ == '__main__':
    sys.exit(main())
