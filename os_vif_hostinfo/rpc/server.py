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

"""Network-host side: an oslo.messaging RPC endpoint that reads HostInfo.

A network driver adds :class:`HostInfoEndpoint` to the RPC server it
already runs (or builds one with :func:`get_server`). Each call carries a
service host's serialized HostInfo; the endpoint reads it with
:func:`os_vif_hostinfo.negotiation.receive`, honouring the configured pin,
and replies with an envelope (see :mod:`os_vif_hostinfo.rpc.envelope`): the
handler's answer, or the refusal as data for the service host to
backlevel on.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Any

from oslo_config import cfg
import oslo_messaging

from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import opts
from os_vif_hostinfo.rpc import _compat
from os_vif_hostinfo.rpc import envelope
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

#: RPC namespace of the endpoint, so it can share a server with others.
NAMESPACE = 'os_vif_hostinfo'
#: Version of the RPC API (the method names and the envelope).
API_VERSION = '1.0'
#: Key of the request context naming the service host that asks.
CONTEXT_HOST_KEY = 'os_vif_hostinfo_host'

Handler = Callable[[objects.HostInfo], Any]


class HostInfoEndpoint:
    """RPC endpoint reading service hosts' HostInfo on a network host.

    :param handler: called with each HostInfo that was read; what it
        returns (JSON-serializable, e.g. the chosen VIF as a primitive)
        goes back to the service host. A HostInfoError it raises goes
        back as an error envelope; anything else is oslo.messaging's to
        report.
    :param conf: configuration holding ``[os_vif_hostinfo] pin`` and
        ``max_payload_size``; the options are registered on it if needed.
    :param pin: the highest HostInfo version to accept; overrides
        ``conf``. None (and no conf) means the newest this release reads.
    :param name: this network host's name, for its logs.
    :param decoder: the :class:`~os_vif_hostinfo.wire.Decoder` answering
        payloads heard before from memory; by default one of its own.
    :param max_size: the largest payload to read, in bytes; overrides
        ``conf``. None (and no conf) means deserialize()'s default.
    :param max_depth: the deepest nesting to read; None means
        deserialize()'s default.
    :raises InvalidVersion: if the pin is not ``MAJOR.MINOR``.
    :raises InvalidArgument: if a limit is not a positive integer.
    """

    target = oslo_messaging.Target(namespace=NAMESPACE, version=API_VERSION)

    def __init__(self, handler: Handler, conf: cfg.ConfigOpts | None = None,
                 pin: str | None = None, name: str | None = None,
                 decoder: wire.Decoder | None = None, *,
                 max_size: int | None = None,
                 max_depth: int | None = None) -> None:
        if conf is not None:
            opts.register_opts(conf)
            if pin is None:
                pin = conf[opts.GROUP_NAME].pin
            if max_size is None:
                max_size = conf[opts.GROUP_NAME].max_payload_size
        if max_size is None:
            max_size = wire.DEFAULT_MAX_SIZE
        if max_depth is None:
            max_depth = wire.DEFAULT_MAX_DEPTH
        # Fail when the service starts, not on the first request.
        wire._check_limits(max_size, max_depth)
        self.max_size = max_size
        self.max_depth = max_depth
        if pin is not None:
            # Fail when the service starts, not on the first request.
            pin = str(versions.parse(
                pin, field='[%s] pin' % opts.GROUP_NAME))
        self.handler = handler
        self.pin = pin
        self.name = name or 'network host'
        self.decoder = wire.Decoder() if decoder is None else decoder

    def negotiate_host_info(self, ctxt: Any, payload: Any) -> dict[str, Any]:
        """Read one service host's HostInfo and answer it.

        Never raises for a library error: the reply is an envelope.
        """
        asker = _asker(ctxt)
        if not isinstance(payload, (str, bytes)):
            exc: exception.HostInfoError = exception.MalformedPayload(
                path='$', reason='expected JSON text, got %s'
                % exception.describe_json_type(payload))
            LOG.warning('%s: refused a payload from %s: %s', self.name,
                        asker, exc)
            return envelope.error(exc)
        try:
            info = negotiation.receive(
                payload, pin=self.pin, decoder=self.decoder,
                max_size=self.max_size, max_depth=self.max_depth)
        except exception.UnsupportedVersion as exc:
            LOG.info('%s: refused HostInfo %s from %s (%d bytes): it reads '
                     'up to %s', self.name, exc.requested_version, asker,
                     len(payload), exc.max_supported_version)
            return envelope.error(exc)
        except exception.HostInfoError as exc:
            LOG.warning('%s: refused a payload from %s: %s', self.name,
                        asker, exc)
            return envelope.error(exc)
        LOG.info('%s: read HostInfo from %s (%d bytes, %d plugins)',
                 self.name, asker, len(payload), len(info.plugin_info))
        try:
            answer = self.handler(info)
        except exception.HostInfoError as exc:
            LOG.warning('%s: could not answer %s: %s', self.name, asker,
                        exc)
            return envelope.error(exc)
        return envelope.result(answer)


def _asker(ctxt: Any) -> str:
    if isinstance(ctxt, dict):
        host = ctxt.get(CONTEXT_HOST_KEY)
        if isinstance(host, str) and host:
            return host
    return 'a service host'


def get_server(transport: oslo_messaging.Transport, server: str,
               handler: Handler, conf: cfg.ConfigOpts | None = None, *,
               topic: str | None = None, pin: str | None = None,
               executor: str = 'threading',
               max_size: int | None = None) -> oslo_messaging.RPCServer:
    """Build (not start) an RPC server with one :class:`HostInfoEndpoint`.

    :param server: this network host's name; service hosts address it
        by this name, which is also their peer key.
    :param topic: overrides ``[os_vif_hostinfo] topic``.
    :param max_size: overrides ``[os_vif_hostinfo] max_payload_size``.
    :raises InvalidVersion: if the pin is not ``MAJOR.MINOR``.
    :raises InvalidArgument: if ``max_size`` is not a positive integer.
    """
    if conf is None:
        conf = cfg.ConfigOpts()
    opts.register_opts(conf)
    target = oslo_messaging.Target(
        topic=topic or conf[opts.GROUP_NAME].topic, server=server)
    _compat.prepare_conf(transport.conf)
    endpoint = HostInfoEndpoint(handler, conf, pin=pin, name=server,
                                max_size=max_size)
    return oslo_messaging.get_rpc_server(
        transport, target, [endpoint], executor=executor,
        access_policy=oslo_messaging.DefaultRPCAccessPolicy)
