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

"""What the commands print for people, made safe to print.

Plugin names, VIF class names and error messages come from plugins and
payloads, that is from anyone. Printed raw, a name holding a newline forges
an output line, an ANSI escape repaints the terminal, and a lone surrogate
(valid in JSON) cannot even be encoded. :func:`printable` writes every
character that is not printable as a Python-style escape (``\\n``,
``\\x1b``, ``\\ud800``).

:func:`cells_for` is the one place where a lister's rows meet cliff's
formatters: every cell goes through it, for every formatter. JSON output
is left as it is, since ``json.dump`` escapes what it must and the result
stays valid JSON that a script reads back exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
import logging
from typing import Any

from cliff import columns

from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception

_NAMED = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

#: Formatters that lay a row out on one line: a list cell is joined.
FLAT_FORMATTERS = frozenset(('csv', 'value', 'shell'))
#: The formatter that writes machine-readable data and escapes it itself.
RAW_FORMATTERS = frozenset(('json',))


def printable(text: str) -> str:
    """``text`` with every non-printable character escaped.

    Printable is Python's :meth:`str.isprintable`: control characters,
    line and paragraph separators, format characters (such as the bidi
    overrides), surrogates and unassigned code points are escaped; letters
    of any script are kept.
    """
    if text.isprintable():
        return text
    return ''.join(ch if ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code < 0x100:
        return '\\x%02x' % code
    if code < 0x10000:
        return '\\u%04x' % code
    return '\\U%08x' % code


def printable_value(value: Any) -> Any:
    """``value`` with :func:`printable` applied to every string inside."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable_value(k): printable_value(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(printable_value(v) for v in value)
    return value


class ListColumn(columns.FormattableColumn[list[Any]]):
    """A cell holding a list: a line per item in a table, a list in data.

    Subclasses say how one item reads with :meth:`item_text`.
    """

    def item_text(self, item: Any) -> str:
        """One item as text."""
        return str(item)

    def human_readable(self) -> str:
        return '\n'.join(self.item_text(item) for item in self._value)

    def flat(self) -> str:
        """The whole list on one line, for the one-line formatters."""
        return ', '.join(self.item_text(item) for item in self._value)


class UnknownColumn(exception.HostInfoError):
    """``-c`` names a column the command does not have."""

    msg_fmt = ('argument -c/--column: no column %(names)s; the columns '
               'are %(columns)s')
    exit_status = status.USAGE


def _column_key(name: str) -> str:
    # cliff's own matching: "-c vif_type" selects "VIF type".
    return name.lower().strip().replace(' ', '_')


def check_columns(requested: Sequence[str] | None,
                  column_names: Sequence[str]) -> None:
    """Refuse a ``-c`` that matches no column, as a usage error.

    cliff ignores an unknown column when another one matches and fails
    with a ValueError (status 1) when none does; either way it is a
    mistake in the arguments.

    :raises UnknownColumn: naming the unknown columns and the real ones.
    """
    known = {_column_key(name) for name in column_names}
    unknown = [name for name in requested or ()
               if _column_key(name) not in known]
    if unknown:
        raise UnknownColumn(
            names=', '.join(repr(printable(name)) for name in unknown),
            columns=', '.join(repr(name) for name in column_names))


def value_tokens(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows for ``-f value`` that a shell's ``read`` splits right.

    cliff writes the cells of a row separated by one space. So each cell
    but free text becomes one word: an empty cell is ``-``, a list cell
    is its items joined by commas, with ``:`` for the spaces inside an
    item (``VIFPortProfileOpenVSwitch:1.0-1.0,...``), and a space in
    any other cell is written ``\\x20``, except in the last cell: there
    free text keeps its spaces, since ``read`` gives the rest of the line
    to the last name.
    """
    out = []
    for row in rows:
        cells: list[Any] = []
        last = len(row) - 1
        for index, value in enumerate(row):
            if isinstance(value, ListColumn):
                safe = type(value)(printable_value(value._value))
                value = ','.join(safe.item_text(item).replace(' ', ':')
                                 for item in safe._value)
            elif isinstance(value, str):
                value = printable(value)
                if index != last:
                    value = value.replace(' ', '\\x20')
            cells.append('-' if value is None or value == '' else value)
        out.append(tuple(cells))
    return out


def cells_for(formatter: str,
              rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """The rows as the formatter ``formatter`` should receive them.

    Every string is made printable, except for JSON. A list cell is one
    line for csv, value and shell, and structured for table and YAML; an
    empty cell (None) is empty text except where data can say null.
    """
    if formatter in RAW_FORMATTERS:
        return [tuple(row) for row in rows]
    return [tuple(_cell(value, formatter) for value in row) for row in rows]


def _cell(value: Any, formatter: str) -> Any:
    if value is None:
        return None if formatter == 'yaml' else ''
    if isinstance(value, columns.FormattableColumn):
        # cliff's columns keep their value in _value.
        safe = type(value)(printable_value(value._value))
        if formatter in FLAT_FORMATTERS:
            flat = getattr(safe, 'flat', None)
            return flat() if flat else printable(str(safe.machine_readable()))
        return safe
    return printable_value(value)


class PrintableFormatter(logging.Formatter):
    """A log formatter printing each message through :func:`printable`.

    The console's error lines (cliff writes a command's error there) carry
    names from plugins and payloads too. A traceback, added after the
    message, keeps its own line breaks.
    """

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(record.__dict__)
        safe.msg = printable(record.getMessage())
        safe.args = None
        return self.inner.format(safe)
