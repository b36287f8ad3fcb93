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

"""``os-vif-hostinfo check``: would this side accept a HostInfo payload?

Accepted: one line on stdout, exit 0. Refused (malformed, or a version
newer than this side reads): a ``refused:`` line, then the machine-readable
error body as one line of JSON, exit 2. A payload that cannot be read at
all is one error line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, BinaryIO

from cliff import command
from oslo_serialization import jsonutils

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import wire

#: Exit status of a refused payload.
REFUSED = 2


class PayloadUnreadable(exception.HostInfoError):
    """The payload file or stream could not be read."""

    msg_fmt = 'Cannot read the payload from %(source)s: %(reason)s'


class Check(command.Command):
    """Check whether this side accepts a HostInfo payload.

    Exit code 0 if accepted, 2 if refused; a refusal prints the error body
    a network host would reply with.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'payload', metavar='FILE',
            help='file holding the payload (JSON), or - for stdin')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        source = parsed_args.payload
        if source == '-':
            data = read_limited(_binary(self.app.stdin), 'standard input')
        else:
            try:
                with open(source, 'rb') as stream:
                    data = read_limited(stream, source)
            except OSError as exc:
                raise PayloadUnreadable(
                    source=source, reason=exc.strerror or str(exc)
                ) from exc
        out = self.app.stdout
        try:
            info = wire.deserialize(data, objects.HostInfo)
        except (exception.MalformedPayload,
                exception.UnsupportedVersion) as exc:
            out.write('refused: %s\n' % exc)
            out.write(jsonutils.dumps(error_body(exc), sort_keys=True)
                      + '\n')
            return REFUSED
        version = json.loads(data)[wire.KEY_VERSION]
        names = [p.plugin_name for p in info.plugin_info]
        out.write('accepted: HostInfo %s with %d plugin(s)%s\n' % (
            version, len(names), ': ' + ', '.join(names) if names else ''))
        return 0


def read_limited(stream: BinaryIO, source: str,
                 limit: int = wire.DEFAULT_MAX_SIZE) -> bytes | str:
    """Read at most one byte past ``limit``; deserialize refuses that.

    :raises PayloadUnreadable: if reading fails.
    """
    try:
        return stream.read(limit + 1)
    except OSError as exc:
        raise PayloadUnreadable(source=source,
                                reason=exc.strerror or str(exc)) from exc


def error_body(exc: exception.HostInfoError) -> dict[str, Any]:
    """The machine-readable reply body for a refused payload."""
    if isinstance(exc, exception.UnsupportedVersion):
        return exc.to_dict()
    return {'error': {'code': 'malformed_payload',
                      'path': getattr(exc, 'path', '$'),
                      'message': str(exc)}}


def _binary(stream: Any) -> BinaryIO:
    # Bytes from a real stdin; a text stream (as in tests) gives str,
    # which deserialize reads as well.
    return getattr(stream, 'buffer', stream)
