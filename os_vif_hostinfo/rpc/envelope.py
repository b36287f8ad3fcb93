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

"""The reply envelope the network host sends back over RPC.

A reply is a plain JSON object, never a pickled exception, so that any
release on either side can read it:

- ``{"result": ...}``: the payload was read and the network host's handler
  answered with ``...``;
- ``{"error": {"code": "unsupported_version", ...}}``: exactly
  :meth:`~os_vif_hostinfo.exception.UnsupportedVersion.to_dict`, the
  refusal the service host backlevels on;
- ``{"error": {"code": "host_info_error", "type": "NoMatchingVIFClass",
  "message": "...", "details": {...}}}``: any other library error raised
  on the network host (a malformed payload, no VIF type in common, ...).

This module only builds and reads such dictionaries; it needs no
transport.
"""

from __future__ import annotations

from typing import Any

from os_vif_hostinfo import exception

#: ``code`` of an error envelope carrying any HostInfoError but a refusal.
CODE_HOST_INFO_ERROR = exception.CODE_HOST_INFO_ERROR


def result(value: Any) -> dict[str, Any]:
    """Wrap a handler's answer."""
    return {'result': value}


def error(exc: exception.HostInfoError) -> dict[str, Any]:
    """Wrap a library error raised on the network host."""
    return exc.to_dict()


def open_reply(reply: Any, peer: str) -> Any:
    """Return the handler's answer from ``reply``, or raise its error.

    ``peer`` names the network host in the errors.

    :raises UnsupportedVersion: if the peer refused the payload's version
        (rebuilt with ``UnsupportedVersion.from_dict``).
    :raises NegotiationFailed: if the peer found the payload malformed.
    :raises MalformedPayload: if ``reply`` is not an envelope, or is a
        garbled refusal.
    :raises HostInfoError: (the subclass the peer raised, when this side
        knows it) for any other error the peer reports.
    """
    if not isinstance(reply, dict):
        raise exception.MalformedPayload(path='$', reason=(
            'the reply of peer %s is %s, not an envelope object'
            % (peer, exception.describe_json_type(reply))))
    if 'error' in reply:
        body = reply['error']
        if isinstance(body, dict) and body.get('code') == \
                exception.UnsupportedVersion.code:
            raise exception.UnsupportedVersion.from_dict(reply)
        if isinstance(body, dict) and body.get('code') == \
                CODE_HOST_INFO_ERROR:
            raise _rebuild(body, peer)
        raise exception.MalformedPayload(path='$.error', reason=(
            'peer %s replied with an error this side cannot read: %.200r'
            % (peer, body)))
    if 'result' in reply:
        return reply['result']
    raise exception.MalformedPayload(path='$', reason=(
        'the reply of peer %s has neither "result" nor "error"' % peer))


def _rebuild(body: dict[str, Any], peer: str) -> exception.HostInfoError:
    message = body.get('message')
    if not isinstance(message, str):
        message = 'an unreadable error'
    type_name = body.get('type')
    details = body.get('details')
    if not isinstance(details, dict):
        details = {}
    cls = getattr(exception, type_name, None) if isinstance(
        type_name, str) else None
    text = 'Peer %s: %s' % (peer, message)
    if cls is exception.MalformedPayload:
        # The peer could not read what this side sent: no version will do.
        return exception.NegotiationFailed(
            object_name='HostInfo', peer=peer,
            reason='it could not read the payload: %s' % message)
    if (isinstance(cls, type) and issubclass(cls, exception.HostInfoError)
            and not issubclass(cls, exception.UnsupportedVersion)):
        kwargs = {key: value for key, value in details.items()
                  if _safe_attribute(cls, key)}
        return cls(text, **kwargs)
    return exception.HostInfoError(text)


def _safe_attribute(cls: type, key: Any) -> bool:
    # The peer's details become attributes; keep them off anything the
    # exception itself uses.
    return (isinstance(key, str) and key.isidentifier()
            and not key.startswith('_')
            and key not in ('kwargs', 'message')
            and not hasattr(cls, key))
