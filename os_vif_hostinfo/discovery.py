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

"""Plugin discovery: from stevedore entry points to a :class:`HostInfo`.

:class:`HostInfoProvider` owns a stevedore extension manager for the
``os_vif_hostinfo.plugins`` namespace and caches what the plugins describe
until the caller asks for a :meth:`~HostInfoProvider.refresh`. There is no
module-level manager: :func:`host_info` builds a fresh provider per call.

A plugin that cannot be loaded, is not a :class:`~.plugin.PluginBase`,
fails in ``describe()``, returns something other than a valid
:class:`~.objects.HostPluginInfo`, or repeats a plugin name already
described is left out. Each such plugin is logged at WARNING with its
entry-point name and the reason, and kept in
:attr:`HostInfoProvider.failures` as a
:class:`~.exception.PluginLoadError`; the other plugins are unaffected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
import copy
import dataclasses
import importlib.metadata
import logging
import threading
from typing import Any

from stevedore import extension

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

_Manager = extension.ExtensionManager
_ManagerFactory = Callable[[Any], _Manager]

#: What ``host_info()`` accepts as its VIF class filter.
PermittedNames = Iterable[str] | str | None


class _ImportAborted(Exception):
    """Wraps an AssertionError or SystemExit raised by a plugin's import.

    stevedore re-raises those instead of calling the load failure
    callback; wrapped, they are reported like any other import failure.
    """


class _EntryPointManager(extension.ExtensionManager):
    """stevedore's extension manager, reading the entry points afresh.

    stevedore keeps each namespace's entry-point list in a process-wide
    cache that is never cleared, so a manager built later would not see a
    plugin installed meanwhile. This manager reads the list each time it
    is built, which :meth:`HostInfoProvider.refresh` relies on; loading
    and failure reporting stay stevedore's.
    """

    def list_entry_points(self) -> list[importlib.metadata.EntryPoint]:
        """The namespace's entry points, by name, without duplicates."""
        found = importlib.metadata.entry_points(group=self.namespace)
        result: dict[tuple[str, str], importlib.metadata.EntryPoint] = {}
        for ep in sorted(found, key=lambda ep: (ep.name, ep.value)):
            result.setdefault((ep.name, ep.value), ep)
        return list(result.values())

    def _load_one_plugin(self, ep: importlib.metadata.EntryPoint,
                         *args: Any, **kwargs: Any) -> Any:
        try:
            return super()._load_one_plugin(ep, *args, **kwargs)
        except (AssertionError, SystemExit) as exc:
            raise _ImportAborted(exc) from exc


@dataclasses.dataclass(frozen=True)
class _Discovery:
    """One discovery's outcome: valid plugins by name, and failures."""

    plugins: tuple[objects.HostPluginInfo, ...]
    failures: tuple[exception.PluginLoadError, ...]


class HostInfoProvider:
    """Discovers this host's plugins and caches their descriptions.

    The first call to :meth:`host_info` or :attr:`failures` loads and
    describes the plugins of ``namespace``; later calls reuse that until
    :meth:`refresh`. A provider is safe to share between threads.

    :param namespace: the entry-point group to load plugins from.
    """

    def __init__(self, namespace: str = plugin.NAMESPACE) -> None:
        self.namespace = namespace
        self._make_manager: _ManagerFactory = self._entry_point_manager
        self._lock = threading.Lock()
        self._discovery: _Discovery | None = None

    @classmethod
    def from_extensions(cls, extensions: Iterable[extension.Extension],
                        namespace: str = 'TESTING') -> HostInfoProvider:
        """A provider over given stevedore extensions, not entry points.

        The manager is stevedore's ``make_test_instance``; the extensions
        are checked and described exactly as loaded plugins are. See
        :mod:`os_vif_hostinfo.fixture` for a friendlier helper.
        """
        provider = cls(namespace)
        given = list(extensions)

        def make_manager(callback: Any) -> _Manager:
            return _Manager.make_test_instance(
                list(given), namespace=namespace,
                on_load_failure_callback=callback)

        provider._make_manager = make_manager
        return provider

    def _entry_point_manager(self, callback: Any) -> _Manager:
        return _EntryPointManager(self.namespace,
                                  on_load_failure_callback=callback)

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

        def on_load_failure(manager: Any,
                            ep: importlib.metadata.EntryPoint,
                            err: BaseException) -> None:
            if isinstance(err, _ImportAborted) and err.__cause__:
                err = err.__cause__
            failures.append(_failed(ep.name, 'cannot load %s: %s'
                                    % (ep.value, _why(err)), err))

        manager = self._make_manager(on_load_failure)
        by_name: dict[str, tuple[str, objects.HostPluginInfo]] = {}
        for ext in sorted(manager.extensions, key=lambda e: e.name):
            try:
                info = _describe(ext)
            except exception.PluginLoadError as exc:
                failures.append(exc)
                continue
            if info.plugin_name in by_name:
                failures.append(_failed(ext.name, (
                    'plugin name %r is already described by entry point %r'
                    % (info.plugin_name, by_name[info.plugin_name][0]))))
                continue
            by_name[info.plugin_name] = (ext.name, info)
        failures.sort(key=lambda f: str(f.kwargs['entry_point']))
        return _Discovery(
            plugins=tuple(by_name[name][1] for name in sorted(by_name)),
            failures=tuple(failures))


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


def _describe(ext: extension.Extension) -> objects.HostPluginInfo:
    """Create and describe one plugin, or raise PluginLoadError."""
    target = _target(ext)
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
                raise _failed(ext.name, 'creating %s failed: %s'
                              % (target, _why(exc)), exc) from None
        else:
            raise _failed(ext.name, '%s is %s, not a PluginBase subclass'
                          % (target, _kind(candidate)))
    elif not isinstance(obj, plugin.PluginBase):
        raise _failed(ext.name, '%s is %s, not a PluginBase'
                      % (target, _kind(obj)))
    try:
        info = obj.describe()
    except (Exception, SystemExit) as exc:
        raise _failed(ext.name, 'describe() raised %s' % _why(exc),
                      exc) from None
    if not isinstance(info, objects.HostPluginInfo):
        raise _failed(ext.name, 'describe() returned %s, not an '
                      'os_vif_hostinfo HostPluginInfo' % _kind(info))
    try:
        # A copy through the wire format checks every field and keeps the
        # cache apart from the plugin's object.
        return wire.deserialize(wire.serialize(info),
                                objects.HostPluginInfo)
    except Exception as exc:
        raise _failed(ext.name, 'describe() returned an invalid '
                      'HostPluginInfo: %s' % exc, exc) from None


def _failed(name: str, reason: str,
            cause: BaseException | None = None) -> exception.PluginLoadError:
    error = exception.PluginLoadError(entry_point=name, reason=reason)
    LOG.warning('%s', error)
    if cause is not None and LOG.isEnabledFor(logging.DEBUG):
        LOG.debug('Plugin %s failure traceback', name, exc_info=cause)
    return error


def _target(ext: extension.Extension) -> str:
    if ext.entry_point is not None:
        return str(ext.entry_point.value)
    return _qualname(ext.plugin)


def _qualname(value: Any) -> str:
    module = getattr(value, '__module__', None) or '?'
    name = getattr(value, '__qualname__', None) or type(value).__qualname__
    return '%s.%s' % (module, name)


def _kind(value: Any) -> str:
    """Name what a value is, for a failure reason."""
    if isinstance(value, type):
        return 'the class %s' % _qualname(value)
    if callable(value) and hasattr(value, '__qualname__'):
        return 'the callable %s' % _qualname(value)
    return 'a %s object' % _qualname(type(value))


def _why(exc: BaseException) -> str:
    text = str(exc)
    return '%s: %s' % (type(exc).__name__, text) if text else (
        type(exc).__name__)
