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

"""Read one Neutron port from a file, as an operator saved it.

Two shapes are read: what ``openstack port show -f json PORT`` prints
(``binding_host_id``, ``binding_profile``, ...) and what Neutron's API
returns (``binding:host_id``, ..., possibly wrapped as ``{"port": {...}}``).
Either becomes a :class:`Port` with the binding fields under one name each,
so the commands never care which style the file used.
"""

from __future__ import annotations

from collections.abc import Callable
import json
from typing import Any, BinaryIO, NamedTuple

from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception

#: At most this many bytes are read; a port is a few kilobytes.
MAX_PORT_SIZE = 1024 * 1024

#: Field of a port -> (API key, openstack CLI key).
KEYS = {
    'host_id': ('binding:host_id', 'binding_host_id'),
    'profile': ('binding:profile', 'binding_profile'),
    'vif_type': ('binding:vif_type', 'binding_vif_type'),
    'vif_details': ('binding:vif_details', 'binding_vif_details'),
}


class PortUnreadable(exception.HostInfoError):
    """A port file cannot be read, or is not a Neutron port."""

    msg_fmt = 'Cannot read a port from %(source)s: %(reason)s'
    exit_status = status.UNREADABLE


class Port(NamedTuple):
    """The binding fields of one port, whichever key style it came in."""

    id: str
    host_id: str
    profile: dict[str, Any]
    vif_type: str
    vif_details: dict[str, Any]
    #: The port as read (unwrapped), in its own key style.
    raw: dict[str, Any]
    #: ``'api'`` (``binding:...``) or ``'cli'`` (``binding_...``).
    key_style: str

    def as_api(self) -> dict[str, Any]:
        """The port in the API's key style, dicts decoded."""
        port = {key: value for key, value in self.raw.items()
                if key not in {k for pair in KEYS.values() for k in pair}}
        port['id'] = self.id
        for field, (api_key, _cli) in KEYS.items():
            port[api_key] = getattr(self, field)
        return port


def read_stream(stream: BinaryIO, source: str) -> Port:
    """Read one port from an open binary (or text) stream.

    :raises PortUnreadable: if the stream cannot be read, is too large, is
        not JSON, or is not a port.
    """
    try:
        data = stream.read(MAX_PORT_SIZE + 1)
    except OSError as exc:
        raise PortUnreadable(source=source,
                             reason=exc.strerror or str(exc)) from None
    return parse(data, source)


def read_file(path: str) -> Port:
    """Read one port from ``path``.

    :raises PortUnreadable: as :func:`read_stream`.
    """
    try:
        with open(path, 'rb') as stream:
            return read_stream(stream, path)
    except OSError as exc:
        raise PortUnreadable(source=path,
                             reason=exc.strerror or str(exc)) from None


def parse(data: bytes | str, source: str) -> Port:
    """Parse the text of one port.

    :raises PortUnreadable: if ``data`` is too large, not UTF-8 JSON, or
        not a port.
    """
    def fail(reason: str) -> PortUnreadable:
        return PortUnreadable(source=source, reason=reason)

    if len(data) > MAX_PORT_SIZE:
        raise fail('more than %d bytes; a port is a few kilobytes'
                   % MAX_PORT_SIZE)
    if isinstance(data, bytes):
        try:
            data = data.decode('utf-8')
        except UnicodeDecodeError as exc:
            raise fail('not UTF-8 text (byte %d)' % exc.start) from None
    try:
        doc = json.loads(data)
    except RecursionError:
        raise fail('JSON nested too deeply') from None
    except ValueError as exc:
        raise fail('not JSON: %s' % exc) from None
    if (isinstance(doc, dict) and set(doc) == {'port'}
            and isinstance(doc['port'], dict)):
        doc = doc['port']
    if not isinstance(doc, dict):
        raise fail('expected a JSON object (a port), got %s'
                   % exception.describe_json_type(doc))
    if any(pair[0] in doc for pair in KEYS.values()):
        style, index = 'api', 0
    elif any(pair[1] in doc for pair in KEYS.values()):
        style, index = 'cli', 1
    else:
        raise fail('no binding fields (binding:vif_type or '
                   'binding_vif_type); is this a Neutron port, read with '
                   'admin rights?')
    values: dict[str, Any] = {}
    for field, pair in KEYS.items():
        value = doc.get(pair[index])
        if field in ('profile', 'vif_details'):
            values[field] = _mapping(value, pair[index], fail)
        else:
            values[field] = _text(value, pair[index], fail)
    port_id = doc.get('id')
    values['id'] = port_id if isinstance(port_id, str) else '(no id)'
    return Port(raw=doc, key_style=style, **values)


def _mapping(value: Any, key: str,
             fail: Callable[[str], PortUnreadable]) -> dict[str, Any]:
    # The API and "port show -f json" give an object; "-f value" and some
    # older clients give its JSON text; an unset field is null or "".
    if value is None or value == '':
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise fail('%s is text that is not a JSON object' % key) from None
    if not isinstance(value, dict):
        raise fail('%s must be an object, not %s'
                   % (key, exception.describe_json_type(value)))
    return value


def _text(value: Any, key: str,
          fail: Callable[[str], PortUnreadable]) -> str:
    if value is None:
        return ''
    if not isinstance(value, str):
        raise fail('%s must be a string, not %s'
                   % (key, exception.describe_json_type(value)))
    return value
