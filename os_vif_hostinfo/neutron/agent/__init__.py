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

"""``os-vif-hostinfo-agent``: HostInfo in Neutron's agent state reports.

A daemon for the compute host, run with the host's own neutron.conf. It
describes the host with :func:`os_vif_hostinfo.host_info` (os-vif's
installed plugins are the truth) and reports it every
``[AGENT] report_interval`` through Neutron's own state-report RPC, as an
agent of type :data:`os_vif_hostinfo.neutron.AGENT_TYPE`. Mechanism
drivers built on
:class:`os_vif_hostinfo.neutron.ml2.mixin.HostInfoBindingMixin` bind the
host's ports from that report when Nova sends no HostInfo.

Needs neutron (extra ``[agent]``); :mod:`os_vif_hostinfo.neutron` does not
import this package.
"""
