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

"""Service-host side: negotiate HostInfo with network hosts over RPC.

:class:`HostInfoClient` wraps an oslo.messaging RPC client into the
``send`` callable that :func:`os_vif_hostinfo.negotiation.negotiate`
expects, one per network host (the RPC ``server``, which is also the peer
key of the version memory), and owns that memory.
"""

from __future__ import annotations

from collections.abc import Callable
import functools
import logging
import threading
from typing import Any

from oslo_config import cfg
import oslo_messaging

from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import opts
from os_vif_hostinfo.rpc import _compat
from os_vif_hostinfo.rpc import envelope
from os_vif_hostinfo.rpc import server as rpc_server

LOG = logging.getLogger(__name__)

#: Name of the RPC method of :class:`~.server.HostInfoEndpoint`.
METHOD = 'negotiate_host_info'

#: Send retries when the broker cannot be reached; oslo.messaging's own
#: default (None) would retry forever.
DEFAULT_RETRY = 2

#: Seconds a call may take beyond its RPC timeout (to reach the broker)
#: before the network host is reported unavailable.
DEFAULT_GRACE = 10.0


class HostInfoClient:
    """Negotiates this service host's HostInfo with network hosts.

    :param transport: an oslo.messaging RPC transport.
    :param conf: configuration with the ``[os_vif_hostinfo]`` options
        (registered on it if needed); defaults apply without one.
    :param topic: overrides ``[os_vif_hostinfo] topic``.
    :param timeout: seconds to wait for one answer; overrides
        ``[os_vif_hostinfo] timeout``.
    :param cache: the per-peer version memory; by default a new
        :class:`~os_vif_hostinfo.negotiation.PeerCache` sized by
        ``[os_vif_hostinfo] peer_cache_size``.
    :param host: this service host's name, shown in the network host's
        logs.
    :param retry: how often to retry reaching the broker; None retries
        forever, as oslo.messaging does.
    :param grace: seconds a call may take beyond ``timeout`` before it is
        given up. oslo.messaging's rabbit driver retries forever to open
        the connection on which replies arrive, whatever ``retry`` says,
        so without this bound a call made while the broker is down would
        hang; the abandoned call carries on in a daemon thread until the
        broker answers or the transport is cleaned up.
    """

    def __init__(self, transport: oslo_messaging.Transport,
                 conf: cfg.ConfigOpts | None = None, *,
                 topic: str | None = None, timeout: float | None = None,
                 cache: negotiation.PeerCache | None = None,
                 host: str | None = None,
                 retry: int | None = DEFAULT_RETRY,
                 grace: float = DEFAULT_GRACE) -> None:
        if conf is None:
            conf = cfg.ConfigOpts()
        opts.register_opts(conf)
        group = conf[opts.GROUP_NAME]
        self.topic: str = topic or group.topic
        self.timeout: float = group.timeout if timeout is None else timeout
        if cache is None:
            cache = negotiation.PeerCache(
                maxsize=group.peer_cache_size,
                reprobe_interval=group.peer_reprobe_interval or None)
        self.cache = cache
        self.host = host
        self.grace = grace
        target = oslo_messaging.Target(
            topic=self.topic, namespace=rpc_server.NAMESPACE,
            version=rpc_server.API_VERSION)
        _compat.prepare_conf(transport.conf)
        self._client = oslo_messaging.get_rpc_client(
            transport, target, timeout=self.timeout, retry=retry)

    def peer_name(self, server: str | None) -> str:
        """How errors and logs name the network host ``server``."""
        if server is None:
            return 'any network host on topic %s' % self.topic
        return server

    def send(self, payload: str, server: str | None = None) -> Any:
        """Send one serialized HostInfo and return the handler's answer.

        :param server: the network host to ask; None lets any network
            host on the topic answer.
        :raises UnsupportedVersion: if the network host refused the
            version; ``negotiate`` backlevels on it.
        :raises PeerUnavailable: if no answer came within the timeout, or
            the broker could not take the request.
        :raises MalformedPayload: if the answer is not an envelope.
        :raises NegotiationFailed: if the network host could not read the
            payload at all.
        :raises HostInfoError: for any other error the network host
            reported.
        """
        peer = self.peer_name(server)
        client = self._client.prepare(server=server) if server else (
            self._client)
        ctxt = {rpc_server.CONTEXT_HOST_KEY: self.host} if self.host else {}
        try:
            reply = self._call(client, ctxt, payload, peer)
        except oslo_messaging.MessagingTimeout as exc:
            raise exception.PeerUnavailable(
                peer=peer, reason='no reply within %gs on topic %s (%s)'
                % (self.timeout, self.topic, exc)) from exc
        except oslo_messaging.MessageDeliveryFailure as exc:
            raise exception.PeerUnavailable(
                peer=peer, reason='the request could not be delivered: %s'
                % exc) from exc
        return envelope.open_reply(reply, peer)

    def _call(self, client: Any, ctxt: dict[str, Any], payload: str,
              peer: str) -> Any:
        """``client.call`` bounded by ``timeout + grace`` seconds."""
        outcome: dict[str, Any] = {}
        done = threading.Event()

        def call() -> None:
            try:
                outcome['reply'] = client.call(ctxt, METHOD, payload=payload)
            except BaseException as exc:
                outcome['error'] = exc
            finally:
                done.set()
        threading.Thread(target=call, daemon=True,
                         name='os-vif-hostinfo-call-%s' % peer).start()
        if not done.wait(self.timeout + self.grace):
            reason = ('no reply within the %gs timeout nor in the %gs grace '
                      'after it; the message broker may be unreachable'
                      % (self.timeout, self.grace))
            LOG.warning('Gave up a call to %s: %s', peer, reason)
            raise exception.PeerUnavailable(peer=peer, reason=reason)
        if 'error' in outcome:
            raise outcome['error']
        return outcome['reply']

    def sender(self, server: str | None = None) -> Callable[[str], Any]:
        """The ``send`` callable for ``negotiate``, bound to ``server``."""
        return functools.partial(self.send, server=server)

    def negotiate(self, host_info: objects.HostInfo,
                  server: str | None = None) -> Any:
        """Negotiate ``host_info`` with ``server``; return its answer.

        The version that worked is remembered under ``server``, so the
        next call to it takes one round trip. Without a server nothing is
        remembered (any network host may answer).

        :raises PeerUnavailable: if the network host does not answer.
        :raises NegotiationFailed: if no version suits both sides.
        :raises HostInfoError: as :meth:`send`.
        """
        return negotiation.negotiate(
            host_info, self.sender(server), peer=server, cache=self.cache)

    def forget(self, server: str) -> None:
        """Drop the remembered version of ``server`` (e.g. upgraded)."""
        self.cache.forget(server)
