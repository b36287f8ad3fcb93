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

"""RPC cases: negotiate over oslo.messaging against a bare echo.

Both run over the same transport in one process: a network host serving
:class:`~os_vif_hostinfo.rpc.HostInfoEndpoint` (which reads the HostInfo
and answers) and a bare endpoint that sends the payload text back. The
transport is oslo.messaging's in-memory ``fake://`` one, or a real broker
when ``--rabbit-url`` is given.
"""

from __future__ import annotations

import atexit
import functools
from typing import Any, Callable

from oslo_config import cfg
import oslo_messaging

import os_vif_hostinfo as hi
from os_vif_hostinfo import rpc

TOPIC = 'os_vif_hostinfo_bench'
ECHO_TOPIC = 'os_vif_hostinfo_bench_echo'
SERVER = 'network-host'


class Echo:
    """The bare endpoint: the payload text goes straight back."""

    target = oslo_messaging.Target(namespace='bench_echo', version='1.0')

    def echo(self, ctxt: Any, payload: Any) -> Any:
        return payload


class Wire:
    """A running network host and both clients, on one transport."""

    def __init__(self, url: str) -> None:
        conf = cfg.ConfigOpts()
        conf([], project='os_vif_hostinfo_bench')
        self.transport = oslo_messaging.get_rpc_transport(conf, url=url)
        self.server = rpc.get_server(
            self.transport, SERVER, lambda info: len(info.plugin_info),
            topic=TOPIC)
        echo_target = oslo_messaging.Target(topic=ECHO_TOPIC, server=SERVER)
        self.echo_server = oslo_messaging.get_rpc_server(
            self.transport, echo_target, [Echo()], executor='threading')
        self.server.start()
        self.echo_server.start()
        atexit.register(self.stop)
        self.client = rpc.HostInfoClient(self.transport, topic=TOPIC,
                                         timeout=30)
        self.echo_client = oslo_messaging.get_rpc_client(
            self.transport, oslo_messaging.Target(
                topic=ECHO_TOPIC, server=SERVER, namespace='bench_echo',
                version='1.0'), timeout=30)

    def stop(self) -> None:
        for server in (self.server, self.echo_server):
            server.stop()
            server.wait()
        self.transport.cleanup()

    def negotiate(self, info: hi.HostInfo) -> Callable[[], Any]:
        return lambda: self.client.negotiate(info, SERVER)

    def echo(self, text: str) -> Callable[[], Any]:
        return lambda: self.echo_client.call({}, 'echo', payload=text)


@functools.lru_cache(maxsize=None)
def wire(url: str) -> Wire:
    return Wire(url)
