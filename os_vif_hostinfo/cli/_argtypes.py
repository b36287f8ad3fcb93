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

"""argparse ``type`` callables shared by the commands."""

from __future__ import annotations

import argparse

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions


def _hostinfo_version(text: str, option: str, refusal: str) -> str:
    """``text`` as a HostInfo version of this release's major, or refused.

    ``refusal`` is formatted with ``version``, ``major`` and ``current``.
    """
    try:
        version = versions.parse(text, field=option)
    except exception.InvalidVersion as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    current = objects.current_version('HostInfo')
    if not current.is_compatible_with(version):
        raise argparse.ArgumentTypeError(refusal % {
            'version': version, 'major': current.major, 'current': current})
    return str(version)


def hostinfo_pin(text: str) -> str:
    """argparse type of ``--pin``: a HostInfo version this release reads.

    :raises argparse.ArgumentTypeError: if it is not ``MAJOR.MINOR`` or
        not a version this release reads.
    """
    return _hostinfo_version(
        text, '--pin', 'a network host of this release reads HostInfo '
        '%(major)d.0 to %(current)s, not %(version)s')


def target_version(text: str) -> str:
    """argparse type of ``--target-version``: a HostInfo version we write.

    :raises argparse.ArgumentTypeError: if this library cannot write it.
    """
    return _hostinfo_version(
        text, '--target-version', 'HostInfo %(version)s cannot be written; '
        'this library writes versions %(major)d.0 to %(current)s')
