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

"""Tests for os_vif_hostinfo.versions."""

from hypothesis import given
from hypothesis import strategies as st

from os_vif_hostinfo import exception
from os_vif_hostinfo import versions
from tests import base


class TestParse(base.TestCase):

    def test_accepts(self):
        for text, expected in [('1.0', (1, 0)), ('0.0', (0, 0)),
                               ('1.10', (1, 10)), ('12.345', (12, 345)),
                               ('999999999.0', (999999999, 0))]:
            parsed = versions.parse(text)
            self.assertIsInstance(parsed, versions.Version)
            self.assertEqual(expected, (parsed.major, parsed.minor), text)
            self.assertEqual(text, str(parsed))

    def test_method_and_function_agree(self):
        self.assertEqual(versions.Version.parse('2.3'),
                         versions.parse('2.3'))
        self.assertEqual(versions.Version(2, 3), versions.parse('2.3'))

    def test_refuses(self):
        bad = ['', ' ', '1', '1.', '.1', '1.2.3', '1.0\n', '\n1.0',
               ' 1.0', '1.0 ', '1 .0', '1. 0', '1,0', 'a.b', '1.a', 'v1.0',
               '-1.0', '1.-0', '+1.0', '1.0.', '01.0', '1.01', '1e1.0',
               '1_0.0', '\u0661.\u0660', '1.\u0660', '\uff11.0',
               '\u00b9.0', '1.0\x00', '1\t.0', '1234567890.0',
               '1.1234567890']
        for text in bad:
            exc = self.assertRaises(exception.InvalidVersion,
                                    versions.parse, text)
            self.assertIn(repr(text), str(exc))
            self.assertEqual(text, exc.value)

    def test_refuses_non_strings(self):
        for value in [None, 1, 1.0, 10, True, b'1.0', ['1', '0'], (1, 0),
                      {'major': 1}, versions.Version(1, 0)]:
            exc = self.assertRaises(exception.InvalidVersion,
                                    versions.parse, value)
            self.assertEqual(value, exc.value)
            self.assertIn(repr(value), str(exc))

    def test_error_names_field(self):
        exc = self.assertRaises(exception.InvalidVersion, versions.parse,
                                '1.x', field='HostVIFInfo.min_version')
        self.assertEqual('HostVIFInfo.min_version', exc.field)
        self.assertIn('HostVIFInfo.min_version', str(exc))
        self.assertIn("'1.x'", str(exc))

    def test_error_is_library_error(self):
        exc = self.assertRaises(exception.InvalidVersion, versions.parse,
                                'nope')
        self.assertIsInstance(exc, exception.HostInfoError)
        self.assertIsInstance(exc, exception.InvalidField)

    @given(st.integers(0, 999999999), st.integers(0, 999999999))
    def test_round_trip(self, major, minor):
        text = '%d.%d' % (major, minor)
        parsed = versions.parse(text)
        self.assertEqual((major, minor), tuple(parsed))
        self.assertEqual(text, str(parsed))

    @given(st.text(max_size=12))
    def test_any_text_parses_or_raises_invalid_version(self, text):
        try:
            parsed = versions.parse(text)
        except exception.InvalidVersion as exc:
            self.assertEqual(text, exc.value)
        else:
            self.assertEqual(text, str(parsed))

    def test_pattern_is_anchored_ascii(self):
        self.assertTrue(versions.VERSION_PATTERN.startswith('^'))
        self.assertTrue(versions.VERSION_PATTERN.endswith('$'))


class TestProblem(base.TestCase):
    """The reason every refusal of a version gives."""

    def test_names_what_is_wrong(self):
        for text, reason in (
                ('1.01', "the minor number '01' has a leading zero"),
                ('01.0', "the major number '01' has a leading zero"),
                ('1.a', "the minor number 'a' holds 'a', which is not an "
                        "ASCII digit"),
                ('1.0\n', "the minor number '0\\n' holds '\\n', which "
                          "is not an ASCII digit"),
                ('\u0661.0', "the major number '\u0661' holds '\u0661', "
                             "which is not an ASCII digit"),
                ('1', 'expected "MAJOR.MINOR": two numbers and one dot, '
                      'found no dot'),
                ('1.2.3', 'expected "MAJOR.MINOR": two numbers and one '
                          'dot, found 2 dots'),
                ('1.', 'the minor number is missing'),
                ('.1', 'the major number is missing'),
                ('1.1234567890', "the minor number '1234567890' has more "
                                 "than 9 digits"),
                (None, 'expected a string "MAJOR.MINOR", got null'),
                (10, 'expected a string "MAJOR.MINOR", got a number')):
            self.assertEqual(reason, versions.problem(text), repr(text))
            exc = self.assertRaises(exception.InvalidVersion,
                                    versions.parse, text, field='f')
            self.assertEqual(reason, exc.reason)
            self.assertEqual('Invalid version %r for f: %s' % (text, reason),
                             str(exc))

    def test_leading_zero_is_not_blamed_on_digits(self):
        exc = self.assertRaises(exception.InvalidVersion, versions.parse,
                                '1.01')
        self.assertIn('leading zero', str(exc))
        self.assertNotIn('digit', str(exc))

    @given(st.text(max_size=12))
    def test_every_refusal_has_a_specific_reason(self, text):
        try:
            versions.parse(text)
        except exception.InvalidVersion as exc:
            self.assertNotEqual('valid', exc.reason)
        else:
            self.assertEqual('valid', versions.problem(text))


class TestOrdering(base.TestCase):

    def test_numeric_not_lexical(self):
        self.assertGreater(versions.parse('1.10'), versions.parse('1.9'))
        self.assertGreater(versions.parse('10.0'), versions.parse('9.99'))
        self.assertLess(versions.parse('1.2'), versions.parse('1.11'))
        self.assertEqual(versions.parse('1.0'), versions.parse('1.0'))
        self.assertLess(versions.parse('1.99'), versions.parse('2.0'))

    def test_sorting(self):
        texts = ['1.10', '1.9', '2.0', '1.0', '0.5', '1.11']
        self.assertEqual(
            ['0.5', '1.0', '1.9', '1.10', '1.11', '2.0'],
            [str(v) for v in sorted(versions.parse(t) for t in texts)])

    @given(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)),
           st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)))
    def test_order_matches_tuples(self, a, b):
        va = versions.parse('%d.%d' % a)
        vb = versions.parse('%d.%d' % b)
        self.assertEqual(a < b, va < vb)
        self.assertEqual(a == b, va == vb)


class TestIsCompatibleWith(base.TestCase):

    def test_cases(self):
        cases = [
            ('1.1', '1.0', True),    # older minor: readable
            ('1.1', '1.1', True),    # same
            ('1.1', '1.2', False),   # newer minor
            ('1.10', '1.9', True),   # numeric
            ('1.9', '1.10', False),  # numeric
            ('1.1', '2.0', False),   # newer major
            ('2.0', '1.0', False),   # older major
            ('2.3', '2.0', True),
        ]
        for mine, other, expected in cases:
            self.assertEqual(
                expected,
                versions.parse(mine).is_compatible_with(
                    versions.parse(other)),
                '%s compatible with %s' % (mine, other))

    @given(st.tuples(st.integers(0, 50), st.integers(0, 50)),
           st.tuples(st.integers(0, 50), st.integers(0, 50)))
    def test_property(self, a, b):
        va, vb = versions.Version(*a), versions.Version(*b)
        self.assertEqual(va.major == vb.major and vb <= va,
                         va.is_compatible_with(vb))
