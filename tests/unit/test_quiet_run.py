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

"""A passing test run is quiet.

The tests below run, in a child process and with the environment tox.ini
gives every test env, test modules whose code under test logs warnings,
errors and tracebacks on purpose (broken plugins, a CLI refusing a file,
errors built with a keyword missing). They pass, so nothing of that may
reach the output: a newcomer reads a traceback or an ``ERROR`` line as a
failure. oslotest captures logging, stdout and stderr per test when
``OS_LOG_CAPTURE``, ``OS_STDOUT_CAPTURE`` and ``OS_STDERR_CAPTURE`` are
set, and shows them only for a test that fails.
"""

import configparser
import os
import pathlib
import re
import subprocess
import sys

from tests import base

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: Modules whose code under test logs at WARNING and above, or prints a
#: traceback, while every test passes.
NOISY = [
    'tests.unit.test_exception.TestMessages',
    'tests.unit.test_discovery',
    'tests.unit.test_fixture',
    'tests.unit.test_cli_explain',
]

#: What must not appear in the output of a passing run.
LOUD = re.compile(r'Traceback \(most recent call last\)|^\s*(ERROR|WARNING|'
                  r'CRITICAL) \[', re.MULTILINE)


def tox_setenv():
    """The ``setenv`` of tox.ini's ``[testenv]``, as a dict."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / 'tox.ini', encoding='utf-8')
    values = {}
    for line in parser['testenv'].get('setenv', '').splitlines():
        if '=' in line:
            key, value = line.split('=', 1)
            values[key.strip()] = value.strip()
    return values


class TestQuietRun(base.TestCase):

    def test_tox_captures_logs_and_output(self):
        setenv = tox_setenv()
        for key in ('OS_LOG_CAPTURE', 'OS_STDOUT_CAPTURE',
                    'OS_STDERR_CAPTURE'):
            self.assertIn(setenv.get(key, '').lower(), ('1', 'true'), key)

    def test_passing_noisy_tests_print_nothing_loud(self):
        env = dict(os.environ)
        for key in list(env):
            if key.startswith('OS_') and key.endswith('_CAPTURE'):
                del env[key]
        env.update(tox_setenv())
        env['HYPOTHESIS_PROFILE'] = 'dev'  # the output, not the examples
        done = subprocess.run(
            [sys.executable, '-m', 'testtools.run'] + NOISY,
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        output = done.stdout + done.stderr
        self.assertEqual(0, done.returncode, output[-3000:])
        self.assertIn('OK', output)
        loud = LOUD.search(output)
        self.assertIsNone(loud, output[max(0, loud.start() - 500):
                                       loud.start() + 1500]
                          if loud else '')
