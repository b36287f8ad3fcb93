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

"""Differential tests of the wire fast paths.

The fast paths must be invisible: the primitive builder gives exactly what
OVO's ``obj_to_primitive`` gives (change lists aside), the fast reader
accepts exactly what the checked reader accepts and builds identical
objects, and the decoder cache hands out objects nobody can corrupt.
"""

import copy
import json
import threading
from unittest import mock

import hypothesis
from hypothesis import strategies as st
from os_vif.objects import host_info as osv_host_info
from oslo_serialization import jsonutils
from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import _codec
from os_vif_hostinfo import _fastread
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire
from tests import base
from tests import strategies

_CLASS_STRATEGIES = {
    'HostInfo': strategies.host_infos(max_plugins=3),
    'HostPluginInfo': strategies.plugin_infos(max_vifs=3),
    'HostVIFInfo': strategies.vif_infos(),
    'HostPortProfileInfo': strategies.port_profiles(),
}


@st.composite
def objects_and_versions(draw):
    """Any of the four objects, and a version it can be written at."""
    name = draw(st.sampled_from(sorted(_CLASS_STRATEGIES)))
    obj = draw(_CLASS_STRATEGIES[name])
    version = draw(st.sampled_from(strategies.TARGET_VERSIONS[name]))
    return obj, version


def _strip_changes(value):
    if isinstance(value, dict):
        return {key: _strip_changes(item) for key, item in value.items()
                if key != wire.KEY_CHANGES}
    if isinstance(value, list):
        return [_strip_changes(item) for item in value]
    return value


def _previous_primitive(obj, version):
    """The primitive builder the fast one replaced (through getattr)."""
    data = {}
    for field, child in wire.layout(obj.obj_name(), version):
        value = getattr(obj, field)
        if child is None:
            data[field] = value
            continue
        element = obj._list_fields[field]
        for index, item in enumerate(value):
            if not (isinstance(item, objects.HostObject)
                    and item.obj_name() == element):
                raise exception.InvalidField(
                    object_name=obj.obj_name(), field=field, value=item,
                    reason='item %d is not an os_vif_hostinfo %s'
                    % (index, element))
        data[field] = [_previous_primitive(item, child) for item in value]
    return {wire.KEY_NAME: obj.obj_name(),
            wire.KEY_NAMESPACE: objects.NAMESPACE,
            wire.KEY_VERSION: str(version), wire.KEY_DATA: data}


def _state(obj):
    """Everything an object holds, recursively, including OVO's own."""
    result = {'__class__': type(obj)}
    for attr, value in vars(obj).items():
        if isinstance(value, list):
            value = [_state(item) for item in value]
        result[attr] = value
    return result


def _checked_read(value, expected='HostInfo', pin=None, max_depth=32):
    return _codec.Reader(max_depth, pin).read_object(value, expected, '$', 1)


def _previous_deserialize(data, max_depth=32, max_version=None):
    """deserialize() as it was: checked loads(), then the checked reader."""
    pin = None if max_version is None else versions.parse(max_version)
    value = wire.loads(data, max_depth=max_depth)
    return _checked_read(value, pin=pin, max_depth=max_depth)


def _outcome(func, *args, **kwargs):
    """('ok', state) or ('error', class, message): comparable results."""
    try:
        result = func(*args, **kwargs)
    except exception.HostInfoError as exc:
        return ('error', type(exc), str(exc))
    return ('ok', _state(result))


class TestPrimitive(base.TestCase):

    @hypothesis.given(objects_and_versions())
    def test_matches_ovo_obj_to_primitive(self, case):
        obj, version = case
        ours = wire.to_primitive(obj, version)
        ovo = _strip_changes(obj.obj_to_primitive(target_version=version))
        self.assertEqual(ovo, ours)
        # Byte-identical once written the way serialize() writes.
        self.assertEqual(
            jsonutils.dumps(ovo, sort_keys=True, separators=(',', ':')),
            wire.serialize(obj, version))

    @hypothesis.given(objects_and_versions())
    def test_matches_previous_builder(self, case):
        obj, version = case
        parsed = versions.parse(version)
        self.assertEqual(_previous_primitive(obj, parsed),
                         _codec.primitive(obj, parsed))

    @hypothesis.given(strategies.host_infos(max_plugins=3))
    def test_keys_come_sorted(self, info):
        # serialize() sorts anyway; to_primitive() is deterministic too.
        text = json.dumps(wire.to_primitive(info), separators=(',', ':'))
        self.assertEqual(wire.serialize(info), text)

    def test_unset_field_raises_incomplete_object(self):
        vif = objects.HostVIFInfo(vif_object_name='VIFBridge',
                                  min_version='1.0')
        for build in (_previous_primitive, _codec.primitive):
            exc = self.assertRaises(exception.IncompleteObject, build, vif,
                                    versions.parse('1.1'))
            self.assertIn('max_version', str(exc))

    def test_reads_values_set_after_construction(self):
        vif = objects.HostVIFInfo(vif_object_name='VIFBridge',
                                  min_version='1.0', max_version='1.0')
        vif.max_version = '1.3'
        vif.supported_port_profiles.append(objects.HostPortProfileInfo(
            profile_object_name='P', min_version='1.0', max_version='1.0'))
        prim = wire.to_primitive(vif)
        self.assertEqual('1.3', prim[wire.KEY_DATA]['max_version'])
        self.assertEqual(
            1, len(prim[wire.KEY_DATA]['supported_port_profiles']))


# Values a mutation may put anywhere in a payload.
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(['', ' ', 'x', '1.0', '1.1', '1.2', '2.0', '0.9',
                       '01.0', '1.0 ', 'os_vif', 'nova', 'HostInfo',
                       'HostPluginInfo', 'HostVIFInfo',
                       'HostPortProfileInfo']),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(['a', wire.KEY_CHANGES]), inner,
                      max_size=2),
    max_leaves=6)

_tweaks = st.sampled_from([
    '', ' ', '\t', '1.0', '1.1', '1.2', '2.0', '0.1', '1.10', '01.1', '1.',
    '1.0.0', '\u0661.0', 'os_vif', 'os_vif ', 'HostInfo', 'HostVIFInfo',
    'HostPluginInfo', 'HostPortProfileInfo', 'x'])

_keys = st.sampled_from([
    wire.KEY_NAME, wire.KEY_NAMESPACE, wire.KEY_VERSION, wire.KEY_DATA,
    wire.KEY_CHANGES, 'plugin_info', 'plugin_name', 'vif_info',
    'vif_object_name', 'min_version', 'max_version',
    'supported_port_profiles', 'profile_object_name', 'extra'])


_DELETE = object()


def _places(value, found=None):
    """Every (container, key or index) inside a parsed payload."""
    if found is None:
        found = []
    if isinstance(value, dict):
        for key in value:
            found.append((value, key))
            _places(value[key], found)
    elif isinstance(value, list):
        for index in range(len(value)):
            found.append((value, index))
            _places(value[index], found)
    return found


@st.composite
def mutated_payloads(draw):
    """A valid payload (ours or os-vif's) with a few random changes."""
    info = draw(strategies.host_infos(max_plugins=2))
    version = draw(st.sampled_from(['1.0', '1.1']))
    value = json.loads(wire.serialize(info, version))
    if draw(st.booleans()):
        # The way os-vif writes: with change lists everywhere.
        value = json.loads(jsonutils.dumps(
            info.obj_to_primitive(target_version=version)))
    for _ in range(draw(st.integers(0, 3))):
        places = _places(value)
        action = draw(st.sampled_from(
            ['replace', 'delete', 'add', 'wrap', 'tweak']
            if places else ['add']))
        if action == 'add':
            containers = [value] + [c for c, _k in places
                                    if isinstance(c, dict)]
            target = draw(st.sampled_from(containers))
            if isinstance(target, dict):
                target[draw(_keys)] = draw(_json_values)
            continue
        if action == 'tweak':
            # A string leaf (name, version, namespace) made subtly wrong.
            leaves = [(c, k) for c, k in places if isinstance(c[k], str)]
            if leaves:
                container, key = draw(st.sampled_from(leaves))
                container[key] = draw(_tweaks)
            continue
        container, key = draw(st.sampled_from(places))
        if action == 'replace':
            container[key] = draw(_json_values)
        elif action == 'delete':
            del container[key]
        else:
            container[key] = [container[key]]
    return value


class TestFastRead(base.TestCase):

    @hypothesis.given(strategies.host_infos(max_plugins=3),
                      st.sampled_from(['1.0', '1.1']))
    def test_takes_what_serialize_writes(self, info, version):
        value = json.loads(wire.serialize(info, version))
        fast = _fastread.fast_read(value, 'HostInfo', None, 32)
        self.assertIsNotNone(fast)
        self.assertEqual(_state(_checked_read(value)), _state(fast))

    @hypothesis.given(strategies.host_infos(max_plugins=3))
    def test_takes_what_os_vif_writes(self, info):
        # os-vif 5.3.0 writes HostInfo 1.0 carrying HostVIFInfo 1.1 and
        # change lists; the fast path reads that too.
        theirs = _to_os_vif(info)
        value = json.loads(jsonutils.dumps(theirs.obj_to_primitive()))
        fast = _fastread.fast_read(value, 'HostInfo', None, 32)
        self.assertIsNotNone(fast)
        self.assertEqual(_state(_checked_read(value)), _state(fast))
        self.assertEqual(info, fast)

    @hypothesis.given(st.integers(-3, 3), st.integers(1, 14),
                      st.booleans())
    def test_both_sides_of_the_shallow_bound(self, offset, max_depth,
                                             broken):
        # Payloads with just under, at and over the number of opening
        # brackets that lets deserialize() parse before measuring.
        openings = wire._SHALLOW_OPENINGS + offset
        plugins = (openings - 3) // 3
        info = objects.HostInfo(plugin_info=[
            objects.HostPluginInfo(plugin_name='p%d' % i)
            for i in range(plugins)])
        text = wire.serialize(info)
        text += ' ' + '[' * (openings - 3 - 3 * plugins) if broken else ''
        for candidate in (text, '[' * openings, '[' * openings + ']'):
            self.assertEqual(
                _outcome(_previous_deserialize, candidate,
                         max_depth=max_depth),
                _outcome(wire.deserialize, candidate, max_depth=max_depth))

    @hypothesis.given(mutated_payloads(), st.integers(1, 14),
                      st.sampled_from([None, '1.0', '1.1']))
    def test_accepts_and_rejects_like_the_checked_reader(
            self, value, max_depth, pin_text):
        pin = None if pin_text is None else versions.parse(pin_text)
        before = copy.deepcopy(value)
        checked = _outcome(_checked_read, copy.deepcopy(value),
                           pin=pin, max_depth=max_depth)
        fast = _fastread.fast_read(value, 'HostInfo', pin, max_depth)
        self.assertEqual(before, value, 'the fast path changed its input')
        if fast is not None:
            self.assertEqual(('ok', _state(fast)), checked)
        # What callers see: deserialize() tries the fast path first.
        text = json.dumps(value)
        self.assertEqual(
            _outcome(_previous_deserialize, text, max_depth=max_depth,
                     max_version=pin_text),
            _outcome(wire.deserialize, text, max_depth=max_depth,
                     max_version=pin_text))

    @hypothesis.given(st.text(alphabet='[]{}"\\:,1 ab', max_size=60)
                      | st.builds(lambda n, m: '[' * n + ']' * m,
                                  st.integers(0, 40), st.integers(0, 40)),
                      st.integers(1, 12))
    def test_text_errors_as_before(self, text, max_depth):
        # Not JSON, too deep, or both: the same error as before, whichever
        # comes first in deserialize()'s new order.
        self.assertEqual(
            _outcome(_previous_deserialize, text, max_depth=max_depth),
            _outcome(wire.deserialize, text, max_depth=max_depth))

    @hypothesis.given(mutated_payloads(),
                      st.sampled_from(sorted(objects.CLASSES)))
    def test_same_outcome_for_any_expected_class(self, value, name):
        # An element of the payload read as the class it claims to be.
        places = [c[k] for c, k in _places(value)
                  if isinstance(c[k], dict)] + [value]
        for candidate in places:
            checked = _outcome(_checked_read, candidate, expected=name)
            fast = _fastread.fast_read(candidate, name, None, 32)
            if fast is not None:
                self.assertEqual(('ok', _state(fast)), checked)

    def test_depth_limits_exactly_as_the_checked_reader(self):
        info = _host()
        for text in (wire.serialize(info), wire.serialize(info, '1.0'),
                     jsonutils.dumps(info.obj_to_primitive())):
            value = json.loads(text)
            for max_depth in range(1, 15):
                checked = _outcome(_checked_read, value, max_depth=max_depth)
                fast = _fastread.fast_read(value, 'HostInfo', None,
                                           max_depth)
                if fast is None:
                    self.assertEqual('error', checked[0])
                else:
                    self.assertEqual(('ok', _state(fast)), checked)
            self.assertIsNotNone(
                _fastread.fast_read(value, 'HostInfo', None, 11))

    def test_every_place_replaced_or_deleted(self):
        # Exhaustive over one payload with every kind of field: each place
        # in turn gets each hostile value, or is deleted.
        hostile = [None, True, 0, 1.5, '', ' ', 'x', '1.0', '9.9', [], [1],
                   ['x'], {}, {'a': 1}, {wire.KEY_CHANGES: []}]
        info = _host()
        for text in (wire.serialize(info), jsonutils.dumps(
                info.obj_to_primitive(target_version='1.0'))):
            original = json.loads(text)
            for index in range(len(_places(original))):
                for value in hostile + [_DELETE]:
                    payload = copy.deepcopy(original)
                    container, key = _places(payload)[index]
                    if value is _DELETE:
                        del container[key]
                    else:
                        container[key] = copy.deepcopy(value)
                    checked = _outcome(_checked_read, payload)
                    fast = _fastread.fast_read(payload, 'HostInfo', None, 32)
                    if fast is not None:
                        self.assertEqual(('ok', _state(fast)), checked,
                                         payload)

    def test_blank_names_declined_and_refused(self):
        for field_path in (('plugin_name',), ('vif_info', 'vif_object_name'),
                           ('vif_info', 'supported_port_profiles',
                            'profile_object_name')):
            value = json.loads(wire.serialize(_host()))
            node = value[wire.KEY_DATA]['plugin_info'][0]
            for step in field_path[:-1]:
                node = node[wire.KEY_DATA][step][0]
            node[wire.KEY_DATA][field_path[-1]] = ' '
            self.assertIsNone(
                _fastread.fast_read(value, 'HostInfo', None, 32))
            self.assertEqual('error', _outcome(_checked_read, value)[0])

    def test_declines_unknown_data_keys_the_checked_reader_skips(self):
        value = json.loads(wire.serialize(_host()))
        value[wire.KEY_DATA]['future_field'] = {'a': [1]}
        self.assertIsNone(_fastread.fast_read(value, 'HostInfo', None, 32))
        self.assertEqual(_host(), wire.deserialize(json.dumps(value)))

    def test_declines_too_deep_and_reader_names_the_place(self):
        text = wire.serialize(_host())
        value = json.loads(text)
        self.assertIsNone(_fastread.fast_read(value, 'HostInfo', None, 5))
        exc = self.assertRaises(exception.MalformedPayload,
                                wire.deserialize, text, max_depth=5)
        self.assertIn('nested 11 deep, deeper than the limit of 5',
                      str(exc))

    def test_refusals_come_from_the_checked_reader(self):
        prim = json.loads(wire.serialize(_host()))
        vif = prim[wire.KEY_DATA]['plugin_info'][0][wire.KEY_DATA][
            'vif_info'][0][wire.KEY_DATA]
        vif['min_version'] = '1.9'
        exc = self.assertRaises(exception.MalformedPayload, wire.deserialize,
                                json.dumps(prim))
        self.assertIn('vif_info[0].versioned_object.data.min_version',
                      str(exc))
        self.assertIn('greater than max_version', str(exc))

    def test_built_objects_behave_like_constructed_ones(self):
        got = wire.deserialize(wire.serialize(_host()))
        self.assertEqual(set(), got.obj_what_changed())
        vif = got.plugin_info[0].vif_info[0]
        self.assertRaises(exception.InvalidVersionRange, setattr, vif,
                          'min_version', '9.0')
        vif.max_version = '1.5'
        self.assertEqual({'max_version'}, vif.obj_what_changed())
        self.assertEqual('1.5', wire.to_primitive(vif)[wire.KEY_DATA][
            'max_version'])


class TestLoads(base.TestCase):

    def test_byte_order_mark_refused_as_before(self):
        text = '\ufeff' + wire.serialize(_host())
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            expected = 'not JSON: %s (line %d column %d)' % (
                exc.msg, exc.lineno, exc.colno)
        exc = self.assertRaises(exception.MalformedPayload, wire.loads, text)
        self.assertIn(expected, str(exc))

    def test_constants_refused(self):
        for text in ('NaN', '[Infinity]', '{"a": -Infinity}'):
            exc = self.assertRaises(exception.MalformedPayload, wire.loads,
                                    text)
            self.assertIn('is not allowed in a payload', str(exc))


def _host():
    profile = objects.HostPortProfileInfo(
        profile_object_name='VIFPortProfileOpenVSwitch', min_version='1.0',
        max_version='1.1')
    return objects.HostInfo(plugin_info=[
        objects.HostPluginInfo(plugin_name='ovs', vif_info=[
            objects.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                                min_version='1.0', max_version='1.1',
                                supported_port_profiles=[profile])])])


def _to_os_vif(info):
    return osv_host_info.HostInfo(plugin_info=[
        osv_host_info.HostPluginInfo(plugin_name=p.plugin_name, vif_info=[
            osv_host_info.HostVIFInfo(
                vif_object_name=v.vif_object_name,
                min_version=v.min_version, max_version=v.max_version,
                supported_port_profiles=[
                    osv_host_info.HostPortProfileInfo(
                        profile_object_name=pp.profile_object_name,
                        min_version=pp.min_version,
                        max_version=pp.max_version)
                    for pp in v.supported_port_profiles])
            for v in p.vif_info])
        for p in info.plugin_info])


class TestDecoder(base.TestCase):

    def test_repeat_comes_from_memory_and_equals_a_fresh_read(self):
        decoder = wire.Decoder(cache_size=4)
        text = wire.serialize(_host())
        first = decoder.decode(text)
        second = decoder.decode(text)
        self.assertEqual((1, 1), (decoder.misses, decoder.hits))
        self.assertEqual(_state(wire.deserialize(text)), _state(second))
        self.assertIsNot(first, second)

    @hypothesis.given(strategies.host_infos(max_plugins=3),
                      st.sampled_from(['1.0', '1.1']))
    def test_answers_equal_deserialize(self, info, version):
        decoder = wire.Decoder()
        text = wire.serialize(info, version)
        expected = _state(wire.deserialize(text))
        for _ in range(3):
            self.assertEqual(expected, _state(decoder.decode(text)))
        self.assertEqual(2, decoder.hits)

    def test_callers_cannot_corrupt_the_cache(self):
        decoder = wire.Decoder()
        text = wire.serialize(_host())
        victim = decoder.decode(text)
        victim.plugin_info[0].plugin_name = 'evil'
        victim.plugin_info[0].vif_info[0].supported_port_profiles.clear()
        victim.plugin_info[0].vif_info.append(objects.HostVIFInfo(
            vif_object_name='X', min_version='1.0', max_version='1.0'))
        victim.plugin_info.append(objects.HostPluginInfo(plugin_name='p'))
        again = decoder.decode(text)
        self.assertEqual(1, decoder.hits)
        self.assertEqual(_host(), again)
        self.assertEqual(set(), again.obj_what_changed())
        # And the object a hit returned is as independent.
        again.plugin_info.clear()
        self.assertEqual(_host(), decoder.decode(text))

    def test_key_includes_every_argument(self):
        decoder = wire.Decoder()
        text = wire.serialize(_host())
        decoder.decode(text)
        exc = self.assertRaises(exception.UnsupportedVersion,
                                decoder.decode, text, max_version='1.0')
        self.assertEqual('1.1', exc.requested_version)
        self.assertRaises(exception.MalformedPayload, decoder.decode, text,
                          max_size=10)
        self.assertRaises(exception.MalformedPayload, decoder.decode, text,
                          max_depth=3)
        self.assertRaises(exception.MalformedPayload, decoder.decode, text,
                          objects.HostPluginInfo)
        self.assertEqual(0, decoder.hits)

    def test_bytes_and_text_and_buffers(self):
        decoder = wire.Decoder()
        text = wire.serialize(_host())
        raw = text.encode('utf-8')
        decoder.decode(text)
        decoder.decode(raw)
        self.assertEqual(0, decoder.hits)
        self.assertEqual(_host(), decoder.decode(bytearray(raw)))
        self.assertEqual(_host(), decoder.decode(memoryview(raw)))
        self.assertEqual(2, decoder.hits)

    def test_refusals_are_not_remembered(self):
        decoder = wire.Decoder()
        for _ in range(2):
            self.assertRaises(exception.MalformedPayload, decoder.decode,
                              '{"nope": 1}')
        self.assertEqual(0, len(decoder))
        self.assertEqual(0, decoder.hits)

    def test_unhashable_arguments_get_deserialize_errors(self):
        decoder = wire.Decoder()
        text = wire.serialize(_host())
        self.assertRaises(exception.InvalidVersion, decoder.decode, text,
                          max_version=['1.0'])
        self.assertRaises(exception.MalformedPayload, decoder.decode,
                          ['not', 'text'])

    def test_bounded_least_recently_used(self):
        decoder = wire.Decoder(cache_size=2)
        texts = [wire.serialize(objects.HostInfo(plugin_info=[
            objects.HostPluginInfo(plugin_name='p%d' % i)]))
            for i in range(3)]
        decoder.decode(texts[0])
        decoder.decode(texts[1])
        decoder.decode(texts[0])          # texts[0] is now the newest
        decoder.decode(texts[2])          # drops texts[1]
        self.assertEqual(2, len(decoder))
        decoder.decode(texts[0])
        self.assertEqual(2, decoder.hits)
        decoder.decode(texts[1])
        self.assertEqual(2, decoder.hits)
        decoder.clear()
        self.assertEqual(0, len(decoder))

    def test_cache_size_zero_remembers_nothing(self):
        decoder = wire.Decoder(cache_size=0)
        text = wire.serialize(_host())
        self.assertEqual(_host(), decoder.decode(text))
        self.assertEqual(_host(), decoder.decode(text))
        self.assertEqual((0, 0, 0),
                         (len(decoder), decoder.hits, decoder.misses))

    def test_invalid_cache_size(self):
        for bad in (-1, 1.5, '3', None, True):
            exc = self.assertRaises(exception.InvalidArgument, wire.Decoder,
                                    cache_size=bad)
            self.assertIn('cache_size', str(exc))

    def test_shared_between_threads(self):
        decoder = wire.Decoder(cache_size=8)
        texts = [wire.serialize(objects.HostInfo(plugin_info=[
            objects.HostPluginInfo(plugin_name='p%d' % i)]))
            for i in range(16)]
        errors = []

        def work(offset):
            try:
                for i in range(200):
                    text = texts[(i + offset) % len(texts)]
                    got = decoder.decode(text)
                    if wire.serialize(got) != text:
                        errors.append(text)
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([], errors)
        self.assertLessEqual(len(decoder), 8)
        self.assertEqual(800, decoder.hits + decoder.misses)


class TestDeepCopy(base.TestCase):
    """HostObject.__deepcopy__ against OVO's, which it replaced."""

    def _ovo_copy(self, obj):
        with mock.patch.object(objects.HostObject, '__deepcopy__',
                               ovo_base.VersionedObject.__deepcopy__):
            return copy.deepcopy(obj)

    @hypothesis.given(objects_and_versions(), st.booleans(), st.booleans())
    def test_same_as_ovo_copy(self, case, decoded, touched):
        obj, version = case
        if decoded:
            obj = wire.deserialize(wire.serialize(obj, version), type(obj))
        if touched and 'max_version' in obj.fields:
            obj.max_version = obj.max_version
        ours = copy.deepcopy(obj)
        self.assertEqual(_state(self._ovo_copy(obj)), _state(ours))
        self.assertEqual(obj, ours)

    def test_copy_is_independent(self):
        original = _host()
        clone = copy.deepcopy(original)
        clone.plugin_info[0].vif_info[0].supported_port_profiles.clear()
        clone.plugin_info[0].plugin_name = 'other'
        clone.obj_reset_changes(recursive=True)
        self.assertEqual(_host(), original)
        self.assertNotEqual(original, clone)
        self.assertIn('plugin_info', original.obj_what_changed())

    def test_shared_children_stay_shared(self):
        plugin = objects.HostPluginInfo(plugin_name='p')
        info = objects.HostInfo(plugin_info=[plugin, plugin])
        for clone in (copy.deepcopy(info), self._ovo_copy(info)):
            self.assertIs(clone.plugin_info[0], clone.plugin_info[1])
            self.assertIsNot(plugin, clone.plugin_info[0])

    def test_unset_fields_stay_unset(self):
        vif = objects.HostVIFInfo(vif_object_name='VIFBridge')
        del vif.supported_port_profiles
        ours = copy.deepcopy(vif)
        self.assertEqual(_state(self._ovo_copy(vif)), _state(ours))
        self.assertFalse(ours.obj_attr_is_set('min_version'))
        self.assertEqual([], ours.supported_port_profiles)
