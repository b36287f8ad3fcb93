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

"""Tests for os_vif_hostinfo.wire."""

import copy
import json
import os
import subprocess
import sys
import textwrap

import fixtures
from hypothesis import given
from hypothesis import strategies as st

from os_vif_hostinfo import _scan
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire
from tests import base
from tests import samples
from tests import strategies

NAME = 'versioned_object.name'
NAMESPACE = 'versioned_object.namespace'
VERSION = 'versioned_object.version'
DATA = 'versioned_object.data'
CHANGES = 'versioned_object.changes'

_RANGE = {'min_version': None, 'max_version': None}

#: What each object carries at each version, written out from DESIGN.md
#: (not derived from the code): field -> None for a plain field, or
#: (child object name, child version) for a list of objects.
EXPECTED_LAYOUT = {
    ('HostPortProfileInfo', '1.0'): dict(_RANGE, profile_object_name=None),
    ('HostVIFInfo', '1.0'): dict(_RANGE, vif_object_name=None),
    ('HostVIFInfo', '1.1'): dict(
        _RANGE, vif_object_name=None,
        supported_port_profiles=('HostPortProfileInfo', '1.0')),
    ('HostPluginInfo', '1.0'): dict(plugin_name=None,
                                    vif_info=('HostVIFInfo', '1.0')),
    ('HostPluginInfo', '1.1'): dict(plugin_name=None,
                                    vif_info=('HostVIFInfo', '1.1')),
    ('HostInfo', '1.0'): dict(plugin_info=('HostPluginInfo', '1.0')),
    ('HostInfo', '1.1'): dict(plugin_info=('HostPluginInfo', '1.1')),
}

DATA_PATH = '$.versioned_object.data'
PLUGIN0 = DATA_PATH + '.plugin_info[0]'
PLUGIN0_DATA = PLUGIN0 + '.versioned_object.data'
VIF0 = PLUGIN0_DATA + '.vif_info[0]'
VIF0_DATA = VIF0 + '.versioned_object.data'


def strip_changes(value):
    """A copy of an OVO primitive without 'versioned_object.changes'."""
    if isinstance(value, dict):
        return {key: strip_changes(item) for key, item in value.items()
                if key != CHANGES}
    if isinstance(value, list):
        return [strip_changes(item) for item in value]
    return value


def expected_after(obj, target_version):
    """What reading ``obj`` sent at ``target_version`` gives back."""
    name = obj.obj_name()
    if versions.parse(target_version) < versions.parse('1.1') and (
            name != 'HostPortProfileInfo'):
        return samples.without_port_profiles(obj)
    return obj


@st.composite
def any_object(draw):
    """(object, every target version of its class)."""
    name = draw(st.sampled_from(sorted(strategies.TARGET_VERSIONS)))
    obj = draw({
        'HostInfo': strategies.host_infos(),
        'HostPluginInfo': strategies.plugin_infos(),
        'HostVIFInfo': strategies.vif_infos(),
        'HostPortProfileInfo': strategies.port_profiles(),
    }[name])
    return obj, strategies.TARGET_VERSIONS[name]


class TestCascade(base.TestCase):
    """Backleveling a parent backlevels every child, at every depth."""

    def _check(self, prim, obj, name, version, depths, depth=0):
        where = '%s %s at depth %d' % (name, version, depth)
        self.assertEqual({NAME, NAMESPACE, VERSION, DATA}, set(prim), where)
        self.assertEqual(name, prim[NAME], where)
        self.assertEqual('os_vif', prim[NAMESPACE], where)
        self.assertEqual(version, prim[VERSION], where)
        self.assertEqual(name, obj.obj_name(), where)
        layout = EXPECTED_LAYOUT[(name, version)]
        self.assertEqual(set(layout), set(prim[DATA]), where)
        depths.add(depth)
        for field, child in layout.items():
            value = prim[DATA][field]
            if child is None:
                self.assertEqual(getattr(obj, field), value, where)
                continue
            items = getattr(obj, field)
            self.assertEqual(len(items), len(value), where)
            for item_prim, item in zip(value, items):
                self._check(item_prim, item, child[0], child[1], depths,
                            depth + 1)

    def test_every_object_and_target_version(self):
        self.assertEqual(set(objects.CLASSES),
                         set(strategies.TARGET_VERSIONS))
        pairs = [(name, version)
                 for name, targets in strategies.TARGET_VERSIONS.items()
                 for version in targets]
        self.assertEqual(set(EXPECTED_LAYOUT), set(pairs))
        for name, version in pairs:
            obj = samples.sample(name)
            for prim in (wire.to_primitive(obj, version),
                         json.loads(wire.serialize(obj, version)),
                         strip_changes(obj.obj_to_primitive(
                             target_version=version))):
                depths = set()
                self._check(prim, obj, name, version, depths)
                expected_depths = {
                    'HostInfo': 4, 'HostPluginInfo': 3, 'HostVIFInfo': 2,
                    'HostPortProfileInfo': 1}[name]
                if version == '1.0' and name != 'HostPortProfileInfo':
                    expected_depths -= 1  # no port profiles at 1.0
                self.assertEqual(set(range(expected_depths)), depths,
                                 (name, version))

    def test_default_is_current_version(self):
        for name in strategies.TARGET_VERSIONS:
            obj = samples.sample(name)
            self.assertEqual(
                wire.to_primitive(obj, objects.CLASSES[name][0].VERSION),
                wire.to_primitive(obj))
            self.assertEqual(wire.serialize(obj, obj.VERSION),
                             wire.serialize(obj))

    def test_layout(self):
        for (name, version), fields in EXPECTED_LAYOUT.items():
            layout = dict(wire.layout(name, versions.parse(version)))
            self.assertEqual(set(fields), set(layout), (name, version))
            for field, child in fields.items():
                self.assertEqual(
                    None if child is None else versions.parse(child[1]),
                    layout[field], (name, version, field))

    def test_refused_targets(self):
        for name in strategies.TARGET_VERSIONS:
            obj = samples.sample(name)
            current = objects.current_version(name)
            for target in ('%d.%d' % (current.major, current.minor + 1),
                           '%d.0' % (current.major + 1), '0.9', '1.10'):
                exc = self.assertRaises(exception.UnsupportedVersion,
                                        wire.serialize, obj, target)
                self.assertEqual((name, target, str(current)),
                                 (exc.object_name, exc.requested_version,
                                  exc.max_supported_version))
            for target in ('1', '1.0.0', '', 'latest', ' 1.0', 1.0):
                exc = self.assertRaises(exception.InvalidVersion,
                                        wire.serialize, obj, target)
                self.assertIn('target_version', str(exc))

    def test_refused_objects(self):
        from os_vif.objects import host_info as osvif_host_info
        for value in (None, {}, 'HostInfo', osvif_host_info.HostInfo(
                plugin_info=[])):
            exc = self.assertRaises(exception.InvalidObject, wire.serialize,
                                    value)
            self.assertIn(repr(value), str(exc))

    def test_list_appended_with_os_vif_objects(self):
        from os_vif.objects import host_info as osvif_host_info
        info = samples.sample_host()
        # OVO's list accepts os-vif's class of the same name...
        info.plugin_info.append(osvif_host_info.HostPluginInfo(
            plugin_name='x', vif_info=[]))
        vif = samples.vif()
        vif.supported_port_profiles.append(
            osvif_host_info.HostPortProfileInfo(
                profile_object_name='P', min_version='1.0',
                max_version='1.0'))
        # ...serialize does not.
        for obj, field in ((info, 'plugin_info'),
                           (vif, 'supported_port_profiles')):
            exc = self.assertRaises(exception.InvalidField, wire.serialize,
                                    obj)
            self.assertEqual((obj.obj_name(), field),
                             (exc.object_name, exc.field))
            self.assertIn(field, str(exc))

    def test_incomplete(self):
        info = objects.HostInfo(plugin_info=[samples.plugin(vifs=[
            objects.HostVIFInfo(vif_object_name='V', min_version='1.0')])])
        exc = self.assertRaises(exception.IncompleteObject, wire.serialize,
                                info)
        self.assertEqual(('HostVIFInfo', 'max_version'),
                         (exc.object_name, exc.field))


class TestDifferential(base.TestCase):
    """wire.to_primitive is OVO's obj_to_primitive minus the changes."""

    @given(any_object())
    def test_matches_ovo(self, drawn):
        obj, targets = drawn
        for target in targets:
            self.assertEqual(
                strip_changes(obj.obj_to_primitive(target_version=target)),
                wire.to_primitive(obj, target))
        self.assertEqual(strip_changes(obj.obj_to_primitive()),
                         wire.to_primitive(obj))


def _check_key_order(test, text):
    def hook(pairs):
        keys = [key for key, _value in pairs]
        test.assertEqual(sorted(keys), keys)
        return dict(pairs)
    json.loads(text, object_pairs_hook=hook)


class TestSerialize(base.TestCase):

    def test_compact_sorted_no_changes(self):
        info = samples.sample_host()
        self.assertTrue(info.obj_what_changed())
        for target in ('1.0', '1.1'):
            text = wire.serialize(info, target)
            self.assertIsInstance(text, str)
            self.assertNotIn(CHANGES, text)
            self.assertNotIn(' ', text)
            self.assertNotIn('\n', text)
            self.assertEqual(
                json.dumps(json.loads(text), sort_keys=True,
                           separators=(',', ':')), text)
            _check_key_order(self, text)

    def test_fixed_text(self):
        text = wire.serialize(samples.profile('P', '1.0', '1.10'))
        self.assertEqual(
            '{"versioned_object.data":{"max_version":"1.10",'
            '"min_version":"1.0","profile_object_name":"P"},'
            '"versioned_object.name":"HostPortProfileInfo",'
            '"versioned_object.namespace":"os_vif",'
            '"versioned_object.version":"1.0"}', text)

    def test_non_ascii_is_escaped(self):
        text = wire.serialize(samples.plugin('\u00e9t\u00e9\U0001f600'))
        self.assertTrue(text.isascii())
        self.assertEqual('\u00e9t\u00e9\U0001f600', wire.deserialize(
            text, objects.HostPluginInfo).plugin_name)

    def test_equal_objects_equal_text(self):
        one = samples.sample_host()
        two = copy.deepcopy(one)
        two.obj_reset_changes(recursive=True)
        three = wire.deserialize(wire.serialize(one))
        # Built in another field order.
        four = objects.HostInfo(plugin_info=[
            objects.HostPluginInfo(vif_info=p.vif_info,
                                   plugin_name=p.plugin_name)
            for p in one.plugin_info])
        texts = {wire.serialize(o) for o in (one, two, three, four)}
        self.assertEqual(1, len(texts))

    @given(any_object())
    def test_equal_objects_equal_text_property(self, drawn):
        obj, targets = drawn
        for target in targets:
            text = wire.serialize(obj, target)
            self.assertNotIn(CHANGES, text)
            self.assertEqual(text, wire.serialize(copy.deepcopy(obj),
                                                  target))
            again = wire.deserialize(text, type(obj))
            self.assertEqual(text, wire.serialize(again, target))
            # Round trip of any object class, at every target version.
            self.assertIs(type(obj), type(again))
            self.assertEqual(expected_after(obj, target), again)


class TestRoundTrip(base.TestCase):

    def test_sample_every_version(self):
        for name, targets in strategies.TARGET_VERSIONS.items():
            obj = samples.sample(name)
            for target in targets:
                for data in (wire.serialize(obj, target),
                             wire.serialize(obj, target).encode()):
                    read = wire.deserialize(data, type(obj))
                    self.assertEqual(expected_after(obj, target), read)
        at_10 = wire.deserialize(wire.serialize(samples.sample_host(),
                                                '1.0'))
        self.assertNotEqual(samples.sample_host(), at_10)
        self.assertEqual([], at_10.get_plugin('ovs').get_vif(
            'VIFVHostUser').supported_port_profiles)

    def test_public_names(self):
        import os_vif_hostinfo
        self.assertIs(wire.serialize, os_vif_hostinfo.serialize)
        self.assertIs(wire.deserialize, os_vif_hostinfo.deserialize)
        self.assertIs(exception, os_vif_hostinfo.exception)
        for name in objects.CLASSES:
            self.assertIs(objects.CLASSES[name][0],
                          getattr(os_vif_hostinfo, name))
            self.assertIn(name, os_vif_hostinfo.__all__)
        info = os_vif_hostinfo.HostInfo(plugin_info=[
            os_vif_hostinfo.HostPluginInfo(plugin_name='ovs', vif_info=[
                os_vif_hostinfo.HostVIFInfo(
                    vif_object_name='VIFOpenVSwitch', min_version='1.0',
                    max_version='1.0')])])
        self.assertEqual(info, os_vif_hostinfo.deserialize(
            os_vif_hostinfo.serialize(info)))

    def test_results_are_ours_all_the_way_down(self):
        for target in ('1.0', '1.1'):
            read = wire.deserialize(wire.serialize(samples.sample_host(),
                                                   target))
            self.assertIs(objects.HostInfo, type(read))
            for plugin in read.plugin_info:
                self.assertIs(objects.HostPluginInfo, type(plugin))
                for vif in plugin.vif_info:
                    self.assertIs(objects.HostVIFInfo, type(vif))
                    for profile in vif.supported_port_profiles:
                        self.assertIs(objects.HostPortProfileInfo,
                                      type(profile))

    def test_result_has_no_pending_changes(self):
        read = wire.deserialize(wire.serialize(samples.sample_host()))
        self.assertEqual(set(), read.obj_what_changed())

    @given(strategies.host_infos())
    def test_host_info_every_version(self, info):
        for target in strategies.TARGET_VERSIONS['HostInfo']:
            read = wire.deserialize(wire.serialize(info, target))
            self.assertIsInstance(read, objects.HostInfo)
            self.assertEqual(expected_after(info, target), read)


def _prim():
    """A valid HostInfo 1.1 primitive with something at every depth."""
    return wire.to_primitive(samples.sample_host())


def _at(prim, *steps):
    for step in steps:
        prim = prim[DATA][step] if isinstance(step, str) else prim[step]
    return prim


class TestHostileInput(base.TestCase):

    def assertMalformed(self, data, path, *words, **kwargs):
        if not isinstance(data, (str, bytes)):
            data = json.dumps(data)
        exc = self.assertRaises(exception.MalformedPayload, wire.deserialize,
                                data, **kwargs)
        self.assertEqual(path, exc.path, str(exc))
        self.assertIn(path, str(exc))
        for word in words:
            self.assertIn(word, str(exc))
        return exc

    def mutated(self, change):
        prim = _prim()
        change(prim)
        return prim

    def test_invalid_utf8(self):
        good = wire.serialize(samples.sample_host()).encode()
        for data in (b'\xff', b'{"a": "\xc3\x28"}', good[:-3] + b'\xe2\x82',
                     b'\xed\xa0\x80', good.replace(b'ovs', b'\xc0\xaf')):
            self.assertMalformed(data, '$', 'UTF-8')

    def test_not_json(self):
        for data in ('', ' ', '{', '}', 'hello', "{'a': 1}", '{"a":1,}',
                     '[1 2]', '{"a" 1}', '"unterminated', b'',
                     wire.serialize(samples.sample_host()) + 'x',
                     wire.serialize(samples.sample_host()) * 2,
                     '\ufeff{}', '1' * 5000):
            self.assertMalformed(data, '$', 'not JSON')

    def test_nan_infinity(self):
        # One rule for every number that is not finite, wherever it is:
        # in a field, in an ignored key, in the change list; 1e999 is
        # an infinity once parsed.
        text = wire.serialize(samples.sample_host())
        first_vif = ('$.%s.plugin_info[0].%s.vif_info[0].%s'
                     % (DATA, DATA, VERSION))
        for number in ('NaN', 'Infinity', '-Infinity', '1e999', '-1E400',
                       '1.5e+309'):
            self.assertMalformed(number, '$', number, 'finite')
            self.assertMalformed(
                text.replace('"1.1"', number, 1), first_vif, number)
            self.assertMalformed(text[:-1] + ',"x":[%s]}' % number,
                                 '$.x[0]', number)
            self.assertMalformed(
                text[:-1] + ',"x":{"y":[1,2.5,{"z":%s}]}}' % number,
                '$.x.y[2].z', number)
            self.assertMalformed(
                text[:-1] + ',"%s":[%s]}' % (CHANGES, number),
                '$.%s[0]' % CHANGES, number)
            self.assertMalformed(
                text.replace('"plugin_info":[', '"x":%s,"plugin_info":['
                             % number, 1),
                '$.%s.x' % DATA, number)
            exc = self.assertRaises(exception.MalformedPayload, wire.loads,
                                    '{"a":[0,%s]}' % number)
            self.assertEqual('$.a[1]', exc.path)
            # The first in the text is named.
            self.assertMalformed('{"a":%s,"b":NaN}' % number, '$.a', number)
            # Text that is not JSON after the number: still its refusal.
            self.assertMalformed('[%s,' % number, '$', number)

    def test_large_finite_numbers_are_not_refused_as_infinite(self):
        text = wire.serialize(samples.sample_host())
        for number in ('1e308', '-1.7976931348623157e308', '1e-999',
                       '12345678901234567890'):
            info = wire.deserialize(text[:-1] + ',"x":[%s]}' % number)
            self.assertEqual(text, wire.serialize(info))

    def test_wrong_top_level_type(self):
        for value, word in [([], 'array'), ('HostInfo', 'string'),
                            (1, 'number'), (1.5, 'number'), (None, 'null'),
                            (True, 'boolean'), ([_prim()], 'array')]:
            self.assertMalformed(json.dumps(value), '$', word, 'HostInfo')

    def test_not_text(self):
        for value in (None, 1, {}, [], _prim()):
            exc = self.assertRaises(exception.MalformedPayload,
                                    wire.deserialize, value)
            self.assertEqual('$', exc.path)

    def test_bytes_like(self):
        text = wire.serialize(samples.sample_host())
        for data in (text.encode(), bytearray(text.encode()),
                     memoryview(text.encode())):
            self.assertEqual(samples.sample_host(), wire.deserialize(data))

    def test_missing_keys(self):
        for key in (NAME, NAMESPACE, VERSION, DATA):
            self.assertMalformed(self.mutated(lambda p: p.pop(key)), '$',
                                 key)
            self.assertMalformed(
                self.mutated(lambda p: _at(p, 'plugin_info', 0).pop(key)),
                PLUGIN0, key)
            self.assertMalformed(
                self.mutated(lambda p: _at(p, 'plugin_info', 0, 'vif_info',
                                           0).pop(key)),
                VIF0, key)

    def test_mistyped_keys(self):
        for key, value, word in [
                (NAME, 1, 'string'), (NAME, None, 'string'),
                (NAMESPACE, ['os_vif'], 'string'), (VERSION, 1.1, 'string'),
                (VERSION, None, 'string'), (DATA, [], 'object'),
                (DATA, 'x', 'object'), (DATA, None, 'object'),
                (CHANGES, 'plugin_info', 'array'), (CHANGES, [1], 'array'),
                (CHANGES, {}, 'array')]:
            self.assertMalformed(
                self.mutated(lambda p: p.__setitem__(key, value)),
                '$.' + key, word)
            self.assertMalformed(
                self.mutated(lambda p: _at(p, 'plugin_info', 0).__setitem__(
                    key, value)),
                PLUGIN0 + '.' + key, word)

    def test_wrong_namespace(self):
        for namespace in ('nova', 'OS_VIF', '', 'os_vif '):
            self.assertMalformed(
                self.mutated(lambda p: p.__setitem__(NAMESPACE, namespace)),
                '$.' + NAMESPACE, repr(namespace))
            self.assertMalformed(
                self.mutated(lambda p: _at(
                    p, 'plugin_info', 0, 'vif_info', 0).__setitem__(
                        NAMESPACE, namespace)),
                VIF0 + '.' + NAMESPACE, repr(namespace))

    def test_unknown_object(self):
        for name in ('VIFOpenVSwitch', 'HostInfoX', '', 'hostinfo'):
            self.assertMalformed(
                self.mutated(lambda p: p.__setitem__(NAME, name)),
                '$.' + NAME, 'unknown', repr(name))
            self.assertMalformed(
                self.mutated(lambda p: _at(p, 'plugin_info', 1).__setitem__(
                    NAME, name)),
                DATA_PATH + '.plugin_info[1].' + NAME, 'unknown')

    def test_different_object_than_expected(self):
        exc = self.assertMalformed(
            wire.serialize(samples.plugin()), '$.' + NAME, 'HostInfo',
            'HostPluginInfo')
        self.assertIn('expected', str(exc))
        self.assertMalformed(wire.serialize(samples.sample_host()),
                             '$.' + NAME, 'HostVIFInfo',
                             expected=objects.HostVIFInfo)
        self.assertMalformed(wire.serialize(samples.vif()), '$.' + NAME,
                             'HostPortProfileInfo',
                             expected=objects.HostPortProfileInfo)

    def test_expected_must_be_our_class(self):
        from os_vif.objects import host_info as osvif_host_info
        text = wire.serialize(samples.sample_host())
        for expected in (osvif_host_info.HostInfo, dict, 'HostInfo', None):
            self.assertRaises(exception.InvalidObject, wire.deserialize,
                              text, expected)

    def test_wrong_field_types(self):
        cases = [
            (('plugin_info',), None, DATA_PATH + '.plugin_info', 'array'),
            (('plugin_info',), {}, DATA_PATH + '.plugin_info', 'array'),
            (('plugin_info',), 'ovs', DATA_PATH + '.plugin_info', 'array'),
            (('plugin_info', 0, 'plugin_name'), 5,
             PLUGIN0_DATA + '.plugin_name', 'string'),
            (('plugin_info', 0, 'plugin_name'), None,
             PLUGIN0_DATA + '.plugin_name', 'null'),
            (('plugin_info', 0, 'plugin_name'), '',
             PLUGIN0_DATA + '.plugin_name', 'non-empty'),
            (('plugin_info', 0, 'plugin_name'), '  ',
             PLUGIN0_DATA + '.plugin_name', 'non-empty'),
            (('plugin_info', 0, 'vif_info'), {'a': 1},
             PLUGIN0_DATA + '.vif_info', 'array'),
            (('plugin_info', 0, 'vif_info', 0, 'vif_object_name'), [],
             VIF0_DATA + '.vif_object_name', 'string'),
            (('plugin_info', 0, 'vif_info', 0, 'vif_object_name'), '',
             VIF0_DATA + '.vif_object_name', 'non-empty'),
            (('plugin_info', 0, 'vif_info', 0, 'min_version'), 1.0,
             VIF0_DATA + '.min_version', 'string'),
            (('plugin_info', 0, 'vif_info', 0, 'supported_port_profiles'),
             True, VIF0_DATA + '.supported_port_profiles', 'array'),
        ]
        for steps, value, path, word in cases:
            def change(prim):
                *parents, last = steps
                _at(prim, *parents)[DATA][last] = value
            self.assertMalformed(self.mutated(change), path, word)

    def test_missing_fields(self):
        for steps, field in [(('plugin_info', 0), 'plugin_name'),
                             (('plugin_info', 0, 'vif_info', 0),
                              'vif_object_name'),
                             (('plugin_info', 0, 'vif_info', 0),
                              'max_version')]:
            self.assertMalformed(
                self.mutated(lambda p: _at(p, *steps)[DATA].pop(field)),
                _path(steps) + '.' + DATA, field)

    def test_missing_lists_read_as_empty(self):
        prim = self.mutated(lambda p: _at(p, 'plugin_info', 0)[DATA].pop(
            'vif_info'))
        read = wire.deserialize(json.dumps(prim))
        self.assertEqual([], read.plugin_info[0].vif_info)

    def test_lists_holding_wrong_objects(self):
        vif_prim = wire.to_primitive(samples.vif())
        plugin_prim = wire.to_primitive(samples.plugin())
        profile_prim = wire.to_primitive(samples.profile())
        cases = [
            (('plugin_info',), [vif_prim], PLUGIN0 + '.' + NAME,
             'HostVIFInfo'),
            (('plugin_info',), [plugin_prim, plugin_prim, profile_prim],
             DATA_PATH + '.plugin_info[2].' + NAME, 'HostPortProfileInfo'),
            (('plugin_info',), ['ovs'], PLUGIN0, 'string'),
            (('plugin_info',), [None], PLUGIN0, 'null'),
            (('plugin_info',), [[plugin_prim]], PLUGIN0, 'array'),
            (('plugin_info', 0, 'vif_info'), [profile_prim],
             VIF0 + '.' + NAME, 'HostPortProfileInfo'),
            (('plugin_info', 0, 'vif_info', 0, 'supported_port_profiles'),
             [vif_prim],
             VIF0_DATA + '.supported_port_profiles[0].' + NAME,
             'HostVIFInfo'),
        ]
        for steps, value, path, word in cases:
            def change(prim):
                *parents, last = steps
                _at(prim, *parents)[DATA][last] = value
            self.assertMalformed(self.mutated(change), path, word)

    def test_invalid_version_strings(self):
        for bad in ('1', '1.0.0', '', ' 1.1', '1.1\n', '\u0661.\u0661',
                    'v1.1', '01.1', '1.x'):
            self.assertMalformed(
                self.mutated(lambda p: p.__setitem__(VERSION, bad)),
                '$.' + VERSION, repr(bad))
            self.assertMalformed(
                self.mutated(lambda p: _at(p, 'plugin_info', 0, 'vif_info',
                                           0).__setitem__(VERSION, bad)),
                VIF0 + '.' + VERSION, repr(bad))
            for field in ('min_version', 'max_version'):
                self.assertMalformed(
                    self.mutated(lambda p: _at(
                        p, 'plugin_info', 0, 'vif_info', 0)[DATA].__setitem__(
                            field, bad)),
                    VIF0_DATA + '.' + field, repr(bad))
                self.assertMalformed(
                    self.mutated(lambda p: _at(
                        p, 'plugin_info', 1, 'vif_info', 1,
                        'supported_port_profiles', 1)[DATA].__setitem__(
                            field, bad)),
                    _path(('plugin_info', 1, 'vif_info', 1,
                           'supported_port_profiles', 1)) + '.' + DATA
                    + '.' + field, repr(bad))

    def test_min_greater_than_max(self):
        def change(prim):
            data = _at(prim, 'plugin_info', 0, 'vif_info', 0)[DATA]
            data['min_version'], data['max_version'] = '1.10', '1.9'
        exc = self.assertMalformed(
            self.mutated(change),
            '$.versioned_object.data.plugin_info[0].versioned_object.data.'
            'vif_info[0].versioned_object.data.min_version', '1.10', '1.9')
        self.assertIn('greater', str(exc))

        def change_profile(prim):
            data = _at(prim, 'plugin_info', 1, 'vif_info', 0,
                       'supported_port_profiles', 0)[DATA]
            data['min_version'] = '2.0'
        self.assertMalformed(
            self.mutated(change_profile),
            _path(('plugin_info', 1, 'vif_info', 0, 'supported_port_profiles',
                   0)) + '.' + DATA + '.min_version', '2.0')

    def test_liberal_reading(self):
        # Unknown keys are ignored; a 1.0 HostVIFInfo's port profiles too.
        def change(prim):
            prim['extra'] = {'a': [1, 2]}
            prim[DATA]['future_field'] = 'x'
            prim[CHANGES] = ['plugin_info']
            vif = _at(prim, 'plugin_info', 1, 'vif_info', 0)
            vif[VERSION] = '1.0'
        read = wire.deserialize(json.dumps(self.mutated(change)))
        expected = samples.sample_host()
        expected.get_plugin('ovs').get_vif(
            'VIFOpenVSwitch').supported_port_profiles = []
        self.assertEqual(expected, read)


def _path(steps):
    path = DATA_PATH
    for step in steps:
        if isinstance(step, str):
            path += '.' + step
        else:
            path += '[%d].%s' % (step, DATA)
    if isinstance(steps[-1], int):
        path = path[:-len('.' + DATA)]
    return path


class TestNewerVersions(base.TestCase):

    def _unsupported(self, prim, expected=objects.HostInfo):
        exc = self.assertRaises(exception.UnsupportedVersion,
                                wire.deserialize, json.dumps(prim), expected)
        return (exc.object_name, exc.requested_version,
                exc.max_supported_version)

    def test_top_level(self):
        for version in ('1.7', '2.0', '1.2', '3.1'):
            prim = _prim()
            prim[VERSION] = version
            self.assertEqual(('HostInfo', version, '1.1'),
                             self._unsupported(prim))

    def test_child(self):
        prim = _prim()
        _at(prim, 'plugin_info', 1, 'vif_info', 1)[VERSION] = '1.9'
        self.assertEqual(('HostVIFInfo', '1.9', '1.1'),
                         self._unsupported(prim))
        prim = _prim()
        _at(prim, 'plugin_info', 1, 'vif_info', 1,
            'supported_port_profiles', 0)[VERSION] = '1.3'
        self.assertEqual(('HostPortProfileInfo', '1.3', '1.0'),
                         self._unsupported(prim))
        prim = _prim()
        _at(prim, 'plugin_info', 2)[VERSION] = '2.0'
        self.assertEqual(('HostPluginInfo', '2.0', '1.1'),
                         self._unsupported(prim))

    def test_reply_body(self):
        prim = _prim()
        prim[VERSION] = '1.7'
        exc = self.assertRaises(exception.UnsupportedVersion,
                                wire.deserialize, json.dumps(prim))
        body = exc.to_dict()
        self.assertEqual(('unsupported_version', 'HostInfo', '1.7', '1.1'),
                         (body['error']['code'], body['error']['object'],
                          body['error']['requested_version'],
                          body['error']['max_supported_version']))
        back = exception.UnsupportedVersion.from_dict(body)
        self.assertEqual('1.1', back.max_supported_version)

    def test_older_versions_are_read(self):
        for version in ('1.0', '1.1'):
            prim = wire.to_primitive(samples.sample_host(), version)
            self.assertIsInstance(wire.deserialize(json.dumps(prim)),
                                  objects.HostInfo)


class TestLimits(base.TestCase):

    def test_64_mib(self):
        size = 64 * 1024 * 1024
        data = b'[' + b'0,' * (size // 2) + b'0]'
        self.assertRaises(exception.MalformedPayload, wire.deserialize, data)
        text = data.decode()
        del data
        self.assertRaises(exception.MalformedPayload, wire.deserialize, text)

    def test_deep_brackets(self):
        for data in ('[' * 100000, '[' * 100000 + ']' * 100000,
                     '{"a":' * 100000, b'[' * 100000):
            self.assertRaises(exception.MalformedPayload, wire.deserialize,
                              data)
            # Also when the size limit lets it through to the parser.
            self.assertRaises(exception.MalformedPayload, wire.deserialize,
                              data * 10, max_size=10 * 1024 * 1024)

    def test_size_limit(self):
        text = wire.serialize(samples.sample_host())
        size = len(text)
        self.assertEqual(samples.sample_host(),
                         wire.deserialize(text, max_size=size))
        self.assertEqual(samples.sample_host(),
                         wire.deserialize(text.encode(), max_size=size))
        for data in (text, text.encode()):
            exc = self.assertRaises(exception.MalformedPayload,
                                    wire.deserialize, data,
                                    max_size=size - 1)
            self.assertEqual('$', exc.path)
            self.assertIn(str(size - 1), str(exc))
        self.assertEqual(1024 * 1024, wire.DEFAULT_MAX_SIZE)
        padded = text[:-1] + ',"pad":"%s"}' % ('x' * wire.DEFAULT_MAX_SIZE)
        self.assertRaises(exception.MalformedPayload, wire.deserialize,
                          padded)
        self.assertEqual(samples.sample_host(), wire.deserialize(
            padded, max_size=2 * wire.DEFAULT_MAX_SIZE))

    def _with_depth(self, depth):
        """A valid HostInfo payload nested exactly ``depth`` deep."""
        prim = wire.to_primitive(objects.HostInfo())  # depth 3
        junk = 0
        for _ in range(depth - 2):
            junk = [junk]
        prim[DATA]['junk'] = junk
        self.assertEqual(depth, samples.json_depth(prim))
        return json.dumps(prim)

    def test_default_depth(self):
        self.assertEqual(32, wire.DEFAULT_MAX_DEPTH)
        self.assertEqual(objects.HostInfo(),
                         wire.deserialize(self._with_depth(32)))
        exc = self.assertRaises(exception.MalformedPayload, wire.deserialize,
                                self._with_depth(33))
        self.assertIn('32', str(exc))
        self.assertIn('33', str(exc))
        self.assertEqual('$', exc.path)

    def test_depth_checked_before_parsing(self):
        self.useFixture(fixtures.MockPatch(
            'os_vif_hostinfo.wire.json.loads',
            side_effect=AssertionError('parsed')))
        for data in (self._with_depth(33), '[' * 100000, b'{"a":' * 1000):
            exc = self.assertRaises(exception.MalformedPayload,
                                    wire.deserialize, data)
            self.assertIn('deeper than the limit of 32', str(exc))

    def test_brackets_in_strings_do_not_count(self):
        name = '[{' * 40 + '\\"[' * 10 + ']'
        info = objects.HostInfo(plugin_info=[samples.plugin(name)])
        text = wire.serialize(info)
        self.assertEqual(info, wire.deserialize(text))
        self.assertEqual(info, wire.deserialize(
            text, max_depth=samples.json_depth(json.loads(text))))

    def test_loads(self):
        self.assertEqual([[1]], wire.loads('[[1]]', max_depth=2))
        self.assertRaises(exception.MalformedPayload, wire.loads, '[[1]]',
                          max_depth=1)
        self.assertRaises(exception.MalformedPayload, wire.loads, '[[1]]',
                          max_size=4)
        self.assertEqual({'a': '[[['}, wire.loads(b'{"a": "[[["}',
                                                  max_depth=1))

    def test_deep_payload_in_a_small_thread(self):
        # The JSON parser recurses in C; a thread with a small stack (as
        # on musl) must never reach it with a deep payload.
        script = textwrap.dedent('''
            import threading
            threading.stack_size(128 * 1024)
            from os_vif_hostinfo import exception, wire
            results = []
            def run():
                for data in ('[' * 100000, '{"a":' * 100000,
                             '[' * 100000 + ']' * 100000):
                    try:
                        wire.deserialize(data, max_size=10 ** 6)
                    except exception.MalformedPayload:
                        results.append('refused')
            thread = threading.Thread(target=run)
            thread.start()
            thread.join()
            print(' '.join(results))
        ''')
        result = subprocess.run(
            [sys.executable, '-c', script], capture_output=True, text=True,
            env=dict(os.environ, PYTHONWARNINGS='ignore'), timeout=120)
        self.assertEqual(0, result.returncode, result.stderr[-2000:])
        self.assertEqual('refused refused refused', result.stdout.strip())

    def test_custom_depth(self):
        for limit in (3, 5, 12, 40):
            self.assertEqual(objects.HostInfo(), wire.deserialize(
                self._with_depth(limit), max_depth=limit))
            exc = self.assertRaises(exception.MalformedPayload,
                                    wire.deserialize,
                                    self._with_depth(limit + 1),
                                    max_depth=limit)
            self.assertIn(str(limit), str(exc))

    def test_depth_of_real_objects(self):
        text = wire.serialize(samples.sample_host())
        depth = samples.json_depth(json.loads(text))
        self.assertEqual(11, depth)
        self.assertEqual(samples.sample_host(),
                         wire.deserialize(text, max_depth=depth))
        for limit in (1, 2, depth - 1):
            self.assertRaises(exception.MalformedPayload, wire.deserialize,
                              text, max_depth=limit)

    def test_absent_list_is_not_nested(self):
        prim = wire.to_primitive(objects.HostInfo())
        del prim[DATA]['plugin_info']
        self.assertEqual(2, samples.json_depth(prim))
        self.assertEqual(objects.HostInfo(),
                         wire.deserialize(json.dumps(prim), max_depth=2))

    def test_depth_in_changes_and_unknown_keys(self):
        deep = [[[[[[0]]]]]]
        for change in (lambda p: p.__setitem__('x', deep),
                       lambda p: p.__setitem__(CHANGES, deep),
                       lambda p: _at(p, 'plugin_info', 1, 'vif_info', 1,
                                     'supported_port_profiles', 0)[DATA]
                       .__setitem__('x', deep)):
            prim = _prim()
            change(prim)
            depth = samples.json_depth(prim)
            try:
                wire.deserialize(json.dumps(prim), max_depth=depth)
            except exception.MalformedPayload as exc:
                # A list of lists is no list of strings: fine, but never
                # because of the depth.
                self.assertNotIn('deeper', str(exc))
            self.assertRaises(exception.MalformedPayload, wire.deserialize,
                              json.dumps(prim), max_depth=depth - 1)


_json_scalars = (st.none() | st.booleans() | st.integers()
                 | st.floats(allow_nan=False, allow_infinity=False)
                 | st.text(max_size=12))
_json_values = st.recursive(
    _json_scalars,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30)

_KEYS = st.sampled_from([NAME, NAMESPACE, VERSION, DATA, CHANGES,
                         'plugin_info', 'plugin_name', 'vif_info',
                         'vif_object_name', 'min_version', 'max_version',
                         'supported_port_profiles', 'profile_object_name'])
_VALUES = st.sampled_from(['HostInfo', 'HostPluginInfo', 'HostVIFInfo',
                           'HostPortProfileInfo', 'os_vif', '1.0', '1.1',
                           '1.7', '2.0', '1.x', '', []]) | _json_values


@st.composite
def mutated_payloads(draw):
    """A valid HostInfo primitive with one place changed or removed."""
    info = draw(strategies.host_infos(max_plugins=3))
    target = draw(st.sampled_from(strategies.TARGET_VERSIONS['HostInfo']))
    prim = wire.to_primitive(info, target)
    places = []
    stack = [prim]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            places.extend((item, key) for key in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            places.extend((item, index) for index in range(len(item)))
            stack.extend(item)
    container, key = draw(st.sampled_from(places))
    action = draw(st.sampled_from(['replace', 'delete', 'add']))
    if action == 'replace':
        container[key] = draw(_VALUES)
    elif action == 'delete':
        del container[key]
    elif isinstance(container, dict):
        container[draw(_KEYS)] = draw(_VALUES)
    else:
        container.append(draw(_VALUES))
    return prim


class TestAnyInput(base.TestCase):
    """Whatever comes in, the answer is an object or a HostInfoError."""

    def _check(self, data, **kwargs):
        try:
            result = wire.deserialize(data, **kwargs)
        except exception.MalformedPayload as exc:
            self.assertTrue(exc.path.startswith('$'), exc.path)
            self.assertTrue(str(exc))
        except exception.HostInfoError as exc:
            self.assertTrue(str(exc))
        else:
            self.assertIsInstance(result, objects.HostInfo)
            # Whatever was read can be written and read back.
            self.assertEqual(result, wire.deserialize(wire.serialize(result)))

    @given(st.binary(max_size=200))
    def test_any_bytes(self, data):
        self._check(data)

    @given(st.text(max_size=200))
    def test_any_text(self, data):
        self._check(data)

    @given(_json_values)
    def test_any_json_value(self, value):
        text = json.dumps(value)
        self._check(text)
        self.assertEqual(samples.json_depth(value), _scan.nesting(text))

    @given(mutated_payloads(), st.integers(1, 14))
    def test_mutated_payloads(self, prim, limit):
        text = json.dumps(prim)
        self._check(text)
        # And the depth limit, on payloads that are otherwise fine.
        try:
            wire.deserialize(text)
        except exception.HostInfoError:
            return
        if samples.json_depth(prim) <= limit:
            wire.deserialize(text, max_depth=limit)
        else:
            exc = self.assertRaises(exception.MalformedPayload,
                                    wire.deserialize, text, max_depth=limit)
            self.assertIn('deeper', str(exc))
