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

"""What a whole cloud's HostInfo agents report, summed up (no neutron import).

Both operator views read the same records: ``os-vif-hostinfo fleet`` from
the API and the ``neutron-status upgrade check`` from the database. Each
gives :func:`survey` the HostInfo agents (host, alive, ``configurations``)
and the hosts of bound compute ports (with whether the port's profile
carried HostInfo), and gets back one :class:`HostRow` per agent and a
:class:`Summary`:

- ``safe_pin``: the newest HostInfo version every alive host reports a
  copy of, that this release reads; a network host pinned there reads
  every alive host at that very version.
- ``vif_caps``: per VIF class, the versions every alive host offering it
  consumes (None when they share none): the safe ``vif_classes`` cap.
- ``without_hostinfo``: hosts binding compute ports with HostInfo neither
  in a profile nor from an agent (legacy hosts).
- ``dead``: hosts whose HostInfo agent is not alive.
- ``unreadable``: alive hosts whose report this release, at ``pin``,
  cannot read; their ports would fail to bind.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
import json
from typing import Any, NamedTuple

from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron import profile
from os_vif_hostinfo.neutron import report
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire


class Agent(NamedTuple):
    """One HostInfo agent as Neutron knows it."""

    host: str
    alive: bool
    #: The agent's ``configurations``, decoded (a dict), or None.
    configurations: Any


class HostRow(NamedTuple):
    """What one agent's report says, read at the survey's pin."""

    host: str
    alive: bool
    #: HostInfo versions the report carries, newest first.
    versions: list[str]
    #: The HostInfo read (None if there is none or it is unreadable).
    info: objects.HostInfo | None
    #: Why the report could not be read, or None.
    problem: str | None

    @property
    def plugins(self) -> list[str]:
        """The plugin names of the HostInfo read."""
        if self.info is None:
            return []
        return [plugin.plugin_name for plugin in self.info.plugin_info]

    @property
    def vif_classes(self) -> list[str]:
        """``VIFClass min-max`` per class, over every plugin."""
        return ['%s %s-%s' % (name, low, high)
                for name, (low, high) in _spans(self.info).items()]


class Summary(NamedTuple):
    """The fleet's common ground; see the module documentation."""

    safe_pin: str | None
    vif_caps: dict[str, tuple[str, str] | None]
    without_hostinfo: list[str]
    dead: list[str]
    unreadable: dict[str, str]
    #: Alive hosts, for saying whose common ground this is.
    alive: list[str]


class Fleet(NamedTuple):
    """One row per agent, sorted by host, and the summary."""

    rows: list[HostRow]
    summary: Summary


def survey(agents: Iterable[Agent],
           port_hosts: Iterable[tuple[str, bool]] = (),
           pin: str | None = None,
           decoder: wire.Decoder | None = None) -> Fleet:
    """Read every agent's report and sum up what the fleet has in common.

    :param agents: the HostInfo agents.
    :param port_hosts: ``(host, profile_has_hostinfo)`` per bound compute
        port (or per distinct pair); hosts named ``''`` are ignored.
    :param pin: read the reports as a network host pinned there would.
    :param decoder: a :class:`~os_vif_hostinfo.wire.Decoder` to share
        (a fleet's reports are mostly alike); a new one by default.
    :raises InvalidVersion: if ``pin`` is not ``MAJOR.MINOR``.
    """
    if pin is not None:
        versions.parse(pin, field='pin')
    if decoder is None:
        decoder = wire.Decoder(cache_size=256)
    rows = sorted((_read(agent, pin, decoder) for agent in agents),
                  key=lambda row: row.host)
    return Fleet(rows, _summary(rows, port_hosts))


def _read(agent: Agent, pin: str | None, decoder: wire.Decoder) -> HostRow:
    try:
        reported = report.report_versions(agent.configurations)
    except exception.HostInfoError as exc:
        return HostRow(agent.host, agent.alive, [], None, str(exc))
    try:
        info = report.read_report(agent.configurations, pin=pin,
                                  decoder=decoder)
    except exception.HostInfoError as exc:
        return HostRow(agent.host, agent.alive, reported, None, str(exc))
    problem = None if info is not None else 'no HostInfo in the report'
    return HostRow(agent.host, agent.alive, reported, info, problem)


def _summary(rows: list[HostRow],
             port_hosts: Iterable[tuple[str, bool]]) -> Summary:
    alive = [row for row in rows if row.alive]
    readable = [row for row in alive if row.info is not None]
    agent_hosts = {row.host for row in rows}
    bound: set[str] = set()
    with_profile: set[str] = set()
    for host, has_profile in port_hosts:
        if host:
            bound.add(host)
            if has_profile:
                with_profile.add(host)
    return Summary(
        safe_pin=_safe_pin(alive),
        vif_caps=_caps(readable),
        without_hostinfo=sorted(bound - agent_hosts - with_profile),
        dead=[row.host for row in rows if not row.alive],
        unreadable={row.host: row.problem for row in alive
                    if row.problem is not None},
        alive=[row.host for row in alive])


def _safe_pin(alive: list[HostRow]) -> str | None:
    newest = objects.current_version('HostInfo')
    common: set[versions.Version] | None = None
    for row in alive:
        reported = {versions.parse(v) for v in row.versions}
        readable = {v for v in reported if newest.is_compatible_with(v)}
        common = readable if common is None else common & readable
    return str(max(common)) if common else None


def _spans(info: objects.HostInfo | None,
           ) -> dict[str, tuple[versions.Version, versions.Version]]:
    """Per VIF class, the versions some plugin of ``info`` consumes."""
    spans: dict[str, tuple[versions.Version, versions.Version]] = {}
    if info is None:
        return spans
    for plugin in info.plugin_info:
        for vif in plugin.vif_info:
            low = versions.parse(vif.min_version)
            high = versions.parse(vif.max_version)
            if vif.vif_object_name in spans:
                old_low, old_high = spans[vif.vif_object_name]
                low, high = min(low, old_low), max(high, old_high)
            spans[vif.vif_object_name] = (low, high)
    return spans


def _caps(readable: list[HostRow],
          ) -> dict[str, tuple[str, str] | None]:
    common: dict[str, tuple[versions.Version, versions.Version]] = {}
    for row in readable:
        for name, (low, high) in _spans(row.info).items():
            if name in common:
                old_low, old_high = common[name]
                low, high = max(low, old_low), min(high, old_high)
            common[name] = (low, high)
    return {name: (str(low), str(high)) if low <= high else None
            for name, (low, high) in sorted(common.items())}


def summary_fields(summary: Summary) -> dict[str, Any]:
    """The summary as names and JSON values, for a report or a table."""
    return {
        'safe_pin': summary.safe_pin,
        'vif_caps': {name: ('%s-%s' % span if span else None)
                     for name, span in summary.vif_caps.items()},
        'without_hostinfo': list(summary.without_hostinfo),
        'dead': list(summary.dead),
        'unreadable': dict(summary.unreadable),
    }


def profile_has_hostinfo(value: Any) -> bool:
    """True if a port's ``binding:profile`` (dict or JSON text) has HostInfo.

    Only the key is looked for; reading it is the binding's business. Text
    that is not a JSON object has none.
    """
    if isinstance(value, str):
        if profile.PROFILE_KEY not in value:
            return False
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return False
    return isinstance(value, Mapping) and profile.PROFILE_KEY in value
