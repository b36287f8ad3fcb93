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
could not read without parsing any text. The whole table ends the
application's ``--help`` and is in the operators' guide and the README;
each command's ``--help`` lists only the statuses it can exit with.

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

#: cliff's status when interrupted (Ctrl-C): 128 + SIGINT.
INTERRUPTED = 130
#: cliff's status when the output pipe closed early (``| head``).
BROKEN_PIPE = 141

#: The rule for bad input, the same for every command: REFUSED when the
#: input is what a peer sends (check's payload: a network host refuses
#: even text that is not JSON, with a reply body); UNREADABLE when it
#: cannot be read or is not the record inspected (explain's port: text
#: that is not JSON is not a port).

#: (status, meaning) of every status, for the documentation and the
#: application's --help.
TABLE = (
    (OK, 'success'),
    (FAILED, 'failed: show left a plugin out or found no plugin offering '
             'a --vif-type; the demo story did not hold; any other error'),
    (USAGE, 'usage error: wrong or conflicting arguments, a preflight '
            '--offer of a VIF class that is not available here, an '
            'ambiguous port name, an unusable cloud configuration'),
    (REFUSED, 'refused: check read the payload and a network host would '
              'refuse it (not JSON included); explain: the network host '
              'refused the HostInfo version; preflight: it would, even '
              'after backleveling'),
    (UNREADABLE, 'unreadable: check could not read the file or stream; '
                 'explain could not read it, or it is not a port (JSON or '
                 'not)'),
    (UNREACHABLE, 'unreachable: demo could not reach the message broker; '
                  'explain --port or fleet could not reach the cloud'),
    (NOT_BOUND, 'not bound: explain: the binding failed or never happened; '
                'preflight: the binding would fail'),
    (NOT_CONSUMABLE, 'not consumable: explain: bound, but this host cannot '
                     'consume the chosen VIF'),
    (NOT_FOUND, 'not found: explain --port: no port has that ID or name'),
    (FORBIDDEN, 'forbidden: the cloud refused the request or hid the '
                'binding fields (admin rights are needed)'),
    (INTERRUPTED, 'interrupted (Ctrl-C)'),
    (BROKEN_PIPE, 'the output pipe was closed early'),
)

#: Every command can exit with these.
_COMMON = ((FAILED, 'an unexpected error (one line; --debug for the '
                    'traceback)'),
           (USAGE, 'usage error: wrong or conflicting arguments'),
           (INTERRUPTED, 'interrupted'))

#: Each command's own statuses, in its own words: its --help lists these
#: and no other command's.
COMMANDS: dict[str, tuple[tuple[int, str], ...]] = {
    'show': ((OK, 'every plugin described'),
             (FAILED, 'a plugin was left out, or no plugin offers a '
                      '--vif-type (listed on stderr)')),
    'check': ((OK, 'accepted'),
              (REFUSED, 'refused: a network host would refuse the payload '
                        '(malformed or not JSON, too large, or too new); the '
                        'reply body is printed'),
              (UNREADABLE, 'the file or stream could not be read')),
    'explain': ((OK, 'bound, and consumable on this host; or bound without '
                     'HostInfo; or bound to another host (not checked)'),
                (REFUSED, 'the network host refused the HostInfo version'),
                (UNREADABLE, 'the file could not be read, or is not a port '
                             '(JSON or not)'),
                (NOT_BOUND, 'the binding failed or never happened'),
                (NOT_CONSUMABLE, 'bound, but this host cannot consume the '
                                 'chosen VIF'),
                (USAGE, 'also: --port with a name several ports have; a '
                        'cloud configuration that selects no usable cloud'),
                (UNREACHABLE, '--port: the cloud could not be reached'),
                (NOT_FOUND, '--port: no port has that ID or name'),
                (FORBIDDEN, '--port: the cloud refused, or hid the binding '
                            'fields (admin rights are needed)')),
    'preflight': ((OK, 'it would bind'),
                  (USAGE, 'also: an --offer VIF class not available here'),
                  (REFUSED, 'refused, even after backleveling'),
                  (NOT_BOUND, 'the binding would fail (nothing in common, '
                              'or the profile does not fit)')),
    'demo': ((OK, 'the story held'),
             (FAILED, 'the story did not hold'),
             (UNREACHABLE, 'the message broker could not be reached')),
    'schema': ((OK, 'printed'),),
    'fleet': ((OK, 'the hosts are listed'),
              (USAGE, 'also: a cloud configuration that selects no usable '
                      'cloud'),
              (UNREACHABLE, 'the cloud could not be reached'),
              (FORBIDDEN, 'the cloud refused (admin rights are needed)')),
}


def command_table(command: str) -> list[tuple[int, str]]:
    """``(status, meaning)`` of one command, its own and the common ones."""
    own = dict(COMMANDS[command])
    rows = dict(_COMMON)
    for code, meaning in own.items():
        if code in rows and meaning.startswith('also: '):
            rows[code] = '%s; %s' % (rows[code], meaning[len('also: '):])
        else:
            rows[code] = meaning
    return sorted(rows.items())


def epilog(command: str) -> str:
    """The help epilog of one command: its exit statuses only."""
    return 'Exit status: %s.' % '; '.join(
        '%d %s' % row for row in command_table(command))


#: The application's help epilog: every status.
EPILOG = 'Exit status: %s.' % '; '.join(
    '%d %s' % row for row in TABLE)

#: What the console script prints when it is installed without its extra.
MISSING_EXTRA = (
    "os-vif-hostinfo: the command line tool needs the 'cli' extra "
    "(missing module %s): pip install '.[cli]' in a clone of "
    "os_vif_hostinfo, or pip install 'os-vif-hostinfo[cli]' from a "
    "package index")


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
