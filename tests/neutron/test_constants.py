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

"""The codec's Neutron string literals are neutron-lib's constants.

os_vif_hostinfo.neutron cannot import neutron-lib, so it spells Neutron's
names out; here, where neutron-lib is installed, they are checked.
"""

from neutron_lib.api.definitions import portbindings
import testtools

from os_vif_hostinfo import neutron as hn

#: Every vif_type Neutron defines, by value.
NEUTRON_VIF_TYPES = {
    value for name, value in vars(portbindings).items()
    if name.startswith('VIF_TYPE_') and isinstance(value, str)}


class TestConstants(testtools.TestCase):

    def test_vif_types_are_neutrons(self):
        self.assertTrue(set(hn.VIF_TYPES.values()) <= NEUTRON_VIF_TYPES,
                        set(hn.VIF_TYPES.values()) - NEUTRON_VIF_TYPES)
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         hn.VIF_TYPES['VIFOpenVSwitch'])
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         hn.VIF_TYPES[('ovs', 'VIFBridge')])
        self.assertEqual(portbindings.VIF_TYPE_BRIDGE,
                         hn.VIF_TYPES[('linux_bridge', 'VIFBridge')])
        self.assertEqual(portbindings.VIF_TYPE_VHOST_USER,
                         hn.VIF_TYPES['VIFVHostUser'])
        self.assertEqual(portbindings.VIF_TYPE_AGILIO_OVS,
                         hn.VIF_TYPES[('agilio_ovs', 'VIFHostDevice')])

    def test_binding_states_are_neutrons(self):
        self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                         hn.VIF_TYPE_BINDING_FAILED)
        self.assertEqual(portbindings.VIF_TYPE_UNBOUND, hn.VIF_TYPE_UNBOUND)

    def test_vif_details_keys_are_neutrons(self):
        keys = {key for details in hn.VIF_DETAILS_FOR.values()
                for key in details}
        self.assertEqual({portbindings.OVS_HYBRID_PLUG,
                          portbindings.VHOST_USER_OVS_PLUG}, keys)
