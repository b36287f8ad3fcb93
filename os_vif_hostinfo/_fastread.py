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

"""Private: read well-formed payloads quickly; freeze and thaw objects.

:func:`fast_read` takes only payloads that are well-formed in the usual way
(the four keys, or five with ``versioned_object.changes``, and exactly the
fields of the version) and builds the objects without going through OVO's
setters, whose checks it has already made. Anything else it leaves to
:class:`~os_vif_hostinfo._codec.Reader`, so every refusal and its message
come from there. The tests in ``test_wire_fastpath`` prove that the two
accept the same payloads and build identical objects.

:func:`freeze` and :func:`thaw` back :class:`~os_vif_hostinfo.wire.Decoder`'s
cache: an immutable copy in, new objects out.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo._codec import KEY_CHANGES
from os_vif_hostinfo._codec import KEY_DATA
from os_vif_hostinfo._codec import KEY_NAME
from os_vif_hostinfo._codec import KEY_NAMESPACE
from os_vif_hostinfo._codec import KEY_VERSION
from os_vif_hostinfo._codec import layout
from os_vif_hostinfo._codec import UNIQUE_NAMES
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions

_attrname = ovo_base._get_attrname
_parse = versions._parse
_new = object.__new__


class _ReadPlan(NamedTuple):
    """How to read one object name at one version, worked out once."""

    cls: type[objects.HostObject]
    version: versions.Version
    #: (field, attribute) of the strings that must be non-blank names.
    names: tuple[tuple[str, str], ...]
    #: (field, attribute) of the other string fields.
    strings: tuple[tuple[str, str], ...]
    #: Whether min_version and max_version must form a range.
    ranged: bool
    #: (field, attribute, element object name, plans of the element,
    #: attribute of the elements that must not repeat, or '').
    lists: tuple[tuple[str, str, str, dict[str, _ReadPlan], str], ...]
    #: Attributes of list fields this version lacks; they read as [].
    absent: tuple[str, ...]
    #: How many keys ``versioned_object.data`` must hold (the strings).
    required: int


def _make_plan(cls: type[objects.HostObject], version: versions.Version,
               tables: dict[str, dict[str, _ReadPlan]]) -> _ReadPlan:
    names = []
    strings = []
    lists = []
    carried = set()
    for field, child in layout(cls.obj_name(), version):
        carried.add(field)
        if field in cls._list_fields:
            element = cls._list_fields[field]
            unique = UNIQUE_NAMES.get((cls.obj_name(), field))
            lists.append((field, _attrname(field), element,
                          tables.setdefault(element, {}),
                          _attrname(unique) if unique else ''))
        elif field in cls._name_fields:
            names.append((field, _attrname(field)))
        elif field not in cls._version_fields:
            strings.append((field, _attrname(field)))
    absent = tuple(_attrname(field) for field in cls._list_fields
                   if field not in carried)
    return _ReadPlan(cls, version, tuple(names), tuple(strings),
                     bool(cls._version_fields), tuple(lists), absent,
                     len(carried) - len(lists))


def _all_plans() -> dict[str, dict[str, _ReadPlan]]:
    """Object name -> version text -> plan, for every version we read.

    Those are the versions of the current major version up to the current
    one; version texts are canonical (no leading zeros), so a payload's
    version is readable exactly when its text is a key here.
    """
    tables: dict[str, dict[str, _ReadPlan]] = {}
    for name, classes in objects.CLASSES.items():
        current = versions.parse(classes[0].VERSION)
        table = tables.setdefault(name, {})
        for minor in range(current.minor + 1):
            version = versions.Version(current.major, minor)
            table[str(version)] = _make_plan(classes[0], version, tables)
    return tables


#: Filled once at import time and never changed afterwards.
_PLANS = _all_plans()


@functools.lru_cache(maxsize=1024)
def _good_range(low: str, high: str) -> bool:
    """True if both are MAJOR.MINOR and ``low <= high``."""
    low_version = _parse(low)
    high_version = _parse(high)
    return (low_version is not None and high_version is not None
            and low_version <= high_version)


class _Decline(Exception):
    """The fast path does not take this payload; the checked reader will."""


_DECLINE = _Decline()
_ABSENT: Any = object()


def fast_read(value: Any, expected: str, pin: versions.Version | None,
              max_depth: int,
              keys: list[int] | None = None) -> objects.HostObject | None:
    """Read a parsed payload the quick way, or return None.

    None means "not taken here": the caller must read ``value`` with
    :class:`~os_vif_hostinfo._codec.Reader`, which raises the right error
    or, for payloads that are valid but unusual (unknown extra keys),
    builds the object.

    :param keys: a one-item list; the number of keys of every JSON object
        read is added to its item. The JSON parser keeps only the last of
        repeated keys, so the caller compares this with the text.
    """
    try:
        return _fast(value, expected, _PLANS[expected], pin, max_depth, 1,
                     [0] if keys is None else keys)
    except (_Decline, KeyError):
        return None


def _fast(prim: Any, expected: str, table: dict[str, _ReadPlan],
          pin: versions.Version | None, max_depth: int, depth: int,
          keys: list[int]) -> objects.HostObject:
    # Depth as Reader counts it: the object at depth, its data at depth+1,
    # list fields at depth+2 and their elements at depth+3.
    if type(prim) is not dict or depth + 1 > max_depth:
        raise _DECLINE
    if len(prim) != 4:
        changes = prim.get(KEY_CHANGES)
        if (len(prim) != 5 or type(changes) is not list
                or not all(type(c) is str for c in changes)):
            raise _DECLINE
    # A missing key raises KeyError, which fast_read takes as a decline.
    if (prim[KEY_NAMESPACE] != objects.NAMESPACE
            or prim[KEY_NAME] != expected):
        raise _DECLINE
    text = prim[KEY_VERSION]
    data = prim[KEY_DATA]
    if type(text) is not str or type(data) is not dict:
        raise _DECLINE
    plan = table.get(text)
    if plan is None or (pin is not None
                        and not pin.is_compatible_with(plan.version)):
        raise _DECLINE
    obj = _new(plan.cls)
    stored = obj.__dict__
    stored['_changed_fields'] = set()
    stored['_context'] = None
    for field, attr in plan.names:
        item = data[field]
        if type(item) is not str or not item.strip():
            raise _DECLINE
        stored[attr] = item
    for field, attr in plan.strings:
        item = data[field]
        if type(item) is not str:
            raise _DECLINE
        stored[attr] = item
    if plan.ranged:
        low = data['min_version']
        high = data['max_version']
        if type(low) is not str or type(high) is not str or not _good_range(
                low, high):
            raise _DECLINE
        stored['_obj_min_version'] = low
        stored['_obj_max_version'] = high
    found = plan.required
    if plan.lists:
        if depth + 2 > max_depth:
            raise _DECLINE
        for field, attr, element, elements, unique in plan.lists:
            items = data.get(field, _ABSENT)
            if items is _ABSENT:
                items = []
            elif type(items) is list:
                found += 1
            else:
                raise _DECLINE
            built = [_fast(item, element, elements, None, max_depth,
                           depth + 3, keys) for item in items]
            if unique and len(built) > 1 and len(set(
                    [child.__dict__[unique] for child in built])) != len(
                    built):
                raise _DECLINE  # a name repeats: Reader says where
            stored[attr] = built
    if len(data) != found:
        # Keys this version does not have: Reader checks and skips them.
        raise _DECLINE
    for attr in plan.absent:
        stored[attr] = []
    keys[0] += len(prim) + found
    return obj


#: A frozen object tree: (class, string attributes, ((attribute, children),
#: ...)). Nothing in it can be changed through the objects built from it.
Frozen = tuple[type[objects.HostObject], tuple[tuple[str, Any], ...],
               tuple[tuple[str, tuple[Any, ...]], ...]]


def freeze(obj: objects.HostObject) -> Frozen:
    """An immutable copy of a freshly read object tree, for a cache."""
    list_attrs = _list_attrs(obj.obj_name())
    stored = obj.__dict__
    strings = tuple(
        (attr, value) for attr, value in stored.items()
        if attr != '_changed_fields' and attr not in list_attrs)
    children = tuple(
        (attr, tuple(freeze(item) for item in stored[attr]))
        for attr in list_attrs)
    return type(obj), strings, children


@functools.lru_cache(maxsize=None)
def _list_attrs(object_name: str) -> tuple[str, ...]:
    cls = objects.CLASSES[object_name][0]
    return tuple(_attrname(field) for field in cls._list_fields)


def thaw(frozen: Frozen) -> objects.HostObject:
    """New objects, equal to what was frozen, sharing nothing mutable."""
    cls, strings, children = frozen
    obj = _new(cls)
    stored = obj.__dict__
    stored['_changed_fields'] = set()
    stored.update(strings)
    for attr, items in children:
        stored[attr] = [thaw(item) for item in items]
    return obj
