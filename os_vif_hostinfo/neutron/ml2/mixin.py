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

"""Port binding with host information, for any ML2 mechanism driver.

A driver mixes :class:`HostInfoBindingMixin` in and calls
:meth:`~HostInfoBindingMixin.bind_port_with_host_info` from its own
``bind_port``. The decision itself is
:func:`os_vif_hostinfo.neutron.binding.decide_binding`; this module only
carries it into ML2: which segment, which details, what to log.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
import logging
import threading
from typing import Any

from neutron_lib.api.definitions import portbindings
from neutron_lib.plugins.ml2 import api

from os_vif_hostinfo import _lru
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo.neutron import binding
from os_vif_hostinfo.neutron import report
from os_vif_hostinfo import wire

LOG = logging.getLogger(__name__)

#: How many (port, host, reason) failures are remembered so that ML2's
#: retries of one failed binding log one WARNING, not ten.
_WARNED_SIZE = 1024

_DECODER_LOCK = threading.Lock()


class HostInfoBindingMixin:
    """Binds a port with the VIF its compute host said it can plug.

    Mix into a mechanism driver (before the driver's base class) and call
    :meth:`bind_port_with_host_info` where the driver would call
    ``context.set_binding``. Set :attr:`host_info_pin`,
    :attr:`host_info_cache_size` and :attr:`host_info_registry` from the
    driver's configuration in ``initialize()``; the defaults read every
    version this library reads and offer os-vif's registered classes.
    """

    #: Highest HostInfo version accepted, as "MAJOR.MINOR"; None: newest.
    host_info_pin: str | None = None
    #: How many descriptions the driver's Decoder remembers.
    host_info_cache_size: int = 128
    #: VIF class name -> versions this driver can send; None: os-vif's.
    host_info_registry: Mapping[str, Iterable[Any]] | None = None

    @property
    def host_info_decoder(self) -> wire.Decoder:
        """The Decoder this driver instance reads every profile with.

        Made on first use and shared by every binding (and thread) of
        the instance, so the ports of a known compute host are answered
        from memory; its ``hits`` and ``misses`` tell how often.
        """
        decoder = self.__dict__.get('_host_info_decoder')
        if decoder is None:
            with _DECODER_LOCK:
                decoder = self.__dict__.get('_host_info_decoder')
                if decoder is None:
                    decoder = report.ReportDecoder(
                        self.host_info_cache_size)
                    self.__dict__['_host_info_decoder'] = decoder
        return decoder

    def reset_host_info_decoder(self) -> None:
        """Forget every remembered description (after a change of pin)."""
        self.__dict__.pop('_host_info_decoder', None)

    def bind_port_with_host_info(
            self, context: api.PortContext,
            candidates: Iterable[Any],
            vif_type_for: Callable[[negotiation.VIFChoice], str] | None = None,
            *, segments: Iterable[Mapping[str, Any]] | None = None,
            vif_details: Mapping[str, Any] | None = None) -> bool:
        """Bind ``context``'s port from its compute host's HostInfo.

        The HostInfo comes from the port's profile when it has one (it is
        per port and fresher), else from the report of the binding host's
        alive HostInfo agent (:data:`~os_vif_hostinfo.neutron.AGENT_TYPE`),
        the way for an unmodified Nova, live migration's inactive
        bindings included; ``os_vif_hostinfo_source`` in vif_details says
        which (``profile`` or ``agent``).

        Returns False, having done nothing, when there is no HostInfo
        (a compute host without this library, or whose agent is dead:
        bind it the way the driver always did) or when ``segments`` is
        empty. Otherwise
        calls ``context.set_binding`` on the first of ``segments`` (by
        default ``context.segments_to_bind``; pass the ones the driver's
        own checks accept) and returns True: with the chosen VIF's
        vif_type and ``vif_details`` plus ``os_vif_plugin``,
        ``os_vif_object`` and ``os_vif_version``; or, when the HostInfo is
        too new, unreadable or has nothing in common with ``candidates``,
        with vif_type ``binding_failed`` and the error body under
        ``os_vif_hostinfo_error``, logged as a WARNING naming the port,
        the host, the agent (if any) and the reason.

        Never raises for what the profile or report holds: ML2 goes on to
        the next port whatever a compute host wrote.

        :param candidates: VIF classes (names or OVO classes) the driver
            can bind with here, most preferred first.
        :param vif_type_for: the Neutron vif_type for a choice, when the
            driver knows better than os-vif's correspondence (e.g. ``ovs``
            for a VIFBridge wired by the Open vSwitch agent).
        """
        port = context.current
        candidates = list(candidates)
        source = binding.SOURCE_PROFILE
        agent = None
        decision = self._decide(context, binding.decide_binding,
                                port.get(portbindings.PROFILE), candidates,
                                vif_type_for)
        if decision is None:
            agent = self._host_info_agent(context)
            if agent is None:
                return False
            source = binding.SOURCE_AGENT
            decision = self._decide(context, binding.decide_from_report,
                                    agent.get('configurations'), candidates,
                                    vif_type_for)
        if decision is None:
            return False
        segment = next(iter(segments if segments is not None
                            else context.segments_to_bind), None)
        if segment is None:
            LOG.debug('Port %(port)s on host %(host)s carries host '
                      'information but no segment to bind here',
                      {'port': port.get('id'), 'host': context.host})
            return False
        details = {**(vif_details or {}), **decision.vif_details,
                   binding.VIF_DETAILS_SOURCE: source}
        if decision.error is not None:
            self._warn_failed(context, decision.error, agent)
        else:
            LOG.debug('Port %(port)s on host %(host)s: binding %(choice)s '
                      'as vif_type %(vif_type)s from its %(source)s',
                      {'port': port.get('id'), 'host': context.host,
                       'choice': decision.choice, 'source': source,
                       'vif_type': decision.vif_type})
        context.set_binding(segment[api.ID], decision.vif_type, details)
        return True

    def _decide(self, context: api.PortContext,
                decide: Callable[..., binding.BindingDecision | None],
                source: Any, candidates: list[Any],
                vif_type_for: Callable[[negotiation.VIFChoice], str] | None,
                ) -> binding.BindingDecision | None:
        try:
            return decide(source, candidates, pin=self.host_info_pin,
                          decoder=self.host_info_decoder,
                          vif_type_for=vif_type_for,
                          registry=self.host_info_registry)
        except Exception as exc:
            # decide_* turn every bad profile or report into a failed
            # decision; this is a bug (ours or a driver's vif_type_for),
            # and still must not reach ML2.
            LOG.exception('Port %(port)s on host %(host)s: could not decide '
                          'the binding from its host information',
                          {'port': context.current.get('id'),
                           'host': context.host})
            error = exception.HostInfoError(
                'Internal error while reading host information: %s: %s'
                % (type(exc).__name__, exc))
            return binding.BindingDecision(
                host_info=None, choice=None,
                vif_type=binding.VIF_TYPE_BINDING_FAILED,
                vif_details={binding.VIF_DETAILS_ERROR: error.to_dict()},
                error=error)

    def _host_info_agent(self, context: api.PortContext,
                         ) -> Mapping[str, Any] | None:
        """The binding host's alive HostInfo agent, or None.

        A dead agent's report is not used, as Neutron's agent drivers
        bind only with alive agents: the next driver binds.
        """
        try:
            agents = context.host_agents(report.AGENT_TYPE) or []
        except Exception:
            LOG.exception('Host %s: could not list its HostInfo agents',
                          context.host)
            return None
        alive = [a for a in agents if a.get('alive')]
        if not alive:
            if agents:
                LOG.debug('Port %(port)s on host %(host)s: HostInfo agent '
                          '%(agent)s is dead; its report is not used',
                          {'port': context.current.get('id'),
                           'host': context.host,
                           'agent': agents[0].get('id')})
            return None
        return alive[0]

    def _warn_failed(self, context: api.PortContext,
                     error: exception.HostInfoError,
                     agent: Mapping[str, Any] | None = None) -> None:
        warned = self.__dict__.setdefault('_host_info_warned',
                                          _lru.BoundedLRU(_WARNED_SIZE))
        port_id = context.current.get('id')
        agent_id = agent.get('id') if agent is not None else None
        key = (port_id, context.host, agent_id, str(error))
        # ML2 tries a failed binding again, up to ten times in one request:
        # the first attempt tells the operator, the others are noise.
        log = LOG.debug if key in warned else LOG.warning
        warned.put(key, True)
        if agent is None:
            log('Port %(port)s on host %(host)s: binding failed on its host '
                'information: %(reason)s',
                {'port': port_id, 'host': context.host, 'reason': error})
        else:
            log('Port %(port)s on host %(host)s: binding failed on the '
                'report of HostInfo agent %(agent)s: %(reason)s',
                {'port': port_id, 'host': context.host, 'agent': agent_id,
                 'reason': error})
