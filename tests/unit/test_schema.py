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

"""Tests of the published JSON Schema against the wire code it describes.

The object fingerprints (ObjectVersionChecker) live in
tests/unit/test_fingerprints.py; the schema fingerprints are pinned here.
"""

import copy
import functools
import hashlib
import io
import json
import os
import re
import subprocess
import sys

import fixtures
import hypothesis
from hypothesis import strategies as st
import jsonschema
from os_vif.objects import host_info as osv_host_info

from os_vif_hostinfo import _schema_objects
from os_vif_hostinfo import cli
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import schema
from os_vif_hostinfo import wire
from tests import base
from tests import strategies

#: sha256 of each published schema's shape (canonical JSON with titles and
#: descriptions left out). A change here without a new object version means
#: the wire format changed under an old version number: bump the object's
#: VERSION (and its obj_relationships) instead, then pin the new schema.
#: (A tolerant schema also changes, rightly, when a new child version is
#: added, since it reads every child version this library knows.)
PINNED_FINGERPRINTS = {
    'HostInfo-1.0.schema.json':
        'a22a9441065faf788e366a0d2aa81a586d0235749da4875b34e4e522861d869c',
    'HostInfo-1.0.tolerant.schema.json':
        '3dd835dfbd358fd891836e083b3ff79c9a33374038e7a1b129d975c020507a14',
    'HostInfo-1.1.schema.json':
        '74d8ce35fd365768778f36a2921e8c975c7aecb704efcb3671b7ca92062f4bbd',
    'HostInfo-1.1.tolerant.schema.json':
        'e6f1b9b89b41361cd8ff49e162376c4ff79b6aef17ea4952f34d912dbc54d682',
    'HostPluginInfo-1.0.schema.json':
        '09fafdeba90779313b50e3f897384974d6037e808ffd26263da4407e07edc645',
    'HostPluginInfo-1.0.tolerant.schema.json':
        'add58b8bf21d9e66eda4b8c7040e480f2bccd02d559b7d60a043e6aac94da559',
    'HostPluginInfo-1.1.schema.json':
        'db123d98d45b59a555316b8f38ea5b4a646e20d5126a3d0cbd52b828be846184',
    'HostPluginInfo-1.1.tolerant.schema.json':
        '37ce7f2fa8db805ac94a18757071df91c3104c10d75233838bc707ab7f4347eb',
    'HostPortProfileInfo-1.0.schema.json':
        'dc76db8636842848e99c7f67f8ff9dafbad35a2d7fc42f7e151805eaece5aa89',
    'HostPortProfileInfo-1.0.tolerant.schema.json':
        'd559fc6d24603f3a5b28b794e06aefbb13f00045a828cb650446849ed9df7dea',
    'HostVIFInfo-1.0.schema.json':
        'f6cbc2a85bcf368b4d51be5dee962cc5c219fe5db5359ca1d829cc3ec055e058',
    'HostVIFInfo-1.0.tolerant.schema.json':
        '5c41eda676491f9457f736332c799038ae31c05b6b4d283b0f120a5f45baf897',
    'HostVIFInfo-1.1.schema.json':
        '7ef99145d55608c21ecbbbcc2c73174d0b5241280d72db845f547e1c7afebc75',
    'HostVIFInfo-1.1.tolerant.schema.json':
        '026dcf9483bcabc521cc133c7b486dfdc739e5419152961aead97e23d81b9a44',
    'error-reply.schema.json':
        '956346fe4ecbd58a6f012b048a8c868394ccffe62affcdfe346d144ee777cb6a',
    'error-reply.tolerant.schema.json':
        '722eb33e6e8fd8f76267485901cbfb4beb25878e3d47ec5214bb6abb6c64a110',
    'agent-report-1.schema.json':
        'acb27facf6c5f9bdc06c70b53482cffe07b54bd431471c51dcddee23550fa3e7',
    'binding-profile-table-1.schema.json':
        '0d30dba14da058874fed0e9936017b2fff114c7bf0d0fa357aef76cc21def04a',
    'binding-profile-value.schema.json':
        '292d64e65aa6a5fcf0f3fa7c7c49ac7e3364c97d3d3538ac578b958ac16ed3fc',
    'binding-profile-value.tolerant.schema.json':
        '0d2c447163ef4d88c02e0912b1bb10c70f6512d14cc0d875a33aadb0f7db4314',
}

_ANNOTATIONS = frozenset(['title', 'description', '$comment'])
_NAMED_SCHEMAS = frozenset(['properties', '$defs'])


def _shape(node, names=False):
    """``node`` without annotations; keys of name->schema maps are kept."""
    if isinstance(node, dict):
        return {key: _shape(value, not names and key in _NAMED_SCHEMAS)
                for key, value in node.items()
                if names or key not in _ANNOTATIONS}
    if isinstance(node, list):
        return [_shape(item) for item in node]
    return node


def fingerprint(document):
    canonical = json.dumps(_shape(document), sort_keys=True,
                           separators=(',', ':'), ensure_ascii=True)
    return hashlib.sha256(canonical.encode('ascii')).hexdigest()


@functools.lru_cache(maxsize=None)
def _validator(name, version, tolerant=False):
    document = schema.json_schema(name, version, tolerant=tolerant)
    return jsonschema.Draft202012Validator(document)


@functools.lru_cache(maxsize=None)
def _error_validator(tolerant):
    return jsonschema.Draft202012Validator(
        schema.error_schema(tolerant=tolerant))


def _valid(name, version, payload, tolerant=False):
    return _validator(name, version, tolerant).is_valid(payload)


def _without_changes(node):
    if isinstance(node, dict):
        return {key: _without_changes(value) for key, value in node.items()
                if key != wire.KEY_CHANGES}
    if isinstance(node, list):
        return [_without_changes(item) for item in node]
    return node


def _sample_host_info():
    return objects.HostInfo(plugin_info=[
        objects.HostPluginInfo(plugin_name='ovs', vif_info=[
            objects.HostVIFInfo(
                vif_object_name='VIFOpenVSwitch', min_version='1.0',
                max_version='1.1', supported_port_profiles=[
                    objects.HostPortProfileInfo(
                        profile_object_name='VIFPortProfileOpenVSwitch',
                        min_version='1.0', max_version='1.1')]),
            objects.HostVIFInfo(vif_object_name='VIFBridge',
                                min_version='1.0', max_version='1.0')]),
        objects.HostPluginInfo(plugin_name='noop', vif_info=[]),
    ])


def _os_vif_host_info_primitive(with_profiles=True):
    """What os-vif 5.3.0 itself sends as HostInfo 1.0."""
    profiles = [osv_host_info.HostPortProfileInfo(
        profile_object_name='VIFPortProfileOpenVSwitch',
        min_version='1.0', max_version='1.1')]
    vif = osv_host_info.HostVIFInfo(
        vif_object_name='VIFOpenVSwitch', min_version='1.0',
        max_version='1.1')
    if with_profiles:
        vif.supported_port_profiles = profiles
    info = osv_host_info.HostInfo(plugin_info=[
        osv_host_info.HostPluginInfo(plugin_name='ovs', vif_info=[vif])])
    # A JSON round trip, as the peer sees it.
    return json.loads(json.dumps(info.obj_to_primitive(
        target_version='1.0')))


# -- the hostile corpus ----------------------------------------------------

_HOSTILE_STRINGS = (
    '', ' ', '\t\n', '\u3000', '\x1c', '\x85', '\ufeff', 'x', '\x00',
    '1', '1.', '.1', '1.0', '1.1', '1.2', '2.0', '0.0', '0.9', '01.0',
    '1.01', '1.0.0', '1.0\n', '\n1.0', ' 1.0', '1.0 ', '+1.0', '-1.0',
    '1,0', '1_0', '1.0a', '\uff11.\uff10', '1.\u0660', '\u0661.0',
    '1234567890.0', '999999999.999999999', '1e0.0',
    'HostInfo', 'HostPluginInfo', 'HostVIFInfo', 'HostPortProfileInfo',
    'hostinfo', 'HostInfo ', 'os_vif', 'OS_VIF', 'os_vif ', 'nova',
    'versioned_object.data',
)
_HOSTILE_VALUES = (None, True, False, 0, 1, -1, 1.5, [], {}, ['1.0'],
                   {'a': 1}, [None], [[]])


def _objects_at_every_version():
    sample = _sample_host_info()
    plugin = sample.plugin_info[0]
    vif = plugin.vif_info[0]
    found = []
    for obj in (sample, plugin, vif, vif.supported_port_profiles[0]):
        for version in strategies.TARGET_VERSIONS[obj.obj_name()]:
            found.append(wire.to_primitive(obj, version))
    return found


def _places(node, path=()):
    """Every (path, value) inside ``node``, the root included."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, path + (index,))


def _replaced(root, path, value):
    if not path:
        return value
    result = copy.deepcopy(root)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return result


def _mutations(root):
    """Payloads one edit away from ``root``: the hostile corpus."""
    strays = _objects_at_every_version()
    seen = set()
    for path, value in _places(root):
        for other in _HOSTILE_VALUES:
            yield _replaced(root, path, other)
        # Every string gets the long list once per role, not per index.
        role = tuple(step for step in path if isinstance(step, str))
        if isinstance(value, str) and role not in seen:
            seen.add(role)
            for other in _HOSTILE_STRINGS:
                yield _replaced(root, path, other)
        if isinstance(value, dict):
            for key in value:
                edited = copy.deepcopy(value)
                del edited[key]
                yield _replaced(root, path, edited)
            for key, extra in (('unexpected', 1),
                               (wire.KEY_CHANGES, ['plugin_info']),
                               (wire.KEY_CHANGES, [1]),
                               (wire.KEY_CHANGES, 'plugin_info'),
                               (wire.KEY_CHANGES, None),
                               ('supported_port_profiles', 'x')):
                yield _replaced(root, path, dict(value, **{key: extra}))
        if isinstance(value, list):
            yield _replaced(root, path, [])
            yield _replaced(root, path, value + value)
            for stray in strays:
                yield _replaced(root, path, value + [stray])
            if value:
                yield _replaced(root, path, value[0])


def _refusal(payload, name='HostInfo'):
    """What deserialize() makes of ``payload``: (object, error)."""
    try:
        return wire.deserialize(json.dumps(payload),
                                objects.CLASSES[name][0]), None
    except (exception.MalformedPayload, exception.UnsupportedVersion) as exc:
        return None, exc


def _not_expressible(error):
    """True for refusals the schema cannot express (see NOT_EXPRESSIBLE)."""
    text = str(error)
    return ('is greater than max_version' in text
            or 'deeper than the limit' in text
            or 'over the limit' in text
            or 'is already described at' in text
            or 'duplicate key' in text)


class DifferentialChecker:
    """Compares deserialize() with every schema of one object."""

    def __init__(self, test, name='HostInfo'):
        self.test = test
        self.name = name
        self.refused = self.accepted = self.strict_refused_only = 0
        self.not_expressible = 0

    def check(self, payload):
        obj, error = _refusal(payload, self.name)
        verdicts = {(version, tolerant): _valid(self.name, version,
                                                payload, tolerant)
                    for version in strategies.TARGET_VERSIONS[self.name]
                    for tolerant in (False, True)}
        if error is not None:
            if _not_expressible(error):
                self.not_expressible += 1
                return
            self.refused += 1
            accepted_by = [key for key, ok in verdicts.items() if ok]
            self.test.assertEqual(
                [], accepted_by, 'deserialize() refused %r (%s) but these '
                '(version, tolerant) schemas accept it' % (payload, error))
            return
        self.accepted += 1
        version = payload[wire.KEY_VERSION]
        self.test.assertTrue(
            verdicts[(version, True)], 'deserialize() read %r but the '
            'tolerant schema %s refuses it' % (payload, version))
        strict = [v for (v, tolerant), ok in verdicts.items()
                  if ok and not tolerant]
        if not strict:
            self.strict_refused_only += 1
        for strict_version in strict:
            # Strict means: exactly what serialize() writes.
            self.test.assertEqual(version, strict_version)
            self.test.assertEqual(
                _without_changes(payload),
                wire.to_primitive(obj, strict_version))


class TestHostileCorpus(base.TestCase):
    """Every shape deserialize() refuses, the schemas refuse too."""

    def _run_corpus(self, root, name='HostInfo'):
        checker = DifferentialChecker(self, name)
        count = 0
        for payload in _mutations(root):
            checker.check(payload)
            count += 1
        self.assertEqual(count, checker.refused + checker.accepted
                         + checker.not_expressible)
        return checker

    def test_corpus_around_host_info_1_1(self):
        checker = self._run_corpus(
            wire.to_primitive(_sample_host_info(), '1.1'))
        self.assertGreater(checker.refused, 1000)
        # Extra keys, missing lists, other child versions: read, not written.
        self.assertGreater(checker.strict_refused_only, 20)
        self.assertGreater(checker.not_expressible, 0)

    def test_corpus_around_host_info_1_0(self):
        checker = self._run_corpus(
            wire.to_primitive(_sample_host_info(), '1.0'))
        self.assertGreater(checker.refused, 500)
        self.assertGreater(checker.strict_refused_only, 20)

    def test_corpus_around_os_vif_output(self):
        checker = self._run_corpus(_os_vif_host_info_primitive())
        self.assertGreater(checker.refused, 1000)

    def test_corpus_around_other_objects(self):
        vif = _sample_host_info().plugin_info[0].vif_info[0]
        for version in strategies.TARGET_VERSIONS['HostVIFInfo']:
            checker = self._run_corpus(wire.to_primitive(vif, version),
                                       'HostVIFInfo')
            self.assertGreater(checker.refused, 300)
            self.assertGreater(checker.not_expressible, 0)
        checker = self._run_corpus(
            wire.to_primitive(vif.supported_port_profiles[0]),
            'HostPortProfileInfo')
        self.assertGreater(checker.refused, 300)

    def test_corpus_of_non_objects(self):
        checker = DifferentialChecker(self)
        for payload in _HOSTILE_VALUES + _HOSTILE_STRINGS:
            checker.check(payload)
        self.assertEqual(len(_HOSTILE_VALUES + _HOSTILE_STRINGS),
                         checker.refused)

    @hypothesis.given(
        strategies.host_infos(max_plugins=2),
        st.sampled_from(strategies.TARGET_VERSIONS['HostInfo']),
        st.data())
    def test_random_edits(self, info, version, data):
        payload = wire.to_primitive(info, version)
        places = list(_places(payload))
        path, _old = data.draw(st.sampled_from(places), label='place')
        json_values = st.recursive(
            st.none() | st.booleans() | st.integers() | st.text()
            | st.sampled_from(_HOSTILE_STRINGS),
            lambda inner: st.lists(inner, max_size=3)
            | st.dictionaries(st.text(max_size=5), inner, max_size=3),
            max_leaves=6)
        edited = _replaced(payload, path, data.draw(json_values,
                                                    label='value'))
        DifferentialChecker(self).check(edited)


class TestNotExpressible(base.TestCase):
    """Refusals JSON Schema cannot state are documented, not hidden."""

    def _payload(self):
        return wire.to_primitive(_sample_host_info(), '1.1')

    def test_min_greater_than_max(self):
        payload = self._payload()
        vif = payload[wire.KEY_DATA]['plugin_info'][0][wire.KEY_DATA][
            'vif_info'][0][wire.KEY_DATA]
        vif['min_version'], vif['max_version'] = '1.10', '1.9'
        _obj, error = _refusal(payload)
        self.assertIn('is greater than max_version', str(error))
        # Both schemas accept it: the reader has to compare the numbers.
        self.assertTrue(_valid('HostInfo', '1.1', payload))
        self.assertTrue(_valid('HostInfo', '1.1', payload, tolerant=True))

    def test_depth_of_ignored_keys(self):
        payload = self._payload()
        deep = 'end'
        for _ in range(wire.DEFAULT_MAX_DEPTH + 2):
            deep = [deep]
        payload['unexpected'] = deep
        _obj, error = _refusal(payload)
        self.assertIn('deeper than the limit', str(error))
        self.assertTrue(_valid('HostInfo', '1.1', payload, tolerant=True))
        # The strict schema bounds the depth by refusing unknown keys.
        self.assertFalse(_valid('HostInfo', '1.1', payload))

    def test_names_twice(self):
        payload = self._payload()
        plugins = payload[wire.KEY_DATA]['plugin_info']
        plugins.append(copy.deepcopy(plugins[0]))
        _obj, error = _refusal(payload)
        self.assertIn('is already described at plugin_info[0]', str(error))
        self.assertTrue(_valid('HostInfo', '1.1', payload))
        self.assertTrue(_valid('HostInfo', '1.1', payload, tolerant=True))
        self.assertIn('uniqueItems', schema.NOT_EXPRESSIBLE[4])

    def test_keys_twice(self):
        text = json.dumps(self._payload())
        forged = '{"versioned_object.name": "HostInfo", ' + text[1:]
        self.assertRaises(exception.MalformedPayload, wire.deserialize,
                          forged)
        # What a validator sees is the parsed object, which is valid.
        self.assertTrue(_valid('HostInfo', '1.1', json.loads(forged)))
        self.assertIn('twice', schema.NOT_EXPRESSIBLE[3])

    def test_documented_in_every_object_schema(self):
        for file_name, document in schema.schema_documents().items():
            if file_name.startswith((schema.ERROR_SCHEMA_NAME, 'binding-',
                                     'agent-')):
                continue
            for note in schema.NOT_EXPRESSIBLE:
                self.assertIn(note, document['description'], file_name)
        self.assertIn('min_version', schema.NOT_EXPRESSIBLE[0])
        self.assertIn('depth', schema.NOT_EXPRESSIBLE[1])


class TestGeneratedPayloads(base.TestCase):
    """Whatever serialize() writes validates against its version."""

    def _check(self, obj, name):
        for version in strategies.TARGET_VERSIONS[name]:
            payload = json.loads(wire.serialize(obj, version))
            for tolerant in (False, True):
                validator = _validator(name, version, tolerant)
                if not validator.is_valid(payload):
                    self.fail('%s %s (tolerant=%s) refuses %r: %s' % (
                        name, version, tolerant, payload, [
                            e.message for e in validator.iter_errors(
                                payload)]))
            for other in strategies.TARGET_VERSIONS[name]:
                if other != version:
                    self.assertFalse(_valid(name, other, payload))

    @hypothesis.given(strategies.host_infos(max_plugins=3))
    def test_host_infos(self, info):
        self._check(info, 'HostInfo')

    @hypothesis.given(strategies.plugin_infos())
    def test_plugin_infos(self, plugin):
        self._check(plugin, 'HostPluginInfo')

    @hypothesis.given(strategies.vif_infos())
    def test_vif_infos(self, vif):
        self._check(vif, 'HostVIFInfo')

    @hypothesis.given(strategies.port_profiles())
    def test_port_profiles(self, profile):
        self._check(profile, 'HostPortProfileInfo')

    def test_target_versions_are_all_published(self):
        for name, known in strategies.TARGET_VERSIONS.items():
            self.assertEqual(
                list(known),
                [str(v) for v in schema.object_versions(name)])

    def test_fields_and_child_versions_follow_serialize(self):
        sample = _sample_host_info()
        for version in strategies.TARGET_VERSIONS['HostInfo']:
            document = schema.json_schema('HostInfo', version)
            payload = wire.to_primitive(sample, version)
            for _path, node in _places(payload):
                if not isinstance(node, dict) or wire.KEY_NAME not in node:
                    continue
                key = '%s-%s' % (node[wire.KEY_NAME], node[wire.KEY_VERSION])
                envelope = document['$defs'][key]
                data = envelope['properties'][wire.KEY_DATA]
                self.assertEqual(sorted(node[wire.KEY_DATA]),
                                 sorted(data['required']))
                self.assertEqual(sorted(node[wire.KEY_DATA]),
                                 sorted(data['properties']))

    def test_child_version_is_const(self):
        document = schema.json_schema('HostInfo', '1.0')
        self.assertEqual(
            {'$ref': '#/$defs/HostVIFInfo-1.0'},
            document['$defs']['HostPluginInfo-1.0']['properties'][
                wire.KEY_DATA]['properties']['vif_info']['items'])
        self.assertEqual(
            {'const': '1.0'},
            document['$defs']['HostVIFInfo-1.0']['properties'][
                wire.KEY_VERSION])
        self.assertNotIn('HostVIFInfo-1.1', document['$defs'])

    def test_changes_are_accepted(self):
        payload = wire.to_primitive(_sample_host_info(), '1.1')
        payload[wire.KEY_CHANGES] = ['plugin_info']
        self.assertTrue(_valid('HostInfo', '1.1', payload))
        payload[wire.KEY_CHANGES] = [1]
        self.assertFalse(_valid('HostInfo', '1.1', payload))
        self.assertFalse(_valid('HostInfo', '1.1', payload, tolerant=True))

    def test_schema_follows_obj_relationships(self):
        # Not a hand-kept copy: move the child version a parent version
        # carries and the schema moves with it.
        self.addCleanup(wire.layout.cache_clear)
        self.addCleanup(_schema_objects.schema_text.cache_clear)
        wire.layout.cache_clear()
        _schema_objects.schema_text.cache_clear()
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo.objects.HostPluginInfo.obj_relationships',
            {'vif_info': [('1.0', '1.1')]}))
        document = schema.json_schema('HostInfo', '1.0')
        self.assertIn('HostVIFInfo-1.1', document['$defs'])
        self.assertNotIn('HostVIFInfo-1.0', document['$defs'])
        self.assertTrue(jsonschema.Draft202012Validator(document).is_valid(
            _os_vif_host_info_primitive()))


class TestOsVif(base.TestCase):
    """os-vif 5.3.0's HostInfo 1.0 carries HostVIFInfo 1.1 children."""

    def test_os_vif_output_is_read(self):
        info = wire.deserialize(json.dumps(_os_vif_host_info_primitive()))
        vif = info.plugin_info[0].vif_info[0]
        self.assertEqual('VIFPortProfileOpenVSwitch',
                         vif.supported_port_profiles[0].profile_object_name)

    def test_strict_schema_refuses_it(self):
        payload = _os_vif_host_info_primitive()
        validator = _validator('HostInfo', '1.0')
        error = jsonschema.exceptions.best_match(
            validator.iter_errors(payload))
        self.assertIsNotNone(error)
        vif_versions = [
            vif[wire.KEY_VERSION]
            for plugin in payload[wire.KEY_DATA]['plugin_info']
            for vif in plugin[wire.KEY_DATA]['vif_info']]
        self.assertEqual(['1.1'], vif_versions)

    def test_tolerant_schema_accepts_it(self):
        for with_profiles in (True, False):
            payload = _os_vif_host_info_primitive(with_profiles)
            validator = _validator('HostInfo', '1.0', tolerant=True)
            self.assertEqual(
                [], [e.message for e in validator.iter_errors(payload)])

    def test_tolerance_is_documented(self):
        description = schema.json_schema(
            'HostInfo', '1.0', tolerant=True)['description']
        self.assertIn('os-vif 5.3.0 sends HostVIFInfo 1.1', description)
        self.assertIn('Strict', schema.json_schema(
            'HostInfo', '1.0')['description'])

    def test_os_vif_backleveled_vif_is_strict_1_0(self):
        # (os-vif 5.3.0 fails to back-level one with port profiles set.)
        vif = osv_host_info.HostVIFInfo(
            vif_object_name='VIFBridge', min_version='1.0',
            max_version='1.0')
        payload = json.loads(json.dumps(
            vif.obj_to_primitive(target_version='1.0')))
        self.assertIn(wire.KEY_CHANGES, payload)
        self.assertTrue(_valid('HostVIFInfo', '1.0', payload))


class TestValues(base.TestCase):

    def _vif(self, **data):
        fields = {'vif_object_name': 'VIFBridge', 'min_version': '1.0',
                  'max_version': '1.0'}
        fields.update(data)
        return {wire.KEY_NAME: 'HostVIFInfo',
                wire.KEY_NAMESPACE: objects.NAMESPACE,
                wire.KEY_VERSION: '1.0', wire.KEY_DATA: fields}

    def test_version_pattern_is_the_library_one(self):
        document = schema.json_schema('HostVIFInfo', '1.0')
        self.assertEqual(schema.versions.VERSION_PATTERN,
                         document['$defs']['version']['pattern'])

    def test_trailing_newline_is_refused(self):
        # Python's (and Java's) $ matches before a final newline.
        self.assertIsNotNone(re.search(schema.versions.VERSION_PATTERN,
                                       '1.0\n'))
        self.assertFalse(_valid('HostVIFInfo', '1.0',
                                self._vif(min_version='1.0\n')))

    def test_names_follow_str_strip(self):
        pattern = re.compile(schema.json_schema('HostVIFInfo', '1.0')[
            '$defs']['name']['pattern'])
        every = ''.join(map(chr, range(sys.maxunicode + 1)))
        self.assertEqual({char for char in every if not char.strip()},
                         set(every) - set(pattern.findall(every)))

    def test_whitespace_names_are_refused(self):
        for name in ('', ' ', '\u3000\t', '\x1c'):
            self.assertFalse(_valid('HostVIFInfo', '1.0',
                                    self._vif(vif_object_name=name)), name)
        for name in (' x ', '\ufeff', '\u200b'):
            self.assertTrue(_valid('HostVIFInfo', '1.0',
                                   self._vif(vif_object_name=name)), name)

    def test_namespace_is_const(self):
        document = schema.json_schema('HostInfo')
        self.assertEqual(
            {'const': 'os_vif'},
            document['$defs']['HostInfo-1.1']['properties'][
                wire.KEY_NAMESPACE])


class TestErrors(base.TestCase):

    def test_unknown_object(self):
        error = self.assertRaises(exception.InvalidObject,
                                  schema.json_schema, 'VIFBridge')
        self.assertEqual(
            "Expected a host information object name (one of HostInfo, "
            "HostPluginInfo, HostPortProfileInfo, HostVIFInfo), got "
            "'VIFBridge'", str(error))
        self.assertRaises(exception.InvalidObject, schema.json_schema, None)
        self.assertRaises(exception.InvalidObject, schema.object_versions,
                          'Nope')

    def test_bad_version_string(self):
        error = self.assertRaises(exception.InvalidVersion,
                                  schema.json_schema, 'HostInfo', '1.0.0')
        self.assertEqual("Invalid version '1.0.0' for version: expected "
                         '"MAJOR.MINOR": two numbers and one dot, found 2 '
                         'dots', str(error))

    def test_unknown_versions(self):
        for version in ('1.2', '2.0', '0.9'):
            error = self.assertRaises(exception.UnsupportedVersion,
                                      schema.json_schema, 'HostInfo',
                                      version)
            self.assertEqual(version, error.requested_version)
            self.assertEqual('1.1', error.max_supported_version)
        error = self.assertRaises(exception.UnsupportedVersion,
                                  schema.json_schema,
                                  'HostPortProfileInfo', '1.1')
        self.assertEqual('HostPortProfileInfo version 1.1 is not supported; '
                         'the highest supported version is 1.0', str(error))

    def test_default_is_newest_strict_host_info(self):
        document = schema.json_schema()
        self.assertEqual('#/$defs/HostInfo-1.1', document['$ref'])
        self.assertEqual(schema.DIALECT, document['$schema'])
        self.assertEqual('urn:os-vif-hostinfo:schema:HostInfo-1.1',
                         document['$id'])

    def test_result_is_a_copy(self):
        document = schema.json_schema()
        document['$defs'].clear()
        self.assertIn('HostInfo-1.1', schema.json_schema()['$defs'])


class TestErrorSchema(base.TestCase):

    def _body(self):
        return exception.UnsupportedVersion(
            object_name='HostInfo', requested_version='1.1',
            max_supported_version='1.0').to_dict()

    def test_to_dict_validates(self):
        for tolerant in (False, True):
            self.assertEqual([], [e.message for e in _error_validator(
                tolerant).iter_errors(self._body())])

    def test_code_is_const(self):
        defs = schema.error_schema()['$defs']
        for code in ('unsupported_version', 'host_info_error'):
            self.assertEqual({'const': code},
                             defs[code]['properties']['code'])

    def test_every_error_body_validates(self):
        # Every HostInfoError's to_dict(), as the RPC endpoint replies and
        # check prints, is one of the bodies the schema describes.
        from tests.unit import test_exception
        for cls in test_exception._all_error_classes():
            exc = cls(**test_exception._sample_kwargs(cls))
            for tolerant in (False, True):
                self.assertEqual(
                    [], [e.message for e in _error_validator(
                        tolerant).iter_errors(exc.to_dict())],
                    cls.__name__)

    def test_host_info_error_body_is_strict(self):
        body = exception.MalformedPayload(path='$', reason='r').to_dict()
        for broken in ({'path': ['$']}, {'nested': {'x': 1}}):
            wrong = copy.deepcopy(body)
            wrong['error']['details'] = broken
            self.assertFalse(_error_validator(False).is_valid(wrong))
        for key in ('type', 'message', 'details'):
            wrong = copy.deepcopy(body)
            del wrong['error'][key]
            self.assertFalse(_error_validator(False).is_valid(wrong), key)
            self.assertTrue(_error_validator(True).is_valid(wrong), key)
        wrong = copy.deepcopy(body)
        wrong['error']['code'] = 'malformed_payload'
        for tolerant in (False, True):
            self.assertFalse(_error_validator(tolerant).is_valid(wrong))

    def test_differential_with_from_dict(self):
        root = self._body()
        refused = 0
        for payload in list(_mutations(root)) + list(_HOSTILE_VALUES):
            if _code(payload) == exception.CODE_HOST_INFO_ERROR:
                continue  # the other body; from_dict() is not its reader
            try:
                exception.UnsupportedVersion.from_dict(
                    copy.deepcopy(payload))
            except exception.MalformedPayload as exc:
                refused += 1
                for tolerant in (False, True):
                    self.assertFalse(
                        _error_validator(tolerant).is_valid(payload),
                        'from_dict() refused %r (%s)' % (payload, exc))
                continue
            self.assertTrue(_error_validator(True).is_valid(payload),
                            payload)
        self.assertGreater(refused, 200)

    def test_tolerant_message(self):
        body = self._body()
        body['error']['message'] = None
        self.assertFalse(_error_validator(False).is_valid(body))
        self.assertTrue(_error_validator(True).is_valid(body))
        del body['error']['message']
        self.assertFalse(_error_validator(False).is_valid(body))
        self.assertTrue(_error_validator(True).is_valid(body))


def _code(payload):
    error = payload.get('error') if isinstance(payload, dict) else None
    return error.get('code') if isinstance(error, dict) else None


class TestPublished(base.TestCase):

    def test_every_document_is_a_valid_schema(self):
        for file_name, document in schema.schema_documents().items():
            jsonschema.Draft202012Validator.check_schema(document)
            self.assertEqual(schema.DIALECT, document['$schema'])
            self.assertTrue(document['$id'].startswith(schema.ID_PREFIX))

    def test_ids_are_unique(self):
        ids = [d['$id'] for d in schema.schema_documents().values()]
        self.assertEqual(len(ids), len(set(ids)))

    def test_fingerprints_are_pinned(self):
        found = {file_name: fingerprint(document) for file_name, document
                 in schema.schema_documents().items()}
        self.assertEqual(sorted(PINNED_FINGERPRINTS), sorted(found))
        for file_name, expected in PINNED_FINGERPRINTS.items():
            self.assertEqual(
                expected, found[file_name],
                '%s changed shape: if the wire format changed, bump the '
                'object version rather than the pin (see '
                'PINNED_FINGERPRINTS)' % file_name)

    def test_fingerprint_sees_shape_not_prose(self):
        document = schema.json_schema('HostInfo', '1.0')
        reworded = copy.deepcopy(document)
        reworded['description'] = 'other words'
        reworded['$defs']['name']['description'] = 'other words'
        self.assertEqual(fingerprint(document), fingerprint(reworded))
        reshaped = copy.deepcopy(document)
        reshaped['$defs']['HostVIFInfo-1.0']['properties'][
            wire.KEY_VERSION]['const'] = '1.1'
        self.assertNotEqual(fingerprint(document), fingerprint(reshaped))

    def test_write_schemas(self):
        directory = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'schemas')
        written = schema.write_schemas(directory)
        documents = schema.schema_documents()
        self.assertEqual(sorted(os.path.join(directory, name)
                                for name in documents), written)
        for file_name, document in documents.items():
            with open(os.path.join(directory, file_name),
                      encoding='utf-8') as stream:
                self.assertEqual(document, json.load(stream))
        self.assertIn(os.path.join(directory, 'HostInfo-1.1.schema.json'),
                      written)

    def test_write_schemas_into_a_file_fails(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'f')
        with open(path, 'w') as stream:
            stream.write('x')
        self.assertRaises(OSError, schema.write_schemas, path)


class TestCommand(base.TestCase):

    def _run(self, *argv):
        stdout = self.useFixture(fixtures.MonkeyPatch(
            'sys.stdout', io.StringIO())).new_value
        stderr = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value
        self.useFixture(fixtures.FakeLogger())
        code = cli.HostInfoApp().run(list(argv))
        return code, stdout.getvalue(), stderr.getvalue()

    def test_default(self):
        code, out, _err = self._run('schema')
        self.assertEqual(0, code)
        self.assertEqual(schema.json_schema(), json.loads(out))

    def test_object_version_and_tolerant(self):
        code, out, _err = self._run('schema', '--object', 'HostVIFInfo',
                                    '--version', '1.0', '--tolerant')
        self.assertEqual(0, code)
        self.assertEqual(
            schema.json_schema('HostVIFInfo', '1.0', tolerant=True),
            json.loads(out))

    def test_error_body(self):
        code, out, _err = self._run('schema', '--error')
        self.assertEqual(0, code)
        self.assertEqual(schema.error_schema(), json.loads(out))
        stderr = self.useFixture(fixtures.MonkeyPatch(
            'sys.stderr', io.StringIO())).new_value
        error = self.assertRaises(SystemExit, cli.HostInfoApp().run,
                                  ['schema', '--error', '--version', '1.0'])
        self.assertEqual(2, error.code)
        self.assertIn('argument --error: ', stderr.getvalue())

    def test_bad_versions_are_usage_errors(self):
        # As show --target-version: argparse's usage status, 2.
        for version, why in (
                ('1.2', 'HostInfo version 1.2 is not supported'),
                ('x', "Invalid version 'x' for --version"),
                ('1.01', "the minor number '01' has a leading zero")):
            stderr = self.useFixture(fixtures.MonkeyPatch(
                'sys.stderr', io.StringIO())).new_value
            error = self.assertRaises(SystemExit, cli.HostInfoApp().run,
                                      ['schema', '--version', version])
            self.assertEqual(2, error.code)
            self.assertIn(why, stderr.getvalue())

    def test_app_options_before_the_command(self):
        # The application's own --version still works before a command...
        error = self.assertRaises(SystemExit, self._run, '--version')
        self.assertEqual(0, error.code)
        # ...and --debug is still read there, while --version after the
        # command name belongs to the command.
        code, out, _err = self._run('--debug', 'schema', '--version', '1.0')
        self.assertEqual(0, code)
        self.assertEqual(schema.json_schema('HostInfo', '1.0'),
                         json.loads(out))

    def test_console_script(self):
        # The installed console script and command entry point.
        script = os.path.join(os.path.dirname(sys.executable),
                              'os-vif-hostinfo')
        result = subprocess.run(
            [script, 'schema',
             '--object', 'HostPluginInfo', '--version', '1.0'],
            capture_output=True, text=True, timeout=120, check=False,
            env=dict(os.environ, PYTHONWARNINGS='ignore'))
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(schema.json_schema('HostPluginInfo', '1.0'),
                         json.loads(result.stdout))
