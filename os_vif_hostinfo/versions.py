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

"""Object versions as values.

A version string is parsed once into :class:`Version`, which compares
numerically (``1.10 > 1.9``); nothing else in the library splits or
compares version strings by hand.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from os_vif_hostinfo import _version_syntax
from os_vif_hostinfo import exception

#: What a version string looks like on the wire: two dot-separated runs of
#: ASCII digits, nothing around them. Shared with the JSON Schema.
VERSION_PATTERN = _version_syntax.VERSION_PATTERN

_VERSION_RE = _version_syntax.VERSION_RE
#: Digits a number of a version may have (as VERSION_PATTERN says).
_MAX_DIGITS = 9


class Version(NamedTuple):
    """A ``MAJOR.MINOR`` object version; compares numerically."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: object, field: str = 'version') -> Version:
        """Parse ``text``; raise :class:`~.exception.InvalidVersion`.

        :param text: the candidate version string.
        :param field: what the value is, for the error message.
        :raises InvalidVersion: if ``text`` is not ``MAJOR.MINOR``.
        """
        if isinstance(text, str):
            parsed = _parse(text)
            if parsed is not None:
                return parsed
        raise exception.InvalidVersion(field=field, value=text,
                                       reason=problem(text))

    def is_compatible_with(self, other: Version) -> bool:
        """True if an object at ``other`` can be read as this version.

        That is: the same major version, and ``other`` not newer.
        """
        return self.major == other.major and other.minor <= self.minor

    def __str__(self) -> str:
        return '%d.%d' % (self.major, self.minor)


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> Version | None:
    match = _VERSION_RE.fullmatch(text)
    if match is None:
        return None
    return Version(int(match.group(1)), int(match.group(2)))


def problem(text: object) -> str:
    """Say what exactly keeps ``text`` from being a ``MAJOR.MINOR`` version.

    Shared by every message refusing a version, so that "1.01" is told
    about its leading zero rather than about digits it does not lack.

    :returns: the reason, for a message; a valid version gets ``'valid'``.
    """
    if not isinstance(text, str):
        return 'expected a string "MAJOR.MINOR", got %s' % (
            exception.describe_json_type(text))
    parts = text.split('.')
    if len(parts) != 2:
        dots = len(parts) - 1
        return ('expected "MAJOR.MINOR": two numbers and one dot, found %s'
                % ('no dot' if dots == 0 else '%d dots' % dots))
    for label, part in zip(('major', 'minor'), parts):
        if not part:
            return 'the %s number is missing' % label
        odd = [ch for ch in part if ch not in '0123456789']
        if odd:
            return ('the %s number %r holds %r, which is not an ASCII digit'
                    % (label, part, odd[0]))
        if len(part) > 1 and part[0] == '0':
            return 'the %s number %r has a leading zero' % (label, part)
        if len(part) > _MAX_DIGITS:
            return 'the %s number %r has more than %d digits' % (
                label, part, _MAX_DIGITS)
    return 'valid'


def parse(text: object, field: str = 'version') -> Version:
    """Shorthand for :meth:`Version.parse`.

    :raises InvalidVersion: if ``text`` is not ``MAJOR.MINOR``.
    """
    return Version.parse(text, field)
