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

"""Both ends of a Neutron port binding that carries HostInfo.

The compute host sends with :func:`port_sender` (the ``send`` of
:func:`os_vif_hostinfo.negotiate`) and reads the answer with
:func:`read_binding`. The network host decides with
:func:`decide_binding`, the one function a mechanism driver (and any
tool that previews a binding) calls; it needs no neutron import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
import logging
from typing import Any, NamedTuple

from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import exception
from os_vif_hostinfo.negotiation import choose_vif
from os_vif_hostinfo.negotiation import VIFChoice
from os_vif_hostinfo.neutron import profile as _profile
from os_vif_hostinfo.neutron import report as _report
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

#: vif_details key: the os-vif plugin the compute host is to use.
VIF_DETAILS_PLUGIN = 'os_vif_plugin'
#: vif_details key: the os-vif VIF class the network host will send.
VIF_DETAILS_OBJECT = 'os_vif_object'
#: vif_details key: the version of that class.
VIF_DETAILS_VERSION = 'os_vif_version'
#: vif_details key of a failed binding: the error body
#: (:meth:`.exception.HostInfoError.to_dict`).
VIF_DETAILS_ERROR = 'os_vif_hostinfo_error'
#: vif_details key: where the HostInfo that decided came from,
#: :data:`SOURCE_PROFILE` or :data:`SOURCE_AGENT`.
VIF_DETAILS_SOURCE = 'os_vif_hostinfo_source'
#: The port's ``binding:profile`` (per port: it wins).
SOURCE_PROFILE = 'profile'
#: The binding host's HostInfo agent's state report.
SOURCE_AGENT = 'agent'
#: Neutron's vif_type of a binding that failed.
VIF_TYPE_BINDING_FAILED = 'binding_failed'
#: Neutron's vif_type of a port no driver has bound (yet).
VIF_TYPE_UNBOUND = 'unbound'

#: The Neutron vif_type of each os-vif VIF class, as Nova converts them
#: back (``nova.network.os_vif_util``): keyed by ``(plugin, VIF class)``
#: where the vif_type depends on the plugin, else by the class name.
VIF_TYPES: Mapping[Any, str] = {
    ('linux_bridge', 'VIFBridge'): 'bridge',
    ('ovs', 'VIFOpenVSwitch'): 'ovs',
    # Nova turns 'ovs' into VIFBridge when ovs_hybrid_plug is set.
    ('ovs', 'VIFBridge'): 'ovs',
    # 'ovs' with vnic_type direct or vdpa (hardware offload) ...
    ('ovs', 'VIFHostDevice'): 'ovs',
    # ... and with vnic_type remote-managed.
    ('noop', 'VIFHostDevice'): 'ovs',
    ('ovs', 'VIFVHostUser'): 'vhostuser',
    ('vhostuser_fp', 'VIFVHostUser'): 'vhostuser',
    ('contrail_vrouter', 'VIFVHostUser'): 'vhostuser',
    ('noop', 'VIFVHostUser'): 'vhostuser',
    ('agilio_ovs', 'VIFHostDevice'): 'agilio_ovs',
    ('agilio_ovs', 'VIFVHostUser'): 'agilio_ovs',
    'VIFOpenVSwitch': 'ovs',
    'VIFBridge': 'bridge',
    'VIFVHostUser': 'vhostuser',
}

#: vif_details Nova reads to pick that VIF class for the vif_type; a
#: decision adds them so the details agree with the choice.
VIF_DETAILS_FOR: Mapping[tuple[str, str], Mapping[str, Any]] = {
    ('ovs', 'VIFOpenVSwitch'): {'ovs_hybrid_plug': False},
    ('ovs', 'VIFBridge'): {'ovs_hybrid_plug': True},
    ('ovs', 'VIFVHostUser'): {'vhostuser_ovs_plug': True},
}

# Port keys as Neutron's API names them, as openstacksdk's Port
# attributes (the openstack CLI's column names) do, and as a binding of
# the port-bindings API (and openstacksdk's PortBinding) names them.
_KEYS = {
    'id': ('id', 'id', 'port_id'),
    'host': ('binding:host_id', 'binding_host_id', 'host'),
    'vif_type': ('binding:vif_type', 'binding_vif_type', 'vif_type'),
    'vif_details': ('binding:vif_details', 'binding_vif_details',
                    'vif_details'),
}
_MISSING: Any = object()


def _port_field(port: Mapping[str, Any], what: str) -> Any:
    found = _MISSING
    for key in _KEYS[what]:
        try:
            value = port[key]
        except (KeyError, TypeError):
            continue
        if value is not None:
            return value
        # openstacksdk's resources answer None for a key they do not set.
        found = None
    return found


def read_binding(port: Any) -> VIFChoice:
    """What the network host chose, from a port or one of its bindings.

    ``port`` is the port dict (``{'port': {...}}`` is unwrapped), with the
    API's keys (``binding:vif_type``) or openstacksdk's
    (``binding_vif_type``); or a binding of the port-bindings API, which
    Nova creates per destination host during a live migration: its body
    (``host``, ``vif_type``, ``vif_details``; ``{'binding': {...}}`` is
    unwrapped) or openstacksdk's ``PortBinding``.

    :raises UnsupportedVersion: if the binding failed with a refusal body
        under :data:`VIF_DETAILS_ERROR`: back-level and update again.
    :raises MalformedPayload: if such a refusal body is garbage (which
        :func:`os_vif_hostinfo.negotiate` reports as NegotiationFailed).
    :raises BindingFailed: for any other outcome: the binding failed for
        another reason, the port is unbound, or it was bound without (or
        with unusable) ``os_vif_*`` details, e.g. by a driver that does
        not speak host information; ``exc.vif_type`` tells which.
    """
    if isinstance(port, Mapping) and len(port) == 1:
        port = port.get('port', port.get('binding', port))
    if not isinstance(port, Mapping):
        raise exception.BindingFailed(
            port='(unknown)', host='(unknown)', vif_type='(unknown)',
            reason='expected a port object, got %s'
            % exception.describe_json_type(port))
    port_id = _port_field(port, 'id')
    host = _port_field(port, 'host')
    vif_type = _port_field(port, 'vif_type')
    details = _port_field(port, 'vif_details')

    def failed(reason: str) -> exception.BindingFailed:
        return exception.BindingFailed(
            port=_text(port_id), host=_text(host),
            vif_type=_text(vif_type), reason=reason)

    if details is _MISSING or details is None:
        details = {}
    if not isinstance(details, Mapping):
        raise failed('binding:vif_details is %s, not an object'
                     % exception.describe_json_type(details))
    if vif_type is _MISSING:
        raise failed('the port has no binding:vif_type (is the binding '
                     'extension enabled, and are you allowed to see it?)')
    if vif_type == VIF_TYPE_BINDING_FAILED:
        error = details.get(VIF_DETAILS_ERROR)
        if _error_code(error) == exception.UnsupportedVersion.code:
            raise exception.UnsupportedVersion.from_dict(error)
        if error is None:
            raise failed('no mechanism driver could bind the port')
        raise failed(_error_message(error))
    if vif_type == VIF_TYPE_UNBOUND or not vif_type:
        raise failed('the port is not bound (is binding:host_id set?)')
    if not isinstance(vif_type, str):
        raise failed('binding:vif_type is %s, not a string'
                     % exception.describe_json_type(vif_type))
    keys = (VIF_DETAILS_PLUGIN, VIF_DETAILS_OBJECT, VIF_DETAILS_VERSION)
    if not any(key in details for key in keys):
        raise failed('bound without host information (no %s in '
                     'binding:vif_details)' % ', '.join(keys))
    values = []
    for key in keys:
        value = details.get(key)
        if not isinstance(value, str) or not value.strip():
            raise failed('binding:vif_details[%r] is %s, expected a '
                         'non-empty string' % (key, _describe(value)))
        values.append(value)
    try:
        versions.parse(values[2], field=VIF_DETAILS_VERSION)
    except exception.InvalidVersion as exc:
        raise failed(str(exc)) from None
    return VIFChoice(*values)


def _text(value: Any) -> str:
    if value is _MISSING or value is None or value == '':
        return '(unknown)'
    return value if isinstance(value, str) else repr(value)


def _describe(value: Any) -> str:
    if value is None:
        return 'missing'
    return exception.describe_json_type(value)


def _error_code(error: Any) -> Any:
    if isinstance(error, Mapping) and isinstance(error.get('error'), Mapping):
        return error['error'].get('code')
    return None


def _error_message(error: Any) -> str:
    if isinstance(error, Mapping) and isinstance(error.get('error'), Mapping):
        message = error['error'].get('message')
        if isinstance(message, str) and message:
            return message
    return 'the network host failed the binding: %.200r' % (error,)


def port_sender(update_port: Callable[[dict[str, Any]], Any],
                profile: Mapping[str, Any] | None = None,
                host_id: str | None = None,
                max_length: int = _profile.MAX_PROFILE_LENGTH,
                ) -> Callable[[str], VIFChoice]:
    """The ``send`` for :func:`os_vif_hostinfo.negotiate` over a port.

    Each ``send(payload)`` calls ``update_port(body)`` with ``body =
    {'binding:profile': profile's keys + HostInfo}`` (and
    ``'binding:host_id': host_id`` when given) and returns
    :func:`read_binding` of what ``update_port`` returns, the updated
    port. ``update_port`` is the caller's Neutron call, e.g.
    ``lambda body: conn.network.update_port(port, **body)`` with
    openstacksdk or ``lambda body: client.update_port(port_id, {'port':
    body})`` with neutronclient.

    :raises ProfileTooLarge: (from send) if HostInfo does not fit beside
        ``profile``.
    """
    base = dict(profile) if profile is not None else {}

    def send(payload: str) -> VIFChoice:
        body: dict[str, Any] = {
            'binding:profile': _profile.profile_from_payload(
                payload, base, max_length)}
        if host_id is not None:
            body['binding:host_id'] = host_id
        return read_binding(update_port(body))

    return send


class BindingDecision(NamedTuple):
    """What :func:`decide_binding` decided for one port."""

    #: What was read from the profile; None if it could not be read.
    host_info: objects.HostInfo | None
    #: The chosen VIF; None when the binding is to fail.
    choice: VIFChoice | None
    #: The Neutron vif_type to bind with, or ``'binding_failed'``.
    vif_type: str
    #: The ``os_vif_*`` keys, or ``{VIF_DETAILS_ERROR: error body}``.
    vif_details: dict[str, Any]
    #: Why the binding is to fail; None when it is bound.
    error: exception.HostInfoError | None

    @property
    def bound(self) -> bool:
        """True if the decision binds the port."""
        return self.error is None


Candidate = str | type[ovo_base.VersionedObject]


def parse_candidate(candidate: Candidate,
                    ) -> tuple[str, versions.Version | None]:
    """``(VIF class name, cap)`` of a candidate.

    A candidate is a VIF class, its name, or ``'Name:MAJOR.MINOR'``: the
    class capped at that version (never sent newer, e.g. while computes
    are upgraded).

    :raises InvalidArgument: if the candidate is none of those.
    """
    if isinstance(candidate, type) and issubclass(
            candidate, ovo_base.VersionedObject):
        return candidate.obj_name(), None
    if not isinstance(candidate, str):
        raise exception.InvalidArgument(
            name='candidate', value=candidate,
            reason='expected a VIF class, its name or "Name:MAJOR.MINOR"')
    name, sep, cap = candidate.partition(':')
    name = name.strip()
    if not name:
        raise exception.InvalidArgument(
            name='candidate', value=candidate,
            reason='the VIF class name is empty')
    if not sep:
        return name, None
    try:
        return name, versions.parse(cap.strip(), field='candidate cap')
    except exception.InvalidVersion:
        raise exception.InvalidArgument(
            name='candidate', value=candidate,
            reason='the cap after ":" must be "MAJOR.MINOR"') from None


def _capped_registry(candidates: Iterable[Candidate],
                     registry: objects.Registry | None,
                     ) -> tuple[list[Candidate], objects.Registry]:
    """Candidates for choose_vif, and a registry with the caps applied."""
    if registry is None:
        registry = _default_registry()
    plain: list[Candidate] = []
    capped: dict[str, list[Any]] = {}
    for candidate in candidates:
        name, cap = parse_candidate(candidate)
        if cap is None:
            plain.append(candidate if not isinstance(candidate, str)
                         else name)
            continue
        plain.append(name)
        have = [versions.parse(entry if isinstance(entry, str)
                               else entry.VERSION)
                for entry in registry.get(name) or ()]
        produce = {str(v) for v in have if v <= cap}
        if not have or any(v.major == cap.major and v > cap for v in have):
            # Unknown here: the caller says it produces up to the cap.
            # Newer of the same major: it can be backleveled to the cap.
            produce.add(str(cap))
        capped[name] = sorted(produce, key=versions.parse)
    return plain, {**registry, **capped}


def _default_registry() -> objects.Registry:
    """OVO's registry, with os-vif's VIF classes in it if installed."""
    try:
        import os_vif.objects
    except ImportError:
        LOG.debug('os-vif is not installed; VIF classes come from the '
                  'registry as it is')
    else:
        os_vif.objects.register_all()
    return ovo_base.VersionedObjectRegistry.obj_classes()


def _vif_type_of(choice: VIFChoice) -> str:
    for key in ((choice.plugin_name, choice.vif_object_name),
                choice.vif_object_name):
        vif_type = VIF_TYPES.get(key)
        if vif_type is not None:
            return vif_type
    raise exception.InvalidArgument(
        name='candidates', value=choice.vif_object_name,
        reason='no Neutron vif_type is known for VIF class %s of plugin '
        '%s; pass vif_type_for' % (choice.vif_object_name,
                                   choice.plugin_name))


def _failed(host_info: objects.HostInfo | None,
            error: exception.HostInfoError) -> BindingDecision:
    return BindingDecision(host_info, None, VIF_TYPE_BINDING_FAILED,
                           {VIF_DETAILS_ERROR: error.to_dict()}, error)


def decide_binding(profile: Any, candidates: Iterable[Candidate],
                   pin: str | None = None,
                   decoder: wire.Decoder | None = None,
                   vif_type_for: Callable[[VIFChoice], str] | None = None,
                   registry: objects.Registry | None = None,
                   ) -> BindingDecision | None:
    """Decide the binding of a port from its ``binding:profile``.

    :param candidates: the VIF classes the network host can produce, most
        preferred first (see :func:`parse_candidate`); versions come from
        ``registry``, by default OVO's with os-vif's classes registered.
    :param vif_type_for: ``choice -> vif_type``, instead of
        :data:`VIF_TYPES`.
    :returns: None if the profile carries no HostInfo (bind the legacy
        way); else a decision to bind with ``vif_type`` and
        ``vif_details``, or to fail the binding with the error body (the
        refusal body when the HostInfo is too new).
    :raises InvalidArgument: if a candidate is malformed; never for
        anything in ``profile``.
    """
    return _decide(_profile.read_profile, profile, candidates, pin, decoder,
                   vif_type_for, registry)


def decide_from_report(configurations: Any, candidates: Iterable[Candidate],
                       pin: str | None = None,
                       decoder: wire.Decoder | None = None,
                       vif_type_for: Callable[[VIFChoice], str] | None = None,
                       registry: objects.Registry | None = None,
                       ) -> BindingDecision | None:
    """As :func:`decide_binding`, from a HostInfo agent's ``configurations``.

    :returns: None if they carry no report; else as
        :func:`decide_binding`.
    """
    return _decide(_report.read_report, configurations, candidates, pin,
                   decoder, vif_type_for, registry)


def _decide(read: Callable[..., objects.HostInfo | None], source: Any,
            candidates: Iterable[Candidate], pin: str | None,
            decoder: wire.Decoder | None,
            vif_type_for: Callable[[VIFChoice], str] | None,
            registry: objects.Registry | None) -> BindingDecision | None:
    names, merged = _capped_registry(candidates, registry)
    try:
        host_info = read(source, pin=pin, decoder=decoder)
    except exception.HostInfoError as exc:
        LOG.debug('host information unreadable: %s', exc)
        return _failed(None, exc)
    if host_info is None:
        return None
    try:
        choice = choose_vif(host_info, names, registry=merged)
        vif_type = (vif_type_for or _vif_type_of)(choice)
    except exception.HostInfoError as exc:
        return _failed(host_info, exc)
    details: dict[str, Any] = dict(
        VIF_DETAILS_FOR.get((choice.plugin_name, choice.vif_object_name),
                            {}))
    details.update({VIF_DETAILS_PLUGIN: choice.plugin_name,
                    VIF_DETAILS_OBJECT: choice.vif_object_name,
                    VIF_DETAILS_VERSION: choice.version})
    return BindingDecision(host_info, choice, vif_type, details, None)
