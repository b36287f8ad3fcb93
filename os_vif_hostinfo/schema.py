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

"""JSON Schema (draft 2020-12) of the wire format, for peers not in Python.

The schemas are generated, never written by hand: the objects and fields
come from :data:`.objects.CLASSES`, what each object version carries (and
which child version a parent version holds) from :func:`.wire.layout`,
the function :func:`.wire.serialize` itself walks, the version pattern from
:data:`.versions.VERSION_PATTERN` and the namespace from
:data:`.objects.NAMESPACE`.

Two flavours exist for every object version:

* *strict* (the default) accepts exactly what :func:`.wire.serialize`
  writes at that version, plus the optional ``versioned_object.changes``
  list that oslo.versionedobjects peers add. Write to this one.
* *tolerant* accepts what :func:`.wire.deserialize` reads: any child
  version this library understands in place of the one the parent version
  carries (os-vif 5.3.0 sends HostVIFInfo 1.1 inside HostInfo 1.0), list
  fields left out, unknown keys. Read with this one.

Some of what :func:`.wire.deserialize` refuses cannot be said in JSON
Schema; see :data:`NOT_EXPRESSIBLE`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from typing import Any

from os_vif_hostinfo import _compact
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

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
    """Every version of ``object_name`` this library reads, oldest first.

    That is each minor version of the newest major version, as
    :func:`.wire.deserialize` accepts.

    :raises InvalidObject: if ``object_name`` is not a host information
        object.
    """
    current = objects.current_version(_checked_name(object_name))
    return tuple(versions.Version(current.major, minor)
                 for minor in range(current.minor + 1))


def json_schema(object_name: str = 'HostInfo', version: str | None = None,
                tolerant: bool = False) -> dict[str, Any]:
    """The JSON Schema of ``object_name`` at ``version`` on the wire.

    :param object_name: one of the host information object names.
    :param version: ``MAJOR.MINOR``; by default the newest version.
    :param tolerant: give the schema of what :func:`.wire.deserialize`
        reads instead of what :func:`.wire.serialize` writes.
    :returns: a new dict, a draft 2020-12 schema.
    :raises InvalidObject: if ``object_name`` is not a host information
        object.
    :raises InvalidVersion: if ``version`` is not ``MAJOR.MINOR``.
    :raises UnsupportedVersion: if this library does not know that version.
    """
    name = _checked_name(object_name)
    wanted = (objects.current_version(name) if version is None
              else versions.parse(version, field='version'))
    if wanted not in object_versions(name):
        raise exception.UnsupportedVersion(
            object_name=name, requested_version=str(wanted),
            max_supported_version=str(objects.current_version(name)))
    # Copied so that callers may change the result freely.
    return json.loads(_schema_text(name, wanted, tolerant))


def error_schema(tolerant: bool = False) -> dict[str, Any]:
    """The JSON Schema of the error reply bodies, told apart by their code.

    * ``unsupported_version``: :meth:`.exception.UnsupportedVersion.to_dict`,
      the refusal the sender backlevels on.
    * ``host_info_error``: :meth:`.exception.HostInfoError.to_dict` of any
      other library error (a malformed payload, no VIF in common, ...),
      as the RPC endpoint replies and ``os-vif-hostinfo check`` prints.

    Strict: what ``to_dict()`` writes. Tolerant: what this library reads
    back (:meth:`.exception.UnsupportedVersion.from_dict`, and the RPC
    client for the other body): ``message`` may be missing or null,
    unknown keys are ignored.

    :returns: a new dict, a draft 2020-12 schema.
    """
    refusal = _refusal_schema(tolerant)
    other = _host_info_error_schema(tolerant)
    body: dict[str, Any] = {
        'type': 'object',
        'required': ['error'],
        'properties': {'error': {'oneOf': [
            {'$ref': '#/$defs/%s' % exception.UnsupportedVersion.code},
            {'$ref': '#/$defs/%s' % exception.CODE_HOST_INFO_ERROR}]}},
    }
    if not tolerant:
        body['additionalProperties'] = False
    flavour = 'tolerant' if tolerant else 'strict'
    return dict(body, **{
        '$schema': DIALECT,
        '$id': _schema_id(ERROR_SCHEMA_NAME, tolerant),
        'title': 'os-vif host information: error reply body (%s)' % flavour,
        'description': (
            'The reply a side sends when it cannot take an object it '
            'received: "unsupported_version" when the object is newer than '
            'it reads (back-level and send again), "host_info_error" for '
            'any other error, such as a malformed payload. %s' % (
                'Tolerant: what os_vif_hostinfo reads back; message may be '
                'null or missing, unknown keys are ignored.' if tolerant else
                'Strict: exactly what os_vif_hostinfo to_dict() writes.')),
        '$defs': {'version': _version_schema(),
                  exception.UnsupportedVersion.code: refusal,
                  exception.CODE_HOST_INFO_ERROR: other},
    })


def _refusal_schema(tolerant: bool) -> dict[str, Any]:
    """The ``error`` object of the unsupported_version body."""
    message: dict[str, Any] = {'type': 'string',
                               'description': 'For humans; not parsed.'}
    required = ['code', 'object', 'requested_version',
                'max_supported_version']
    if tolerant:
        message['type'] = ['string', 'null']
    else:
        required.append('message')
    error: dict[str, Any] = {
        'type': 'object',
        'required': required,
        'properties': {
            'code': {'const': exception.UnsupportedVersion.code},
            'object': {
                'type': 'string', 'minLength': 1,
                'description': 'The object name that was refused, '
                               'e.g. HostInfo.'},
            'requested_version': {
                '$ref': '#/$defs/version',
                'description': 'The version that was received.'},
            'max_supported_version': {
                '$ref': '#/$defs/version',
                'description': 'The newest version the replying side '
                               'reads: back-level to it and send again.'},
            'message': message,
        },
    }
    if not tolerant:
        error['additionalProperties'] = False
    return error


def _host_info_error_schema(tolerant: bool) -> dict[str, Any]:
    """The ``error`` object of the host_info_error body."""
    error: dict[str, Any] = {
        'type': 'object',
        'required': ['code'],
        'properties': {
            'code': {'const': exception.CODE_HOST_INFO_ERROR},
        },
    }
    if tolerant:
        # The reader copes with any type, message and details.
        return error
    error['required'] += ['type', 'message', 'details']
    error['properties'].update({
        'type': {
            'type': 'string', 'minLength': 1,
            'description': 'The error class in os_vif_hostinfo.exception, '
                           'e.g. MalformedPayload.'},
        'message': {'type': 'string', 'description': 'For humans; not '
                                                     'parsed.'},
        'details': {
            'type': 'object',
            'description': 'What the error is about, by name (for '
                           'MalformedPayload: path and reason).',
            'additionalProperties': {
                'type': ['string', 'number', 'boolean', 'null']}},
    })
    error['additionalProperties'] = False
    return error


def schema_documents() -> dict[str, dict[str, Any]]:
    """Every published schema by file name, as :func:`write_schemas` writes.

    ``<Object>-<version>.schema.json`` is the strict schema,
    ``<Object>-<version>.tolerant.schema.json`` the tolerant one, for each
    object and each version this library reads, and
    ``error-reply[.tolerant].schema.json`` the error reply bodies.
    """
    documents: dict[str, dict[str, Any]] = {}
    for name in sorted(objects.CLASSES):
        for version in object_versions(name):
            for tolerant in (False, True):
                documents[_file_name('%s-%s' % (name, version), tolerant)] = (
                    json_schema(name, str(version), tolerant=tolerant))
    for tolerant in (False, True):
        documents[_file_name(ERROR_SCHEMA_NAME, tolerant)] = error_schema(
            tolerant=tolerant)
        documents[_file_name(PROFILE_SCHEMA_NAME, tolerant)] = (
            profile_schema(tolerant=tolerant))
    documents[_file_name(TABLE_SCHEMA_NAME, False)] = table_schema()
    documents[_file_name(REPORT_SCHEMA_NAME, False)] = report_schema()
    return documents


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a HostInfo agent's report, format 1.

    That is the value of the ``os_vif_hostinfo`` key of the agent's
    ``configurations`` in Neutron's agents table: each HostInfo version
    the agent wrote, mapped to its compact value.

    :returns: a new dict, a draft 2020-12 schema.
    """
    compact = profile_schema()['oneOf'][-1]
    return {
        '$schema': DIALECT,
        '$id': _schema_id(REPORT_SCHEMA_NAME, False),
        'title': 'os-vif host information in a HostInfo agent report, '
                 'format 1',
        'description': (
            'The value of the "os_vif_hostinfo" key of the configurations '
            'of a Neutron agent of type "os-vif HostInfo agent". "hostinfo" '
            'maps each HostInfo version written to the host\'s HostInfo '
            'at that version, compact: the newest and each older minor '
            'version, newest left out first when the 4095 characters '
            'Neutron stores do not hold them all. Read the newest copy '
            'you can; ignore other keys.'),
        'type': 'object',
        'properties': {
            'format': {'const': 1},
            'hostinfo': {
                'type': 'object', 'minProperties': 1, 'maxProperties': 64,
                'propertyNames': _version_schema(),
                'additionalProperties': compact},
        },
        'required': ['format', 'hostinfo'],
    }


def profile_schema(tolerant: bool = False) -> dict[str, Any]:
    """The JSON Schema of HostInfo in a Neutron port's binding:profile.

    That is the value of the profile's ``os_vif_hostinfo`` key: either a
    HostInfo object (any version this library reads, strict or tolerant
    as asked) or a compact string, whose content, once decompressed, is
    described by :func:`table_schema`.

    :returns: a new dict, a draft 2020-12 schema.
    """
    defs: dict[str, Any] = {}
    choices: list[dict[str, Any]] = []
    for version in object_versions('HostInfo'):
        embedded = json_schema('HostInfo', str(version), tolerant=tolerant)
        del embedded['$schema']
        key = _def_name('HostInfo', version)
        defs[key] = embedded
        choices.append({'$ref': '#/$defs/%s' % key})
    prefix = _compact.PREFIX
    alphabet = ''.join('\\' + c if c in '-\\^]' else c
                       for c in _compact.ALPHABET)
    choices.append({
        'type': 'string',
        'pattern': '^%s[%s]+$' % (prefix, alphabet),
        'description': (
            'Compact encoding version 1: %r, then Base85 (RFC 1924 '
            'alphabet) of the zlib (RFC 1950) compression of a JSON table '
            '(schema %s). Writers use it only when the object form does not '
            'fit in the 4095 characters Neutron allows the whole profile; '
            'readers limit what it decompresses and expands to (1 MiB).'
            % (prefix, _schema_id(TABLE_SCHEMA_NAME, False)))})
    flavour = 'tolerant' if tolerant else 'strict'
    return {
        '$schema': DIALECT,
        '$id': _schema_id(PROFILE_SCHEMA_NAME, tolerant),
        'title': 'os-vif host information in binding:profile (%s)'
                 % flavour,
        'description': (
            'The value of the "os_vif_hostinfo" key of a Neutron port\'s '
            'binding:profile: a HostInfo object (%s schema of each '
            'version) or a compact string.' % flavour),
        'oneOf': choices,
        '$defs': defs,
    }


def table_schema() -> dict[str, Any]:
    """The JSON Schema of a compact value's table, once decompressed.

    :returns: a new dict, a draft 2020-12 schema.
    """
    return {
        '$schema': DIALECT,
        '$id': _schema_id(TABLE_SCHEMA_NAME, False),
        'title': 'os-vif host information: compact table, version 1',
        'description': (
            '[HostInfo version, strings, integers]. From HostInfo at that '
            'version, each object is its fields in sorted name order, at '
            'the version its parent version carries: a plain field is the '
            'index of its value in strings, a list field its number of '
            'items followed by the items. Every integer is used exactly '
            'once; the rebuilt object must then pass the HostInfo schema.'),
        'type': 'array',
        'prefixItems': [
            {'$ref': '#/$defs/version'},
            {'type': 'array', 'items': {'type': 'string'}},
            {'type': 'array', 'items': {'type': 'integer', 'minimum': 0}},
        ],
        'minItems': 3,
        'items': False,
        '$defs': {'version': _version_schema()},
    }


def dumps(schema: dict[str, Any]) -> str:
    """A schema as the JSON text published: sorted keys, indented."""
    return json.dumps(schema, indent=2, sort_keys=True) + '\n'


def write_schemas(directory: str | os.PathLike[str]) -> list[str]:
    """Write every schema of :func:`schema_documents` into ``directory``.

    The directory is created if missing; existing files are replaced.
    Meant for the documentation build, which publishes the files.

    :returns: the paths written, sorted.
    :raises OSError: if the directory or a file cannot be written.
    """
    os.makedirs(directory, exist_ok=True)
    written = []
    for file_name, schema in schema_documents().items():
        path = os.path.join(os.fspath(directory), file_name)
        with open(path, 'w', encoding='utf-8') as stream:
            stream.write(dumps(schema))
        written.append(path)
    LOG.debug('Wrote %d JSON Schema files into %s', len(written), directory)
    return sorted(written)


def _checked_name(object_name: object) -> str:
    if not isinstance(object_name, str) or object_name not in objects.CLASSES:
        raise exception.InvalidObject(
            expected='a host information object name (one of %s)'
            % ', '.join(sorted(objects.CLASSES)), value=object_name)
    return object_name


def _file_name(stem: str, tolerant: bool) -> str:
    return '%s%s.schema.json' % (stem, '.tolerant' if tolerant else '')


def _schema_id(stem: str, tolerant: bool) -> str:
    return '%s%s%s' % (ID_PREFIX, stem, ':tolerant' if tolerant else '')


def _def_name(object_name: str, version: versions.Version) -> str:
    return '%s-%s' % (object_name, version)


@functools.lru_cache(maxsize=None)
def _schema_text(name: str, version: versions.Version,
                 tolerant: bool) -> str:
    defs: dict[str, Any] = {}
    _add_object(name, version, tolerant, defs)
    defs.update(name=_name_schema(), version=_version_schema(),
                changes=_changes_schema())
    root = _def_name(name, version)
    notes = ' '.join('(%d) %s;' % (index, text) for index, text
                     in enumerate(NOT_EXPRESSIBLE, 1)).rstrip(';')
    schema = {
        '$schema': DIALECT,
        '$id': _schema_id(root, tolerant),
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
    key = _def_name(name, version)
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
            items = {'$ref': '#/$defs/%s' % _def_name(element, readable[0])}
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
             'then': {'$ref': '#/$defs/%s' % _def_name(name, version)}}
            for choice, version in zip(choices, readable)],
    }


def _version_schema() -> dict[str, Any]:
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
