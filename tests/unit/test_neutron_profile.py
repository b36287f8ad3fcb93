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

import base64
import copy
import json
import zlib

import hypothesis
from hypothesis import strategies as st
import jsonschema
from oslo_serialization import jsonutils

from os_vif_hostinfo import _compact
from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron import profile as hp
from os_vif_hostinfo import objects
from os_vif_hostinfo import schema
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


def nova_keys(length=1024):
    """Nova's own profile keys for an SR-IOV port, ``length`` chars."""
    part = {'pci_slot': '0000:81:00.2', 'pci_vendor_info': '15b3:101e',
            'physical_network': 'physnet0', 'card_serial_number': 'MT2116X0',
            'pf_mac_address': '0c:42:a1:5e:d2:10', 'vf_num': 3,
            'capabilities': ['switchdev'], 'allocation': {}}
    index = 0
    while neutron_length(part) < length - 90:
        part['allocation']['group-%03d-4a4e-9b5a-1f0c2d3e4f50' % index] = (
            '%08x-0a8b-4c9d-8e7f-6a5b4c3d2e1f' % index)
        index += 1
    part['physical_network'] += 'x' * (length - neutron_length(part))
    return part


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

    def test_goal_shipped_host_beside_nova_keys(self):
        nova = nova_keys()
        self.assertEqual(1024, neutron_length(nova))
        shipped = discovery.host_info()
        profile = hp.binding_profile(shipped, nova)
        self.assertLessEqual(neutron_length(profile), hp.MAX_PROFILE_LENGTH)
        self.assertEqual(nova, {k: v for k, v in profile.items()
                                if k != KEY})
        self.assertEqual(wire.serialize(shipped),
                         wire.serialize(hp.read_profile(profile)))

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
        compact = dict(nova, **{KEY: _compact.encode(json.loads(
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
        value = _compact.encode(json.loads(wire.serialize(info)))
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


def compact(table_text):
    """A compact value holding ``table_text`` (str or bytes)."""
    if isinstance(table_text, str):
        table_text = table_text.encode('utf-8')
    return hp.COMPACT_PREFIX + base64.b85encode(
        zlib.compress(table_text)).decode('ascii')


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.text(max_size=10), inner, max_size=4),
    max_leaves=20)


class TestHostileProfiles(base.TestCase):

    def assertMalformed(self, value, *words):
        exc = self.assertRaises(exception.MalformedPayload, hp.read_profile,
                                {KEY: value})
        for word in words:
            self.assertIn(word, str(exc))
        return exc

    @hypothesis.given(json_values)
    def test_any_json_value(self, value):
        try:
            result = hp.read_profile({KEY: value})
        except exception.HostInfoError:
            return
        self.assertIsInstance(result, objects.HostInfo)

    @hypothesis.given(st.text(max_size=200))
    def test_any_string(self, text):
        for value in (text, hp.COMPACT_PREFIX + text):
            self.assertRaises(exception.HostInfoError, hp.read_profile,
                              {KEY: value})

    @hypothesis.given(st.binary(max_size=300))
    def test_any_compressed_bytes(self, data):
        try:
            hp.read_profile({KEY: compact(data)})
        except exception.HostInfoError:
            pass

    @hypothesis.given(st.lists(st.integers(-2, 40), max_size=60),
                      st.lists(st.text(max_size=8), max_size=6),
                      st.sampled_from(['1.0', '1.1', '1.2', '2.0', 'x']))
    def test_any_table(self, numbers, strings, version):
        value = compact(json.dumps([version, strings, numbers]))
        try:
            result = hp.read_profile({KEY: value})
        except exception.HostInfoError:
            return
        self.assertIsInstance(result, objects.HostInfo)

    def test_wrong_types(self):
        self.assertMalformed(17, 'expected an object or a compact string')
        self.assertMalformed(['x'], 'an array')
        self.assertMalformed('z9:abc', "must start with 't1:'")
        self.assertRaises(exception.MalformedPayload, hp.read_profile,
                          ['not', 'a', 'profile'])

    def test_garbage_compact(self):
        self.assertMalformed(hp.COMPACT_PREFIX + '"', 'not Base85')
        self.assertMalformed(compact('[1]')[:-3], 'zlib')
        self.assertMalformed(compact('not json'), 'not JSON')
        self.assertMalformed(compact('["1.1", [], []]'), 'ends early')
        self.assertMalformed(compact('["1.1", [], [0, 0]]'), 'left over')
        self.assertMalformed(compact('["1.1", [1], [0]]'), 'non-string')
        self.assertMalformed(compact('["1.1", [], [-1]]'), 'integers >= 0')
        self.assertMalformed(compact('["1.1", [], [true]]'), 'integers')
        self.assertMalformed(compact('["1.1", ["p"], [1, 5, 0]]'),
                             'out of range')
        self.assertMalformed(compact('["1.1", ["p"], [99]]'), 'longer')
        self.assertMalformed(compact('{"a": 1}'), '[version, [strings]')
        # A blank plugin name is refused by the wire's reader.
        self.assertMalformed(compact('["1.1", [" "], [1, 0, 0]]'),
                             'plugin_name')

    def test_too_new_compact(self):
        exc = self.assertRaises(exception.UnsupportedVersion,
                                hp.read_profile,
                                {KEY: compact('["1.7", [], [0]]')},
                                pin='1.0')
        self.assertEqual('1.7', exc.requested_version)
        self.assertEqual('1.0', exc.max_supported_version)
        exc = self.assertRaises(exception.UnsupportedVersion,
                                hp.read_profile,
                                {KEY: compact('["2.0", [], [0]]')})
        self.assertEqual('1.1', exc.max_supported_version)

    def test_compression_bomb(self):
        # 64 MB of one string in under 100 kB on the wire.
        bomb = '["1.1", ["' + 'a' * (64 << 20) + '"], [0]]'
        value = compact(bomb)
        self.assertLess(len(value), 100 * 1024)
        self.assertMalformed(value, 'decompresses to more than')

    def test_expansion_bomb(self):
        # A 200 kB string named by 10,000 plugins: small table, huge text.
        table = json.dumps(['1.1', ['x' * 200000],
                            [10000] + [0, 0] * 10000])
        self.assertLess(len(table), hp.MAX_EXPANDED_SIZE)
        self.assertMalformed(compact(table), 'expands to more than')

    def test_deep_nesting(self):
        deep = {}
        for _ in range(100000):
            deep = {'a': deep}
        self.assertMalformed(deep)
        nested = json.loads('[' * 40 + ']' * 40)
        self.assertMalformed({'versioned_object.data': nested}, 'nested')

    def test_giant_string(self):
        prim = json.loads(wire.serialize(samples.sample_host()))
        prim['versioned_object.data']['plugin_info'][0][
            'versioned_object.data']['plugin_name'] = 'p' * (2 << 20)
        self.assertMalformed(prim, 'over the limit')
        self.assertMalformed(hp.COMPACT_PREFIX + 'a' * (2 << 20),
                             'over the limit')

    def test_odd_python_values(self):
        self.assertMalformed({'x': {1, 2}}, 'not a JSON value')

    def test_numbers_not_finite(self):
        # As Neutron hands them over after jsonutils.loads of the stored
        # text: NaN, Infinity and 1e999 are floats by then.
        prim = json.loads(wire.serialize(samples.sample_host()))
        for number in (float('nan'), float('inf'), float('-inf'),
                       json.loads('1e999')):
            value = copy.deepcopy(prim)
            value['x'] = [1, number]
            exc = self.assertMalformed(value, 'must be finite')
            self.assertEqual('binding:profile.%s.x[1]' % KEY,
                             exc.kwargs['path'])
        for text in ('NaN', '1e999', '-1E400', 'Infinity'):
            table = '["1.1",["p"],[1,0,0,%s]]' % text
            exc = self.assertMalformed(compact(table), text, 'finite')
            self.assertEqual('binding:profile.%s[2][3]' % KEY,
                             exc.kwargs['path'])


class TestProfileSchema(base.TestCase):
    """The published schema describes what binding_profile writes."""

    def test_written_values_are_valid(self):
        for tolerant in (False, True):
            validator = jsonschema.Draft202012Validator(
                schema.profile_schema(tolerant=tolerant))
            for info in (samples.sample_host(), wide_host(10)):
                for version in ('1.0', '1.1'):
                    value = hp.binding_profile(
                        info, target_version=version)[KEY]
                    self.assertTrue(validator.is_valid(value))

    def test_refused_values_are_invalid(self):
        validator = jsonschema.Draft202012Validator(schema.profile_schema())
        for value in ('t1:"', 'z1:abc', 't1:', 17, {'a': 1}):
            self.assertFalse(validator.is_valid(value), value)

    def test_table_schema(self):
        validator = jsonschema.Draft202012Validator(schema.table_schema())
        value = hp.binding_profile(wide_host(10))[KEY]
        table = json.loads(zlib.decompress(base64.b85decode(
            value[len(hp.COMPACT_PREFIX):])))
        self.assertTrue(validator.is_valid(table))
        for bad in (['1.1', [], [-1]], ['1.1', [1], []], ['1.1', [], [], 0],
                    ['x', [], []]):
            self.assertFalse(validator.is_valid(bad), bad)
