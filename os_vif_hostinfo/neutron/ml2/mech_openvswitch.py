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

"""Neutron's openvswitch mechanism driver, negotiating with HostInfo.

Entry point ``openvswitch_hostinfo`` in ``neutron.ml2.mechanism_drivers``:
use it in ``[ml2] mechanism_drivers`` in place of ``openvswitch``. A port
whose compute host sent no HostInfo is bound exactly as the upstream
driver binds it. A port with HostInfo is bound on the same segment, for
the same live agent, with the same vif_type and vif_details, plus the
VIF class and version the compute host can plug; or fails to bind with
the reason in its vif_details. This module needs Neutron itself, not
only neutron-lib.
"""

from __future__ import annotations

from typing import Any

from neutron_lib.api.definitions import portbindings
from neutron_lib.plugins.ml2 import api
from oslo_config import cfg

from neutron.plugins.ml2.drivers.openvswitch.mech_driver import (
    mech_openvswitch)
from os_vif_hostinfo.neutron.ml2 import config
from os_vif_hostinfo.neutron.ml2 import mech_driver
from os_vif_hostinfo.neutron.ml2 import mixin
from os_vif_hostinfo.neutron import profile as hostinfo_profile

config.register_opts()

#: The os-vif VIF class Nova builds for a port the OVS agent wires, by
#: vnic_type (os-vif's VIFHostDevice for hardware offload) ...
_VIF_CLASS_BY_VNIC = {
    portbindings.VNIC_DIRECT: 'VIFHostDevice',
    portbindings.VNIC_VHOST_VDPA: 'VIFHostDevice',
}
#: ... else by the vif_type the agent supports.
_VIF_CLASS_BY_VIF_TYPE = {
    portbindings.VIF_TYPE_VHOST_USER: 'VIFVHostUser',
}


class OpenvswitchHostInfoMechanismDriver(
        mixin.HostInfoBindingMixin,
        mech_openvswitch.OpenvswitchMechanismDriver):
    """The openvswitch driver, binding with HostInfo when there is some."""

    def initialize(self) -> None:
        """Initialize as upstream, then read ``[ml2_os_vif_hostinfo]``."""
        super().initialize()
        group = cfg.CONF[config.GROUP_NAME]
        mech_driver.load_os_vif_classes()
        self.host_info_pin = group.pin
        self.host_info_cache_size = group.decoder_cache_size
        self.reset_host_info_decoder()

    def host_info_candidates(self, context: api.PortContext,
                             agent: dict[str, Any],
                             segment: dict[str, Any]) -> list[str]:
        """The one VIF class Nova builds for what this agent would bind.

        Nova's conversion (``nova.network.os_vif_util``) decides from
        vif_type, vnic_type and ``ovs_hybrid_plug``; so does this, so that
        the VIF the compute host is told about is the one it will get.
        """
        vnic_type = context.current.get(portbindings.VNIC_TYPE,
                                        portbindings.VNIC_NORMAL)
        if vnic_type in _VIF_CLASS_BY_VNIC:
            return [_VIF_CLASS_BY_VNIC[vnic_type]]
        vif_type = self.get_vif_type(context, agent, segment)
        if vif_type in _VIF_CLASS_BY_VIF_TYPE:
            return [_VIF_CLASS_BY_VIF_TYPE[vif_type]]
        if agent['configurations'].get(portbindings.OVS_HYBRID_PLUG):
            return ['VIFBridge']
        return ['VIFOpenVSwitch']

    def try_to_bind_segment_for_agent(self, context: api.PortContext,
                                      segment: dict[str, Any],
                                      agent: dict[str, Any]) -> bool:
        """Bind as upstream does, with the negotiated VIF if HostInfo.

        Upstream's own segment check comes first, so HostInfo never makes
        this driver bind a segment the agent cannot reach.
        """
        profile = context.current.get(portbindings.PROFILE) or {}
        if (hostinfo_profile.PROFILE_KEY not in profile
                or not self.check_segment_for_agent(segment, agent)):
            return super().try_to_bind_segment_for_agent(
                context, segment, agent)
        vif_type = self.get_vif_type(context, agent, segment)
        return self.bind_port_with_host_info(
            context, self.host_info_candidates(context, agent, segment),
            # The agent decides the vif_type; os-vif's class only says
            # how Nova will describe it.
            vif_type_for=lambda choice: vif_type,
            segments=[segment],
            vif_details=self.get_vif_details(context, agent, segment))
