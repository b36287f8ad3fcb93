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

"""The ``os-vif-hostinfo`` command line tool, built on cliff.

Each command is its own module in this package and is registered as an
entry point in the ``os_vif_hostinfo.cli`` namespace (see setup.cfg).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cliff import app
from cliff import commandmanager

from os_vif_hostinfo import exception

#: Entry-point namespace of the CLI's commands.
COMMAND_NAMESPACE = 'os_vif_hostinfo.cli'


class HostInfoApp(app.App):
    """The os-vif-hostinfo application."""

    def __init__(self) -> None:
        super().__init__(
            description='Inspect and negotiate os-vif host information.',
            version=_version(),
            command_manager=commandmanager.CommandManager(COMMAND_NAMESPACE),
            deferred_help=True)

    def build_option_parser(
            self, description: str | None, version: str | None,
            argparse_kwargs: dict[str, Any] | None = None,
    ) -> argparse.ArgumentParser:
        # cliff reads its own options anywhere in argv, so the app's
        # --version would swallow a command's ("schema --version 1.0").
        # Read application options only before the command name.
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

    def clean_up(self, cmd: object, result: int,
                 err: BaseException | None) -> None:
        # Library errors get one clear line; --debug shows the traceback.
        if isinstance(err, exception.HostInfoError) and not self.options.debug:
            self.LOG.debug('error', exc_info=err)


def _version() -> str:
    try:
        from importlib import metadata
        return metadata.version('os-vif-hostinfo')
    except Exception:
        return 'unknown'


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    return HostInfoApp().run(sys.argv[1:] if argv is None else argv)


if __name__ == '__main__':
    sys.exit(main())
