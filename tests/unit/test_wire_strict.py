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

"""What the readers refuse that the JSON parser lets through, and the
arguments they refuse (issue 14: duplicate keys and names, limits)."""

import json
import tracemalloc
from unittest import mock

import hypothesis
from hypothesis import strategies as st

from os_vif_hostinfo import _codec
from os_vif_hostinfo import _fastread
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import wire
from tests import base
from tests import samples
from tests import strategies

DATA = wire.KEY_DATA
PLUGINS = '$.%s.plugin_info' % DATA


def _big_host():
    """Over 128 brackets: the nesting is measured before parsing."""
    return objects.HostInfo(plugin_info=[
        samples.plugin('plugin-%02d' % index, [samples.vif('VIFBridge')])
        for index in range(40)])


def _readers():
    """Every way a payload is read, by name."""
    decoder = wire.Decoder()
    return {
        'deserialize': wire.deserialize,
        'bytes': lambda text, **kw: wire.deserialize(text.encode(), **kw),
        'decoder': decoder.decode,
    }


class TestDuplicateKeys(base.TestCase):

    def _refused(self, text, path, key):
        for name, read in _readers().items():
            exc = self.assertRaises(exception.MalformedPayload, read, text)
            self.assertEqual(path, exc.path, name)
            self.assertIn('duplicate key %r' % key, str(exc))

    def test_namespace_named_twice(self):
        # The parser keeps the last; another reader may take the first.
        for info in (samples.sample_host(), _big_host()):
            text = wire.serialize(info)
            # Keys come sorted: the outermost object's namespace is last.
            head, tail = text.rsplit('"versioned_object.namespace":', 1)
            forged = (head + '"versioned_object.namespace":"nova",'
                      '"versioned_object.namespace":' + tail)
            self.assertEqual(info, wire.deserialize(json.dumps(
                json.loads(forged))))
            self._refused(forged, '$', 'versioned_object.namespace')

    def test_field_named_twice_deep_inside(self):
        for info in (samples.sample_host(), _big_host()):
            info.plugin_info[1].vif_info[0].vif_object_name = 'MARKER'
            text = wire.serialize(info)
            forged = text.replace(
                '"vif_object_name":"MARKER"',
                '"vif_object_name":"VIFOther","vif_object_name":"MARKER"')
            self._refused(
                forged, '%s[1].%s.vif_info[0].%s' % (PLUGINS, DATA, DATA),
                'vif_object_name')

    def test_in_an_ignored_key(self):
        prim = wire.to_primitive(samples.sample_host())
        text = json.dumps(prim)[:-1] + ', "extra": [{"a": 1, "a": 2}]}'
        self._refused(text, '$.extra', 'a')

    def test_colons_in_strings_are_not_keys(self):
        for info in (objects.HostInfo(plugin_info=[
                samples.plugin('a:b', [samples.vif('x:y:z')])]),
                _big_host()):
            info.plugin_info[0].plugin_name = 'a:"b":{c: [d]}'
            text = wire.serialize(info)
            for read in _readers().values():
                self.assertEqual(info, read(text))

    def test_loads(self):
        exc = self.assertRaises(exception.MalformedPayload, wire.loads,
                                '{"a": [1, {"b": 1, "c": 2, "b": 3}]}')
        self.assertEqual('$.a[1]', exc.path)
        self.assertIn("duplicate key 'b'", str(exc))
        self.assertEqual({'a': {'b': 1}}, wire.loads('{"a": {"b": 1}}'))

    @hypothesis.given(strategies.host_infos(max_plugins=3), st.data())
    def test_any_key_named_twice(self, info, data):
        prim = wire.to_primitive(info)
        found = list(_objects(prim))
        target = data.draw(st.sampled_from(found), label='object')
        key = next(iter(target))
        exc = self.assertRaises(exception.MalformedPayload,
                                wire.deserialize, _dumps(prim, target))
        self.assertIn('duplicate key %r' % key, str(exc))


def _objects(value):
    """Every JSON object in ``value``."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _dumps(value, target):
    """JSON text of ``value``; ``target`` names its first key twice."""
    if isinstance(value, dict):
        pairs = ['%s:%s' % (json.dumps(k), _dumps(v, target))
                 for k, v in value.items()]
        if value is target:
            pairs.insert(0, '%s:0' % json.dumps(next(iter(value))))
        return '{%s}' % ','.join(pairs)
    if isinstance(value, list):
        return '[%s]' % ','.join(_dumps(item, target) for item in value)
    return json.dumps(value)


class TestNamesTwice(base.TestCase):

    def _refused(self, info, path, words):
        text = wire.serialize(info)
        for name, read in _readers().items():
            exc = self.assertRaises(exception.MalformedPayload, read, text)
            self.assertEqual(path, exc.path, name)
            self.assertIn(words, str(exc))

    def test_plugin_named_twice(self):
        for plugins in ([samples.plugin('ovs'), samples.plugin('noop'),
                         samples.plugin('ovs')], _big_host().plugin_info
                        + [samples.plugin('plugin-07')]):
            index = len(plugins) - 1
            self._refused(
                objects.HostInfo(plugin_info=plugins),
                '%s[%d].%s.plugin_name' % (PLUGINS, index, DATA),
                "plugin_name %r is already described at plugin_info[%d]"
                % (plugins[index].plugin_name,
                   [p.plugin_name for p in plugins].index(
                       plugins[index].plugin_name)))

    def test_vif_class_named_twice(self):
        plugin = samples.plugin('ovs', [
            samples.vif('VIFBridge'), samples.vif('VIFOpenVSwitch'),
            samples.vif('VIFBridge', '1.1', '1.2')])
        info = objects.HostInfo(plugin_info=[samples.plugin('noop'), plugin])
        self._refused(info, '%s[1].%s.vif_info[2].%s.vif_object_name'
                      % (PLUGINS, DATA, DATA),
                      "vif_object_name 'VIFBridge' is already described "
                      "at vif_info[0]")
        self.assertRaises(exception.MalformedPayload, wire.deserialize,
                          wire.serialize(plugin), objects.HostPluginInfo)

    def test_same_vif_class_in_two_plugins_is_fine(self):
        info = objects.HostInfo(plugin_info=[
            samples.plugin('a', [samples.vif('VIFBridge')]),
            samples.plugin('b', [samples.vif('VIFBridge')])])
        self.assertEqual(info, wire.deserialize(wire.serialize(info)))

    def test_port_profiles_may_repeat(self):
        # Not a rule of the issue: only plugins and VIF classes.
        vif = samples.vif(profiles=[samples.profile(), samples.profile()])
        self.assertEqual(vif, wire.deserialize(wire.serialize(vif),
                                               objects.HostVIFInfo))

    def test_fast_and_checked_readers_agree(self):
        plugins = [samples.plugin('ovs'), samples.plugin('ovs')]
        value = wire.to_primitive(objects.HostInfo(plugin_info=plugins))
        self.assertIsNone(_fastread.fast_read(value, 'HostInfo', None, 32))
        self.assertRaises(exception.MalformedPayload,
                          _codec.Reader(32).read_object, value, 'HostInfo',
                          '$', 1)


class TestLimitArguments(base.TestCase):

    def test_bad_limits_are_refused(self):
        text = wire.serialize(samples.sample_host())
        calls = {'deserialize': wire.deserialize, 'loads': wire.loads,
                 'decoder': wire.Decoder().decode}
        for name, call in calls.items():
            for bad in ('x', None, True, False, 0, -1, 1.5, [1]):
                for limit in ('max_size', 'max_depth'):
                    exc = self.assertRaises(exception.InvalidArgument, call,
                                            text, **{limit: bad})
                    self.assertEqual(limit, exc.name, name)
                    self.assertIn('positive integer', str(exc))

    def test_decoder_checks_the_size_before_anything(self):
        decoder = wire.Decoder()
        entries = decoder._entries
        decoder._entries = mock.Mock(spec=entries, side_effect=AssertionError)
        big = 64 * 1024 * 1024
        for data in (bytearray(big), memoryview(bytearray(big)),
                     b'\0' * big, ' ' * big):
            tracemalloc.start()
            try:
                exc = self.assertRaises(exception.MalformedPayload,
                                        decoder.decode, data)
                _size, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            del data
            self.assertIn('payload of %d bytes is over the limit' % big,
                          str(exc))
            # Neither copied nor looked up in the cache.
            self.assertLess(peak, 1024 * 1024)
            self.assertEqual([], decoder._entries.mock_calls)
        decoder._entries = entries
        # Within the limit, the same data is read as before.
        text = wire.serialize(samples.sample_host())
        for data in (bytearray(text.encode()),
                     memoryview(text.encode()), text):
            self.assertEqual(samples.sample_host(), decoder.decode(data))
        self.assertEqual(2, decoder.misses)  # bytes, then str
