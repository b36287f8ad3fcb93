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

import json
import logging
import os
from typing import Any

from os_vif_hostinfo import _schema_bodies
from os_vif_hostinfo import _schema_objects
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions

LOG = logging.getLogger(__name__)

#: The JSON Schema dialect of every schema made here.
DIALECT = _schema_objects.DIALECT
#: Prefix of every schema's ``$id``.
ID_PREFIX = _schema_objects.ID_PREFIX
#: Name of the file :func:`write_schemas` gives the error body schema.
ERROR_SCHEMA_NAME = _schema_objects.ERROR_SCHEMA_NAME
#: Name of the schema of the ``os_vif_hostinfo`` value of binding:profile.
PROFILE_SCHEMA_NAME = _schema_objects.PROFILE_SCHEMA_NAME
#: Name of the schema of a compact value's table, once decompressed.
TABLE_SCHEMA_NAME = _schema_objects.TABLE_SCHEMA_NAME
#: Name of the schema of a HostInfo agent's report (format 1).
REPORT_SCHEMA_NAME = _schema_objects.REPORT_SCHEMA_NAME

#: What :func:`.wire.deserialize` or
#: :meth:`.exception.UnsupportedVersion.from_dict` refuse that no JSON
#: Schema can: they must still be checked after validation.
NOT_EXPRESSIBLE = _schema_objects.NOT_EXPRESSIBLE


def object_versions(object_name: str) -> tuple[versions.Version, ...]:
    """Every version of ``object_name`` this library reads, oldest first.

    That is each minor version of the newest major version, as
    :func:`.wire.deserialize` accepts.

    :raises InvalidObject: if ``object_name`` is not a host information
        object.
    """
    return _schema_objects.object_versions(object_name)


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
    name = _schema_objects.checked_name(object_name)
    wanted = (objects.current_version(name) if version is None
              else versions.parse(version, field='version'))
    if wanted not in object_versions(name):
        raise exception.UnsupportedVersion(
            object_name=name, requested_version=str(wanted),
            max_supported_version=str(objects.current_version(name)))
    # Copied so that callers may change the result freely.
    return json.loads(_schema_objects.schema_text(name, wanted, tolerant))


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
    return _schema_bodies.error_schema(tolerant)


def schema_documents() -> dict[str, dict[str, Any]]:
    """Every published schema by file name, as :func:`write_schemas` writes.

    ``<Object>-<version>.schema.json`` is the strict schema,
    ``<Object>-<version>.tolerant.schema.json`` the tolerant one, for each
    object and each version this library reads, and
    ``error-reply[.tolerant].schema.json`` the error reply bodies.
    """
    file_name = _schema_objects.file_name
    documents: dict[str, dict[str, Any]] = {}
    for name in sorted(objects.CLASSES):
        for version in object_versions(name):
            for tolerant in (False, True):
                documents[file_name('%s-%s' % (name, version), tolerant)] = (
                    json_schema(name, str(version), tolerant=tolerant))
    for tolerant in (False, True):
        documents[file_name(ERROR_SCHEMA_NAME, tolerant)] = error_schema(
            tolerant=tolerant)
        documents[file_name(PROFILE_SCHEMA_NAME, tolerant)] = (
            profile_schema(tolerant=tolerant))
    documents[file_name(TABLE_SCHEMA_NAME, False)] = table_schema()
    documents[file_name(REPORT_SCHEMA_NAME, False)] = report_schema()
    return documents


def report_schema() -> dict[str, Any]:
    """The JSON Schema of a HostInfo agent's report, format 1.

    That is the value of the ``os_vif_hostinfo`` key of the agent's
    ``configurations`` in Neutron's agents table: each HostInfo version
    the agent wrote, mapped to its compact value.

    :returns: a new dict, a draft 2020-12 schema.
    """
    return _schema_bodies.report_schema()


def profile_schema(tolerant: bool = False) -> dict[str, Any]:
    """The JSON Schema of HostInfo in a Neutron port's binding:profile.

    That is the value of the profile's ``os_vif_hostinfo`` key: either a
    HostInfo object (any version this library reads, strict or tolerant
    as asked) or a compact string, whose content, once decompressed, is
    described by :func:`table_schema`.

    :returns: a new dict, a draft 2020-12 schema.
    """
    return _schema_bodies.profile_schema(tolerant)


def table_schema() -> dict[str, Any]:
    """The JSON Schema of a compact value's table, once decompressed.

    :returns: a new dict, a draft 2020-12 schema.
    """
    return _schema_bodies.table_schema()


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
