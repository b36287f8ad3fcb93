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

"""The timed cases: what each one runs, and how it is timed.

Every case runs through os-vif 5.3.0, through this library and, where it
means something, through plain ``json`` on the same data.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from typing import Any, Callable, NamedTuple

import os_vif
from os_vif.objects import host_info as osv
from oslo_serialization import jsonutils

from host_fixture import Fixture
from host_fixture import fixture
from host_fixture import old_peer
import hostile
import hosts
import os_vif_hostinfo as hi

#: The large host's payload (1.4 MB) is over deserialize()'s default 1 MiB
#: limit; both libraries are given room for it.
MAX_SIZE = 16 * 1024 * 1024


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


def timed_cases(rabbit_url: str | None = None) -> list[Case]:
    """Every in-process case; the RPC ones over ``rabbit_url`` too."""
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
    cases += _rpc_cases(rabbit_url)
    cases += _hostile_cases()
    return cases


def _hostile_cases() -> list[Case]:
    """deserialize() refusing each hostile 1 MiB text (``hostile.py``).

    The floor is json.loads of a valid payload of that size.
    """
    def refuse(text: str) -> Callable[[Fixture], Callable[[], Any]]:
        def make(fx: Fixture) -> Callable[[], Any]:
            def call() -> None:
                try:
                    hi.deserialize(text)
                except hi.exception.HostInfoError:
                    pass
            return call
        return make

    def floor(fx: Fixture) -> Callable[[], Any]:
        text = hostile.valid_payload(hi)
        return lambda: json.loads(text)

    cases = [Case('hostile-' + name, '1MiB', 'ours', refuse(text))
             for name, text in hostile.CORPUS.items()]
    cases.append(Case('valid', '1MiB', 'json', floor))
    return cases


def _rpc_cases(rabbit_url: str | None) -> list[Case]:
    """negotiate() over oslo.messaging against a bare echo, small host.

    In-memory ``fake://`` always; a real broker when ``--rabbit-url`` is
    given. The large host's payload is over the network host's default
    1 MiB limit, so only the small host is sent. Wall time: waiting for
    the answer is what a caller pays.
    """
    import rpc_cases

    urls = [('rpc-fake', 'fake:/')]
    if rabbit_url:
        urls.append(('rpc-rabbit', rabbit_url))
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


def time_first(loops: int, impl: str) -> float:
    """Total CPU time of ``loops`` first discoveries, each in a new process."""
    code = _FIRST_SCRIPT.format(call=FIRST_DISCOVERY[impl])
    total = 0.0
    for _ in range(loops):
        done = subprocess.run([sys.executable, '-W', 'ignore', '-c', code],
                              capture_output=True, text=True, check=True)
        total += float(done.stdout.strip().splitlines()[-1])
    return total


def time_case(loops: int, case: Case) -> float:
    # The hostile cases need no host.
    call = case.make(fixture(case.host) if case.host in hosts.HOSTS
                     else None)  # type: ignore[arg-type]
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
