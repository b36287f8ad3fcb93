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

"""The "os-vif HostInfo" check of ``neutron-status upgrade check``.

``neutron-status`` loads every class registered in the
``neutron.status.upgrade.checks`` entry-point namespace and runs the checks
its ``get_checks()`` names. Like Neutron's own checks, this one reads the
database with SQLAlchemy queries on the table models, never through
Neutron's object model, so that it runs against the previous release's
schema as well. It reads the ``agents`` rows of the HostInfo agents and
the hosts of bound compute ports, and sums them up with
:func:`os_vif_hostinfo.neutron.fleet.survey` at the configured
``[ml2_os_vif_hostinfo] pin``:

- Failure: an alive agent's report cannot be read at that pin by this
  release; that host's ports would fail to bind.
- Warning: compute hosts bind ports with no HostInfo (neither a HostInfo
  agent nor a profile carrying it), or HostInfo agents are dead.
- Success otherwise. Every Warning and Failure names the hosts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from neutron.agent.common import utils as agent_utils
from neutron.conf.agent.database import agents_db as agents_conf
from neutron.db.models import agent as agent_model
from neutron.db import models_v2
from neutron.plugins.ml2 import models as ml2_models
from neutron_lib import constants
from neutron_lib import context
from neutron_lib.db import api as db_api
from neutron_lib.utils import upgrade_checks
from oslo_config import cfg
from oslo_serialization import jsonutils
from oslo_upgradecheck import upgradecheck

from os_vif_hostinfo.neutron import fleet
from os_vif_hostinfo.neutron.ml2 import config
from os_vif_hostinfo.neutron import report

#: The check's name, as ``neutron-status upgrade check`` prints it.
CHECK_NAME = 'os-vif HostInfo'

#: At most this many hosts are named in one sentence; then "and N more".
MAX_NAMED = 20


class HostInfoChecks(upgrade_checks.BaseChecks):
    """The ``neutron.status.upgrade.checks`` entry point of this library."""

    def __init__(self) -> None:
        super().__init__()
        config.register_opts(cfg.CONF)
        agents_conf.register_db_agents_opts(cfg.CONF)

    def get_checks(self) -> list[tuple[str, Any]]:
        return [(CHECK_NAME, self.hostinfo_check)]

    @staticmethod
    def hostinfo_check(checker: Any) -> upgradecheck.Result:
        """Can this release bind the ports of every host it will meet?"""
        if not cfg.CONF.database.connection:
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                'Database connection string is not set. The HostInfo '
                'agents cannot be checked.')
        pin = cfg.CONF[config.GROUP_NAME].pin
        ctx = context.get_admin_context()
        with db_api.CONTEXT_READER.using(ctx):
            survey = fleet.survey(_agents(ctx), _port_hosts(ctx), pin=pin)
        return verdict(survey.summary, pin)


def _agents(ctx: Any) -> list[fleet.Agent]:
    agent = agent_model.Agent
    query = ctx.session.query(
        agent.host, agent.heartbeat_timestamp, agent.configurations,
    ).filter(agent.agent_type == report.AGENT_TYPE)
    return [fleet.Agent(host, not agent_utils.is_agent_down(heartbeat),
                        _configurations(text))
            for host, heartbeat, text in query]


def _configurations(text: str | None) -> Any:
    # The column holds jsonutils.dumps(configurations); anything else is
    # handed on as it is, for the report reader to name.
    try:
        return jsonutils.loads(text) if text else None
    except ValueError:
        return text


def _port_hosts(ctx: Any) -> Iterator[tuple[str, bool]]:
    binding = ml2_models.PortBinding
    port = models_v2.Port
    query = ctx.session.query(binding.host, binding.profile).join(
        port, port.id == binding.port_id,
    ).filter(
        port.device_owner.startswith(constants.DEVICE_OWNER_COMPUTE_PREFIX),
        binding.host != '',
    ).distinct()
    for host, profile in query:
        yield host, fleet.profile_has_hostinfo(profile)


def _names(hosts: Any) -> str:
    hosts = list(hosts)
    named = ', '.join(hosts[:MAX_NAMED])
    if len(hosts) > MAX_NAMED:
        named += ' and %d more' % (len(hosts) - MAX_NAMED)
    return named


def verdict(summary: fleet.Summary, pin: str | None) -> upgradecheck.Result:
    """The check's result for a surveyed fleet, naming every host at fault.

    :param pin: the configured pin, for the message (None: unpinned).
    """
    at = 'pinned at HostInfo %s' % pin if pin else 'unpinned'
    warnings = []
    if summary.without_hostinfo:
        warnings.append(
            'Compute hosts bind ports without HostInfo (no HostInfo agent '
            'and no HostInfo in their ports\' profiles), the legacy way: '
            '%s.' % _names(summary.without_hostinfo))
    if summary.dead:
        warnings.append('HostInfo agents are not alive, their reports may '
                        'be stale: %s.' % _names(summary.dead))
    if summary.unreadable:
        failures = ['%s (%s)' % item
                    for item in sorted(summary.unreadable.items())]
        text = ('This release (%s) cannot read the HostInfo report of '
                'alive agents, so their ports would fail to bind: %s.'
                % (at, _names(failures)))
        return upgradecheck.Result(upgradecheck.Code.FAILURE,
                                   ' '.join([text] + warnings))
    if warnings:
        return upgradecheck.Result(upgradecheck.Code.WARNING,
                                   ' '.join(warnings))
    return upgradecheck.Result(
        upgradecheck.Code.SUCCESS,
        'Every alive HostInfo agent (%d) reports HostInfo this release '
        '(%s) reads; the newest version all report is %s.'
        % (len(summary.alive), at, summary.safe_pin or 'none'))
