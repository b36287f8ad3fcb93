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

"""The cliff application behind ``os-vif-hostinfo``.

Besides cliff's own work it keeps library errors to one line, maps the
errors that have their own exit status (see :mod:`.status`) to it, and
makes the console's log lines printable.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from cliff import app
from cliff import commandmanager

from os_vif_hostinfo.cli import output
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception

#: Entry-point namespace of the CLI's commands.
COMMAND_NAMESPACE = 'os_vif_hostinfo.cli'


class HostInfoApp(app.App):
    """The os-vif-hostinfo application."""

    def __init__(self) -> None:
        super().__init__(
            description='Inspect and negotiate os-vif host information.',
            version=_version(),
            command_manager=commandmanager.CommandManager(
                COMMAND_NAMESPACE),
            deferred_help=True)
        self._error: BaseException | None = None
        self.command_argv: list[str] = []

    def build_option_parser(
            self, description: str | None, version: str | None,
            argparse_kwargs: dict[str, Any] | None = None,
    ) -> argparse.ArgumentParser:
        # cliff reads its own options anywhere in argv, so the app's
        # --version would swallow a command's ("schema --version 1.0").
        # Read application options only before the command name.
        argparse_kwargs = dict(argparse_kwargs or {}, epilog=status.EPILOG)
        parser = super().build_option_parser(description, version,
                                             argparse_kwargs)
        parser.add_argument('command_argv', nargs=argparse.REMAINDER,
                            help=argparse.SUPPRESS)
        parse = parser.parse_known_args

        def parse_known_args(args: Any = None,
                             namespace: Any = None) -> Any:
            options, unknown = parse(args, namespace)
            return options, unknown + options.command_argv

        setattr(parser, 'parse_known_args', parse_known_args)
        return parser

    def configure_logging(self) -> None:
        """cliff's logging, with every console line made printable."""
        super().configure_logging()
        for handler in logging.getLogger('').handlers:
            if getattr(handler, 'stream', None) is self.stderr:
                handler.setFormatter(
                    output.PrintableFormatter(handler.formatter))

    def run_subcommand(self, argv: list[str]) -> int:
        """Run a command; an error with its own exit status returns it."""
        self._error = None
        try:
            self.command_manager.find_command(argv)
        except ValueError:
            return self._unknown_command(argv)
        # The commands that talk to a cloud let openstacksdk peek at their
        # arguments (an --os-auth-type there registers its options).
        self.command_argv = list(argv)
        result = super().run_subcommand(argv)
        code = getattr(self._error, 'exit_status', None)
        return code if isinstance(code, int) else result

    def _unknown_command(self, argv: list[str]) -> int:
        # cliff writes this on stdout; it is an error, so: stderr.
        matches = self.get_fuzzy_matches(argv[0])
        self.stderr.write(output.printable(
            "os-vif-hostinfo: '%s' is not a command%s; see "
            "'os-vif-hostinfo --help'" % (
                ' '.join(argv), ' (did you mean %s?)' % ' or '.join(matches)
                if matches else '')) + '\n')
        return status.USAGE

    def clean_up(self, cmd: object, result: int,
                 err: BaseException | None) -> None:
        """Keep library errors to one line unless ``--debug`` is given."""
        self._error = err
        # Library errors get one clear line; --debug shows the traceback.
        if isinstance(err, exception.HostInfoError) and not self.options.debug:
            self.LOG.debug('error', exc_info=err)


def _version() -> str:
    try:
        from importlib import metadata
        return metadata.version('os-vif-hostinfo')
    except Exception:
        return 'unknown'
