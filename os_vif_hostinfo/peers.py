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

"""What a service host remembers of its peers: the HostInfo version each
accepted, bounded and safe to share between threads.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
import time
import typing
from typing import Any

from os_vif_hostinfo import _lru
from os_vif_hostinfo import exception
from os_vif_hostinfo import versions


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
        """The version to send ``peer`` first, or None to probe the newest.

        :raises InvalidArgument: if ``peer`` cannot be a key (unhashable).
        """
        entry = self._entries.get(peer_key(peer))
        if entry is None:
            return None
        version, stamp = entry
        if (self.reprobe_interval is not None
                and self._clock() - stamp >= self.reprobe_interval):
            return None
        return version

    def remember(self, peer: Hashable, version: str) -> None:
        """Record that ``peer`` accepted ``version``.

        :raises InvalidVersion: if ``version`` is not ``MAJOR.MINOR``.
        :raises InvalidArgument: if ``peer`` cannot be a key (unhashable).
        """
        text = str(versions.parse(version, field='remembered version'))
        self._entries.put(peer_key(peer), (text, self._clock()))

    def forget(self, peer: Hashable) -> None:
        """Drop what is known of ``peer``, e.g. because it was upgraded.

        :raises InvalidArgument: if ``peer`` cannot be a key (unhashable).
        """
        self._entries.pop(peer_key(peer))

    def clear(self) -> None:
        """Forget every peer."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, peer: object) -> bool:
        return peer in self._entries


#: Backs :func:`~.negotiation.negotiate` when the caller passes no cache
#: of its own.
DEFAULT_PEER_CACHE = PeerCache()


def peer_key(peer: Any) -> Hashable:
    """``peer``, if it can be a dictionary key."""
    try:
        hash(peer)
    except TypeError:
        raise exception.InvalidArgument(
            name='peer', value=peer, reason='expected a hashable key, such '
            'as the peer\'s host name') from None
    return typing.cast(Hashable, peer)
