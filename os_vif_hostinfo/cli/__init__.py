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
entry point in the ``os_vif_hostinfo.cli`` namespace (see setup.cfg); the
application is :class:`.app.HostInfoApp`.

cliff comes with the ``cli`` extra, not with the library: a compute or
network service importing os_vif_hostinfo should not pull in a command
line framework. So this module imports nothing but the standard library,
and the console script installed without the extra says in one line what
to install instead of dying with a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

from os_vif_hostinfo.cli import status

#: Entry-point namespace of the CLI's commands.
COMMAND_NAMESPACE = 'os_vif_hostinfo.cli'


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit status."""
    try:
        from os_vif_hostinfo.cli import app
    except ModuleNotFoundError as exc:
        if (exc.name or '').split('.')[0] == 'os_vif_hostinfo':
            raise
        sys.stderr.write(status.MISSING_EXTRA % (exc.name,) + '\n')
        return status.FAILED
    _tolerant_streams()
    return app.HostInfoApp().run(sys.argv[1:] if argv is None else argv)


def _tolerant_streams() -> None:
    # The commands escape what they print (see output.printable); should
    # some text slip through, an unencodable character is written as an
    # escape rather than ending the command with UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, 'reconfigure', None)
        if reconfigure is not None:
            reconfigure(errors='backslashreplace')


def __getattr__(name: str) -> Any:
    # HostInfoApp lives in .app, which needs cliff; importing it only when
    # asked keeps this module importable without the extra.
    if name == 'HostInfoApp':
        from os_vif_hostinfo.cli import app
        return app.HostInfoApp
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


if __name__ == '__main__':
    sys.exit(main())
