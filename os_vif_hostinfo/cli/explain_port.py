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

"""``explain --port``: a port read from the cloud, with every binding.

The port is found by ID or name with openstacksdk; its bindings (the
inactive one of a live migration included) come from the port bindings
API. For each binding, what the compute host offered comes from the
profile or, for an unmodified Nova, from that host's HostInfo agent; and
whether that host consumes the chosen VIF is judged from its own agent
report, unless the command runs on that very host, where this host's
discovery is used. Each binding says which source was used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openstack import connection
from oslo_serialization import jsonutils

from os_vif_hostinfo.cli import _explaining
from os_vif_hostinfo.cli import _portfile
from os_vif_hostinfo.cli import cloud
from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron import report
from os_vif_hostinfo import objects

_AGENT_FIELDS = ('host', 'alive', 'configurations')


def fetch_port(conn: connection.Connection, name_or_id: str) -> Any:
    """The port with that ID or name.

    :raises PortNotFound: if there is none.
    :raises PortAmbiguous: if several ports have that name.
    :raises CloudForbidden: if its binding fields are hidden (no admin).
    """
    with cloud.errors(name_or_id):
        port = conn.network.find_port(name_or_id, ignore_missing=False)
    if port.binding_vif_type is None:
        raise cloud.CloudForbidden(
            reason='port %s is shown without its binding fields; reading '
                   'them takes admin rights' % port.id)
    return port


def bindings(conn: connection.Connection, port: Any) -> list[_portfile.Port]:
    """Every binding of ``port``, the active one first.

    A cloud without the port bindings API gives the port's own binding.
    """
    fields = cloud.attributes(port)
    active = _binding(port.id, fields.get('binding_host_id'),
                      fields.get('binding_profile'),
                      fields.get('binding_vif_type'),
                      fields.get('binding_vif_details'), fields)
    try:
        with cloud.errors():
            listed = list(conn.network.port_bindings(port.id))
    except cloud.CloudForbidden:
        raise
    except cloud.CloudError:
        return [active]
    others = [_binding(port.id, b.host, b.profile, b.vif_type,
                       b.vif_details, fields)
              for b in listed if (b.status or '').upper() != 'ACTIVE'
              and b.host != active.host_id]
    return [active] + others


def _binding(port_id: str, host: Any, profile: Any, vif_type: Any,
             details: Any, fields: dict[str, Any]) -> _portfile.Port:
    raw = dict(fields, id=port_id, binding_host_id=host,
               binding_profile=profile, binding_vif_type=vif_type,
               binding_vif_details=details)
    return _portfile.parse(jsonutils.dumps(raw), 'port %s' % port_id)


def agent_report(conn: connection.Connection, host: str) -> _explaining.Report:
    """What the HostInfo agent of ``host`` reports, and from where."""
    if not host:
        return _explaining.Report(None, 'no host', 'the port is not bound')
    with cloud.errors():
        agents = list(conn.network.agents(
            host=host, agent_type=report.AGENT_TYPE,
            fields=list(_AGENT_FIELDS)))
    if not agents:
        return _explaining.Report(
            None, 'no HostInfo agent on %s' % host,
            'no HostInfo agent reports from %s' % host)
    agent = agents[0]
    source = 'the HostInfo agent of %s (%s)' % (
        host, 'alive' if agent.is_alive else 'not alive')
    try:
        info = report.read_report(agent.configuration)
    except exception.HostInfoError as exc:
        return _explaining.Report(None, source, 'unreadable report: %s' % exc)
    return _explaining.Report(
        info, source, None if info is not None else 'no HostInfo')


def explain_port(conn: connection.Connection, name_or_id: str,
                 here: str,
                 discover: Callable[[], objects.HostInfo],
                 ) -> list[_explaining.Explanation]:
    """One explanation per binding of the port, the active one first.

    :param here: this machine's host name.
    :param discover: this host's own discovery, called only when a
        binding's host is this host.
    """
    port = fetch_port(conn, name_or_id)
    results = []
    reports: dict[str, _explaining.Report] = {}
    for binding in bindings(conn, port):
        host = binding.host_id
        if host not in reports:
            reports[host] = agent_report(conn, host)
        judge = reports[host]
        if host and host == here:
            judge = _explaining.Report(
                discover(), 'this host\'s own discovery (the command runs '
                'on %s)' % host)
        results.append(_explaining.explain(binding, None, reports[host],
                                           judge))
    return results


def rows(results: list[_explaining.Explanation]) -> _explaining.Explanation:
    """The rows of every binding in one list; the active binding's status.

    The rows of an inactive binding are named after its host, since a
    command shows each name once.
    """
    merged = list(results[0].rows)
    for result in results[1:]:
        host = dict(result.rows).get('Host', '?')
        merged.extend(('Inactive binding on %s: %s' % (host, name), value)
                      for name, value in result.rows)
    return _explaining.Explanation(merged, results[0].status)
