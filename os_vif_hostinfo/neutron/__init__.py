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

"""HostInfo over Neutron port binding (no neutron import).

The compute host builds the profile with :func:`binding_profile` or
negotiates with :func:`port_sender`; the network host decides with
:func:`decide_binding`. Without a change to Nova, the HostInfo agent
reports it in its state report (:func:`agent_configurations`), read back
with :func:`read_report`. The ML2 mechanism driver that calls it lives in
``os_vif_hostinfo.neutron.ml2`` and needs neutron-lib.
"""

from os_vif_hostinfo.neutron.binding import BindingDecision
from os_vif_hostinfo.neutron.binding import decide_binding
from os_vif_hostinfo.neutron.binding import decide_from_report
from os_vif_hostinfo.neutron.binding import parse_candidate
from os_vif_hostinfo.neutron.binding import port_sender
from os_vif_hostinfo.neutron.binding import read_binding
from os_vif_hostinfo.neutron.binding import SOURCE_AGENT
from os_vif_hostinfo.neutron.binding import SOURCE_PROFILE
from os_vif_hostinfo.neutron.binding import VIF_DETAILS_ERROR
from os_vif_hostinfo.neutron.binding import VIF_DETAILS_FOR
from os_vif_hostinfo.neutron.binding import VIF_DETAILS_OBJECT
from os_vif_hostinfo.neutron.binding import VIF_DETAILS_PLUGIN
from os_vif_hostinfo.neutron.binding import VIF_DETAILS_SOURCE
from os_vif_hostinfo.neutron.binding import VIF_DETAILS_VERSION
from os_vif_hostinfo.neutron.binding import VIF_TYPE_BINDING_FAILED
from os_vif_hostinfo.neutron.binding import VIF_TYPE_UNBOUND
from os_vif_hostinfo.neutron.binding import VIF_TYPES
from os_vif_hostinfo.neutron.migration import binding_sender
from os_vif_hostinfo.neutron.profile import binding_profile
from os_vif_hostinfo.neutron.profile import COMPACT_PREFIX
from os_vif_hostinfo.neutron.profile import MAX_PROFILE_LENGTH
from os_vif_hostinfo.neutron.profile import profile_from_payload
from os_vif_hostinfo.neutron.profile import PROFILE_KEY
from os_vif_hostinfo.neutron.profile import profile_length
from os_vif_hostinfo.neutron.profile import read_profile
from os_vif_hostinfo.neutron.report import AGENT_BINARY
from os_vif_hostinfo.neutron.report import agent_configurations
from os_vif_hostinfo.neutron.report import AGENT_TYPE
from os_vif_hostinfo.neutron.report import configurations_length
from os_vif_hostinfo.neutron.report import MAX_CONFIGURATIONS_LENGTH
from os_vif_hostinfo.neutron.report import read_report
from os_vif_hostinfo.neutron.report import REPORT_FORMAT
from os_vif_hostinfo.neutron.report import REPORT_KEY
from os_vif_hostinfo.neutron.report import report_versions
from os_vif_hostinfo.neutron.report import ReportDecoder

__all__ = [
    'AGENT_BINARY',
    'AGENT_TYPE',
    'BindingDecision',
    'COMPACT_PREFIX',
    'MAX_CONFIGURATIONS_LENGTH',
    'MAX_PROFILE_LENGTH',
    'PROFILE_KEY',
    'REPORT_FORMAT',
    'REPORT_KEY',
    'ReportDecoder',
    'SOURCE_AGENT',
    'SOURCE_PROFILE',
    'VIF_DETAILS_ERROR',
    'VIF_DETAILS_FOR',
    'VIF_DETAILS_OBJECT',
    'VIF_DETAILS_PLUGIN',
    'VIF_DETAILS_SOURCE',
    'VIF_DETAILS_VERSION',
    'VIF_TYPES',
    'VIF_TYPE_BINDING_FAILED',
    'VIF_TYPE_UNBOUND',
    'agent_configurations',
    'binding_profile',
    'binding_sender',
    'configurations_length',
    'decide_binding',
    'decide_from_report',
    'parse_candidate',
    'port_sender',
    'profile_from_payload',
    'profile_length',
    'read_binding',
    'read_profile',
    'read_report',
    'report_versions',
]
