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

"""Tests of os_vif_hostinfo.neutron.profile (no neutron installed)."""

import copy
import json

import hypothesis
from oslo_serialization import jsonutils

from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron import profile as hp
from os_vif_hostinfo import objects
from os_vif_hostinfo import wire
from tests import base
from tests import samples
from tests import strategies

KEY = hp.PROFILE_KEY


def neutron_length(profile):
    """How neutron's ML2 plugin measures a profile before storing it."""
    return len(jsonutils.dumps(profile))


def wide_host(plugins, vifs=4, port_profiles=2):
    """A host of ``plugins`` plugins with os-vif's real class names."""
    vif_names = ['VIFOpenVSwitch', 'VIFBridge', 'VIFVHostUser',
                 'VIFHostDevice', 'VIFGeneric', 'VIFNestedDPDK']
    profile_names = ['VIFPortProfileOpenVSwitch',
                     'VIFPortProfileFPOpenVSwitch',
                     'VIFPortProfileOVSRepresentor',
                     'VIFPortProfileFPBridge', 'VIFPortProfileFPTap',
                     'VIFPortProfile8021Qbg', 'VIFPortProfile8021Qbh',
                     'VIFPortProfileK8sDPDK']
    return objects.HostInfo(plugin_info=[
        samples.plugin('plugin_%02d' % p, [
            samples.vif(vif_names[(p + v) % len(vif_names)], '1.0',
                        '1.%d' % ((p + v) % 3), [
                            samples.profile(
                                profile_names[(p + v + k)
                                              % len(profile_names)],
                                '1.0', '1.%d' % ((p + k) % 3))
                            for k in range(port_profiles)])
            for v in range(vifs)])
        for p in range(plugins)])


class TestBindingProfile(base.TestCase):

    def test_plain_when_it_fits(self):
        info = samples.sample_host()
        profile = hp.binding_profile(info)
        self.assertEqual(json.loads(wire.serialize(info)), profile[KEY])
        self.assertLessEqual(neutron_length(profile), hp.MAX_PROFILE_LENGTH)

    def test_callers_keys_kept_and_not_mutated(self):
        nova = {'pci_slot': '0000:81:00.2', 'physical_network': 'physnet1',
                'capabilities': ['switchdev']}
        before = copy.deepcopy(nova)
        profile = hp.binding_profile(samples.sample_host(), nova)
        self.assertEqual(before, nova)
        self.assertNotIn(KEY, nova)
        for key, value in before.items():
            self.assertEqual(value, profile[key])
        self.assertIsNot(profile, nova)

    def test_compact_when_plain_does_not_fit(self):
        info = wide_host(10)
        self.assertGreater(len(wire.serialize(info)), hp.MAX_PROFILE_LENGTH)
        profile = hp.binding_profile(info)
        self.assertIsInstance(profile[KEY], str)
        self.assertTrue(profile[KEY].startswith(hp.COMPACT_PREFIX))
        self.assertLessEqual(neutron_length(profile), hp.MAX_PROFILE_LENGTH)
        self.assertEqual(wire.serialize(info),
                         wire.serialize(hp.read_profile(profile)))

    def test_goal_ten_plugins_in_1024(self):
        profile = hp.binding_profile(wide_host(10), max_length=1024)
        self.assertLessEqual(neutron_length(profile), 1024)

    def test_measured_as_neutron_measures_non_ascii(self):
        info = objects.HostInfo(plugin_info=[
            samples.plugin('\u00e9' * 200, [samples.vif()])])
        raw = len(json.dumps({KEY: json.loads(wire.serialize(info))},
                             ensure_ascii=False))
        # ensure_ascii makes each e-acute six characters in neutron's text.
        limit = neutron_length({KEY: json.loads(wire.serialize(info))})
        self.assertEqual(raw + 5 * 200, limit)
        profile = hp.binding_profile(info, max_length=limit)
        self.assertIsInstance(profile[KEY], dict)
        profile = hp.binding_profile(info, max_length=limit - 1)
        self.assertIsInstance(profile[KEY], str)
        self.assertLessEqual(neutron_length(profile), limit - 1)

    def test_exactly_at_the_limit(self):
        info = samples.sample_host()
        size = neutron_length(hp.binding_profile(info, {'a': 'b'}))
        self.assertIsInstance(
            hp.binding_profile(info, {'a': 'b'}, max_length=size)[KEY], dict)
        self.assertIsInstance(
            hp.binding_profile(info, {'a': 'b'}, max_length=size - 1)[KEY],
            str)

    def test_too_large_names_both_sizes(self):
        nova = {'pci_vendor_info': 'x' * 4000}
        exc = self.assertRaises(exception.ProfileTooLarge,
                                hp.binding_profile, samples.sample_host(),
                                nova)
        compact = dict(nova, **{KEY: hp.encode_compact(json.loads(
            wire.serialize(samples.sample_host())))})
        self.assertEqual(neutron_length(compact), exc.size)
        self.assertEqual(4095, exc.max_length)
        self.assertIn(str(exc.size), str(exc))
        self.assertIn('4095', str(exc))
        self.assertEqual('host_info_error', exc.to_dict()['error']['code'])

    def test_target_version(self):
        profile = hp.binding_profile(samples.sample_host(),
                                     target_version='1.0')
        self.assertEqual('1.0', profile[KEY]['versioned_object.version'])
        compact = hp.binding_profile(wide_host(10), target_version='1.0')
        self.assertRaises(exception.UnsupportedVersion, hp.read_profile,
                          hp.binding_profile(wide_host(10)), pin='1.0')
        read = hp.read_profile(compact, pin='1.0')
        self.assertEqual(wire.serialize(wide_host(10), '1.0'),
                         wire.serialize(read, '1.0'))
        self.assertEqual([], read.plugin_info[0].vif_info[0]
                         .supported_port_profiles)

    def test_bad_arguments(self):
        info = samples.sample_host()
        self.assertRaises(exception.InvalidObject, hp.binding_profile, {})
        self.assertRaises(exception.InvalidArgument, hp.binding_profile,
                          info, ['not', 'a', 'dict'])
        self.assertRaises(exception.InvalidArgument, hp.binding_profile,
                          info, max_length=0)
        self.assertRaises(exception.InvalidArgument, hp.binding_profile,
                          info, {'x': object()})
        self.assertRaises(exception.UnsupportedVersion, hp.binding_profile,
                          info, target_version='1.9')

    def test_from_payload_keeps_version(self):
        payload = wire.serialize(samples.sample_host(), '1.0')
        profile = hp.profile_from_payload(payload, {'vf_num': 3})
        self.assertEqual(3, profile['vf_num'])
        self.assertEqual(json.loads(payload), profile[KEY])


class TestReadProfile(base.TestCase):

    def test_legacy(self):
        self.assertIsNone(hp.read_profile(None))
        self.assertIsNone(hp.read_profile({}))
        self.assertIsNone(hp.read_profile({'pci_slot': '0000:00:01.0'}))

    def test_plain_round_trip(self):
        info = samples.sample_host()
        read = hp.read_profile(hp.binding_profile(info))
        self.assertEqual(wire.serialize(info), wire.serialize(read))

    def test_plain_through_json_as_neutron_stores_it(self):
        info = samples.sample_host()
        stored = jsonutils.dumps(hp.binding_profile(info, {'a': 1}))
        read = hp.read_profile(json.loads(stored))
        self.assertEqual(wire.serialize(info), wire.serialize(read))

    @hypothesis.settings(max_examples=200)
    @hypothesis.given(strategies.host_infos())
    def test_compact_round_trip(self, info):
        value = hp.encode_compact(json.loads(wire.serialize(info)))
        read = hp.read_profile({KEY: value})
        self.assertEqual(wire.serialize(info), wire.serialize(read))

    def test_pin_refuses_newer(self):
        for info in (samples.sample_host(), wide_host(10)):
            profile = hp.binding_profile(info)
            exc = self.assertRaises(exception.UnsupportedVersion,
                                    hp.read_profile, profile, pin='1.0')
            self.assertEqual('1.0', exc.max_supported_version)
            self.assertEqual('1.1', exc.requested_version)

    def test_decoder_remembers(self):
        decoder = wire.Decoder()
        for info in (samples.sample_host(), wide_host(10)):
            profile = hp.binding_profile(info)
            first = hp.read_profile(profile, decoder=decoder)
            second = hp.read_profile(copy.deepcopy(profile),
                                     decoder=decoder)
            self.assertEqual(wire.serialize(first), wire.serialize(second))
        self.assertEqual(2, decoder.hits)
        self.assertEqual(2, decoder.misses)
