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

"""Plugin discovery: from entry points to a :class:`HostInfo`.

:class:`HostInfoProvider` describes this host from two entry-point
namespaces, and caches what it found until the caller asks for a
:meth:`~HostInfoProvider.refresh`. There is no module-level state:
:func:`host_info` builds a fresh provider per call.

* ``os_vif`` (:data:`~.plugin.OS_VIF_NAMESPACE`), when os-vif can be
  imported: every VIF plugin os-vif itself would load, third-party ones
  included, described by its own ``describe()`` through os-vif (see
  :mod:`os_vif_hostinfo._osvif`). If os-vif cannot be imported, one INFO
  line says so and discovery goes on without it: that is no failure.
* ``os_vif_hostinfo.plugins`` (:data:`~.plugin.NAMESPACE`): plugins written
  for this library, and the static descriptions this package ships, which
  stand in for os-vif's ``noop`` and ``ovs`` on a host without os-vif.

Each description's origin is a :class:`~.plugin.PluginSource`
(:attr:`HostInfoProvider.sources`). When several describe the same plugin
name, the first of these wins:

1. an os-vif plugin declared by the os-vif distribution itself;
2. an os-vif plugin declared by another distribution (third party);
3. an ``os_vif_hostinfo.plugins`` plugin not shipped with this package;
4. a static description shipped with this package.

A static description that loses is dropped silently (it is only a
fallback, and is not even loaded when an os-vif plugin of its entry
point's name was described). Any other loser is a third-party claim on a
name already taken: it is left out and reported as failed, never the
plugin that won. Claims of the same rank go by entry-point name.

A plugin that cannot be loaded, is not a plugin class of its namespace,
fails to be created or in ``describe()``, returns something other than a
valid ``HostPluginInfo``, or loses a name as above is left out. Each is
logged at WARNING with its entry-point name and the reason, and kept in
:attr:`HostInfoProvider.failures` as a
:class:`~.exception.PluginLoadError` (with the ``namespace`` it came
from); the other plugins are unaffected.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import copy
import dataclasses
import importlib.metadata
import logging
import threading
from typing import Any, NamedTuple

from stevedore import extension

from os_vif_hostinfo import _entrypoints
from os_vif_hostinfo import _osvif
from os_vif_hostinfo import _reasons
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin

LOG = logging.getLogger(__name__)

_Manager = extension.ExtensionManager
_EntryPoint = importlib.metadata.EntryPoint

#: Creates and describes one plugin of this library's namespace (a name
#: of this module, so that tests can replace it).
_describe = _entrypoints.describe
#: The entry points' manager (a name of this module for the tests).
_EntryPointManager = _entrypoints.EntryPointManager

#: What ``host_info()`` accepts as its VIF class filter.
PermittedNames = Iterable[str] | str | None

#: Normalized names of the distributions the precedence rule knows.
_OS_VIF_DIST = 'os-vif'

#: Ranks of the claims on a plugin name (see the module docstring).
_RANK_OS_VIF = 0
_RANK_OS_VIF_OTHER = 1
_RANK_PLUGIN = 2
_RANK_STATIC = 3


class _Claim(NamedTuple):
    """One description of a plugin name, and where it came from."""

    rank: int
    source: plugin.PluginSource
    namespace: str
    info: objects.HostPluginInfo


@dataclasses.dataclass(frozen=True)
class _Discovery:
    """One discovery's outcome: plugins by name, their sources, failures."""

    plugins: tuple[objects.HostPluginInfo, ...]
    sources: tuple[plugin.PluginSource, ...]
    failures: tuple[exception.PluginLoadError, ...]


class HostInfoProvider:
    """Discovers this host's plugins and caches their descriptions.

    The first call to :meth:`host_info`, :attr:`sources` or
    :attr:`failures` loads and describes the plugins; later calls reuse
    that until :meth:`refresh`. A provider is safe to share between
    threads.

    :param namespace: the entry-point group of this library's plugins.
    :param os_vif_namespace: the entry-point group of os-vif's plugins,
        described through os-vif; ``None`` to leave os-vif out.
    """

    def __init__(self, namespace: str = plugin.NAMESPACE,
                 os_vif_namespace: str | None = plugin.OS_VIF_NAMESPACE,
                 ) -> None:
        self.namespace = namespace
        self.os_vif_namespace = os_vif_namespace
        self._extensions: list[extension.Extension] | None = None
        self._lock = threading.Lock()
        self._discovery: _Discovery | None = None

    @classmethod
    def from_extensions(cls, extensions: Iterable[extension.Extension],
                        namespace: str = 'TESTING') -> HostInfoProvider:
        """A provider over given stevedore extensions, not entry points.

        The manager is stevedore's ``make_test_instance``; the extensions
        are checked and described exactly as loaded plugins are, and
        nothing else is: neither entry points nor os-vif's plugins. See
        :mod:`os_vif_hostinfo.fixture` for a friendlier helper.
        """
        provider = cls(namespace, os_vif_namespace=None)
        provider._extensions = list(extensions)
        return provider

    def refresh(self) -> None:
        """Forget the cached descriptions and discover the plugins again."""
        discovery = self._discover()
        with self._lock:
            self._discovery = discovery

    def _get(self) -> _Discovery:
        with self._lock:
            if self._discovery is None:
                self._discovery = self._discover()
            return self._discovery

    @property
    def failures(self) -> list[exception.PluginLoadError]:
        """The plugins left out, ordered by entry-point name."""
        return list(self._get().failures)

    @property
    def sources(self) -> dict[str, plugin.PluginSource]:
        """Where each plugin's description came from, by plugin name.

        One entry per plugin :meth:`host_info` describes (before any
        filtering), in plugin name order.
        """
        found = self._get()
        return {info.plugin_name: source
                for info, source in zip(found.plugins, found.sources)}

    def host_info(self, permitted_vif_type_names: PermittedNames = None,
                  ) -> objects.HostInfo:
        """Describe every valid plugin, sorted by plugin name.

        Each call returns a new object; changing it does not change the
        cache.

        :param permitted_vif_type_names: if given, keep only these VIF
            classes (a single name may be given as a string) and drop
            plugins left without any.
        :raises InvalidObject: if a permitted name is not a string.
        """
        permitted = _permitted_names(permitted_vif_type_names)
        info = objects.HostInfo(plugin_info=[
            copy.deepcopy(p) for p in self._get().plugins])
        if permitted is not None:
            info = info.filter_vif_types(permitted)
        return info

    def _discover(self) -> _Discovery:
        failures: list[exception.PluginLoadError] = []
        claims: list[_Claim] = []
        groups = [self.namespace] + ([self.os_vif_namespace]
                                     if self.os_vif_namespace else [])
        found = (_entrypoints.read_entry_points(groups)
                 if self._extensions is None else
                 _entrypoints.Listing(groups={}, names={}))
        os_vif = self._import_os_vif(failures)
        if os_vif is not None:
            namespace = str(self.os_vif_namespace)
            loaded = []
            # The plugins are imported here rather than in a helper: the
            # first import of os_vif.internal (vif_plug_ovs does it)
            # inspects every frame of the call stack, at a cost per frame,
            # and os_vif.initialize() loads them from no deeper than this.
            for ep in found.groups.get(namespace, []):
                try:
                    loaded.append((ep, ep.load()))
                except (Exception, SystemExit) as exc:
                    failures.append(_failed(
                        ep.name, 'os-vif plugin: cannot load %s: %s'
                        % (ep.value, _reasons.why(exc)), exc, namespace))
            claims += self._os_vif_claims(loaded, os_vif, found, failures)
        claims += self._own_claims(
            found, {c.info.plugin_name for c in claims}, failures)
        plugins, sources = _resolve(claims, failures)
        failures.sort(key=lambda f: (str(f.kwargs['entry_point']),
                                     str(f.kwargs.get('namespace'))))
        return _Discovery(plugins=tuple(plugins), sources=tuple(sources),
                          failures=tuple(failures))

    def _import_os_vif(self, failures: list[exception.PluginLoadError],
                       ) -> _osvif.OsVif | None:
        """os-vif's parts, or None if it is left out or not importable."""
        if self.os_vif_namespace is None:
            return None
        try:
            return _osvif.import_os_vif()
        except ImportError as exc:
            LOG.info('os-vif is not importable (%s): describing this host '
                     'from the %s namespace only', _reasons.why(exc),
                     self.namespace)
        except (Exception, SystemExit) as exc:
            failures.append(_failed(
                self.os_vif_namespace, 'importing os-vif raised %s'
                % _reasons.why(exc), exc, self.os_vif_namespace))
        return None

    def _os_vif_claims(self, loaded: list[tuple[_EntryPoint, Any]],
                       os_vif: _osvif.OsVif, found: _entrypoints.Listing,
                       failures: list[exception.PluginLoadError],
                       ) -> list[_Claim]:
        namespace = str(self.os_vif_namespace)
        claims = []
        for ep, cls in loaded:
            source = plugin.PluginSource(plugin.KIND_OS_VIF, ep.name,
                                         ep.value, found.distribution(ep))
            try:
                info = _osvif.describe(ep.name, cls, os_vif)
            except _reasons.Refused as exc:
                failures.append(_failed(ep.name, 'os-vif plugin %s: %s' % (
                    source.target, exc.reason), exc.cause, namespace))
                continue
            rank = (_RANK_OS_VIF if _entrypoints.normal(source.distribution)
                    == _OS_VIF_DIST else _RANK_OS_VIF_OTHER)
            claims.append(_Claim(rank, source, namespace, info))
        return claims

    def _own_claims(self, found: _entrypoints.Listing, taken: set[str],
                    failures: list[exception.PluginLoadError],
                    ) -> list[_Claim]:
        wanted = []
        for ep in found.groups.get(self.namespace, []):
            if ep.name in taken and _entrypoints.is_own(ep, found):
                LOG.debug('Static description %s not loaded: os-vif '
                          'describes plugin %s', ep.value, ep.name)
            else:
                wanted.append(ep)
        callback = _on_load_failure(failures, self.namespace, '')
        manager: _Manager
        if self._extensions is None:
            manager = _EntryPointManager(self.namespace, wanted,
                                         callback)
        else:
            manager = _Manager.make_test_instance(
                list(self._extensions), namespace=self.namespace,
                on_load_failure_callback=callback)
        claims = []
        for ext in sorted(manager.extensions, key=lambda e: e.name):
            source = _entrypoints.source(ext, plugin.KIND_PLUGIN, found)
            try:
                info = _describe(ext)
            except _reasons.Refused as exc:
                failures.append(_failed(ext.name, exc.reason, exc.cause,
                                        self.namespace))
                continue
            rank = (_RANK_STATIC if source.kind == plugin.KIND_STATIC
                    else _RANK_PLUGIN)
            claims.append(_Claim(rank, source, self.namespace, info))
        return claims


def host_info(permitted_vif_type_names: PermittedNames = None,
              ) -> objects.HostInfo:
    """Describe this host's plugins, discovered afresh.

    A shortcut for ``HostInfoProvider().host_info(...)``; keep a
    :class:`HostInfoProvider` to discover once and reuse the result.
    A broken plugin is logged and left out, never raised.

    :raises InvalidObject: if a permitted name is not a string.
    """
    return HostInfoProvider().host_info(permitted_vif_type_names)


def _permitted_names(names: PermittedNames) -> frozenset[str] | None:
    if names is None:
        return None
    if isinstance(names, str):
        return frozenset([names])
    try:
        items: Sequence[Any] = list(names)
    except TypeError:
        raise exception.InvalidObject(
            expected='an iterable of VIF class names', value=names
        ) from None
    for item in items:
        if not isinstance(item, str):
            raise exception.InvalidObject(
                expected='a VIF class name (a string)', value=item)
    return frozenset(items)


def _on_load_failure(failures: list[exception.PluginLoadError],
                     namespace: str, prefix: str) -> _entrypoints.LoadFailed:
    def on_load_failure(manager: Any, ep: _EntryPoint,
                        err: BaseException) -> None:
        if isinstance(err, _entrypoints.ImportAborted) and err.__cause__:
            err = err.__cause__
        failures.append(_failed(ep.name, '%scannot load %s: %s' % (
            prefix, ep.value, _reasons.why(err)), err, namespace))
    return on_load_failure


def _resolve(claims: list[_Claim],
             failures: list[exception.PluginLoadError],
             ) -> tuple[list[objects.HostPluginInfo],
                        list[plugin.PluginSource]]:
    """Apply the precedence rule: one description per plugin name."""
    by_name: dict[str, list[_Claim]] = {}
    for claim in claims:
        by_name.setdefault(claim.info.plugin_name, []).append(claim)
    plugins, sources = [], []
    for name in sorted(by_name):
        winner, *others = sorted(by_name[name], key=lambda c: (
            c.rank, c.source.entry_point, c.source.target))
        plugins.append(winner.info)
        sources.append(winner.source)
        for other in others:
            if other.rank == _RANK_STATIC and winner.rank != _RANK_STATIC:
                LOG.debug('Plugin %s: %s replaced by %s', name,
                          other.source, winner.source)
                continue
            failures.append(_failed(
                other.source.entry_point,
                'plugin name %r is already described by %s'
                % (name, winner.source), namespace=other.namespace))
    return plugins, sources


def _failed(name: str, reason: str, cause: BaseException | None = None,
            namespace: str | None = None) -> exception.PluginLoadError:
    error = exception.PluginLoadError(entry_point=name, reason=reason,
                                      namespace=namespace)
    LOG.warning('%s', error)
    if cause is not None and LOG.isEnabledFor(logging.DEBUG):
        LOG.debug('Plugin %s failure traceback', name, exc_info=cause)
    return error
