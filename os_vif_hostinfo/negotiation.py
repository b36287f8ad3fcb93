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

"""Version negotiation between a service host and a network host.

The service host calls :func:`negotiate` with its transport; the network
host calls :func:`receive` on what arrives, :func:`choose_vif` to pick a VIF
class and version, and the service host finally checks the VIF it is handed
with :func:`check_vif`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
import importlib
import logging
from typing import Any, NamedTuple, TypeVar

from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import peers
from os_vif_hostinfo.peers import DEFAULT_PEER_CACHE
from os_vif_hostinfo.peers import PeerCache
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

__all__ = ['DEFAULT_PEER_CACHE', 'PeerCache', 'Send', 'VIFChoice',
           'check_vif', 'choose_vif', 'negotiate', 'receive']

LOG = logging.getLogger(__name__)

_T = TypeVar('_T')

#: Sends a payload (JSON text) to the peer and returns its answer.
Send = Callable[[str], _T]


def _tree_versions(name: str,
                   version: versions.Version) -> Iterator[tuple[str, Any]]:
    """Yield (object name, version) for an object and all it carries."""
    yield name, version
    cls = objects.CLASSES[name][0]
    for field, child in wire.layout(name, version):
        if child is not None:
            yield from _tree_versions(cls._list_fields[field], child)


def _fallback_version(refusal: exception.UnsupportedVersion,
                      sent: versions.Version) -> versions.Version | None:
    """The highest HostInfo version below ``sent`` the refusal allows.

    A refusal may name HostInfo or an object inside it; in the second case
    the answer is the newest HostInfo version that carries that object at
    a version the peer can read.
    """
    try:
        peer_max = versions.parse(refusal.max_supported_version)
    except exception.InvalidVersion:
        return None
    # A refusal built by hand may hold anything, even an unhashable name.
    if (not isinstance(refusal.object_name, str)
            or refusal.object_name not in objects.CLASSES):
        return None
    sent_tree = dict(_tree_versions('HostInfo', sent))
    refused = sent_tree.get(refusal.object_name)
    if refused is None or peer_max.is_compatible_with(refused):
        # The refusal names something not sent, or a version the peer
        # says it reads: it makes no sense.
        return None
    for minor in range(sent.minor - 1, -1, -1):
        candidate = versions.Version(sent.major, minor)
        carried = dict(_tree_versions('HostInfo', candidate))
        have = carried.get(refusal.object_name)
        if have is not None and peer_max.is_compatible_with(have):
            return candidate
    return None


def negotiate(host_info: objects.HostInfo, send: Send[_T],
              peer: Hashable | None = None,
              cache: PeerCache | None = None) -> _T:
    """Send ``host_info`` to a peer, backleveling once if it is older.

    ``send(payload)`` is the caller's transport: it delivers the JSON text
    and returns the network host's answer, or raises
    :class:`~.exception.UnsupportedVersion` rebuilt from the peer's error
    body (:meth:`~.exception.UnsupportedVersion.from_dict`). On such a
    refusal the payload is backleveled to what the peer reads and sent once
    more: never more than two sends. With a ``peer`` key the version that
    worked is remembered in ``cache`` (default :data:`DEFAULT_PEER_CACHE`),
    so later calls take one round trip.

    :returns: whatever ``send`` returned.
    :raises NegotiationFailed: if the peer reads no version this side can
        send, refuses the version it asked for, or answers a garbage
        error body.
    :raises InvalidObject: if ``host_info`` is not a HostInfo.
    :raises IncompleteObject: if ``host_info`` has unset fields.

    Any other exception from ``send`` (a transport error) propagates.
    """
    if not isinstance(host_info, objects.HostInfo):
        raise exception.InvalidObject(expected='a HostInfo', value=host_info)
    if peer is not None:
        peers.peer_key(peer)
    if cache is None:
        cache = DEFAULT_PEER_CACHE
    current = objects.current_version('HostInfo')
    version = current
    remembered = cache.get(peer) if peer is not None else None
    if remembered is not None:
        try:
            parsed = versions.parse(remembered)
        except exception.InvalidVersion:
            # Not through remember(), which checks: start afresh.
            LOG.warning('Peer cache held %r for %s, not a version; '
                        'forgetting it', remembered, peer)
            cache.forget(peer)
            remembered = None
        else:
            if current.is_compatible_with(parsed):
                version = parsed
    tried: list[str] = []

    def failed(reason: str) -> exception.NegotiationFailed:
        if peer is not None:
            # What the peer took before is no longer known to work.
            cache.forget(peer)
        return exception.NegotiationFailed(
            object_name='HostInfo', peer=peer if peer is not None else
            '(unnamed)', reason='%s (versions tried: %s)'
            % (reason, ', '.join(tried)), versions_tried=list(tried))

    while True:
        payload = wire.serialize(host_info, str(version))
        tried.append(str(version))
        try:
            result = send(payload)
        except exception.UnsupportedVersion as refusal:
            if len(tried) > 1:
                raise failed('the peer refused %s %s after asking for it '
                             '(its maximum: %s)'
                             % (refusal.object_name,
                                refusal.requested_version,
                                refusal.max_supported_version)) from refusal
            lower = _fallback_version(refusal, version)
            if lower is None:
                raise failed('the peer reads %s up to %s only, and this '
                             'side cannot send that'
                             % (refusal.object_name,
                                refusal.max_supported_version)) from refusal
            LOG.info('Peer %(peer)s refused HostInfo %(sent)s (it reads '
                     '%(obj)s up to %(max)s); backleveling to %(lower)s',
                     {'peer': peer, 'sent': version,
                      'obj': refusal.object_name,
                      'max': refusal.max_supported_version, 'lower': lower})
            version = lower
            continue
        except exception.MalformedPayload as garbage:
            raise failed('the peer answered an unreadable error: %s'
                         % garbage) from garbage
        # A version the peer took as remembered keeps its age, so the peer
        # is probed upward again once the re-probe interval has passed.
        if peer is not None and str(version) != remembered:
            cache.remember(peer, str(version))
        return result


def receive(payload: str | bytes, pin: str | None = None,
            decoder: wire.Decoder | None = None, *,
            max_size: int = wire.DEFAULT_MAX_SIZE,
            max_depth: int = wire.DEFAULT_MAX_DEPTH) -> objects.HostInfo:
    """Read a service host's HostInfo payload on the network host.

    :param pin: the highest HostInfo version this network host may read,
        e.g. while a rolling upgrade is under way; None reads up to the
        newest version this library knows.
    :param decoder: a :class:`~.wire.Decoder` the network host owns, to
        answer payloads it has heard before from memory; None decodes
        every payload afresh.
    :param max_size: the largest payload to read, in bytes (characters of
        a str), as for :func:`~.wire.deserialize`; a host describing many
        plugins may need more than the default 1 MiB.
    :param max_depth: the deepest nesting to read.
    :raises UnsupportedVersion: if the payload is newer than the pin or than
        this library; send ``exc.to_dict()`` back as the reply.
    :raises MalformedPayload: if the payload is not a valid HostInfo, or is
        over a limit.
    :raises InvalidVersion: if ``pin`` is not a version this side reads.
    :raises InvalidArgument: if a limit is not a positive integer.
    """
    if decoder is not None:
        return decoder.decode(payload, objects.HostInfo, max_size=max_size,
                              max_depth=max_depth, max_version=pin)
    return wire.deserialize(payload, objects.HostInfo, max_size=max_size,
                            max_depth=max_depth, max_version=pin)


class VIFChoice(NamedTuple):
    """What :func:`choose_vif` picked."""

    plugin_name: str
    vif_object_name: str
    version: str


def choose_vif(host_info: objects.HostInfo,
               candidates: Iterable[str | type[ovo_base.VersionedObject]],
               registry: objects.Registry | None = None) -> VIFChoice:
    """Pick the VIF class and version to send to the service host.

    ``candidates`` are the VIF classes this network host can produce, most
    preferred first, as OVO classes or as names (then looked up in
    ``registry``, by default OVO's registry where os-vif's classes live).
    The first candidate any plugin consumes wins; among the plugins that
    consume it, the one admitting the highest common version.

    A single name or class is taken as the only candidate. When a name is
    not in OVO's registry and os-vif is installed, os-vif's objects are
    registered first (``os_vif.objects.register_all()``), as a network host
    running os-vif has them: a process that never imported os-vif finds
    its VIF classes too.

    :raises NoMatchingVIFClass: if no plugin consumes any candidate, or
        (saying so) if plugins consume one but this side has no class of
        that name.
    :raises NoSupportedVIFVersion: if plugins consume a candidate, but at no
        version this side has (the last such error is raised).
    :raises InvalidObject: if ``host_info`` is not a HostInfo, or a
        candidate is neither a name nor an OVO class.
    :raises InvalidArgument: if ``candidates`` is not a name, a class or
        an iterable of them.
    """
    if not isinstance(host_info, objects.HostInfo):
        raise exception.InvalidObject(expected='a HostInfo', value=host_info)
    if isinstance(candidates, (str, type)):
        candidates = [candidates]
    try:
        candidates = list(candidates)
    except TypeError:
        raise exception.InvalidArgument(
            name='candidates', value=candidates, reason='expected VIF '
            'class names or classes, most preferred first') from None
    local: dict[str, list[Any]] = {}
    names: list[str] = []
    for candidate in candidates:
        if isinstance(candidate, str):
            names.append(candidate)
        elif isinstance(candidate, type) and issubclass(
                candidate, ovo_base.VersionedObject):
            names.append(candidate.obj_name())
            local.setdefault(candidate.obj_name(), []).append(candidate)
        else:
            raise exception.InvalidObject(
                expected='a VIF class or class name', value=candidate)
    if registry is None:
        registry = ovo_base.VersionedObjectRegistry.obj_classes()
        if any(name not in registry and name not in local
               for name in names) and _register_os_vif():
            registry = ovo_base.VersionedObjectRegistry.obj_classes()
    merged: dict[str, Iterable[Any]] = {**registry, **local}
    last_error: exception.HostInfoError | None = None
    for name in names:
        if not merged.get(name):
            consumers = [plugin.plugin_name for plugin in
                         host_info.plugin_info if plugin.has_vif(name)]
            if consumers:
                last_error = exception.NoMatchingVIFClass(
                    'This side has no VIF class %r (plugins %s on the '
                    'host consume it): none is registered with '
                    'oslo.versionedobjects; install os-vif, or pass the '
                    'class or a registry' % (name, ', '.join(consumers)),
                    vif_name=name)
            continue
        best: VIFChoice | None = None
        for plugin in host_info.plugin_info:
            if not plugin.has_vif(name):
                continue
            try:
                version = plugin.get_vif(name).get_common_version(merged)
            except (exception.NoSupportedVIFVersion,
                    exception.NoMatchingVIFClass) as exc:
                last_error = exc
                continue
            if best is None or (versions.parse(version)
                                > versions.parse(best.version)):
                best = VIFChoice(plugin.plugin_name, name, version)
        if best is not None:
            return best
    if last_error is not None:
        raise last_error
    raise exception.NoMatchingVIFClass(
        vif_name=' or '.join(names) if names else '(no candidates)')


#: Whether choose_vif() has tried to register os-vif's objects.
_os_vif_tried = False


def _register_os_vif() -> bool:
    """Register os-vif's objects with OVO, once; False without os-vif."""
    global _os_vif_tried
    if _os_vif_tried:
        return False
    _os_vif_tried = True
    try:
        os_vif_objects = importlib.import_module('os_vif.objects')
    except ImportError:
        LOG.debug('os-vif is not installed: no VIF classes to register')
        return False
    os_vif_objects.register_all()
    LOG.debug('Registered os-vif\'s objects to look up VIF classes')
    return True


def _vif_identity(vif: Any) -> tuple[str, str]:
    if isinstance(vif, ovo_base.VersionedObject):
        return vif.obj_name(), vif.VERSION
    if isinstance(vif, Mapping):
        try:
            name = vif.get(wire.KEY_NAME)
            version = vif.get(wire.KEY_VERSION)
        except Exception as exc:
            # A Mapping of the caller's own, whose lookups fail.
            raise exception.MalformedPayload(
                path='$', reason='the VIF primitive (%s) cannot be read: '
                '%s: %s' % (type(vif).__name__, type(exc).__name__, exc)
            ) from exc
        if isinstance(name, str) and isinstance(version, str):
            return name, version
        raise exception.MalformedPayload(
            path='$', reason='a VIF primitive needs string %r and %r keys'
            % (wire.KEY_NAME, wire.KEY_VERSION))
    raise exception.InvalidObject(
        expected='a VIF object or its primitive', value=vif)


def check_vif(vif: Any, host_info: objects.HostInfo) -> objects.HostVIFInfo:
    """Accept a VIF only if a plugin on this host can consume it.

    This is the fatal check of the host information contract: a VIF object
    whose version is outside every range the host offered for its class
    must not be plugged.

    :param vif: an OVO VIF object, or its primitive (a dict).
    :returns: the HostVIFInfo entry that admits it.
    :raises VIFVersionOutOfRange: if no plugin's range admits the version.
    :raises NoMatchingVIFClass: if no plugin consumes that VIF class.
    :raises MalformedPayload: if the primitive lacks its name or version,
        cannot be read, or the version is not ``MAJOR.MINOR``.
    :raises InvalidObject: if ``vif`` is neither an OVO object nor a dict,
        or ``host_info`` is not a HostInfo.
    """
    if not isinstance(host_info, objects.HostInfo):
        raise exception.InvalidObject(expected='a HostInfo', value=host_info)
    name, text = _vif_identity(vif)
    try:
        version = versions.parse(text, field='%s version' % name)
    except exception.InvalidVersion as exc:
        raise exception.MalformedPayload(path='$.' + wire.KEY_VERSION,
                                         reason=str(exc)) from None
    offered = []
    for plugin in host_info.plugin_info:
        for entry in plugin.vif_info:
            if entry.vif_object_name != name:
                continue
            if entry.admits(version):
                return entry
            offered.append('%s: %s-%s' % (plugin.plugin_name,
                                          entry.min_version,
                                          entry.max_version))
    if not offered:
        raise exception.NoMatchingVIFClass(vif_name=name)
    raise exception.VIFVersionOutOfRange(
        vif_name=name, vif_version=text, ranges='; '.join(offered))
