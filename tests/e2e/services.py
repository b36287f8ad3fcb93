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

"""Processes of the control plane: started, waited for, stopped by PID.

Each process runs in a session (process group) of its own, so stopping it
stops its children too (gunicorn's workers, oslo.service's). On Linux a
process is also told to die with the test process that started it
(``PR_SET_PDEATHSIG``), so a test runner killed mid-run leaves nothing
behind. Whatever cannot start raises :class:`ServiceUnavailable` with one
line naming what is missing.
"""

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from tests.functional import rabbit

STOP_TIMEOUT = 20.0

_PR_SET_PDEATHSIG = 1
#: A free TCP port on 127.0.0.1 (shared with the RabbitMQ fixture).
free_port = rabbit.free_port


class ServiceUnavailable(Exception):
    """A service of the control plane could not be started."""


def _die_with_parent():
    try:
        libc = ctypes.CDLL('libc.so.6', use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def require(path, package):
    """``path`` if it is executable, else one line naming the package."""
    found = path if os.path.isabs(path) else shutil.which(path)
    if not found or not os.access(found, os.X_OK):
        raise ServiceUnavailable(
            '%s not found: install the Debian package %s (bindep.txt; as '
            'root: tox -e bindep)' % (path, package))
    return found


class Process:
    """One started process (and its group), with its log in a file."""

    def __init__(self, name, argv, logdir, env=None, cwd=None):
        self.name = name
        self.argv = list(argv)
        self.env = env
        self.cwd = cwd
        self.log_path = os.path.join(logdir, '%s.log' % name)
        self.popen = None

    @property
    def pid(self):
        return self.popen.pid if self.popen is not None else None

    def start(self):
        log = open(self.log_path, 'ab')
        try:
            self.popen = subprocess.Popen(
                self.argv, env=self.env, cwd=self.cwd, stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=_die_with_parent)
        except OSError as exc:
            raise ServiceUnavailable('%s could not start: %s'
                                     % (self.name, exc)) from None
        finally:
            log.close()
        return self

    def running(self):
        return self.popen is not None and self.popen.poll() is None

    def log(self, tail=4000):
        """The end of the process's output."""
        try:
            with open(self.log_path, errors='replace') as f:
                return f.read()[-tail:]
        except OSError:
            return '(no log)'

    def wait_until(self, ready, timeout, what):
        """Poll ``ready()`` until true; fail at once if the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise ServiceUnavailable(
                    '%s exited with status %s before %s; its log ends: %s'
                    % (self.name, self.popen.returncode if self.popen
                       else None, what, self._last_line()))
            if ready():
                return
            time.sleep(0.2)
        raise ServiceUnavailable('%s did not get %s within %.0f s; its log '
                                 'ends: %s' % (self.name, what, timeout,
                                               self._last_line()))

    def _last_line(self):
        lines = [line for line in self.log(2000).splitlines()
                 if line.strip()]
        return lines[-1] if lines else '(nothing)'

    def signal(self, sig):
        if self.running():
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self):
        """SIGKILL the whole group at once (a crash)."""
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.popen.wait()
        self._wait_group_gone(10.0)

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM the group, then SIGKILL; True if it ended in time."""
        if self.popen is None:
            return True
        pgid = self.popen.pid
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            if self._wait_group_gone(wait):
                return sig == signal.SIGTERM
        return False

    def _wait_group_gone(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not rabbit.live_group_members(self.popen.pid):
                return True
            time.sleep(0.1)
        return False


def listening(port):
    """True if something accepts TCP connections on 127.0.0.1:port."""
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1):
            return True
    except OSError:
        return False


class MariaDB:
    """A private MariaDB server on 127.0.0.1, data in a temporary dir."""

    SERVER = '/usr/sbin/mariadbd'
    INSTALL_DB = '/usr/bin/mariadb-install-db'
    START_TIMEOUT = 60.0

    def __init__(self, workdir):
        self.dir = os.path.join(workdir, 'mariadb')
        self.datadir = os.path.join(self.dir, 'data')
        self.socket = os.path.join(self.dir, 'mysqld.sock')
        self.port = None
        self.process = None

    def url(self, database):
        return ('mysql+pymysql://neutron:neutron@127.0.0.1:%d/%s'
                '?charset=utf8' % (self.port, database))

    def start(self):
        server = require(self.SERVER, 'mariadb-server')
        install = require(self.INSTALL_DB, 'mariadb-server')
        os.makedirs(self.dir, exist_ok=True)
        user = ['--user=root'] if os.geteuid() == 0 else []
        if not os.path.isdir(os.path.join(self.datadir, 'mysql')):
            proc = subprocess.run(
                [install, '--no-defaults', '--datadir=%s' % self.datadir,
                 '--auth-root-authentication-method=normal',
                 '--skip-test-db'] + user,
                capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise ServiceUnavailable(
                    'mariadb-install-db failed: %s'
                    % (proc.stderr or proc.stdout).strip()[-300:])
        self.port = free_port()
        self.process = Process('mariadb', [
            server, '--no-defaults', '--datadir=%s' % self.datadir,
            '--socket=%s' % self.socket, '--port=%d' % self.port,
            '--bind-address=127.0.0.1', '--skip-name-resolve',
            '--pid-file=%s' % os.path.join(self.dir, 'mysqld.pid'),
            '--innodb-buffer-pool-size=256M',
            '--innodb-flush-log-at-trx-commit=2',
            '--max-connections=500', '--log-error=%s' % os.path.join(
                self.dir, 'error.log')] + user, self.dir).start()
        self.process.wait_until(lambda: os.path.exists(self.socket)
                                and listening(self.port),
                                self.START_TIMEOUT, 'its socket')
        self._execute([
            "CREATE USER IF NOT EXISTS 'neutron'@'127.0.0.1' "
            "IDENTIFIED BY 'neutron'",
            "GRANT ALL PRIVILEGES ON *.* TO 'neutron'@'127.0.0.1'"])

    def create_database(self, name):
        self._execute(['DROP DATABASE IF EXISTS `%s`' % name,
                       'CREATE DATABASE `%s` CHARACTER SET utf8' % name])

    def _execute(self, statements):
        import pymysql
        conn = pymysql.connect(unix_socket=self.socket, user='root',
                               connect_timeout=10)
        try:
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
            conn.commit()
        finally:
            conn.close()

    def query(self, database, sql, args=None):
        """Rows of ``sql`` run directly on the database (not via Neutron)."""
        import pymysql
        conn = pymysql.connect(unix_socket=self.socket, user='root',
                               database=database, connect_timeout=10)
        try:
            with conn.cursor() as cur:
                cur.execute(sql, args)
                rows = cur.fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()

    def stop(self):
        if self.process is not None:
            self.process.stop()


def make_workdir():
    """A directory that outlives the test that starts the control plane.

    oslotest points ``tempfile`` at a directory of each test's own
    (``fixtures.NestedTempfile``), removed when that test ends; the control
    plane serves the whole run, so it lives under the real TMPDIR.
    """
    return tempfile.mkdtemp(prefix='os-vif-hostinfo-e2e-',
                            dir=os.environ.get('TMPDIR') or '/tmp')
