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

"""The agent as an oslo.service service: describe, report, rediscover.

Shaped like Neutron's own agents: one ``_report_state`` method on a
``FixedIntervalLoopingCall`` every ``[AGENT] report_interval``, with the
state RPC client (``neutron.agent.rpc.PluginReportStateAPI``) made once.
A failed report is logged once, and its recovery once; the agent never
dies of one. ``start_flag`` is set, and an INFO line logged, only when the
``configurations`` changed since the last report the server took.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from neutron.agent import rpc as agent_rpc
from neutron_lib.agent import topics
from neutron_lib import context as n_context
from oslo_config import cfg
from oslo_service import loopingcall
from oslo_service import service

from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron.agent import config
from os_vif_hostinfo.neutron import report
from os_vif_hostinfo import objects

LOG = logging.getLogger(__name__)

#: The ``topic`` of the agent's row: it listens on none.
AGENT_TOPIC = 'N/A'


def describe(info: objects.HostInfo) -> list[str]:
    """One line per plugin and VIF class, sorted: what the log shows."""
    return sorted('%s %s %s-%s' % (p.plugin_name, v.vif_object_name,
                                   v.min_version, v.max_version)
                  for p in info.plugin_info for v in p.vif_info)


class HostInfoAgent(service.ServiceBase):
    """Reports this compute host's HostInfo to neutron-server.

    :param conf: the configuration, with :func:`.config.register_opts`
        applied.
    :param state_rpc: the state-report client; by default Neutron's
        ``PluginReportStateAPI`` on ``q-reports-plugin``.
    :param provider: discovers the plugins; by default this host's.
    :param context: the request context of the reports; by default an
        admin context without session, as Neutron's agents use.
    """

    def __init__(self, conf: cfg.ConfigOpts | None = None,
                 state_rpc: Any = None,
                 provider: discovery.HostInfoProvider | None = None,
                 context: Any = None) -> None:
        self.conf = conf if conf is not None else cfg.CONF
        self.context = (context if context is not None
                        else n_context.get_admin_context_without_session())
        self.state_rpc = (state_rpc if state_rpc is not None
                          else agent_rpc.PluginReportStateAPI(topics.REPORTS))
        self.provider = (provider if provider is not None
                         else discovery.HostInfoProvider())
        self.host: str = self.conf.host
        self._lock = threading.Lock()
        self._configurations: dict[str, Any] | None = None
        self._described: list[str] | None = None
        self._launched: list[str] | None = None
        self._reported: dict[str, Any] | None = None
        self._failing = False
        self._stopped = threading.Event()
        self._calls: list[loopingcall.FixedIntervalLoopingCall] = []

    @property
    def configurations(self) -> dict[str, Any] | None:
        """What the next report carries (None before the first discovery)."""
        with self._lock:
            return self._configurations

    # -- oslo.service -------------------------------------------------------

    def remember_launch(self) -> None:
        """Describe the host once, before the launcher starts a worker.

        The launcher (oslo.service's threading backend) restarts its
        worker on SIGHUP from the process it launched, which keeps this
        description: the new worker logs what changed since the agent
        started.
        """
        group = self.conf[config.GROUP_NAME]
        self.provider.refresh()
        self._launched = describe(self.provider.host_info(
            group.vif_types or None))

    def start(self) -> None:
        """Describe the host, then report and rediscover on timers."""
        group = self.conf[config.GROUP_NAME]
        self._stopped.clear()
        self.rediscover()
        with self._lock:
            described = self._described or []
        if self._launched is not None and described != self._launched:
            self._log_change('changed since the agent started',
                             self._launched, described)
        heartbeat = loopingcall.FixedIntervalLoopingCall(self._report_state)
        heartbeat.start(interval=self.conf.AGENT.report_interval)
        self._calls = [heartbeat]
        if group.rediscover_interval:
            again = loopingcall.FixedIntervalLoopingCall(
                self._rediscover_and_report)
            again.start(interval=group.rediscover_interval,
                        initial_delay=group.rediscover_interval)
            self._calls.append(again)
        LOG.info('%(binary)s started on host %(host)s: reporting every '
                 '%(interval)s s',
                 {'binary': report.AGENT_BINARY, 'host': self.host,
                  'interval': self.conf.AGENT.report_interval})

    def stop(self) -> None:
        """Stop the timers; a report under way is not waited for."""
        for call in self._calls:
            call.stop()
        self._calls = []
        self._stopped.set()

    def wait(self) -> None:
        """Return once :meth:`stop` was called."""
        self._stopped.wait()

    def reset(self) -> None:
        """On restart (SIGHUP): describe the host again at next start."""
        with self._lock:
            self._configurations = None

    # -- the work -----------------------------------------------------------

    def rediscover(self) -> bool:
        """Describe the installed plugins again; True if the report changed.

        A change is logged at INFO, naming what was added and removed.
        Never raises: a description that cannot be reported is logged at
        ERROR and the agent reports without HostInfo.
        """
        group = self.conf[config.GROUP_NAME]
        self.provider.refresh()
        info = self.provider.host_info(group.vif_types or None)
        base = {'vif_types': list(group.vif_types),
                'max_version': group.max_version,
                'log_agent_heartbeats': self.conf.AGENT.log_agent_heartbeats}
        try:
            configurations = report.agent_configurations(
                info, group.max_version, base)
        except exception.HostInfoError as exc:
            LOG.error('Host %(host)s: reporting no HostInfo: %(error)s',
                      {'host': self.host, 'error': exc})
            configurations = base
            if (report.configurations_length(configurations)
                    > report.MAX_CONFIGURATIONS_LENGTH):
                configurations = {}
        described = describe(info)
        with self._lock:
            before, self._described = self._described, described
            changed = configurations != self._configurations
            self._configurations = configurations
        if before is None:
            LOG.info('Host %(host)s offers: %(now)s',
                     {'host': self.host,
                      'now': '; '.join(described) or 'no VIF class'})
        elif changed:
            self._log_change('changed', before, described)
        return changed

    def _log_change(self, what: str, before: list[str],
                    now: list[str]) -> None:
        added = sorted(set(now) - set(before))
        removed = sorted(set(before) - set(now))
        LOG.info('Host %(host)s %(what)s: added %(added)s; removed '
                 '%(removed)s', {'host': self.host, 'what': what,
                                 'added': '; '.join(added) or '-',
                                 'removed': '; '.join(removed) or '-'})

    def agent_state(self) -> dict[str, Any]:
        """A new state report, as Neutron's agents send it."""
        with self._lock:
            configurations = self._configurations
        state: dict[str, Any] = {
            'binary': report.AGENT_BINARY,
            'host': self.host,
            'topic': AGENT_TOPIC,
            'agent_type': report.AGENT_TYPE,
            'configurations': dict(configurations or {}),
        }
        if configurations != self._reported:
            state['start_flag'] = True
        return state

    def _rediscover_and_report(self) -> None:
        try:
            changed = self.rediscover()
        except Exception:
            LOG.exception('Host %s: could not describe the installed '
                          'plugins', self.host)
            return
        if changed:
            self._report_state()

    def _report_state(self) -> None:
        state = self.agent_state()
        try:
            status = self.state_rpc.report_state(self.context, state, True)
        except Exception:
            if not self._failing:
                LOG.exception('Host %s: failed reporting state; retrying '
                              'every report interval', self.host)
            else:
                LOG.debug('Host %s: failed reporting state again',
                          self.host, exc_info=True)
            self._failing = True
            return
        if self._failing:
            self._failing = False
            LOG.info('Host %s: reported state again after a failure',
                     self.host)
        if 'start_flag' in state:
            self._reported = state['configurations']
            LOG.info('Host %(host)s: reported HostInfo %(versions)s in '
                     '%(size)d characters (agent status: %(status)s)',
                     {'host': self.host,
                      'versions': ', '.join(report.report_versions(
                          state['configurations'])) or 'none',
                      'size': report.configurations_length(
                          state['configurations']),
                      'status': status})
