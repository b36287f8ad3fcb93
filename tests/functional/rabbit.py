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

"""A private RabbitMQ node for the functional tests.

The node listens on 127.0.0.1 only, on free ports, with its own epmd, data
and log directories in a temporary directory, no plugins, and a node name
of its own, so it can run beside any other broker. It needs Debian's
``rabbitmq-server`` (bindep.txt).
"""

import glob
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import amqp
import fixtures

LOG = logging.getLogger(__name__)

#: Debian's scripts; the ones in /usr/sbin switch to the rabbitmq user.
SERVER_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server'
START_TIMEOUT = 90.0
STOP_TIMEOUT = 30.0


class BrokerUnavailable(Exception):
    """RabbitMQ could not be installed or started."""


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def ensure_installed():
    """Fail with one line when Debian's rabbitmq-server is missing.

    The tests do not install system packages themselves: ``tox -e bindep``
    (the first env of a plain ``tox``) installs what bindep.txt lists.
    """
    if not os.access(SERVER_SCRIPT, os.X_OK):
        raise BrokerUnavailable(
            '%s not found: install the Debian package rabbitmq-server '
            '(bindep.txt; as root: tox -e bindep)' % SERVER_SCRIPT)


def _epmd_binary():
    found = shutil.which('epmd') or sorted(
        glob.glob('/usr/lib/erlang/erts-*/bin/epmd'))[-1:]
    if isinstance(found, list):
        found = found[0] if found else None
    if not found:
        raise BrokerUnavailable('epmd (Erlang) not found')
    return found


def live_group_members(pgid):
    """Pids of processes in group ``pgid`` that are not zombies.

    Zombies count as gone: in a container nobody may ever reap them.
    """
    members = []
    for stat in glob.glob('/proc/[0-9]*/stat'):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except (OSError, IndexError):
            continue
        # fields[0] is the state, fields[2] the process group.
        if int(fields[2]) == pgid and fields[0] != 'Z':
            members.append(int(stat.split('/')[2]))
    return members


class RabbitServer(fixtures.Fixture):
    """A private RabbitMQ node on 127.0.0.1; ``url`` reaches it.

    Its files go under ``basedir`` (default: tempfile's directory).
    """

    def __init__(self, basedir=None):
        super().__init__()
        self.basedir = basedir

    def _setUp(self):
        ensure_installed()
        self.tmp = tempfile.mkdtemp(prefix='os-vif-hostinfo-rabbit-',
                                    dir=self.basedir)
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.port = free_port()
        self.dist_port = free_port()
        self.epmd_port = free_port()
        self.node = 'hostinfo%s@localhost' % uuid.uuid4().hex[:10]
        self.url = 'rabbit://guest:guest@127.0.0.1:%d/' % self.port
        self.env = self._environment()
        self.epmd = None
        self.server = None
        # Registered before anything starts: stopped even if start fails.
        self.addCleanup(self._stop_epmd)
        self.addCleanup(self.stop)
        self._start_epmd()
        self.start()

    def _environment(self):
        conf = os.path.join(self.tmp, 'rabbitmq.conf')
        with open(conf, 'w') as f:
            f.write('listeners.tcp.1 = 127.0.0.1:%d\n' % self.port)
            f.write('loopback_users.guest = true\n')
            f.write('log.console = false\n')
            f.write('log.file.level = info\n')
            f.write('disk_free_limit.absolute = 1MB\n')
        plugins = os.path.join(self.tmp, 'enabled_plugins')
        with open(plugins, 'w') as f:
            f.write('[].\n')
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(('RABBITMQ_', 'ERL_'))}
        env.update({
            'HOME': self.tmp,  # the Erlang cookie lives here
            'RABBITMQ_NODENAME': self.node,
            'RABBITMQ_NODE_IP_ADDRESS': '127.0.0.1',
            'RABBITMQ_NODE_PORT': str(self.port),
            'RABBITMQ_DIST_PORT': str(self.dist_port),
            'RABBITMQ_MNESIA_BASE': os.path.join(self.tmp, 'mnesia'),
            'RABBITMQ_LOG_BASE': os.path.join(self.tmp, 'log'),
            'RABBITMQ_CONFIG_FILE': conf,
            'RABBITMQ_ADVANCED_CONFIG_FILE': os.path.join(
                self.tmp, 'advanced.config'),
            'RABBITMQ_CONF_ENV_FILE': os.path.join(self.tmp, 'env.conf'),
            'RABBITMQ_ENABLED_PLUGINS_FILE': plugins,
            'RABBITMQ_PID_FILE': os.path.join(self.tmp, 'rabbit.pid'),
            'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS':
                '-kernel inet_dist_use_interface {127,0,0,1}',
            'ERL_EPMD_ADDRESS': '127.0.0.1',
            'ERL_EPMD_PORT': str(self.epmd_port),
        })
        return env

    def _start_epmd(self):
        # Our own epmd in the foreground, so that it is ours to stop; the
        # node would otherwise leave a daemon behind.
        self.epmd = subprocess.Popen(
            [_epmd_binary(), '-port', str(self.epmd_port)], env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

    def _stop_epmd(self):
        if self.epmd is not None and self.epmd.poll() is None:
            self.epmd.terminate()
            try:
                self.epmd.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.epmd.kill()
                self.epmd.wait()

    def start(self):
        """Start the node and wait until it answers AMQP (bounded)."""
        log = open(os.path.join(self.tmp, 'startup.log'), 'ab')
        try:
            self.server = subprocess.Popen(
                [SERVER_SCRIPT], env=self.env, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        finally:
            log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise BrokerUnavailable('rabbitmq-server exited with %s: %s'
                                        % (self.server.returncode,
                                           self.startup_log()))
            if self.answers():
                LOG.info('RabbitMQ node %s answers on 127.0.0.1:%d',
                         self.node, self.port)
                return
            time.sleep(0.25)
        raise BrokerUnavailable('RabbitMQ did not answer within %ss: %s'
                                % (START_TIMEOUT, self.startup_log()))

    def answers(self):
        """True if the node completes an AMQP handshake."""
        try:
            conn = amqp.Connection('127.0.0.1:%d' % self.port,
                                   userid='guest', password='guest',
                                   connect_timeout=1)
            conn.connect()
        except Exception:
            return False
        try:
            conn.close()
        except Exception:
            pass
        return True

    def stop(self):
        """Stop the node (its whole process group); epmd keeps running."""
        server, self.server = self.server, None
        if server is None or server.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT),
                          (signal.SIGKILL, 10.0)):
            try:
                os.killpg(server.pid, sig)
            except ProcessLookupError:
                return
            try:
                server.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # beam may outlive the script for a moment.
            if self._group_gone(server.pid, wait):
                return
        LOG.warning('RabbitMQ process group %d did not stop', server.pid)

    @staticmethod
    def _group_gone(pgid, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not live_group_members(pgid):
                return True
            time.sleep(0.1)
        return False

    def restart(self):
        """Stop and start the same node (same ports, same data)."""
        self.stop()
        self.start()

    def startup_log(self):
        path = os.path.join(self.tmp, 'startup.log')
        try:
            with open(path, errors='replace') as f:
                return f.read()[-2000:]
        except OSError:
            return '(no startup log)'
