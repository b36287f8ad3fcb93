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

"""PeerCache: what it takes, and how negotiate() keeps it true."""

from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import peers
from tests import base
from tests.unit import test_negotiation


class TestPeerCache(base.TestCase):

    def test_remember_checks_the_version(self):
        cache = peers.PeerCache()
        for bad in ('x', '1', '1.01', ' 1.0', None, 1.0, ['1.0']):
            self.assertRaises(exception.InvalidVersion, cache.remember,
                              'net', bad)
        self.assertNotIn('net', cache)
        cache.remember('net', '1.0')
        self.assertEqual('1.0', cache.get('net'))

    def test_unhashable_peer(self):
        cache = peers.PeerCache()
        for call in (cache.get, cache.forget,
                     lambda peer: cache.remember(peer, '1.0')):
            exc = self.assertRaises(exception.InvalidArgument, call, ['net'])
            self.assertEqual('peer', exc.name)

    def test_same_objects_from_negotiation(self):
        self.assertIs(peers.PeerCache, negotiation.PeerCache)
        self.assertIs(peers.DEFAULT_PEER_CACHE,
                      negotiation.DEFAULT_PEER_CACHE)


class TestNegotiateKeepsTheCacheTrue(base.TestCase):

    def test_forgets_a_peer_that_refuses_everything(self):
        cache, info = peers.PeerCache(), test_negotiation._host_info()
        host = test_negotiation.FakeNetworkHost('1.1')
        negotiation.negotiate(info, host, 'net', cache)
        self.assertEqual('1.1', cache.get('net'))
        host.mode = 'refuse'
        self.assertRaises(exception.NegotiationFailed, negotiation.negotiate,
                          info, host, 'net', cache)
        self.assertNotIn('net', cache)
        # The next call probes the newest version again.
        host.mode, host.received = 'ok', []
        negotiation.negotiate(info, host, 'net', cache)
        self.assertEqual(['1.1'], host.received)

    def test_forgets_after_garbage(self):
        cache, info = peers.PeerCache(), test_negotiation._host_info()
        cache.remember('net', '1.0')
        host = test_negotiation.FakeNetworkHost('1.1', mode='garbage')
        self.assertRaises(exception.NegotiationFailed, negotiation.negotiate,
                          info, host, 'net', cache)
        self.assertNotIn('net', cache)

    def test_bad_version_in_the_cache_is_dropped_before_sending(self):
        cache, info = peers.PeerCache(), test_negotiation._host_info()
        # Past remember()'s check, as a subclass or old pickle might be.
        for bad in ('garbage', None, 11):
            cache._entries.put('net', (bad, cache._clock()))
            host = test_negotiation.FakeNetworkHost('1.1')
            negotiation.negotiate(info, host, 'net', cache)
            self.assertEqual(['1.1'], host.received)
            self.assertEqual('1.1', cache.get('net'))

    def test_unhashable_peer(self):
        sent = []
        exc = self.assertRaises(
            exception.InvalidArgument, negotiation.negotiate,
            test_negotiation._host_info(), sent.append, peer=[])
        self.assertEqual('peer', exc.name)
        self.assertEqual([], sent)

    def test_refusal_with_an_unhashable_object_name(self):
        def send(payload):
            raise exception.UnsupportedVersion(
                object_name=['HostInfo'], requested_version='1.1',
                max_supported_version='1.0')
        cache = peers.PeerCache()
        cache.remember('net', '1.1')
        exc = self.assertRaises(
            exception.NegotiationFailed, negotiation.negotiate,
            test_negotiation._host_info(), send, 'net', cache)
        self.assertEqual(['1.1'], exc.versions_tried)
        self.assertNotIn('net', cache)
