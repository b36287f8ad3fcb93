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

"""The exit statuses of every ``os-vif-hostinfo`` command, in one table.

A script can tell a usage mistake from a refused payload from a file it
could not read without parsing any text. The same table is printed at the
end of each command's ``--help`` and in the operators' guide.

This module imports nothing outside the standard library, so that the
console script can use it before it knows whether cliff is installed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
import math

#: Everything went as asked.
OK = 0
#: Something failed: ``show`` left a plugin out or found none of the named
#: VIF classes, ``demo``'s story did not hold, or an unexpected error.
FAILED = 1
#: Wrong arguments (argparse's own status; the usage is printed).
USAGE = 2
#: ``check``: the payload was read and refused; ``explain``: the network
#: host refused the HostInfo version; ``preflight``: it would, even after
#: backleveling.
REFUSED = 3
#: ``check``, ``explain``: the file or stream could not be read.
UNREADABLE = 4
#: ``demo``: the message broker could not be reached; ``explain --port``,
#: ``fleet``: the cloud could not be reached.
UNREACHABLE = 5
#: ``explain``: the port's binding failed or never happened;
#: ``preflight``: the binding would fail.
NOT_BOUND = 6
#: ``explain``: bound, but this host cannot consume the chosen VIF.
NOT_CONSUMABLE = 7
#: ``explain --port``: no port has that ID or name.
NOT_FOUND = 8
#: ``explain --port``, ``fleet``: the cloud refused (admin rights needed).
FORBIDDEN = 9

#: (status, meaning) for the documentation and the help epilogs.
TABLE = (
    (OK, 'success'),
    (FAILED, 'failed: show left a plugin out or found no plugin offering '
             'a --vif-type; the demo story did not hold; any other error'),
    (USAGE, 'usage error: wrong or conflicting arguments, an ambiguous '
            'port name, an unusable cloud configuration'),
    (REFUSED, 'refused: check read the payload and would not accept it; '
              'explain: the network host refused the HostInfo version; '
              'preflight: it would, even after backleveling'),
    (UNREADABLE, 'unreadable: check or explain could not read the file or '
                 'stream'),
    (UNREACHABLE, 'unreachable: demo could not reach the message broker; '
                  'explain --port or fleet could not reach the cloud'),
    (NOT_BOUND, 'not bound: explain: the binding failed or never happened; '
                'preflight: the binding would fail'),
    (NOT_CONSUMABLE, 'not consumable: explain: bound, but this host cannot '
                     'consume the chosen VIF'),
    (NOT_FOUND, 'not found: explain --port: no port has that ID or name'),
    (FORBIDDEN, 'forbidden: the cloud refused the request or hid the '
                'binding fields (admin rights are needed)'),
)

#: The help epilog every command ends with.
EPILOG = 'Exit status: %s.' % '; '.join(
    '%d %s' % row for row in TABLE)

#: What the console script prints when it is installed without its extra.
MISSING_EXTRA = (
    "os-vif-hostinfo: the command line tool needs the 'cli' extra "
    "(missing module %s): pip install 'os-vif-hostinfo[cli]'")


def seconds(minimum: float) -> Callable[[str], float]:
    """An argparse ``type`` for a number of seconds of at least ``minimum``.

    argparse puts the option's name in front of the message, so the error
    says which option is wrong ("argument --timeout: must be at least
    0.1").
    """
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                'expected a number of seconds, got %r' % text) from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(
                'expected a finite number of seconds, got %r' % text)
        if value < minimum:
            raise argparse.ArgumentTypeError(
                'must be at least %g, got %s' % (minimum, text))
        return value
    return parse
