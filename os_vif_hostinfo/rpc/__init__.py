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

"""oslo.messaging RPC adapter for host information negotiation.

Optional: it needs oslo.messaging (``pip install '.[rpc]'`` in a clone, or
``pip install 'os-vif-hostinfo[rpc]'``)
and the core library never imports it.

- Network host: add :class:`HostInfoEndpoint` to an RPC server, or build
  one with :func:`get_server`.
- Service host: :class:`HostInfoClient` ``.negotiate(host_info, server)``.
"""

from os_vif_hostinfo.rpc.client import HostInfoClient
from os_vif_hostinfo.rpc.server import get_server
from os_vif_hostinfo.rpc.server import HostInfoEndpoint

__all__ = [
    'HostInfoClient',
    'HostInfoEndpoint',
    'get_server',
]
