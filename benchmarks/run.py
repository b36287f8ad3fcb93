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
import datetime
import functools
import gc
import json
import os
import platform
import re
import subprocess
import sys
import time
from typing import Any, Callable, NamedTuple

import os_vif
from os_vif.objects import host_info as osv
from oslo_serialization import jsonutils
from oslo_versionedobjects import exception as ovo_exception
import pyperf
from stevedore import extension

import hosts
import neutron_cases
import os_vif_hostinfo as hi
from os_vif_hostinfo import wire

HERE = os.path.dirname(os.path.abspath(__file__))
#: The large host's payload (1.4 MB) is over deserialize()'s default 1 MiB
#: limit; both libraries are given room for it.
MAX_SIZE = 16 * 1024 * 1024
NEGOTIATE_CALLS = 100
#: Transport URL of a real RabbitMQ for the RPC cases (--rabbit-url).
RABBIT_URL: str | None = None


class Fixture:
    """One host, built in both libraries, with its payloads.

    Each part is built when a case first asks for it, so that a worker
    process holds only what its case uses.
    """

    def __init__(self, host_name: str) -> None:
        self.host_name = host_name
        self.host = hosts.HOSTS[host_name]()
        self.vif_types = hosts.vif_types(self.host)

    @functools.cached_property
    def ours(self) -> hi.HostInfo:
        return hosts.build(hi, self.host)

    @functools.cached_property
    def theirs(self) -> Any:
        return hosts.build(osv, self.host)

    @functools.cached_property
    def text(self) -> str:
        return hi.serialize(self.ours)

    @functools.cached_property
    def raw(self) -> bytearray:
        return bytearray(self.text.encode('utf-8'))

    @functools.cached_property
    def primitive(self) -> dict[str, Any]:
        return wire.to_primitive(self.ours)

    @functools.cached_property
    def primitive_10(self) -> dict[str, Any]:
        return wire.to_primitive(self.ours, '1.0')

    @functools.cached_property
    def their_text(self) -> str:
        return jsonutils.dumps(self.theirs.obj_to_primitive())

    @functools.cached_property
    def decoder(self) -> hi.Decoder:
        return hi.Decoder(cache_size=8)

    @functools.cached_property
    def plugins(self) -> list[Any]:
        """Stevedore extensions of plugins describing this host."""
        return [extension.Extension(name, None, DescribedPlugin,
                                    DescribedPlugin(name, vifs))
                for name, vifs in self.host]

    @functools.cached_property
    def provider(self) -> hi.HostInfoProvider:
        """A discovery that has run: host_info() answers from memory."""
        provider = self.new_provider()
        provider.host_info()
        return provider

    def new_provider(self) -> hi.HostInfoProvider:
        if self.host_name == 'small':
            # This host, from entry points: os-vif's plugins through os-vif.
            return hi.HostInfoProvider()
        return hi.HostInfoProvider.from_extensions(self.plugins)

    @functools.cached_property
    def peers(self) -> hi.PeerCache:
        peers = hi.PeerCache()
        hi.negotiate(self.ours, old_peer, peer='old', cache=peers)
        return peers


class DescribedPlugin(hi.PluginBase):
    """A plugin describing one entry of a benchmark host."""

    def __init__(self, name: str, vifs: list[hosts.VIF]) -> None:
        self.host = [(name, vifs)]

    def describe(self) -> hi.HostPluginInfo:
        return hosts.build(hi, self.host).plugin_info[0]


@functools.lru_cache(maxsize=None)
def fixture(host_name: str) -> Fixture:
    return Fixture(host_name)


def old_peer(payload: str) -> str:
    """A network host running os-vif 5.3.0, in process.

    It reads HostInfo 1.0 only; anything newer gets the error body the
    protocol defines, which the service host turns back into an error.
    """
    try:
        info = osv.HostInfo.obj_from_primitive(jsonutils.loads(payload))
    except ovo_exception.IncompatibleObjectVersion as exc:
        raise hi.exception.UnsupportedVersion.from_dict({'error': {
            'code': 'unsupported_version',
            'object': exc.kwargs['objname'],
            'requested_version': exc.kwargs['objver'],
            'max_supported_version': exc.kwargs['supported'],
            'message': str(exc)}})
    return info.plugin_info[0].plugin_name


Maker = Callable[[Fixture], Callable[[], Any]]


class Case(NamedTuple):
    case: str
    host: str
    impl: str
    make: Maker
    #: CPU time in process; wall time where waiting is the cost (RPC).
    clock: Callable[[], float] = time.process_time

    @property
    def name(self) -> str:
        return '%s/%s/%s' % (self.case, self.host, self.impl)


def _timed_cases() -> list[Case]:
    def osvif_encode(fx: Fixture) -> Callable[[], Any]:
        return lambda: jsonutils.dumps(fx.theirs.obj_to_primitive())

    def osvif_backlevel(fx: Fixture) -> Callable[[], Any]:
        return lambda: jsonutils.dumps(
            fx.theirs.obj_to_primitive(target_version='1.0'))

    def osvif_decode(fx: Fixture) -> Callable[[], Any]:
        return lambda: osv.HostInfo.obj_from_primitive(
            jsonutils.loads(fx.their_text))

    def osvif_send(fx: Fixture) -> Callable[[], Any]:
        # What an os-vif service host does: no negotiation, just send.
        return lambda: old_peer(jsonutils.dumps(
            fx.theirs.obj_to_primitive()))

    def osvif_repeat(fx: Fixture) -> Callable[[], Any]:
        def discover() -> Any:
            os_vif.initialize(reset=True)
            return os_vif.host_info()
        return discover

    def osvif_warm(fx: Fixture) -> Callable[[], Any]:
        os_vif.initialize()
        return os_vif.host_info

    makers: list[tuple[str, str, Maker]] = [
        ('encode', 'os-vif', osvif_encode),
        ('encode', 'ours', lambda fx: lambda: hi.serialize(fx.ours)),
        ('encode', 'json', lambda fx: lambda: json.dumps(fx.primitive)),
        ('decode', 'os-vif', osvif_decode),
        ('decode', 'ours', lambda fx: lambda: hi.deserialize(
            fx.text, max_size=MAX_SIZE)),
        ('decode', 'json', lambda fx: lambda: json.loads(fx.text)),
        # A repeated payload arrives as new bytes each time: both sides
        # pay for the copy, and the decoder for hashing the whole key.
        ('decode-repeat', 'ours', lambda fx: lambda: fx.decoder.decode(
            bytes(fx.raw), max_size=MAX_SIZE)),
        ('decode-repeat', 'json', lambda fx: lambda: json.loads(
            bytes(fx.raw))),
        ('backlevel-1.0', 'os-vif', osvif_backlevel),
        ('backlevel-1.0', 'ours', lambda fx: lambda: hi.serialize(
            fx.ours, '1.0')),
        ('backlevel-1.0', 'json', lambda fx: lambda: json.dumps(
            fx.primitive_10)),
        ('negotiate-old-peer', 'os-vif', osvif_send),
        ('negotiate-old-peer', 'ours', lambda fx: lambda: hi.negotiate(
            fx.ours, old_peer, peer='old', cache=fx.peers)),
    ]
    cases = [Case(case, host, impl, make)
             for host in hosts.HOSTS for case, impl, make in makers]
    # Discovery again in a process that has discovered once (modules
    # imported, stevedore's entry-point cache in memory): os-vif's
    # initialize(reset=True) against a new provider, which describes
    # os-vif's plugins through os-vif and reads the entry points afresh.
    # The first discovery of a process is FIRST_DISCOVERY, below. The
    # large host only for this library, whose provider takes plugins
    # without entry points.
    cases += [
        Case('discovery-repeat', 'small', 'os-vif', osvif_repeat),
        Case('discovery-warm', 'small', 'os-vif', osvif_warm),
    ]
    for host in hosts.HOSTS:
        cases += [
            Case('discovery-repeat', host, 'ours',
                 lambda fx: lambda: fx.new_provider().host_info()),
            Case('discovery-warm', host, 'ours',
                 lambda fx: fx.provider.host_info),
        ]
    cases += _rpc_cases()
    return cases


def _rpc_cases() -> list[Case]:
    """negotiate() over oslo.messaging against a bare echo, small host.

    In-memory ``fake://`` always; a real broker when ``--rabbit-url`` is
    given. The large host's payload is over the network host's default
    1 MiB limit, so only the small host is sent. Wall time: waiting for
    the answer is what a caller pays.
    """
    import rpc_cases

    urls = [('rpc-fake', 'fake:/')]
    if RABBIT_URL:
        urls.append(('rpc-rabbit', RABBIT_URL))
    cases = []
    for case, url in urls:
        def negotiate(fx: Fixture, url: str = url) -> Callable[[], Any]:
            return rpc_cases.wire(url).negotiate(fx.ours)

        def echo(fx: Fixture, url: str = url) -> Callable[[], Any]:
            return rpc_cases.wire(url).echo(fx.text)

        cases += [Case(case, 'small', 'ours', negotiate, time.perf_counter),
                  Case(case, 'small', 'floor', echo, time.perf_counter)]
    return cases


#: (case, implementation, code run by a fresh interpreter). os-vif's
#: objects are usable only after register_all(), which imports OVO.
IMPORTS = [
    ('import', 'floor', 'pass'),
    ('import', 'os-vif', 'import os_vif.objects'),
    ('import-usable', 'os-vif', 'import os_vif.objects; '
     'os_vif.objects.register_all()'),
    ('import', 'ours', 'import os_vif_hostinfo'),
]


#: The first discovery of a process, where os_vif.initialize() belongs (it
#: loads os-vif's plugins once per process): run in a fresh interpreter
#: per value, after importing both libraries, timed there in CPU time.
FIRST_DISCOVERY = {
    'os-vif': 'os_vif.initialize(); os_vif.host_info()',
    'ours': 'os_vif_hostinfo.HostInfoProvider().host_info()',
}
_FIRST_SCRIPT = '''
import time
import os_vif
import os_vif_hostinfo
start = time.process_time()
{call}
print(repr(time.process_time() - start))
'''


def _time_first(loops: int, impl: str) -> float:
    """Total CPU time of ``loops`` first discoveries, each in a new process."""
    code = _FIRST_SCRIPT.format(call=FIRST_DISCOVERY[impl])
    total = 0.0
    for _ in range(loops):
        done = subprocess.run([sys.executable, '-W', 'ignore', '-c', code],
                              capture_output=True, text=True, check=True)
        total += float(done.stdout.strip().splitlines()[-1])
    return total


def _time_case(loops: int, case: Case) -> float:
    call = case.make(fixture(case.host))
    call()  # builds what the case needs, outside the timing
    # As timeit does: the collector is off while timing, so that its
    # passes over the whole heap (the fixtures included) are not counted.
    gc.collect()
    gc.disable()
    try:
        clock = case.clock
        start = clock()
        for _ in range(loops):
            call()
        return clock() - start
    finally:
        gc.enable()


def round_trips() -> dict[str, float]:
    """Sends per negotiate() against the old peer: first and steady."""
    info = fixture('small').ours
    sent: list[str] = []

    def send(payload: str) -> str:
        sent.append(payload)
        return old_peer(payload)

    cache = hi.PeerCache()
    hi.negotiate(info, send, peer='old', cache=cache)
    first = len(sent)
    del sent[:]
    for _ in range(NEGOTIATE_CALLS):
        hi.negotiate(info, send, peer='old', cache=cache)
    return {'first_call': float(first),
            'steady_state': len(sent) / NEGOTIATE_CALLS}


def payload_bytes() -> dict[str, dict[str, int]]:
    result = {}
    for host in hosts.HOSTS:
        fx = fixture(host)
        result[host] = {
            'os-vif': len(fx.their_text.encode('utf-8')),
            'ours': len(fx.text.encode('utf-8')),
            'ours-1.0': len(hi.serialize(fx.ours, '1.0').encode('utf-8')),
        }
    return result


def machine() -> dict[str, Any]:
    model = platform.processor() or 'unknown'
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        'nproc': os.cpu_count(),
        'cpu_model': model,
        'python': platform.python_version(),
        'implementation': platform.python_implementation(),
        'platform': platform.platform(),
        'os_vif': getattr(os_vif, '__version__', None) or _dist('os_vif'),
        'pyperf': pyperf.__version__,
        'date': datetime.datetime.now(datetime.timezone.utc).strftime(
            '%Y-%m-%d %H:%M UTC'),
    }


def _dist(name: str) -> str:
    from importlib import metadata
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return 'unknown'


class Goal(NamedTuple):
    text: str
    measured: str
    passed: bool


def goals(times: dict[str, float], extra: dict[str, Any]) -> list[Goal]:
    """Every goal of the issue, checked against the best values."""
    result = []

    def ratio(a: str, b: str) -> float | None:
        if a in times and b in times and times[b] > 0:
            return times[a] / times[b]
        return None

    def check(text: str, value: float | None, limit: float, fmt: str,
              higher_is_better: bool = False) -> None:
        if value is None:
            return
        passed = value >= limit if higher_is_better else value <= limit
        result.append(Goal(text, fmt % value, passed))

    for host in hosts.HOSTS:
        for case in ('encode', 'backlevel-1.0', 'decode'):
            floor = 'json.dumps' if case != 'decode' else 'json.loads'
            check('%s %s <= 3x %s' % (case, host, floor),
                  ratio('%s/%s/ours' % (case, host),
                        '%s/%s/json' % (case, host)), 3.0, '%.2fx')
            check('%s %s >= 4x faster than os-vif' % (case, host),
                  ratio('%s/%s/os-vif' % (case, host),
                        '%s/%s/ours' % (case, host)), 4.0, '%.1fx',
                  higher_is_better=True)
        for case in ('rpc-fake', 'rpc-rabbit'):
            check('%s %s negotiate <= 1.25x bare echo' % (case, host),
                  ratio('%s/%s/ours' % (case, host),
                        '%s/%s/floor' % (case, host)), 1.25, '%.2fx')
        check('decode-repeat %s <= 1.5x json.loads' % host,
              ratio('decode-repeat/%s/ours' % host,
                    'decode-repeat/%s/json' % host), 1.5, '%.2fx')
    for host, sizes in extra['payload_bytes'].items():
        check('payload %s <= 70%% of os-vif bytes' % host,
              sizes['ours'] / sizes['os-vif'], 0.70, '%.2f')
    check('discovery-cold small <= os-vif initialize()+host_info()',
          ratio('discovery-cold/small/ours', 'discovery-cold/small/os-vif'),
          1.0, '%.2fx')
    check('discovery-warm small <= os-vif host_info()',
          ratio('discovery-warm/small/ours', 'discovery-warm/small/os-vif'),
          1.0, '%.2fx')
    check('round trips per negotiate vs old peer = 1.00',
          extra['round_trips']['steady_state'], 1.0, '%.2f')
    for case in ('encode', 'decode'):
        per_vif = extra['per_vif_type_us'].get('%s ours' % case, {})
        small, large = per_vif.get('small'), per_vif.get('large')
        if small and large:
            check('%s linear: us per VIF type, large <= 1.5x small' % case,
                  large / small, 1.5, '%.2fx')
    for text, chars, limit in neutron_cases.goals(
            extra.get('profile_chars') or {}):
        check(text, chars, limit, '%d chars')
    return result


def _fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return '-'
    if seconds >= 1e-2:
        return '%.1f ms' % (seconds * 1e3)
    if seconds >= 1e-3:
        return '%.2f ms' % (seconds * 1e3)
    return '%.1f us' % (seconds * 1e6)


def _rst_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column)
              for column in zip(header, *rows)]
    rule = '  '.join('=' * width for width in widths)
    lines = [rule, '  '.join(h.ljust(w) for h, w in zip(header, widths)),
             rule]
    lines += ['  '.join(str(c).ljust(w) for c, w in zip(row, widths))
              .rstrip() for row in rows]
    lines.append(rule)
    return '\n'.join(lines)


def report(times: dict[str, float], extra: dict[str, Any],
           checked: list[Goal]) -> str:
    rows = []
    seen = []
    for name in times:
        case, host, _impl = name.split('/')
        if (case, host) not in seen:
            seen.append((case, host))
    for case, host in seen:
        def get(name: str) -> float | None:
            # The usable-import row shares ours and the floor with import.
            return times.get(name) or times.get(
                name.replace('import-usable/', 'import/'))

        ours = get('%s/%s/ours' % (case, host))
        base = get('%s/%s/os-vif' % (case, host))
        floor = get('%s/%s/json' % (case, host)) or get(
            '%s/%s/floor' % (case, host))
        rows.append([
            case, host, _fmt_time(base), _fmt_time(ours), _fmt_time(floor),
            '%.2fx' % (ours / floor) if ours and floor else '-',
            '%.1fx' % (base / ours) if ours and base else '-'])
    parts = [_rst_table(['case', 'host', 'os-vif 5.3.0', 'ours',
                         'json/floor', 'ours/floor', 'os-vif/ours'], rows)]
    size_rows = [[host, str(sizes['os-vif']), str(sizes['ours']),
                  '%.0f%%' % (100.0 * sizes['ours'] / sizes['os-vif']),
                  str(sizes['ours-1.0'])]
                 for host, sizes in extra['payload_bytes'].items()]
    parts.append(_rst_table(['payload', 'os-vif bytes', 'ours bytes',
                             'ours/os-vif', 'ours at 1.0'], size_rows))
    per_vif_rows = [[case] + ['%.2f' % per_vif[host] if host in per_vif
                              else '-' for host in hosts.HOSTS]
                    for case, per_vif in extra['per_vif_type_us'].items()]
    parts.append(_rst_table(['us per VIF type'] + list(hosts.HOSTS),
                            per_vif_rows))
    trips = extra['round_trips']
    parts.append('negotiate vs an os-vif 5.3.0 peer: %.0f round trips on '
                 'the first call, %.2f per call in steady state (%d calls)'
                 % (trips['first_call'], trips['steady_state'],
                    NEGOTIATE_CALLS))
    parts.append(_rst_table(
        ['goal', 'measured', 'result'],
        [[g.text, g.measured, 'PASS' if g.passed else 'MISS']
         for g in checked]))
    return '\n\n'.join(parts)


def per_vif_type(times: dict[str, float]) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for case in ('encode', 'decode'):
        for impl in ('ours', 'json', 'os-vif'):
            for host in hosts.HOSTS:
                name = '%s/%s/%s' % (case, host, impl)
                if name in times:
                    result.setdefault('%s %s' % (case, impl), {})[host] = (
                        times[name] * 1e6 / fixture(host).vif_types)
    return result


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
        global RABBIT_URL
        RABBIT_URL = args.rabbit_url
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
    for case in _timed_cases():
        if wanted.search(case.name):
            benches[case.name] = runner.bench_time_func(
                case.name, _time_case, case,
                metadata={'timer': 'time.%s()' % case.clock.__name__})
    for impl in FIRST_DISCOVERY:
        name = 'discovery-cold/small/%s' % impl
        if wanted.search(name):
            benches[name] = runner.bench_time_func(
                name, _time_first, impl,
                metadata={'timer': 'time.process_time() of a fresh '
                          'interpreter, libraries imported'})
    for case_name, impl, code in IMPORTS:
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
        'payload_bytes': payload_bytes(),
        'round_trips': round_trips(),
        'per_vif_type_us': per_vif_type(times),
        'vif_types': {host: fixture(host).vif_types for host in hosts.HOSTS},
        'profile_chars': neutron_cases.profile_sizes(),
    }
    checked = goals(times, extra)
    results = {
        'machine': machine(),
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
    print(report(times, extra, checked))
    print()
    print('Results written to %s' % os.path.relpath(args.results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
