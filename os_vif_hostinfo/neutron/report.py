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

"""HostInfo in a HostInfo agent's Neutron state report (no neutron import).

The agent ``os-vif-hostinfo-agent`` reports, like any Neutron agent, a
``configurations`` dict that neutron-server stores as the text
``jsonutils.dumps(configurations)`` in ``agents.configurations``, a
``VARCHAR(4095)``. HostInfo goes under :data:`REPORT_KEY` as the *report*,
format 1::

    {"format": 1,
     "hostinfo": {"1.1": "t1:...", "1.0": "t1:..."}}

``hostinfo`` maps a HostInfo version to the compact value
(:mod:`os_vif_hostinfo._compact`, as in a port's ``binding:profile``) of
this host's HostInfo at that version: the newest version the agent writes
and a backlevelled copy at each older minor version. There is no round
trip on this channel, so a network host of any release since HostInfo 1.0
reads the newest copy it can, without asking.

When the copies do not all fit, the writer leaves out the newest ones
first, down to the oldest copy alone: that one every reader since 1.0 can
read. Readers ignore report keys other than ``format`` and ``hostinfo``;
a change old readers cannot ignore gets a new ``format`` number.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
from typing import Any


from os_vif_hostinfo import _compact
from os_vif_hostinfo import _lru
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo.neutron import profile as _profile
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

#: The agent_type Neutron stores and ``openstack network agent list`` shows.
AGENT_TYPE = 'os-vif HostInfo agent'
#: The agent's binary, and its console script.
AGENT_BINARY = 'os-vif-hostinfo-agent'
#: The key of the agent's ``configurations`` that carries the report.
REPORT_KEY = 'os_vif_hostinfo'
#: The report format this library writes and reads.
REPORT_FORMAT = 1
#: Neutron's limit on the length of ``agents.configurations``.
MAX_CONFIGURATIONS_LENGTH = 4095
#: Most copies a report may carry; more is refused unread.
MAX_COPIES = 64

_FORMAT = 'format'
_HOSTINFO = 'hostinfo'


def configurations_length(configurations: Mapping[str, Any]) -> int:
    """The length neutron-server stores for ``configurations``.

    That is ``len(jsonutils.dumps(configurations))``, as
    ``neutron.db.agents_db`` writes the column.

    :raises InvalidArgument: if it cannot be written as JSON.
    """
    return _profile.stored_length(configurations, 'configurations')


def agent_configurations(host_info: objects.HostInfo,
                         max_version: str | None = None,
                         configurations: Mapping[str, Any] | None = None,
                         max_length: int = MAX_CONFIGURATIONS_LENGTH,
                         ) -> dict[str, Any]:
    """A new ``configurations`` dict: ``configurations`` plus the report.

    The report carries ``host_info`` at ``max_version`` (default: the
    newest this library writes) and at every older minor version of the
    same major. ``configurations`` (the agent's other keys) is copied,
    never changed. If the whole is longer than ``max_length`` as Neutron
    stores it, the newest copies are left out, one at a time, and an
    ERROR names the sizes; the oldest copy is never left out.

    :raises ReportTooLarge: if even the oldest copy alone does not fit.
    :raises InvalidArgument: if ``configurations`` is not a dict that can
        be written as JSON, or ``max_length`` is not a positive integer.
    :raises InvalidObject: if ``host_info`` is not a HostInfo.
    :raises InvalidVersion: if ``max_version`` is not ``MAJOR.MINOR``.
    :raises UnsupportedVersion: if this library cannot write
        ``max_version``.
    """
    if not isinstance(host_info, objects.HostInfo):
        raise exception.InvalidObject(expected='a HostInfo', value=host_info)
    _profile.check_max_length(max_length)
    base = _profile.copy_of(configurations, 'configurations',
                            'agent configurations')
    newest = (objects.current_version('HostInfo') if max_version is None
              else versions.parse(max_version, field='max_version'))
    copies = {str(v): _compact.encode(wire.to_primitive(host_info, str(v)))
              for v in _versions_down_from(newest)}
    written = list(copies)
    sizes = []
    while True:
        result = dict(base)
        result[REPORT_KEY] = {_FORMAT: REPORT_FORMAT,
                              _HOSTINFO: {v: copies[v] for v in written}}
        sizes.append(configurations_length(result))
        if sizes[-1] <= max_length:
            break
        if len(written) == 1:
            raise exception.ReportTooLarge(
                size=sizes[-1], version=written[0], max_length=max_length)
        written.pop(0)
    if len(written) < len(copies):
        LOG.error('HostInfo does not fit in the agent\'s configurations: '
                  '%(full)d characters with HostInfo %(all)s, over the '
                  'limit of %(max)d; reporting %(kept)s in %(size)d',
                  {'full': sizes[0], 'all': ', '.join(copies),
                   'max': max_length, 'kept': ', '.join(written),
                   'size': sizes[-1]})
    return result


def _versions_down_from(newest: versions.Version) -> list[versions.Version]:
    return [versions.Version(newest.major, minor)
            for minor in range(newest.minor, -1, -1)]


class ReportDecoder(wire.Decoder):
    """A :class:`~os_vif_hostinfo.wire.Decoder` that remembers reports.

    Besides the payloads it has read, it remembers what the last
    ``cache_size`` compact copies of reports expanded to, so that a report
    heard before costs a lookup, not a decompression: a network host reads
    each agent's report once per change. Use it wherever a Decoder is
    taken; ``expansions_hits`` and ``expansions_misses`` count the copies
    answered from memory or not.
    """

    def __init__(self, cache_size: int = 128) -> None:
        super().__init__(cache_size)
        self._expanded: _lru.BoundedLRU[str] = _lru.BoundedLRU(cache_size)

    @property
    def expansions_hits(self) -> int:
        """How many compact copies were answered from memory."""
        return self._expanded.hits

    @property
    def expansions_misses(self) -> int:
        """How many compact copies were expanded."""
        return self._expanded.misses

    def expand(self, value: str, pin: str | None, version: str) -> str:
        """:func:`._compact.expand`, remembered (refusals are not)."""
        key = (value, pin, version)
        text = self._expanded.get(key) if self.cache_size else None
        if text is None:
            text = _compact.expand(value, pin, version)
            if self.cache_size:
                self._expanded.put(key, text)
        return text

    def clear(self) -> None:
        """Forget every payload and expansion (the counts stay)."""
        super().clear()
        self._expanded.clear()


def report_versions(configurations: Any) -> list[str]:
    """The HostInfo versions a report carries, newest first.

    For operator tools: nothing is decompressed. ``[]`` when
    ``configurations`` holds no report (None, or no :data:`REPORT_KEY`).

    :raises MalformedPayload: for anything else that is not a report of
        format 1, whatever ``configurations`` holds; never another error.
    """
    report = _report(configurations)
    if report is None:
        return []
    return [str(v) for v in sorted(report, reverse=True)]


def read_report(configurations: Any, pin: str | None = None,
                decoder: wire.Decoder | None = None,
                ) -> objects.HostInfo | None:
    """The HostInfo an agent reported in ``configurations``, or None.

    None when ``configurations`` is None or lacks :data:`REPORT_KEY` (not
    a HostInfo agent, or one that could not fit any copy). Otherwise the
    newest copy this side reads (up to ``pin``) is read, with the limits
    of :func:`os_vif_hostinfo.read_profile`, through ``decoder`` when
    given, so that a report heard before is answered from memory (a
    :class:`ReportDecoder` also skips the decompression).

    :raises MalformedPayload: for anything but a well-formed report.
    :raises UnsupportedVersion: if every copy is newer than ``pin`` or
        this library; ``exc.to_dict()`` names the oldest copy.
    :raises InvalidVersion: if ``pin`` is not ``MAJOR.MINOR``.
    """
    limit = objects.current_version('HostInfo')
    if pin is not None:
        limit = min(limit, versions.parse(pin, field='pin'))
    report = _report(configurations)
    if report is None:
        return None
    readable = [v for v in report if limit.is_compatible_with(v)]
    if not readable:
        raise exception.UnsupportedVersion(
            object_name='HostInfo', requested_version=str(min(report)),
            max_supported_version=str(limit))
    version = max(readable)
    path = '%s.%s.%s' % (REPORT_KEY, _HOSTINFO, version)
    try:
        if isinstance(decoder, ReportDecoder):
            text = decoder.expand(report[version], pin, str(version))
        else:
            text = _compact.expand(report[version], pin, str(version))
    except exception.MalformedPayload as exc:
        raise exception.MalformedPayload(
            path='%s%s' % (path, exc.kwargs['path'][1:]),
            reason=exc.kwargs['reason']) from None
    return negotiation.receive(text, pin=pin, decoder=decoder)


def _report(configurations: Any) -> dict[versions.Version, str] | None:
    """The report's copies by version, checked; None if there is none."""
    if configurations is None:
        return None
    if not isinstance(configurations, Mapping):
        raise _fail('configurations', 'expected an object, got %s'
                    % exception.describe_json_type(configurations))
    if REPORT_KEY not in configurations:
        return None
    report = configurations[REPORT_KEY]
    if not isinstance(report, Mapping):
        raise _fail(REPORT_KEY, 'expected a report object, got %s'
                    % exception.describe_json_type(report))
    number = report.get(_FORMAT)
    if type(number) is not int:
        raise _fail('%s.%s' % (REPORT_KEY, _FORMAT),
                    'expected an integer, got %s'
                    % exception.describe_json_type(number))
    if number != REPORT_FORMAT:
        raise _fail('%s.%s' % (REPORT_KEY, _FORMAT),
                    'report format %d is not one this library reads (%d)'
                    % (number, REPORT_FORMAT))
    copies = report.get(_HOSTINFO)
    path = '%s.%s' % (REPORT_KEY, _HOSTINFO)
    if not isinstance(copies, Mapping) or not copies:
        raise _fail(path, 'expected a non-empty object of HostInfo copies, '
                    'got %s' % ('an empty object' if copies == {} else
                                exception.describe_json_type(copies)))
    if len(copies) > MAX_COPIES:
        raise _fail(path, '%d copies, over the limit of %d'
                    % (len(copies), MAX_COPIES))
    checked = {}
    for key, value in copies.items():
        if not isinstance(key, str) or versions.problem(key) != 'valid':
            raise _fail(path, 'key %s is not a HostInfo version: %s'
                        % (_short(key), versions.problem(key)))
        if not isinstance(value, str):
            raise _fail('%s.%s' % (path, key), 'expected a compact string, '
                        'got %s' % exception.describe_json_type(value))
        checked[versions.parse(key)] = value
    return checked


def _fail(path: str, reason: str) -> exception.MalformedPayload:
    return exception.MalformedPayload(path=path, reason=reason)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + '...'
