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

"""The demo's link to oslo.messaging: configuration, transport, broker.

A demo against a broker that cannot be reached must say so and end, not
hang: oslo.messaging's rabbit driver retries the connection on which
replies arrive forever, and cleaning up a transport waits for that
retry. So the broker is checked first, within the timeout, with a
message that is never retried, and every shutdown step waits a bounded
time in a daemon thread (which cannot keep the process alive).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from collections.abc import Iterator
import contextlib
import importlib.metadata
import logging
import threading
from typing import Any
import warnings

from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception

LOG = logging.getLogger(__name__)

#: Seconds a clean shutdown step (stopping a server, closing a transport)
#: may take before it is left to finish, or not, in the background.
SHUTDOWN_TIMEOUT = 5.0
#: The same after an interrupt: Ctrl-C ends the demo at once.
INTERRUPTED_SHUTDOWN_TIMEOUT = 0.5

#: Topic of the broker check's message; nothing listens on it, so the
#: broker drops the message.
CHECK_TOPIC = 'os_vif_hostinfo_demo_broker_check'


class BrokerUnreachable(exception.HostInfoError):
    """The demo could not reach the message broker."""

    msg_fmt = ('Cannot reach the message broker at %(where)s within '
               '%(timeout)ss: %(reason)s')
    exit_status = status.UNREACHABLE


class UnknownTransport(exception.HostInfoError):
    """``--transport-url`` names no installed oslo.messaging driver."""

    msg_fmt = 'argument --transport-url: %(reason)s'
    exit_status = status.USAGE


def check_url(conf: Any, url: str) -> None:
    """Refuse, as a usage error, a URL no installed driver serves.

    oslo.messaging would log an extra line from stevedore and fail with
    a generic error; this says what is wrong in one line, before any
    transport is made.

    :raises UnknownTransport: if the URL is invalid or its driver is
        not installed.
    """
    import oslo_messaging
    try:
        parsed = oslo_messaging.TransportURL.parse(conf, url)
    except oslo_messaging.InvalidTransportURL as exc:
        raise UnknownTransport(reason=str(exc)) from None
    drivers = sorted({entry.name for entry in importlib.metadata.entry_points(
        group='oslo.messaging.drivers')})
    if parsed.transport not in drivers:
        raise UnknownTransport(
            reason='no oslo.messaging driver %r is installed (drivers: %s)'
            % (parsed.transport, ', '.join(drivers)))


def load_rpc() -> Any:
    """Import the oslo.messaging adapter, quietly."""
    # oslo.messaging pulls in eventlet, which warns on import; the warning
    # is about oslo.messaging's internals, not this demo.
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import oslo_messaging  # noqa: F401

        from os_vif_hostinfo import rpc
    return rpc


def make_conf(args: argparse.Namespace) -> Any:
    """A ConfigOpts with the demo's options applied."""
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


def transport(conf: Any, url: str) -> Any:
    """An RPC transport for ``url``."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import oslo_messaging
    return oslo_messaging.get_rpc_transport(conf, url=url)


def where(conf: Any, url: str) -> str:
    """The transport URL without credentials, for narration."""
    import oslo_messaging
    parsed = oslo_messaging.TransportURL.parse(conf, url)
    hosts = ','.join('%s:%s' % (h.hostname, h.port) if h.port else
                     str(h.hostname) for h in parsed.hosts)
    return '%s://%s' % (parsed.transport, hosts)


def check_broker(conf: Any, rpc_transport: Any, url: str) -> None:
    """Reach the broker once, within ``[os_vif_hostinfo] timeout``.

    A cast with ``retry=0`` opens a connection and publishes once, or
    fails at the first refusal; a broker that does not answer at all is
    given up when the timeout ends. The fake:// transport needs no check.

    :raises BrokerUnreachable: if the broker could not be reached.
    """
    if url.startswith('fake:'):
        return
    import oslo_messaging

    from os_vif_hostinfo.rpc import _compat
    _compat.prepare_conf(rpc_transport.conf)
    timeout = conf.os_vif_hostinfo.timeout
    client = oslo_messaging.get_rpc_client(
        rpc_transport, oslo_messaging.Target(topic=CHECK_TOPIC), retry=0)

    def cast() -> None:
        client.cast({}, 'broker_check')
    try:
        finished = run_bounded(cast, timeout, 'broker check')
    except Exception as exc:
        raise BrokerUnreachable(where=where(conf, url),
                                timeout='%g' % timeout,
                                reason=str(exc) or type(exc).__name__
                                ) from exc
    if not finished:
        raise BrokerUnreachable(where=where(conf, url),
                                timeout='%g' % timeout,
                                reason='no connection')


def run_bounded(step: Callable[[], Any], timeout: float, what: str) -> bool:
    """Run ``step`` in a daemon thread; wait at most ``timeout`` seconds.

    :returns: True if it finished in time (its exception, if any, is
        raised here), False if it is still running; it is then left to
        the daemon thread, which does not keep the process alive.
    """
    outcome: dict[str, BaseException] = {}

    def run() -> None:
        try:
            step()
        except BaseException as exc:
            outcome['error'] = exc
    thread = threading.Thread(target=run, daemon=True,
                              name='os-vif-hostinfo-demo-%s' % what)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        LOG.debug('%s still running after %gs; not waiting', what, timeout)
        return False
    if 'error' in outcome:
        raise outcome['error']
    return True


@contextlib.contextmanager
def shutting_down() -> Iterator[Callable[[Callable[[], Any], str], None]]:
    """Collect shutdown steps; run them on the way out, each bounded.

    An interrupt (Ctrl-C) gives each step a fraction of a second: the
    demo ends at once whatever the broker does.
    """
    steps: list[tuple[Callable[[], Any], str]] = []

    def add(step: Callable[[], Any], what: str) -> None:
        steps.append((step, what))
    timeout = SHUTDOWN_TIMEOUT
    try:
        yield add
    except KeyboardInterrupt:
        timeout = INTERRUPTED_SHUTDOWN_TIMEOUT
        raise
    finally:
        for step, what in reversed(steps):
            try:
                run_bounded(step, timeout, what)
            except Exception as exc:
                LOG.debug('%s failed: %s', what, exc)
