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

Accepted: one line on stdout, exit 0. Refused (malformed, too large, or a
version newer than this side reads): a ``refused:`` line, then the reply
body a network host would send (the error's ``to_dict()``, as the RPC
endpoint replies) as one line of JSON, exit 3. A payload that cannot be
read at all is one error line on stderr and exit 4 (see :mod:`.status`).
"""

from __future__ import annotations

import argparse
import json
import os
import stat
from typing import Any, BinaryIO

from cliff import command
from oslo_serialization import jsonutils

from os_vif_hostinfo.cli import output
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import wire

#: Exit status of a refused payload.
REFUSED = status.REFUSED


class PayloadUnreadable(exception.HostInfoError):
    """The payload file or stream could not be read."""

    msg_fmt = 'Cannot read the payload from %(source)s: %(reason)s'
    exit_status = status.UNREADABLE


class Check(command.Command):
    """Check whether this side accepts a HostInfo payload.

    A refusal prints the reply body a network host would send; text that
    is not JSON is refused too, as a network host refuses it.
    """

    _epilog = status.epilog('check')  # type: ignore[assignment]

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'payload', metavar='FILE',
            help='file holding the payload (JSON), or - for stdin')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        out = self.app.stdout
        try:
            data = self._read(parsed_args.payload)
            info = wire.deserialize(data, objects.HostInfo)
        except (exception.MalformedPayload,
                exception.UnsupportedVersion) as exc:
            out.write(output.printable('refused: %s' % exc) + '\n')
            # ASCII JSON: valid, and printable whatever the payload held.
            out.write(jsonutils.dumps(error_body(exc), sort_keys=True)
                      + '\n')
            return REFUSED
        version = json.loads(data)[wire.KEY_VERSION]
        names = [p.plugin_name for p in info.plugin_info]
        out.write(output.printable(
            'accepted: HostInfo %s with %d plugin(s)%s' % (
                version, len(names),
                ': ' + ', '.join(names) if names else '')) + '\n')
        return status.OK

    def _read(self, source: str) -> bytes | str:
        if source == '-':
            return read_limited(_binary(self.app.stdin), 'standard input')
        try:
            with open(source, 'rb') as stream:
                return read_limited(stream, source)
        except OSError as exc:
            raise PayloadUnreadable(
                source=source, reason=exc.strerror or str(exc)) from exc


def read_limited(stream: BinaryIO, source: str,
                 limit: int = wire.DEFAULT_MAX_SIZE) -> bytes | str:
    """Read the payload, refusing it unread past ``limit`` bytes.

    :raises PayloadUnreadable: if reading fails.
    :raises MalformedPayload: if there are more than ``limit`` bytes; the
        message gives the real size when the stream is a regular file,
        else says "more than" the limit (the rest is not read).
    """
    try:
        data = stream.read(limit + 1)
    except OSError as exc:
        raise PayloadUnreadable(source=source,
                                reason=exc.strerror or str(exc)) from exc
    if len(data) > limit:
        size = _file_size(stream)
        raise exception.MalformedPayload(path='$', reason=(
            'payload of %s bytes is over the limit of %d' % (
                size if size is not None else 'more than %d' % limit,
                limit)))
    return data


def _file_size(stream: Any) -> int | None:
    """The size of the regular file behind ``stream``, else None."""
    try:
        info = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def error_body(exc: exception.HostInfoError) -> dict[str, Any]:
    """The reply body a network host sends for a refused payload.

    The error's own ``to_dict()``, exactly what the RPC endpoint replies:
    the ``unsupported_version`` refusal, or the ``host_info_error`` body
    (type ``MalformedPayload``, the path of the first problem in its
    details). ``schema --error`` describes both.
    """
    return exc.to_dict()


def _binary(stream: Any) -> BinaryIO:
    # Bytes from a real stdin; a text stream (as in tests) gives str,
    # which deserialize reads as well.
    return getattr(stream, 'buffer', stream)
