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

"""What explain says about one port or binding, without the command.

``explain`` (the command, for a port file) and ``explain --port`` (for a
port and its bindings read from the cloud, :mod:`.explain_port`) both
build their rows here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from cliff import columns

from os_vif_hostinfo import _compact
from os_vif_hostinfo.cli import _portfile
from os_vif_hostinfo.cli import _thishost
from os_vif_hostinfo.cli import output
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import neutron
from os_vif_hostinfo import objects
from os_vif_hostinfo import wire


#: Exit status: bound, and this host consumes the chosen VIF.
BOUND = status.OK
#: Exit status: the network host refused the HostInfo version (backlevel).
REFUSED = status.REFUSED
#: Exit status: the binding failed for another reason, or never happened.
FAILED = status.NOT_BOUND
#: Exit status: bound, but this host cannot consume that VIF (any more).
NOT_CONSUMABLE = status.NOT_CONSUMABLE


class PortNotGiven(exception.HostInfoError):
    """``explain`` was given neither a port file nor ``--port``."""

    msg_fmt = 'Give the port: PORT_FILE, - (standard input) or --port ID'
    exit_status = status.USAGE


class OfferColumn(output.ListColumn):
    """A list of offers: one line each in a table, a list in JSON."""

    def human_readable(self) -> str:
        return super().human_readable() if self._value else '(none)'


class SideBySideColumn(columns.FormattableColumn[dict[str, list[str]]]):
    """Two lists next to each other: what each side could do."""

    def flat(self) -> str:
        """Both lists on one line, for the one-line formatters."""
        return '; '.join('%s: %s' % (side, ', '.join(items) or '(none)')
                         for side, items in self._value.items())

    def human_readable(self) -> str:
        left = ['network host'] + self._value['network host']
        right = ['compute host'] + self._value['compute host']
        width = max(len(item) for item in left)
        lines = []
        for index in range(max(len(left), len(right))):
            a = left[index] if index < len(left) else ''
            b = right[index] if index < len(right) else ''
            lines.append(('%-*s | %s' % (width, a, b)).rstrip())
        return '\n'.join(lines)

    def machine_readable(self) -> dict[str, list[str]]:
        return {key: list(value) for key, value in self._value.items()}


class Explanation(NamedTuple):
    """The rows explaining one port, and the exit status they imply."""

    rows: list[tuple[str, Any]]
    status: int


def offers(info: objects.HostInfo) -> list[str]:
    """``plugin: VIFClass min-max`` for every VIF a HostInfo offers."""
    return ['%s: %s %s-%s' % (plugin.plugin_name, vif.vif_object_name,
                              vif.min_version, vif.max_version)
            for plugin in info.plugin_info for vif in plugin.vif_info]


class Report(NamedTuple):
    """A HostInfo read from somewhere other than the port, and from where.

    ``info`` is None when the source has none (or it is unreadable);
    ``source`` says where it came from, for the reader ("the HostInfo
    agent of compute-1 (alive)"); ``problem`` why there is none.
    """

    info: objects.HostInfo | None
    source: str
    problem: str | None = None


def _sent(port: _portfile.Port, rows: list[tuple[str, Any]],
          agent: Report | None = None) -> objects.HostInfo | None:
    """Rows for what the compute host offered; the HostInfo if readable.

    The port's profile comes first; without HostInfo there (an unmodified
    Nova), what the host's HostInfo agent reported, when known.
    """
    profile = port.profile
    if neutron.PROFILE_KEY not in profile:
        if agent is not None and agent.info is not None:
            rows.append(('HostInfo', 'from %s' % agent.source))
            rows.append(('Compute host offers',
                         OfferColumn(offers(agent.info))))
            return agent.info
        rows.append(('HostInfo', 'none: a legacy compute host (or one '
                     'that does not send HostInfo)'))
        if agent is not None:
            rows.append(('HostInfo agent', '%s: %s' % (
                agent.source, agent.problem or 'no HostInfo')))
        return None
    rows.append(('HostInfo source', 'binding:profile'))
    value = profile[neutron.PROFILE_KEY]
    info = None
    try:
        info = neutron.read_profile(profile)
    except exception.UnsupportedVersion as exc:
        rows.append(('HostInfo', '%s %s, newer than this release reads '
                     '(up to %s)' % (exc.object_name, exc.requested_version,
                                     exc.max_supported_version)))
    except exception.HostInfoError as exc:
        rows.append(('HostInfo', 'unreadable: %s' % exc))
    else:
        rows.append(('HostInfo', _version(value) or '(version unknown)'))
    rows.append(('Encoding', _encoding(value)))
    rows.append(('Profile size', '%d of %d characters' % (
        neutron.profile_length(profile), neutron.MAX_PROFILE_LENGTH)))
    if info is not None:
        rows.append(('Compute host offers', OfferColumn(offers(info))))
    return info


def _encoding(value: Any) -> str:
    """How the HostInfo sits in the profile."""
    if isinstance(value, dict):
        return 'plain (JSON object)'
    if isinstance(value, str) and value.startswith(neutron.COMPACT_PREFIX):
        return 'compact %s (%d characters)' % (
            neutron.COMPACT_PREFIX.rstrip(':'), len(value))
    return 'unknown (%s)' % exception.describe_json_type(value)


def _version(value: Any) -> str | None:
    """The HostInfo version of a readable profile value."""
    if isinstance(value, dict):
        version = value.get(wire.KEY_VERSION)
        return version if isinstance(version, str) else None
    try:
        # The compact form names its version inside the table.
        text = _compact.expand(value)
        return str(wire.loads(text)[wire.KEY_VERSION])
    except (exception.HostInfoError, KeyError, TypeError):
        return None


def _answer(port: _portfile.Port, sent: objects.HostInfo | None,
            rows: list[tuple[str, Any]],
            ) -> tuple[int, negotiation.VIFChoice | None]:
    """Rows for the network host's answer; (status, choice if bound)."""
    vif_type = port.vif_type
    if vif_type in ('', neutron.VIF_TYPE_UNBOUND):
        rows.append(('Outcome', 'not bound'))
        rows.append(('Reason', 'no binding was attempted (binding:host_id '
                     'is %s)' % (port.host_id or 'unset')))
        return FAILED, None
    keys = (neutron.VIF_DETAILS_PLUGIN, neutron.VIF_DETAILS_OBJECT,
            neutron.VIF_DETAILS_VERSION)
    if (vif_type != neutron.VIF_TYPE_BINDING_FAILED
            and not any(key in port.vif_details for key in keys)):
        rows.append(('Outcome', 'bound without HostInfo'))
        rows.append(('vif_type', vif_type))
        rows.append(('Reason', 'the mechanism driver that bound it does not '
                     'read HostInfo' if sent is not None else
                     'the compute host sent no HostInfo; bound the legacy '
                     'way'))
        rows.append(('Consumable here', 'not checked: the network host '
                     'named no os-vif VIF'))
        return BOUND, None
    try:
        choice = neutron.read_binding(port.as_api())
    except exception.UnsupportedVersion as exc:
        rows.append(('Outcome', 'refused'))
        rows.append(('Reason', str(exc)))
        rows.append(('Backlevel to', '%s %s' % (exc.object_name,
                                                exc.max_supported_version)))
        return REFUSED, None
    except exception.HostInfoError as exc:
        failed = vif_type == neutron.VIF_TYPE_BINDING_FAILED
        rows.append(('Outcome', 'failed' if failed else
                     'bound, but the answer is unusable'))
        rows.append(('vif_type', vif_type))
        rows.append(('Reason', exc.kwargs.get('reason', str(exc))))
        error = _error_body(port.vif_details)
        network = _network_offers(error) if error else None
        if network is not None and sent is not None:
            rows.append(('Side by side', SideBySideColumn({
                'network host': network, 'compute host': offers(sent)})))
        return FAILED, None
    rows.append(('Outcome', 'bound'))
    rows.append(('Plugin', choice.plugin_name))
    rows.append(('VIF class', choice.vif_object_name))
    rows.append(('VIF version', choice.version))
    rows.append(('vif_type', vif_type))
    return BOUND, choice


def _error_body(details: dict[str, Any]) -> dict[str, Any] | None:
    body = details.get(neutron.VIF_DETAILS_ERROR)
    if isinstance(body, dict) and isinstance(body.get('error'), dict):
        return body['error']
    return None


def _network_offers(error: dict[str, Any]) -> list[str] | None:
    """What the network host could produce, from its error body."""
    details = error.get('details')
    if not isinstance(details, dict):
        return None
    name = details.get('vif_name')
    if not isinstance(name, str):
        return None
    got = details.get('got_versions')
    if isinstance(got, str):
        # NoSupportedVIFVersion: one class, the versions it has.
        return ['%s %s' % (name, got.replace(',', ', '))]
    # NoMatchingVIFClass: every class it offered, "A or B".
    return name.split(' or ')


def _here(choice: negotiation.VIFChoice, local: objects.HostInfo,
          rows: list[tuple[str, Any]],
          where: str = 'here') -> int:
    """The row saying whether the host consumes the chosen VIF now.

    :func:`~os_vif_hostinfo.check_vif` decides whether any plugin here
    reads the VIF; os-vif then plugs it with the plugin the network host
    named, so that plugin must be here and read it too.
    """
    label = 'Consumable %s' % where
    vif = {wire.KEY_NAME: choice.vif_object_name,
           wire.KEY_VERSION: choice.version}
    try:
        negotiation.check_vif(vif, local)
    except exception.HostInfoError as exc:
        rows.append((label, 'no: %s' % exc))
        return NOT_CONSUMABLE
    name = choice.plugin_name
    if not local.has_plugin(name):
        rows.append((label, 'no: the network host chose plugin '
                     '%s, which %s does not have' % (
                         name, 'this host' if where == 'here'
                         else where.replace('on ', '', 1))))
        return NOT_CONSUMABLE
    plugin = local.get_plugin(name)
    if not plugin.has_vif(choice.vif_object_name):
        rows.append((label, 'no: plugin %s %s does not read '
                     '%s' % (name, where, choice.vif_object_name)))
        return NOT_CONSUMABLE
    entry = plugin.get_vif(choice.vif_object_name)
    verdict = 'yes' if entry.admits(choice.version) else 'no'
    rows.append((label, '%s: plugin %s %s reads %s %s-%s' % (
        verdict, name, where, entry.vif_object_name, entry.min_version,
        entry.max_version)))
    return BOUND if verdict == 'yes' else NOT_CONSUMABLE


def explain(port: _portfile.Port, local: objects.HostInfo | None,
            agent: Report | None = None,
            judge: Report | None = None,
            this: _thishost.ThisHost | None = None) -> Explanation:
    """Explain one port's binding.

    :param local: this host's HostInfo, to judge consumability here.
    :param agent: the port host's agent report, for a port whose profile
        has no HostInfo.
    :param judge: instead of ``local``, the HostInfo that judges whether
        the port's host consumes the chosen VIF (its agent's report, when
        the command does not run there); its source is named.
    :param this: this host's name; without ``judge``, a port bound to
        another host is not checked against ``local`` (the row says which
        hosts differ). None: do not compare hosts.
    """
    rows: list[tuple[str, Any]] = [('Port', port.id),
                                   ('Host', port.host_id or '(unset)')]
    sent = _sent(port, rows, agent)
    status, choice = _answer(port, sent, rows)
    if choice is None:
        return Explanation(rows, status)
    if judge is None:
        if this is not None and port.host_id != this.name:
            rows.append(('Consumable here', 'not checked: the port is '
                         'bound to host %s, and this is host %s (%s); run '
                         'explain on %s' % (port.host_id, this.name,
                                            this.source, port.host_id)))
            return Explanation(rows, status)
        if local is None:
            raise exception.InvalidArgument(
                name='local', value=None,
                reason='a HostInfo is needed to judge consumability')
        return Explanation(rows, _here(choice, local, rows))
    where = 'on %s' % (port.host_id or 'its host')
    rows.append(('Judged from', judge.source))
    if judge.info is None:
        rows.append(('Consumable %s' % where, 'not checked: %s' % (
            judge.problem or 'no HostInfo')))
        return Explanation(rows, status)
    return Explanation(rows, _here(choice, judge.info, rows, where))
