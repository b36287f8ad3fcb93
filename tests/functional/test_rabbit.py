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

"""Service host and network hosts in separate processes over RabbitMQ.

Each network host is ``os-vif-hostinfo demo --network-host NAME`` in a
child process; the service hosts run in this process. Every test uses a
topic of its own, so a network host of one test never answers another.
"""

import concurrent.futures
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
import warnings

import fixtures
from oslo_config import cfg

with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    import oslo_messaging

import testtools.content

from os_vif_hostinfo.cli.demo import hosts as demo_hosts
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import opts
from os_vif_hostinfo import rpc
from os_vif_hostinfo import wire
from tests import base
from tests.functional import rabbit
from tests import samples

LOG = logging.getLogger(__name__)

#: Quick reconnection after a broker restart, for both sides.
RABBIT_CONF = """[oslo_messaging_rabbit]
rabbit_retry_interval = 1
rabbit_retry_backoff = 1
rabbit_interval_max = 2
kombu_reconnect_delay = 0.5
"""

LOAD_SERVICE_HOSTS = 200
LOAD_CALLS_PER_HOST = 4
#: One AMQP connection (and reply queue) per service host, as in real life.
LOAD_TRANSPORTS = LOAD_SERVICE_HOSTS
LOAD_DEADLINE = 240.0


def host_info(plugin):
    """A service host whose one plugin name identifies it."""
    return objects.HostInfo(plugin_info=[samples.plugin(plugin, [
        samples.vif(profiles=[samples.profile(high='1.4')]),
        samples.vif('VIFVHostUser', high='1.1')])])


def percentile(values, fraction):
    if not values:
        return float('nan')
    ordered = sorted(values)
    index = min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))
    return ordered[index]


class RabbitTestCase(base.TestCase):
    """One private broker for the whole class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.broker = rabbit.RabbitServer()
        # Class cleanups run even when setUpClass fails half way.
        cls.addClassCleanup(cls.broker.cleanUp)
        cls.broker.setUp()
        cls.conf_file = os.path.join(cls.broker.tmp, 'messaging.conf')
        with open(cls.conf_file, 'w') as f:
            f.write(RABBIT_CONF)

    def setUp(self):
        super().setUp()
        # Keep oslo.messaging's chatter out of the console: it becomes a
        # detail of the test, shown when it fails.
        self.logs = self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        self.topic = 'hostinfo_test_%s' % uuid.uuid4().hex[:8]

    def make_conf(self, **overrides):
        conf = cfg.ConfigOpts()
        opts.register_opts(conf)
        conf(args=[], default_config_files=[self.conf_file])
        conf.set_override('topic', self.topic, group='os_vif_hostinfo')
        for name, value in overrides.items():
            conf.set_override(name, value, group='os_vif_hostinfo')
        return conf

    def transport(self, conf):
        transport = oslo_messaging.get_rpc_transport(
            conf, url=self.broker.url)
        self.addCleanup(transport.cleanup)
        return transport

    def client(self, timeout=20.0, conf=None, **kwargs):
        conf = conf or self.make_conf()
        return rpc.HostInfoClient(self.transport(conf), conf,
                                  timeout=timeout, **kwargs)

    def network_host(self, name, release='current', pin=None):
        """Start ``demo --network-host`` in a child process; wait for it."""
        cmd = demo_hosts.network_host_command(
            name, release, self.broker.url, self.topic, pin=pin)
        cmd += ['--config-file', self.conf_file]
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        self.addCleanup(demo_hosts.stop_child, child)
        demo_hosts.wait_ready(child, timeout=60)
        return child

    def negotiate_counting(self, client, info, server):
        """Negotiate; return (answer, versions sent)."""
        sent = []

        def send(payload):
            sent.append(wire.loads(payload)[wire.KEY_VERSION])
            return client.send(payload, server=server)
        answer = negotiation.negotiate(info, send, peer=server,
                                       cache=client.cache)
        return answer, sent


def listening_addresses(port):
    """Local addresses with a TCP socket listening on ``port``."""
    found = set()
    for path, width in (('/proc/net/tcp', 8), ('/proc/net/tcp6', 32)):
        try:
            with open(path) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(':')
            if state == '0A' and int(hex_port, 16) == port:
                found.add(address)
    return found


#: 127.0.0.1 and ::1 as /proc/net/tcp{,6} spell them.
LOOPBACK = {'0100007F', '00000000000000000000000001000000'}


class TestNegotiationOverRabbit(RabbitTestCase):

    def test_broker_listens_on_loopback_only(self):
        for port in (self.broker.port, self.broker.dist_port,
                     self.broker.epmd_port):
            addresses = listening_addresses(port)
            self.assertTrue(addresses, 'nothing listens on %d' % port)
            self.assertTrue(addresses <= LOOPBACK,
                            'port %d: %s' % (port, addresses))

    def test_current_peer(self):
        self.network_host('net-current')
        client = self.client()
        info = host_info('ovs-a')
        answer, sent = self.negotiate_counting(client, info, 'net-current')
        self.assertEqual(['1.1'], sent)
        self.assertEqual('ovs-a', answer['plugin'])
        self.assertEqual('net-current', answer['network_host'])
        self.assertEqual(('VIFVHostUser', '1.1'),
                         (answer['vif'][wire.KEY_NAME],
                          answer['vif'][wire.KEY_VERSION]))
        self.assertEqual('1.1', negotiation.check_vif(
            answer['vif'], info).max_version)

    def test_old_peer(self):
        self.network_host('net-old', release='old')
        client = self.client()
        info = host_info('ovs-b')
        answer, sent = self.negotiate_counting(client, info, 'net-old')
        self.assertEqual(['1.1', '1.0'], sent)
        self.assertEqual(('ovs-b', 'old'),
                         (answer['plugin'], answer['release']))
        self.assertEqual('1.0', answer['vif'][wire.KEY_VERSION])
        negotiation.check_vif(answer['vif'], info)
        answer, sent = self.negotiate_counting(client, info, 'net-old')
        self.assertEqual(['1.0'], sent)
        self.assertEqual('ovs-b', answer['plugin'])

    def test_pinned_peer(self):
        # A current release pinned to 1.0 reads only HostInfo 1.0, but
        # still produces its own VIF versions.
        self.network_host('net-pinned', pin='1.0')
        client = self.client()
        answer, sent = self.negotiate_counting(client, host_info('ovs-c'),
                                               'net-pinned')
        self.assertEqual(['1.1', '1.0'], sent)
        self.assertEqual(('current', '1.1'),
                         (answer['release'],
                          answer['vif'][wire.KEY_VERSION]))
        self.assertEqual('1.0', client.cache.get('net-pinned'))

    def test_peer_down(self):
        client = self.client(timeout=2.0)
        exc = self.assertRaises(exception.PeerUnavailable, client.negotiate,
                                host_info('ovs-d'), 'net-nobody')
        self.assertIn('Peer net-nobody did not answer', str(exc))
        self.assertIsNone(client.cache.get('net-nobody'))

    def test_peer_stopped(self):
        child = self.network_host('net-leaving')
        client = self.client(timeout=2.0)
        self.assertEqual('ovs-e', client.negotiate(
            host_info('ovs-e'), 'net-leaving')['plugin'])
        demo_hosts.stop_child(child)
        self.assertRaises(exception.PeerUnavailable, client.negotiate,
                          host_info('ovs-e'), 'net-leaving')

    def test_no_vif_in_common_crosses_as_library_error(self):
        self.network_host('net-current')
        client = self.client()
        info = objects.HostInfo(plugin_info=[objects.HostPluginInfo(
            plugin_name='sriov', vif_info=[objects.HostVIFInfo(
                vif_object_name='VIFHostDevice', min_version='1.0',
                max_version='1.0', supported_port_profiles=[])])])
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                client.negotiate, info, 'net-current')
        self.assertIn('Peer net-current', str(exc))

    def test_broker_restart_between_negotiations(self):
        self.network_host('net-current')
        self.network_host('net-old', release='old')
        clients = {name: self.client(timeout=3.0)
                   for name in ('ovs-x', 'ovs-y')}
        for name, client in clients.items():
            for server in ('net-current', 'net-old'):
                self.assertEqual(name, client.negotiate(
                    host_info(name), server)['plugin'])

        self.broker.restart()

        outcomes = []
        deadline = time.monotonic() + 90
        pending = {(name, server) for name in clients
                   for server in ('net-current', 'net-old')}
        while pending and time.monotonic() < deadline:
            for name, server in sorted(pending):
                try:
                    answer = clients[name].negotiate(host_info(name), server)
                except exception.PeerUnavailable as exc:
                    outcomes.append((name, server, 'unavailable'))
                    LOG.info('after restart: %s -> %s: %s', name, server,
                             exc)
                    continue
                # Fails cleanly or answers: never someone else's answer.
                self.assertEqual((name, server),
                                 (answer['plugin'], answer['network_host']))
                outcomes.append((name, server, 'answered'))
                pending.discard((name, server))
        LOG.info('after the broker restart: %s', outcomes)
        self.assertEqual(set(), pending,
                         'no answer after reconnect: %s' % outcomes)

    def test_broker_down_fails_cleanly(self):
        client = self.client(timeout=3.0)
        self.broker.stop()
        self.addCleanup(self.broker.start)
        outcome = []

        def call():
            try:
                client.negotiate(host_info('ovs-z'), 'net-current')
            except Exception as exc:
                outcome.append(exc)
        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        # A guard against hanging, not a timing assertion.
        worker.join(120)
        self.assertFalse(worker.is_alive(), 'negotiate hung with the broker '
                         'down')
        self.assertEqual(1, len(outcome))
        self.assertIsInstance(outcome[0], exception.PeerUnavailable)
        self.assertIn('net-current', str(outcome[0]))

    def test_network_host_stops_with_the_broker_gone(self):
        # Stopping must not wait for a broker that no longer answers.
        child = self.network_host('net-orphan')
        self.broker.stop()
        self.addCleanup(self.broker.start)
        demo_hosts.stop_child(child, timeout=60)
        self.assertEqual(0, child.returncode, 'killed, not stopped')

    def test_demo_service_host_against_running_network_hosts(self):
        self.network_host('net-current')
        self.network_host('net-old', release='old')
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable),
                          'os-vif-hostinfo'), 'demo', '--service-host',
             'compute-9', '--peer', 'net-old', '--peer', 'net-current',
             '--transport-url', self.broker.url, '--topic', self.topic,
             '--config-file', self.conf_file],
            capture_output=True, text=True, timeout=180)
        self.assertEqual(0, proc.returncode, proc.stdout + proc.stderr)
        self.assertIn('1. service host compute-9', proc.stdout)
        self.assertRegex(proc.stdout, r'<- net-old \(old\) chose plugin')
        self.assertRegex(proc.stdout,
                         r'<- net-current \(current\) chose plugin')
        self.assertIn('4. ask net-current again', proc.stdout)

    def test_demo_across_processes(self):
        proc = subprocess.run(
            [os.path.join(os.path.dirname(sys.executable),
                          'os-vif-hostinfo'), 'demo',
             '--transport-url', self.broker.url, '--config-file',
             self.conf_file], capture_output=True, text=True, timeout=180)
        self.assertEqual(0, proc.returncode, proc.stdout + proc.stderr)
        out = proc.stdout
        self.assertIn('separate processes', out)
        self.assertIn('<- refused: HostInfo up to 1.0 only', out)
        self.assertIn('backleveled', out)
        self.assertIn('remembered for net-old', out)
        self.assertIn('refused, fatal', out)
        self.assertNotIn('guest:guest', out)


class TestLoad(RabbitTestCase):

    @staticmethod
    def cleanup_all(transports):
        with concurrent.futures.ThreadPoolExecutor(
                max_workers=len(transports)) as pool:
            list(pool.map(lambda t: t.cleanup(), transports))

    def test_many_service_hosts_two_releases(self):
        servers = ('net-current', 'net-old')
        self.network_host('net-current')
        self.network_host('net-old', release='old')
        conf = self.make_conf()
        transports = [
            oslo_messaging.get_rpc_transport(conf, url=self.broker.url)
            for _ in range(LOAD_TRANSPORTS)]
        # One by one, closing a transport that served busy threads takes
        # seconds; closed side by side the whole lot takes as long as one.
        self.addCleanup(self.cleanup_all, transports)
        latencies = []
        lock = threading.Lock()
        errors = []

        def service_host(index):
            # Its own client and version memory, like a real compute host.
            name = 'svc-%03d' % index
            client = rpc.HostInfoClient(
                transports[index % len(transports)], conf, timeout=60.0,
                host=name)
            info = host_info(name)
            answers = 0
            for call in range(LOAD_CALLS_PER_HOST):
                server = servers[(index + call) % 2]
                start = time.monotonic()
                answer = client.negotiate(info, server)
                elapsed = time.monotonic() - start
                if (answer['plugin'], answer['network_host']) != (
                        name, server):
                    with lock:
                        errors.append((name, server, answer['plugin'],
                                       answer['network_host']))
                with lock:
                    latencies.append((call, elapsed))
                answers += 1
            return answers

        started = time.monotonic()
        pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=LOAD_SERVICE_HOSTS)
        futures = [pool.submit(service_host, i)
                   for i in range(LOAD_SERVICE_HOSTS)]
        done, not_done = concurrent.futures.wait(
            futures, timeout=LOAD_DEADLINE)
        wall = time.monotonic() - started
        # Bounded: stragglers end at their own RPC timeout.
        pool.shutdown(wait=False, cancel_futures=True)
        failures = [f.exception() for f in done if f.exception()]
        answered = sum(f.result() for f in done if not f.exception())
        expected = LOAD_SERVICE_HOSTS * LOAD_CALLS_PER_HOST
        first = [t for call, t in latencies if call < 2]
        steady = [t for call, t in latencies if call >= 2]
        report = (
            'load: %d service hosts (threads, %d AMQP connections) x %d '
            'negotiations against 2 network hosts (current, old) in separate '
            'processes over RabbitMQ: %d/%d answered, %d lost, %d misdelivered'
            ' in %.1fs = %.0f negotiations/s; latency first contact p50 %.0f '
            'ms p99 %.0f ms; remembered version p50 %.0f ms p99 %.0f ms'
            % (LOAD_SERVICE_HOSTS, LOAD_TRANSPORTS, LOAD_CALLS_PER_HOST,
               answered, expected, expected - answered, len(errors), wall,
               answered / wall,
               percentile(first, 0.5) * 1000, percentile(first, 0.99) * 1000,
               percentile(steady, 0.5) * 1000,
               percentile(steady, 0.99) * 1000))
        LOG.info(report)
        self.addDetail('load-report', testtools.content.text_content(report))
        sys.__stderr__.write('\n%s\n' % report)
        sys.__stderr__.flush()
        self.assertEqual([], failures[:5])
        self.assertEqual(0, len(not_done), 'service hosts still running')
        self.assertEqual([], errors, 'answers delivered to the wrong host')
        self.assertEqual(expected, answered)
        self.assertEqual(expected, len(latencies))
