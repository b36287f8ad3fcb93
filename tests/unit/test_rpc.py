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

"""The oslo.messaging adapter, over the in-memory fake:// transport."""

import logging
import threading
from unittest import mock
import warnings

import fixtures
from oslo_config import cfg

with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    import oslo_messaging

from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import opts
from os_vif_hostinfo import rpc
from os_vif_hostinfo.rpc import envelope
from os_vif_hostinfo import wire
from tests import base
from tests import samples


def host_info(plugin='ovs'):
    return objects.HostInfo(plugin_info=[samples.plugin(plugin, [
        samples.vif(profiles=[samples.profile(high='1.4')])])])


def plugins_of(info):
    """A handler: which plugins the network host read."""
    return sorted(p.plugin_name for p in info.plugin_info)


def sent_versions(send_mock):
    return [wire.loads(c.args[0])[wire.KEY_VERSION]
            for c in send_mock.call_args_list]


class TestEndpoint(base.TestCase):
    """The network-host endpoint called directly, without a transport."""

    def setUp(self):
        super().setUp()
        self.info = host_info()
        self.current = wire.serialize(self.info)
        self.old = wire.serialize(self.info, target_version='1.0')

    def test_answers_with_the_handler_result(self):
        endpoint = rpc.HostInfoEndpoint(plugins_of)
        self.assertEqual({'result': ['ovs']},
                         endpoint.negotiate_host_info({}, self.current))

    def test_repeats_are_answered_from_the_decoder(self):
        endpoint = rpc.HostInfoEndpoint(plugins_of)
        for _ in range(3):
            self.assertEqual({'result': ['ovs']},
                             endpoint.negotiate_host_info({}, self.current))
        self.assertEqual((1, 2), (endpoint.decoder.misses,
                                  endpoint.decoder.hits))

    def test_reads_bytes(self):
        endpoint = rpc.HostInfoEndpoint(plugins_of)
        self.assertEqual({'result': ['ovs']}, endpoint.negotiate_host_info(
            {}, self.current.encode()))

    def test_pin_refuses_newer_as_data(self):
        endpoint = rpc.HostInfoEndpoint(plugins_of, pin='1.0')
        reply = endpoint.negotiate_host_info({}, self.current)
        self.assertEqual('unsupported_version', reply['error']['code'])
        self.assertEqual('1.1', reply['error']['requested_version'])
        self.assertEqual('1.0', reply['error']['max_supported_version'])
        refusal = exception.UnsupportedVersion.from_dict(reply)
        self.assertEqual('HostInfo', refusal.object_name)
        self.assertEqual({'result': ['ovs']},
                         endpoint.negotiate_host_info({}, self.old))

    def test_pin_from_conf(self):
        conf = cfg.ConfigOpts()
        opts.register_opts(conf)
        conf.set_override('pin', '1.0', group='os_vif_hostinfo')
        endpoint = rpc.HostInfoEndpoint(plugins_of, conf)
        self.assertEqual('1.0', endpoint.pin)
        self.assertIn('error', endpoint.negotiate_host_info({}, self.current))

    def test_explicit_pin_overrides_conf(self):
        conf = cfg.ConfigOpts()
        opts.register_opts(conf)
        conf.set_override('pin', '1.0', group='os_vif_hostinfo')
        endpoint = rpc.HostInfoEndpoint(plugins_of, conf, pin='1.1')
        self.assertEqual({'result': ['ovs']},
                         endpoint.negotiate_host_info({}, self.current))

    def test_bad_pin_fails_at_start(self):
        exc = self.assertRaises(exception.InvalidVersion,
                                rpc.HostInfoEndpoint, plugins_of, pin='1.x')
        self.assertIn('[os_vif_hostinfo] pin', str(exc))

    def test_garbage_is_an_error_envelope(self):
        endpoint = rpc.HostInfoEndpoint(plugins_of)
        reply = endpoint.negotiate_host_info({}, '{"not": "hostinfo"')
        self.assertEqual('host_info_error', reply['error']['code'])
        self.assertEqual('MalformedPayload', reply['error']['type'])

    def test_non_text_payload_is_an_error_envelope(self):
        endpoint = rpc.HostInfoEndpoint(plugins_of)
        for payload in (None, 42, {'a': 1}, ['x']):
            reply = endpoint.negotiate_host_info({}, payload)
            self.assertEqual('MalformedPayload', reply['error']['type'])
            self.assertIn('expected JSON text', reply['error']['message'])

    def test_handler_library_error_is_an_error_envelope(self):
        def handler(info):
            raise exception.NoMatchingVIFClass(vif_name='VIFBridge')
        reply = rpc.HostInfoEndpoint(handler).negotiate_host_info(
            {}, self.current)
        self.assertEqual({'error': {
            'code': 'host_info_error', 'type': 'NoMatchingVIFClass',
            'message': "No plugin supports VIF class 'VIFBridge'",
            'details': {'vif_name': 'VIFBridge'}}}, reply)

    def test_handler_other_error_propagates(self):
        def handler(info):
            raise RuntimeError('driver bug')
        endpoint = rpc.HostInfoEndpoint(handler)
        self.assertRaises(RuntimeError, endpoint.negotiate_host_info, {},
                          self.current)

    def test_logs_the_asking_host(self):
        logs = self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        endpoint = rpc.HostInfoEndpoint(plugins_of, pin='1.0', name='net-9')
        endpoint.negotiate_host_info(
            {'os_vif_hostinfo_host': 'compute-7'}, self.current)
        self.assertIn('net-9: refused HostInfo 1.1 from compute-7',
                      logs.output)


class TestEnvelope(base.TestCase):

    def test_result(self):
        self.assertEqual([1], envelope.open_reply({'result': [1]}, 'p'))
        self.assertIsNone(envelope.open_reply({'result': None}, 'p'))

    def test_refusal_round_trip(self):
        refusal = exception.UnsupportedVersion(
            object_name='HostInfo', requested_version='1.1',
            max_supported_version='1.0')
        exc = self.assertRaises(exception.UnsupportedVersion,
                                envelope.open_reply,
                                envelope.error(refusal), 'net-1')
        self.assertEqual('1.0', exc.max_supported_version)
        self.assertEqual('1.1', exc.requested_version)

    def test_garbled_refusal_is_malformed(self):
        reply = {'error': {'code': 'unsupported_version', 'object': 'X',
                           'requested_version': 'one',
                           'max_supported_version': '1.0'}}
        self.assertRaises(exception.MalformedPayload, envelope.open_reply,
                          reply, 'net-1')

    def test_not_an_envelope(self):
        for reply in (None, 'text', [1], {}, {'answer': 1}):
            exc = self.assertRaises(exception.MalformedPayload,
                                    envelope.open_reply, reply, 'net-1')
            self.assertIn('net-1', str(exc))

    def test_unknown_error_shape(self):
        for body in ('boom', {'code': 'other'}, None):
            exc = self.assertRaises(exception.MalformedPayload,
                                    envelope.open_reply, {'error': body},
                                    'net-1')
            self.assertIn('net-1', str(exc))

    def test_library_error_is_rebuilt_with_peer(self):
        reply = envelope.error(
            exception.NoMatchingVIFClass(vif_name='VIFBridge'))
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                envelope.open_reply, reply, 'net-1')
        self.assertEqual('VIFBridge', exc.vif_name)
        self.assertEqual(
            "Peer net-1: No plugin supports VIF class 'VIFBridge'", str(exc))

    def test_peer_could_not_read_is_negotiation_failed(self):
        reply = envelope.error(
            exception.MalformedPayload(path='$', reason='not JSON'))
        exc = self.assertRaises(exception.NegotiationFailed,
                                envelope.open_reply, reply, 'net-1')
        self.assertIn('net-1', str(exc))
        self.assertIn('not JSON', str(exc))

    def test_unknown_type_is_base_error(self):
        reply = {'error': {'code': 'host_info_error', 'type': 'FutureError',
                           'message': 'from the future', 'details': {}}}
        exc = self.assertRaises(exception.HostInfoError,
                                envelope.open_reply, reply, 'net-1')
        self.assertIs(exception.HostInfoError, type(exc))
        self.assertEqual('Peer net-1: from the future', str(exc))

    def test_non_error_type_names_are_not_trusted(self):
        for name in ('describe_json_type', 'Any', 'UnsupportedVersion'):
            reply = {'error': {'code': 'host_info_error', 'type': name,
                               'message': 'm'}}
            exc = self.assertRaises(exception.HostInfoError,
                                    envelope.open_reply, reply, 'p')
            self.assertIs(exception.HostInfoError, type(exc))

    def test_hostile_details_are_dropped(self):
        reply = {'error': {'code': 'host_info_error',
                           'type': 'NoMatchingPlugin', 'message': 'm',
                           'details': {'__class__': 'x', 'args': 'x',
                                       'kwargs': 'x', 'msg_fmt': 'x',
                                       'not an identifier': 1,
                                       'plugin_name': 'ovs'}}}
        exc = self.assertRaises(exception.NoMatchingPlugin,
                                envelope.open_reply, reply, 'p')
        self.assertEqual('ovs', exc.plugin_name)
        self.assertEqual({'plugin_name': 'ovs'}, exc.kwargs)
        self.assertEqual(('Peer p: m',), exc.args)


class FakeTransportTestCase(base.TestCase):
    """Network hosts as RPC servers on one fake:// transport."""

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        opts.register_opts(self.conf)
        self.transport = oslo_messaging.get_rpc_transport(
            self.conf, url='fake://')
        self.addCleanup(self.transport.cleanup)

    def start_server(self, name, handler=plugins_of, **kwargs):
        server = rpc.get_server(self.transport, name, handler, self.conf,
                                **kwargs)
        server.start()

        def stop():
            server.stop()
            server.wait()
        self.addCleanup(stop)
        return server

    def client(self, **kwargs):
        kwargs.setdefault('timeout', 5)
        client = rpc.HostInfoClient(self.transport, self.conf, **kwargs)
        self.send = mock.patch.object(client, 'send',
                                      wraps=client.send).start()
        self.addCleanup(mock.patch.stopall)
        return client


class TestOverFakeTransport(FakeTransportTestCase):

    def test_current_peer_one_round_trip(self):
        self.start_server('net-new')
        client = self.client()
        self.assertEqual(['ovs'], client.negotiate(host_info(), 'net-new'))
        self.assertEqual(['1.1'], sent_versions(self.send))
        self.assertEqual('1.1', client.cache.get('net-new'))

    def test_old_peer_backlevel_then_remembered(self):
        self.start_server('net-old', pin='1.0')
        client = self.client()
        self.assertEqual(['ovs'], client.negotiate(host_info(), 'net-old'))
        self.assertEqual(['1.1', '1.0'], sent_versions(self.send))
        self.assertEqual('1.0', client.cache.get('net-old'))
        self.send.reset_mock()
        self.assertEqual(['ovs'], client.negotiate(host_info(), 'net-old'))
        self.assertEqual(['1.0'], sent_versions(self.send))

    def test_each_peer_is_remembered_apart(self):
        self.start_server('net-new')
        self.start_server('net-old', pin='1.0')
        client = self.client()
        client.negotiate(host_info(), 'net-old')
        client.negotiate(host_info(), 'net-new')
        self.assertEqual('1.0', client.cache.get('net-old'))
        self.assertEqual('1.1', client.cache.get('net-new'))

    def test_forget_reprobes(self):
        self.start_server('net-old', pin='1.0')
        client = self.client()
        client.negotiate(host_info(), 'net-old')
        client.forget('net-old')
        self.send.reset_mock()
        client.negotiate(host_info(), 'net-old')
        self.assertEqual(['1.1', '1.0'], sent_versions(self.send))

    def test_any_server_on_topic_is_not_remembered(self):
        self.start_server('net-new')
        client = self.client()
        self.assertEqual(['ovs'], client.negotiate(host_info()))
        self.assertEqual(0, len(client.cache))

    def test_topic_from_conf(self):
        self.conf.set_override('topic', 'elsewhere', group='os_vif_hostinfo')
        self.start_server('net-new')
        client = self.client()
        self.assertEqual('elsewhere', client.topic)
        self.assertEqual(['ovs'], client.negotiate(host_info(), 'net-new'))

    def test_topic_argument_overrides_conf(self):
        self.start_server('net-new', topic='mine')
        client = self.client(topic='mine')
        self.assertEqual(['ovs'], client.negotiate(host_info(), 'net-new'))

    def test_cache_size_and_timeout_from_conf(self):
        self.conf.set_override('peer_cache_size', 7, group='os_vif_hostinfo')
        self.conf.set_override('timeout', 4.5, group='os_vif_hostinfo')
        client = rpc.HostInfoClient(self.transport, self.conf)
        self.assertEqual(7, client.cache.maxsize)
        self.assertEqual(4.5, client.timeout)
        self.assertEqual(3600.0, client.cache.reprobe_interval)

    def test_reprobe_zero_means_never(self):
        self.conf.set_override('peer_reprobe_interval', 0,
                               group='os_vif_hostinfo')
        client = rpc.HostInfoClient(self.transport, self.conf)
        self.assertIsNone(client.cache.reprobe_interval)

    def test_caller_owned_cache(self):
        self.start_server('net-old', pin='1.0')
        cache = negotiation.PeerCache(maxsize=2)
        client = self.client(cache=cache)
        client.negotiate(host_info(), 'net-old')
        self.assertEqual('1.0', cache.get('net-old'))

    def test_without_conf(self):
        self.start_server('net-new')
        client = rpc.HostInfoClient(self.transport, timeout=5)
        self.assertEqual('os_vif_hostinfo', client.topic)
        self.assertEqual(['ovs'], client.negotiate(host_info(), 'net-new'))

    def test_peer_down_is_peer_unavailable(self):
        client = self.client(timeout=0.2)
        exc = self.assertRaises(exception.PeerUnavailable,
                                client.negotiate, host_info(), 'net-gone')
        self.assertEqual('net-gone', exc.peer)
        self.assertIn('Peer net-gone did not answer', str(exc))
        self.assertIsInstance(exc.__cause__, oslo_messaging.MessagingTimeout)
        self.assertIsNone(client.cache.get('net-gone'))

    def test_delivery_failure_is_peer_unavailable(self):
        client = self.client()
        with mock.patch.object(
                client._client, 'prepare') as prepare:
            prepare.return_value.call.side_effect = (
                oslo_messaging.MessageDeliveryFailure('broker gone'))
            exc = self.assertRaises(exception.PeerUnavailable,
                                    client.negotiate, host_info(), 'net-1')
        self.assertIn('broker gone', str(exc))

    def test_unreachable_broker_is_bounded(self):
        client = self.client(timeout=0.1)
        client.grace = 0.1
        release = threading.Event()
        self.addCleanup(release.set)
        with mock.patch.object(client._client, 'prepare') as prepare:
            prepare.return_value.call.side_effect = (
                lambda *a, **k: release.wait(30))
            exc = self.assertRaises(exception.PeerUnavailable,
                                    client.negotiate, host_info(), 'net-1')
        self.assertIn('Peer net-1 did not answer', str(exc))
        self.assertIn('message broker may be unreachable', str(exc))
        # Both bounds named: no unexplained total.
        self.assertIn('no reply within the 0.1s timeout nor in the 0.1s '
                      'grace after it', str(exc))

    def test_other_transport_errors_propagate(self):
        client = self.client()
        with mock.patch.object(client._client, 'prepare') as prepare:
            prepare.return_value.call.side_effect = (
                oslo_messaging.InvalidTarget('bad', None))
            self.assertRaises(oslo_messaging.InvalidTarget,
                              client.negotiate, host_info(), 'net-1')

    def test_handler_error_crosses_as_its_class(self):
        def handler(info):
            return negotiation.choose_vif(info, ['NoSuchVIF'])
        self.start_server('net-new', handler=handler)
        client = self.client()
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                client.negotiate, host_info(), 'net-new')
        self.assertIn('Peer net-new', str(exc))

    def test_peer_that_cannot_read_fails_negotiation(self):
        def refuse(ctxt, payload):
            return envelope.error(exception.MalformedPayload(
                path='$', reason='bad'))
        endpoint = mock.Mock(spec=['negotiate_host_info', 'target'])
        endpoint.target = rpc.HostInfoEndpoint.target
        endpoint.negotiate_host_info.side_effect = refuse
        server = oslo_messaging.get_rpc_server(
            self.transport, oslo_messaging.Target(
                topic='os_vif_hostinfo', server='net-odd'), [endpoint],
            executor='threading',
            access_policy=oslo_messaging.DefaultRPCAccessPolicy)
        server.start()
        self.addCleanup(server.wait)
        self.addCleanup(server.stop)
        client = self.client()
        exc = self.assertRaises(exception.NegotiationFailed,
                                client.negotiate, host_info(), 'net-odd')
        self.assertIn('net-odd', str(exc))
        self.assertEqual(1, self.send.call_count)

    def test_context_names_the_service_host(self):
        logs = self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        self.start_server('net-new')
        client = self.client(host='compute-3')
        client.negotiate(host_info(), 'net-new')
        self.assertIn('net-new: read HostInfo from compute-3', logs.output)

    def test_answers_go_to_their_askers(self):
        self.start_server('net-new')
        self.start_server('net-old', pin='1.0')
        clients = [self.client() for _ in range(3)]
        for round_ in range(2):
            for i, client in enumerate(clients):
                for server in ('net-new', 'net-old'):
                    self.assertEqual(
                        ['p%d' % i],
                        client.negotiate(host_info('p%d' % i), server))
