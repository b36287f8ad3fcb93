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

"""Private: the compact encoding of a HostInfo primitive, version 1.

A compact value is the string ``"t1:"`` followed by Base85 (the RFC 1924
alphabet, Python's :func:`base64.b85encode`) of the zlib (RFC 1950)
compression of a *table*, the JSON array ``[HostInfo version, [string,
...], [integer, ...]]``. Starting from HostInfo at that version, every
object is written as its fields in sorted name order, at the version its
parent carries (:func:`os_vif_hostinfo.wire.layout`): a plain field as the
index of its value in the string list, a list field as its number of
items followed by the items. Names and versions repeat across plugins, so
the string list stays short and the integers compress well: a host of ten
plugins that takes 32,000 characters as a primitive takes about 560 here.

:func:`expand` turns a compact value back into the primitive's JSON text,
within :data:`MAX_EXPANDED_SIZE`: a compression or expansion bomb fails
with MalformedPayload before it costs memory.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
import zlib

from os_vif_hostinfo import _codec
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

#: What starts a compact value of encoding version 1.
PREFIX = 't1:'
#: The characters after the prefix (RFC 1924 Base85), none of which JSON
#: escapes.
ALPHABET = ('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
            '!#$%&()*+-;<=>?@^_`{|}~')
#: Largest text a compact value may decompress or expand to.
MAX_EXPANDED_SIZE = 1024 * 1024

#: Accounted per object when measuring what a table expands to: more
#: than the envelope's keys and punctuation take.
_OBJECT_OVERHEAD = 128


def encode(primitive: dict[str, Any]) -> str:
    """The compact value of a HostInfo primitive (as wire writes it)."""
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
    return PREFIX + base64.b85encode(packed).decode('ascii')


def _fail(reason: str, path: str = '$') -> exception.MalformedPayload:
    return exception.MalformedPayload(path=path, reason=reason)


def expand(value: str, pin: str | None = None,
           version: str | None = None) -> str:
    """The primitive's JSON text a compact value stands for.

    :param version: the HostInfo version the value must hold, when the
        caller was told (a HostInfo agent's report names each copy's).
    :raises MalformedPayload: if ``value`` is not a well-formed compact
        value, holds another version than ``version``, or stands for more
        than :data:`MAX_EXPANDED_SIZE`.
    :raises UnsupportedVersion: if its HostInfo version is newer than
        this library reads (or than ``pin``, if that is lower).
    """
    if not value.startswith(PREFIX):
        raise _fail('a string value must start with %r (compact encoding '
                    'version 1), got %r' % (PREFIX, value[:8]))
    body = value[len(PREFIX):]
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
    reader = _TableReader(table, pin)
    if version is not None and reader.version_text != version:
        raise _fail('holds HostInfo %r where %r was expected'
                    % (reader.version_text[:16], version))
    return reader.payload()


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
