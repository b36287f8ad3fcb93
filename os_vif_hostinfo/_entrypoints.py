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

"""Reading entry points and describing this library's plugins.

The helpers of :mod:`os_vif_hostinfo.discovery`: one pass over the
installed distributions for every namespace, stevedore loading with every
import failure reported, where each description came from, and the checks
a plugin of the ``os_vif_hostinfo.plugins`` namespace goes through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
import importlib.metadata
import re
from typing import Any, NamedTuple

from stevedore import extension

from os_vif_hostinfo import _reasons
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import wire

_EntryPoint = importlib.metadata.EntryPoint
LoadFailed = Callable[[Any, _EntryPoint, BaseException], None]

#: Normalized name of this package's distribution: its entry points are
#: the static descriptions.
OWN_DIST = 'os-vif-hostinfo'


class ImportAborted(Exception):
    """Wraps an AssertionError or SystemExit raised by a plugin's import.

    stevedore re-raises those instead of calling the load failure
    callback; wrapped, they are reported like any other import failure.
    """


class EntryPointManager(extension.ExtensionManager):
    """stevedore's extension manager over entry points read afresh.

    stevedore keeps each namespace's entry-point list in a process-wide
    cache that is never cleared, so a manager built later would not see a
    plugin installed meanwhile. This manager loads the entry points it is
    given, or reads the namespace's each time it is built, which
    :meth:`HostInfoProvider.refresh` relies on; loading and failure
    reporting stay stevedore's.
    """

    def __init__(self, namespace: str,
                 entry_points: Iterable[_EntryPoint] | None = None,
                 on_load_failure_callback: LoadFailed | None = None,
                 ) -> None:
        self._given = None if entry_points is None else list(entry_points)
        super().__init__(namespace,
                         on_load_failure_callback=on_load_failure_callback)

    def list_entry_points(self) -> list[_EntryPoint]:
        """The namespace's entry points, by name, without duplicates."""
        if self._given is not None:
            return list(self._given)
        return read_entry_points([self.namespace]).groups[self.namespace]

    def _load_one_plugin(self, ep: _EntryPoint,
                         *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._load_one_plugin(ep, *args, **kwargs)
        except (AssertionError, SystemExit) as exc:
            raise ImportAborted(exc) from exc


class Listing(NamedTuple):
    """Entry points of some groups, with their distributions' names."""

    #: group -> its entry points, by name, without duplicates.
    groups: dict[str, list[_EntryPoint]]
    #: (group, name, value) -> name of the distribution declaring it.
    names: dict[tuple[str, str, str], str | None]

    def distribution(self, ep: _EntryPoint) -> str | None:
        """The name of the distribution declaring ``ep``, if known."""
        key = (ep.group, ep.name, ep.value)
        if key in self.names:
            return self.names[key]
        return distribution(ep)


def read_entry_points(groups: Iterable[str]) -> Listing:
    """Each group's entry points, by name, without duplicates.

    One pass over the installed distributions serves every group. Only
    the distributions whose ``entry_points.txt`` mentions one of the
    groups are parsed: on a host with a hundred packages that is two or
    three of them. A distribution found again later on the path
    (shadowed, as ``importlib.metadata.entry_points()`` skips it) is
    skipped too. Each distribution's metadata is read once.
    """
    wanted = list(dict.fromkeys(groups))
    found: dict[str, dict[tuple[str, str], _EntryPoint]] = {
        group: {} for group in wanted}
    names: dict[tuple[str, str, str], str | None] = {}
    seen: set[str] = set()
    for dist in importlib.metadata.distributions():
        text = dist.read_text('entry_points.txt')
        if not text or not any(group in text for group in wanted):
            continue
        name = dist.metadata['Name']
        if name:
            if normal(name) in seen:
                continue
            seen.add(str(normal(name)))
        for ep in dist.entry_points:
            if ep.group in found:
                found[ep.group].setdefault((ep.name, ep.value), ep)
                names.setdefault((ep.group, ep.name, ep.value), name)
    return Listing(groups={group: [eps[key] for key in sorted(eps)]
                           for group, eps in found.items()},
                   names=names)


def source(ext: extension.Extension, kind: str,
           listing: Listing | None = None) -> plugin.PluginSource:
    """Where ``ext`` comes from; ``kind`` is its namespace's kind.

    An entry point of this library's namespace declared by this package
    itself is a static description.
    """
    ep = ext.entry_point
    if ep is None:
        return plugin.PluginSource(kind, ext.name,
                                   _reasons.qualname(ext.plugin))
    dist = listing.distribution(ep) if listing else distribution(ep)
    if kind == plugin.KIND_PLUGIN and normal(dist) == OWN_DIST:
        kind = plugin.KIND_STATIC
    return plugin.PluginSource(kind, ep.name, ep.value, dist)


def distribution(ep: _EntryPoint) -> str | None:
    """The name of the distribution declaring ``ep``, if known."""
    dist = getattr(ep, 'dist', None)
    if dist is None:
        return None
    try:
        return str(dist.name)
    except Exception:
        return None


def normal(name: str | None) -> str | None:
    """A distribution name as packaging compares them (PEP 503)."""
    return None if name is None else re.sub(r'[-_.]+', '-', name).lower()


def is_own(ep: _EntryPoint, listing: Listing) -> bool:
    """True for an entry point this package declares: a static one."""
    return normal(listing.distribution(ep)) == OWN_DIST


def describe(ext: extension.Extension) -> objects.HostPluginInfo:
    """Create and describe one plugin of this library's namespace.

    :raises os_vif_hostinfo._reasons.Refused: if it cannot be described.
    """
    where = target(ext)
    obj = ext.obj
    if obj is None:
        candidate: Any = ext.plugin
        if isinstance(candidate, plugin.PluginBase):
            obj = candidate
        elif isinstance(candidate, type) and issubclass(
                candidate, plugin.PluginBase):
            try:
                obj = candidate()
            except (Exception, SystemExit) as exc:
                raise _reasons.Refused('creating %s failed: %s' % (
                    where, _reasons.why(exc)), exc) from None
        else:
            raise _reasons.Refused('%s is %s, not a PluginBase subclass'
                                   % (where, _reasons.kind(candidate)))
    elif not isinstance(obj, plugin.PluginBase):
        raise _reasons.Refused('%s is %s, not a PluginBase'
                               % (where, _reasons.kind(obj)))
    try:
        info = obj.describe()
    except (Exception, SystemExit) as exc:
        raise _reasons.Refused('describe() raised %s' % _reasons.why(exc),
                               exc) from None
    if not isinstance(info, objects.HostPluginInfo):
        raise _reasons.Refused('describe() returned %s, not an '
                               'os_vif_hostinfo HostPluginInfo'
                               % _reasons.kind(info))
    try:
        # A copy through the wire format checks every field and keeps the
        # cache apart from the plugin's object.
        return wire.deserialize(wire.serialize(info),
                                objects.HostPluginInfo)
    except Exception as exc:
        raise _reasons.Refused('describe() returned an invalid '
                               'HostPluginInfo: %s' % exc, exc) from None


def target(ext: extension.Extension) -> str:
    """What ``ext`` loads: the entry point's value, or the class's name."""
    if ext.entry_point is not None:
        return str(ext.entry_point.value)
    return _reasons.qualname(ext.plugin)
