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

"""The reference mechanism driver: binds only what HostInfo describes.

Entry point ``os_vif_hostinfo`` in ``neutron.ml2.mechanism_drivers``. It
binds a port whose ``binding:profile`` carries HostInfo, on the first
segment to bind, with the first of ``[ml2_os_vif_hostinfo] vif_classes``
the compute host can plug, and leaves every other port to the drivers
after it in ``[ml2] mechanism_drivers``. It wires nothing itself: it shows
the negotiation end to end, and is the model for a driver of one's own.
"""

from __future__ import annotations

from collections.abc import Iterable
import logging

from neutron_lib.api.definitions import portbindings
from neutron_lib.plugins.ml2 import api
from oslo_config import cfg
from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron import binding
from os_vif_hostinfo.neutron.ml2 import config
from os_vif_hostinfo.neutron.ml2 import mixin

LOG = logging.getLogger(__name__)

config.register_opts()


def load_os_vif_classes() -> None:
    """Register os-vif's VIF classes with oslo.versionedobjects.

    Neutron installs os-vif; without it, only capped ``vif_classes``
    entries can be offered.
    """
    try:
        import os_vif.objects
    except ImportError:
        LOG.info('os-vif is not installed: only vif_classes entries with '
                 'a version (Name:MAJOR.MINOR) can be offered')
        return
    os_vif.objects.register_all()


def check_candidates(values: Iterable[str]) -> list[str]:
    """``vif_classes`` as candidates, each one checked at start-up.

    A typo should stop neutron-server with a message naming the entry,
    not fail every binding later.

    :raises InvalidArgument: for an entry that is neither ``Name`` nor
        ``Name:MAJOR.MINOR``, or a name without a cap that no registered
        class (os-vif's, once :func:`load_os_vif_classes` ran) has.
    """
    known = ovo_base.VersionedObjectRegistry.obj_classes()
    candidates = []
    for value in values:
        try:
            name, cap = binding.parse_candidate(value)
        except exception.InvalidArgument as exc:
            raise exception.InvalidArgument(
                name='[%s] vif_classes entry' % config.GROUP_NAME,
                value=value,
                reason=exc.kwargs.get('reason', str(exc))) from None
        if cap is None and not known.get(name):
            raise exception.InvalidArgument(
                name='[%s] vif_classes entry' % config.GROUP_NAME,
                value=value, reason='no VIF class of that name is '
                'registered; give the version it is sent at as '
                '%s:MAJOR.MINOR' % name)
        candidates.append(value)
    return candidates


class HostInfoMechanismDriver(mixin.HostInfoBindingMixin,
                              api.MechanismDriver):
    """Bind ports from their compute host's HostInfo alone."""

    def __init__(self) -> None:
        super().__init__()
        self.candidates: list[str] = []

    @property
    def connectivity(self) -> str:
        return portbindings.CONNECTIVITY_L2

    def initialize(self) -> None:
        """Read ``[ml2_os_vif_hostinfo]``; refuse a bad ``vif_classes``.

        :raises InvalidArgument: for a ``vif_classes`` entry that names no
            class this side can offer.
        """
        group = cfg.CONF[config.GROUP_NAME]
        load_os_vif_classes()
        self.candidates = check_candidates(group.vif_classes)
        self.host_info_pin = group.pin
        self.host_info_cache_size = group.decoder_cache_size
        self.reset_host_info_decoder()
        LOG.info('os_vif_hostinfo mechanism driver offers %(offer)s for '
                 'HostInfo up to %(pin)s',
                 {'offer': ', '.join(self.candidates),
                  'pin': self.host_info_pin or 'the newest version'})

    def bind_port(self, context: api.PortContext) -> None:
        """Bind with HostInfo if the port has some; else leave it."""
        vnic_type = context.current.get(portbindings.VNIC_TYPE,
                                        portbindings.VNIC_NORMAL)
        if vnic_type != portbindings.VNIC_NORMAL:
            return
        self.bind_port_with_host_info(
            context, self.candidates,
            vif_details={portbindings.VIF_DETAILS_CONNECTIVITY:
                         self.connectivity,
                         portbindings.CAP_PORT_FILTER: False})
