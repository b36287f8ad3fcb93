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

"""Sizes and costs of the HostInfo agent's report (issue 19 goals).

Run by ``tox -e bench``, or alone as ``python benchmarks/agent_report.py``.
Measures ``configurations`` as neutron-server stores it
(``len(jsonutils.dumps(configurations))``, the text of
``agents.configurations VARCHAR(4095)``) for:

* the shipped host: this machine's ``host_info()`` (os-vif's installed
  plugins); goal at most 1,024 characters;
* 10 plugins x 4 VIF classes x 2 port profiles each; goal at most 2,048;

and, for information, a 50-plugin host and what the writer leaves out
when the copies do not all fit. Then the network side's cost per
binding: ``read_report`` cold and answered by a Decoder that has heard
the report before. Prints PASS/MISS per goal (a MISS does not fail the
run) and writes ``benchmarks/results-agent.json``.
"""

import json
import logging
import os
import sys
import timeit

import hosts
import neutron_cases
import os_vif_hostinfo as hi
from os_vif_hostinfo import neutron as hn
from os_vif_hostinfo import wire

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, 'results-agent.json')
SHIPPED_GOAL = 1024
WIDE_GOAL = 2048


def wide_host(plugins):
    """``plugins`` plugins x 4 VIF types x 2 port profiles, os-vif names.

    The very host of the binding:profile goals (benchmarks/neutron_cases.py).
    """
    return hosts.build(hi, neutron_cases.compute_host(plugins))


def measure(name, info, goal=None):
    configurations = hn.agent_configurations(info)
    row = {
        'host': name,
        'plugins': len(info.plugin_info),
        'plain_1.1': len(wire.serialize(info)),
        'stored': hn.configurations_length(configurations),
        'versions': hn.report_versions(configurations),
        'goal': goal,
    }
    if goal is not None:
        row['result'] = 'PASS' if row['stored'] <= goal else 'MISS'
    return row, configurations


def read_cost(configurations, number=2000):
    cold = min(timeit.repeat(lambda: hn.read_report(configurations),
                             number=number // 10, repeat=3)) / (number // 10)
    decoder = hn.ReportDecoder()
    hn.read_report(configurations, decoder=decoder)
    warm = min(timeit.repeat(
        lambda: hn.read_report(configurations, decoder=decoder),
        number=number, repeat=3)) / number
    return cold, warm, decoder


def main():
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    results = {'sizes': [], 'read': {}}
    rows = []
    for name, info, goal in (
            ('shipped (this host)', hi.host_info(), SHIPPED_GOAL),
            ('10 plugins x 4 VIF x 2 profiles', wide_host(10), WIDE_GOAL),
            ('50 plugins x 4 VIF x 2 profiles', wide_host(50), None)):
        row, configurations = measure(name, info, goal)
        rows.append((row, configurations))
        results['sizes'].append(row)
    print('HostInfo agent report: configurations as Neutron stores them '
          '(limit %d)' % hn.MAX_CONFIGURATIONS_LENGTH)
    print('%-34s %7s %9s %7s %-9s %s' % ('host', 'plugins', 'plain 1.1',
                                         'stored', 'copies', 'goal'))
    for row, _ in rows:
        goal = ('<= %d %s' % (row['goal'], row['result'])
                if row['goal'] else '-')
        print('%-34s %7d %9d %7d %-9s %s' % (
            row['host'], row['plugins'], row['plain_1.1'], row['stored'],
            ','.join(row['versions']), goal))
    cold, warm, decoder = read_cost(rows[1][1])
    results['read'] = {'cold_us': cold * 1e6, 'decoder_hit_us': warm * 1e6,
                       'decoder_hits': decoder.hits,
                       'decoder_misses': decoder.misses,
                       'expansions_misses': decoder.expansions_misses}
    print('read_report, 10-plugin host: %.1f us cold, %.1f us answered by '
          'a ReportDecoder (hit rate %.4f, %d decompression)' % (
              cold * 1e6, warm * 1e6,
              decoder.hits / (decoder.hits + decoder.misses),
              decoder.expansions_misses))
    with open(RESULTS, 'w') as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
