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

"""Tests for os_vif_hostinfo.exception."""

import copy
import logging
import pickle
import re

import fixtures
from hypothesis import given
from hypothesis import strategies as st
from oslo_serialization import jsonutils

from os_vif_hostinfo import exception
from tests import base

#: Keyword arguments each error is raised with in this library. Every value
#: is distinctive so the test can find it in the message.
SAMPLES = {
    'InvalidField': dict(object_name='HostVIFInfo', field='vif_object_name',
                         value='bad-value-1', reason='some reason 2'),
    'InvalidVersion': dict(field='HostVIFInfo.min_version',
                           value='bad-version-3', reason='reason-3a'),
    'InvalidVersionRange': dict(object_name='HostPortProfileInfo',
                                min_version='7.5', max_version='6.4',
                                field='min_version', value='7.5'),
    'IncompleteObject': dict(object_name='HostPluginInfo',
                             field='plugin_name'),
    'InvalidObject': dict(expected='a host information object',
                          value='not-an-object-4'),
    'MalformedPayload': dict(path='$.versioned_object.data.plugin_info[3]',
                             reason='reason-5'),
    'UnsupportedVersion': dict(object_name='HostInfo',
                               requested_version='1.7',
                               max_supported_version='1.1'),
    'NoMatchingPlugin': dict(plugin_name='plugin-6'),
    'NoMatchingVIFClass': dict(vif_name='VIFThing7'),
    'NoMatchingPortProfileClass': dict(profile_name='ProfileThing8'),
    'NoSupportedVIFVersion': dict(vif_name='VIFThing9', got_versions='3.1',
                                  min_version='1.2', max_version='2.5'),
    'NoSupportedPortProfileVersion': dict(
        profile_name='ProfileThing10', got_versions='4.4',
        min_version='1.3', max_version='2.6'),
    'VIFVersionOutOfRange': dict(vif_name='VIFThing11', vif_version='9.9',
                                 ranges='VIFThing11 1.0-1.4'),
    'NegotiationFailed': dict(object_name='HostInfo', peer='peer-12',
                              reason='reason-13'),
    'PluginLoadError': dict(entry_point='ep-14', reason='reason-15'),
    'PeerUnavailable': dict(peer='peer-16', reason='reason-17'),
    'ProfileTooLarge': dict(size=4218, max_length=4095),
    'ReportTooLarge': dict(size=4300, version='1.0', max_length=4095),
    'BindingFailed': dict(port='port-18', host='host-19',
                          vif_type='binding_failed', reason='reason-20'),
}

_PLACEHOLDER = re.compile(r'%\((\w+)\)')


def _all_error_classes():
    found = []
    pending = [exception.HostInfoError]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            if sub not in found:
                found.append(sub)
                pending.append(sub)
    return found


def _sample_kwargs(cls):
    if cls.__name__ in SAMPLES:
        return SAMPLES[cls.__name__]
    # An error added later without a sample here: still check it formats.
    return {key: '%s-sample-%d' % (key, i) for i, key in
            enumerate(sorted(set(_PLACEHOLDER.findall(cls.msg_fmt))))}


class TestMessages(base.TestCase):

    def test_to_dict_names_class_and_details(self):
        exc = exception.BindingFailed(port='p1', host='compute-1',
                                      vif_type='binding_failed',
                                      reason=ValueError('x'))
        body = exc.to_dict()
        self.assertEqual({'code', 'type', 'message', 'details'},
                         set(body['error']))
        self.assertEqual('host_info_error', body['error']['code'])
        self.assertEqual('BindingFailed', body['error']['type'])
        self.assertEqual(str(exc), body['error']['message'])
        # Not a JSON scalar: sent as its text.
        self.assertEqual('x', body['error']['details']['reason'])
        self.assertEqual('compute-1', body['error']['details']['host'])

    def test_known_classes_are_found(self):
        names = {cls.__name__ for cls in _all_error_classes()}
        self.assertTrue(set(SAMPLES) <= names, set(SAMPLES) - names)

    def test_every_error_names_its_kwargs(self):
        for cls in _all_error_classes():
            kwargs = _sample_kwargs(cls)
            self.assertTrue(
                set(_PLACEHOLDER.findall(cls.msg_fmt)) <= set(kwargs),
                cls.__name__)
            exc = cls(**kwargs)
            message = str(exc)
            self.assertTrue(message.strip(), cls.__name__)
            self.assertNotIn('%(', message, cls.__name__)
            self.assertEqual(message, exc.message)
            for key, value in kwargs.items():
                self.assertEqual(value, getattr(exc, key),
                                 '%s.%s' % (cls.__name__, key))
                if key in _PLACEHOLDER.findall(cls.msg_fmt):
                    self.assertIn(str(value), message,
                                  '%s names %s' % (cls.__name__, key))
            self.assertIsInstance(exc, exception.HostInfoError)

    def test_messages_name_what_matters(self):
        # Independent of msg_fmt: the values a reader needs are named.
        wanted = {
            'InvalidField': ('HostVIFInfo', 'vif_object_name',
                             'bad-value-1'),
            'InvalidVersion': ('HostVIFInfo.min_version', 'bad-version-3'),
            'InvalidVersionRange': ('HostPortProfileInfo', 'min_version',
                                    '7.5', '6.4'),
            'UnsupportedVersion': ('HostInfo', '1.7', '1.1'),
            'NoSupportedVIFVersion': ('VIFThing9', '3.1', '1.2', '2.5'),
            'NoSupportedPortProfileVersion': ('ProfileThing10', '4.4',
                                              '1.3', '2.6'),
            'VIFVersionOutOfRange': ('VIFThing11', '9.9'),
            'NegotiationFailed': ('HostInfo', 'peer-12'),
            'MalformedPayload': ('$.versioned_object.data.plugin_info[3]',),
        }
        for name, parts in wanted.items():
            cls = getattr(exception, name)
            message = str(cls(**SAMPLES[name]))
            for part in parts:
                self.assertIn(part, message, name)

    def test_copy_and_pickle(self):
        for cls in _all_error_classes():
            kwargs = _sample_kwargs(cls)
            exc = cls(**kwargs)
            for copied in (copy.copy(exc), copy.deepcopy(exc),
                           pickle.loads(pickle.dumps(exc))):
                self.assertIs(cls, type(copied))
                self.assertEqual(str(exc), str(copied))
                for key, value in kwargs.items():
                    self.assertEqual(value, getattr(copied, key))
        exc = exception.NoMatchingPlugin('custom', plugin_name='x')
        self.assertEqual('custom', str(pickle.loads(pickle.dumps(exc))))

    def test_base_class_message(self):
        self.assertTrue(str(exception.HostInfoError()).strip())

    def test_explicit_message_wins(self):
        exc = exception.NoMatchingPlugin('custom text', plugin_name='x')
        self.assertEqual('custom text', str(exc))
        self.assertEqual('x', exc.plugin_name)

    def test_empty_message_is_replaced(self):
        exc = exception.NoMatchingPlugin('', plugin_name='plugin-x')
        self.assertIn('plugin-x', str(exc))
        exc = exception.UnsupportedVersion(
            '', object_name='HostInfo', requested_version='1.4',
            max_supported_version='1.1')
        self.assertIn('1.4', str(exc))

    def test_no_kwargs_still_builds_and_logs(self):
        for cls in _all_error_classes():
            wanted = set(_PLACEHOLDER.findall(cls.msg_fmt))
            logger = self.useFixture(fixtures.FakeLogger(
                name='os_vif_hostinfo.exception', level=logging.DEBUG))
            exc = cls()
            message = str(exc)
            self.assertTrue(message.strip(), cls.__name__)
            self.assertNotIn('%(', message, cls.__name__)
            self.assertEqual(message, exc.message)
            if wanted:
                self.assertIn('Cannot format the message of %s'
                              % cls.__name__, logger.output)
            else:
                self.assertEqual('', logger.output)

    def test_each_missing_kwarg_is_named(self):
        for cls in _all_error_classes():
            kwargs = _sample_kwargs(cls)
            for missing in sorted(set(_PLACEHOLDER.findall(cls.msg_fmt))):
                logger = self.useFixture(fixtures.FakeLogger(
                    name='os_vif_hostinfo.exception'))
                given = {key: value for key, value in kwargs.items()
                         if key != missing}
                exc = cls(**given)
                label = '%s without %s' % (cls.__name__, missing)
                message = str(exc)
                self.assertIn(missing, message, label)
                for key, value in given.items():
                    if key in _PLACEHOLDER.findall(cls.msg_fmt):
                        self.assertIn(str(value), message, label)
                    self.assertEqual(value, getattr(exc, key), label)
                self.assertIn(cls.__name__, logger.output, label)
                self.assertIn(missing, logger.output, label)
                self.assertIsInstance(exc.to_dict(), dict, label)
                copied = pickle.loads(pickle.dumps(exc))
                self.assertEqual(message, str(copied), label)

    def test_missing_kwarg_message(self):
        self.useFixture(fixtures.FakeLogger(name='os_vif_hostinfo.exception'))
        exc = exception.InvalidVersion(field='f', value='v')
        self.assertEqual("Invalid version 'v' for f: <reason not given>",
                         str(exc))

    def test_wrong_type_for_conversion(self):
        logger = self.useFixture(fixtures.FakeLogger(
            name='os_vif_hostinfo.exception'))
        exc = exception.ProfileTooLarge(size='big', max_length=4095)
        self.assertIn("size='big'", str(exc))
        self.assertIn('max_length=4095', str(exc))
        self.assertIn('binding:profile', str(exc))
        self.assertIn('ProfileTooLarge', logger.output)
        self.assertIn('TypeError', logger.output)

    def test_unsupported_version_without_its_attributes(self):
        self.useFixture(fixtures.FakeLogger(name='os_vif_hostinfo.exception'))
        exc = exception.UnsupportedVersion(object_name='HostInfo')
        self.assertEqual('HostInfo', exc.object_name)
        self.assertIsNone(exc.requested_version)
        self.assertIsNone(exc.max_supported_version)
        self.assertIn('<requested_version not given>', str(exc))
        self.assertEqual('HostInfo', exc.to_dict()['error']['object'])

    def test_complete_kwargs_log_nothing(self):
        for cls in _all_error_classes():
            logger = self.useFixture(fixtures.FakeLogger(
                name='os_vif_hostinfo.exception', level=logging.DEBUG))
            cls(**_sample_kwargs(cls))
            self.assertEqual('', logger.output, cls.__name__)

    def test_lookup_errors_are_lookup_errors(self):
        for cls in (exception.NoMatchingPlugin, exception.NoMatchingVIFClass,
                    exception.NoMatchingPortProfileClass):
            self.assertTrue(issubclass(cls, LookupError), cls)

    def test_describe_json_type(self):
        for value, text in [(None, 'null'), (True, 'a boolean'),
                            (1, 'a number'), (1.5, 'a number'),
                            ('x', 'a string'), ([], 'an array'),
                            ({}, 'an object'), (b'x', 'bytes')]:
            self.assertEqual(text, exception.describe_json_type(value))


def _unsupported(object_name='HostInfo', requested_version='1.1',
                 max_supported_version='1.0'):
    return exception.UnsupportedVersion(
        object_name=object_name, requested_version=requested_version,
        max_supported_version=max_supported_version)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)

_version_texts = st.sampled_from(['1.0', '1.1', '2.0', '1.10', '', '1',
                                  '1.0.0', ' 1.0', '\u0661.\u0660'])

# Bodies that are close to a valid reply, to reach every check.
_near_bodies = st.fixed_dictionaries({'error': st.fixed_dictionaries(
    {},
    optional={
        'code': st.sampled_from(['unsupported_version']) | _json,
        'object': st.sampled_from(['HostInfo', 'HostVIFInfo']) | _json,
        'requested_version': _version_texts | _json,
        'max_supported_version': _version_texts | _json,
        'message': st.text(max_size=10) | _json,
    })})


class TestUnsupportedVersionReply(base.TestCase):

    def test_attributes(self):
        exc = _unsupported('HostInfo', '1.7', '1.1')
        self.assertEqual('HostInfo', exc.object_name)
        self.assertEqual('1.7', exc.requested_version)
        self.assertEqual('1.1', exc.max_supported_version)

    def test_to_dict_shape(self):
        exc = _unsupported('HostInfo', '1.1', '1.0')
        self.assertEqual({'error': {
            'code': 'unsupported_version',
            'object': 'HostInfo',
            'requested_version': '1.1',
            'max_supported_version': '1.0',
            'message': str(exc),
        }}, exc.to_dict())
        self.assertTrue(str(exc))

    def test_to_dict_is_json(self):
        body = _unsupported().to_dict()
        self.assertEqual(body, jsonutils.loads(jsonutils.dumps(body)))

    def test_round_trip(self):
        exc = _unsupported('HostVIFInfo', '1.9', '1.1')
        back = exception.UnsupportedVersion.from_dict(
            jsonutils.loads(jsonutils.dumps(exc.to_dict())))
        self.assertIsInstance(back, exception.UnsupportedVersion)
        self.assertEqual(('HostVIFInfo', '1.9', '1.1'),
                         (back.object_name, back.requested_version,
                          back.max_supported_version))
        self.assertEqual(str(exc), str(back))
        self.assertEqual(exc.to_dict(), back.to_dict())

    def test_custom_message_round_trips(self):
        exc = exception.UnsupportedVersion(
            'peer says no', object_name='HostInfo', requested_version='1.1',
            max_supported_version='1.0')
        back = exception.UnsupportedVersion.from_dict(exc.to_dict())
        self.assertEqual('peer says no', str(back))

    def test_missing_or_empty_message_is_rebuilt(self):
        for message in (None, ''):
            body = _unsupported('HostInfo', '1.3', '1.1').to_dict()
            if message is None:
                del body['error']['message']
            else:
                body['error']['message'] = message
            back = exception.UnsupportedVersion.from_dict(body)
            self.assertIn('1.3', str(back))
            self.assertIn('HostInfo', str(back))

    def test_bad_bodies_name_the_place(self):
        good = _unsupported().to_dict()['error']
        cases = [
            (None, '$'),
            ([], '$'),
            ('error', '$'),
            ({}, '$'),
            ({'error': 'unsupported_version'}, '$'),
            ({'error': dict(good, code='other')}, '$.error.code'),
            ({'error': {k: v for k, v in good.items() if k != 'code'}},
             '$.error.code'),
            ({'error': dict(good, object=None)}, '$.error.object'),
            ({'error': dict(good, object='')}, '$.error.object'),
            ({'error': dict(good, object=5)}, '$.error.object'),
            ({'error': dict(good, requested_version=1.1)},
             '$.error.requested_version'),
            ({'error': dict(good, requested_version='1.1.1')},
             '$.error.requested_version'),
            ({'error': dict(good, max_supported_version='x')},
             '$.error.max_supported_version'),
            ({'error': {k: v for k, v in good.items()
                        if k != 'max_supported_version'}},
             '$.error.max_supported_version'),
            ({'error': dict(good, message=['x'])}, '$.error.message'),
        ]
        for body, path in cases:
            exc = self.assertRaises(exception.MalformedPayload,
                                    exception.UnsupportedVersion.from_dict,
                                    body)
            self.assertEqual(path, exc.path, body)
            self.assertIn(path, str(exc))

    def _check_from_dict(self, body):
        try:
            exc = exception.UnsupportedVersion.from_dict(body)
        except exception.MalformedPayload as err:
            self.assertTrue(str(err))
            return
        error = body['error']
        self.assertEqual('unsupported_version', error['code'])
        self.assertEqual(error['object'], exc.object_name)
        self.assertEqual(error['requested_version'], exc.requested_version)
        self.assertEqual(error['max_supported_version'],
                         exc.max_supported_version)
        self.assertTrue(str(exc))
        again = exception.UnsupportedVersion.from_dict(exc.to_dict())
        self.assertEqual(exc.to_dict(), again.to_dict())

    @given(_json)
    def test_any_json_value(self, body):
        self._check_from_dict(body)

    @given(_near_bodies)
    def test_near_valid_bodies(self, body):
        self._check_from_dict(body)
