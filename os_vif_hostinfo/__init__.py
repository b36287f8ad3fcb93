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

"""Host information objects and version negotiation for os-vif."""

import logging

from os_vif_hostinfo import _quiet  # noqa: F401
from os_vif_hostinfo.discovery import host_info
from os_vif_hostinfo.discovery import HostInfoProvider
from os_vif_hostinfo import exception
from os_vif_hostinfo.negotiation import check_vif
from os_vif_hostinfo.negotiation import choose_vif
from os_vif_hostinfo.negotiation import negotiate
from os_vif_hostinfo.negotiation import PeerCache
from os_vif_hostinfo.negotiation import receive
from os_vif_hostinfo.negotiation import VIFChoice
from os_vif_hostinfo.objects import HostInfo
from os_vif_hostinfo.objects import HostPluginInfo
from os_vif_hostinfo.objects import HostPortProfileInfo
from os_vif_hostinfo.objects import HostVIFInfo
from os_vif_hostinfo.plugin import PluginBase
from os_vif_hostinfo.wire import Decoder
from os_vif_hostinfo.wire import deserialize
from os_vif_hostinfo.wire import serialize

__all__ = [
    'Decoder',
    'HostInfo',
    'HostInfoProvider',
    'HostPluginInfo',
    'HostPortProfileInfo',
    'HostVIFInfo',
    'PeerCache',
    'PluginBase',
    'VIFChoice',
    'check_vif',
    'choose_vif',
    'deserialize',
    'exception',
    'host_info',
    'negotiate',
    'receive',
    'serialize',
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
