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

"""HostInfo in a Neutron port's ``binding:profile``.

Neutron keeps the whole profile as the text ``jsonutils.dumps(profile)``
(default separators, non-ASCII escaped as ``\\uXXXX``) and refuses one
longer than 4095 characters. Nova's own keys share that room, so HostInfo
goes under :data:`PROFILE_KEY` in one of two forms:

*plain*
    the wire primitive itself, a JSON object, exactly as
    :func:`os_vif_hostinfo.serialize` writes it. Used whenever it fits.
*compact*
    a string ``"t1:..."``: Base85 of the zlib compression of a table of
    the strings and the structure (see :mod:`os_vif_hostinfo._compact`
    and the guide). A ten plugin host that takes 32,000 characters plain
    takes about 560 this way. Used when the plain form does not fit.

Reading either form applies the wire's limits: a compact value is
decompressed and expanded to at most :data:`MAX_EXPANDED_SIZE` bytes, and
the result goes through :func:`os_vif_hostinfo.receive` like any payload.
"""

from __future__ import annotations

from collections.abc import Mapping
import json
import logging
from typing import Any

from oslo_serialization import jsonutils

from os_vif_hostinfo import _codec
from os_vif_hostinfo import _compact
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

#: The ``binding:profile`` key that carries HostInfo.
PROFILE_KEY = 'os_vif_hostinfo'
#: Neutron's limit on the length of the profile's JSON text.
MAX_PROFILE_LENGTH = 4095
#: What starts a compact value (encoding version 1).
COMPACT_PREFIX = _compact.PREFIX
#: Largest text a compact value may decompress or expand to.
MAX_EXPANDED_SIZE = _compact.MAX_EXPANDED_SIZE


def profile_length(profile: Mapping[str, Any]) -> int:
    """The length Neutron measures for ``profile``.

    That is ``len(jsonutils.dumps(profile))`` as neutron's ML2 plugin
    computes it before storing the profile.

    :raises InvalidArgument: if ``profile`` cannot be written as JSON.
    """
    return stored_length(profile, 'profile')


def stored_length(value: Any, name: str) -> int:
    """``len(jsonutils.dumps(value))``: what Neutron stores and limits.

    Both ``binding:profile`` and an agent's ``configurations`` are kept as
    that text in a ``VARCHAR(4095)`` column.

    :raises InvalidArgument: naming ``name`` if ``value`` cannot be
        written as JSON.
    """
    try:
        return len(jsonutils.dumps(value))
    except (TypeError, ValueError, RecursionError) as exc:
        raise exception.InvalidArgument(
            name=name, value=_short(value),
            reason='not JSON serializable: %s' % exc) from None


def binding_profile(host_info: objects.HostInfo,
                    profile: Mapping[str, Any] | None = None,
                    target_version: str | None = None,
                    max_length: int = MAX_PROFILE_LENGTH) -> dict[str, Any]:
    """A new ``binding:profile``: ``profile``'s keys plus HostInfo.

    ``profile`` (Nova's own keys, e.g. ``pci_slot``) is copied, never
    changed. HostInfo at ``target_version`` goes under
    :data:`PROFILE_KEY` in the plain form if the whole profile fits in
    ``max_length`` characters as Neutron measures them, else in the
    compact form.

    :raises ProfileTooLarge: if even the compact form does not fit; its
        ``size`` is the smallest length reached.
    :raises InvalidArgument: if ``profile`` is not a dict that can be
        written as JSON, or ``max_length`` is not a positive integer.
    :raises InvalidObject: if ``host_info`` is not a HostInfo.
    :raises UnsupportedVersion: if this library cannot write
        ``target_version``.
    """
    if not isinstance(host_info, objects.HostInfo):
        raise exception.InvalidObject(expected='a HostInfo', value=host_info)
    return _fit(wire.to_primitive(host_info, target_version), profile,
                max_length)


def profile_from_payload(payload: str | bytes,
                         profile: Mapping[str, Any] | None = None,
                         max_length: int = MAX_PROFILE_LENGTH,
                         ) -> dict[str, Any]:
    """As :func:`binding_profile`, from a payload :func:`serialize` wrote.

    This is what :func:`.port_sender` does with what
    :func:`os_vif_hostinfo.negotiate` hands it: the payload keeps the
    version negotiate chose.

    :raises MalformedPayload: if ``payload`` is not a HostInfo payload.
    :raises ProfileTooLarge: as :func:`binding_profile`.
    """
    # Read fully (checks shape and limits), written back at its version.
    info = wire.deserialize(payload, objects.HostInfo)
    version = wire.loads(payload)[_codec.KEY_VERSION]
    return binding_profile(info, profile, version, max_length)


def check_max_length(max_length: Any) -> None:
    """Refuse a ``max_length`` that is not a positive integer."""
    if (not isinstance(max_length, int) or isinstance(max_length, bool)
            or max_length < 1):
        raise exception.InvalidArgument(
            name='max_length', value=max_length,
            reason='expected a positive integer')


def copy_of(value: Any, name: str, expected: str) -> dict[str, Any]:
    """A new dict of ``value``'s keys (None: empty), or InvalidArgument.

    For the keys a caller adds HostInfo beside: Nova's profile keys, an
    agent's other configurations.
    """
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    raise exception.InvalidArgument(
        name=name, value=_short(value),
        reason='expected a dict of %s or None' % expected)


def _fit(primitive: dict[str, Any], profile: Mapping[str, Any] | None,
         max_length: int) -> dict[str, Any]:
    check_max_length(max_length)
    base = copy_of(profile, 'profile', 'binding:profile keys')
    plain = dict(base)
    plain[PROFILE_KEY] = primitive
    plain_size = profile_length(plain)
    if plain_size <= max_length:
        return plain
    compact = dict(base)
    compact[PROFILE_KEY] = _compact.encode(primitive)
    compact_size = profile_length(compact)
    if compact_size <= max_length:
        LOG.debug('HostInfo takes %d characters of binding:profile '
                  'compact (%d plain)', compact_size, plain_size)
        return compact
    raise exception.ProfileTooLarge(size=min(plain_size, compact_size),
                                    max_length=max_length)


def read_profile(profile: Any, pin: str | None = None,
                 decoder: wire.Decoder | None = None,
                 ) -> objects.HostInfo | None:
    """The HostInfo a compute host put in ``profile``, or None.

    None when there is none: ``profile`` is None, empty, or lacks
    :data:`PROFILE_KEY` (a compute host that does not use this library).
    Either form is read, with the limits of :func:`.wire.deserialize`,
    through ``decoder`` when given (shared by a mechanism driver so that
    a description heard before is answered from memory).

    :raises MalformedPayload: for anything but a well-formed HostInfo,
        whatever the profile holds.
    :raises UnsupportedVersion: if the HostInfo is newer than ``pin`` or
        this library; ``exc.to_dict()`` is the refusal body.
    :raises InvalidVersion: if ``pin`` is not a version this side reads.
    """
    if profile is None:
        return None
    if not isinstance(profile, Mapping):
        raise exception.MalformedPayload(
            path='binding:profile', reason='expected an object, got %s'
            % exception.describe_json_type(profile))
    if PROFILE_KEY not in profile:
        return None
    value = profile[PROFILE_KEY]
    if isinstance(value, str):
        try:
            text = _compact.expand(value, pin)
        except exception.MalformedPayload as exc:
            raise exception.MalformedPayload(
                path='binding:profile.%s%s' % (
                    PROFILE_KEY, exc.kwargs['path'][1:]),
                reason=exc.kwargs['reason']) from None
    elif isinstance(value, dict):
        text = _plain_text(value)
    else:
        raise exception.MalformedPayload(
            path='binding:profile.%s' % PROFILE_KEY,
            reason='expected an object or a compact string, got %s'
            % exception.describe_json_type(value))
    return negotiation.receive(text, pin=pin, decoder=decoder)


def _plain_text(value: dict[str, Any]) -> str:
    """JSON text of a parsed plain value, for the checked reader.

    The text is the Decoder's key and what the size and depth limits are
    measured on; a 4 KB profile costs a few microseconds to write.
    """
    try:
        return json.dumps(value, separators=(',', ':'), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        found = (_codec.non_finite_path(value, 'binding:profile.%s'
                                        % PROFILE_KEY)
                 if isinstance(exc, ValueError) else None)
        if found is not None:
            # The one rule of wire.deserialize for such numbers.
            raise exception.MalformedPayload(path=found[0], reason=(
                '%r is not allowed in a payload: numbers must be finite'
                % found[1])) from None
        raise exception.MalformedPayload(
            path='binding:profile.%s' % PROFILE_KEY,
            reason='not a JSON value: %s' % exc) from None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + '...'
