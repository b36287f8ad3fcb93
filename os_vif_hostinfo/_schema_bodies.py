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

"""Private: the JSON Schema of the documents beside the objects.

The error reply bodies, and HostInfo as a Neutron port's binding:profile
carries it (an object, or the compact string and its table), published by
:mod:`os_vif_hostinfo.schema`.
"""

from __future__ import annotations

import json
from typing import Any

from os_vif_hostinfo import _compact
from os_vif_hostinfo import _schema_objects as objs
from os_vif_hostinfo import exception


def error_schema(tolerant: bool) -> dict[str, Any]:
    """See :func:`os_vif_hostinfo.schema.error_schema`."""
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
        '$schema': objs.DIALECT,
        '$id': objs.schema_id(objs.ERROR_SCHEMA_NAME, tolerant),
        'title': 'os-vif host information: error reply body (%s)' % flavour,
        'description': (
            'The reply a side sends when it cannot take an object it '
            'received: "unsupported_version" when the object is newer than '
            'it reads (back-level and send again), "host_info_error" for '
            'any other error, such as a malformed payload. %s' % (
                'Tolerant: what os_vif_hostinfo reads back; message may be '
                'null or missing, unknown keys are ignored.' if tolerant else
                'Strict: exactly what os_vif_hostinfo to_dict() writes.')),
        '$defs': {'version': objs.version_schema(),
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


def profile_schema(tolerant: bool) -> dict[str, Any]:
    """See :func:`os_vif_hostinfo.schema.profile_schema`."""
    defs: dict[str, Any] = {}
    choices: list[dict[str, Any]] = []
    for version in objs.object_versions('HostInfo'):
        embedded = json.loads(objs.schema_text('HostInfo', version,
                                               tolerant))
        del embedded['$schema']
        key = objs.def_name('HostInfo', version)
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
            % (prefix, objs.schema_id(objs.TABLE_SCHEMA_NAME, False)))})
    flavour = 'tolerant' if tolerant else 'strict'
    return {
        '$schema': objs.DIALECT,
        '$id': objs.schema_id(objs.PROFILE_SCHEMA_NAME, tolerant),
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
    """See :func:`os_vif_hostinfo.schema.table_schema`."""
    return {
        '$schema': objs.DIALECT,
        '$id': objs.schema_id(objs.TABLE_SCHEMA_NAME, False),
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
        '$defs': {'version': objs.version_schema()},
    }


def report_schema() -> dict[str, Any]:
    """A HostInfo agent's report, format 1 (see :mod:`.schema`)."""
    compact = profile_schema(False)['oneOf'][-1]
    return {
        '$schema': objs.DIALECT,
        '$id': objs.schema_id(objs.REPORT_SCHEMA_NAME, False),
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
                'propertyNames': objs.version_schema(),
                'additionalProperties': compact},
        },
        'required': ['format', 'hostinfo'],
    }
