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
import logging
import time
from typing import Any, NamedTuple, TypeVar

from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import _lru
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

_T = TypeVar('_T')

#: Sends a payload (JSON text) to the peer and returns its answer.
Send = Callable[[str], _T]


class PeerCache:
    """Remembers, per peer, the HostInfo version the peer accepted.

    Bounded (least recently used peers are dropped first) and safe to share
    between threads. A remembered version older than ``reprobe_interval``
    seconds is not answered by :meth:`get`, so the next negotiation probes
    the newest version again and notices a peer that was upgraded.

    :param maxsize: how many peers to remember, at least 1.
    :param reprobe_interval: seconds after which to probe upward again;
        None never re-probes.
    :param clock: monotonic time source, replaceable in tests.
    :raises InvalidArgument: if ``maxsize`` or ``reprobe_interval`` is not
        positive.
    """

    def __init__(self, maxsize: int = 1024,
                 reprobe_interval: float | None = 3600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not isinstance(maxsize, int) or maxsize < 1:
            raise exception.InvalidArgument(
                name='maxsize', value=maxsize, reason='expected an integer '
                'of at least 1')
        if reprobe_interval is not None and not reprobe_interval > 0:
            raise exception.InvalidArgument(
                name='reprobe_interval', value=reprobe_interval,
                reason='expected a positive number of seconds or None')
        self.maxsize = maxsize
        self.reprobe_interval = reprobe_interval
        self._clock = clock
        self._entries: _lru.BoundedLRU[tuple[str, float]] = (
            _lru.BoundedLRU(maxsize))

    def get(self, peer: Hashable) -> str | None:
        """The version to send ``peer`` first, or None to probe the newest."""
        entry = self._entries.get(peer)
        if entry is None:
            return None
        version, stamp = entry
        if (self.reprobe_interval is not None
                and self._clock() - stamp >= self.reprobe_interval):
            return None
        return version

    def remember(self, peer: Hashable, version: str) -> None:
        """Record that ``peer`` accepted ``version``."""
        self._entries.put(peer, (version, self._clock()))

    def forget(self, peer: Hashable) -> None:
        """Drop what is known of ``peer``, e.g. because it was upgraded."""
        self._entries.pop(peer)

    def clear(self) -> None:
        """Forget every peer."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, peer: object) -> bool:
        return peer in self._entries


#: Backs :func:`negotiate` when the caller passes no cache of its own.
DEFAULT_PEER_CACHE = PeerCache()


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
    if refusal.object_name not in objects.CLASSES:
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
    if cache is None:
        cache = DEFAULT_PEER_CACHE
    current = objects.current_version('HostInfo')
    version = current
    remembered = cache.get(peer) if peer is not None else None
    if remembered is not None:
        parsed = versions.parse(remembered)
        if current.is_compatible_with(parsed):
            version = parsed
    tried: list[str] = []

    def failed(reason: str) -> exception.NegotiationFailed:
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
            decoder: wire.Decoder | None = None) -> objects.HostInfo:
    """Read a service host's HostInfo payload on the network host.

    :param pin: the highest HostInfo version this network host may read,
        e.g. while a rolling upgrade is under way; None reads up to the
        newest version this library knows.
    :param decoder: a :class:`~.wire.Decoder` the network host owns, to
        answer payloads it has heard before from memory; None decodes
        every payload afresh.
    :raises UnsupportedVersion: if the payload is newer than the pin or than
        this library; send ``exc.to_dict()`` back as the reply.
    :raises MalformedPayload: if the payload is not a valid HostInfo.
    :raises InvalidVersion: if ``pin`` is not a version this side reads.
    """
    if decoder is not None:
        return decoder.decode(payload, objects.HostInfo, max_version=pin)
    return wire.deserialize(payload, objects.HostInfo, max_version=pin)


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

    :raises NoMatchingVIFClass: if no plugin consumes any candidate.
    :raises NoSupportedVIFVersion: if plugins consume a candidate, but at no
        version this side has (the last such error is raised).
    :raises InvalidObject: if a candidate is neither a name nor an OVO
        class.
    """
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
    merged: dict[str, Iterable[Any]] = {**registry, **local}
    last_error: exception.HostInfoError | None = None
    for name in names:
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


def _vif_identity(vif: Any) -> tuple[str, str]:
    if isinstance(vif, ovo_base.VersionedObject):
        return vif.obj_name(), vif.VERSION
    if isinstance(vif, Mapping):
        name = vif.get(wire.KEY_NAME)
        version = vif.get(wire.KEY_VERSION)
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
        or the version is not ``MAJOR.MINOR``.
    :raises InvalidObject: if ``vif`` is neither an OVO object nor a dict.
    """
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
