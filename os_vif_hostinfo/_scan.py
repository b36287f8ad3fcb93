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

"""Private: how deeply a JSON text nests, measured before parsing it.

The payload limits are checked on the text, before the (recursive) JSON
parser runs, so the measure must cost little on any text, hostile or not:
every step here is a C-speed call (``str.replace``, ``bytes.translate``,
``bytes.count``, one regular expression without backtracking, itertools)
and each is linear in the length of the text. Nothing loops in Python per
character, and nothing can be made to rescan what it has already read.
"""

from __future__ import annotations

import itertools
import operator

#: Every byte but quotes and brackets, for ``bytes.translate(None, ...)``.
#: Bytes of multi-byte UTF-8 sequences are all >= 0x80, so no character
#: outside ASCII can leave a quote or a bracket behind.
_NOT_QUOTE_OR_BRACKET = bytes(sorted(set(range(256)) - set(b'"[]{}')))
#: Braces nest like square brackets.
_BRACES_AS_BRACKETS = bytes.maketrans(b'{}', b'[]')
#: Strip innermost pairs while a pass removes at least one byte in this
#: many of what is left: then a pass (a C-speed scan) removes more than it
#: costs; below, measuring peak by peak is cheaper.
_PASS_RATIO = 6


def nesting(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text``.

    Brackets inside strings do not count. Exact for any JSON text; for
    other text an upper bound of the depth a JSON parser reaches before it
    fails (never below 0), so it is safe to refuse on.
    """
    if '\\' in text:
        # Drop the escapes, so that each string runs from a quote to the
        # next one. str.replace pairs backslashes from the left, as a JSON
        # string does: what is left of a run is at most one backslash,
        # which escapes the character after it; only a quote matters.
        # A backslash outside a string is not JSON: a parser stops there,
        # so what this does to the text after it cannot go unnoticed.
        text = text.replace('\\\\', '').replace('\\"', '')
    kept = text.encode('utf-8', 'surrogatepass').translate(
        None, _NOT_QUOTE_OR_BRACKET)
    # Two adjacent quotes hold nothing between them, whether they close
    # one string and open the next or make an empty one: dropping them
    # keeps what is outside the strings as it was.
    kept = kept.replace(b'""', b'')
    if b'"' in kept:
        # Outside the strings is what comes before the first quote,
        # between the second and the third, and so on. After an unpaired
        # last quote is an unterminated string, which a parser never
        # reads as brackets: the slice leaves it out.
        kept = b''.join(kept.split(b'"')[0::2])
    return _height(kept.translate(_BRACES_AS_BRACKETS))


def _height(brackets: bytes) -> int:
    """The highest running count of open brackets in ``b'[]...'``.

    That is the count after some bracket, or 0 before the first one.

    Think of the text as padded to balance: enough opening brackets before
    it, closing ones after it. In balanced text, stripping every innermost
    ``[]`` pair lowers the highest count by exactly one, and a few passes
    empty typical JSON, whose brackets are mostly shallow pairs. On the
    padded text a pass also strips a closing bracket that starts the text
    (it pairs with the padding before it) and an opening one that ends it;
    the padding need not be written out. Passes go on while each removes
    a good share of what is left. The rest is cut into peaks (a run of
    opening brackets, then one of closing ones) and measured peak by peak
    at C speed, so the cost is linear in the length, whatever the shape.
    """
    rest = brackets
    passes = 0
    # Closing brackets paired with the padding before the text: each
    # lowers by one what the padding adds to the counts that follow.
    unmatched = 0
    while rest:
        head = rest.startswith(b']')
        tail = rest.endswith(b'[')
        stripped = rest.replace(b'[]', b'')
        if head or tail:
            stripped = stripped[head:len(stripped) - tail]
        removed = len(rest) - len(stripped)
        passes += 1
        unmatched += head
        rest = stripped
        if removed * _PASS_RATIO < len(rest):
            break
    top = 0
    if rest:
        # Cut at each valley: every piece holds one peak, less the bracket
        # before the cut and the one after it, which cancel out in the
        # sums.
        peaks = rest.split(b'][')
        ups = list(map(bytes.count, peaks, itertools.repeat(b'[')))
        # The count before a piece goes up by 2 * ups - length per piece
        # before it; the top of its peak is that plus its ups.
        changes = map(operator.sub,
                      map(operator.mul, ups, itertools.repeat(2)),
                      map(len, peaks))
        before = itertools.accumulate(changes, initial=0)
        top = max(max(map(operator.add, before, ups)), 0)
    return top + passes - unmatched
