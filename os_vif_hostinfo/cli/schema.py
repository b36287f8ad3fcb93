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

"""``os-vif-hostinfo schema``: print the JSON Schema of the wire format."""

from __future__ import annotations

import argparse
import logging

from cliff import command

from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import schema
from os_vif_hostinfo import versions

LOG = logging.getLogger(__name__)


class Schema(command.Command):
    """Print the JSON Schema (draft 2020-12) of an object version.

    By default the strict schema of the newest HostInfo: exactly what this
    library writes. --tolerant gives what it reads, --error the schema of
    the error reply bodies (unsupported_version and host_info_error).
    """

    _epilog = status.epilog('schema')  # type: ignore[assignment]

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        self._parser = parser
        parser.add_argument(
            '--object', metavar='NAME', default=None,
            help='object name (default: HostInfo); one of %s'
                 % ', '.join(sorted(objects.CLASSES)))
        parser.add_argument(
            '--version', metavar='MAJOR.MINOR', default=None,
            type=_version,
            help='object version (default: the newest)')
        parser.add_argument(
            '--tolerant', action='store_true',
            help='the schema of what is read (older and newer child '
                 'versions, missing lists, unknown keys) rather than of '
                 'what is written')
        parser.add_argument(
            '--error', action='store_true',
            help='the schema of the error reply bodies instead of an '
                 'object (not with --object or --version)')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        if parsed_args.error:
            if parsed_args.object is not None or (
                    parsed_args.version is not None):
                self._parser.error(
                    'argument --error: prints the error reply schema and '
                    'takes no --object or --version')
            document = schema.error_schema(tolerant=parsed_args.tolerant)
        else:
            try:
                document = schema.json_schema(
                    parsed_args.object or 'HostInfo', parsed_args.version,
                    tolerant=parsed_args.tolerant)
            except (exception.InvalidObject,
                    exception.UnsupportedVersion) as exc:
                # A name or version this library has no schema of: the
                # arguments are wrong, as for show --target-version.
                self._parser.error(str(exc))
        self.app.stdout.write(schema.dumps(document))
        return status.OK


def _version(text: str) -> str:
    """argparse type of ``--version``: a well-formed MAJOR.MINOR."""
    try:
        return str(versions.parse(text, field='--version'))
    except exception.InvalidVersion as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
