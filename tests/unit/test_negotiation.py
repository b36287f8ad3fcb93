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

import json
import logging
import subprocess
import sys
import threading

import fixtures
import hypothesis
from hypothesis import strategies as st
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields

from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire
from tests import base
from tests import strategies


def _host_info():
    profile = objects.HostPortProfileInfo(
        profile_object_name='VIFPortProfileOpenVSwitch',
        min_version='1.0', max_version='1.4')
    return objects.HostInfo(plugin_info=[
        objects.HostPluginInfo(plugin_name='ovs', vif_info=[
            objects.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                                min_version='1.0', max_version='1.0',
                                supported_port_profiles=[profile]),
            objects.HostVIFInfo(vif_object_name='VIFVHostUser',
                                min_version='1.0', max_version='1.1')]),
        objects.HostPluginInfo(plugin_name='linux_bridge', vif_info=[
            objects.HostVIFInfo(vif_object_name='VIFBridge',
                                min_version='1.0', max_version='1.0')])])


class FakeNetworkHost:
    """A network host of some release, reached through ``send``.

    ``max_version`` is the newest HostInfo it reads. Up to this library's
    own version it really runs :func:`negotiation.receive` with that pin;
    a future release (newer than this library) reads the version key only.
    ``mode`` makes it misbehave: 'refuse' refuses everything, 'garbage'
    answers unreadable errors, 'down' fails as a transport would.
    """

    def __init__(self, max_version='1.1', mode='ok'):
        self.max_version = max_version
        self.mode = mode
        self.received = []

    def __call__(self, payload):
        version = json.loads(payload)[wire.KEY_VERSION]
        self.received.append(version)
        if self.mode == 'down':
            raise ConnectionRefusedError('network host is down')
        if self.mode == 'garbage':
            return self._reply({'error': 'nope'})
        if self.mode == 'refuse':
            return self._reply(exception.UnsupportedVersion(
                object_name='HostInfo', requested_version=version,
                max_supported_version='1.0').to_dict())
        pin = versions.parse(self.max_version)
        if objects.current_version('HostInfo').is_compatible_with(pin):
            try:
                info = negotiation.receive(payload, pin=self.max_version)
            except exception.UnsupportedVersion as exc:
                return self._reply(exc.to_dict())
            return {'accepted': version, 'plugins': len(info.plugin_info)}
        if pin.is_compatible_with(versions.parse(version)):
            return {'accepted': version, 'plugins': None}
        return self._reply(exception.UnsupportedVersion(
            object_name='HostInfo', requested_version=version,
            max_supported_version=self.max_version).to_dict())

    @staticmethod
    def _reply(body):
        # What a transport does with an error body: rebuild the error.
        if 'error' in body:
            raise exception.UnsupportedVersion.from_dict(body)
        return body


class TestNegotiateTable(base.TestCase):
    """Every kind of peer, from empty and from remembered memory."""

    CASES = [
        # name, peer kwargs, remembered, result version, sends, memory
        ('current', {'max_version': '1.1'}, None, '1.1', ['1.1'], '1.1'),
        ('old', {'max_version': '1.0'}, None, '1.0', ['1.1', '1.0'], '1.0'),
        ('old remembered', {'max_version': '1.0'}, '1.0', '1.0', ['1.0'],
         '1.0'),
        ('future', {'max_version': '1.2'}, None, '1.1', ['1.1'], '1.1'),
        ('downgraded', {'max_version': '1.0'}, '1.1', '1.0',
         ['1.1', '1.0'], '1.0'),
        ('upgraded but remembered old', {'max_version': '1.1'}, '1.0',
         '1.0', ['1.0'], '1.0'),
        ('hopeless', {'max_version': '0.9'}, None, None, ['1.1'], None),
        ('other major', {'max_version': '2.0'}, None, None, ['1.1'], None),
        ('always refuses', {'mode': 'refuse'}, None, None, ['1.1', '1.0'],
         None),
        ('garbage errors', {'mode': 'garbage'}, None, None, ['1.1'], None),
        ('transport error', {'mode': 'down'}, None, ConnectionRefusedError,
         ['1.1'], None),
    ]

    def test_table(self):
        info = _host_info()
        for name, kwargs, remembered, result, sends, memory in self.CASES:
            cache = negotiation.PeerCache()
            if remembered:
                cache.remember('peer', remembered)
            peer = FakeNetworkHost(**kwargs)
            if result is None:
                self.assertRaises(exception.NegotiationFailed,
                                  negotiation.negotiate, info, peer,
                                  peer='peer', cache=cache)
            elif result is ConnectionRefusedError:
                self.assertRaises(ConnectionRefusedError,
                                  negotiation.negotiate, info, peer,
                                  peer='peer', cache=cache)
            else:
                answer = negotiation.negotiate(info, peer, peer='peer',
                                               cache=cache)
                self.assertEqual(result, answer['accepted'], name)
            self.assertEqual(sends, peer.received, name)
            self.assertEqual(memory, cache.get('peer'), name)

    def test_steady_state_is_one_round_trip(self):
        info, cache = _host_info(), negotiation.PeerCache()
        peer = FakeNetworkHost(max_version='1.0')
        for _ in range(5):
            negotiation.negotiate(info, peer, peer='old', cache=cache)
        self.assertEqual(['1.1', '1.0', '1.0', '1.0', '1.0', '1.0'],
                         peer.received)

    def test_no_peer_key_no_memory(self):
        info, cache = _host_info(), negotiation.PeerCache()
        peer = FakeNetworkHost(max_version='1.0')
        negotiation.negotiate(info, peer, cache=cache)
        negotiation.negotiate(info, peer, cache=cache)
        self.assertEqual(['1.1', '1.0', '1.1', '1.0'], peer.received)
        self.assertEqual(0, len(cache))

    def test_default_cache_is_used_without_one(self):
        self.addCleanup(negotiation.DEFAULT_PEER_CACHE.forget, 'dflt')
        peer = FakeNetworkHost(max_version='1.0')
        negotiation.negotiate(_host_info(), peer, peer='dflt')
        self.assertEqual('1.0', negotiation.DEFAULT_PEER_CACHE.get('dflt'))

    def test_reprobe_after_interval_finds_upgraded_peer(self):
        now = [0.0]
        cache = negotiation.PeerCache(reprobe_interval=60,
                                      clock=lambda: now[0])
        info = _host_info()
        peer = FakeNetworkHost(max_version='1.0')
        negotiation.negotiate(info, peer, peer='p', cache=cache)
        peer.max_version = '1.1'  # the peer is upgraded
        now[0] = 59.0
        negotiation.negotiate(info, peer, peer='p', cache=cache)
        now[0] = 61.0
        negotiation.negotiate(info, peer, peer='p', cache=cache)
        negotiation.negotiate(info, peer, peer='p', cache=cache)
        self.assertEqual(['1.1', '1.0', '1.0', '1.1', '1.1'], peer.received)

    def test_forget_after_upgrade(self):
        cache, info = negotiation.PeerCache(), _host_info()
        peer = FakeNetworkHost(max_version='1.0')
        negotiation.negotiate(info, peer, peer='p', cache=cache)
        peer.max_version = '1.1'
        cache.forget('p')
        negotiation.negotiate(info, peer, peer='p', cache=cache)
        self.assertEqual(['1.1', '1.0', '1.1'], peer.received)
        self.assertEqual('1.1', cache.get('p'))

    def test_refusal_of_a_child_object_backlevels_the_parent(self):
        cache, info = negotiation.PeerCache(), _host_info()
        sent = []

        def send(payload):
            sent.append(payload)
            prim = json.loads(payload)
            vif = prim[wire.KEY_DATA]['plugin_info'][0][wire.KEY_DATA][
                'vif_info'][0]
            if vif[wire.KEY_VERSION] != '1.0':
                raise exception.UnsupportedVersion(
                    object_name='HostVIFInfo',
                    requested_version=vif[wire.KEY_VERSION],
                    max_supported_version='1.0')
            return prim[wire.KEY_VERSION]

        self.assertEqual('1.0', negotiation.negotiate(info, send, 'p', cache))
        self.assertEqual(2, len(sent))

    def test_nonsense_refusal_fails(self):
        def send(payload):
            raise exception.UnsupportedVersion(
                object_name='HostInfo', requested_version='1.1',
                max_supported_version='1.1')

        exc = self.assertRaises(exception.NegotiationFailed,
                                negotiation.negotiate, _host_info(), send,
                                'peer-x')
        self.assertIn('peer-x', str(exc))
        self.assertIn('1.1', str(exc))
        self.assertEqual(['1.1'], exc.versions_tried)

    def test_failure_message_names_peer_versions_and_max(self):
        peer = FakeNetworkHost(max_version='0.9')
        exc = self.assertRaises(exception.NegotiationFailed,
                                negotiation.negotiate, _host_info(), peer,
                                'net-7', negotiation.PeerCache())
        message = str(exc)
        for part in ('net-7', '0.9', '1.1', 'HostInfo'):
            self.assertIn(part, message)

    def test_backlevel_is_logged_at_info(self):
        logs = self.useFixture(fixtures.FakeLogger(
            name='os_vif_hostinfo.negotiation', level=logging.INFO))
        negotiation.negotiate(_host_info(), FakeNetworkHost('1.0'), 'n-1',
                              negotiation.PeerCache())
        self.assertIn('n-1', logs.output)
        self.assertIn('backleveling to 1.0', logs.output)

    def test_refuses_non_host_info(self):
        self.assertRaises(exception.InvalidObject, negotiation.negotiate,
                          objects.HostPluginInfo(plugin_name='x'),
                          FakeNetworkHost())


class TestNegotiateProperty(base.TestCase):

    @hypothesis.given(
        major=st.integers(0, 3), minor=st.integers(0, 4),
        remembered=st.sampled_from([None, '1.0', '1.1']))
    def test_ends_at_common_version_or_fails(self, major, minor,
                                             remembered):
        peer_max = '%d.%d' % (major, minor)
        cache = negotiation.PeerCache()
        if remembered:
            cache.remember('p', remembered)
        peer = FakeNetworkHost(max_version=peer_max)
        current = objects.current_version('HostInfo')
        readable = [versions.Version(current.major, m)
                    for m in range(current.minor + 1)
                    if versions.parse(peer_max).is_compatible_with(
                        versions.Version(current.major, m))]
        try:
            answer = negotiation.negotiate(_host_info(), peer, 'p', cache)
        except exception.NegotiationFailed:
            self.assertEqual([], readable)
        else:
            accepted = versions.parse(answer['accepted'])
            self.assertIn(accepted, readable)
            if remembered is None:
                self.assertEqual(max(readable), accepted)
            self.assertEqual(str(accepted), cache.get('p'))
        self.assertLessEqual(len(peer.received), 2)


class TestPeerCache(base.TestCase):

    def test_bounded_lru(self):
        cache = negotiation.PeerCache(maxsize=2)
        cache.remember('a', '1.0')
        cache.remember('b', '1.0')
        cache.get('a')  # a is now the most recently used
        cache.remember('c', '1.1')
        self.assertEqual(2, len(cache))
        self.assertIn('a', cache)
        self.assertNotIn('b', cache)

    def test_invalid_arguments(self):
        for kwargs in ({'maxsize': 0}, {'maxsize': 'x'},
                       {'reprobe_interval': 0}, {'reprobe_interval': -1}):
            exc = self.assertRaises(exception.InvalidArgument,
                                    negotiation.PeerCache, **kwargs)
            self.assertIn(str(list(kwargs.values())[0]), str(exc))

    def test_thread_safe(self):
        cache = negotiation.PeerCache(maxsize=50)

        def work(n):
            for i in range(500):
                cache.remember((n, i % 70), '1.0')
                cache.get((n, (i * 7) % 70))
                if i % 13 == 0:
                    cache.forget((n, i % 70))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertLessEqual(len(cache), 50)
        cache.clear()
        self.assertEqual(0, len(cache))


class TestReceive(base.TestCase):

    def test_reads_current_and_old(self):
        info = _host_info()
        self.assertEqual(info, negotiation.receive(wire.serialize(info)))
        old = negotiation.receive(wire.serialize(info, '1.0'))
        self.assertEqual([], old.get_plugin('ovs').get_vif(
            'VIFOpenVSwitch').supported_port_profiles)

    def test_pin_refuses_newer_with_reply_body(self):
        exc = self.assertRaises(exception.UnsupportedVersion,
                                negotiation.receive,
                                wire.serialize(_host_info()), pin='1.0')
        body = exc.to_dict()
        self.assertEqual({'code': 'unsupported_version', 'object': 'HostInfo',
                          'requested_version': '1.1',
                          'max_supported_version': '1.0'},
                         {k: v for k, v in body['error'].items()
                          if k != 'message'})
        self.assertIn('1.1', body['error']['message'])

    def test_above_class_version_refused(self):
        text = wire.serialize(_host_info()).replace(
            '"versioned_object.version":"1.1"}', '"versioned_object.version"'
            ':"1.7"}')
        self.assertTrue(text.endswith('"1.7"}'))
        exc = self.assertRaises(exception.UnsupportedVersion,
                                negotiation.receive, text)
        self.assertEqual(('HostInfo', '1.7', '1.1'),
                         (exc.object_name, exc.requested_version,
                          exc.max_supported_version))

    def test_decoder_answers_repeats_with_fresh_objects(self):
        decoder = wire.Decoder(cache_size=4)
        text = wire.serialize(_host_info())
        first = negotiation.receive(text, decoder=decoder)
        first.plugin_info.pop()
        second = negotiation.receive(text, decoder=decoder)
        self.assertEqual(_host_info(), second)
        self.assertEqual((1, 1), (decoder.misses, decoder.hits))
        self.assertRaises(exception.UnsupportedVersion, negotiation.receive,
                          text, pin='1.0', decoder=decoder)

    def test_bad_pin(self):
        for pin in ('1.9', '2.0', 'one'):
            self.assertRaises(exception.InvalidVersion, negotiation.receive,
                              wire.serialize(_host_info()), pin=pin)

    def test_malformed(self):
        self.assertRaises(exception.MalformedPayload, negotiation.receive,
                          b'{"versioned_object.name": 1}')


@ovo_base.VersionedObjectRegistry.register_if(False)
class FakeVIFOpenVSwitch(ovo_base.VersionedObject):
    VERSION = '1.3'
    fields = {'id': ovo_fields.StringField()}

    @classmethod
    def obj_name(cls):
        return 'VIFOpenVSwitch'


class TestChooseVIF(base.TestCase):

    def test_first_preference_wins(self):
        registry = {'VIFBridge': ['1.0'], 'VIFOpenVSwitch': ['1.0']}
        choice = negotiation.choose_vif(
            _host_info(), ['VIFBridge', 'VIFOpenVSwitch'], registry)
        self.assertEqual(('linux_bridge', 'VIFBridge', '1.0'), choice)

    def test_skips_unsupported_names(self):
        choice = negotiation.choose_vif(
            _host_info(), ['VIFMacvtap', 'VIFVHostUser'],
            {'VIFVHostUser': ['1.1']})
        self.assertEqual(negotiation.VIFChoice('ovs', 'VIFVHostUser', '1.1'),
                         choice)

    def test_local_class_newer_is_backleveled(self):
        choice = negotiation.choose_vif(_host_info(), [FakeVIFOpenVSwitch],
                                        registry={})
        self.assertEqual(('ovs', 'VIFOpenVSwitch', '1.0'), choice)

    def test_highest_common_version_across_plugins(self):
        info = objects.HostInfo(plugin_info=[
            objects.HostPluginInfo(plugin_name=name, vif_info=[
                objects.HostVIFInfo(vif_object_name='VIFVHostUser',
                                    min_version='1.0', max_version=high)])
            for name, high in (('a', '1.0'), ('b', '1.1'), ('c', '1.0'))])
        choice = negotiation.choose_vif(info, ['VIFVHostUser'],
                                        {'VIFVHostUser': ['1.1']})
        self.assertEqual(('b', 'VIFVHostUser', '1.1'), choice)

    def test_with_os_vif_registry(self):
        from os_vif import objects as osv_objects
        osv_objects.register_all()
        choice = negotiation.choose_vif(_host_info(), ['VIFOpenVSwitch'])
        self.assertEqual(('ovs', 'VIFOpenVSwitch', '1.0'), choice)

    def test_no_match(self):
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                negotiation.choose_vif, _host_info(),
                                ['VIFMacvtap', 'VIFTap'], {})
        self.assertIn('VIFMacvtap or VIFTap', str(exc))

    def test_no_version(self):
        exc = self.assertRaises(exception.NoSupportedVIFVersion,
                                negotiation.choose_vif, _host_info(),
                                ['VIFBridge'], {'VIFBridge': ['2.0']})
        self.assertIn('2.0', str(exc))
        self.assertIn('VIFBridge', str(exc))

    def test_bad_candidate(self):
        self.assertRaises(exception.InvalidObject, negotiation.choose_vif,
                          _host_info(), [42])


class TestCheckVIF(base.TestCase):

    def test_object_in_range(self):
        vif = FakeVIFOpenVSwitch(id='x')
        vif.VERSION = '1.0'
        entry = negotiation.check_vif(vif, _host_info())
        self.assertEqual('VIFOpenVSwitch', entry.vif_object_name)

    def test_object_out_of_range_is_fatal(self):
        exc = self.assertRaises(exception.VIFVersionOutOfRange,
                                negotiation.check_vif,
                                FakeVIFOpenVSwitch(id='x'), _host_info())
        message = str(exc)
        for part in ('VIFOpenVSwitch', '1.3', 'ovs: 1.0-1.0'):
            self.assertIn(part, message)

    def test_primitive(self):
        prim = FakeVIFOpenVSwitch(id='x').obj_to_primitive(
            target_version='1.3')
        self.assertRaises(exception.VIFVersionOutOfRange,
                          negotiation.check_vif, prim, _host_info())
        prim[wire.KEY_VERSION] = '1.0'
        self.assertEqual('1.0', negotiation.check_vif(
            prim, _host_info()).max_version)

    def test_unknown_name(self):
        prim = {wire.KEY_NAME: 'VIFTap', wire.KEY_VERSION: '1.0'}
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                negotiation.check_vif, prim, _host_info())
        self.assertIsInstance(exc, exception.HostInfoError)
        self.assertIn('VIFTap', str(exc))

    def test_bad_input(self):
        for bad in ({}, {wire.KEY_NAME: 'VIFBridge', wire.KEY_VERSION: 'x'},
                    {wire.KEY_NAME: 3, wire.KEY_VERSION: '1.0'}):
            self.assertRaises(exception.MalformedPayload,
                              negotiation.check_vif, bad, _host_info())
        self.assertRaises(exception.InvalidObject, negotiation.check_vif,
                          'VIFBridge', _host_info())

    @hypothesis.given(info=strategies.host_infos(),
                      name=strategies.names, version=strategies.versions)
    def test_accepts_exactly_the_offered_ranges(self, info, name, version):
        prim = {wire.KEY_NAME: name, wire.KEY_VERSION: version}
        ranges = [vif.version_range() for plugin in info.plugin_info
                  for vif in plugin.vif_info if vif.vif_object_name == name]
        wanted = versions.parse(version)
        try:
            entry = negotiation.check_vif(prim, info)
        except exception.NoMatchingVIFClass:
            self.assertEqual([], ranges)
        except exception.VIFVersionOutOfRange:
            self.assertFalse(any(lo <= wanted <= hi for lo, hi in ranges))
        else:
            self.assertEqual(name, entry.vif_object_name)
            self.assertTrue(entry.admits(version))


class TestAgainstRealOsVif(base.TestCase):
    """os-vif 5.3.0 as the network host, in its own process."""

    def setUp(self):
        super().setUp()
        self.peer = subprocess.Popen(
            [sys.executable, '-W', 'ignore', '-m', 'tests.osvif_peer'],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.addCleanup(self._stop)
        self.sent = []

    def _stop(self):
        self.peer.stdin.close()
        self.peer.wait(timeout=30)

    def send(self, payload):
        self.sent.append(json.loads(payload)[wire.KEY_VERSION])
        self.peer.stdin.write(payload + '\n')
        self.peer.stdin.flush()
        reply = json.loads(self.peer.stdout.readline())
        if 'error' in reply:
            raise exception.UnsupportedVersion.from_dict(reply)
        return reply['result']

    def test_backlevel_then_one_round_trip(self):
        cache, info = negotiation.PeerCache(), _host_info()
        first = negotiation.negotiate(info, self.send, 'osvif', cache)
        self.assertEqual(['1.1', '1.0'], self.sent)
        self.assertEqual('1.0', first['version'])
        self.assertTrue(first['class'].startswith('os_vif.'))
        self.assertEqual(['ovs', 'linux_bridge'], first['plugins'])
        self.assertEqual(['VIFOpenVSwitch', 'VIFVHostUser', 'VIFBridge'],
                         first['vifs'])
        negotiation.negotiate(info, self.send, 'osvif', cache)
        self.assertEqual(['1.1', '1.0', '1.0'], self.sent)
