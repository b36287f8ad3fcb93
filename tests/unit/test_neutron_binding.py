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

"""Tests of os_vif_hostinfo.neutron.binding (no neutron installed)."""

import copy

from os_vif import objects as osv_objects

import os_vif_hostinfo as hi
from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from os_vif_hostinfo import wire
from tests import base
from tests import samples

PORT_ID = '8a1c7d52-0a7e-4c1c-9c3f-2f0f6a3b7d10'
HOST = 'compute-7'


def port(vif_type, details=None, style='api', **extra):
    """A port as Neutron's API (or openstacksdk) gives it."""
    if style == 'api':
        result = {'id': PORT_ID, 'binding:host_id': HOST,
                  'binding:vif_type': vif_type,
                  'binding:vif_details': details or {}}
    else:
        result = {'id': PORT_ID, 'binding_host_id': HOST,
                  'binding_vif_type': vif_type,
                  'binding_vif_details': details or {}}
    result.update(extra)
    return result


def bound_details(plugin='ovs', vif='VIFOpenVSwitch', version='1.0'):
    return {hn.VIF_DETAILS_PLUGIN: plugin, hn.VIF_DETAILS_OBJECT: vif,
            hn.VIF_DETAILS_VERSION: version, 'port_filter': True}


class FakeNeutron:
    """A port update as ML2 answers it, deciding with decide_binding."""

    def __init__(self, candidates, pin=None):
        self.candidates = candidates
        self.pin = pin
        self.decoder = wire.Decoder()
        self.bodies = []
        self.profile = {}

    def update_port(self, body):
        self.bodies.append(copy.deepcopy(body))
        self.profile = body.get('binding:profile', self.profile)
        decision = hn.decide_binding(self.profile, self.candidates,
                                     pin=self.pin, decoder=self.decoder)
        if decision is None:
            return port('ovs', {'port_filter': True}, **{
                'binding:profile': self.profile})
        return {'port': port(decision.vif_type, decision.vif_details,
                             **{'binding:profile': self.profile})}


class TestReadBinding(base.TestCase):

    def test_bound_both_key_styles(self):
        for style in ('api', 'sdk'):
            choice = hn.read_binding(port('ovs', bound_details(),
                                          style=style))
            self.assertEqual(hi.VIFChoice('ovs', 'VIFOpenVSwitch', '1.0'),
                             choice)

    def test_envelope_unwrapped(self):
        choice = hn.read_binding({'port': port('vhostuser', bound_details(
            'noop', 'VIFVHostUser', '1.1'))})
        self.assertEqual('1.1', choice.version)

    def test_refusal_is_unsupported_version(self):
        refusal = exception.UnsupportedVersion(
            object_name='HostInfo', requested_version='1.1',
            max_supported_version='1.0')
        exc = self.assertRaises(
            exception.UnsupportedVersion, hn.read_binding,
            port('binding_failed', {hn.VIF_DETAILS_ERROR: refusal.to_dict()}))
        self.assertEqual(refusal.to_dict(), exc.to_dict())

    def test_garbage_refusal_is_malformed(self):
        body = {'error': {'code': 'unsupported_version', 'object': 7}}
        self.assertRaises(exception.MalformedPayload, hn.read_binding,
                          port('binding_failed', {hn.VIF_DETAILS_ERROR: body}))

    def assertFailed(self, the_port, *words, vif_type=None):
        exc = self.assertRaises(exception.BindingFailed, hn.read_binding,
                                the_port)
        message = str(exc)
        for word in words:
            self.assertIn(word, message)
        if vif_type is not None:
            self.assertEqual(vif_type, exc.vif_type)
        return exc

    def test_failed_without_error_body(self):
        exc = self.assertFailed(port('binding_failed'), PORT_ID, HOST,
                                'binding_failed', 'no mechanism driver')
        self.assertEqual(PORT_ID, exc.port)
        self.assertEqual(HOST, exc.host)

    def test_failed_with_host_info_error(self):
        error = exception.NoMatchingVIFClass(vif_name='VIFOpenVSwitch')
        self.assertFailed(
            port('binding_failed', {hn.VIF_DETAILS_ERROR: error.to_dict()}),
            str(error), PORT_ID, HOST)

    def test_unbound_and_missing(self):
        self.assertFailed(port('unbound'), 'not bound', vif_type='unbound')
        self.assertFailed({'id': PORT_ID}, 'no binding:vif_type')
        self.assertFailed('a string', 'expected a port object')
        self.assertFailed(port('ovs', ['x']), 'not an object')

    def test_bound_without_host_info(self):
        self.assertFailed(port('ovs', {'port_filter': True}),
                          'without host information', vif_type='ovs')

    def test_bound_with_garbage_details(self):
        for key, value in ((hn.VIF_DETAILS_VERSION, 'one'),
                           (hn.VIF_DETAILS_VERSION, None),
                           (hn.VIF_DETAILS_OBJECT, 3),
                           (hn.VIF_DETAILS_PLUGIN, ' ')):
            details = bound_details()
            details[key] = value
            self.assertFailed(port('ovs', details), key)


class TestDecideBinding(base.TestCase):

    def test_legacy_profile(self):
        self.assertIsNone(hn.decide_binding({}, ['VIFOpenVSwitch']))
        self.assertIsNone(hn.decide_binding(None, ['VIFOpenVSwitch']))

    def test_binds(self):
        profile = hn.binding_profile(samples.sample_host())
        decision = hn.decide_binding(profile, ['VIFOpenVSwitch'])
        self.assertTrue(decision.bound)
        self.assertEqual('ovs', decision.vif_type)
        self.assertEqual(
            {hn.VIF_DETAILS_PLUGIN: 'ovs',
             hn.VIF_DETAILS_OBJECT: 'VIFOpenVSwitch',
             hn.VIF_DETAILS_VERSION: '1.0', 'ovs_hybrid_plug': False},
            decision.vif_details)

    def test_cap(self):
        profile = hn.binding_profile(samples.sample_host())
        self.assertEqual('1.1', hn.decide_binding(
            profile, ['VIFVHostUser']).choice.version)
        self.assertEqual('1.0', hn.decide_binding(
            profile, ['VIFVHostUser:1.0']).choice.version)

    def test_cap_on_a_class_unknown_here(self):
        host = hi.HostInfo(plugin_info=[samples.plugin(
            'vpp', [samples.vif('VIFVPP', '1.0', '1.3')])])
        decision = hn.decide_binding(
            hn.binding_profile(host), ['VIFVPP:1.2'],
            vif_type_for=lambda choice: 'vhostuser')
        self.assertEqual('1.2', decision.choice.version)
        self.assertEqual('vhostuser', decision.vif_type)

    def test_unknown_vif_type_fails_the_binding(self):
        host = hi.HostInfo(plugin_info=[samples.plugin(
            'vpp', [samples.vif('VIFVPP', '1.0', '1.3')])])
        decision = hn.decide_binding(hn.binding_profile(host),
                                     ['VIFVPP:1.2'])
        self.assertFalse(decision.bound)
        self.assertIn('vif_type_for', str(decision.error))

    def test_refusal(self):
        decision = hn.decide_binding(
            hn.binding_profile(samples.sample_host()), ['VIFOpenVSwitch'],
            pin='1.0')
        self.assertEqual('binding_failed', decision.vif_type)
        self.assertIsInstance(decision.error, exception.UnsupportedVersion)
        self.assertEqual(decision.error.to_dict(),
                         decision.vif_details[hn.VIF_DETAILS_ERROR])
        self.assertIsNotNone(decision.vif_details)

    def test_nothing_in_common(self):
        decision = hn.decide_binding(
            hn.binding_profile(samples.sample_host()), ['VIFHostDevice'])
        self.assertIsInstance(decision.error, exception.NoMatchingVIFClass)
        self.assertIsNotNone(decision.host_info)

    def test_hostile_profile_fails_quietly(self):
        for profile in ({hn.PROFILE_KEY: 't1:garbage'},
                        {hn.PROFILE_KEY: 17},
                        {hn.PROFILE_KEY: {'versioned_object.name': 'x'}},
                        'not a dict'):
            decision = hn.decide_binding(profile, ['VIFOpenVSwitch'])
            self.assertEqual('binding_failed', decision.vif_type)
            self.assertIsInstance(decision.error, exception.MalformedPayload)
            self.assertIsNone(decision.host_info)

    def test_os_vif_classes_as_candidates(self):
        decision = hn.decide_binding(
            hn.binding_profile(samples.sample_host()),
            [osv_objects.vif.VIFBridge])
        self.assertEqual('VIFBridge', decision.choice.vif_object_name)
        self.assertEqual('bridge', decision.vif_type)

    def test_bad_candidates(self):
        for bad in ('', 'VIFBridge:x', 3, ':1.0'):
            self.assertRaises(exception.InvalidArgument, hn.decide_binding,
                              {}, [bad])


class TestPortSender(base.TestCase):

    def test_current_neutron_binds_in_one_update(self):
        neutron = FakeNeutron(['VIFOpenVSwitch'])
        nova = {'pci_slot': '0000:81:00.2'}
        choice = hi.negotiate(samples.sample_host(),
                              hn.port_sender(neutron.update_port, nova),
                              peer='neutron', cache=hi.PeerCache())
        self.assertEqual(hi.VIFChoice('ovs', 'VIFOpenVSwitch', '1.0'),
                         choice)
        self.assertEqual(1, len(neutron.bodies))
        self.assertEqual('0000:81:00.2',
                         neutron.bodies[0]['binding:profile']['pci_slot'])
        self.assertEqual({'pci_slot': '0000:81:00.2'}, nova)

    def test_old_neutron_two_updates_then_one(self):
        neutron = FakeNeutron(['VIFVHostUser'], pin='1.0')
        cache = hi.PeerCache()
        info = samples.sample_host()
        send = hn.port_sender(neutron.update_port, host_id=HOST)
        choice = hi.negotiate(info, send, peer='neutron', cache=cache)
        self.assertEqual('VIFVHostUser', choice.vif_object_name)
        self.assertEqual(2, len(neutron.bodies))
        versions = [body['binding:profile'][hn.PROFILE_KEY][
            'versioned_object.version'] for body in neutron.bodies]
        self.assertEqual(['1.1', '1.0'], versions)
        self.assertEqual(HOST, neutron.bodies[0]['binding:host_id'])
        hi.negotiate(info, send, peer='neutron', cache=cache)
        self.assertEqual(3, len(neutron.bodies))

    def test_legacy_neutron_is_binding_failed(self):
        def update_port(body):
            return port('ovs', {'port_filter': True})
        exc = self.assertRaises(
            exception.BindingFailed, hi.negotiate, samples.sample_host(),
            hn.port_sender(update_port), cache=hi.PeerCache())
        self.assertEqual('ovs', exc.vif_type)

    def test_too_large(self):
        send = hn.port_sender(lambda body: self.fail('sent'),
                              {'x': 'y' * 4090})
        self.assertRaises(exception.ProfileTooLarge, hi.negotiate,
                          samples.sample_host(), send, cache=hi.PeerCache())
