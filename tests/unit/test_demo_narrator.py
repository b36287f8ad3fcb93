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

"""The demo's narration (os_vif_hostinfo.cli.demo.narrator)."""

import io

import fixtures

from os_vif_hostinfo.cli.demo import narrator as demo_narrator
from tests import base


class TestNarrator(base.TestCase):

    def test_plain(self):
        out = io.StringIO()
        demo_narrator.Narrator(out).say('hello', 'fatal', indent=2)
        self.assertEqual('  hello\n', out.getvalue())

    def test_color_on_a_terminal(self):
        out = io.StringIO()
        out.isatty = lambda: True
        self.useFixture(fixtures.EnvironmentVariable('NO_COLOR'))
        demo_narrator.Narrator(out).say('hello', 'fatal')
        self.assertEqual('\033[1;31mhello\033[0m\n', out.getvalue())

    def test_no_color_respected(self):
        out = io.StringIO()
        out.isatty = lambda: True
        self.useFixture(fixtures.EnvironmentVariable('NO_COLOR', '1'))
        demo_narrator.Narrator(out).say('hello', 'ok')
        self.assertEqual('hello\n', out.getvalue())

    def test_escapes_what_is_not_printable(self):
        out = io.StringIO()
        demo_narrator.Narrator(out, color=True).say('a\nb\x1b[2J', 'ok')
        self.assertEqual('\033[32ma\\nb\\x1b[2J\033[0m\n', out.getvalue())
