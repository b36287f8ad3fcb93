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

"""HostInfo over Neutron's port-bindings API: Nova's live-migration path.

During a live migration Nova creates an INACTIVE binding of the port for
the destination host (``POST /v2.0/ports/{id}/bindings``), plugs the VIF
it reads back on that host, and activates the binding once the guest has
moved. :func:`binding_sender` is the ``send`` of
:func:`os_vif_hostinfo.negotiate` on that path.

One difference from a port update shapes it: Neutron does not store a
binding that failed and answers the request with HTTP 500
(``PortBindingError``), so a network host's refusal body never reaches the
compute host here. The sender treats that answer as "one version lower":
``negotiate`` tries once more, one HostInfo version down, and remembers
what worked for the next migration. Never more than two binding requests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import logging
from typing import Any

from os_vif_hostinfo import _codec
from os_vif_hostinfo import exception
from os_vif_hostinfo.negotiation import VIFChoice
from os_vif_hostinfo.neutron import binding
from os_vif_hostinfo.neutron import profile as _profile
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

#: HTTP status of a binding Neutron could not make (PortBindingError).
BINDING_ERROR_STATUS = 500
#: HTTP status of a binding that exists already for that host.
CONFLICT_STATUS = 409


def _status(exc: BaseException) -> Any:
    """The HTTP status of a client library's error, if it carries one.

    openstacksdk's ``HttpException`` and neutronclient's exceptions both
    have ``status_code``; a transport error has none.
    """
    return getattr(exc, 'status_code', None)


def _one_step_down(sent: str) -> str | None:
    """The HostInfo version one minor step below ``sent``, if any."""
    version = versions.parse(sent)
    if version.minor == 0:
        return None
    return str(versions.Version(version.major, version.minor - 1))


def binding_sender(create_binding: Callable[[dict[str, Any]], Any],
                   host: str,
                   delete_binding: Callable[[], Any] | None = None,
                   profile: Mapping[str, Any] | None = None,
                   max_length: int = _profile.MAX_PROFILE_LENGTH,
                   ) -> Callable[[str], VIFChoice]:
    """The ``send`` for :func:`os_vif_hostinfo.negotiate` over port bindings.

    Each ``send(payload)`` calls ``create_binding(body)`` with ``body =
    {'host': host, 'profile': profile's keys + HostInfo}`` and returns
    :func:`~os_vif_hostinfo.neutron.read_binding` of the binding created.
    With openstacksdk::

        send = binding_sender(
            lambda body: conn.network.create_port_binding(port, **body),
            dest_host,
            delete_binding=lambda: conn.network.delete_port_binding(
                port, dest_host))
        choice = negotiate(info, send, peer=neutron_url, cache=cache)

    Neutron keeps one binding per host: when ``create_binding`` fails
    with HTTP 409 (a binding for ``host`` is left from an earlier try),
    ``delete_binding()`` removes it and the binding is created once more.
    When it fails with HTTP 500 (Neutron's ``PortBindingError``: no
    driver bound the port, and no refusal body comes back on this API),
    ``send`` raises :class:`~.exception.UnsupportedVersion` naming the
    version one step below the one sent, so ``negotiate`` backlevels and
    tries once more; at the oldest version it raises
    :class:`~.exception.BindingFailed`.

    :raises ProfileTooLarge: (from send) if HostInfo does not fit beside
        ``profile``.
    """
    if not isinstance(host, str) or not host:
        raise exception.InvalidArgument(
            name='host', value=host,
            reason='expected the destination host name')
    base = dict(profile) if profile is not None else {}

    def create(body: dict[str, Any]) -> Any:
        try:
            return create_binding(body)
        except Exception as exc:
            if _status(exc) != CONFLICT_STATUS or delete_binding is None:
                raise
            LOG.info('Port binding for host %s exists already; replacing '
                     'it', host)
            delete_binding()
            return create_binding(body)

    def send(payload: str) -> VIFChoice:
        body = {'host': host,
                'profile': _profile.profile_from_payload(payload, base,
                                                         max_length)}
        sent = wire.loads(payload)[_codec.KEY_VERSION]
        try:
            answer = create(body)
        except Exception as exc:
            if _status(exc) != BINDING_ERROR_STATUS:
                raise
            lower = _one_step_down(sent)
            if lower is None:
                raise exception.BindingFailed(
                    port='(unknown)', host=host, vif_type='binding_failed',
                    reason='Neutron could not bind the port on this host '
                    'at HostInfo %s (HTTP 500: %s)' % (sent, exc)) from None
            LOG.info('Neutron could not bind the port on host %(host)s at '
                     'HostInfo %(sent)s; trying %(lower)s (the port-bindings '
                     'API returns no refusal body)',
                     {'host': host, 'sent': sent, 'lower': lower})
            raise exception.UnsupportedVersion(
                object_name='HostInfo', requested_version=sent,
                max_supported_version=lower) from None
        return binding.read_binding(answer)

    return send
