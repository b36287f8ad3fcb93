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

"""Run the README's Python blocks as a newcomer would, for tests.

Run as ``python -m tests.readme README.rst`` in a fresh interpreter (one
that never imported os-vif, like a newcomer's): every ``.. code-block::
python`` block runs in order in one namespace. With ``--without-os-vif``
os-vif cannot be imported at all, as after the bare ``pip install .``: a
block must then do the same, or fail the way its stand-in's check
without os-vif expects, and the README must say, before the block or in
its comments, that it "needs os-vif". Where a block uses a name
the README leaves to the reader (``send``, ``payload``, ``self``,
``conf``...), a stand-in from :data:`STAND_INS` is put in the namespace
first; the README must name each of those in the text before the block
(the test checks it). After some blocks a check asserts that the block did
what the README says. One line per block run goes to stdout; a failure
prints the traceback, pointing at the README's own line numbers, and exits
1.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import textwrap
import traceback
import types
from typing import Any, Callable

_DIRECTIVE = re.compile(r'^(?P<indent>\s*)\.\. code-block::\s*(?P<lang>\S+)')


@dataclasses.dataclass
class Block:
    """One literal block of a reST document."""

    #: ``python``, ``toml``, ``ini``...; ``shell`` for a bare ``::`` block.
    lang: str
    #: Line number (1-based) of the block's first line of code.
    line: int
    code: str
    #: The text between the previous block and this one.
    intro: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def blocks(text: str) -> list[Block]:
    """Every ``code-block`` and ``::`` literal block of reST ``text``."""
    lines = text.splitlines()
    found: list[Block] = []
    previous_end = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _DIRECTIVE.match(line)
        if match:
            lang = match.group('lang')
        elif line.rstrip().endswith('::') and not line.lstrip().startswith(
                '..'):
            lang = 'shell'
        else:
            i += 1
            continue
        indent = _indent(line)
        j = i + 1
        while match and j < len(lines) and lines[j].strip().startswith(':'):
            j += 1  # directive options
        while j < len(lines) and not lines[j].strip():
            j += 1
        start = j
        while j < len(lines) and (not lines[j].strip()
                                  or _indent(lines[j]) > indent):
            j += 1
        code = textwrap.dedent('\n'.join(lines[start:j])).rstrip()
        found.append(Block(lang, start + 1, code,
                           '\n'.join(lines[previous_end:i + 1])))
        previous_end = j
        i = j
    return found


def used_names(code: str) -> set[str]:
    """Every global name the code (and any function in it) refers to."""
    names: set[str] = set()
    pending = [compile(code, '<block>', 'exec')]
    while pending:
        current = pending.pop()
        names.update(current.co_names)
        pending.extend(c for c in current.co_consts
                       if isinstance(c, types.CodeType))
    return names


# -- stand-ins for what the README leaves to the reader ---------------------

Namespace = dict[str, Any]


def _send(ns: Namespace) -> Namespace:
    """A transport to a network host of this library pinned at 1.0."""
    import os_vif_hostinfo as hi

    sent: list[str] = []

    def send(payload: str) -> str:
        sent.append(json.loads(payload)['versioned_object.version'])
        try:
            hi.receive(payload, pin='1.0')
        except hi.exception.UnsupportedVersion as exc:
            # What crosses the wire is the body, not the exception.
            body = json.loads(json.dumps(exc.to_dict()))
            raise hi.exception.UnsupportedVersion.from_dict(body)
        return 'accepted'

    return {'send': send, '_sent': sent}


def _check_negotiated(ns: Namespace) -> None:
    # Refused at 1.1, backleveled once, remembered for the peer.
    assert ns['_sent'] == ['1.1', '1.0'], ns['_sent']
    assert ns['answer'] == 'accepted', ns['answer']
    assert ns['cache'].get('network-host-1') == '1.0'


def _payload_too_new(ns: Namespace) -> Namespace:
    import os_vif_hostinfo as hi
    return {'payload': hi.serialize(ns['info'])}


def _check_refused(ns: Namespace) -> None:
    error = ns['reply']['error']
    assert error['code'] == 'unsupported_version', error
    assert (error['requested_version'], error['max_supported_version']) == (
        '1.1', '1.0'), error


def _payload_readable(ns: Namespace) -> Namespace:
    import os_vif_hostinfo as hi
    return {'payload': hi.serialize(ns['info'], target_version='1.0')}


def _check_chosen(ns: Namespace) -> None:
    choice = ns['reply']['result']
    assert (choice.plugin_name, choice.vif_object_name) == (
        'ovs', 'VIFOpenVSwitch'), choice


def _no_class_without_os_vif(ns: Namespace, error: Exception | None) -> None:
    """choose_vif by name, without os-vif: the error says what to do."""
    import os_vif_hostinfo as hi
    assert isinstance(error, hi.exception.NoMatchingVIFClass), repr(error)
    assert 'install os-vif' in str(error), str(error)


def _self(ns: Namespace) -> Namespace:
    import testtools

    class TestMyPlugin(testtools.TestCase):
        def test_readme(self) -> None:
            """The README's test method body runs in its place."""

    return {'self': TestMyPlugin('test_readme')}


def _rpc(ns: Namespace) -> Namespace:
    from oslo_config import cfg
    import oslo_messaging

    conf = cfg.ConfigOpts()
    conf([], project='readme')
    transport = oslo_messaging.get_rpc_transport(conf, url='fake:/')

    def handler(info: Any) -> dict[str, Any]:
        return {'plugins': [p.plugin_name for p in info.plugin_info]}

    return {'conf': conf, 'transport': transport, 'handler': handler}


def _check_rpc(ns: Namespace) -> None:
    try:
        expected = {'plugins': [p.plugin_name
                                for p in ns['info'].plugin_info]}
        assert expected['plugins'], 'no plugin discovered'
        assert ns['answer'] == expected, (ns['answer'], expected)
    finally:
        ns['server'].stop()
        ns['server'].wait()
        ns['transport'].cleanup()


def _neutron(ns: Namespace) -> Namespace:
    """A Neutron whose ML2 driver is pinned to HostInfo 1.0.

    It offers VIFOpenVSwitch 1.0, as with os-vif 5.3.0, whether or not
    os-vif can be imported here: it stands for a neutron-server.
    """
    from os_vif_hostinfo import neutron

    stored: dict[str, Any] = {}
    updates: list[dict[str, Any]] = []

    def update_port(port: str, **body: Any) -> dict[str, Any]:
        updates.append(body)
        stored.clear()
        stored.update(body['binding:profile'])
        decision = neutron.decide_binding(stored, ['VIFOpenVSwitch:1.0'],
                                          pin='1.0')
        return {'id': port, 'binding:host_id': body['binding:host_id'],
                'binding:profile': dict(stored),
                'binding:vif_type': decision.vif_type,
                'binding:vif_details': decision.vif_details}

    conn = types.SimpleNamespace(
        network=types.SimpleNamespace(update_port=update_port))
    return {'conn': conn, 'port': 'port-1', 'profile': stored,
            '_updates': updates}


def _check_neutron(ns: Namespace) -> None:
    from os_vif_hostinfo import neutron

    versions = [u['binding:profile'][neutron.PROFILE_KEY][
        'versioned_object.version'] for u in ns['_updates']]
    # Refused at 1.1, bound at 1.0: two updates.
    assert versions == ['1.1', '1.0'], versions
    assert all(u['binding:profile']['pci_slot'] == '0000:81:00.2'
               for u in ns['_updates'])
    assert tuple(ns['choice']) == ('ovs', 'VIFOpenVSwitch', '1.0'), (
        ns['choice'])
    assert ns['decision'].vif_type == 'ovs', ns['decision']
    assert ns['decision'].choice == ns['choice'], ns['decision']


def _decision_fails_without_os_vif(ns: Namespace,
                                   error: Exception | None) -> None:
    """The README's own decide_binding, without os-vif: a failed binding."""
    import os_vif_hostinfo as hi
    from os_vif_hostinfo import neutron

    assert error is None, repr(error)
    decision = ns['decision']
    assert decision.vif_type == neutron.VIF_TYPE_BINDING_FAILED, decision
    assert isinstance(decision.error, hi.exception.NoMatchingVIFClass), (
        decision)
    assert 'install os-vif' in str(decision.error), str(decision.error)


Maker = Callable[[Namespace], Namespace]
Check = Callable[[Namespace], None]
#: Without os-vif: (namespace, the HostInfoError the block raised or None).
CheckWithout = Callable[[Namespace, Exception | None], None]


@dataclasses.dataclass(frozen=True)
class Run:
    """One run of a block: its stand-ins, and what it must do."""

    make: Maker | None
    check: Check | None = None
    #: The check without os-vif, for a block the README says needs it;
    #: None: the block does exactly what it does with os-vif.
    without_os_vif: CheckWithout | None = None


_NEUTRON = Run(_neutron, _check_neutron, _decision_fails_without_os_vif)

#: name -> the runs of a block using the name; each run makes the names
#: it provides, runs the block, then checks.
STAND_INS: dict[str, list[Run]] = {
    'send': [Run(_send, _check_negotiated)],
    'payload': [Run(_payload_too_new, _check_refused),
                Run(_payload_readable, _check_chosen,
                    _no_class_without_os_vif)],
    'self': [Run(_self)],
    'conf': [Run(_rpc, _check_rpc)],
    'transport': [Run(_rpc, _check_rpc)],
    'handler': [Run(_rpc, _check_rpc)],
    'conn': [_NEUTRON],
    'port': [_NEUTRON],
    'profile': [_NEUTRON],
}

#: What the README says before (or in) a block that needs os-vif.
NEEDS_OS_VIF = re.compile(r'needs\s+os-vif')


def stand_ins_for(code: str, defined: set[str]) -> list[str]:
    """The stand-in names a block needs that nothing defined before it."""
    return sorted(name for name in used_names(code) & set(STAND_INS)
                  if name not in defined)


def says_needs_os_vif(block: Block) -> bool:
    """True if the README says, before the block or in it, it needs os-vif."""
    comments = ' '.join(line.strip().lstrip('#') for line in
                        block.code.splitlines()
                        if line.strip().startswith('#'))
    return NEEDS_OS_VIF.search(block.intro + ' ' + comments) is not None


def hide_os_vif() -> None:
    """Make os-vif unimportable in this interpreter, as if not installed."""
    for name in [n for n in sys.modules
                 if n == 'os_vif' or n.startswith('os_vif.')]:
        del sys.modules[name]
    sys.modules['os_vif'] = None  # type: ignore[assignment]


def _run_once(code: Any, ns: Namespace, run: Run, needed: list[str],
              without_os_vif: bool) -> bool:
    """One run of a block; True if the check without os-vif applied."""
    if run.make is not None:
        ns.update(run.make(ns))
        missing = [n for n in needed if n not in ns]
        assert not missing, 'no stand-in gave %s' % missing
    if without_os_vif and run.without_os_vif is not None:
        import os_vif_hostinfo as hi
        try:
            exec(code, ns)
        except hi.exception.HostInfoError as exc:
            run.without_os_vif(ns, exc)
        else:
            run.without_os_vif(ns, None)
        return True
    exec(code, ns)
    if run.check is not None:
        run.check(ns)
    return False


def run(path: str, without_os_vif: bool = False) -> int:
    if without_os_vif:
        hide_os_vif()
    with open(path, encoding='utf-8') as stream:
        found = [b for b in blocks(stream.read()) if b.lang == 'python']
    ns: Namespace = {'__name__': '__readme__'}
    for block in found:
        # Line numbers in tracebacks are the README's.
        code = compile('\n' * (block.line - 1) + block.code, path, 'exec')
        needed = stand_ins_for(block.code, set(ns))
        runs = STAND_INS[needed[0]] if needed else [Run(None)]
        needs = False
        try:
            for one in runs:
                needs |= _run_once(code, ns, one, needed, without_os_vif)
            assert not needs or says_needs_os_vif(block), (
                'the block needs os-vif and the README does not say so')
        except BaseException:
            traceback.print_exc()
            print('FAILED: block at %s line %d (stand-ins: %s)'
                  % (path, block.line, ', '.join(needed) or 'none'))
            return 1
        print('ok: block at %s line %d (stand-ins: %s)%s'
              % (path, block.line, ', '.join(needed) or 'none',
                 '; needs os-vif, as the README says' if needs else ''))
    return 0


if __name__ == '__main__':
    args = sys.argv[1:]
    hidden = '--without-os-vif' in args
    sys.exit(run([a for a in args if a != '--without-os-vif'][0], hidden))
