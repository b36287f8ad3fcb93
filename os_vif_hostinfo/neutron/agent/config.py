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

"""Options of ``os-vif-hostinfo-agent``.

Its own group is ``[os_vif_hostinfo_agent]``. It also reads Neutron's
``[DEFAULT] host`` and ``transport_url`` and ``[AGENT] report_interval``,
registered by Neutron's own helpers in :func:`register_opts`, so the
compute host's neutron.conf configures it. :func:`list_opts` is the
``oslo.config.opts`` entry point ``os_vif_hostinfo.agent``: the agent's
own group only (Neutron documents its options under ``neutron.agent``),
so it imports no neutron and the docs build without it.
"""

from __future__ import annotations

import copy

from oslo_config import cfg

from os_vif_hostinfo import versions

#: Name of the agent's own configuration group.
GROUP_NAME = 'os_vif_hostinfo_agent'

_GROUP_TITLE = 'os-vif HostInfo agent'
_GROUP_HELP = ('What os-vif-hostinfo-agent reports to neutron-server about '
               'this compute host\'s os-vif plugins.')

agent_opts = [
    cfg.ListOpt(
        'vif_types', default=[], mutable=True,
        help='Report only these os-vif VIF classes (e.g. VIFOpenVSwitch, '
             'VIFVHostUser); plugins left without any are not reported. '
             'Empty reports every VIF class of every installed plugin. '
             'Reloaded on SIGHUP.'),
    cfg.StrOpt(
        'max_version', default=None, regex=versions.VERSION_PATTERN,
        mutable=True,
        help='The newest HostInfo version to report, as MAJOR.MINOR; every '
             'older minor version is reported beside it, so network hosts '
             'of older releases read it too. Unset reports the newest '
             'version this release writes. Reloaded on SIGHUP.'),
    cfg.IntOpt(
        'rediscover_interval', default=600, min=0, mutable=True,
        help='Seconds between two descriptions of the installed plugins; '
             'a change is logged and reported at once. 0 describes them '
             'only at start and on SIGHUP.'),
]


def _group() -> cfg.OptGroup:
    # A new group each time: an OptGroup keeps the overrides of the conf it
    # is registered on.
    return cfg.OptGroup(GROUP_NAME, title=_GROUP_TITLE, help=_GROUP_HELP)


def register_opts(conf: cfg.ConfigOpts | None = None) -> None:
    """Register the agent's options and the Neutron ones it reads.

    Neutron's common options (``host``, and the ``neutron`` control
    exchange that neutron-rpc-server listens on: without it reports go to
    ``openstack`` and are never heard) and ``[AGENT]`` state-report
    options. Registering twice is harmless.
    """
    from neutron.common import config as common_config
    from neutron.conf.agent import common as agent_common

    if conf is None:
        conf = cfg.CONF
    if conf is cfg.CONF:
        common_config.register_common_config_options()
    if GROUP_NAME not in conf:
        conf.register_group(_group())
    conf.register_opts(agent_opts, group=GROUP_NAME)
    agent_common.register_agent_state_opts_helper(conf)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    """The agent's own options, for ``oslo-config-generator``."""
    return [(_group(), copy.deepcopy(agent_opts))]
