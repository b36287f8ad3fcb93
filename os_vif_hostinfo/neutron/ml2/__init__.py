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

"""The network host's side of port binding, inside Neutron's ML2 plugin.

Needs neutron-lib (the ``neutron`` extra); :mod:`.mech_openvswitch` needs
Neutron itself and is not imported here.
"""

from os_vif_hostinfo.neutron.ml2.mech_driver import HostInfoMechanismDriver
from os_vif_hostinfo.neutron.ml2.mixin import HostInfoBindingMixin

__all__ = [
    'HostInfoBindingMixin',
    'HostInfoMechanismDriver',
]
