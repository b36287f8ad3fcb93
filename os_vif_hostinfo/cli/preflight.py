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

"""``os-vif-hostinfo preflight``: bind this host against a network host.

Nothing is sent anywhere. The network host is simulated by
:func:`os_vif_hostinfo.neutron.decide_binding`, the very function the ML2
reference driver calls (looked up in its own module at each call, so what
the driver runs is what runs here), with the VIF classes and pin given on
the command line; the compute host is this host's discovery, sent through
:func:`~os_vif_hostinfo.negotiation.negotiate` and
:func:`~os_vif_hostinfo.neutron.port_sender` as Nova-side code sends it.
So a refusal and the backlevel that follows happen here exactly as they
would on a real port, before anything is upgraded.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
import contextlib
import logging
from typing import Any, NamedTuple

from oslo_serialization import jsonutils
from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo.cli import _argtypes
from os_vif_hostinfo.cli import explain
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import neutron
from os_vif_hostinfo.neutron import binding
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

#: The port id and host the simulated binding uses.
PORT_ID = 'preflight'
HOST = 'this-host'
#: The peer name of the simulated network host.
PEER = 'the simulated network host'


class UnknownVIFClass(exception.HostInfoError):
    """``--offer`` names a VIF class that cannot be produced here.

    A network host offers the classes it has; simulating one that offers
    a class this process has no version of would silently drop it and
    predict another binding, so it is a usage error naming the fix.
    """

    msg_fmt = ('argument --offer: no VIF class %(names)s here: %(why)s; '
               '%(fix)s')
    exit_status = status.USAGE


class Attempt(NamedTuple):
    """One simulated port update and the network host's decision."""

    version: str
    profile_size: int
    decision: binding.BindingDecision


class Outcome(NamedTuple):
    """What a preflight found."""

    rows: list[tuple[str, Any]]
    status: int
    attempts: list[Attempt]


def offer_list(text: str) -> list[str]:
    """argparse type of ``--offer``: VIF class names, ``Name:X.Y`` capped.

    :raises argparse.ArgumentTypeError: for an empty name or a bad cap.
    """
    items = [item.strip() for item in text.split(',') if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError('expected VIF class names')
    for item in items:
        name, _, cap = item.partition(':')
        if not name.isidentifier():
            raise argparse.ArgumentTypeError(
                'not a VIF class name: %r' % name)
        if cap:
            try:
                versions.parse(cap, field='cap of %s' % name)
            except exception.InvalidVersion as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None
    return items


def profile_keys(text: str) -> dict[str, Any]:
    """argparse type of ``--profile-keys``: a JSON object.

    :raises argparse.ArgumentTypeError: if ``text`` is not one, or holds
        the HostInfo key itself.
    """
    try:
        value = jsonutils.loads(text)
    except (ValueError, RecursionError):
        raise argparse.ArgumentTypeError('not JSON: %.40r' % text) from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(
            'expected a JSON object, got %s'
            % exception.describe_json_type(value))
    if neutron.PROFILE_KEY in value:
        raise argparse.ArgumentTypeError(
            '%s is the key HostInfo goes under' % neutron.PROFILE_KEY)
    return value


def describe_offer(offer: Sequence[str]) -> list[str]:
    """The offered VIF classes with the versions the network host has."""
    registry = ovo_base.VersionedObjectRegistry.obj_classes()
    lines = []
    for item in offer:
        name, _, cap = item.partition(':')
        have = sorted({cls.VERSION for cls in registry.get(name, ())},
                      key=versions.parse)
        text = '%s %s' % (name, ', '.join(have) if have else
                          '(not a registered class)')
        if cap:
            text += ', capped at %s' % cap
        lines.append(text)
    return lines


def unknown_offers(offer: Sequence[str],
                   registry: objects.Registry | None = None) -> list[str]:
    """The uncapped names of ``offer`` that have no class in ``registry``.

    A capped name (``Name:X.Y``) is known whatever the registry holds: the
    cap says which version the network host produces.
    """
    if registry is None:
        registry = ovo_base.VersionedObjectRegistry.obj_classes()
    unknown = []
    for item in offer:
        name, _, cap = item.partition(':')
        if not cap and not registry.get(name) and name not in unknown:
            unknown.append(name)
    return unknown


def check_offers(offer: Sequence[str], have_os_vif: bool) -> None:
    """Refuse an offer this process cannot produce, naming the fix.

    :raises UnknownVIFClass: if an uncapped name has no registered class.
    """
    unknown = unknown_offers(offer)
    if not unknown:
        return
    example = '%s:1.0' % unknown[0]
    if have_os_vif:
        why = 'neither os-vif nor any other package registers %s' % (
            'these classes' if len(unknown) > 1 else 'that class')
        fix = ('check the name, or give the version the network host '
               'produces, e.g. --offer %s' % example)
    else:
        why = 'os-vif, which defines the VIF classes, is not installed'
        fix = ("install it (pip install os-vif; from a clone, pip install "
               "'.[cli]' brings it), or give the version the network host "
               "produces, e.g. --offer %s" % example)
    raise UnknownVIFClass(names=', '.join(unknown), why=why, fix=fix)


def preflight(info: objects.HostInfo, offer: Sequence[str],
              pin: str | None = None,
              profile: dict[str, Any] | None = None) -> Outcome:
    """Run ``info`` through a network host offering ``offer`` at ``pin``.

    :param profile: keys Nova puts in the profile beside HostInfo, so the
        size check counts them.
    """
    attempts: list[Attempt] = []
    sending: list[str] = []

    def update_port(body: dict[str, Any]) -> dict[str, Any]:
        # The network host's side of one port update: what ML2 would
        # store, and what the reference driver would decide.
        sent = body['binding:profile']
        decision = binding.decide_binding(sent, list(offer), pin=pin)
        if decision is None:
            # port_sender always puts HostInfo in; a driver without it
            # would leave the port to the next one.
            raise exception.BindingFailed(
                port=PORT_ID, host=HOST, vif_type=neutron.VIF_TYPE_UNBOUND,
                reason='the profile sent carries no HostInfo')
        attempts.append(Attempt(sending[-1], neutron.profile_length(sent),
                                decision))
        return {'id': PORT_ID, 'binding:host_id': HOST,
                'binding:profile': sent,
                'binding:vif_type': decision.vif_type,
                'binding:vif_details': decision.vif_details}

    rows: list[tuple[str, Any]] = [
        ('This host offers', explain.OfferColumn(explain.offers(info))),
        ('HostInfo', str(objects.current_version('HostInfo'))),
        ('Network host offers', explain.OfferColumn(describe_offer(offer))),
        ('Pin', pin or 'none'),
    ]
    port_send = neutron.port_sender(update_port, profile)

    def send(payload: str) -> negotiation.VIFChoice:
        sending.append(str(jsonutils.loads(payload)[wire.KEY_VERSION]))
        return port_send(payload)

    choice = None
    error: exception.HostInfoError | None = None
    try:
        with _quiet(negotiation.LOG):
            choice = negotiation.negotiate(info, send, peer=PEER,
                                           cache=negotiation.PeerCache())
    except exception.HostInfoError as exc:
        error = exc
    rows.append(('Attempts', explain.OfferColumn(
        [_attempt_line(index, attempt)
         for index, attempt in enumerate(attempts, 1)])))
    if len(sending) > 1:
        rows.append(('Backlevel', 'yes: HostInfo %s' % ' -> '.join(sending)))
    else:
        rows.append(('Backlevel', 'no'))
    if choice is not None:
        last = attempts[-1].decision
        rows += [('Outcome', 'bound'),
                 ('Plugin', choice.plugin_name),
                 ('VIF class', choice.vif_object_name),
                 ('VIF version', choice.version),
                 ('vif_type', last.vif_type)]
        status = explain.BOUND
    else:
        assert error is not None
        refused = isinstance(error, (exception.NegotiationFailed,
                                     exception.UnsupportedVersion))
        if attempts and attempts[-1].decision.error is not None:
            # The network host's own reason, not the compute host's
            # rewording of it.
            error = attempts[-1].decision.error
        rows += [('Outcome', 'refused' if refused else 'failed'),
                 ('Reason', str(error))]
        status = explain.REFUSED if refused else explain.FAILED
    rows.append(('Profile fits', _fits(attempts, error)))
    return Outcome(rows, status, attempts)


def _attempt_line(index: int, attempt: Attempt) -> str:
    decision = attempt.decision
    if decision.error is None:
        what = 'bound'
    elif isinstance(decision.error, exception.UnsupportedVersion):
        what = 'refused: reads %s up to %s' % (
            decision.error.object_name,
            decision.error.max_supported_version)
    else:
        what = 'failed: %s' % decision.error
    return '%d. HostInfo %s, %d of %d characters: %s' % (
        index, attempt.version, attempt.profile_size,
        neutron.MAX_PROFILE_LENGTH, what)


def _fits(attempts: Sequence[Attempt],
          error: exception.HostInfoError | None) -> str:
    if isinstance(error, exception.ProfileTooLarge):
        return 'no: %s' % error
    if not attempts:
        return 'not measured'
    size = attempts[-1].profile_size
    return '%s: %d of %d characters' % (
        'yes' if size <= neutron.MAX_PROFILE_LENGTH else 'no', size,
        neutron.MAX_PROFILE_LENGTH)


class Preflight(explain.StatusShowOne):
    """Bind this host's HostInfo against a simulated network host.

    The network host offers the VIF classes of ``--offer`` (most preferred
    first; ``Name:X.Y`` caps a class at that version) and reads HostInfo
    up to ``--pin``. An uncapped class with no class of that name here
    (os-vif missing, or a typo) is a usage error naming the fix.
    """

    _epilog = status.epilog('preflight')  # type: ignore[assignment]

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--offer', metavar='VIF[:X.Y],...', type=offer_list,
            action='extend', required=True,
            help='VIF classes the network host can produce, most preferred '
                 'first (repeatable); VIFVHostUser:1.0 caps that class at '
                 'version 1.0')
        parser.add_argument(
            '--pin', metavar='X.Y', type=_argtypes.hostinfo_pin,
            help='the highest HostInfo version the network host reads '
                 '(default: the newest this release knows)')
        parser.add_argument(
            '--profile-keys', metavar='JSON', type=profile_keys,
            help='binding:profile keys Nova puts beside HostInfo, as a JSON '
                 'object (e.g. \'{"pci_slot": "0000:81:00.1"}\'), so that '
                 'the size check counts them')
        return parser

    def take_action(self, parsed_args: argparse.Namespace,
                    ) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        check_offers(parsed_args.offer, _register_os_vif())
        info = discovery.HostInfoProvider().host_info()
        outcome = preflight(info, parsed_args.offer, parsed_args.pin,
                            parsed_args.profile_keys)
        self._status = outcome.status
        return explain._columns(outcome.rows)


def _register_os_vif() -> bool:
    # The network host's VIF classes are os-vif's, which Neutron installs
    # (and the cli extra brings); without os-vif only capped classes can
    # be offered (check_offers says so).
    try:
        import os_vif.objects
    except ImportError:
        return False
    os_vif.objects.register_all()
    return True


class _BelowWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


@contextlib.contextmanager
def _quiet(logger: logging.Logger) -> Iterator[None]:
    # negotiate() logs the backlevel at INFO; the rows already say it.
    dropper = _BelowWarning()
    logger.addFilter(dropper)
    try:
        yield
    finally:
        logger.removeFilter(dropper)
