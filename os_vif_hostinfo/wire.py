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

"""The wire format: host information objects as compact JSON text.

What goes on the wire is oslo.versionedobjects' primitive (namespace
``os_vif``) without the ``versioned_object.changes`` bookkeeping, with keys
sorted so that equal objects give equal text. Reading is strict about shape
and types, names the place of the first problem (``$.versioned_object.data.
plugin_info[0]...``), and refuses oversized or deeply nested payloads before
they cost anything.
"""

from __future__ import annotations

import json
import math
import typing
from typing import Any, TypeVar

from oslo_serialization import jsonutils

from os_vif_hostinfo import _codec
from os_vif_hostinfo import _fastread
from os_vif_hostinfo import _lru
from os_vif_hostinfo import _scan
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions

#: Largest payload :func:`deserialize` reads by default, in bytes.
DEFAULT_MAX_SIZE = 1024 * 1024
#: Deepest nesting of JSON arrays and objects it reads by default.
DEFAULT_MAX_DEPTH = 32

KEY_NAME = _codec.KEY_NAME
KEY_NAMESPACE = _codec.KEY_NAMESPACE
KEY_VERSION = _codec.KEY_VERSION
KEY_DATA = _codec.KEY_DATA
KEY_CHANGES = _codec.KEY_CHANGES

_O = TypeVar('_O', bound=objects.HostObject)

#: What an object carries at a version: ``(field, child version)`` pairs,
#: derived from each class's ``obj_relationships`` (see
#: :func:`os_vif_hostinfo._codec.layout`).
layout = _codec.layout


def to_primitive(obj: objects.HostObject,
                 target_version: str | None = None) -> dict[str, Any]:
    """Return the wire primitive of ``obj`` at ``target_version``.

    :raises InvalidObject: if ``obj`` is not a host information object.
    :raises IncompleteObject: if a field is unset.
    :raises InvalidField: if a list holds something other than this
        library's objects of the right class.
    :raises UnsupportedVersion: if this library cannot produce that version.
    :raises InvalidVersion: if ``target_version`` is not ``MAJOR.MINOR``.
    """
    if not isinstance(obj, objects.HostObject):
        raise exception.InvalidObject(
            expected='a host information object', value=obj)
    name = obj.obj_name()
    current = objects.current_version(name)
    if target_version is None:
        target = current
    else:
        target = versions.parse(target_version, field='target_version')
        if not current.is_compatible_with(target):
            raise exception.UnsupportedVersion(
                object_name=name, requested_version=str(target),
                max_supported_version=str(current))
    return _codec.primitive(obj, target)


def serialize(obj: objects.HostObject,
              target_version: str | None = None) -> str:
    """Return ``obj`` as compact JSON text, backleveled if asked.

    Backleveling a parent backlevels every child to the version that parent
    version carried, so the result is readable by a peer that knows only
    ``target_version``.

    :raises InvalidObject: if ``obj`` is not a host information object.
    :raises IncompleteObject: if a field is unset.
    :raises InvalidField: if a list holds something other than this
        library's objects of the right class.
    :raises UnsupportedVersion: if this library cannot produce that version.
    :raises InvalidVersion: if ``target_version`` is not ``MAJOR.MINOR``.
    """
    return jsonutils.dumps(to_primitive(obj, target_version),
                           sort_keys=True, separators=(',', ':'))


@typing.overload
def deserialize(data: str | bytes, *, max_size: int = ...,
                max_depth: int = ...,
                max_version: str | None = ...) -> objects.HostInfo:
    ...


@typing.overload
def deserialize(data: str | bytes, expected: type[_O], max_size: int = ...,
                max_depth: int = ...,
                max_version: str | None = ...) -> _O:
    ...


def deserialize(data: str | bytes, expected: type[Any] = objects.HostInfo,
                max_size: int = DEFAULT_MAX_SIZE,
                max_depth: int = DEFAULT_MAX_DEPTH,
                max_version: str | None = None) -> Any:
    """Read JSON text or bytes into an object of class ``expected``.

    Objects of an older version come back as this library's current
    classes, with fields their version lacked set to empty lists.

    :raises MalformedPayload: if ``data`` is not a well-formed ``expected``
        object in namespace ``os_vif``, names a key twice in one JSON
        object, describes a plugin twice (or a VIF class twice within a
        plugin), or is over ``max_size`` bytes or nested deeper than
        ``max_depth``. Any text is read or refused in time linear in its
        length.
    :raises UnsupportedVersion: if the object, or one inside it, is newer
        than this library supports, or the object is newer than
        ``max_version`` (a pin); ``to_dict()`` is the reply to send.
    :raises InvalidVersion: if ``max_version`` is not a version this
        library can read.
    :raises InvalidArgument: if ``max_size`` or ``max_depth`` is not a
        positive integer.
    """
    if isinstance(expected, type) and issubclass(
            expected, objects.HostObject):
        expected_name = expected.obj_name()
    else:
        raise exception.InvalidObject(
            expected='a host information class', value=expected)
    _check_limits(max_size, max_depth)
    pin = None
    if max_version is not None:
        pin = versions.parse(max_version, field='max_version')
        if not objects.current_version(expected_name).is_compatible_with(
                pin):
            raise exception.InvalidVersion(
                field='max_version', value=max_version,
                reason='this side reads %s up to %s' % (
                    expected_name, objects.current_version(expected_name)))
    text = _text(data, max_size)
    keys = [0]
    if text.count('[') + text.count('{') > _SHALLOW_OPENINGS:
        # As loads(): the nesting is checked before the parser runs.
        _check_nesting(text, max_depth)
        value = _parse_json(text)
        obj = _fastread.fast_read(value, expected_name, pin, max_depth, keys)
    else:
        # So few brackets cannot nest deep enough to strain the parser's
        # stack: parse first and measure the nesting only if needed. The
        # fast reader takes nothing nested deeper than max_depth (it
        # checks each container), so a payload too deep either fails to
        # parse or is declined, and gets the same error as from loads().
        try:
            value = _parse_json(text)
        except exception.MalformedPayload:
            _check_nesting(text, max_depth)
            raise
        obj = _fastread.fast_read(value, expected_name, pin, max_depth, keys)
        if obj is None:
            _check_nesting(text, max_depth)
    if obj is None:
        # Its refusals stand: a repeated key cannot make a refused
        # payload readable.
        reader = _codec.Reader(max_depth, pin)
        obj = reader.read_object(value, expected_name, '$', 1)
        keys[0] = reader.keys
    # Every key of a JSON object is followed by a colon, and outside the
    # strings nothing else is: fewer keys read than colons in the text
    # means a key repeated (or a colon inside a string), which only a
    # reader of objects that remember their keys can tell.
    if keys[0] != text.count(':'):
        obj = _codec.Reader(max_depth, pin).read_object(
            _parse_json(text, _codec.pairs_hook), expected_name, '$', 1)
    return obj


class Decoder:
    """Reads payloads like :func:`deserialize`, remembering recent ones.

    A network host hears the same host description many times. A decoder
    remembers the last ``cache_size`` distinct payloads it read, keyed by
    their exact text or bytes together with the other arguments, and
    answers a repeat with new objects built from an immutable copy: what a
    caller does to the objects it gets never reaches the cache or another
    caller. Refused payloads are not remembered. Safe to share between
    threads. Memory: up to ``cache_size`` payloads plus their objects.
    ``hits`` and ``misses`` count the answers from and not from memory.

    :param cache_size: how many payloads to remember; 0 remembers none.
    :raises InvalidArgument: if ``cache_size`` is not an integer >= 0.
    """

    def __init__(self, cache_size: int = 128) -> None:
        if (not isinstance(cache_size, int) or isinstance(cache_size, bool)
                or cache_size < 0):
            raise exception.InvalidArgument(
                name='cache_size', value=cache_size,
                reason='expected an integer of at least 0')
        self.cache_size = cache_size
        self._entries: _lru.BoundedLRU[_fastread.Frozen] = _lru.BoundedLRU(
            cache_size)

    @property
    def hits(self) -> int:
        """How many payloads were answered from memory."""
        return self._entries.hits

    @property
    def misses(self) -> int:
        """How many payloads were not in memory."""
        return self._entries.misses

    @typing.overload
    def decode(self, data: str | bytes, *, max_size: int = ...,
               max_depth: int = ...,
               max_version: str | None = ...) -> objects.HostInfo:
        ...

    @typing.overload
    def decode(self, data: str | bytes, expected: type[_O],
               max_size: int = ..., max_depth: int = ...,
               max_version: str | None = ...) -> _O:
        ...

    def decode(self, data: str | bytes,
               expected: type[Any] = objects.HostInfo,
               max_size: int = DEFAULT_MAX_SIZE,
               max_depth: int = DEFAULT_MAX_DEPTH,
               max_version: str | None = None) -> Any:
        """Same arguments, result and errors as :func:`deserialize`.

        The limits are checked first: an oversized payload is refused
        before it is copied or hashed.
        """
        _check_limits(max_size, max_depth)
        size = _size(data)
        if size > max_size:
            raise _too_large(size, max_size)
        if isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        # The type first: equal ASCII str and bytes hash alike, and
        # comparing them would warn under python -b.
        key: Any = (type(data), data, expected, max_size, max_depth,
                    max_version)
        try:
            hash(key)
        except TypeError:
            # Arguments deserialize() refuses; let it say why.
            key = None
        if key is not None and self.cache_size:
            frozen = self._entries.get(key)
            if frozen is not None:
                return _fastread.thaw(frozen)
        obj = deserialize(data, expected, max_size=max_size,
                          max_depth=max_depth, max_version=max_version)
        if key is not None and self.cache_size:
            self._entries.put(key, _fastread.freeze(obj))
        return obj

    def clear(self) -> None:
        """Forget every payload (the hit and miss counts stay)."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def loads(data: str | bytes, max_size: int = DEFAULT_MAX_SIZE,
          max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse JSON text or bytes with the size and depth limits.

    Both limits are checked on the text, before the JSON parser runs: a
    deeply nested payload never reaches the (recursive) parser.

    :raises MalformedPayload: on anything but one well-formed JSON value,
        or one over ``max_size`` bytes, nested deeper than ``max_depth``,
        or naming a key twice in one object.
    :raises InvalidArgument: if a limit is not a positive integer.
    """
    _check_limits(max_size, max_depth)
    text = _text(data, max_size)
    _check_nesting(text, max_depth)
    value = _parse_json(text, _codec.pairs_hook)
    repeated = _codec.duplicate_key_path(value)
    if repeated is not None:
        raise exception.MalformedPayload(
            path=repeated[0], reason='duplicate key %r (readers differ on '
            'which one counts)' % repeated[1])
    return value


def _check_limits(max_size: Any, max_depth: Any) -> None:
    """Refuse limits that are not positive integers."""
    if (type(max_size) is int and type(max_depth) is int and max_size > 0
            and max_depth > 0):
        return  # the usual case, quickly
    for name, value in (('max_size', max_size), ('max_depth', max_depth)):
        if (not isinstance(value, int) or isinstance(value, bool)
                or value < 1):
            raise exception.InvalidArgument(
                name=name, value=value,
                reason='expected a positive integer')


def _size(data: Any) -> int:
    """What the size limit measures: bytes, or characters of a str.

    Anything else measures 0 here and is refused by :func:`_text`.
    """
    if isinstance(data, memoryview):
        return data.nbytes
    if isinstance(data, (str, bytes, bytearray)):
        return len(data)
    return 0


def _text(data: str | bytes, max_size: int) -> str:
    """The payload as text, within the size limit."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        size = _size(data)
        if size > max_size:
            raise _too_large(size, max_size)
        try:
            return bytes(data).decode('utf-8')
        except UnicodeDecodeError as exc:
            raise exception.MalformedPayload(
                path='$', reason='invalid UTF-8 at byte %d' % exc.start
            ) from None
    if isinstance(data, str):
        # A character is at least one byte; a str passing this test can
        # still be a few times max_size bytes long, never more than 4x.
        if len(data) > max_size:
            raise _too_large(len(data), max_size)
        return data
    raise exception.MalformedPayload(
        path='$', reason='expected JSON text (str or bytes), got %s'
        % type(data).__name__)


#: Text with no more opening brackets than this nests no deeper, which
#: the JSON parser survives even in a thread with a 64 KiB stack (it
#: survives 400 levels there).
_SHALLOW_OPENINGS = 128


def _check_nesting(text: str, max_depth: int) -> None:
    depth = _scan.nesting(text)
    if depth > max_depth:
        raise exception.MalformedPayload(
            path='$', reason='nested %d deep, deeper than the limit of %d'
            % (depth, max_depth))


def _parse_json(text: str, pairs_hook: Any = None) -> Any:
    try:
        if text.startswith('\ufeff'):
            # json.loads refuses a byte order mark with its own message.
            return json.loads(text, parse_constant=_refuse_constant,
                              parse_float=_finite_float)
        if pairs_hook is not None:
            return json.JSONDecoder(
                parse_constant=_refuse_constant, parse_float=_finite_float,
                object_pairs_hook=pairs_hook).decode(text)
        return _JSON_DECODER.decode(text)
    except _NonFinite as exc:
        raise _non_finite(text, exc.args[0]) from None
    except RecursionError:
        raise exception.MalformedPayload(
            path='$', reason='nested too deeply') from None
    except ValueError as exc:
        reason = 'not JSON: %s' % (getattr(exc, 'msg', None) or exc)
        if isinstance(exc, json.JSONDecodeError):
            reason += ' (line %d column %d)' % (exc.lineno, exc.colno)
        raise exception.MalformedPayload(path='$', reason=reason) from None


def _too_large(size: int, limit: int) -> exception.MalformedPayload:
    return exception.MalformedPayload(
        path='$', reason='payload of %d bytes is over the limit of %d'
        % (size, limit))


class _NonFinite(Exception):
    """The parser met NaN or an infinity; :func:`_non_finite` says where."""


def _refuse_constant(name: str) -> Any:
    raise _NonFinite(name)


def _finite_float(text: str) -> float:
    # Called only for numbers with a fraction or an exponent, which no
    # payload this library writes holds: no cost on the usual path.
    value = float(text)
    if math.isinf(value):
        raise _NonFinite(text)
    return value


def _non_finite(text: str, number: str) -> exception.MalformedPayload:
    """The refusal of a text holding a number that is not finite.

    One rule wherever the number is (``NaN``, ``Infinity``, or a number
    too large for a double, such as ``1e999``): the text is parsed again,
    letting such numbers through as floats, to name the place of the
    first one, ``number``. That costs a second parse, on the refusal path
    only.
    """
    try:
        found = _codec.non_finite_path(json.loads(text))
    except (ValueError, RecursionError):
        found = None  # the parser stopped at the number: it comes first
    return exception.MalformedPayload(
        path=found[0] if found is not None else '$',
        reason='%s is not allowed in a payload: numbers must be finite'
        % number)


#: Stateless once built; reused to spare building a scanner per call.
_JSON_DECODER = json.JSONDecoder(parse_constant=_refuse_constant,
                                 parse_float=_finite_float)
