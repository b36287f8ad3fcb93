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

"""os-vif's own host information tests, run against this library.

os-vif ships its unit tests in its wheel. Its ``test_host_info`` module
reaches the classes under test through two module globals: ``objects``
(``objects.host_info.HostInfo``, ...) and ``exception``. Here its test case
runs unchanged, loaded from the installed os-vif, with those two names
pointing at this library's objects and exceptions; nothing of it is copied.
What passes and what does not is pinned below, and every difference is in
the porting table of ``doc/source/user/compatibility.rst``.
"""

import contextlib
import importlib
import importlib.metadata
import types
import unittest
from unittest import mock

import os_vif
import os_vif.objects
import os_vif.objects.vif
from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception

from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from tests import base

#: The release whose tests (and differences) are pinned here.
OS_VIF_RELEASE = '5.3.0'
OS_VIF_TESTS = 'os_vif.tests.unit.test_host_info'

#: os-vif's tests that pass against this library as they do against os-vif.
SAME = frozenset({
    'test_serialization',
    'test_plugin_existence',
    'test_plugin_fetch',
    'test_vif_existence',
    'test_vif_fetch',
    'test_common_version_no_obj',
    'test_common_version_no_version',
    'test_common_version_ok',
})

#: os-vif's tests that fail against this library on purpose, and why.
DIFFERENT = {
    'test_filtering': 'filter_vif_types() returns a filtered copy and '
                      'leaves the object it is called on untouched; '
                      'os-vif filters in place and returns None',
}


def load_os_vif_tests():
    """os-vif's test_host_info module, from the installed os-vif."""
    return importlib.import_module(OS_VIF_TESTS)


def this_library():
    """What os-vif's tests get as ``objects`` and ``exception`` here.

    ``host_info`` is this library's objects module. ``register_all`` and
    ``vif`` stay os-vif's: the VIF classes are the network host's, and
    ``get_common_version`` finds them in oslo.versionedobjects' registry,
    as in os-vif.
    """
    fake_objects = types.SimpleNamespace(
        host_info=objects,
        register_all=os_vif.objects.register_all,
        vif=os_vif.objects.vif)
    return {'objects': fake_objects, 'exception': exception}


def run_os_vif_tests(substitutes=None):
    """Run os-vif's host-info test cases; return the result by test name.

    :param substitutes: module globals to replace while the tests run;
        None runs them against os-vif itself.
    :returns: ``(passed, failed)``: test method names, and test method
        name -> the failure's traceback text.
    """
    module = load_os_vif_tests()
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    ran = set()
    pending = [suite]
    while pending:
        current = pending.pop()
        if isinstance(current, unittest.TestSuite):
            pending.extend(current)
        else:
            ran.add(current.id().rsplit('.', 1)[-1])
    result = unittest.TestResult()
    patched = (mock.patch.multiple(module, **substitutes) if substitutes
               else contextlib.nullcontext())
    with patched:
        suite.run(result)
    failed = {test.id().rsplit('.', 1)[-1]: detail
              for test, detail in result.failures + result.errors}
    skipped = {test.id().rsplit('.', 1)[-1] for test, _why in result.skipped}
    return ran - set(failed) - skipped, failed


class TestOsVifSuite(base.TestCase):

    def test_the_pinned_release_is_installed(self):
        self.assertEqual(OS_VIF_RELEASE, importlib.metadata.version('os-vif'))
        module = load_os_vif_tests()
        self.assertTrue(module.__file__.startswith(
            os_vif.__path__[0]), module.__file__)

    def test_every_test_passes_against_os_vif(self):
        # The control: the harness runs them all, and they all pass there.
        passed, failed = run_os_vif_tests()
        self.assertEqual({}, failed)
        self.assertEqual(SAME | set(DIFFERENT), passed)

    def test_against_this_library_only_the_documented_differences(self):
        passed, failed = run_os_vif_tests(this_library())
        self.assertEqual(sorted(SAME), sorted(passed))
        self.assertEqual(sorted(DIFFERENT), sorted(failed),
                         '\n'.join(failed.values()))

    def test_the_substitution_is_undone(self):
        run_os_vif_tests(this_library())
        module = load_os_vif_tests()
        self.assertIs(os_vif.objects, module.objects)
        self.assertIs(importlib.import_module('os_vif.exception'),
                      module.exception)

    def test_the_substitution_reaches_the_tests(self):
        # Without it, a test that relies on this library's behaviour
        # would not notice: prove the tests saw our classes.
        seen = []

        class Spy(objects.HostInfo):
            def has_plugin(self, name):
                seen.append(type(self))
                return super().has_plugin(name)

        substitutes = this_library()
        substitutes['objects'].host_info = types.SimpleNamespace(
            HostInfo=Spy, HostPluginInfo=objects.HostPluginInfo,
            HostVIFInfo=objects.HostVIFInfo)
        passed, _failed = run_os_vif_tests(substitutes)
        self.assertIn('test_plugin_existence', passed)
        self.assertTrue(seen)
        self.assertEqual({Spy}, set(seen))

    def test_filtering_fails_because_the_original_is_untouched(self):
        _passed, failed = run_os_vif_tests(this_library())
        # os-vif's test filters in place and then counts the original's
        # VIF types: all three are still there.
        self.assertIn('MismatchError: 3 != 2', failed['test_filtering'])

    def test_filtering_here_returns_what_os_vif_leaves_in_place(self):
        # What ported code writes instead: keep the returned object.
        def host(lib):
            return lib.HostInfo(plugin_info=[lib.HostPluginInfo(
                plugin_name='ovs', vif_info=[
                    lib.HostVIFInfo(vif_object_name=name, min_version='1.0',
                                    max_version='1.0')
                    for name in ('VIFBridge', 'VIFOpenVSwitch')])])

        from os_vif.objects import host_info as theirs
        in_place = host(theirs)
        self.assertIsNone(in_place.filter_vif_types(['VIFOpenVSwitch']))
        original = host(objects)
        kept = original.filter_vif_types(['VIFOpenVSwitch'])
        self.assertEqual(
            [[v.vif_object_name for v in p.vif_info]
             for p in in_place.plugin_info],
            [[v.vif_object_name for v in p.vif_info]
             for p in kept.plugin_info])
        self.assertEqual(2, len(original.plugin_info[0].vif_info))


class TestPortingTable(base.TestCase):
    """Each row of the porting table in compatibility.rst, both sides."""

    def setUp(self):
        super().setUp()
        os_vif.objects.register_all()
        from os_vif import exception as osv_exception
        from os_vif.objects import host_info as theirs
        self.theirs = theirs
        self.osv_exception = osv_exception

    def vif(self, lib, name='VIFVHostUser', low='1.0', high='1.0'):
        return lib.HostVIFInfo(vif_object_name=name, min_version=low,
                               max_version=high)

    def test_get_common_version_backlevels_a_newer_minor(self):
        self.assertEqual('1.1', os_vif.objects.vif.VIFVHostUser.VERSION)
        self.assertRaises(self.osv_exception.NoSupportedVIFVersion,
                          self.vif(self.theirs).get_common_version)
        self.assertEqual('1.0', self.vif(objects).get_common_version())
        self.assertEqual('1.0', self.vif(objects).get_common_version(
            {'VIFVHostUser': ['1.1']}))

    def test_lookup_errors_name_the_class_differently(self):
        for lib, error, key in (
                (self.theirs, self.osv_exception.NoMatchingVIFClass, 'name'),
                (objects, exception.NoMatchingVIFClass, 'vif_name')):
            exc = self.assertRaises(
                error, self.vif(lib, 'VIFNope').get_common_version)
            self.assertEqual('VIFNope', exc.kwargs[key])
        exc = self.assertRaises(
            exception.NoMatchingPortProfileClass,
            objects.HostPortProfileInfo(
                profile_object_name='Nope', min_version='1.0',
                max_version='1.0').get_common_version)
        self.assertEqual('Nope', exc.profile_name)

    def test_get_vif_messages(self):
        def missing(lib, error):
            plugin = lib.HostPluginInfo(plugin_name='p', vif_info=[])
            return self.assertRaises(error, plugin.get_vif, 'VIFNope')

        theirs = missing(self.theirs, self.osv_exception.NoMatchingVIFClass)
        ours = missing(objects, exception.NoMatchingVIFClass)
        self.assertIn('%(name)s', str(theirs))
        self.assertIsInstance(theirs, self.osv_exception.NoMatchingVIFClass)
        self.assertIn('VIFNope', str(ours))
        self.assertEqual('VIFNope', ours.vif_name)
        self.assertIsInstance(ours, LookupError)
        self.assertNotIsInstance(ours, self.osv_exception.ExceptionBase)
        self.assertTrue(hasattr(theirs, 'format_message'))
        self.assertFalse(hasattr(ours, 'format_message'))

    def test_version_fields_are_checked_when_set(self):
        self.vif(self.theirs, low='abc')  # accepted...
        self.assertRaises(ValueError,  # ...and fails later, bare
                          self.vif(self.theirs, low='abc').get_common_version)
        self.vif(self.theirs, low='2.0', high='1.0')
        for low, high, error in (('abc', '1.0', exception.InvalidVersion),
                                 ('2.0', '1.0',
                                  exception.InvalidVersionRange)):
            exc = self.assertRaises(error, self.vif, objects, low=low,
                                    high=high)
            self.assertIsInstance(exc, exception.InvalidField)
            self.assertIsInstance(exc, ValueError)

    def test_unknown_keywords_and_empty_names(self):
        self.assertEqual(
            1, self.theirs.HostInfo(plugin_info=[], bogus=1).bogus)
        self.assertEqual('', self.theirs.HostPluginInfo(
            plugin_name='', vif_info=[]).plugin_name)
        self.assertRaises(exception.InvalidField, objects.HostInfo,
                          plugin_info=[], bogus=1)
        self.assertRaises(exception.InvalidField, objects.HostPluginInfo,
                          plugin_name='', vif_info=[])

    def test_unset_fields(self):
        self.assertRaises(NotImplementedError, getattr,
                          self.theirs.HostPluginInfo(plugin_name='p'),
                          'vif_info')
        self.assertEqual([], objects.HostPluginInfo(plugin_name='p').vif_info)
        exc = self.assertRaises(exception.IncompleteObject, getattr,
                                objects.HostVIFInfo(vif_object_name='V'),
                                'min_version')
        self.assertIsInstance(exc, ValueError)

    def test_object_versions(self):
        names = ('HostInfo', 'HostPluginInfo', 'HostVIFInfo',
                 'HostPortProfileInfo')
        self.assertEqual(['1.0', '1.0', '1.1', '1.0'],
                         [getattr(self.theirs, n).VERSION for n in names])
        self.assertEqual(['1.1', '1.1', '1.1', '1.0'],
                         [str(objects.current_version(n)) for n in names])

    def host(self, lib):
        return lib.HostInfo(plugin_info=[lib.HostPluginInfo(
            plugin_name='ovs', vif_info=[
                self.vif(lib, 'VIFOpenVSwitch')])])

    def test_backleveling_the_children(self):
        def child_version(info):
            plugin = info.obj_to_primitive(target_version='1.0')[
                'versioned_object.data']['plugin_info'][0]
            return plugin['versioned_object.data']['vif_info'][0][
                'versioned_object.version']

        self.assertEqual('1.1', child_version(self.host(self.theirs)))
        self.assertEqual('1.0', child_version(self.host(objects)))
        self.assertRaises(ovo_exception.InvalidTargetVersion,
                          self.host(self.theirs).obj_to_primitive,
                          target_version='1.1')

    def test_reading_a_too_new_or_foreign_primitive(self):
        for lib, error in ((self.theirs,
                            ovo_exception.IncompatibleObjectVersion),
                           (objects, exception.UnsupportedVersion)):
            primitive = self.host(lib).obj_to_primitive()
            newer = dict(primitive, **{'versioned_object.version': '1.7'})
            self.assertRaises(error, lib.HostInfo.obj_from_primitive, newer)
            foreign = dict(primitive,
                           **{'versioned_object.namespace': 'nova'})
            self.assertRaises(ovo_exception.UnsupportedObjectError,
                              lib.HostInfo.obj_from_primitive, foreign)

    def test_registry_and_isinstance(self):
        registered = ovo_base.VersionedObjectRegistry.obj_classes()
        self.assertEqual([self.theirs.HostInfo], registered['HostInfo'])
        self.assertIs(objects.HostInfo, objects.newest_class('HostInfo'))
        self.assertNotIsInstance(self.host(objects), self.theirs.HostInfo)

    def test_equality_hashing_and_str(self):
        for lib, equal in ((self.theirs, False), (objects, True)):
            changed = self.host(lib)
            reset = self.host(lib)
            reset.obj_reset_changes(recursive=True)
            self.assertEqual(equal, changed == reset, lib.__name__)
        hash(self.host(self.theirs))
        self.assertRaises(TypeError, hash, self.host(objects))
        self.assertIn('versioned_object.data', str(self.host(self.theirs)))
        self.assertNotIn('versioned_object', str(self.host(objects)))
