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

"""os-vif VIF objects as Nova builds them from a binding."""

import os_vif.objects
from os_vif.objects import vif as osv_vif


def build_vif(port, choice, name='VIFOpenVSwitch'):
    """The os-vif VIF Nova would build for the port, at the chosen version.

    Returns its primitive, as it travels to the plugin.
    """
    os_vif.objects.register_all()
    cls = getattr(osv_vif, name)
    vif = cls(id=port['id'], address=port['mac_address'],
              plugin=choice.plugin_name, vif_name='tap' + port['id'][:11])
    if choice.version == cls.VERSION:
        # os-vif 5.3.0 declares no obj_relationships, so it cannot
        # backlevel a VIF with child objects (network, port_profile).
        vif.port_profile = osv_vif.VIFPortProfileOpenVSwitch(
            interface_id=port['id'])
    return vif.obj_to_primitive(target_version=choice.version)
