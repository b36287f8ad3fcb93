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

"""How the demo tells its story: short lines, colored on a terminal.

Besides its own lines, the demo shows the network hosts' side of the
story from the RPC endpoint's log records (:func:`narrating_logs`).
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import logging
import os
from typing import TextIO

from os_vif_hostinfo.cli import output


class Narrator:
    """Short, readable lines; colored only on a terminal.

    The text is made printable first (plugin names and messages come
    from plugins and peers), then painted.
    """

    COLORS = {'ok': '32', 'refused': '33', 'fatal': '1;31', 'step': '1',
              'dim': '2'}

    def __init__(self, out: TextIO, color: bool | None = None) -> None:
        self.out = out
        if color is None:
            color = (hasattr(out, 'isatty') and out.isatty()
                     and 'NO_COLOR' not in os.environ)
        self.color = color

    def paint(self, text: str, kind: str) -> str:
        """``text`` in the color of ``kind`` when coloring."""
        if not self.color:
            return text
        return '\033[%sm%s\033[0m' % (self.COLORS[kind], text)

    def say(self, text: str = '', kind: str | None = None,
            indent: int = 0) -> None:
        """Write one line, indented, in the color of ``kind``."""
        text = output.printable(text)
        line = ' ' * indent + (self.paint(text, kind) if kind else text)
        self.out.write(line + '\n')
        self.out.flush()


@contextlib.contextmanager
def narrating_logs(narrator: Narrator, indent: int) -> Iterator[None]:
    """Tell the network host's side of the story from the adapter's logs.

    The service host's own narration already says what negotiate logs,
    so that logger is kept quiet meanwhile.
    """
    handler = _NarratingHandler(narrator, indent)
    server_log = logging.getLogger('os_vif_hostinfo.rpc.server')
    quiet_log = logging.getLogger('os_vif_hostinfo.negotiation')
    saved = (server_log.level, server_log.propagate, quiet_log.propagate)
    server_log.addHandler(handler)
    server_log.setLevel(logging.INFO)
    server_log.propagate = False
    quiet_log.propagate = False
    try:
        yield
    finally:
        server_log.removeHandler(handler)
        server_log.setLevel(saved[0])
        server_log.propagate = saved[1]
        quiet_log.propagate = saved[2]


class _NarratingHandler(logging.Handler):
    """Shows the endpoint's log lines as narration."""

    def __init__(self, narrator: Narrator, indent: int) -> None:
        super().__init__(logging.INFO)
        self.narrator = narrator
        self.indent = indent

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        kind = 'refused' if record.levelno >= logging.WARNING or (
            ': refused ' in text) else 'dim'
        self.narrator.say(text, kind, indent=self.indent)
