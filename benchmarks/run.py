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

"""os_vif_hostinfo against os-vif 5.3.0 and the stdlib json floor.

Run with ``tox -e bench`` or ``python benchmarks/run.py [pyperf options]``.
Every case runs through os-vif 5.3.0, through this library and, where it
means something, through plain ``json`` on the same data, in one pyperf
session, on a small host and a large one (see ``hosts.py``). The results
go to ``benchmarks/results.json`` and a table with ratios and a PASS/MISS
per goal to stdout. A MISS does not fail the run.

In-process cases are timed in CPU time of the worker process
(``time.process_time``), so that other load on a shared machine counts as
little as possible; the import cases are wall time of a fresh interpreter.
The garbage collector is off while timing, as with timeit. Ratios are
taken between the best (lowest) values of each case.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from typing import Any

import pyperf

import host_fixture
import hosts
import neutron_cases
import report
import timed_cases

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    def forward(cmd: list[str], args: Any) -> None:
        cmd.extend(['--cases', args.cases, '--results', args.results])
        if args.rabbit_url:
            cmd.extend(['--rabbit-url', args.rabbit_url])

    # Modest defaults so that "tox -e bench" fits in minutes on two cores;
    # any pyperf option given on the command line wins.
    # Workers are started with a clean environment: quiet the warnings
    # (eventlet's deprecation, through oslo.versionedobjects) there too.
    runner = pyperf.Runner(processes=3, values=5, warmups=1, min_time=0.05,
                           add_cmdline_args=forward,
                           program_args=('-W', 'ignore',
                                         os.path.abspath(__file__)))
    runner.argparser.add_argument(
        '--cases', default='.', help='regular expression: run only the '
        'cases whose name (case/host/impl) matches')
    runner.argparser.add_argument(
        '--results', default=os.path.join(HERE, 'results.json'),
        help='where to write the machine-readable results')
    runner.argparser.add_argument(
        '--rabbit-url', default=os.environ.get('OS_VIF_HOSTINFO_BENCH_RABBIT'),
        help='transport URL of a RabbitMQ server (e.g. '
        'rabbit://guest:guest@localhost:5672/) to run the RPC cases over '
        'as well; default $OS_VIF_HOSTINFO_BENCH_RABBIT')
    runner.argparser.add_argument(
        '--no-rabbit', action='store_true',
        help='do not start a private RabbitMQ node for the RPC cases')
    args = runner.parse_args()
    wanted = re.compile(args.cases)
    with contextlib.ExitStack() as stack:
        if (not args.worker and not args.rabbit_url and not args.no_rabbit
                and wanted.search('rpc-rabbit/small/ours')):
            args.rabbit_url = _private_broker(stack)
        return _run(runner, args, wanted)


def _private_broker(stack: contextlib.ExitStack) -> str | None:
    """Start a private RabbitMQ node if the server is installed.

    It is the functional tests' node (127.0.0.1, free ports, its own
    directories), stopped when the run ends. Returns its URL, or None.
    """
    sys.path.insert(0, os.path.dirname(HERE))
    try:
        from tests.functional import rabbit
    except ImportError as exc:
        print('RPC over RabbitMQ: not run (%s)' % exc)
        return None
    if not os.access(rabbit.SERVER_SCRIPT, os.X_OK):
        print('RPC over RabbitMQ: not run (%s is not installed)'
              % rabbit.SERVER_SCRIPT)
        return None
    try:
        node = stack.enter_context(rabbit.RabbitServer())
    except Exception as exc:
        print('RPC over RabbitMQ: not run (the broker did not start: %s)'
              % str(exc)[:200])
        return None
    print('RPC over RabbitMQ: private node at %s' % node.url)
    return str(node.url)


def _run(runner: pyperf.Runner, args: Any, wanted: re.Pattern[str]) -> int:
    benches = {}
    for case in timed_cases.timed_cases(args.rabbit_url):
        if wanted.search(case.name):
            benches[case.name] = runner.bench_time_func(
                case.name, timed_cases.time_case, case,
                metadata={'timer': 'time.%s()' % case.clock.__name__})
    for impl in timed_cases.FIRST_DISCOVERY:
        name = 'discovery-cold/small/%s' % impl
        if wanted.search(name):
            benches[name] = runner.bench_time_func(
                name, timed_cases.time_first, impl,
                metadata={'timer': 'time.process_time() of a fresh '
                          'interpreter, libraries imported'})
    for case_name, impl, code in timed_cases.IMPORTS:
        name = '%s/-/%s' % (case_name, impl)
        if wanted.search(name):
            benches[name] = runner.bench_command(
                name, [sys.executable, '-W', 'ignore', '-c', code])
    if args.worker:
        return 0
    # The best value of each case: other load on a shared machine only
    # ever adds time, so the minimum is the steadiest estimate of the cost.
    times = {name: min(bench.get_values()) for name, bench in benches.items()
             if bench is not None}
    extra: dict[str, Any] = {
        'payload_bytes': report.payload_bytes(),
        'round_trips': report.round_trips(),
        'per_vif_type_us': report.per_vif_type(times),
        'vif_types': {host: host_fixture.fixture(host).vif_types
                      for host in hosts.HOSTS},
        'profile_chars': neutron_cases.profile_sizes(),
    }
    checked = report.goals(times, extra)
    results = {
        'machine': report.machine(),
        'settings': {'processes': args.processes, 'values': args.values,
                     'warmups': args.warmups, 'min_time': args.min_time,
                     'statistic': 'min', 'timer': 'time.process_time() '
                     'in process, garbage collector off; wall time of a '
                     'fresh interpreter for imports'},
        'cases': {name: {'min_s': min(bench.get_values()),
                         'median_s': bench.median(),
                         'mean_s': bench.mean(),
                         'stdev_s': (bench.stdev()
                                     if bench.get_nvalue() > 1 else 0.0),
                         'values': bench.get_nvalue()}
                  for name, bench in benches.items() if bench is not None},
        **extra,
        'goals': [{'goal': g.text, 'measured': g.measured,
                   'result': 'PASS' if g.passed else 'MISS'}
                  for g in checked],
    }
    with open(args.results, 'w', encoding='utf-8') as out:
        json.dump(results, out, indent=2, sort_keys=True)
        out.write('\n')
    info = results['machine']
    print()
    print('Machine: %(nproc)s CPUs, %(cpu_model)s, %(implementation)s '
          '%(python)s, os-vif %(os_vif)s, %(date)s' % info)
    print()
    print(report.report(times, extra, checked))
    print()
    print('Results written to %s' % os.path.relpath(args.results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
