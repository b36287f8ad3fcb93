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

"""The nesting measure: exact, and linear in time on any text."""

import itertools
import json

import hypothesis
from hypothesis import strategies as st

from os_vif_hostinfo import _scan
from os_vif_hostinfo import exception
from os_vif_hostinfo import wire
from tests import base
from tests import samples
from tests import strategies


def _model(text):
    """The measure, character by character.

    A backslash takes the backslash or quote after it along (as in a JSON
    string; outside one, a parser stops at the backslash anyway); a string
    runs from a quote to the next one, or to the end; brackets outside
    strings count; the answer is the highest count, or 0.
    """
    depth = deepest = 0
    inside = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == '\\':
            index += 2 if text[index + 1:index + 2] in ('\\', '"') else 1
            continue
        if char == '"':
            inside = not inside
        elif not inside and char in '[{':
            depth += 1
            deepest = max(deepest, depth)
        elif not inside and char in ']}':
            depth -= 1
        index += 1
    return deepest


def _heights(brackets):
    depth = deepest = 0
    for char in brackets:
        depth += 1 if char == ord('[') else -1
        deepest = max(deepest, depth)
    return deepest


class TestNesting(base.TestCase):

    @hypothesis.given(st.text(alphabet='[]{}"\\ab,:\u00e9\n\ud800',
                              max_size=80))
    def test_same_as_the_model(self, text):
        self.assertEqual(_model(text), _scan.nesting(text))

    @hypothesis.given(st.lists(st.sampled_from(
        ['[', ']', '{', '}', '""', '"[', 'a', '\\', '\\"', '\\\\', '[]',
         '[' * 10, ']' * 10]), max_size=300))
    def test_same_as_the_model_on_bracket_runs(self, pieces):
        text = ''.join(pieces)
        self.assertEqual(_model(text), _scan.nesting(text))

    def test_every_short_bracket_text(self):
        # Every way the passes and the padding can meet, exhaustively.
        for size in range(11):
            for chars in itertools.product(b'[]', repeat=size):
                brackets = bytes(chars)
                self.assertEqual(_heights(brackets), _scan._height(brackets),
                                 brackets)

    def test_deep_and_shallow_groups(self):
        for depth in (1, 2, 5, 6, 7, 63, 64, 65, 200):
            text = ('[' * depth + ']' * depth) * 50
            self.assertEqual(depth, _scan.nesting(text))
            self.assertEqual(depth + 1, _scan.nesting('[' + text + ']'))
            self.assertEqual(depth + 1, _scan.nesting(text + '[' + text))

    @hypothesis.given(strategies.host_infos(max_plugins=3))
    def test_payloads(self, info):
        for text in (wire.serialize(info), wire.serialize(info, '1.0'),
                     json.dumps(wire.to_primitive(info), ensure_ascii=False,
                                indent=1)):
            self.assertEqual(samples.json_depth(json.loads(text)),
                             _scan.nesting(text))

    def test_edge_cases(self):
        for text, depth in (('', 0), ('"[[["', 0), ('"[[', 0), ('[', 1),
                            ('"a"[{"}"}]', 2), ('"\\"["', 0),
                            ('"\\"" [', 1), ('\u00e9[[]', 2), (']]]', 0),
                            ('[]' * 5, 1), ('[[]][', 2), (']][[[]', 1),
                            ('"\\\\"[', 1), ('"\\\\\\"[', 0),
                            ('\ud800[', 1)):
            self.assertEqual(depth, _scan.nesting(text), text)
            self.assertEqual(depth, _model(text), text)


_MIB = 1024 * 1024


def _fill(unit, prefix='', suffix='', size=_MIB - 1):
    """``unit`` repeated to ``size`` characters, with prefix and suffix."""
    return prefix + unit * ((size - len(prefix) - len(suffix))
                            // len(unit)) + suffix


class TestHostileText(base.TestCase):
    """Texts that cost quadratic time or more before; each is 1 MiB.

    Their cost is measured by the hostile cases of ``tox -e bench``; here
    it is what they are read as. Before, the first one took a minute and
    more, the others a few hundred milliseconds.
    """

    def _refused(self, text, reason):
        exc = self.assertRaises(exception.MalformedPayload,
                                wire.deserialize, text)
        self.assertIn(reason, str(exc))

    def test_unterminated_string_of_escaped_quotes(self):
        text = _fill('\\"', '"')
        self.assertEqual(0, _scan.nesting(text))
        self._refused(text, 'Unterminated string')
        self._refused(text.encode(), 'Unterminated string')
        self._refused('[' * 200 + text[200:], 'nested 200 deep')

    def test_runs_of_brackets(self):
        self._refused(_fill('[' * 64 + ']' * 64), 'nested 64 deep')
        self._refused('[' * (_MIB - 1), 'nested 1048575 deep')
        self._refused(_fill('[[]]'), 'Extra data')

    def test_escapes_and_backslashes(self):
        self._refused(_fill('\\n', '"', '"'), 'got a string')
        self._refused(_fill('\u00e9\\"', '"'), 'Unterminated string')
        self._refused(_fill('\\'), 'Expecting value')
        self.assertEqual(0, _scan.nesting(_fill('\\')))

    def test_quotes_and_strings(self):
        self._refused(_fill('"'), 'Extra data')
        self._refused(_fill('"["'), 'Extra data')
        self._refused(_fill('["[",'), 'nested 209715 deep')
        self._refused(_fill('{"a":'), 'nested 209715 deep')
