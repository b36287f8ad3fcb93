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

"""A Neutron control plane as it is deployed, on 127.0.0.1.

:class:`ControlPlane` starts, on free loopback ports:

* MariaDB, and runs the real ``neutron-db-manage upgrade heads`` on it;
* a private RabbitMQ node (:class:`tests.functional.rabbit.RabbitServer`);
* the Neutron API, the WSGI application ``neutron.wsgi.api:application``
  under gunicorn (through :mod:`tests.e2e.wsgi_api`);
* ``neutron-rpc-server``, which agents report to.

It writes ``neutron.conf`` and ``ml2_conf.ini`` naming this library's
mechanism driver before upstream's openvswitch driver, and gives tests an
openstacksdk ``Connection`` that speaks as Nova does (``noauth`` with the
``admin,service`` roles, as needed to write ``binding:profile``).

One control plane serves the whole test run (:func:`get`): it is started
on first use and stopped, process by process, when the test process exits;
each of its processes also dies with the test process.
"""

import atexit
import json
import logging
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.e2e import services

LOG = logging.getLogger(__name__)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
#: The roles Nova's requests carry: writing binding:profile needs service.
SERVICE_HEADERS = {'X-Roles': 'admin,service', 'X-User-Id': 'nova',
                   'X-Project-Id': 'service'}
#: The project of the tests' networks and ports (noauth needs one named).
PROJECT_ID = 'e2e-project'
#: Short intervals, so that agent tests take seconds.
REPORT_INTERVAL = 2
AGENT_DOWN_TIME = 6
#: This library's reference driver, then upstream's Open vSwitch driver.
MECHANISM_DRIVERS = 'os_vif_hostinfo,openvswitch'
#: VIF classes the reference driver offers (most preferred first).
VIF_CLASSES = 'VIFOpenVSwitch,VIFVHostUser'
API_START_TIMEOUT = 120.0
#: No request of a test waits longer than this for the API.
HTTP_TIMEOUT = 180
RPC_START_TIMEOUT = 120.0
MIGRATE_TIMEOUT = 600


def _bin(name):
    """A console script of this Python environment."""
    path = os.path.join(os.path.dirname(sys.executable), name)
    if not os.access(path, os.X_OK):
        raise services.ServiceUnavailable(
            '%s not found beside %s: run the tests with tox -e e2e'
            % (name, sys.executable))
    return path


def _ini(sections):
    lines = []
    for section, options in sections.items():
        lines.append('[%s]' % section)
        for key, value in options.items():
            if value is not None:
                lines.append('%s = %s' % (key, value))
        lines.append('')
    return '\n'.join(lines)


class Api:
    """One Neutron API process (gunicorn) and a Connection to it."""

    def __init__(self, plane, name, conf_files, workers, port=None):
        #: The WSGI application gunicorn serves, as module:name.
        self.app = plane.wsgi_app
        self.plane = plane
        self.name = name
        self.conf_files = conf_files
        self.workers = workers
        self.port = port or services.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.process = None
        self._conn = None

    def start(self):
        env = dict(os.environ,
                   OS_NEUTRON_CONFIG_DIR=self.plane.workdir,
                   OS_NEUTRON_CONFIG_FILES=';'.join(
                       os.path.basename(f) for f in self.conf_files),
                   PYTHONPATH=ROOT)
        self.process = services.Process(self.name, [
            sys.executable, '-m', 'gunicorn', '--workers', str(self.workers),
            '--bind', '127.0.0.1:%d' % self.port, '--timeout', '300',
            '--graceful-timeout', '5', '--pythonpath', ROOT,
            self.app],
            self.plane.workdir, env=env).start()
        self.plane.track(self.process)
        self.process.wait_until(self.answers, API_START_TIMEOUT,
                                'the API answering on %s' % self.url)
        return self

    def answers(self):
        req = urllib.request.Request(self.url + '/v2.0/networks?limit=1',
                                     headers=SERVICE_HEADERS)
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status == 200
        except (urllib.error.URLError, OSError):
            return False

    @property
    def conn(self):
        """openstacksdk Connection to this API, with Nova's roles."""
        if self._conn is None:
            self._conn = connect(self.url)
        return self._conn

    def stop(self):
        if self.process is not None:
            self.process.stop()
        self._conn = None


def connect(url, headers=None):
    """An openstacksdk Connection to the Neutron API at ``url`` (noauth)."""
    from keystoneauth1 import noauth
    from keystoneauth1 import session
    import openstack.connection
    sess = session.Session(auth=noauth.NoAuth(), timeout=HTTP_TIMEOUT,
                           additional_headers=dict(
                               SERVICE_HEADERS if headers is None
                               else headers))
    return openstack.connection.Connection(
        session=sess, network_endpoint_override=url,
        network_api_version='2')


class ControlPlane:
    """MariaDB, RabbitMQ, the Neutron API and neutron-rpc-server."""

    report_interval = REPORT_INTERVAL

    def __init__(self, api_workers=1, ml2_options=None,
                 agent_down_time=AGENT_DOWN_TIME,
                 wsgi_app='tests.e2e.wsgi_api:application',
                 mechanism_drivers=MECHANISM_DRIVERS):
        self.api_workers = api_workers
        self.mechanism_drivers = mechanism_drivers
        self.agent_down_time = agent_down_time
        self.wsgi_app = wsgi_app
        self.ml2_options = dict(ml2_options or {})
        self.workdir = services.make_workdir()
        self.processes = []
        self.db = None
        self.rabbit = None
        self.api = None
        self.rpc = None
        self.extra_apis = []
        #: Processes started by tests with :meth:`spawn`.
        self.spawned = []
        self._network_id = None

    # -- life cycle --------------------------------------------------------

    def start(self):
        """Start every service; on failure stop what started and raise."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        began = time.monotonic()
        _bin('neutron-rpc-server')
        self.db = services.MariaDB(self.workdir)
        self.db.start()
        self.track(self.db.process)
        self.db.create_database('neutron')
        self.db_url = self.db.url('neutron')
        from tests.functional import rabbit
        self.rabbit = rabbit.RabbitServer(basedir=self.workdir)
        try:
            self.rabbit.setUp()
        except rabbit.BrokerUnavailable as exc:
            raise services.ServiceUnavailable(
                'RabbitMQ: %s' % str(exc).splitlines()[0]) from None
        self.transport_url = self.rabbit.url
        self.config_files = self._write_config()
        self._migrate()
        self.rpc = self._start_rpc()
        self.api = Api(self, 'neutron-api', self.config_files,
                       self.api_workers).start()
        LOG.info('control plane up in %.1f s (API %s)',
                 time.monotonic() - began, self.api.url)

    def track(self, process):
        self.processes.append(process)

    def stop(self):
        """Stop every process by PID, newest first; then remove files."""
        for process in reversed(self.processes):
            process.stop()
        self.processes = []
        if self.rabbit is not None:
            self.rabbit.cleanUp()
            self.rabbit = None
        if os.environ.get('OS_VIF_HOSTINFO_E2E_KEEP') != '1':
            shutil.rmtree(self.workdir, ignore_errors=True)

    # -- configuration -------------------------------------------------------

    def _write_config(self, name='', ml2_options=None):
        """neutron.conf and ml2_conf.ini; ``name`` tells variants apart."""
        state = os.path.join(self.workdir, 'state')
        os.makedirs(os.path.join(state, 'lock'), exist_ok=True)
        paste = os.path.join(sys.prefix, 'etc', 'neutron', 'api-paste.ini')
        if not os.path.exists(paste):
            raise services.ServiceUnavailable(
                'neutron api-paste.ini not found at %s' % paste)
        neutron_conf = _ini({
            'DEFAULT': {
                'core_plugin': 'ml2',
                'service_plugins': '',
                'auth_strategy': 'noauth',
                'transport_url': self.transport_url,
                'api_paste_config': paste,
                'state_path': state,
                'agent_down_time': self.agent_down_time,
                'rpc_workers': 1,
                'rpc_state_report_workers': 0,
                'notify_nova_on_port_status_changes': 'false',
                'notify_nova_on_port_data_changes': 'false',
                'dhcp_agent_notification': 'false',
                'use_stderr': 'true',
            },
            'database': {'connection': self.db_url,
                         'max_pool_size': 20},
            'oslo_concurrency': {'lock_path': os.path.join(state, 'lock')},
            'oslo_policy': {'enforce_new_defaults': 'false'},
        })
        options = {'vif_classes': VIF_CLASSES}
        options.update(self.ml2_options)
        options.update(ml2_options or {})
        ml2_conf = _ini({
            'ml2': {'type_drivers': 'vxlan',
                    'tenant_network_types': 'vxlan',
                    'mechanism_drivers': self.mechanism_drivers},
            'ml2_type_vxlan': {'vni_ranges': '1:1000'},
            'ml2_os_vif_hostinfo': options,
        })
        paths = []
        for base, text in (('neutron', neutron_conf), ('ml2_conf', ml2_conf)):
            path = os.path.join(self.workdir,
                                '%s%s.conf' % (base, name and '-' + name))
            if base == 'ml2_conf':
                path = path[:-len('.conf')] + '.ini'
            with open(path, 'w') as f:
                f.write(text)
            paths.append(path)
        return paths

    def _config_args(self, files=None):
        args = []
        for path in files or self.config_files:
            args += ['--config-file', path]
        return args

    def _migrate(self):
        began = time.monotonic()
        proc = subprocess.run(
            [_bin('neutron-db-manage')] + self._config_args()
            + ['upgrade', 'heads'], capture_output=True, text=True,
            timeout=MIGRATE_TIMEOUT)
        if proc.returncode != 0:
            lines = (proc.stderr or proc.stdout).strip().splitlines()
            raise services.ServiceUnavailable(
                'neutron-db-manage upgrade heads failed: %s'
                % (lines[-1] if lines else proc.returncode))
        self.migrate_seconds = time.monotonic() - began

    def _start_rpc(self):
        process = services.Process(
            'neutron-rpc-server',
            [_bin('neutron-rpc-server')] + self._config_args(),
            self.workdir).start()
        self.track(process)
        # Ready when its state-report consumer is on the broker.
        process.wait_until(self._rpc_ready, RPC_START_TIMEOUT,
                           'its q-reports-plugin consumer')
        return process

    def _rpc_ready(self):
        return 'q-reports-plugin' in self.rabbit_queues()

    def rabbit_queues(self):
        """Queues with a consumer on the private broker."""
        ctl = '/usr/lib/rabbitmq/bin/rabbitmqctl'
        proc = subprocess.run(
            [ctl, '-n', self.rabbit.node, 'list_queues', '-q', 'name',
             'consumers'], env=self.rabbit.env, capture_output=True,
            text=True, timeout=60)
        queues = set()
        for line in proc.stdout.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit() and int(parts[1]):
                queues.add(parts[0])
        return queues

    # -- what tests use ------------------------------------------------------

    @property
    def conn(self):
        return self.api.conn

    @property
    def api_url(self):
        return self.api.url

    @property
    def network_id(self):
        if self._network_id is None:
            self._network_id = self.conn.network.create_network(
                name='e2e-net', project_id=PROJECT_ID).id
        return self._network_id

    def new_port(self, conn=None, **attrs):
        """A port as Nova's instance port: owned by compute:nova."""
        attrs.setdefault('device_owner', 'compute:nova')
        attrs.setdefault('project_id', PROJECT_ID)
        return (conn or self.conn).network.create_port(
            network_id=self.network_id, **attrs)

    def start_api(self, workers=1, **ml2_options):
        """Another API process on the same database, with other options.

        E.g. ``start_api(pin='1.0')``: a Neutron of an older release
        during a rolling upgrade. It is stopped at exit, or by ``stop()``.
        """
        name = 'api%d' % (len(self.extra_apis) + 1)
        files = self._write_config(name, ml2_options)
        api = Api(self, 'neutron-%s' % name, files, workers).start()
        self.extra_apis.append(api)
        return api

    def restart_api(self, workers=None, **ml2_options):
        """Restart the main API with other ``[ml2_os_vif_hostinfo]``.

        It comes back on the same URL, as an upgraded neutron-server does;
        ``restart_api()`` alone restores the default options.
        """
        self.api.stop()
        self.config_files = self._write_config(ml2_options=ml2_options)
        self.api = Api(self, 'neutron-api', self.config_files,
                       workers or self.api_workers,
                       port=self.api.port).start()
        return self.api

    def restart_rpc(self):
        self.rpc.stop()
        self.rpc = self._start_rpc()

    def restart_rabbit(self):
        self.rabbit.restart()

    def spawn(self, argv, name, env=None):
        """Start a process (e.g. an agent), stopped at exit."""
        process = services.Process(name, argv, self.workdir, env=env)
        process.start()
        self.track(process)
        self.spawned.append(process)
        return process

    def stop_spawned(self):
        """Stop what tests spawned (agents), leaving the services up."""
        for process in self.spawned:
            process.stop()
        self.spawned = []

    def agent_config(self, host, name=None, **sections):
        """A neutron.conf for a compute host's agent; returns its path.

        ``sections`` adds groups: ``agent_config('compute-1',
        os_vif_hostinfo_agent={'vif_types': 'VIFOpenVSwitch'})``.
        """
        conf = {
            'DEFAULT': {'host': host, 'transport_url': self.transport_url,
                        'use_stderr': 'true'},
            'AGENT': {'report_interval': self.report_interval},
        }
        for section, options in sections.items():
            conf.setdefault(section, {}).update(options)
        path = os.path.join(self.workdir,
                            '%s-%s.conf' % (name or 'agent', host))
        with open(path, 'w') as f:
            f.write(_ini(conf))
        return path

    def report_state(self, host, configurations,
                     agent_type='os-vif HostInfo agent',
                     binary='os-vif-hostinfo-agent', timeout=120):
        """Report an agent's state once through PluginReportStateAPI.

        ``configurations`` may be a list: one report each, in order. Runs
        in a subprocess (:mod:`tests.e2e.report_state`), as an agent would.
        """
        reports = (configurations if isinstance(configurations, list)
                   else [configurations])
        # PluginReportStateAPI waits report_interval for an answer; a
        # fresh server's first report can take longer than the agents'.
        conf = self.agent_config(host, name='report',
                                 AGENT={'report_interval': 60})
        args = [sys.executable, '-m', 'tests.e2e.report_state',
                '--config-file', conf, '--agent-type', agent_type,
                '--binary', binary]
        proc = subprocess.run(args, input=json.dumps(reports), text=True,
                              capture_output=True, timeout=timeout, cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=ROOT))
        if proc.returncode != 0:
            raise AssertionError('report_state failed: %s'
                                 % proc.stderr.strip()[-1000:])
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def agents_rows(self, **where):
        """Rows of the agents table, read from MariaDB itself."""
        sql = ('SELECT host, agent_type, `binary`, configurations, '
               'heartbeat_timestamp FROM agents')
        args = []
        if where:
            sql += ' WHERE ' + ' AND '.join('`%s` = %%s' % k for k in where)
            args = list(where.values())
        return self.db.query('neutron', sql, args)


_CLOUD = None
_FAILED = None


def get():
    """The control plane of this test run, started on first call.

    A control plane that could not start raises the same one-line
    ServiceUnavailable for every test, without trying again.
    """
    global _CLOUD, _FAILED
    if _FAILED is not None:
        raise services.ServiceUnavailable(_FAILED)
    if _CLOUD is None:
        plane = ControlPlane()
        try:
            plane.start()
        except services.ServiceUnavailable as exc:
            _FAILED = str(exc)
            raise
        atexit.register(plane.stop)
        _CLOUD = plane
    return _CLOUD
