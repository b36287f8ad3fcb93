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

"""Tests for os_vif_hostinfo.objects."""

import copy

from hypothesis import given
from hypothesis import strategies as st
import os_vif.objects
from os_vif.objects import host_info as osvif_host_info
from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire
from tests import base
from tests.samples import plugin
from tests.samples import profile
from tests.samples import sample_host
from tests.samples import vif
from tests import strategies


class TestClasses(base.TestCase):

    def test_versions(self):
        self.assertEqual(
            {'HostPortProfileInfo': '1.0', 'HostVIFInfo': '1.1',
             'HostPluginInfo': '1.1', 'HostInfo': '1.1'},
            {name: classes[0].VERSION
             for name, classes in objects.CLASSES.items()})

    def test_namespace(self):
        for classes in objects.CLASSES.values():
            self.assertEqual('os_vif', classes[0].OBJ_PROJECT_NAMESPACE)

    def test_current_version(self):
        self.assertEqual(versions.Version(1, 1),
                         objects.current_version('HostInfo'))
        self.assertEqual(versions.Version(1, 0),
                         objects.current_version('HostPortProfileInfo'))

    def test_object_classes_is_a_copy(self):
        copied = objects.object_classes()
        self.assertEqual(objects.CLASSES, copied)
        copied['HostInfo'].append(object)
        copied.pop('HostVIFInfo')
        self.assertEqual([objects.HostInfo], objects.CLASSES['HostInfo'])
        self.assertIn('HostVIFInfo', objects.CLASSES)

    def test_not_in_ovo_registry(self):
        os_vif.objects.register_all()
        registry = ovo_base.VersionedObjectRegistry.obj_classes()
        for name, classes in objects.CLASSES.items():
            for cls in classes:
                self.assertNotIn(cls, registry.get(name, []))
            self.assertIs(getattr(osvif_host_info, name),
                          registry[name][0])

    def test_class_from_name_is_ours(self):
        for name in objects.CLASSES:
            self.assertIs(objects.CLASSES[name][0],
                          objects.HostInfo.obj_class_from_name(name, '1.0'))

    def test_class_from_name_refuses(self):
        self.assertRaises(exception.MalformedPayload,
                          objects.HostInfo.obj_class_from_name,
                          'VIFOpenVSwitch', '1.0')
        exc = self.assertRaises(exception.UnsupportedVersion,
                                objects.HostInfo.obj_class_from_name,
                                'HostInfo', '1.7')
        self.assertEqual(('HostInfo', '1.7', '1.1'),
                         (exc.object_name, exc.requested_version,
                          exc.max_supported_version))
        self.assertRaises(exception.UnsupportedVersion,
                          objects.HostInfo.obj_class_from_name,
                          'HostInfo', '2.0')
        self.assertRaises(exception.InvalidVersion,
                          objects.HostInfo.obj_class_from_name,
                          'HostInfo', '1.x')


class TestConstruction(base.TestCase):

    def test_valid(self):
        info = sample_host()
        self.assertEqual(3, len(info.plugin_info))
        self.assertIsInstance(info.plugin_info, list)
        info.obj_check_complete()

    def test_list_fields_default_empty(self):
        self.assertEqual([], objects.HostInfo().plugin_info)
        self.assertEqual([], objects.HostPluginInfo(
            plugin_name='x').vif_info)
        self.assertEqual([], objects.HostVIFInfo(
            vif_object_name='x').supported_port_profiles)

    def test_tuple_becomes_list(self):
        info = objects.HostInfo(plugin_info=(plugin(),))
        self.assertIsInstance(info.plugin_info, list)

    def test_bad_versions(self):
        for cls, kwargs in [
                (objects.HostVIFInfo, {'vif_object_name': 'V'}),
                (objects.HostPortProfileInfo, {'profile_object_name': 'P'})]:
            for field in ('min_version', 'max_version'):
                for value in ('1', '1.0.0', '', ' 1.0', '1.0\n', None, 1,
                              1.0, '\u0661.\u0660', 'one.two'):
                    exc = self.assertRaises(
                        exception.InvalidVersion, cls,
                        **dict(kwargs, **{field: value}))
                    self.assertIn(field, exc.field)
                    self.assertIn(cls.obj_name(), exc.field)
                    self.assertEqual(value, exc.value)
                    self.assertIn(field, str(exc))
                    self.assertIn(repr(value), str(exc))
                    self.assertIsInstance(exc, exception.HostInfoError)

    def test_bad_version_on_set(self):
        obj = vif()
        exc = self.assertRaises(exception.InvalidVersion, setattr, obj,
                                'max_version', '2')
        self.assertIn('max_version', str(exc))
        self.assertEqual('1.0', obj.max_version)

    def test_min_greater_than_max(self):
        for cls, name_field in [
                (objects.HostVIFInfo, 'vif_object_name'),
                (objects.HostPortProfileInfo, 'profile_object_name')]:
            exc = self.assertRaises(
                exception.InvalidVersionRange, cls,
                **{name_field: 'N', 'min_version': '1.10',
                   'max_version': '1.9'})
            self.assertEqual('max_version', exc.field)
            self.assertEqual('1.9', exc.value)
            self.assertEqual(cls.obj_name(), exc.object_name)
            for part in (cls.obj_name(), 'min_version', 'max_version',
                         '1.10', '1.9'):
                self.assertIn(part, str(exc))
            # And the other order of assignment.
            exc = self.assertRaises(
                exception.InvalidVersionRange, cls,
                **{name_field: 'N', 'max_version': '1.9',
                   'min_version': '1.10'})
            self.assertEqual('min_version', exc.field)
            self.assertEqual('1.10', exc.value)

    def test_range_compared_numerically(self):
        obj = vif(low='1.9', high='1.10')
        self.assertEqual(('1.9', '1.10'), (obj.min_version, obj.max_version))

    def test_range_checked_on_set(self):
        obj = vif(low='1.2', high='1.4')
        self.assertRaises(exception.InvalidVersionRange, setattr, obj,
                          'min_version', '1.5')
        self.assertRaises(exception.InvalidVersionRange, setattr, obj,
                          'max_version', '1.1')
        self.assertEqual(('1.2', '1.4'), (obj.min_version, obj.max_version))
        obj.max_version = '2.0'
        obj.min_version = '1.10'
        self.assertEqual(('1.10', '2.0'), (obj.min_version, obj.max_version))

    def test_empty_names(self):
        for cls, field in [(objects.HostPortProfileInfo,
                            'profile_object_name'),
                           (objects.HostVIFInfo, 'vif_object_name'),
                           (objects.HostPluginInfo, 'plugin_name')]:
            for value in ('', '   ', '\t\n', None, 5, b'ovs', ['ovs']):
                exc = self.assertRaises(exception.InvalidField, cls,
                                        **{field: value})
                self.assertEqual(field, exc.field)
                self.assertEqual(cls.obj_name(), exc.object_name)
                self.assertIn('%s.%s' % (cls.obj_name(), field), str(exc))
                self.assertIn(repr(value), str(exc))

    def test_wrong_list_elements(self):
        osvif_vif = osvif_host_info.HostVIFInfo(
            vif_object_name='VIFOpenVSwitch', min_version='1.0',
            max_version='1.0', supported_port_profiles=[])
        osvif_plugin = osvif_host_info.HostPluginInfo(
            plugin_name='ovs', vif_info=[])
        osvif_profile = osvif_host_info.HostPortProfileInfo(
            profile_object_name='P', min_version='1.0', max_version='1.0')
        cases = [
            (objects.HostPluginInfo, 'vif_info',
             [osvif_vif, [vif(), osvif_vif], [profile()], [plugin()],
              ['VIFOpenVSwitch'], [None], [{'vif_object_name': 'x'}]]),
            (objects.HostInfo, 'plugin_info',
             [[osvif_plugin], [vif()], ['ovs'], [sample_host()]]),
            (objects.HostVIFInfo, 'supported_port_profiles',
             [[osvif_profile], [vif()], [1]]),
        ]
        for cls, field, bad_values in cases:
            for value in bad_values:
                if not isinstance(value, list):
                    value = [value]
                exc = self.assertRaises(exception.InvalidField, cls,
                                        **{field: value})
                self.assertEqual(field, exc.field, value)
                self.assertIn('%s.%s' % (cls.obj_name(), field), str(exc))
        for cls, field in [(objects.HostInfo, 'plugin_info'),
                           (objects.HostPluginInfo, 'vif_info')]:
            for value in ('abc', None, {}, plugin(), 3):
                exc = self.assertRaises(exception.InvalidField, cls,
                                        **{field: value})
                self.assertEqual(field, exc.field)

    def test_wrong_list_on_set(self):
        info = sample_host()
        self.assertRaises(exception.InvalidField, setattr, info,
                          'plugin_info', [vif()])
        self.assertEqual(3, len(info.plugin_info))

    def test_unknown_kwargs(self):
        for cls in (objects.HostInfo, objects.HostPluginInfo,
                    objects.HostVIFInfo, objects.HostPortProfileInfo):
            exc = self.assertRaises(exception.InvalidField, cls,
                                    no_such_field='x')
            self.assertEqual('no_such_field', exc.field)
            self.assertIn('no_such_field', str(exc))
            self.assertIn(cls.obj_name(), str(exc))
        # supported_port_profiles is a HostVIFInfo field, not a profile's.
        self.assertRaises(exception.InvalidField,
                          objects.HostPortProfileInfo,
                          supported_port_profiles=[])

    def test_unset_field(self):
        obj = objects.HostVIFInfo(vif_object_name='V', min_version='1.0')
        exc = self.assertRaises(exception.IncompleteObject, getattr, obj,
                                'max_version')
        self.assertEqual(('HostVIFInfo', 'max_version'),
                         (exc.object_name, exc.field))
        self.assertIn('HostVIFInfo', str(exc))
        self.assertIn('max_version', str(exc))
        self.assertRaises(exception.IncompleteObject, getattr,
                          objects.HostPluginInfo(), 'plugin_name')
        self.assertRaises(exception.IncompleteObject, getattr,
                          objects.HostPortProfileInfo(),
                          'profile_object_name')

    def test_check_complete_recurses(self):
        info = objects.HostInfo(plugin_info=[plugin(vifs=[
            vif(profiles=[objects.HostPortProfileInfo(
                profile_object_name='P', min_version='1.0')])])])
        exc = self.assertRaises(exception.IncompleteObject,
                                info.obj_check_complete)
        self.assertEqual(('HostPortProfileInfo', 'max_version'),
                         (exc.object_name, exc.field))

    def test_deepcopy(self):
        info = sample_host()
        copied = copy.deepcopy(info)
        self.assertEqual(info, copied)
        self.assertIsNot(info.plugin_info[0], copied.plugin_info[0])


class TestQueries(base.TestCase):

    def test_plugins(self):
        info = sample_host()
        self.assertTrue(info.has_plugin('ovs'))
        self.assertFalse(info.has_plugin('OVS'))
        self.assertIs(info.plugin_info[1], info.get_plugin('ovs'))
        exc = self.assertRaises(exception.NoMatchingPlugin, info.get_plugin,
                                'missing-plugin')
        self.assertEqual('missing-plugin', exc.plugin_name)
        self.assertIn('missing-plugin', str(exc))
        self.assertNotIn('%(', str(exc))

    def test_vifs(self):
        ovs = sample_host().get_plugin('ovs')
        self.assertTrue(ovs.has_vif('VIFVHostUser'))
        self.assertFalse(ovs.has_vif('VIFBridge'))
        self.assertIs(ovs.vif_info[1], ovs.get_vif('VIFVHostUser'))
        exc = self.assertRaises(exception.NoMatchingVIFClass, ovs.get_vif,
                                'VIFBridge')
        self.assertEqual('VIFBridge', exc.vif_name)
        self.assertIn('VIFBridge', str(exc))
        self.assertNotIn('%(', str(exc))

    def test_port_profiles(self):
        vhu = sample_host().get_plugin('ovs').get_vif('VIFVHostUser')
        self.assertTrue(vhu.has_port_profile('VIFPortProfileOVSRepresentor'))
        self.assertFalse(vhu.has_port_profile('VIFPortProfile8021Qbh'))
        self.assertIs(vhu.supported_port_profiles[1],
                      vhu.get_port_profile('VIFPortProfileOVSRepresentor'))
        exc = self.assertRaises(exception.NoMatchingPortProfileClass,
                                vhu.get_port_profile,
                                'VIFPortProfile8021Qbh')
        self.assertEqual('VIFPortProfile8021Qbh', exc.profile_name)
        self.assertIn('VIFPortProfile8021Qbh', str(exc))
        self.assertNotIn('%(', str(exc))

    def test_empty_lookups(self):
        self.assertFalse(objects.HostInfo().has_plugin('ovs'))
        self.assertRaises(exception.NoMatchingPlugin,
                          objects.HostInfo().get_plugin, 'ovs')
        self.assertFalse(plugin().has_vif('VIFBridge'))
        self.assertFalse(vif().has_port_profile('P'))

    def test_version_range_and_admits(self):
        obj = vif(low='1.2', high='1.10')
        self.assertEqual((versions.Version(1, 2), versions.Version(1, 10)),
                         obj.version_range())
        self.assertEqual('VIFOpenVSwitch', obj.class_name)
        self.assertEqual('P', profile('P').class_name)
        for version, expected in [('1.1', False), ('1.2', True),
                                  ('1.9', True), ('1.10', True),
                                  ('1.11', False), ('2.0', False),
                                  (versions.Version(1, 5), True)]:
            self.assertEqual(expected, obj.admits(version), version)
        self.assertRaises(exception.InvalidVersion, obj.admits, '1')


class TestFilterVifTypes(base.TestCase):

    def test_filter(self):
        info = sample_host()
        before = wire.serialize(info)
        filtered = info.filter_vif_types(['VIFVHostUser'])
        self.assertIsInstance(filtered, objects.HostInfo)
        self.assertIsNot(info, filtered)
        self.assertEqual(['ovs', 'noop'],
                         [p.plugin_name for p in filtered.plugin_info])
        self.assertEqual(
            [['VIFVHostUser'], ['VIFVHostUser']],
            [[v.vif_object_name for v in p.vif_info]
             for p in filtered.plugin_info])
        # The VIF entries keep their ranges and port profiles.
        self.assertEqual(info.get_plugin('ovs').get_vif('VIFVHostUser'),
                         filtered.get_plugin('ovs').get_vif('VIFVHostUser'))
        # The original is untouched...
        self.assertEqual(before, wire.serialize(info))
        self.assertEqual(3, len(info.plugin_info))
        # ...and shares nothing with the result.
        filtered.get_plugin('ovs').get_vif('VIFVHostUser').max_version = '9.0'
        filtered.get_plugin('ovs').vif_info.append(vif('VIFNew'))
        self.assertEqual(before, wire.serialize(info))

    def test_drops_empty_plugins(self):
        info = objects.HostInfo(plugin_info=[
            plugin('empty', []), plugin('ovs', [vif('VIFOpenVSwitch')]),
            plugin('lb', [vif('VIFBridge')])])
        filtered = info.filter_vif_types({'VIFOpenVSwitch'})
        self.assertEqual(['ovs'],
                         [p.plugin_name for p in filtered.plugin_info])
        self.assertEqual([], info.filter_vif_types([]).plugin_info)
        self.assertEqual(3, len(info.plugin_info))

    def test_accepts_any_iterable(self):
        info = sample_host()
        expected = info.filter_vif_types(['VIFBridge'])
        self.assertEqual(expected,
                         info.filter_vif_types(iter(['VIFBridge'])))
        self.assertEqual(expected,
                         info.filter_vif_types(('VIFBridge', 'VIFNone')))

    def test_plugin_filter(self):
        ovs = sample_host().get_plugin('ovs')
        before = wire.serialize(ovs)
        filtered = ovs.filter_vif_types(['VIFOpenVSwitch'])
        self.assertIsInstance(filtered, objects.HostPluginInfo)
        self.assertEqual('ovs', filtered.plugin_name)
        self.assertEqual(['VIFOpenVSwitch'],
                         [v.vif_object_name for v in filtered.vif_info])
        self.assertEqual([], ovs.filter_vif_types([]).vif_info)
        self.assertEqual(before, wire.serialize(ovs))

    @given(strategies.host_infos(), st.sets(strategies.names, max_size=3))
    def test_property(self, info, extra_names):
        names = {v.vif_object_name for p in info.plugin_info
                 for v in p.vif_info}
        permitted = set(sorted(names)[:len(names) // 2]) | extra_names
        before = wire.serialize(info)
        filtered = info.filter_vif_types(permitted)
        self.assertEqual(before, wire.serialize(info))
        expected = [
            (p.plugin_name, [v for v in p.vif_info
                             if v.vif_object_name in permitted])
            for p in info.plugin_info]
        expected = [(name, vifs) for name, vifs in expected if vifs]
        self.assertEqual(
            expected,
            [(p.plugin_name, p.vif_info) for p in filtered.plugin_info])


class TestGetCommonVersion(base.TestCase):

    def test_cases_with_registry(self):
        cases = [
            # (host range, local versions, answer)
            (('1.0', '1.2'), ['1.5'], '1.2'),        # local newer: backlevel
            (('1.0', '1.5'), ['1.3'], '1.3'),        # local older, in range
            (('1.0', '1.3'), ['1.5', '1.1'], '1.3'),
            (('1.0', '1.10'), ['1.9'], '1.9'),       # numeric
            (('1.9', '1.10'), ['1.12'], '1.10'),
            (('1.0', '1.0'), ['1.0'], '1.0'),
            (('1.0', '2.3'), ['2.7'], '2.3'),        # backlevel in max major
            (('1.0', '3.5'), ['2.9'], '2.9'),        # a major in between
            (('1.2', '2.3'), ['1.1', '1.7'], '1.7'),
            (('1.2', '2.3'), ['3.0', '1.7'], '1.7'),
        ]
        for (low, high), local, answer in cases:
            registry = {'VIFThing': local, 'ProfileThing': local}
            self.assertEqual(answer, vif('VIFThing', low, high)
                             .get_common_version(registry),
                             (low, high, local))
            self.assertEqual(answer, profile('ProfileThing', low, high)
                             .get_common_version(registry),
                             (low, high, local))

    def test_registry_of_classes(self):
        class Old:
            VERSION = '1.1'

        class New:
            VERSION = '1.4'

        registry = {'VIFThing': [New, Old]}
        self.assertEqual('1.3', vif('VIFThing', '1.0', '1.3')
                         .get_common_version(registry))
        self.assertEqual('1.1', vif('VIFThing', '1.0', '1.1')
                         .get_common_version(registry))

    def test_ranges_do_not_meet(self):
        cases = [
            (('2.0', '2.5'), ['1.4']),   # local too old
            (('1.0', '1.5'), ['2.0']),   # local newer major
            (('1.3', '1.5'), ['1.2']),   # local just below
            (('1.10', '1.12'), ['1.9', '0.5']),
        ]
        for (low, high), local in cases:
            exc = self.assertRaises(
                exception.NoSupportedVIFVersion,
                vif('VIFThing', low, high).get_common_version,
                {'VIFThing': local})
            for part in ['VIFThing', low, high] + local:
                self.assertIn(part, str(exc))
            self.assertEqual((low, high), (exc.min_version, exc.max_version))
            exc = self.assertRaises(
                exception.NoSupportedPortProfileVersion,
                profile('ProfileThing', low, high).get_common_version,
                {'ProfileThing': local})
            for part in ['ProfileThing', low, high] + local:
                self.assertIn(part, str(exc))
            self.assertNotIn('%(', str(exc))

    def test_unknown_name(self):
        for registry in ({}, {'VIFThing': []}, {'Other': ['1.0']}):
            exc = self.assertRaises(
                exception.NoMatchingVIFClass,
                vif('VIFThing').get_common_version, registry)
            self.assertEqual('VIFThing', exc.vif_name)
            self.assertIn('VIFThing', str(exc))
            exc = self.assertRaises(
                exception.NoMatchingPortProfileClass,
                profile('ProfileThing').get_common_version, registry)
            self.assertIn('ProfileThing', str(exc))
            self.assertNotIn('%(', str(exc))

    def test_ovo_registry_with_os_vif(self):
        os_vif.objects.register_all()
        registry = ovo_base.VersionedObjectRegistry.obj_classes()
        ovs_version = registry['VIFOpenVSwitch'][0].VERSION
        self.assertEqual(ovs_version,
                         vif('VIFOpenVSwitch', '1.0', ovs_version)
                         .get_common_version())
        # os-vif's VIFVHostUser is newer than 1.0: we answer the host's max.
        self.assertGreater(versions.parse(registry['VIFVHostUser'][0].VERSION),
                           versions.parse('1.0'))
        self.assertEqual('1.0', vif('VIFVHostUser', '1.0', '1.0')
                         .get_common_version())
        self.assertGreater(
            versions.parse(registry['VIFPortProfileOpenVSwitch'][0].VERSION),
            versions.parse('1.2'))
        self.assertEqual('1.2', profile('VIFPortProfileOpenVSwitch', '1.0',
                                        '1.2').get_common_version())
        self.assertRaises(exception.NoSupportedVIFVersion,
                          vif('VIFOpenVSwitch', '2.0', '2.1')
                          .get_common_version)
        self.assertRaises(exception.NoMatchingVIFClass,
                          vif('VIFNoSuchThing').get_common_version)
        self.assertRaises(exception.NoMatchingPortProfileClass,
                          profile('VIFPortProfileNoSuchThing')
                          .get_common_version)

    @given(strategies.version_ranges(),
           st.lists(strategies.versions, min_size=1, max_size=4))
    def test_property(self, bounds, local):
        low, high = (versions.parse(b) for b in bounds)
        # What each local version can be sent as, within the host's range.
        sendable = set()
        for text in local:
            have = versions.parse(text)
            if low <= have <= high:
                sendable.add(have)
            elif have > high and have.major == high.major:
                sendable.add(high)
        obj = vif('VIFThing', *bounds)
        if not sendable:
            self.assertRaises(exception.NoSupportedVIFVersion,
                              obj.get_common_version, {'VIFThing': local})
        else:
            answer = obj.get_common_version({'VIFThing': local})
            self.assertEqual(str(max(sendable)), answer)
            self.assertTrue(obj.admits(answer))


class TestEquality(base.TestCase):

    def test_ignores_change_tracking(self):
        one, two = sample_host(), sample_host()
        two.obj_reset_changes(recursive=True)
        self.assertNotEqual(set(), one.obj_what_changed())
        self.assertEqual(set(), two.obj_what_changed())
        self.assertEqual(one, two)
        self.assertIs(False, one.__ne__(two))
        self.assertIs(True, one.__ne__(objects.HostInfo()))
        read = wire.deserialize(wire.serialize(one))
        self.assertEqual(one, read)

    def test_differences_count(self):
        one, two = sample_host(), sample_host()
        two.get_plugin('ovs').get_vif('VIFVHostUser').max_version = '1.2'
        self.assertNotEqual(one, two)
        self.assertNotEqual(vif(), vif(profiles=[profile()]))
        self.assertNotEqual(plugin('a'), plugin('b'))
        self.assertNotEqual(profile('P'), vif('P'))

    def test_unset_fields_count(self):
        self.assertNotEqual(objects.HostPluginInfo(),
                            objects.HostPluginInfo(plugin_name='x'))
        self.assertEqual(objects.HostPluginInfo(), objects.HostPluginInfo())

    def test_other_types(self):
        self.assertNotEqual(sample_host(), 'HostInfo')
        self.assertIs(NotImplemented, sample_host().__eq__(None))
        self.assertIs(NotImplemented, sample_host().__ne__({}))

    def test_unhashable(self):
        self.assertRaises(TypeError, hash, sample_host())


class TestClassLookup(base.TestCase):

    def test_unknown_name_is_a_library_error(self):
        for call in (objects.current_version, objects.newest_class,
                     lambda name: wire.layout(name, versions.Version(1, 0))):
            exc = self.assertRaises(exception.InvalidObject, call, 'VIFTap')
            self.assertIn('VIFTap', str(exc))
            self.assertIn('HostInfo', str(exc))

    def test_known_names(self):
        self.assertIs(objects.HostInfo, objects.newest_class('HostInfo'))
        self.assertEqual(versions.Version(1, 1),
                         objects.current_version('HostVIFInfo'))
