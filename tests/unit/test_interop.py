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

"""Interoperability with the real os-vif (5.3.0, a test requirement).

os-vif registers classes of the same names in oslo.versionedobjects'
process-wide registry. These tests check both directions of the wire and
that the two libraries live side by side in one process, whichever is
imported first.
"""

import os
import subprocess
import sys
import textwrap

from hypothesis import given
import os_vif
import os_vif.objects
from os_vif.objects import host_info as theirs
from oslo_serialization import jsonutils
from oslo_versionedobjects import exception as ovo_exception

from os_vif_hostinfo import objects
from os_vif_hostinfo import wire
from tests import base
from tests import samples
from tests import strategies

os_vif.objects.register_all()


def describe(obj):
    """Any host information object (ours or os-vif's) as plain data.

    Unset fields are left out, so an os-vif HostVIFInfo read from a 1.0
    payload (no supported_port_profiles) differs from one holding [].
    """
    data = {}
    for name in sorted(obj.fields):
        if not obj.obj_attr_is_set(name):
            continue
        value = getattr(obj, name)
        if isinstance(value, list):
            value = [describe(item) for item in value]
        data[name] = value
    return (obj.obj_name(), data)


def theirs_sample():
    """An os-vif HostInfo 1.0 as os-vif 5.3.0 builds it."""
    def profile(name, low='1.0', high='1.0'):
        return theirs.HostPortProfileInfo(
            profile_object_name=name, min_version=low, max_version=high)

    def vif(name, profiles, low='1.0', high='1.0'):
        return theirs.HostVIFInfo(
            vif_object_name=name, min_version=low, max_version=high,
            supported_port_profiles=profiles)

    return theirs.HostInfo(plugin_info=[
        theirs.HostPluginInfo(plugin_name='linux_bridge', vif_info=[
            vif('VIFBridge', [])]),
        theirs.HostPluginInfo(plugin_name='ovs', vif_info=[
            vif('VIFOpenVSwitch', [profile('VIFPortProfileOpenVSwitch')]),
            vif('VIFVHostUser', [
                profile('VIFPortProfileOpenVSwitch', '1.0', '1.4'),
                profile('VIFPortProfileOVSRepresentor')], '1.0', '1.1'),
        ]),
        theirs.HostPluginInfo(plugin_name='empty', vif_info=[]),
    ])


def walk(obj):
    """Every object inside ``obj``, ``obj`` included."""
    found = [obj]
    for name in obj.fields:
        if obj.obj_attr_is_set(name):
            value = getattr(obj, name)
            if isinstance(value, list):
                for item in value:
                    found.extend(walk(item))
    return found


class TestOsVifReadsUs(base.TestCase):

    def _their_read(self, text, cls=theirs.HostInfo):
        return cls.obj_from_primitive(jsonutils.loads(text))

    def test_reads_our_1_0(self):
        for info in (samples.sample_host(), objects.HostInfo(),
                     objects.HostInfo(plugin_info=[samples.plugin(
                         '\u00e9t\u00e9 \U0001f600', [])])):
            read = self._their_read(wire.serialize(info, '1.0'))
            self.assertIsInstance(read, theirs.HostInfo)
            for obj in walk(read):
                self.assertEqual('os_vif.objects.host_info',
                                 type(obj).__module__)
            # At 1.0 the VIF entries carry no port profiles...
            for plugin in read.plugin_info:
                for vif in plugin.vif_info:
                    self.assertFalse(
                        vif.obj_attr_is_set('supported_port_profiles'))
            # ...and the rest is the same data.
            self.assertEqual(
                describe(samples.without_port_profiles(info)),
                describe(_with_profiles_unset(read)))

    @given(strategies.host_infos())
    def test_reads_any_1_0(self, info):
        read = self._their_read(wire.serialize(info, '1.0'))
        # What os-vif writes back, we read as what we sent at 1.0.
        echoed = wire.deserialize(jsonutils.dumps(read.obj_to_primitive()))
        self.assertEqual(samples.without_port_profiles(info), echoed)
        self.assertEqual(describe(samples.without_port_profiles(info)),
                         describe(_with_profiles_unset(read)))

    def test_query_helpers_work_on_what_they_read(self):
        read = self._their_read(wire.serialize(samples.sample_host(), '1.0'))
        self.assertTrue(read.has_plugin('ovs'))
        self.assertEqual('1.1', read.get_plugin('ovs').get_vif(
            'VIFVHostUser').max_version)

    def test_reads_our_children_at_their_versions(self):
        vhu = samples.sample('HostVIFInfo')
        read = self._their_read(wire.serialize(vhu), theirs.HostVIFInfo)
        self.assertEqual(describe(vhu), describe(read))
        profile = samples.sample('HostPortProfileInfo')
        read = self._their_read(wire.serialize(profile),
                                theirs.HostPortProfileInfo)
        self.assertEqual(describe(profile), describe(read))
        plugin = samples.sample('HostPluginInfo')
        read = self._their_read(wire.serialize(plugin, '1.0'),
                                theirs.HostPluginInfo)
        self.assertEqual(describe(samples.without_port_profiles(plugin)),
                         describe(_with_profiles_unset(read)))

    def test_refuses_our_1_1(self):
        exc = self.assertRaises(
            ovo_exception.IncompatibleObjectVersion, self._their_read,
            wire.serialize(samples.sample_host(), '1.1'))
        self.assertIn('1.1', str(exc))
        self.assertRaises(
            ovo_exception.IncompatibleObjectVersion, self._their_read,
            wire.serialize(samples.sample('HostPluginInfo')),
            theirs.HostPluginInfo)


def _with_profiles_unset(osvif_obj):
    """describe() helper: os-vif leaves supported_port_profiles unset."""
    for obj in walk(osvif_obj):
        if (obj.obj_name() == 'HostVIFInfo'
                and not obj.obj_attr_is_set('supported_port_profiles')):
            obj.supported_port_profiles = []
    return osvif_obj


class TestWeReadOsVif(base.TestCase):

    def _check_ours(self, read):
        self.assertIsInstance(read, objects.HostInfo)
        for obj in walk(read):
            self.assertIn(type(obj), objects.CLASSES[obj.obj_name()])

    def test_host_info(self):
        os_vif.initialize()
        info = os_vif.host_info()
        self.assertIsInstance(info, theirs.HostInfo)
        self.assertTrue(info.plugin_info)
        primitive = info.obj_to_primitive()
        self.assertIn('versioned_object.changes', primitive)
        for text in (jsonutils.dumps(primitive),
                     jsonutils.dumps(info.obj_to_primitive(
                         target_version='1.0')).encode()):
            read = wire.deserialize(text)
            self._check_ours(read)
            self.assertEqual(describe(info), describe(read))
        # Including os-vif's own filtering.
        filtered = os_vif.host_info(['VIFOpenVSwitch'])
        read = wire.deserialize(jsonutils.dumps(filtered.obj_to_primitive()))
        self.assertEqual(describe(filtered), describe(read))
        self.assertEqual(
            describe(read),
            describe(wire.deserialize(jsonutils.dumps(
                info.obj_to_primitive())).filter_vif_types(
                    ['VIFOpenVSwitch'])))

    def test_built_objects(self):
        info = theirs_sample()
        primitive = info.obj_to_primitive()
        # os-vif 5.3.0's HostInfo 1.0 carries HostVIFInfo 1.1 children,
        # port profiles and change lists: all read.
        vif_prim = primitive['versioned_object.data']['plugin_info'][1][
            'versioned_object.data']['vif_info'][1]
        self.assertEqual('1.1', vif_prim['versioned_object.version'])
        self.assertIn('versioned_object.changes', vif_prim)
        read = wire.deserialize(jsonutils.dumps(primitive))
        self._check_ours(read)
        self.assertEqual(describe(info), describe(read))
        self.assertEqual(2, len(read.get_plugin('ovs').get_vif(
            'VIFVHostUser').supported_port_profiles))

    def test_their_objects_read_back_by_them(self):
        # Reading and writing again keeps what os-vif understands.
        info = theirs_sample()
        ours = wire.deserialize(jsonutils.dumps(info.obj_to_primitive()))
        again = theirs.HostInfo.obj_from_primitive(
            jsonutils.loads(wire.serialize(ours, '1.0')))
        self.assertEqual(describe(samples.without_port_profiles(ours)),
                         describe(_with_profiles_unset(again)))


_COEXISTENCE_SCRIPT = textwrap.dedent('''
    import sys

    order = sys.argv[1]
    if order == 'os_vif_first':
        import os_vif
        import os_vif.objects
        os_vif.objects.register_all()
        import os_vif_hostinfo
    else:
        import os_vif_hostinfo
        import os_vif
        import os_vif.objects
        os_vif.objects.register_all()

    from os_vif.objects import host_info as theirs
    from oslo_serialization import jsonutils
    from oslo_versionedobjects import base as ovo_base

    from os_vif_hostinfo import objects as ours
    from os_vif_hostinfo import wire

    checks = 0


    def check(condition, what):
        global checks
        if not condition:
            print('FAILED: %s' % what)
            sys.exit(1)
        checks += 1


    def walk(obj):
        found = [obj]
        for name in obj.fields:
            if obj.obj_attr_is_set(name):
                value = getattr(obj, name)
                if isinstance(value, list):
                    for item in value:
                        found.extend(walk(item))
        return found


    NAMES = ('HostInfo', 'HostPluginInfo', 'HostVIFInfo',
             'HostPortProfileInfo')

    def check_registry():
        registry = ovo_base.VersionedObjectRegistry.obj_classes()
        for name in NAMES:
            check(registry[name] == [getattr(theirs, name)],
                  'OVO registry %s holds %r' % (name, registry[name]))


    check_registry()

    profile = ours.HostPortProfileInfo(
        profile_object_name='VIFPortProfileOpenVSwitch', min_version='1.0',
        max_version='1.4')
    info = ours.HostInfo(plugin_info=[ours.HostPluginInfo(
        plugin_name='ovs', vif_info=[ours.HostVIFInfo(
            vif_object_name='VIFOpenVSwitch', min_version='1.0',
            max_version='1.0', supported_port_profiles=[profile])])])

    their_info = theirs.HostInfo(plugin_info=[theirs.HostPluginInfo(
        plugin_name='ovs', vif_info=[theirs.HostVIFInfo(
            vif_object_name='VIFOpenVSwitch', min_version='1.0',
            max_version='1.0', supported_port_profiles=[
                theirs.HostPortProfileInfo(
                    profile_object_name='VIFPortProfileOpenVSwitch',
                    min_version='1.0', max_version='1.4')])])])
    their_text = jsonutils.dumps(their_info.obj_to_primitive())

    # Our deserialize gives our classes all the way down.
    for text in (wire.serialize(info, '1.0'), wire.serialize(info, '1.1'),
                 their_text):
        read = wire.deserialize(text)
        objs = walk(read)
        check(len(objs) >= 3, 'walked %d objects' % len(objs))
        for obj in objs:
            check(type(obj) is ours.CLASSES[obj.obj_name()][0],
                  'we read %s as %r' % (obj.obj_name(), type(obj)))
    check(len(walk(wire.deserialize(wire.serialize(info, '1.1')))) == 4,
          'port profile read at 1.1')

    # os-vif's obj_from_primitive gives os-vif's classes all the way down.
    for text in (wire.serialize(info, '1.0'), their_text):
        read = theirs.HostInfo.obj_from_primitive(jsonutils.loads(text))
        for obj in walk(read):
            check(type(obj) is getattr(theirs, obj.obj_name()),
                  'os-vif read %s as %r' % (obj.obj_name(), type(obj)))
    from os_vif.objects import base as osv_base
    read = osv_base.VersionedObject.obj_from_primitive(
        jsonutils.loads(wire.serialize(info, '1.0')))
    check(type(read) is theirs.HostInfo, 'os-vif base read %r' % type(read))

    # os-vif's get_common_version still works.
    vif = theirs.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                             min_version='1.0', max_version='1.0')
    check(vif.get_common_version() == '1.0', 'os-vif VIF common version')
    prof = theirs.HostPortProfileInfo(
        profile_object_name='VIFPortProfileOpenVSwitch', min_version='1.0',
        max_version='9.0')
    check(prof.get_common_version() ==
          ovo_base.VersionedObjectRegistry.obj_classes()[
              'VIFPortProfileOpenVSwitch'][0].VERSION,
          'os-vif port profile common version')
    # And ours, on the same registry.
    check(ours.HostVIFInfo(vif_object_name='VIFVHostUser', min_version='1.0',
                           max_version='1.0').get_common_version() == '1.0',
          'our common version')

    # os-vif's own host_info() is unaffected.
    os_vif.initialize()
    produced = os_vif.host_info()
    check(type(produced) is theirs.HostInfo, 'os_vif.host_info() type')
    for obj in walk(produced):
        check(type(obj) is getattr(theirs, obj.obj_name()),
              'os_vif.host_info() holds %r' % type(obj))
    read = wire.deserialize(jsonutils.dumps(produced.obj_to_primitive()))
    check(type(read) is ours.HostInfo, 'we read os_vif.host_info()')

    check_registry()
    print('OK %s %d' % (order, checks))
''')


class TestCoexistence(base.TestCase):
    """Both libraries in one process, in both import orders."""

    def _run(self, order):
        env = dict(os.environ, PYTHONWARNINGS='ignore')
        result = subprocess.run(
            [sys.executable, '-c', _COEXISTENCE_SCRIPT, order],
            capture_output=True, text=True, env=env, timeout=120)
        message = 'stdout:\n%s\nstderr:\n%s' % (
            result.stdout[-3000:], result.stderr[-3000:])
        self.assertEqual(0, result.returncode, message)
        last = result.stdout.strip().splitlines()[-1]
        words = last.split()
        self.assertEqual(['OK', order], words[:2], message)
        self.assertGreater(int(words[2]), 20, message)

    def test_os_vif_first(self):
        self._run('os_vif_first')

    def test_os_vif_hostinfo_first(self):
        self._run('os_vif_hostinfo_first')

    def test_in_this_process(self):
        # This process imported both too (os_vif above, after ours).
        from oslo_versionedobjects import base as ovo_base
        registry = ovo_base.VersionedObjectRegistry.obj_classes()
        for name in objects.CLASSES:
            self.assertEqual([getattr(theirs, name)], registry[name])
        read = wire.deserialize(jsonutils.dumps(
            theirs_sample().obj_to_primitive()))
        for obj in walk(read):
            self.assertIs(objects.CLASSES[obj.obj_name()][0], type(obj))
