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

"""Tests for os_vif_hostinfo.cli._argtypes."""

import argparse

from os_vif_hostinfo.cli import _argtypes
from os_vif_hostinfo import objects
from tests import base

CURRENT = str(objects.current_version('HostInfo'))


class TestHostInfoPin(base.TestCase):

    def test_versions_this_release_reads(self):
        self.assertEqual('1.0', _argtypes.hostinfo_pin('1.0'))
        self.assertEqual(CURRENT, _argtypes.hostinfo_pin(CURRENT))

    def test_newer_major_is_refused_with_the_range(self):
        err = self.assertRaises(argparse.ArgumentTypeError,
                                _argtypes.hostinfo_pin, '2.0')
        self.assertEqual('a network host of this release reads HostInfo '
                         '1.0 to %s, not 2.0' % CURRENT, str(err))

    def test_malformed_names_the_option(self):
        err = self.assertRaises(argparse.ArgumentTypeError,
                                _argtypes.hostinfo_pin, '1.01')
        self.assertIn('--pin', str(err))
        self.assertIn('leading zero', str(err))


class TestTargetVersion(base.TestCase):

    def test_versions_this_release_writes(self):
        self.assertEqual('1.0', _argtypes.target_version('1.0'))
        self.assertEqual(CURRENT, _argtypes.target_version(CURRENT))

    def test_newer_major_is_refused_with_the_range(self):
        err = self.assertRaises(argparse.ArgumentTypeError,
                                _argtypes.target_version, '2.0')
        self.assertEqual('HostInfo 2.0 cannot be written; this library '
                         'writes versions 1.0 to %s' % CURRENT, str(err))

    def test_malformed_names_the_option(self):
        err = self.assertRaises(argparse.ArgumentTypeError,
                                _argtypes.target_version, 'abc')
        self.assertIn('--target-version', str(err))
