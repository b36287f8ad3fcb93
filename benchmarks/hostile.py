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

"""Hostile payloads just under deserialize()'s default 1 MiB limit.

Each was once slow to refuse: the nesting check cost quadratic time on an
unterminated string of escaped quotes (a minute and more for 1 MiB), and
hundreds of milliseconds on the others. The goal: the worst of them costs
at most 10x ``json.loads`` of a valid payload of the same size.
"""

from typing import Any

import hosts

#: deserialize()'s default limit.
SIZE = 1024 * 1024


def _fill(unit: str, prefix: str = '', suffix: str = '') -> str:
    """``unit`` repeated to just under :data:`SIZE` bytes of UTF-8."""
    width = len(unit.encode('utf-8'))
    room = SIZE - 1 - len((prefix + suffix).encode('utf-8'))
    return prefix + unit * (room // width) + suffix


#: Name -> text. The cheaper ones (lone backslashes, brackets inside
#: strings) are left to the unit tests; of the runs of brackets, 8 deep is
#: the costliest for the nesting check, 64 the one reported first.
CORPUS = {
    'escaped-quotes': _fill('\\"', '"'),
    'newline-escapes': _fill('\\n', '"', '"'),
    'non-ascii-escapes': _fill('\u00e9\\"', '"'),
    'quotes': _fill('"'),
    'open-brackets': '[' * (SIZE - 1),
    'bracket-pairs-8': _fill('[' * 8 + ']' * 8),
    'bracket-pairs-64': _fill('[' * 64 + ']' * 64),
    'deep-objects': _fill('{"a":'),
}


def valid_payload(module: Any) -> str:
    """A valid HostInfo payload of close to (not over) :data:`SIZE` bytes.

    The large benchmark host, with as many of its plugins as fit.
    """
    host = hosts.large()
    low, high = 1, len(host)
    while low < high:
        middle = (low + high + 1) // 2
        text = module.serialize(hosts.build(module, host[:middle]))
        if len(text.encode('utf-8')) <= SIZE:
            low = middle
        else:
            high = middle - 1
    return str(module.serialize(hosts.build(module, host[:low])))
