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
*compact, version 1*
    the string ``"t1:"`` followed by Base85 (RFC 1924 alphabet) of the
    zlib (RFC 1950) compression of a *table*: the JSON array
    ``[HostInfo version, [string, ...], [integer, ...]]``. Every object is
    written as its fields in sorted name order at the version its parent
    carries: a plain field as the index of its value in the string list, a
    list field as its length followed by its items. A ten plugin host that
    takes 32,000 characters plain takes about 560 this way.

Reading either form applies the wire's limits: the compressed text is
decompressed to at most :data:`os_vif_hostinfo.wire.DEFAULT_MAX_SIZE`
bytes, the table may not expand to more than that, and the result goes
through :func:`os_vif_hostinfo.receive` like any payload.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
import json
import logging
from typing import Any
import zlib

from oslo_serialization import jsonutils

from os_vif_hostinfo import _codec
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

#: The ``binding:profile`` key that carries HostInfo.
PROFILE_KEY = 'os_vif_hostinfo'
#: Neutron's limit on the length of the profile's JSON text.
MAX_PROFILE_LENGTH = 4095
#: What starts a compact value of encoding version 1.
COMPACT_PREFIX = 't1:'
#: Largest text a compact value may decompress or expand to.
MAX_EXPANDED_SIZE = wire.DEFAULT_MAX_SIZE

#: Accounted per object when measuring what a table expands to: more
#: than the envelope's keys and punctuation take.
_OBJECT_OVERHEAD = 128


def profile_length(profile: Mapping[str, Any]) -> int:
    """The length Neutron measures for ``profile``.

    That is ``len(jsonutils.dumps(profile))`` as neutron's ML2 plugin
    computes it before storing the profile.

    :raises InvalidArgument: if ``profile`` cannot be written as JSON.
    """
    try:
        return len(jsonutils.dumps(profile))
    except (TypeError, ValueError, RecursionError) as exc:
        raise exception.InvalidArgument(
            name='profile', value=_short(profile),
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


def _fit(primitive: dict[str, Any], profile: Mapping[str, Any] | None,
         max_length: int) -> dict[str, Any]:
    if (not isinstance(max_length, int) or isinstance(max_length, bool)
            or max_length < 1):
        raise exception.InvalidArgument(
            name='max_length', value=max_length,
            reason='expected a positive integer')
    if profile is None:
        base: dict[str, Any] = {}
    elif isinstance(profile, Mapping):
        base = dict(profile)
    else:
        raise exception.InvalidArgument(
            name='profile', value=_short(profile),
            reason='expected a dict of binding:profile keys or None')
    plain = dict(base)
    plain[PROFILE_KEY] = primitive
    plain_size = profile_length(plain)
    if plain_size <= max_length:
        return plain
    compact = dict(base)
    compact[PROFILE_KEY] = encode_compact(primitive)
    compact_size = profile_length(compact)
    if compact_size <= max_length:
        LOG.debug('HostInfo takes %d characters of binding:profile '
                  'compact (%d plain)', compact_size, plain_size)
        return compact
    raise exception.ProfileTooLarge(size=min(plain_size, compact_size),
                                    max_length=max_length)


def encode_compact(primitive: dict[str, Any]) -> str:
    """The compact form (encoding version 1) of a HostInfo primitive."""
    strings: dict[str, int] = {}
    numbers: list[int] = []
    version = primitive[_codec.KEY_VERSION]

    def add(name: str, version: versions.Version,
            data: dict[str, Any]) -> None:
        element = objects.CLASSES[name][0]._list_fields
        for field, child in sorted(_codec.layout(name, version)):
            value = data[field]
            if child is None:
                numbers.append(strings.setdefault(value, len(strings)))
                continue
            numbers.append(len(value))
            for item in value:
                add(element[field], child, item[_codec.KEY_DATA])

    add('HostInfo', versions.parse(version), primitive[_codec.KEY_DATA])
    table = json.dumps([version, list(strings), numbers],
                       separators=(',', ':'), ensure_ascii=False)
    packed = zlib.compress(table.encode('utf-8'), 9)
    return COMPACT_PREFIX + base64.b85encode(packed).decode('ascii')


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
        text = _expand(value, pin)
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
        raise exception.MalformedPayload(
            path='binding:profile.%s' % PROFILE_KEY,
            reason='not a JSON value: %s' % exc) from None


def _fail(reason: str) -> exception.MalformedPayload:
    return exception.MalformedPayload(
        path='binding:profile.%s' % PROFILE_KEY, reason=reason)


def _expand(value: str, pin: str | None) -> str:
    """The payload text a compact value stands for."""
    if not value.startswith(COMPACT_PREFIX):
        raise _fail('a string value must start with %r (compact encoding '
                    'version 1), got %r' % (COMPACT_PREFIX, value[:8]))
    body = value[len(COMPACT_PREFIX):]
    if len(body) > MAX_EXPANDED_SIZE:
        raise _fail('compact value of %d characters is over the limit of '
                    '%d' % (len(body), MAX_EXPANDED_SIZE))
    try:
        packed = base64.b85decode(body)
    except (ValueError, binascii.Error) as exc:
        raise _fail('not Base85: %s' % exc) from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, MAX_EXPANDED_SIZE)
    except zlib.error as exc:
        raise _fail('not zlib data: %s' % exc) from None
    if inflater.unconsumed_tail:
        raise _fail('decompresses to more than %d bytes'
                    % MAX_EXPANDED_SIZE)
    if not inflater.eof or inflater.unused_data:
        raise _fail('truncated or trailing zlib data')
    table = wire.loads(raw, max_size=MAX_EXPANDED_SIZE, max_depth=2)
    return _TableReader(table, pin).payload()


class _TableReader:
    """Turns a version 1 table back into wire primitive text."""

    def __init__(self, table: Any, pin: str | None) -> None:
        if (not isinstance(table, list) or len(table) != 3
                or not isinstance(table[0], str)
                or not isinstance(table[1], list)
                or not isinstance(table[2], list)):
            raise _fail('a compact table must be [version, [strings], '
                        '[integers]]')
        self.version_text, self.strings, self.numbers = table
        if not all(isinstance(s, str) for s in self.strings):
            raise _fail('the table\'s string list holds a non-string')
        if not all(type(n) is int and n >= 0 for n in self.numbers):
            raise _fail('the table\'s integer list holds something '
                        'other than integers >= 0')
        self.pin = pin
        self.position = 0
        self.expanded = 0

    def _next(self) -> int:
        if self.position >= len(self.numbers):
            raise _fail('the table ends early')
        number: int = self.numbers[self.position]
        self.position += 1
        return number

    def payload(self) -> str:
        try:
            version = versions.parse(self.version_text)
        except exception.InvalidVersion:
            raise _fail('invalid HostInfo version %r in the table'
                        % self.version_text[:16]) from None
        current = objects.current_version('HostInfo')
        if not current.is_compatible_with(version):
            limit = current
            if self.pin is not None:
                limit = min(current, versions.parse(self.pin, field='pin'))
            raise exception.UnsupportedVersion(
                object_name='HostInfo', requested_version=str(version),
                max_supported_version=str(limit))
        primitive = self._object('HostInfo', version)
        if self.position != len(self.numbers):
            raise _fail('%d integers left over after the table was read'
                        % (len(self.numbers) - self.position))
        return json.dumps(primitive, separators=(',', ':'),
                          ensure_ascii=False)

    def _object(self, name: str, version: versions.Version) -> Any:
        self.expanded += _OBJECT_OVERHEAD
        element = objects.CLASSES[name][0]._list_fields
        data: dict[str, Any] = {}
        for field, child in sorted(_codec.layout(name, version)):
            number = self._next()
            if child is None:
                if number >= len(self.strings):
                    raise _fail('string index %d is out of range (%d '
                                'strings)' % (number, len(self.strings)))
                data[field] = self.strings[number]
                self.expanded += len(data[field])
            else:
                if number > len(self.numbers) - self.position:
                    raise _fail('a list of %d items is longer than the '
                                'table' % number)
                data[field] = [self._object(element[field], child)
                               for _ in range(number)]
            if self.expanded > MAX_EXPANDED_SIZE:
                raise _fail('expands to more than %d bytes'
                            % MAX_EXPANDED_SIZE)
        return {_codec.KEY_DATA: data, _codec.KEY_NAME: name,
                _codec.KEY_NAMESPACE: objects.NAMESPACE,
                _codec.KEY_VERSION: str(version)}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + '...'
