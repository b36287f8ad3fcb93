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

"""The benchmark hosts, built in both libraries, with what each case needs.

Also the os-vif 5.3.0 network host the negotiation cases talk to.
"""

from __future__ import annotations

import functools
from typing import Any

from os_vif.objects import host_info as osv
from oslo_serialization import jsonutils
from oslo_versionedobjects import exception as ovo_exception
from stevedore import extension

import hosts
import os_vif_hostinfo as hi
from os_vif_hostinfo import wire


class Fixture:
    """One host, built in both libraries, with its payloads.

    Each part is built when a case first asks for it, so that a worker
    process holds only what its case uses.
    """

    def __init__(self, host_name: str) -> None:
        self.host_name = host_name
        self.host = hosts.HOSTS[host_name]()
        self.vif_types = hosts.vif_types(self.host)

    @functools.cached_property
    def ours(self) -> hi.HostInfo:
        return hosts.build(hi, self.host)

    @functools.cached_property
    def theirs(self) -> Any:
        return hosts.build(osv, self.host)

    @functools.cached_property
    def text(self) -> str:
        return hi.serialize(self.ours)

    @functools.cached_property
    def raw(self) -> bytearray:
        return bytearray(self.text.encode('utf-8'))

    @functools.cached_property
    def primitive(self) -> dict[str, Any]:
        return wire.to_primitive(self.ours)

    @functools.cached_property
    def primitive_10(self) -> dict[str, Any]:
        return wire.to_primitive(self.ours, '1.0')

    @functools.cached_property
    def their_text(self) -> str:
        return jsonutils.dumps(self.theirs.obj_to_primitive())

    @functools.cached_property
    def decoder(self) -> hi.Decoder:
        return hi.Decoder(cache_size=8)

    @functools.cached_property
    def plugins(self) -> list[Any]:
        """Stevedore extensions of plugins describing this host."""
        return [extension.Extension(name, None, DescribedPlugin,
                                    DescribedPlugin(name, vifs))
                for name, vifs in self.host]

    @functools.cached_property
    def provider(self) -> hi.HostInfoProvider:
        """A discovery that has run: host_info() answers from memory."""
        provider = self.new_provider()
        provider.host_info()
        return provider

    def new_provider(self) -> hi.HostInfoProvider:
        if self.host_name == 'small':
            # This host, from entry points: os-vif's plugins through os-vif.
            return hi.HostInfoProvider()
        return hi.HostInfoProvider.from_extensions(self.plugins)

    @functools.cached_property
    def peers(self) -> hi.PeerCache:
        peers = hi.PeerCache()
        hi.negotiate(self.ours, old_peer, peer='old', cache=peers)
        return peers


class DescribedPlugin(hi.PluginBase):
    """A plugin describing one entry of a benchmark host."""

    def __init__(self, name: str, vifs: list[hosts.VIF]) -> None:
        self.host = [(name, vifs)]

    def describe(self) -> hi.HostPluginInfo:
        return hosts.build(hi, self.host).plugin_info[0]


@functools.lru_cache(maxsize=None)
def fixture(host_name: str) -> Fixture:
    return Fixture(host_name)


def old_peer(payload: str) -> str:
    """A network host running os-vif 5.3.0, in process.

    It reads HostInfo 1.0 only; anything newer gets the error body the
    protocol defines, which the service host turns back into an error.
    """
    try:
        info = osv.HostInfo.obj_from_primitive(jsonutils.loads(payload))
    except ovo_exception.IncompatibleObjectVersion as exc:
        raise hi.exception.UnsupportedVersion.from_dict({'error': {
            'code': 'unsupported_version',
            'object': exc.kwargs['objname'],
            'requested_version': exc.kwargs['objver'],
            'max_supported_version': exc.kwargs['supported'],
            'message': str(exc)}})
    return info.plugin_info[0].plugin_name
