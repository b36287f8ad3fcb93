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

from os_vif_hostinfo import _lru
from tests import base


class TestBoundedLRU(base.TestCase):

    def test_least_recently_used_goes_first(self):
        lru = _lru.BoundedLRU(2)
        lru.put('a', 1)
        lru.put('b', 2)
        self.assertEqual(1, lru.get('a'))
        lru.put('c', 3)
        self.assertEqual((1, None, 3), (lru.get('a'), lru.get('b'),
                                        lru.get('c')))
        self.assertEqual(2, len(lru))

    def test_zero_keeps_nothing(self):
        lru = _lru.BoundedLRU(0)
        lru.put('a', 1)
        self.assertNotIn('a', lru)
        self.assertEqual(0, len(lru))

    def test_counts_hits_and_misses(self):
        lru = _lru.BoundedLRU(4)
        lru.put('a', 1)
        lru.get('a')
        lru.get('b')
        lru.get('a')
        self.assertEqual((2, 1), (lru.hits, lru.misses))
        lru.pop('a')
        lru.pop('never')
        lru.clear()
        self.assertEqual((2, 1, 0), (lru.hits, lru.misses, len(lru)))
