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

"""Private: what a version string looks like, and nothing more.

The one definition of the wire form of an object version. It depends on
nothing else in the library, so that :mod:`.exception` (whose refusal
bodies carry version strings) and :mod:`.versions` (which parses them into
values and raises :class:`~.exception.InvalidVersion`) both use it without
importing each other: ``_version_syntax <- exception <- versions``.
"""

import re

#: Two dot-separated runs of ASCII digits without leading zeros, nothing
#: around them. Re-exported as :data:`.versions.VERSION_PATTERN`.
VERSION_PATTERN = r'^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$'

#: :data:`VERSION_PATTERN`, compiled; group 1 is the major, 2 the minor.
VERSION_RE = re.compile(VERSION_PATTERN, re.ASCII)


def is_version(text: object) -> bool:
    """True if ``text`` is a version string (without parsing it)."""
    return isinstance(text, str) and VERSION_RE.fullmatch(text) is not None
