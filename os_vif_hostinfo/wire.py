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

import functools
import itertools
import json
import operator
import re
import typing
from typing import Any, TypeVar

from oslo_serialization import jsonutils

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions

#: Largest payload :func:`deserialize` reads by default, in bytes.
DEFAULT_MAX_SIZE = 1024 * 1024
#: Deepest nesting of JSON arrays and objects it reads by default.
DEFAULT_MAX_DEPTH = 32

KEY_NAME = 'versioned_object.name'
KEY_NAMESPACE = 'versioned_object.namespace'
KEY_VERSION = 'versioned_object.version'
KEY_DATA = 'versioned_object.data'
KEY_CHANGES = 'versioned_object.changes'

_O = TypeVar('_O', bound=objects.HostObject)
_describe = exception.describe_json_type


@functools.lru_cache(maxsize=None)
def layout(object_name: str,
           version: versions.Version) -> tuple[tuple[str, Any], ...]:
    """What an object carries at ``version``: ``(field, child version)``.

    The child version is None for a plain field. A list field absent at
    ``version`` is left out. This is derived from each class's
    ``obj_relationships``, the single declaration of which child version
    a parent version carries; the tests check it against OVO's own
    ``obj_to_primitive``.
    """
    cls = objects.CLASSES[object_name][0]
    result: list[tuple[str, Any]] = []
    for field in cls.fields:
        if field not in cls.obj_relationships:
            result.append((field, None))
            continue
        child = None
        for parent_version, child_version in cls.obj_relationships[field]:
            if versions.parse(parent_version) <= version:
                child = versions.parse(child_version)
        if child is not None:
            result.append((field, child))
    return tuple(result)


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
    return _primitive(obj, target)


def _primitive(obj: objects.HostObject,
               version: versions.Version) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field, child in layout(obj.obj_name(), version):
        value = getattr(obj, field)  # IncompleteObject if unset
        if child is None:
            data[field] = value
            continue
        # A list can be appended to after it was checked on set; OVO lets
        # os-vif's objects of the same name in.
        element = obj._list_fields[field]
        for index, item in enumerate(value):
            if not (isinstance(item, objects.HostObject)
                    and item.obj_name() == element):
                raise exception.InvalidField(
                    object_name=obj.obj_name(), field=field, value=item,
                    reason='item %d is not an os_vif_hostinfo %s'
                    % (index, element))
        data[field] = [_primitive(item, child) for item in value]
    return {KEY_NAME: obj.obj_name(), KEY_NAMESPACE: objects.NAMESPACE,
            KEY_VERSION: str(version), KEY_DATA: data}


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
                field='max_version (this side reads %s up to %s)'
                % (expected_name, objects.current_version(expected_name)),
                value=max_version)
    value = loads(data, max_size=max_size, max_depth=max_depth)
    return _Reader(max_depth, pin).read_object(value, expected_name, '$', 1)


def loads(data: str | bytes, max_size: int = DEFAULT_MAX_SIZE,
          max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Parse JSON text or bytes with the size and depth limits.

    Both limits are checked on the text, before the JSON parser runs: a
    deeply nested payload never reaches the (recursive) parser.

    :raises MalformedPayload: on anything but one well-formed JSON value,
        or one over ``max_size`` bytes or nested deeper than ``max_depth``.
    """
    if isinstance(data, (bytes, bytearray, memoryview)):
        size = data.nbytes if isinstance(data, memoryview) else len(data)
        if size > max_size:
            raise _too_large(size, max_size)
        try:
            text = bytes(data).decode('utf-8')
        except UnicodeDecodeError as exc:
            raise exception.MalformedPayload(
                path='$', reason='invalid UTF-8 at byte %d' % exc.start
            ) from None
    elif isinstance(data, str):
        # A character is at least one byte; a str passing this test can
        # still be a few times max_size bytes long, never more than 4x.
        if len(data) > max_size:
            raise _too_large(len(data), max_size)
        text = data
    else:
        raise exception.MalformedPayload(
            path='$', reason='expected JSON text (str or bytes), got %s'
            % type(data).__name__)
    depth = _nesting(text)
    if depth > max_depth:
        raise exception.MalformedPayload(
            path='$', reason='nested %d deep, deeper than the limit of %d'
            % (depth, max_depth))
    try:
        return json.loads(text, parse_constant=_refuse_constant)
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


def _nesting(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text``.

    Brackets inside strings do not count. Runs at C speed (regular
    expressions and itertools), without recursion, on any text: for text
    that is not JSON the answer is only an upper bound of what a parser
    would reach before failing.
    """
    brackets = _NOT_BRACKET_RE.sub('', _STRING_RE.sub('', text))
    if not brackets:
        return 0
    weights = brackets.translate(_BRACKET_WEIGHTS).encode('ascii')
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


class _Reader:
    """Walks a parsed primitive, checking it, and builds the objects."""

    def __init__(self, max_depth: int,
                 pin: versions.Version | None = None) -> None:
        self.max_depth = max_depth
        self.pin = pin

    def _fail(self, path: str, reason: str) -> exception.MalformedPayload:
        return exception.MalformedPayload(path=path, reason=reason)

    def _enter(self, path: str, depth: int) -> None:
        if depth > self.max_depth:
            raise self._fail(path, 'nested deeper than the limit of %d'
                             % self.max_depth)

    def _check_depth(self, value: Any, path: str, depth: int) -> None:
        """Apply the depth limit to a value that is otherwise ignored."""
        stack = [(value, depth)]
        while stack:
            item, level = stack.pop()
            if isinstance(item, dict):
                self._enter(path, level)
                stack.extend((v, level + 1) for v in item.values())
            elif isinstance(item, list):
                self._enter(path, level)
                stack.extend((v, level + 1) for v in item)

    def _string(self, prim: dict[str, Any], key: str, path: str) -> str:
        if key not in prim:
            raise self._fail(path, 'missing key %r' % key)
        value = prim[key]
        if not isinstance(value, str):
            raise self._fail('%s.%s' % (path, key),
                             'expected a string, got %s' % _describe(value))
        return value

    def _version(self, value: str, path: str) -> versions.Version:
        try:
            return versions.parse(value, field=path)
        except exception.InvalidVersion:
            raise self._fail(path, 'invalid version %r: expected '
                             '"MAJOR.MINOR" with ASCII digits only'
                             % value) from None

    def read_object(self, prim: Any, expected: str, path: str,
                    depth: int) -> objects.HostObject:
        self._enter(path, depth)
        if not isinstance(prim, dict):
            raise self._fail(path, 'expected a %s object, got %s'
                             % (expected, _describe(prim)))
        namespace = self._string(prim, KEY_NAMESPACE, path)
        if namespace != objects.NAMESPACE:
            raise self._fail('%s.%s' % (path, KEY_NAMESPACE),
                             'expected namespace %r, got %r'
                             % (objects.NAMESPACE, namespace))
        name = self._string(prim, KEY_NAME, path)
        if name not in objects.CLASSES:
            raise self._fail('%s.%s' % (path, KEY_NAME),
                             'unknown object %r' % name)
        if name != expected:
            raise self._fail('%s.%s' % (path, KEY_NAME),
                             'expected a %s, got a %s' % (expected, name))
        version = self._version(self._string(prim, KEY_VERSION, path),
                                '%s.%s' % (path, KEY_VERSION))
        current = objects.current_version(name)
        if depth == 1 and self.pin is not None:
            current = self.pin
        if not current.is_compatible_with(version):
            raise exception.UnsupportedVersion(
                object_name=name, requested_version=str(version),
                max_supported_version=str(current))
        changes = prim.get(KEY_CHANGES, [])
        if not isinstance(changes, list) or not all(
                isinstance(c, str) for c in changes):
            raise self._fail('%s.%s' % (path, KEY_CHANGES),
                             'expected an array of strings')
        for key, extra in prim.items():
            if key not in (KEY_NAME, KEY_NAMESPACE, KEY_VERSION, KEY_DATA):
                self._check_depth(extra, '%s.%s' % (path, key), depth + 1)
        if KEY_DATA not in prim:
            raise self._fail(path, 'missing key %r' % KEY_DATA)
        data = prim[KEY_DATA]
        data_path = '%s.%s' % (path, KEY_DATA)
        self._enter(data_path, depth + 1)
        if not isinstance(data, dict):
            raise self._fail(data_path, 'expected an object, got %s'
                             % _describe(data))
        return self._read_fields(name, version, data, data_path, depth + 2)

    def _read_fields(self, name: str, version: versions.Version,
                     data: dict[str, Any], path: str,
                     depth: int) -> objects.HostObject:
        cls = objects.CLASSES[name][0]
        kwargs: dict[str, Any] = {}
        for field, _child in layout(name, version):
            field_path = '%s.%s' % (path, field)
            if field in cls._list_fields:
                items = data.get(field, [])
                if field in data:
                    self._enter(field_path, depth)
                if not isinstance(items, list):
                    raise self._fail(field_path, 'expected an array, got %s'
                                     % _describe(items))
                element = cls._list_fields[field]
                kwargs[field] = [
                    self.read_object(item, element,
                                     '%s[%d]' % (field_path, index),
                                     depth + 1)
                    for index, item in enumerate(items)]
            else:
                kwargs[field] = self._string(data, field, path)
                if field in cls._version_fields:
                    self._version(kwargs[field], field_path)
        if cls._version_fields:
            low, high = kwargs['min_version'], kwargs['max_version']
            if versions.parse(low) > versions.parse(high):
                raise self._fail('%s.min_version' % path, (
                    'min_version %s is greater than max_version %s'
                    % (low, high)))
        for key, extra in data.items():
            if key not in kwargs:
                self._check_depth(extra, '%s.%s' % (path, key), depth)
        try:
            obj = cls(**kwargs)
        except exception.InvalidField as exc:
            bad = exc.kwargs.get('field')
            if bad in cls.fields:
                # Point at the field, not only at the object holding it.
                raise self._fail('%s.%s' % (path, bad), str(exc)) from None
            raise self._fail(path, str(exc)) from None
        obj.obj_reset_changes(recursive=False)
        return obj
