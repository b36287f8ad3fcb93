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

"""Neutron ports for the explain tests, in both key styles.

Built with the codec (binding_profile + decide_binding) until the ports
saved from the real Neutron tests are in tests/fixtures/ports/.
"""

from os_vif_hostinfo import discovery
from os_vif_hostinfo import neutron


def _port(name, profile, vif_type, details):
    return {'id': 'port-' + name, 'name': name,
            'binding:host_id': 'compute-1', 'binding:profile': profile,
            'binding:vif_type': vif_type, 'binding:vif_details': details,
            'binding:vnic_type': 'normal'}


def _decided(name, profile, candidates, pin=None):
    decision = neutron.decide_binding(profile, candidates, pin=pin)
    return _port(name, profile, decision.vif_type, decision.vif_details)


def api_ports():
    """name -> port as Neutron's API returns it."""
    profile = neutron.binding_profile(discovery.host_info(),
                                      {'pci_slot': '0000:00:1f.0'})
    hostile = {neutron.PROFILE_KEY: {'versioned_object.name': 'HostInfo',
                                     'versioned_object.data': [[[[]]]]}}
    return {
        'bound': _decided('bound', profile, ['VIFOpenVSwitch']),
        'refused': _decided('refused', profile, ['VIFOpenVSwitch'],
                            pin='1.0'),
        'no_common_vif': _decided('no_common_vif', profile,
                                  ['VIFDirect', 'VIFNestedDPDK']),
        'legacy': _port('legacy', {}, 'ovs', {'port_filter': True}),
        'hostile': _decided('hostile', hostile, ['VIFOpenVSwitch']),
    }


def cli_style(port):
    """``port`` as ``openstack port show -f json`` prints it."""
    return {key.replace('binding:', 'binding_'): value
            for key, value in port.items()}


def ports():
    """(name, key style) -> port dict, for every port in both styles."""
    result = {}
    for name, port in api_ports().items():
        result[name, 'api'] = port
        result[name, 'cli'] = cli_style(port)
    return result
