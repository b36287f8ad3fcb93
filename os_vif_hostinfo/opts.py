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

"""oslo.config options of the oslo.messaging adapter.

They live in the ``[os_vif_hostinfo]`` group of the service's own
configuration file. :func:`list_opts` is the ``oslo.config.opts`` entry
point, so ``oslo-config-generator --namespace os_vif_hostinfo`` documents
them. The core library never imports this module.
"""

from __future__ import annotations

import copy

from oslo_config import cfg

from os_vif_hostinfo import versions

#: Name of the configuration group.
GROUP_NAME = 'os_vif_hostinfo'

#: Default RPC topic the network hosts listen on.
DEFAULT_TOPIC = 'os_vif_hostinfo'

#: Default of ``max_payload_size``: deserialize()'s own default (the
#: tests keep the two equal; this module does not import the core).
DEFAULT_MAX_PAYLOAD_SIZE = 1024 * 1024

_GROUP_TITLE = 'os-vif host information negotiation'
_GROUP_HELP = ('How service hosts and network hosts exchange host '
               'information over oslo.messaging RPC.')


def _group() -> cfg.OptGroup:
    # A new group each time: an OptGroup keeps the overrides of the conf it
    # is registered on, so one shared instance would leak them between
    # ConfigOpts objects.
    return cfg.OptGroup(GROUP_NAME, title=_GROUP_TITLE, help=_GROUP_HELP)


rpc_opts = [
    cfg.StrOpt(
        'topic', default=DEFAULT_TOPIC,
        help='RPC topic on which network hosts receive host information '
             'from service hosts. Both sides must use the same topic.'),
    cfg.StrOpt(
        'pin', default=None, regex=versions.VERSION_PATTERN,
        help='Network host only: the highest HostInfo version this host '
             'accepts, as MAJOR.MINOR (e.g. 1.0 while older network hosts '
             'still run during a rolling upgrade). Unset means the newest '
             'version this release understands. A service host sending a '
             'newer version is told this maximum and backlevels.'),
    cfg.IntOpt(
        'max_payload_size', default=DEFAULT_MAX_PAYLOAD_SIZE, min=1,
        help='Network host only: the largest HostInfo payload to read, in '
             'bytes of JSON text; a larger one is refused as malformed. The '
             'default (1 MiB) holds a few hundred VIF types; a host '
             'describing 100 plugins with 20 VIF types each writes about '
             '1.4 MB.'),
    cfg.FloatOpt(
        'timeout', default=30.0, min=0.1,
        help='Service host only: seconds to wait for a network host to '
             'answer one request before reporting it unavailable.'),
    cfg.IntOpt(
        'peer_cache_size', default=1024, min=1,
        help='Service host only: how many network hosts to remember the '
             'agreed HostInfo version for (least recently used first '
             'out).'),
    cfg.FloatOpt(
        'peer_reprobe_interval', default=3600.0, min=0.0,
        help='Service host only: seconds after which a remembered version '
             'is tried upward again, so that an upgraded network host is '
             'noticed. 0 disables re-probing.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    """Register the ``[os_vif_hostinfo]`` options on ``conf``.

    Registering twice is harmless.
    """
    if GROUP_NAME not in conf:
        conf.register_group(_group())
    conf.register_opts(rpc_opts, group=GROUP_NAME)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    """The options by group, for ``oslo-config-generator``."""
    return [(_group(), copy.deepcopy(rpc_opts))]
