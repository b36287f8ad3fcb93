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

"""The service host's half of the demo: negotiate with each network host.

Shared by every mode of ``os-vif-hostinfo demo``: the story is the same
whether the network hosts run in this process or elsewhere.
"""

from __future__ import annotations

from typing import Any

from os_vif_hostinfo.cli.demo import hosts
from os_vif_hostinfo.cli.demo.narrator import Narrator
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

#: Seconds a call may take beyond ``--timeout`` before it is given up (see
#: HostInfoClient's ``grace``): the demo has checked the broker already,
#: so a short grace keeps a broker lost mid-story from stalling it.
CALL_GRACE = 2.0


def run_service_host(rpc: Any, conf: Any, transport: Any, name: str,
                     peers: list[str], narrator: Narrator) -> int:
    """Negotiate with each peer, narrating; 0 if the story held."""
    notes: list[str] = []
    info, origin, sources = hosts.this_host_info(notes)
    client = rpc.HostInfoClient(transport, conf, host=name,
                                grace=CALL_GRACE)
    current = str(objects.current_version('HostInfo'))
    narrator.say()
    narrator.say('1. service host %s: %s' % (name, origin), 'step')
    for note in notes:
        narrator.say('note: %s' % note, 'dim', indent=3)
    for plugin in info.plugin_info:
        vifs = ', '.join(
            '%s %s-%s' % (v.vif_object_name, v.min_version, v.max_version)
            for v in plugin.vif_info)
        narrator.say('%-13s %s' % (plugin.plugin_name, vifs), indent=3)
        narrator.say('described by %s' % sources.get(
            plugin.plugin_name, 'an unknown source'), 'dim', indent=17)
    sizes = {v: len(wire.serialize(info, target_version=v))
             for v in _known_versions()}
    narrator.say('HostInfo payload: %s' % ', '.join(
        '%s bytes at %s' % (size, v) for v, size in sizes.items()),
        indent=3)
    step = 2
    failures = 0
    answers: list[tuple[str, Any]] = []
    for peer in list(peers) + list(peers[-1:]):
        again = peer in [p for p, _ in answers]
        narrator.say()
        narrator.say('%d. ask %s%s' % (step, peer, ' again' if again else ''),
                     'step')
        step += 1
        sends = [0]

        def send(payload: str, peer: str = peer) -> Any:
            sends[0] += 1
            version = wire.loads(payload).get(wire.KEY_VERSION)
            note = ''
            if sends[0] == 1 and client.cache.get(peer) == version and \
                    version != current:
                note = ', remembered for %s' % peer
            elif sends[0] > 1:
                note = ', backleveled'
            narrator.say('-> HostInfo %s (%d bytes%s)' % (
                version, len(payload), note), indent=3)
            try:
                return client.send(payload, server=peer)
            except exception.UnsupportedVersion as exc:
                narrator.say('<- refused: %s up to %s only' % (
                    exc.object_name, exc.max_supported_version),
                    'refused', indent=3)
                raise
        try:
            answer = negotiation.negotiate(info, send, peer=peer,
                                           cache=client.cache)
        except exception.HostInfoError as exc:
            narrator.say('failed: %s' % exc, 'fatal', indent=3)
            failures += 1
            continue
        vif = answer['vif']
        narrator.say('<- %s (%s) chose plugin %s, %s %s' % (
            peer, answer.get('release'), answer['plugin'],
            vif[wire.KEY_NAME], vif[wire.KEY_VERSION]), 'ok', indent=3)
        narrator.say('as a Neutron port: binding:vif_type %s, which Nova '
                     'turns into that os-vif VIF to plug' % hosts.vif_type(
                         answer['plugin'], vif[wire.KEY_NAME]),
                     'dim', indent=3)
        try:
            entry = negotiation.check_vif(vif, info)
        except exception.HostInfoError as exc:
            narrator.say('check_vif: refused: %s' % exc, 'fatal', indent=3)
            failures += 1
        else:
            narrator.say('check_vif: accepted (range %s-%s)' % (
                entry.min_version, entry.max_version), 'ok', indent=3)
        narrator.say('%d round trip%s' % (sends[0],
                                          '' if sends[0] == 1 else 's'),
                     'dim', indent=3)
        answers.append((peer, answer))
    if answers:
        narrator.say()
        narrator.say('%d. a VIF outside the host\'s range' % step, 'step')
        if not refuse_out_of_range(info, answers[0][1]['vif'], narrator):
            failures += 1
    return 1 if failures else 0


def refuse_out_of_range(info: objects.HostInfo, vif: dict[str, Any],
                        narrator: Narrator) -> bool:
    """Show check_vif refusing a too-new VIF; True if it was refused."""
    name = vif[wire.KEY_NAME]
    top = max((versions.parse(v.max_version) for p in info.plugin_info
               for v in p.vif_info if v.vif_object_name == name))
    newer = dict(vif)
    newer[wire.KEY_VERSION] = str(versions.Version(top.major, top.minor + 1))
    narrator.say('a network host ignoring the ranges sends %s %s' % (
        name, newer[wire.KEY_VERSION]), indent=3)
    try:
        negotiation.check_vif(newer, info)
    except exception.VIFVersionOutOfRange as exc:
        narrator.say('check_vif: refused, fatal: %s' % exc, 'fatal',
                     indent=3)
        return True
    narrator.say('check_vif accepted it: this is a bug', 'fatal', indent=3)
    return False


def _known_versions() -> list[str]:
    top = objects.current_version('HostInfo')
    return [str(versions.Version(top.major, minor))
            for minor in range(top.minor, -1, -1)]
