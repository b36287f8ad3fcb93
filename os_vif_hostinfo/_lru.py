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

"""A bounded, thread-safe least-recently-used map.

Shared by the negotiation's per-peer memory and the wire Decoder's
payload memory, which differ only in what they store.
"""

from __future__ import annotations

import collections
from collections.abc import Hashable
import threading
from typing import Generic, TypeVar

_V = TypeVar('_V')


class BoundedLRU(Generic[_V]):
    """Up to ``maxsize`` entries; the least recently used go first.

    ``maxsize`` 0 keeps nothing. ``hits`` and ``misses`` count the
    :meth:`get` calls that found an entry and those that did not.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._entries: collections.OrderedDict[
            Hashable, _V] = collections.OrderedDict()

    def get(self, key: Hashable) -> _V | None:
        """The entry for ``key``, now the most recently used, or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is None:
                self.misses += 1
                return None
            self.hits += 1
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: _V) -> None:
        """Store ``value``, dropping the least recently used if full."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def pop(self, key: Hashable) -> None:
        """Drop the entry for ``key`` if there is one."""
        with self._lock:
            self._entries.pop(key, None)

    def clear(self) -> None:
        """Drop every entry (the hit and miss counts stay)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries
