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

"""``os-vif-hostinfo demo``: the negotiation, narrated, over oslo.messaging.

Without arguments one process runs a service host and two network hosts of
different releases (one current, one that reads HostInfo 1.0 only) over
oslo.messaging's in-memory ``fake://`` transport. ``--transport-url``
runs the network hosts as separate processes on a real broker;
``--network-host`` and ``--service-host`` run one side each.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
import contextlib
import logging
import os
import signal
import subprocess
import threading
from typing import Any, TextIO
import uuid
import warnings

from cliff import command
from os_vif_hostinfo.cli import demo_hosts as hosts
from os_vif_hostinfo.cli.demo_hosts import DEFAULT_PEERS
from os_vif_hostinfo.cli.demo_hosts import Release
from os_vif_hostinfo.cli.demo_hosts import RELEASES
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)


class Narrator:
    """Short, readable lines; colored only on a terminal."""

    COLORS = {'ok': '32', 'refused': '33', 'fatal': '1;31', 'step': '1',
              'dim': '2'}

    def __init__(self, out: TextIO, color: bool | None = None) -> None:
        self.out = out
        if color is None:
            color = (hasattr(out, 'isatty') and out.isatty()
                     and 'NO_COLOR' not in os.environ)
        self.color = color

    def paint(self, text: str, kind: str) -> str:
        if not self.color:
            return text
        return '\033[%sm%s\033[0m' % (self.COLORS[kind], text)

    def say(self, text: str = '', kind: str | None = None,
            indent: int = 0) -> None:
        line = ' ' * indent + (self.paint(text, kind) if kind else text)
        self.out.write(line + '\n')
        self.out.flush()


def _load_rpc() -> Any:
    # oslo.messaging pulls in eventlet, which warns on import; the warning
    # is about oslo.messaging's internals, not this demo.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import oslo_messaging  # noqa: F401

        from os_vif_hostinfo import rpc
    return rpc


def _make_conf(args: argparse.Namespace) -> Any:
    from oslo_config import cfg

    from os_vif_hostinfo import opts
    conf = cfg.ConfigOpts()
    opts.register_opts(conf)
    conf(args=[], project='os-vif-hostinfo',
         default_config_files=args.config_file or [])
    if args.topic:
        conf.set_override('topic', args.topic, group=opts.GROUP_NAME)
    if args.timeout is not None:
        conf.set_override('timeout', args.timeout, group=opts.GROUP_NAME)
    return conf


def _transport(conf: Any, url: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import oslo_messaging
    return oslo_messaging.get_rpc_transport(conf, url=url)


def _where(conf: Any, url: str) -> str:
    """The transport URL without credentials, for narration."""
    import oslo_messaging
    parsed = oslo_messaging.TransportURL.parse(conf, url)
    hosts = ','.join('%s:%s' % (h.hostname, h.port) if h.port else
                     str(h.hostname) for h in parsed.hosts)
    return '%s://%s' % (parsed.transport, hosts)


class Demo(command.Command):
    """Narrate a HostInfo negotiation across releases over oslo.messaging.

    A service host negotiates with a current network host and with one
    that reads HostInfo 1.0 only.
    """

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--transport-url', metavar='URL',
            help='oslo.messaging transport, e.g. rabbit://user:pass@host/. '
                 'Default: the in-memory fake:// transport, all in one '
                 'process; with a URL the network hosts run as separate '
                 'processes.')
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            '--network-host', metavar='NAME',
            help='run only a network host called NAME, until interrupted')
        mode.add_argument(
            '--service-host', metavar='NAME', nargs='?', const='compute-1',
            help='run only the service host (default name compute-1) '
                 'against the network hosts named by --peer')
        parser.add_argument(
            '--release', choices=sorted(RELEASES), default='current',
            help='network host: the release it runs (old reads HostInfo '
                 '1.0 only)')
        parser.add_argument(
            '--pin', metavar='VERSION',
            help='network host: highest HostInfo version to accept')
        parser.add_argument(
            '--peer', action='append', metavar='NAME',
            help='service host: a network host to ask (repeatable); '
                 'default: %s' % ', '.join(n for n, _ in DEFAULT_PEERS))
        parser.add_argument(
            '--topic', help='RPC topic (default: [os_vif_hostinfo] topic)')
        parser.add_argument(
            '--timeout', type=float, default=None,
            help='service host: seconds to wait for each answer')
        parser.add_argument(
            '--serve-for', type=float, default=None, metavar='SECONDS',
            help='network host: stop after this many seconds')
        parser.add_argument(
            '--config-file', action='append', metavar='PATH',
            help='oslo.config file(s) with [os_vif_hostinfo] and transport '
                 'options')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        # eventlet, imported deep inside oslo.messaging, warns that it is
        # deprecated; that is not this demo's story.
        warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
        rpc = _load_rpc()
        args = parsed_args
        narrator = Narrator(self.app.stdout)
        conf = _make_conf(args)
        if args.network_host:
            return run_network_host(
                rpc, conf, args.network_host, RELEASES[args.release],
                args.transport_url or 'fake://', narrator, pin=args.pin,
                serve_for=args.serve_for)
        if args.service_host:
            if not args.transport_url:
                raise exception.HostInfoError(
                    '--service-host needs --transport-url: the fake:// '
                    'transport does not leave this process')
            peers = args.peer or [n for n, _ in DEFAULT_PEERS]
            transport = _transport(conf, args.transport_url)
            try:
                return run_service_host(rpc, conf, transport,
                                        args.service_host, peers, narrator)
            finally:
                transport.cleanup()
        if args.transport_url and not args.transport_url.startswith(
                'fake:'):
            return run_across_processes(rpc, conf, args.transport_url,
                                        narrator, args)
        return run_in_process(rpc, conf, narrator)


def run_in_process(rpc: Any, conf: Any, narrator: Narrator) -> int:
    """Service host and both network hosts in this process, on fake://."""
    transport = _transport(conf, 'fake://')
    servers = []
    try:
        narrator.say('HostInfo negotiation over oslo.messaging (fake:// '
                     'transport, one process)', 'step')
        for name, release_name in DEFAULT_PEERS:
            release = RELEASES[release_name]
            server = rpc.get_server(transport, name,
                                    hosts.make_handler(name, release), conf,
                                    pin=release.pin(None))
            server.start()
            servers.append(server)
            narrator.say('network host %s: %s' % (
                name, release.describe(None)), indent=2)
        with narrating_logs(narrator, indent=6):
            return run_service_host(rpc, conf, transport, 'compute-1',
                                    [n for n, _ in DEFAULT_PEERS], narrator)
    finally:
        for server in servers:
            server.stop()
            server.wait()
        transport.cleanup()


def run_across_processes(rpc: Any, conf: Any, url: str, narrator: Narrator,
                         args: argparse.Namespace) -> int:
    """Both network hosts as child processes on a real broker."""
    topic = args.topic or 'os_vif_hostinfo_demo_%s' % uuid.uuid4().hex[:8]
    conf.set_override('topic', topic, group='os_vif_hostinfo')
    narrator.say('HostInfo negotiation over oslo.messaging (%s, topic %s, '
                 'separate processes)' % (_where(conf, url), topic), 'step')
    children: list[subprocess.Popen[str]] = []
    try:
        for name, release in DEFAULT_PEERS:
            cmd = hosts.network_host_command(name, release, url, topic)
            for path in args.config_file or []:
                cmd += ['--config-file', path]
            child = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
            children.append(child)
            first = hosts.wait_ready(child, timeout=60)
            narrator.say('network host %s (pid %d): %s' % (
                name, child.pid, first), indent=2)
        transport = _transport(conf, url)
        try:
            return run_service_host(rpc, conf, transport, 'compute-1',
                                    [n for n, _ in DEFAULT_PEERS], narrator)
        finally:
            transport.cleanup()
    finally:
        for child in children:
            hosts.stop_child(child)


def run_network_host(rpc: Any, conf: Any, name: str, release: Release,
                     url: str, narrator: Narrator, pin: str | None = None,
                     serve_for: float | None = None) -> int:
    """Serve as network host ``name`` until SIGTERM/SIGINT (or a time)."""
    effective = release.pin(pin)
    transport = _transport(conf, url)
    handler = hosts.make_handler(name, release)

    def narrated(info: objects.HostInfo) -> dict[str, Any]:
        try:
            answer = handler(info)
        except exception.HostInfoError as exc:
            narrator.say('%s: cannot answer: %s' % (name, exc), 'refused')
            raise
        narrator.say('%s: chose %s %s for plugin %s' % (
            name, answer['vif']['versioned_object.name'],
            answer['vif']['versioned_object.version'], answer['plugin']))
        return answer
    server = rpc.get_server(transport, name, narrated, conf, pin=effective)
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *a: stop.set())
                for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        with narrating_logs(narrator, indent=0):
            server.start()
            narrator.say('network host %s: %s, listening on %s topic %s' % (
                name, release.describe(pin), _where(conf, url),
                conf.os_vif_hostinfo.topic))
            narrator.say(hosts.READY)
            stop.wait(serve_for)
            server.stop()
            server.wait()
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        transport.cleanup()
    return 0


@contextlib.contextmanager
def narrating_logs(narrator: Narrator, indent: int) -> Iterator[None]:
    """Tell the network host's side of the story from the adapter's logs.

    The service host's own narration already says what negotiate logs,
    so that logger is kept quiet meanwhile.
    """
    handler = _NarratingHandler(narrator, indent)
    server_log = logging.getLogger('os_vif_hostinfo.rpc.server')
    quiet_log = logging.getLogger('os_vif_hostinfo.negotiation')
    saved = (server_log.level, server_log.propagate, quiet_log.propagate)
    server_log.addHandler(handler)
    server_log.setLevel(logging.INFO)
    server_log.propagate = False
    quiet_log.propagate = False
    try:
        yield
    finally:
        server_log.removeHandler(handler)
        server_log.setLevel(saved[0])
        server_log.propagate = saved[1]
        quiet_log.propagate = saved[2]


class _NarratingHandler(logging.Handler):
    """Shows the endpoint's log lines as narration."""

    def __init__(self, narrator: Narrator, indent: int) -> None:
        super().__init__(logging.INFO)
        self.narrator = narrator
        self.indent = indent

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        kind = 'refused' if record.levelno >= logging.WARNING or (
            ': refused ' in text) else 'dim'
        self.narrator.say(text, kind, indent=self.indent)


def run_service_host(rpc: Any, conf: Any, transport: Any, name: str,
                     peers: list[str], narrator: Narrator) -> int:
    """Negotiate with each peer, narrating; 0 if the story held."""
    info, origin = hosts.this_host_info()
    client = rpc.HostInfoClient(transport, conf, host=name)
    current = str(objects.current_version('HostInfo'))
    narrator.say()
    narrator.say('1. service host %s: %s' % (name, origin), 'step')
    for plugin in info.plugin_info:
        vifs = ', '.join(
            '%s %s-%s' % (v.vif_object_name, v.min_version, v.max_version)
            for v in plugin.vif_info)
        narrator.say('%-13s %s' % (plugin.plugin_name, vifs), indent=3)
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
