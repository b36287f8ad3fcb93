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

The service host's story is :mod:`.service`, the narration
:mod:`.narrator`, the transport and its bounded shutdown
:mod:`.transport`, the network hosts :mod:`.hosts`.
"""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import threading
from typing import Any
import uuid
import warnings

from cliff import command

from os_vif_hostinfo.cli import _argtypes
from os_vif_hostinfo.cli.demo import hosts
from os_vif_hostinfo.cli.demo.hosts import DEFAULT_PEERS
from os_vif_hostinfo.cli.demo.hosts import Release
from os_vif_hostinfo.cli.demo.hosts import RELEASES
from os_vif_hostinfo.cli.demo.narrator import narrating_logs
from os_vif_hostinfo.cli.demo.narrator import Narrator
from os_vif_hostinfo.cli.demo import service as demo_service
from os_vif_hostinfo.cli.demo.service import run_service_host
from os_vif_hostinfo.cli.demo import transport as link
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects

LOG = logging.getLogger(__name__)

#: Smallest --timeout, as ``[os_vif_hostinfo] timeout`` allows.
MIN_TIMEOUT = 0.1

#: Options that apply to one mode only: dest -> (option, mode).
_MODE_OPTIONS = {
    'release': ('--release', 'network'),
    'pin': ('--pin', 'network'),
    'serve_for': ('--serve-for', 'network'),
    'peer': ('--peer', 'service'),
}
_MODE_NAMES = {'network': '--network-host', 'service': '--service-host',
               'default': 'the default mode (no --network-host or '
                          '--service-host)'}


class Demo(command.Command):
    """Narrate a HostInfo negotiation across releases over oslo.messaging.

    A service host negotiates with a current network host and with one
    that reads HostInfo 1.0 only. Against a message broker it cannot
    reach, every mode says so in one line and exits 5 within --timeout.
    """

    _epilog = status.epilog('demo')  # type: ignore[assignment]

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        self._parser = parser
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
                 'against the network hosts named by --peer; needs '
                 '--transport-url')
        parser.add_argument(
            '--release', choices=sorted(RELEASES), default=None,
            help='network host only: the release it runs (default: '
                 'current; old reads HostInfo 1.0 only)')
        parser.add_argument(
            '--pin', metavar='VERSION', type=_argtypes.hostinfo_pin,
            help='network host only: highest HostInfo version to accept')
        parser.add_argument(
            '--peer', action='append', metavar='NAME',
            help='service host only: a network host to ask (repeatable); '
                 'default: %s' % ', '.join(n for n, _ in DEFAULT_PEERS))
        parser.add_argument(
            '--topic', help='RPC topic (default: [os_vif_hostinfo] topic)')
        parser.add_argument(
            '--timeout', type=status.seconds(MIN_TIMEOUT), default=None,
            metavar='SECONDS',
            help='seconds to wait for the message broker, and for each '
                 'answer (default: [os_vif_hostinfo] timeout); a call is '
                 'given up %g seconds after that' % demo_service.CALL_GRACE)
        parser.add_argument(
            '--serve-for', type=status.seconds(0), default=None,
            metavar='SECONDS',
            help='network host only: stop after this many seconds')
        parser.add_argument(
            '--config-file', action='append', metavar='PATH',
            help='oslo.config file(s) with [os_vif_hostinfo] and transport '
                 'options')
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> int:
        args = parsed_args
        self._check_mode(args)
        # eventlet, imported deep inside oslo.messaging, warns that it is
        # deprecated; that is not this demo's story.
        warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
        rpc = link.load_rpc()
        narrator = Narrator(self.app.stdout)
        conf = link.make_conf(args)
        if args.transport_url:
            link.check_url(conf, args.transport_url)
        if args.network_host:
            release = RELEASES[args.release or 'current']
            return run_network_host(
                rpc, conf, args.network_host, release,
                args.transport_url or 'fake://', narrator, pin=args.pin,
                serve_for=args.serve_for)
        if args.service_host:
            peers = args.peer or [n for n, _ in DEFAULT_PEERS]
            transport = link.transport(conf, args.transport_url)
            with link.shutting_down() as on_exit:
                on_exit(transport.cleanup, 'transport cleanup')
                link.check_broker(conf, transport, args.transport_url)
                return run_service_host(rpc, conf, transport,
                                        args.service_host, peers, narrator)
        if args.transport_url and not args.transport_url.startswith(
                'fake:'):
            return run_across_processes(rpc, conf, args.transport_url,
                                        narrator, args)
        return run_in_process(rpc, conf, narrator)

    def _check_mode(self, args: argparse.Namespace) -> None:
        """Refuse, as usage errors, options the chosen mode ignores."""
        mode = ('network' if args.network_host else
                'service' if args.service_host else 'default')
        for dest, (option, wanted) in _MODE_OPTIONS.items():
            if getattr(args, dest) is not None and mode != wanted:
                self._parser.error(
                    'argument %s: applies to %s only, not to %s'
                    % (option, _MODE_NAMES[wanted], _MODE_NAMES[mode]))
        url = args.transport_url or 'fake://'
        if mode == 'service' and url.startswith('fake:'):
            self._parser.error(
                'argument --service-host: needs --transport-url: the '
                'fake:// transport does not leave this process')


def run_in_process(rpc: Any, conf: Any, narrator: Narrator) -> int:
    """Service host and both network hosts in this process, on fake://."""
    transport = link.transport(conf, 'fake://')
    with link.shutting_down() as on_exit:
        on_exit(transport.cleanup, 'transport cleanup')
        narrator.say('HostInfo negotiation over oslo.messaging (fake:// '
                     'transport, one process)', 'step')
        servers: list[Any] = []
        on_exit(lambda: stop_servers(servers), 'stop the network hosts')
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


def run_across_processes(rpc: Any, conf: Any, url: str, narrator: Narrator,
                         args: argparse.Namespace) -> int:
    """Both network hosts as child processes on a real broker."""
    topic = args.topic or 'os_vif_hostinfo_demo_%s' % uuid.uuid4().hex[:8]
    conf.set_override('topic', topic, group='os_vif_hostinfo')
    transport = link.transport(conf, url)
    children: list[subprocess.Popen[str]] = []
    interrupted = False
    try:
        with link.shutting_down() as on_exit:
            on_exit(transport.cleanup, 'transport cleanup')
            # Before a word is said or a child started: one clear line
            # if the broker cannot be reached.
            link.check_broker(conf, transport, url)
            narrator.say('HostInfo negotiation over oslo.messaging (%s, '
                         'topic %s, separate processes)'
                         % (link.where(conf, url), topic), 'step')
            for name, release in DEFAULT_PEERS:
                cmd = hosts.network_host_command(
                    name, release, url, topic,
                    timeout=conf.os_vif_hostinfo.timeout)
                for path in args.config_file or []:
                    cmd += ['--config-file', path]
                child = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True)
                children.append(child)
                first = hosts.wait_ready(child, timeout=60)
                narrator.say('network host %s (pid %d): %s' % (
                    name, child.pid, first), indent=2)
            return run_service_host(rpc, conf, transport, 'compute-1',
                                    [n for n, _ in DEFAULT_PEERS], narrator)
    except KeyboardInterrupt:
        interrupted = True
        raise
    finally:
        hosts.stop_children(children, timeout=1.0 if interrupted else 15.0)


def run_network_host(rpc: Any, conf: Any, name: str, release: Release,
                     url: str, narrator: Narrator, pin: str | None = None,
                     serve_for: float | None = None) -> int:
    """Serve as network host ``name`` until SIGTERM/SIGINT (or a time).

    :raises BrokerUnreachable: if the broker cannot be reached, or the
        server cannot start listening, within the timeout.
    """
    effective = release.pin(pin)
    transport = link.transport(conf, url)
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
    with link.shutting_down() as on_exit, narrating_logs(narrator,
                                                         indent=0):
        on_exit(transport.cleanup, 'transport cleanup')
        # Until it serves, a signal ends it the usual way, at once.
        link.check_broker(conf, transport, url)
        server = rpc.get_server(transport, name, narrated, conf,
                                pin=effective)
        timeout = conf.os_vif_hostinfo.timeout
        if not link.run_bounded(server.start, timeout, 'server start'):
            raise link.BrokerUnreachable(
                where=link.where(conf, url), timeout='%g' % timeout,
                reason='could not start listening')
        on_exit(_stopper(server), 'stop %s' % name)
        narrator.say('network host %s: %s, listening on %s topic %s' % (
            name, release.describe(pin), link.where(conf, url),
            conf.os_vif_hostinfo.topic))
        narrator.say(hosts.READY)
        _serve(serve_for)
    return status.OK


def _serve(serve_for: float | None) -> None:
    """Wait for SIGTERM or SIGINT (or ``serve_for`` seconds)."""
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}

    def on_signal(*_args: Any) -> None:
        # Stop cleanly (each shutdown step is bounded); a second signal
        # gets the previous behaviour.
        stop.set()
        for sig, old in previous.items():
            signal.signal(sig, old)
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.signal(sig, on_signal)
    try:
        stop.wait(serve_for)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def stop_servers(servers: list[Any]) -> None:
    """Stop RPC servers together: their waits overlap, not add up.

    A server's wait() lasts until each of its idle worker threads notices
    the stop, which futurist's workers do once a second: stopped one
    after the other, two network hosts kept the demo a second or two
    after its last line.
    """
    for server in servers:
        server.stop()
    waiting = [threading.Thread(target=server.wait, daemon=True)
               for server in servers]
    for thread in waiting:
        thread.start()
    for thread in waiting:
        thread.join()


def _stopper(server: Any) -> Any:
    def stop() -> None:
        server.stop()
        server.wait()
    return stop
