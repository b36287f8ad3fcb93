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

"""How long the fleet survey takes for a cloud of N HostInfo agents.

The part of ``os-vif-hostinfo fleet`` and of the upgrade check that does
not wait on the API or the database: reading every agent's report and
summing up. The reports are what ``neutron-server`` hands back (JSON text,
decoded), from a handful of distinct hosts plus a distinct one per host
in ``--distinct`` of them (a real fleet is mostly alike, and the survey
shares a decoder). Usage: ``python benchmarks/fleet.py [--hosts N]``.
"""

import argparse
import time

from oslo_serialization import jsonutils

import os_vif_hostinfo as hi
from os_vif_hostinfo.neutron import fleet
from os_vif_hostinfo.neutron import report


def _host(index):
    return hi.HostInfo(plugin_info=[
        hi.HostPluginInfo(plugin_name='ovs', vif_info=[
            hi.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                           min_version='1.0', max_version='1.%d' % (index % 3),
                           supported_port_profiles=[]),
            hi.HostVIFInfo(vif_object_name='VIFVHostUser', min_version='1.0',
                           max_version='1.1', supported_port_profiles=[])]),
        hi.HostPluginInfo(plugin_name='plugin%d' % index, vif_info=[])])


def agents(hosts, distinct):
    kinds = [jsonutils.dumps(report.agent_configurations(_host(i)))
             for i in range(distinct)]
    return [fleet.Agent('compute-%05d' % i, i % 50 != 0,
                        jsonutils.loads(kinds[i % distinct]))
            for i in range(hosts)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--hosts', type=int, default=10000)
    parser.add_argument('--distinct', type=int, default=100)
    args = parser.parse_args()
    records = agents(args.hosts, args.distinct)
    ports = [('compute-%05d' % i, False) for i in range(args.hosts)]
    ports += [('legacy-%05d' % i, False) for i in range(args.hosts // 10)]
    began = time.perf_counter()
    result = fleet.survey(records, ports)
    took = time.perf_counter() - began
    print('fleet survey: %d agents (%d distinct reports), %d ports: '
          '%.2f s; safe pin %s, %d dead, %d without HostInfo'
          % (args.hosts, args.distinct, len(ports), took,
             result.summary.safe_pin, len(result.summary.dead),
             len(result.summary.without_hostinfo)))


if __name__ == '__main__':
    main()
