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

"""Private: the JSON Schema of each object version, and the parts shared.

:mod:`os_vif_hostinfo.schema` publishes what is built here. Each schema
is made from the objects' own declarations (see that module), once per
object, version and flavour, and kept as text.
"""

from __future__ import annotations

import functools
import json
import sys
from typing import Any

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

#: The JSON Schema dialect of every schema made here.
DIALECT = 'https://json-schema.org/draft/2020-12/schema'
#: Prefix of every schema's ``$id``.
ID_PREFIX = 'urn:os-vif-hostinfo:schema:'
#: Name of the file :func:`write_schemas` gives the error body schema.
ERROR_SCHEMA_NAME = 'error-reply'
#: Name of the schema of the ``os_vif_hostinfo`` value of binding:profile.
PROFILE_SCHEMA_NAME = 'binding-profile-value'
#: Name of the schema of a compact value's table, once decompressed.
TABLE_SCHEMA_NAME = 'binding-profile-table-1'
#: Name of the schema of a HostInfo agent's report (format 1).
REPORT_SCHEMA_NAME = 'agent-report-1'

#: What :func:`.wire.deserialize` or
#: :meth:`.exception.UnsupportedVersion.from_dict` refuse that no JSON
#: Schema can: they must still be checked after validation.
NOT_EXPRESSIBLE = (
    'min_version must not be greater than max_version, compared as '
    'numbers (JSON Schema cannot compare two values)',
    'the payload size limit (1 MiB of JSON text by default) and the '
    'nesting depth limit (32 levels by default), which apply to the text '
    'and to ignored keys too',
    'what JSON parsing itself refuses: invalid UTF-8, NaN and Infinity',
    'a JSON object naming a key twice (a schema sees the parsed object, '
    'where one of the two is already lost)',
    'plugin names unique within a HostInfo, VIF class names unique within '
    'a HostPluginInfo (uniqueItems compares whole items, not one field)',
)

_STRICT_NOTE = (
    'Strict: exactly what os_vif_hostinfo serialize() writes at this '
    'version; versioned_object.changes (an array of strings) may be '
    'present and is ignored.')
_TOLERANT_NOTE = (
    'Tolerant: what os_vif_hostinfo deserialize() reads. Unlike the strict '
    'schema, a child object may be at any version of the same major '
    'version up to the newest this library knows, not only the version '
    'this parent version carries (os-vif 5.3.0 sends HostVIFInfo 1.1 '
    'inside HostInfo 1.0 and HostPluginInfo 1.0), list fields may be left '
    'out (read as empty) and unknown keys are ignored.')


def object_versions(object_name: str) -> tuple[versions.Version, ...]:
    """See :func:`os_vif_hostinfo.schema.object_versions`."""
    current = objects.current_version(checked_name(object_name))
    return tuple(versions.Version(current.major, minor)
                 for minor in range(current.minor + 1))


def checked_name(object_name: object) -> str:
    if not isinstance(object_name, str) or object_name not in objects.CLASSES:
        raise exception.InvalidObject(
            expected='a host information object name (one of %s)'
            % ', '.join(sorted(objects.CLASSES)), value=object_name)
    return object_name


def file_name(stem: str, tolerant: bool) -> str:
    return '%s%s.schema.json' % (stem, '.tolerant' if tolerant else '')


def schema_id(stem: str, tolerant: bool) -> str:
    return '%s%s%s' % (ID_PREFIX, stem, ':tolerant' if tolerant else '')


def def_name(object_name: str, version: versions.Version) -> str:
    return '%s-%s' % (object_name, version)


@functools.lru_cache(maxsize=None)
def schema_text(name: str, version: versions.Version,
                tolerant: bool) -> str:
    """The schema of ``name`` at ``version`` as JSON text (kept)."""
    defs: dict[str, Any] = {}
    _add_object(name, version, tolerant, defs)
    defs.update(name=_name_schema(), version=version_schema(),
                changes=_changes_schema())
    root = def_name(name, version)
    notes = ' '.join('(%d) %s;' % (index, text) for index, text
                     in enumerate(NOT_EXPRESSIBLE, 1)).rstrip(';')
    schema = {
        '$schema': DIALECT,
        '$id': schema_id(root, tolerant),
        'title': 'os-vif host information: %s %s (%s)' % (
            name, version, 'tolerant' if tolerant else 'strict'),
        'description': (
            'The JSON form of an oslo.versionedobjects %s %s in namespace '
            '%s. %s Checks this schema cannot express, which a reader must '
            'still make after validating: %s.' % (
                name, version, objects.NAMESPACE,
                _TOLERANT_NOTE if tolerant else _STRICT_NOTE, notes)),
        '$ref': '#/$defs/%s' % root,
        '$defs': dict(sorted(defs.items())),
    }
    return json.dumps(schema, sort_keys=True)


def _add_object(name: str, version: versions.Version, tolerant: bool,
                defs: dict[str, Any]) -> None:
    """Put the schema of ``name`` at ``version`` and its children in defs."""
    key = def_name(name, version)
    if key in defs:
        return
    defs[key] = {}  # reserved before recursing into the children
    cls = objects.CLASSES[name][0]
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field, child in wire.layout(name, version):
        required.append(field)
        if field not in cls._list_fields:
            # What deserialize() reads with _string(): every plain field.
            if field in cls._version_fields:
                properties[field] = {'$ref': '#/$defs/version'}
            elif field in cls._name_fields:
                properties[field] = {'$ref': '#/$defs/name'}
            else:
                properties[field] = {'type': 'string'}
            continue
        element = cls._list_fields[field]
        if tolerant or child is None:
            readable = object_versions(element)
        else:
            readable = (child,)
        for child_version in readable:
            _add_object(element, child_version, tolerant, defs)
        if len(readable) == 1:
            items = {'$ref': '#/$defs/%s' % def_name(element, readable[0])}
        else:
            defs[element] = _by_version(element, readable)
            items = {'$ref': '#/$defs/%s' % element}
        properties[field] = {'type': 'array', 'items': items}
        if tolerant:
            required.remove(field)  # read as an empty list when missing
    data: dict[str, Any] = {'type': 'object', 'properties': properties,
                            'required': required}
    envelope: dict[str, Any] = {
        'description': '%s %s' % (name, version),
        'type': 'object',
        'properties': {
            wire.KEY_NAME: {'const': name},
            wire.KEY_NAMESPACE: {'const': objects.NAMESPACE},
            wire.KEY_VERSION: {'const': str(version)},
            wire.KEY_DATA: data,
            wire.KEY_CHANGES: {'$ref': '#/$defs/changes'},
        },
        'required': [wire.KEY_NAME, wire.KEY_NAMESPACE, wire.KEY_VERSION,
                     wire.KEY_DATA],
    }
    if not tolerant:
        data['additionalProperties'] = False
        envelope['additionalProperties'] = False
    defs[key] = envelope


def _by_version(name: str,
                readable: tuple[versions.Version, ...]) -> dict[str, Any]:
    """``name`` at any of ``readable``, picked by its version string.

    A chain of if/then rather than anyOf, so a validator checks one
    branch, not every branch at every level of nesting.
    """
    choices = [str(version) for version in readable]
    return {
        'description': '%s at version %s' % (name, ' or '.join(choices)),
        'type': 'object',
        'required': [wire.KEY_VERSION],
        'properties': {wire.KEY_VERSION: {'enum': choices}},
        'allOf': [
            {'if': {'properties': {wire.KEY_VERSION: {'const': choice}}},
             'then': {'$ref': '#/$defs/%s' % def_name(name, version)}}
            for choice, version in zip(choices, readable)],
    }


def version_schema() -> dict[str, Any]:
    return {
        'description': (
            'An object version, MAJOR.MINOR in ASCII digits without '
            'leading zeros. The "not" clause only matters to regular '
            'expression engines (Python, Java) whose $ also matches before '
            'a final newline.'),
        'type': 'string',
        'pattern': versions.VERSION_PATTERN,
        'not': {'pattern': '\\n'},
    }


def _name_schema() -> dict[str, Any]:
    return {
        'description': (
            'A class or plugin name: a string with at least one character '
            'that is not whitespace (as Python str.isspace() defines it).'),
        'type': 'string',
        'pattern': _not_only_space_pattern(),
    }


def _changes_schema() -> dict[str, Any]:
    return {
        'description': (
            'oslo.versionedobjects change tracking; os_vif_hostinfo never '
            'writes it and ignores it when reading.'),
        'type': 'array',
        'items': {'type': 'string'},
    }


@functools.lru_cache(maxsize=1)
def _not_only_space_pattern() -> str:
    """A regex matching any character Python's str.strip() keeps.

    Spelt as explicit code point ranges, because ``\\s`` means different
    characters in Python, ECMA-262, Go and Java.
    """
    spaces = [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    ranges: list[list[int]] = []
    for code in spaces:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = []
    for low, high in ranges:
        parts.append(_escape(low) if low == high
                     else '%s-%s' % (_escape(low), _escape(high)))
    return '[^%s]' % ''.join(parts)


def _escape(code: int) -> str:
    if code > 0xFFFF:  # not reached today; ECMA-262 needs the u flag here
        return '\\u{%x}' % code
    return '\\u%04x' % code
