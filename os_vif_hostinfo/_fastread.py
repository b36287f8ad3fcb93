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
from typing import Any, Callable

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


class _Decline(Exception):
    """The fast path does not take this payload; the checked reader will."""


_DECLINE = _Decline()
_ABSENT: Any = object()

#: A reader of the data of one object name at one version:
#: ``(prim, data, depth, max_depth, keys) -> object``.
_Body = Callable[[dict[str, Any], dict[str, Any], int, int, list[int]],
                 objects.HostObject]


@functools.lru_cache(maxsize=1024)
def _good_range(low: str, high: str) -> bool:
    """True if both are MAJOR.MINOR and ``low <= high``."""
    low_version = _parse(low)
    high_version = _parse(high)
    return (low_version is not None and high_version is not None
            and low_version <= high_version)


def _body_source(cls: type[objects.HostObject],
                 version: versions.Version) -> str:
    """Python source of the reader of ``cls``'s data at ``version``.

    One straight function per object name and version, as namedtuple and
    dataclasses write theirs: no loop over fields and no lookup of what
    to check is left for the time a payload is read, which is most of
    what the generic walk cost. Every check is made, in this order: the
    names are non-blank strings, the other fields strings, min/max a
    range, each list a list of objects read by :func:`_read` with no name
    repeated where it must not, and no key left over.
    """
    name = cls.obj_name()
    lines = ['def read_%s(prim, data, depth, max_depth, keys):' % name]
    #: (attribute, expression) of what the object stores.
    stored = [('_changed_fields', 'set()'), ('_context', 'None')]
    carried: dict[str, str] = {}  # field -> its variable
    lists = []
    for number, (field, _child) in enumerate(layout(name, version)):
        var = carried[field] = 'v%d' % number
        stored.append((_attrname(field), var))
        if field in cls._list_fields:
            lists.append((field, var))
            continue
        lines.append('    %s = data[%r]' % (var, field))
        if field in cls._name_fields:
            lines.append('    if type(%s) is not str or not %s.strip():'
                         % (var, var))
        else:
            lines.append('    if type(%s) is not str:' % var)
        lines.append('        raise _DECLINE')
    if cls._version_fields:
        lines.append('    if not _good_range(%s, %s):' % (
            carried['min_version'], carried['max_version']))
        lines.append('        raise _DECLINE')
    lines.append('    found = %d' % (len(carried) - len(lists)))
    if lists:
        lines.append('    if depth + 2 > max_depth:')
        lines.append('        raise _DECLINE')
    for field, var in lists:
        element = cls._list_fields[field]
        unique = UNIQUE_NAMES.get((name, field))
        lines += [
            '    %s = data.get(%r, _ABSENT)' % (var, field),
            '    if %s is _ABSENT:' % var,
            '        %s = []' % var,
            '    elif type(%s) is list:' % var,
            '        found += 1',
            '        %s = [_read(item, %r, _PLANS[%r], max_depth, depth + 3,'
            ' keys) for item in %s]' % (var, element, element, var),
            '    else:',
            '        raise _DECLINE',
        ]
        if unique:
            lines += [
                '    if len(%s) > 1 and len({child.__dict__[%r] for child in'
                ' %s}) != len(%s):' % (var, _attrname(unique), var, var),
                '        raise _DECLINE  # a name repeats: Reader says where',
            ]
    lines += [
        '    if len(data) != found:',
        '        # Keys this version does not have: Reader checks them.',
        '        raise _DECLINE',
        '    keys[0] += len(prim) + found',
        '    obj = _new(cls)',
        '    stored = obj.__dict__',  # item by item: quicker than update()
    ]
    stored += [(_attrname(field), '[]') for field in cls._list_fields
               if field not in carried]
    lines += ['    stored[%r] = %s' % item for item in stored]
    lines.append('    return obj')
    return '\n'.join(lines) + '\n'


def _make_body(cls: type[objects.HostObject],
               version: versions.Version) -> _Body:
    namespace = {'cls': cls, '_new': _new, '_DECLINE': _DECLINE,
                 '_ABSENT': _ABSENT, '_good_range': _good_range,
                 '_read': _read, '_PLANS': _PLANS}
    code = compile(_body_source(cls, version),
                   '<os_vif_hostinfo fast reader of %s %s>'
                   % (cls.obj_name(), version), 'exec')
    exec(code, namespace)
    body: _Body = namespace['read_%s' % cls.obj_name()]
    return body


#: Object name -> version text -> (version, reader of the data), for every
#: version we read: those of the current major version up to the current
#: one. Version texts are canonical (no leading zeros), so a payload's
#: version is readable exactly when its text is a key here. Filled once at
#: import time (below) and never changed afterwards.
_PLANS: dict[str, dict[str, tuple[versions.Version, _Body]]] = {}


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
    table = _PLANS[expected]
    if pin is not None:
        # The pin bounds the outer object only.
        text = value.get(KEY_VERSION) if type(value) is dict else None
        plan = table.get(text) if type(text) is str else None
        if plan is None or not pin.is_compatible_with(plan[0]):
            return None
    try:
        return _read(value, expected, table, max_depth, 1,
                     [0] if keys is None else keys)
    except (_Decline, KeyError):
        return None


def _read(prim: Any, expected: str,
          table: dict[str, tuple[versions.Version, _Body]], max_depth: int,
          depth: int, keys: list[int]) -> objects.HostObject:
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
    if plan is None:
        raise _DECLINE
    return plan[1](prim, data, depth, max_depth, keys)


def _fill_plans() -> None:
    for name in objects.CLASSES:
        _PLANS[name] = {}
    for name, classes in objects.CLASSES.items():
        current = versions.parse(classes[0].VERSION)
        for minor in range(current.minor + 1):
            version = versions.Version(current.major, minor)
            _PLANS[name][str(version)] = (
                version, _make_body(classes[0], version))


_fill_plans()


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
