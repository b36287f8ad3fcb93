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

"""Private: the wire primitives of the four known classes.

:func:`primitive` builds a primitive straight from the objects' stored
values (the tests prove it matches OVO's ``obj_to_primitive``, without the
change list). :class:`Reader` checks a parsed primitive value by value,
names the place of the first problem and builds the objects: it is the
reference reader, behind the fast one in :mod:`._fastread`.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions

KEY_NAME = 'versioned_object.name'
KEY_NAMESPACE = 'versioned_object.namespace'
KEY_VERSION = 'versioned_object.version'
KEY_DATA = 'versioned_object.data'
KEY_CHANGES = 'versioned_object.changes'

_describe = exception.describe_json_type
_attrname = ovo_base._get_attrname

#: (object name, list field) -> the field of its elements that must not
#: repeat: a host describes each plugin once, a plugin each VIF class once.
UNIQUE_NAMES = {
    ('HostInfo', 'plugin_info'): 'plugin_name',
    ('HostPluginInfo', 'vif_info'): 'vif_object_name',
}


class DuplicateKeys(dict[str, Any]):
    """A JSON object that named a key more than once (see pairs_hook)."""

    duplicate: str


def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` that marks objects repeating a key.

    The JSON parser keeps the last of equal keys; another reader of the
    same text may keep the first. The mark lets :class:`Reader` refuse
    such an object with its path.
    """
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen = set()
    for key, _value in pairs:
        if key in seen:
            break
        seen.add(key)
    marked = DuplicateKeys(result)
    marked.duplicate = key
    return marked


def duplicate_key_path(value: Any) -> tuple[str, str] | None:
    """``(path, key)`` of the first object of ``value`` repeating a key."""
    stack = [(value, '$')]
    while stack:
        item, path = stack.pop()
        if isinstance(item, DuplicateKeys):
            return path, item.duplicate
        if isinstance(item, dict):
            stack.extend((child, '%s.%s' % (path, key))
                         for key, child in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((child, '%s[%d]' % (path, index))
                         for index, child in reversed(list(enumerate(item))))
    return None


def non_finite_path(value: Any, path: str = '$') -> tuple[str, float] | None:
    """``(path, number)`` of the first NaN or infinity in ``value``.

    First in the order of the text the value was parsed from. No payload
    may hold one (JSON has no such numbers; Python's parser reads ``NaN``,
    ``Infinity`` and numbers too large for a double, such as ``1e999``,
    as floats), wherever it is, ignored keys included.
    """
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return where, item
        if isinstance(item, dict):
            stack.extend((child, '%s.%s' % (where, key))
                         for key, child in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((child, '%s[%d]' % (where, index))
                         for index, child in reversed(list(enumerate(item))))
    return None


@functools.lru_cache(maxsize=None)
def layout(object_name: str,
           version: versions.Version) -> tuple[tuple[str, Any], ...]:
    """What an object carries at ``version``: ``(field, child version)``.

    The child version is None for a plain field. A list field absent at
    ``version`` is left out. This is derived from each class's
    ``obj_relationships``, the single declaration of which child version
    a parent version carries; the tests check it against OVO's own
    ``obj_to_primitive``.

    :raises InvalidObject: if this library has no object of that name.
    """
    cls = objects.newest_class(object_name)
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


@functools.lru_cache(maxsize=None)
def _write_plan(object_name: str, version: versions.Version,
                ) -> tuple[str, tuple[tuple[str, str, Any, str], ...]]:
    """``(version text, ((field, attribute, child version, element), ...))``.

    Fields come in sorted order, so the primitive's keys are already in the
    order ``json.dumps(..., sort_keys=True)`` would write them. ``element``
    is the object name a list field holds ('' for plain fields).
    """
    cls = objects.CLASSES[object_name][0]
    return str(version), tuple(sorted(
        (field, _attrname(field), child, cls._list_fields.get(field, ''))
        for field, child in layout(object_name, version)))


def primitive(obj: objects.HostObject,
              version: versions.Version) -> dict[str, Any]:
    """The wire primitive of ``obj`` at ``version`` (no checks on ``obj``).

    Field values are read from OVO's storage directly; an unset field goes
    through the attribute, which raises IncompleteObject. A list holding
    anything but this library's objects of its class raises InvalidField.
    """
    name = obj.obj_name()
    text, plan = _write_plan(name, version)
    stored = obj.__dict__
    data: dict[str, Any] = {}
    for field, attr, child, element in plan:
        try:
            value = stored[attr]
        except KeyError:
            value = getattr(obj, field)  # IncompleteObject if unset
        if child is None:
            data[field] = value
            continue
        # A list can be appended to after it was checked on set; OVO lets
        # os-vif's objects of the same name in.
        for index, item in enumerate(value):
            if not (isinstance(item, objects.HostObject)
                    and item.obj_name() == element):
                raise exception.InvalidField(
                    object_name=name, field=field, value=item,
                    reason='item %d is not an os_vif_hostinfo %s'
                    % (index, element))
        data[field] = [primitive(item, child) for item in value]
    # Keys in sorted order (see _write_plan).
    return {KEY_DATA: data, KEY_NAME: name,
            KEY_NAMESPACE: objects.NAMESPACE, KEY_VERSION: text}


class Reader:
    """Walks a parsed primitive, checking every value, and builds objects.

    This is the reference reader: every payload the fast path in
    :func:`fast_read` does not take is read here, and every refusal comes
    from here, with the path of the first problem.
    """

    def __init__(self, max_depth: int,
                 pin: versions.Version | None = None) -> None:
        self.max_depth = max_depth
        self.pin = pin
        #: How many keys the JSON objects read so far hold (see
        #: :func:`~os_vif_hostinfo._fastread.fast_read`).
        self.keys = 0

    def _fail(self, path: str, reason: str) -> exception.MalformedPayload:
        return exception.MalformedPayload(path=path, reason=reason)

    def _enter(self, path: str, depth: int) -> None:
        if depth > self.max_depth:
            raise self._fail(path, 'nested deeper than the limit of %d'
                             % self.max_depth)

    def _check_keys(self, prim: dict[str, Any], path: str) -> None:
        self.keys += len(prim)
        if isinstance(prim, DuplicateKeys):
            raise self._fail(path, 'duplicate key %r (readers differ on '
                             'which one counts)' % prim.duplicate)

    def _check_depth(self, value: Any, path: str, depth: int) -> None:
        """Apply the limits to a value that is otherwise ignored."""
        stack = [(value, depth)]
        while stack:
            item, level = stack.pop()
            if isinstance(item, dict):
                self._enter(path, level)
                self._check_keys(item, path)
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
            raise self._fail(path, 'invalid version %r: %s'
                             % (value, versions.problem(value))) from None

    def read_object(self, prim: Any, expected: str, path: str,
                    depth: int) -> objects.HostObject:
        self._enter(path, depth)
        if not isinstance(prim, dict):
            raise self._fail(path, 'expected a %s object, got %s'
                             % (expected, _describe(prim)))
        self._check_keys(prim, path)
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
        self._check_keys(data, data_path)
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
                self._check_unique(name, field, kwargs[field], field_path)
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

    def _check_unique(self, name: str, field: str,
                      items: list[objects.HostObject], path: str) -> None:
        key = UNIQUE_NAMES.get((name, field))
        if key is None:
            return
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            value = getattr(item, key)
            if value in first:
                raise self._fail(
                    '%s[%d].%s.%s' % (path, index, KEY_DATA, key),
                    '%s %r is already described at %s[%d]'
                    % (key, value, field, first[value]))
            first[value] = index
