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

import itertools
import json
import operator
import re
import typing
from typing import Any, TypeVar

from oslo_serialization import jsonutils

from os_vif_hostinfo import _codec
from os_vif_hostinfo import _fastread
from os_vif_hostinfo import _lru
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
        object in namespace ``os_vif``, or is over ``max_size`` bytes or
        nested deeper than ``max_depth``.
    :raises UnsupportedVersion: if the object, or one inside it, is newer
        than this library supports, or the object is newer than
        ``max_version`` (a pin); ``to_dict()`` is the reply to send.
    :raises InvalidVersion: if ``max_version`` is not a version this
        library can read.
    """
    if isinstance(expected, type) and issubclass(
            expected, objects.HostObject):
        expected_name = expected.obj_name()
    else:
        raise exception.InvalidObject(
            expected='a host information class', value=expected)
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
    if text.count('[') + text.count('{') > _SHALLOW_OPENINGS:
        # As loads(): the nesting is checked before the parser runs.
        _check_nesting(text, max_depth)
        value = _parse_json(text)
        obj = _fastread.fast_read(value, expected_name, pin, max_depth)
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
        obj = _fastread.fast_read(value, expected_name, pin, max_depth)
        if obj is None:
            _check_nesting(text, max_depth)
    if obj is None:
        obj = _codec.Reader(max_depth, pin).read_object(
            value, expected_name, '$', 1)
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
        """Same arguments, result and errors as :func:`deserialize`."""
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
        or one over ``max_size`` bytes or nested deeper than ``max_depth``.
    """
    text = _text(data, max_size)
    _check_nesting(text, max_depth)
    return _parse_json(text)


def _text(data: str | bytes, max_size: int) -> str:
    """The payload as text, within the size limit."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        size = data.nbytes if isinstance(data, memoryview) else len(data)
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
    depth = _nesting(text)
    if depth > max_depth:
        raise exception.MalformedPayload(
            path='$', reason='nested %d deep, deeper than the limit of %d'
            % (depth, max_depth))


def _parse_json(text: str) -> Any:
    try:
        if text.startswith('\ufeff'):
            # json.loads refuses a byte order mark with its own message.
            return json.loads(text, parse_constant=_refuse_constant)
        return _JSON_DECODER.decode(text)
    except exception.MalformedPayload:
        raise
    except RecursionError:
        raise exception.MalformedPayload(
            path='$', reason='nested too deeply') from None
    except ValueError as exc:
        reason = 'not JSON: %s' % (getattr(exc, 'msg', None) or exc)
        if isinstance(exc, json.JSONDecodeError):
            reason += ' (line %d column %d)' % (exc.lineno, exc.colno)
        raise exception.MalformedPayload(path='$', reason=reason) from None


# A JSON string literal (escapes included), and what is not a bracket.
_STRING_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET_RE = re.compile(r'[^\[\]{}]+')
# Opening brackets count 2, closing ones 0 (see _nesting).
_BRACKET_WEIGHTS = str.maketrans({'[': '\x02', '{': '\x02', ']': '\x00',
                                  '}': '\x00'})


# Every byte but quotes and brackets, for bytes.translate(None, ...).
_NOT_QUOTE_OR_BRACKET = bytes(sorted(set(range(128)) - set(b'"[]{}')))
_BRACKET_WEIGHT_BYTES = bytes.maketrans(b'[{]}', b'\x02\x02\x00\x00')
# Deeper than this, _nesting counts bracket by bracket instead.
_PAIR_PASSES = 64


def _ascii_bracket_weights(text: str) -> bytes:
    """What _nesting weighs, for ASCII text without backslashes.

    Without escapes a string literal runs from a quote to the next one, so
    splitting at the quotes leaves the text outside strings at the even
    places, and after an unpaired last quote (as the regular expression
    leaves it). Done on bytes with C-speed calls, this costs a fraction
    of the regular expressions on a typical payload.
    """
    kept = text.encode('ascii').translate(None, _NOT_QUOTE_OR_BRACKET)
    # Usually no string holds a bracket: each is a bare pair of quotes
    # now, and dropping those pairs leaves no quote at all.
    bare = kept.replace(b'""', b'')
    if b'"' not in bare:
        return bare.translate(_BRACKET_WEIGHT_BYTES)
    parts = kept.split(b'"')
    outside = parts[0::2]
    if len(parts) % 2 == 0:
        outside.append(parts[-1])
    return b''.join(outside).translate(_BRACKET_WEIGHT_BYTES)


def _nesting(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text``.

    Brackets inside strings do not count. Runs at C speed (regular
    expressions and itertools), without recursion, on any text: for text
    that is not JSON the answer is only an upper bound of what a parser
    would reach before failing.
    """
    if text.isascii() and '\\' not in text:
        weights = _ascii_bracket_weights(text)
    else:
        brackets = _NOT_BRACKET_RE.sub('', _STRING_RE.sub('', text))
        weights = brackets.translate(_BRACKET_WEIGHTS).encode('ascii')
    if not weights:
        return 0
    # Balanced brackets, as in any JSON text, nest as deep as the number
    # of passes that strip the innermost pairs until nothing is left.
    rest = weights
    for passes in range(_PAIR_PASSES):
        if not rest:
            return passes
        stripped = rest.replace(b'\x02\x00', b'')
        if len(stripped) == len(rest):
            break  # unbalanced: measured below
        rest = stripped
    # After the i-th bracket (from 1) the depth is opens - closes, that is
    # 2 * opens - i: the running sum of the weights minus i.
    return max(map(operator.sub, itertools.accumulate(weights),
                   itertools.count(1)))


def _too_large(size: int, limit: int) -> exception.MalformedPayload:
    return exception.MalformedPayload(
        path='$', reason='payload of %d bytes is over the limit of %d'
        % (size, limit))


def _refuse_constant(name: str) -> Any:
    raise exception.MalformedPayload(
        path='$', reason='%s is not allowed in a payload' % name)


#: Stateless once built; reused to spare building a scanner per call.
_JSON_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
