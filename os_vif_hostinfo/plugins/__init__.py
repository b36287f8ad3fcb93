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

"""The plugins shipped with os_vif_hostinfo.

They describe what os-vif's own VIF plugins of the same names consume, so
that a fresh install has something real to show. They do not need os-vif:
the facts below are written down here, and a unit test checks them against
os-vif 5.3.0.

Each VIF class and port profile class is described from version 1.0 up to
the version os-vif 5.3.0 registers for it, the newest its plugins can read.
"""

from __future__ import annotations

from collections.abc import Iterable

from os_vif_hostinfo import objects

#: The oldest version of every class described here.
MIN_VERSION = '1.0'

#: Newest version of each class as registered by os-vif 5.3.0.
OS_VIF_VERSIONS = {
    'VIFBridge': '1.0',
    'VIFOpenVSwitch': '1.0',
    'VIFVHostUser': '1.1',
    'VIFHostDevice': '1.0',
    'VIFPortProfileOpenVSwitch': '1.4',
    'VIFPortProfileOVSRepresentor': '1.4',
}


def port_profile(name: str) -> objects.HostPortProfileInfo:
    """Describe the os-vif port profile class ``name``."""
    return objects.HostPortProfileInfo(
        profile_object_name=name, min_version=MIN_VERSION,
        max_version=OS_VIF_VERSIONS[name])


def vif(name: str,
        port_profiles: Iterable[str] = ()) -> objects.HostVIFInfo:
    """Describe the os-vif VIF class ``name`` and its port profiles."""
    return objects.HostVIFInfo(
        vif_object_name=name, min_version=MIN_VERSION,
        max_version=OS_VIF_VERSIONS[name],
        supported_port_profiles=[port_profile(p) for p in port_profiles])
