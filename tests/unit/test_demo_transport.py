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

"""The demo against brokers it cannot reach (cli.demo.transport).

The subprocess tests wait a bounded time only as a guard against a hang;
they assert the exit status and the one line, never a duration.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading

import fixtures

from os_vif_hostinfo.cli.demo import transport as demo_transport
from os_vif_hostinfo.cli import status
from tests import base

MAIN = ('import sys; from os_vif_hostinfo.cli import main; '
        'sys.exit(main(sys.argv[1:]))')

#: Guard against a hang, far above what any mode takes.
GUARD = 120

MODES = (['--service-host', '--peer', 'net-old'], [],
         ['--network-host', 'net-x'])


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class SilentBroker:
    """Accepts connections and never says a word: a broker that hangs."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connected = threading.Event()
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.connected.set()

    def close(self):
        self.sock.close()
        for conn in self.held:
            conn.close()


def _default_sigint():
    # A shell may start the test runner with SIGINT ignored; the child
    # must see Ctrl-C as a terminal user's process does.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class TestUnreachableBroker(base.TestCase):

    def demo(self, *args):
        env = dict(os.environ, PYTHONWARNINGS='ignore')
        return subprocess.Popen(
            [sys.executable, '-c', MAIN, 'demo'] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env, preexec_fn=_default_sigint)

    def finish(self, proc):
        try:
            return proc.communicate(timeout=GUARD)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            self.fail('the demo hung')

    def test_every_mode_says_so_in_one_line(self):
        port = closed_port()
        url = 'rabbit://guest:secret@127.0.0.1:%d/' % port
        for mode in MODES:
            proc = self.demo(*mode, '--transport-url', url, '--timeout', '3')
            out, err = self.finish(proc)
            self.assertEqual(status.UNREACHABLE, proc.returncode, (mode, err))
            self.assertEqual('', out, mode)
            lines = err.splitlines()
            self.assertEqual(1, len(lines), (mode, err))
            self.assertTrue(lines[0].startswith(
                'Cannot reach the message broker at rabbit://127.0.0.1:%d '
                'within 3s: ' % port), (mode, err))
            self.assertIn('Connection refused', lines[0])
            self.assertNotIn('secret', err)

    def test_a_silent_broker_is_given_up_at_the_timeout(self):
        broker = SilentBroker()
        self.addCleanup(broker.close)
        proc = self.demo('--service-host', '--transport-url',
                         'rabbit://127.0.0.1:%d/' % broker.port,
                         '--timeout', '2')
        out, err = self.finish(proc)
        self.assertEqual(status.UNREACHABLE, proc.returncode, err)
        self.assertEqual(1, len(err.splitlines()), err)
        self.assertIn('Cannot reach the message broker', err)

    def test_ctrl_c_ends_every_mode(self):
        for mode in MODES:
            broker = SilentBroker()
            self.addCleanup(broker.close)
            proc = self.demo(*mode, '--transport-url',
                             'rabbit://127.0.0.1:%d/' % broker.port,
                             '--timeout', '600')
            # Wait until the demo is talking to the broker (or gone).
            while not broker.connected.wait(0.2):
                if proc.poll() is not None:
                    break
            proc.send_signal(signal.SIGINT)
            out, err = self.finish(proc)
            self.assertEqual(130, proc.returncode, (mode, out, err))
            self.assertNotIn('Traceback', err)


class TestBounded(base.TestCase):

    def test_run_bounded(self):
        self.assertTrue(demo_transport.run_bounded(lambda: None, 5, 'x'))
        release = threading.Event()
        self.addCleanup(release.set)
        self.assertFalse(demo_transport.run_bounded(
            lambda: release.wait(30), 0.05, 'stuck'))

        def fails():
            raise ValueError('boom')
        self.assertRaises(ValueError, demo_transport.run_bounded, fails, 5,
                          'fails')

    def test_shutting_down_runs_every_step_in_reverse(self):
        done = []
        with demo_transport.shutting_down() as on_exit:
            on_exit(lambda: done.append('first'), 'first')
            on_exit(lambda: 1 / 0, 'broken')
            on_exit(lambda: done.append('last'), 'last')
        self.assertEqual(['last', 'first'], done)

    def test_interrupt_shortens_the_wait(self):
        release = threading.Event()
        self.addCleanup(release.set)
        waits = []
        real = demo_transport.run_bounded

        def recording(step, timeout, what):
            waits.append(timeout)
            return real(step, 0, what)
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo.cli.demo.transport.run_bounded', recording))

        def interrupted():
            with demo_transport.shutting_down() as on_exit:
                on_exit(lambda: release.wait(30), 'stuck')
                raise KeyboardInterrupt
        self.assertRaises(KeyboardInterrupt, interrupted)
        self.assertEqual([demo_transport.INTERRUPTED_SHUTDOWN_TIMEOUT], waits)

    def test_fake_transport_needs_no_check(self):
        conf = demo_transport.make_conf(argparse.Namespace(
            config_file=None, topic=None, timeout=None))
        transport = demo_transport.transport(conf, 'fake://')
        self.addCleanup(transport.cleanup)
        self.assertIsNone(demo_transport.check_broker(conf, transport,
                                                      'fake://'))

    def test_refused_broker_in_process(self):
        conf = demo_transport.make_conf(argparse.Namespace(
            config_file=None, topic=None, timeout=5))
        url = 'rabbit://127.0.0.1:%d/' % closed_port()
        transport = demo_transport.transport(conf, url)
        self.addCleanup(demo_transport.run_bounded, transport.cleanup, 5,
                        'cleanup')
        exc = self.assertRaises(demo_transport.BrokerUnreachable,
                                demo_transport.check_broker, conf,
                                transport, url)
        self.assertEqual(status.UNREACHABLE, exc.exit_status)
        self.assertIn('within 5s', str(exc))
