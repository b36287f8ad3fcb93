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

"""``os-vif-hostinfo explain``: why a Neutron port bound the way it did.

Everything needed is on the port: the compute host's HostInfo in
``binding:profile``, and the network host's answer in ``binding:vif_type``
and ``binding:vif_details``. The command reads both and checks the chosen
VIF against this host's own discovery, so a port bound before a plugin
was upgraded or removed shows up as no longer consumable here.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

from cliff import show

from os_vif_hostinfo.cli import _explaining
from os_vif_hostinfo.cli import _portfile
from os_vif_hostinfo.cli import _thishost
from os_vif_hostinfo.cli import check
from os_vif_hostinfo.cli import output
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import discovery

# What explain says, re-exported for the code and tests that use it here.
BOUND = _explaining.BOUND
REFUSED = _explaining.REFUSED
FAILED = _explaining.FAILED
NOT_CONSUMABLE = _explaining.NOT_CONSUMABLE
Explanation = _explaining.Explanation
OfferColumn = _explaining.OfferColumn
PortNotGiven = _explaining.PortNotGiven
Report = _explaining.Report
explain = _explaining.explain
offers = _explaining.offers


class StatusShowOne(show.ShowOne):
    """A ShowOne whose one row is escaped and whose outcome is its status.

    ``take_action`` sets ``self._status`` (see :mod:`.status`); every cell
    goes through :func:`.output.cells_for`, since names and messages come
    from a port or a host description, that is from anyone.
    """

    _status = 0

    def run(self, parsed_args: argparse.Namespace) -> int:
        self._status = 0
        result = super().run(parsed_args)
        return result or self._status

    def produce_output(self, parsed_args: argparse.Namespace,
                       column_names: Any, data: Any) -> int:
        output.check_columns(parsed_args.columns, column_names)
        (row,) = output.cells_for(parsed_args.formatter, [data])
        result: int = super().produce_output(parsed_args, column_names, row)
        return result


class Explain(StatusShowOne):
    """Explain a Neutron port's binding from the port itself.

    Reads the port as ``openstack port show -f json PORT`` prints it or as
    the Neutron API returns it, or with ``--port`` from the cloud itself
    (each of its bindings, judged from its host's own HostInfo report
    unless run on that host). A port file bound to another host (see
    --host) is explained, but not checked against this host's plugins.
    """

    _epilog = status.epilog('explain')  # type: ignore[assignment]

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            'port_file', metavar='PORT_FILE', nargs='?',
            help='file holding the port (JSON), or - for stdin')
        which.add_argument(
            '--port', metavar='ID_OR_NAME',
            help='read the port from the cloud (admin rights), by ID or '
                 'name; the cloud is chosen as the openstack command does '
                 '(--os-cloud, OS_CLOUD, OS_* variables, clouds.yaml)')
        parser.add_argument(
            '--host', metavar='NAME',
            help='this host\'s name as Nova reports it (default: [DEFAULT] '
                 'host of %s if set, else the hostname); a binding on '
                 'another host is not judged by this host\'s plugins'
                 % _thishost.NOVA_CONF)
        self._cloud_dests = _cloud().add_arguments(
            parser, getattr(self.app, 'command_argv', None))
        return parser

    def take_action(self, parsed_args: argparse.Namespace,
                    ) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        if parsed_args.port is None and parsed_args.port_file is None:
            raise PortNotGiven()
        if parsed_args.port is not None:
            from os_vif_hostinfo.cli import explain_port
            conn = _cloud().connect(parsed_args, self._cloud_dests)
            provider = discovery.HostInfoProvider()
            found = explain_port.explain_port(
                conn, parsed_args.port,
                parsed_args.host or _thishost.this_host(),
                provider.host_info)
            result = explain_port.rows(found)
            self._status = result.status
            return _columns(result.rows)
        parsed_args.port = parsed_args.port_file
        if parsed_args.port == '-':
            port = _portfile.read_stream(check._binary(self.app.stdin),
                                         'standard input')
        else:
            port = _portfile.read_file(parsed_args.port)
        local = discovery.HostInfoProvider().host_info()
        this = (_thishost.ThisHost(parsed_args.host, '--host')
                if parsed_args.host else _thishost.identify())
        result = explain(port, local, this=this)
        self._status = result.status
        return _columns(result.rows)


def _cloud() -> Any:
    # openstacksdk is imported only by the commands that use a cloud.
    from os_vif_hostinfo.cli import cloud
    return cloud


def _columns(rows: Iterable[tuple[str, Any]],
             ) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    pairs = list(rows)
    return (tuple(name for name, _ in pairs),
            tuple(value for _, value in pairs))
