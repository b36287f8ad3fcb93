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

"""``os-vif-hostinfo fleet``: every host's HostInfo, from the cloud's API.

One row per HostInfo agent, then a summary (see
:mod:`os_vif_hostinfo.neutron.fleet`). The agents and the compute ports
are read page by page, each with only the fields used. The summary comes
below the rows in the same format: a second table (or value lines, or CSV
block) after the rows; for JSON and YAML the document is one object,
``{"hosts": [rows], "summary": {...}}``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
import io
import json
from typing import Any

from cliff import lister
from openstack import connection
import yaml

from os_vif_hostinfo.cli import _argtypes
from os_vif_hostinfo.cli import cloud
from os_vif_hostinfo.cli import output
from os_vif_hostinfo.cli import status
from os_vif_hostinfo.neutron import fleet
from os_vif_hostinfo.neutron import report

#: Items asked for per API request.
PAGE_SIZE = 1000

COLUMNS = ('Host', 'Alive', 'HostInfo versions', 'Plugins', 'VIF classes',
           'Problem')

# 'id': the next page starts after the last id.
_AGENT_FIELDS = ['id', 'host', 'alive', 'configurations']
_PORT_FIELDS = ['id', 'binding:host_id', 'binding:profile', 'device_owner']
_COMPUTE_PREFIX = 'compute:'


def agents(conn: connection.Connection) -> Iterator[fleet.Agent]:
    """Every HostInfo agent, page by page."""
    with cloud.errors():
        for agent in conn.network.agents(agent_type=report.AGENT_TYPE,
                                         fields=_AGENT_FIELDS,
                                         limit=PAGE_SIZE):
            yield fleet.Agent(agent.host or '', bool(agent.is_alive),
                              agent.configuration)


def port_hosts(conn: connection.Connection) -> Iterator[tuple[str, bool]]:
    """``(host, profile has HostInfo)`` per bound compute port."""
    with cloud.errors():
        for port in conn.network.ports(fields=_PORT_FIELDS,
                                       limit=PAGE_SIZE):
            if (port.device_owner or '').startswith(_COMPUTE_PREFIX):
                yield (port.binding_host_id or '',
                       fleet.profile_has_hostinfo(port.binding_profile))


def row(host: fleet.HostRow) -> tuple[Any, ...]:
    """One host's cells, in :data:`COLUMNS` order."""
    return (host.host, host.alive, output.ListColumn(host.versions),
            output.ListColumn(host.plugins),
            output.ListColumn(host.vif_classes), host.problem or '')


def summary_rows(summary: fleet.Summary) -> list[tuple[str, Any]]:
    """The summary as (name, cell) pairs, for the formats with a table."""
    caps = ['%s %s' % (name, '%s-%s' % span if span else
                       'none: the hosts offering it share no version')
            for name, span in summary.vif_caps.items()]
    return [
        ('Safe pin', summary.safe_pin or 'none: no version every alive '
         'host reports'),
        ('Safe VIF caps', output.ListColumn(caps)),
        ('Hosts binding without HostInfo',
         output.ListColumn(summary.without_hostinfo)),
        ('Dead agents', output.ListColumn(summary.dead)),
        ('Unreadable reports', output.ListColumn(
            ['%s: %s' % item for item in summary.unreadable.items()])),
    ]


class Fleet(lister.Lister):
    """List every host's HostInfo as its HostInfo agent reports it.

    One row per HostInfo agent; below, the safe pin for network hosts, the
    safe vif_classes caps, the hosts binding compute ports without any
    HostInfo, and the dead agents. The cloud is chosen as the openstack
    command does (--os-cloud, OS_CLOUD, OS_* variables, clouds.yaml);
    reading the ports' bindings takes admin rights. Exit status 0: listed;
    5: the cloud is unreachable; 9: no permission.
    """

    _epilog = status.epilog('fleet')  # type: ignore[assignment]

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--pin', metavar='X.Y', type=_argtypes.hostinfo_pin,
            help='read the reports as a network host pinned at this '
                 'HostInfo version would (default: unpinned)')
        self._cloud_dests = cloud.add_arguments(
            parser, getattr(self.app, 'command_argv', None))
        return parser

    def take_action(self, parsed_args: argparse.Namespace,
                    ) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        conn = cloud.connect(parsed_args, self._cloud_dests)
        surveyed = fleet.survey(agents(conn), port_hosts(conn),
                                pin=parsed_args.pin)
        self._summary = surveyed.summary
        return COLUMNS, [row(host) for host in surveyed.rows]

    def produce_output(self, parsed_args: argparse.Namespace,
                       column_names: Any, data: Any) -> int:
        formatter = parsed_args.formatter
        rows = output.cells_for(formatter, data)
        if formatter in ('json', 'yaml'):
            return self._one_document(parsed_args, column_names, rows)
        result: int = super().produce_output(parsed_args, column_names, rows)
        self.app.stdout.write('\n')
        pairs = summary_rows(self._summary)
        names = tuple(name for name, _ in pairs)
        (values,) = output.cells_for(formatter,
                                     [tuple(value for _, value in pairs)])
        if hasattr(self.formatter, 'emit_one'):
            self.formatter.emit_one(
                names, values, self.app.stdout, parsed_args)
        else:
            self.formatter.emit_list(('Summary', 'Value'),
                                     list(zip(names, values)),
                                     self.app.stdout, parsed_args)
        return result

    def _one_document(self, parsed_args: argparse.Namespace,
                      column_names: Any, rows: Any) -> int:
        real, buffer = self.app.stdout, io.StringIO()
        self.app.stdout = buffer
        try:
            result: int = super().produce_output(parsed_args, column_names,
                                                 rows)
        finally:
            self.app.stdout = real
        load = (json.loads if parsed_args.formatter == 'json'
                else yaml.safe_load)
        document = {'hosts': load(buffer.getvalue()) or [],
                    'summary': fleet.summary_fields(self._summary)}
        if parsed_args.formatter == 'json':
            indent = None if getattr(parsed_args, 'noindent', False) else 2
            json.dump(document, real, indent=indent)
            real.write('\n')
        else:
            yaml.safe_dump(document, real, default_flow_style=False,
                           allow_unicode=True)
        return result
