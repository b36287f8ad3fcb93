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

"""The static descriptions shipped with os_vif_hostinfo.

They stand in for os-vif's own ``noop`` and ``ovs`` plugins on a host
where os-vif cannot be imported, so that a fresh install has something
real to show. Where os-vif is importable, discovery describes its plugins
through os-vif itself and these are not used (see
:mod:`os_vif_hostinfo.discovery` for the precedence rule).

Each says exactly what the plugin of the same name in os-vif
:data:`OS_VIF_RELEASE` declares in its ``describe()``: the same VIF
classes and port profiles, in the same order, with the same version
ranges. They are that plugin's declaration, not the newest class version
os-vif registers: advertising more than a plugin declares would invite
the network host to send a VIF the plugin cannot consume. A unit test
compares them with os-vif's own ``describe()`` field by field.
"""

from __future__ import annotations

from collections.abc import Iterable

from os_vif_hostinfo import objects

#: The os-vif release whose plugins these descriptions copy.
OS_VIF_RELEASE = '5.3.0'

#: A version range: (min_version, max_version).
Range = tuple[str, str]


def port_profile(name: str, versions: Range) -> objects.HostPortProfileInfo:
    """Describe port profile class ``name`` over ``versions``."""
    low, high = versions
    return objects.HostPortProfileInfo(
        profile_object_name=name, min_version=low, max_version=high)


def vif(name: str, versions: Range,
        port_profiles: Iterable[tuple[str, Range]] = (),
        ) -> objects.HostVIFInfo:
    """Describe VIF class ``name`` over ``versions``, with port profiles."""
    low, high = versions
    return objects.HostVIFInfo(
        vif_object_name=name, min_version=low, max_version=high,
        supported_port_profiles=[port_profile(p, r)
                                 for p, r in port_profiles])
