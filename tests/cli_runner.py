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

"""Run the os-vif-hostinfo application inside the test process.

A console-script run costs seconds of imports; these tests run many
commands, so they run the cliff application itself with string streams
and put the root logger back as it was afterwards (cliff adds a handler
to it on every run).
"""

import contextlib
import io
import logging
from typing import NamedTuple

from os_vif_hostinfo.cli import app as cli_app


class Result(NamedTuple):
    status: int
    stdout: str
    stderr: str


def run(argv, stdin=''):
    """Run ``os-vif-hostinfo ARGV`` with ``stdin``; return a Result."""
    app = cli_app.HostInfoApp()
    app.stdin = io.StringIO(stdin)
    app.stdout = io.StringIO()
    app.stderr = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        # argparse writes usage errors to sys.stderr, not the app's.
        with contextlib.redirect_stderr(app.stderr):
            status = app.run(list(argv))
    except SystemExit as exc:
        # argparse exits on wrong arguments.
        status = exc.code if isinstance(exc.code, int) else 1
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return Result(status, app.stdout.getvalue(), app.stderr.getvalue())
