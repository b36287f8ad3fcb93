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

"""Pin every object's fields and version history.

Changing a field, a field type or a parent/child version mapping without
bumping the object's VERSION (and updating the fingerprint here) fails
these tests. That is the oslo.versionedobjects way of keeping the wire
format stable across releases.
"""

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import exception as ovo_exception
from oslo_versionedobjects import fields
from oslo_versionedobjects import fixture

from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire
from tests import base

#: ObjectVersionChecker.test_hashes without extra data (fields, types and
#: remotable methods only).
EXPECTED_HASHES = {
    'HostInfo': '1.1-4dba5ce236ea2dc559de8764995dd247',
    'HostPluginInfo': '1.1-5204e579864981c9891ecb5d1c9329f2',
    'HostPortProfileInfo': '1.0-e0bc9228c1456b220830d67b05bc4bf2',
    'HostVIFInfo': '1.1-00fdbeba3f9bb3bd2a723c17023ba182',
}

#: The same with extra_data() added: the parent/child version mapping and
#: the object class each object-typed field holds (OVO's field repr does
#: not name it).
EXPECTED_HASHES_WITH_RELATIONSHIPS = {
    'HostInfo': '1.1-769c0b25e19defc10a9849092c72cdac',
    'HostPluginInfo': '1.1-cf112a7203918da4ca28b6fa9e24f195',
    'HostPortProfileInfo': '1.0-212a2bd06012c62e798d59a09517b50a',
    'HostVIFInfo': '1.1-b1c5b33d9a4d886b804ea34537596f3b',
}

#: The version in which each object-typed field first appeared.
INTRODUCED = {
    ('HostVIFInfo', 'supported_port_profiles'): '1.1',
}


def child_object_name(field):
    """The object class name a field holds, or None for a plain field."""
    field_type = field._type
    if isinstance(field_type, fields.List):
        field_type = field_type._element_type._type
    if isinstance(field_type, fields.Object):
        return field_type._obj_name
    return None


def extra_data(cls):
    children = sorted((name, child_object_name(field))
                      for name, field in cls.fields.items()
                      if child_object_name(field))
    return (sorted(cls.obj_relationships.items()), children)


def versions_up_to(current):
    """Every version from X.0 to ``current`` (X.Y), oldest first.

    All objects are at major version 1, so this is every version from 1.0.
    """
    return [versions.Version(current.major, minor)
            for minor in range(current.minor + 1)]


class TestFingerprints(base.TestCase):

    def setUp(self):
        super().setUp()
        self.checker = fixture.ObjectVersionChecker(objects.object_classes())

    def test_hashes(self):
        expected, actual = self.checker.test_hashes(EXPECTED_HASHES)
        self.assertEqual(expected, actual,
                         'Some objects changed; bump their VERSION and '
                         'update EXPECTED_HASHES')

    def test_hashes_with_relationships(self):
        expected, actual = self.checker.test_hashes(
            EXPECTED_HASHES_WITH_RELATIONSHIPS, extra_data_func=extra_data)
        self.assertEqual(expected, actual,
                         'Some objects changed their fields or version '
                         'mapping; bump their VERSION and update '
                         'EXPECTED_HASHES_WITH_RELATIONSHIPS')

    def test_every_object_is_pinned(self):
        self.assertEqual(set(objects.CLASSES), set(EXPECTED_HASHES))
        self.assertEqual(set(objects.CLASSES),
                         set(EXPECTED_HASHES_WITH_RELATIONSHIPS))
        for name, fingerprint in EXPECTED_HASHES.items():
            self.assertTrue(fingerprint.startswith(
                objects.CLASSES[name][0].VERSION + '-'), name)

    def _changed(self, name, **attrs):
        """A look-alike of an object class with some attributes replaced."""
        original = objects.CLASSES[name][0]
        fake = type(name, (original,), attrs)
        classes = objects.object_classes()
        classes[name] = [fake]
        return fixture.ObjectVersionChecker(classes)

    def test_a_field_change_is_caught(self):
        checker = self._changed('HostVIFInfo', fields=dict(
            objects.HostVIFInfo.fields, mtu=fields.IntegerField()))
        expected, actual = checker.test_hashes(EXPECTED_HASHES)
        self.assertEqual(['HostVIFInfo'], list(actual))

    def test_a_relationship_change_is_caught(self):
        checker = self._changed('HostInfo', obj_relationships={
            'plugin_info': [('1.0', '1.0'), ('1.1', '1.0')]})
        # Invisible without the extra data...
        self.assertEqual(({}, {}), checker.test_hashes(EXPECTED_HASHES))
        # ...caught with it.
        expected, actual = checker.test_hashes(
            EXPECTED_HASHES_WITH_RELATIONSHIPS, extra_data_func=extra_data)
        self.assertEqual(['HostInfo'], list(actual))

    def test_a_child_class_change_is_caught(self):
        checker = self._changed('HostInfo', fields={
            'plugin_info': fields.ListOfObjectsField('HostVIFInfo')})
        expected, actual = checker.test_hashes(
            EXPECTED_HASHES_WITH_RELATIONSHIPS, extra_data_func=extra_data)
        self.assertEqual(['HostInfo'], list(actual))


class TestRelationships(base.TestCase):
    """obj_relationships covers every version of every object field."""

    def _object_fields(self):
        for name, classes in sorted(objects.CLASSES.items()):
            cls = classes[0]
            for field_name, field in sorted(cls.fields.items()):
                child = child_object_name(field)
                if child is not None:
                    yield cls, field_name, child

    def test_there_are_object_fields(self):
        self.assertEqual(
            [('HostInfo', 'plugin_info', 'HostPluginInfo'),
             ('HostPluginInfo', 'vif_info', 'HostVIFInfo'),
             ('HostVIFInfo', 'supported_port_profiles',
              'HostPortProfileInfo')],
            [(cls.obj_name(), field, child)
             for cls, field, child in self._object_fields()])

    def test_every_object_field_has_a_mapping(self):
        for cls, field, child in self._object_fields():
            self.assertIn(field, cls.obj_relationships, cls.obj_name())
        for name, classes in objects.CLASSES.items():
            cls = classes[0]
            for field in cls.obj_relationships:
                self.assertIsNotNone(child_object_name(cls.fields[field]),
                                     '%s.%s' % (name, field))

    def test_mapping_is_well_formed(self):
        for cls, field, child in self._object_fields():
            where = '%s.%s' % (cls.obj_name(), field)
            current = objects.current_version(cls.obj_name())
            child_current = objects.current_version(child)
            entries = [(versions.parse(p), versions.parse(c))
                       for p, c in cls.obj_relationships[field]]
            self.assertTrue(entries, where)
            parents = [p for p, _c in entries]
            children = [c for _p, c in entries]
            self.assertEqual(sorted(set(parents)), parents, where)
            self.assertEqual(sorted(children), children, where)
            self.assertLessEqual(parents[-1], current, where)
            self.assertEqual(
                versions.parse(INTRODUCED.get((cls.obj_name(), field),
                                              '1.0')),
                parents[0], where)
            # The current parent carries the current child: a child bump
            # must come with a parent bump and a new entry.
            self.assertEqual(child_current, children[-1], where)
            # Every child version since the field appeared is reachable.
            self.assertEqual(
                [c for c in versions_up_to(child_current)
                 if c >= children[0]],
                sorted(set(children)), where)

    def test_every_version_is_covered(self):
        for cls, field, child in self._object_fields():
            name = cls.obj_name()
            introduced = versions.parse(INTRODUCED.get((name, field), '1.0'))
            for version in versions_up_to(objects.current_version(name)):
                where = '%s %s .%s' % (name, version, field)
                found = []
                try:
                    ovo_base._get_subobject_version(
                        str(version), cls.obj_relationships[field],
                        found.append)
                except ovo_exception.TargetBeforeSubobjectExistedException:
                    self.assertLess(version, introduced, where)
                    self.assertNotIn(field, dict(wire.layout(name, version)),
                                     where)
                    continue
                self.assertGreaterEqual(version, introduced, where)
                # Past the last entry OVO leaves the child as it is, that
                # is at its current version.
                child_version = (versions.parse(found[0]) if found
                                 else objects.current_version(child))
                self.assertLessEqual(child_version,
                                     objects.current_version(child), where)
                self.assertEqual(child_version,
                                 dict(wire.layout(name, version))[field],
                                 where)
