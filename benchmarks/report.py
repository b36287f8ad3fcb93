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

"""What a run measured besides times, the goals, and the printed tables."""

from __future__ import annotations

import datetime
import os
import platform
from typing import Any, NamedTuple

import os_vif
import pyperf

from host_fixture import fixture
from host_fixture import old_peer
import hosts
import neutron_cases
import os_vif_hostinfo as hi

NEGOTIATE_CALLS = 100


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
    hostile_times = {name: value for name, value in times.items()
                     if name.startswith('hostile-')}
    if hostile_times and 'valid/1MiB/json' in times:
        worst = max(hostile_times, key=hostile_times.__getitem__)
        check('hostile 1 MiB, worst (%s) <= 10x json.loads of valid 1 MiB'
              % worst.split('/')[0][len('hostile-'):],
              ratio(worst, 'valid/1MiB/json'), 10.0, '%.2fx')
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
