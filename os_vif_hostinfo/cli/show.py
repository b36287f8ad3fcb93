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

"""``os-vif-hostinfo show``: this host's HostInfo, as a table or on the wire.

The rows are built from the wire primitive at the target version, so they
show what would be sent: at HostInfo 1.0 there is no port profiles column
because HostVIFInfo 1.0 does not carry them.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
import contextlib
import logging
from typing import Any

from cliff import lister

from os_vif_hostinfo.cli import _argtypes
from os_vif_hostinfo.cli import output
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

COLUMNS = ('Plugin', 'VIF type', 'Min version', 'Max version')
PROFILES_COLUMN = 'Port profiles'
#: Where each plugin's description came from (see PluginSource).
SOURCE_COLUMN = 'Source'


class PortProfilesColumn(output.ListColumn):
    """A VIF type's port profiles: a line each in a table, a list in JSON."""

    def item_text(self, item: Any) -> str:
        return ('%(profile_object_name)s %(min_version)s-%(max_version)s'
                % item)


class Show(lister.Lister):
    """Show this host's plugins: one row per plugin and VIF type.

    The Source column says where each plugin's description came from:
    an os-vif plugin, a plugin of this library, or a static description.
    Plugins that could not be loaded or described are listed on stderr
    with the reason, and so is a --vif-type no plugin offers; the exit
    status is then 1.
    """

    _epilog = status.epilog('show')  # type: ignore[assignment]

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        # Every option so far is cliff's and formats the rows: none of
        # them applies to --wire.
        self._formatting = [action for action in parser._actions
                            if action.option_strings
                            and action.dest != 'help']
        # None, not cliff's 'table', tells "-f table" from no -f at all.
        parser.set_defaults(formatter=None)
        self._parser = parser
        parser.add_argument(
            '--target-version', metavar='X.Y', type=_argtypes.target_version,
            help='show the HostInfo as it is sent at this version '
                 '(default: the newest)')
        parser.add_argument(
            '--vif-type', metavar='NAME', dest='vif_types',
            action='extend', nargs='+',
            help='keep only these VIF classes (repeatable); plugins left '
                 'without any are dropped')
        parser.add_argument(
            '--wire', action='store_true',
            help='print the wire JSON (what a network host receives) '
                 'and nothing else on stdout; takes no formatting option')
        return parser

    def run(self, parsed_args: argparse.Namespace) -> int:
        self._failures: list[exception.PluginLoadError] = []
        self._missing: list[str] = []
        self._offered: list[str] = []
        if parsed_args.wire:
            self._refuse_formatting(parsed_args)
            info = self._discover(parsed_args)
            self.app.stdout.write(
                wire.serialize(info, parsed_args.target_version) + '\n')
            result = status.OK
        else:
            if parsed_args.formatter is None:
                parsed_args.formatter = 'table'
            result = super().run(parsed_args)
        err = self.app.stderr
        for failure in self._failures:
            err.write(output.printable(
                'broken plugin %(entry_point)s: %(reason)s' % failure.kwargs)
                + '\n')
        for name in self._missing:
            err.write(output.printable(
                'no plugin offers VIF class %s; the plugins here offer %s'
                % (name, ', '.join(self._offered) or 'none')) + '\n')
        if result == status.OK and (self._failures or self._missing):
            result = status.FAILED
        return result

    def _refuse_formatting(self, parsed_args: argparse.Namespace) -> None:
        """Make --wire with -f, -c, ... a usage error, not silence."""
        given = []
        for action in self._formatting:
            default = None if action.dest == 'formatter' else action.default
            if getattr(parsed_args, action.dest, default) != default:
                given.append('/'.join(action.option_strings))
        if given:
            self._parser.error(
                'argument --wire: prints the payload as it is sent and '
                'takes no formatting option (got %s)' % ', '.join(given))

    def produce_output(self, parsed_args: argparse.Namespace,
                       column_names: Any, data: Any) -> int:
        # The one place every cell passes on its way to a formatter.
        output.check_columns(parsed_args.columns, column_names)
        rows = list(data)
        if not rows and parsed_args.formatter == 'table':
            # cliff's table of no rows is a blank line; say nothing.
            return 0
        if parsed_args.formatter == 'value':
            return super().produce_output(parsed_args, column_names,
                                          output.value_tokens(rows))
        return super().produce_output(
            parsed_args, column_names,
            output.cells_for(parsed_args.formatter, rows))

    def take_action(self, parsed_args: argparse.Namespace,
                    ) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        info = self._discover(parsed_args)
        target = parsed_args.target_version
        primitive = wire.to_primitive(info, target)
        profiles = carries_port_profiles(target)
        rows: list[tuple[Any, ...]] = []
        for plugin in primitive[wire.KEY_DATA]['plugin_info']:
            plugin_data = plugin[wire.KEY_DATA]
            name = plugin_data['plugin_name']
            source = str(self._sources[name])
            if not plugin_data['vif_info']:
                # Empty cells (null in JSON): the plugin offers no VIF.
                rows.append((name, None, None, None)
                            + ((PortProfilesColumn([]),) if profiles
                               else ()) + (source,))
            for vif in plugin_data['vif_info']:
                data = vif[wire.KEY_DATA]
                row: tuple[Any, ...] = (name, data['vif_object_name'],
                                        data['min_version'],
                                        data['max_version'])
                if profiles:
                    row += (PortProfilesColumn([
                        _profile_row(p[wire.KEY_DATA])
                        for p in data['supported_port_profiles']]),)
                rows.append(row + (source,))
        names = (COLUMNS + ((PROFILES_COLUMN,) if profiles else ())
                 + (SOURCE_COLUMN,))
        return names, rows

    def _discover(self, parsed_args: argparse.Namespace) -> objects.HostInfo:
        provider = discovery.HostInfoProvider()
        # The failures are reported below as this command's own output;
        # the discovery warnings would repeat them.
        with _without_warnings(discovery.LOG):
            everything = provider.host_info()
            self._failures = provider.failures
            self._sources = provider.sources
        if parsed_args.vif_types is None:
            return everything
        self._offered = sorted({vif.vif_object_name
                                for plugin in everything.plugin_info
                                for vif in plugin.vif_info})
        self._missing = [name for name in dict.fromkeys(
            parsed_args.vif_types) if name not in self._offered]
        return everything.filter_vif_types(parsed_args.vif_types)


def _profile_row(data: dict[str, Any]) -> dict[str, str]:
    return {key: data[key] for key in
            ('profile_object_name', 'min_version', 'max_version')}


def carries_port_profiles(target: str | None) -> bool:
    """True if HostInfo at ``target`` carries the VIFs' port profiles."""
    version = (objects.current_version('HostInfo') if target is None
               else versions.parse(target))
    for parent, field in (('HostInfo', 'plugin_info'),
                          ('HostPluginInfo', 'vif_info')):
        version = dict(wire.layout(parent, version))[field]
    return 'supported_port_profiles' in dict(
        wire.layout('HostVIFInfo', version))


class _DropWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno != logging.WARNING


@contextlib.contextmanager
def _without_warnings(logger: logging.Logger) -> Iterator[None]:
    dropper = _DropWarnings()
    logger.addFilter(dropper)
    try:
        yield
    finally:
        logger.removeFilter(dropper)
