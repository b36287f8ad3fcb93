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

"""Options of the host information mechanism drivers.

They live in the ``[ml2_os_vif_hostinfo]`` group of neutron-server's
configuration (``ml2_conf.ini`` in most deployments). The driver modules
call :func:`register_opts` when they are imported, as Neutron's own
drivers do with theirs; :func:`list_opts` is the ``oslo.config.opts``
entry point ``os_vif_hostinfo.ml2`` for ``oslo-config-generator``.
"""

from __future__ import annotations

import copy

from oslo_config import cfg

from os_vif_hostinfo import versions

#: Name of the configuration group.
GROUP_NAME = 'ml2_os_vif_hostinfo'

#: What the reference driver offers when ``vif_classes`` is not set.
DEFAULT_VIF_CLASSES = ['VIFOpenVSwitch']

_VIF_CLASS_PATTERN = (r'^[A-Z][A-Za-z0-9]*(:%s)?$'
                      % versions.VERSION_PATTERN.strip('^$'))

_GROUP_TITLE = 'os-vif host information in ML2 port binding'
_GROUP_HELP = ('How the os_vif_hostinfo mechanism drivers read the host '
               'information compute hosts put in binding:profile and '
               'choose the VIF they bind a port with.')

ml2_opts = [
    cfg.ListOpt(
        'vif_classes', default=DEFAULT_VIF_CLASSES,
        item_type=cfg.types.String(regex=_VIF_CLASS_PATTERN),
        help='os-vif VIF classes the os_vif_hostinfo mechanism driver can '
             'bind a port with, most preferred first. A name alone (e.g. '
             'VIFOpenVSwitch) offers every version of that class the '
             'installed os-vif registers; NAME:MAJOR.MINOR (e.g. '
             'VIFVHostUser:1.0) offers that version at most. The first '
             'class a plugin of the compute host consumes is chosen, at '
             'the highest version both sides have. The openvswitch_hostinfo '
             'driver ignores this option: it offers what the Open vSwitch '
             'agent on the host can wire.'),
    cfg.StrOpt(
        'pin', default=None, regex=versions.VERSION_PATTERN,
        help='The highest HostInfo version this Neutron accepts in '
             'binding:profile, as MAJOR.MINOR (e.g. 1.0 while some '
             'neutron-server processes still run an older release). Unset '
             'means the newest version this release reads. A port whose '
             'HostInfo is newer fails to bind with the highest accepted '
             'version in its vif_details, and the compute host retries at '
             'that version.'),
    cfg.IntOpt(
        'decoder_cache_size', default=128, min=0,
        help='How many distinct host descriptions a driver remembers, so '
             'that the ports of a known compute host are bound without '
             'decoding its description again. 0 remembers none.'),
]


def _group() -> cfg.OptGroup:
    # A new group each time: an OptGroup keeps the overrides of the conf it
    # is registered on.
    return cfg.OptGroup(GROUP_NAME, title=_GROUP_TITLE, help=_GROUP_HELP)


def register_opts(conf: cfg.ConfigOpts | None = None) -> None:
    """Register the ``[ml2_os_vif_hostinfo]`` options (on ``cfg.CONF``).

    Registering twice is harmless.
    """
    if conf is None:
        conf = cfg.CONF
    if GROUP_NAME not in conf:
        conf.register_group(_group())
    conf.register_opts(ml2_opts, group=GROUP_NAME)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    """The options by group, for ``oslo-config-generator``."""
    return [(_group(), copy.deepcopy(ml2_opts))]
