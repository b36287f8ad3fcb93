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

"""Bad arguments get library errors; receive() takes the limits; and
choose_vif() finds os-vif's classes in a process that never imported it."""

import collections.abc
import json
import subprocess
import sys
import textwrap

from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import wire
from tests import base
from tests import samples
from tests.unit import test_negotiation


class _BrokenMapping(collections.abc.Mapping):
    """A caller's Mapping whose every lookup fails."""

    def __getitem__(self, key):
        raise RuntimeError('backend gone')

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


class TestArguments(base.TestCase):

    def test_check_vif_needs_a_host_info(self):
        vif = {wire.KEY_NAME: 'VIFBridge', wire.KEY_VERSION: '1.0'}
        for bad in (None, {}, [], samples.plugin()):
            self.assertRaises(exception.InvalidObject, negotiation.check_vif,
                              vif, bad)

    def test_check_vif_with_a_mapping_that_fails(self):
        exc = self.assertRaises(exception.MalformedPayload,
                                negotiation.check_vif, _BrokenMapping(),
                                samples.sample_host())
        self.assertIn('backend gone', str(exc))
        self.assertIn('_BrokenMapping', str(exc))

    def test_choose_vif_needs_candidates(self):
        info = samples.sample_host()
        for bad in (None, 3, object()):
            exc = self.assertRaises(exception.InvalidArgument,
                                    negotiation.choose_vif, info, bad)
            self.assertEqual('candidates', exc.name)
        self.assertRaises(exception.InvalidObject, negotiation.choose_vif,
                          None, ['VIFBridge'])

    def test_choose_vif_takes_one_name_as_one_candidate(self):
        info = samples.sample_host()
        registry = {'VIFOpenVSwitch': ['1.0']}
        self.assertEqual(
            negotiation.VIFChoice('ovs', 'VIFOpenVSwitch', '1.0'),
            negotiation.choose_vif(info, 'VIFOpenVSwitch', registry))
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                negotiation.choose_vif, info, 'VIFNothing',
                                registry)
        self.assertEqual('VIFNothing', exc.vif_name)
        self.assertNotIn(' or ', str(exc))

    def test_choose_vif_takes_one_class_as_one_candidate(self):
        info = samples.sample_host()
        choice = negotiation.choose_vif(
            info, test_negotiation.FakeVIFOpenVSwitch, {})
        self.assertEqual(('ovs', 'VIFOpenVSwitch', '1.0'), choice)

    def test_missing_local_class_is_named_as_such(self):
        info = samples.sample_host()
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                negotiation.choose_vif, info,
                                ['VIFOpenVSwitch'], {})
        self.assertIn("This side has no VIF class 'VIFOpenVSwitch'", str(exc))
        self.assertIn('plugins ovs on the host consume it', str(exc))
        self.assertNotIn('No plugin supports', str(exc))
        # When no plugin consumes it either, that is what is said.
        exc = self.assertRaises(exception.NoMatchingVIFClass,
                                negotiation.choose_vif, info, ['VIFOther'],
                                {})
        self.assertIn('No plugin supports', str(exc))


class TestReceiveLimits(base.TestCase):

    def _big_payload(self):
        info = samples.large_host()
        return info, wire.serialize(info)

    def test_large_host_with_a_raised_limit(self):
        info, text = self._big_payload()
        self.assertGreater(len(text), wire.DEFAULT_MAX_SIZE)
        exc = self.assertRaises(exception.MalformedPayload,
                                negotiation.receive, text)
        self.assertIn('over the limit', str(exc))
        limit = 2 * wire.DEFAULT_MAX_SIZE
        self.assertEqual(info, negotiation.receive(text, max_size=limit))
        self.assertEqual(info, negotiation.receive(
            text.encode(), pin='1.1', decoder=wire.Decoder(),
            max_size=limit))

    def test_depth_and_bad_limits(self):
        text = wire.serialize(samples.sample_host())
        depth = samples.json_depth(json.loads(text))
        for decoder in (None, wire.Decoder()):
            self.assertRaises(exception.MalformedPayload, negotiation.receive,
                              text, decoder=decoder, max_depth=depth - 1)
            self.assertEqual(samples.sample_host(), negotiation.receive(
                text, decoder=decoder, max_depth=depth))
            for bad in (None, 'x', 0, True):
                self.assertRaises(exception.InvalidArgument,
                                  negotiation.receive, text,
                                  decoder=decoder, max_size=bad)


class TestWithoutOsVifImported(base.TestCase):
    """The README's network-host snippet, in a fresh process."""

    def _run(self, code):
        result = subprocess.run(
            [sys.executable, '-W', 'ignore', '-c', textwrap.dedent(code)],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        return result.stdout.strip()

    def test_registers_os_vif_objects_when_needed(self):
        out = self._run('''
            import sys
            import os_vif_hostinfo as hi
            assert 'os_vif' not in sys.modules
            info = hi.HostInfo(plugin_info=[
                hi.HostPluginInfo(plugin_name='ovs', vif_info=[
                    hi.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                                   min_version='1.0', max_version='1.0')])])
            print(tuple(hi.choose_vif(info, ['VIFOpenVSwitch'])))
            ''')
        self.assertEqual("('ovs', 'VIFOpenVSwitch', '1.0')", out)

    def test_says_what_is_missing_without_os_vif(self):
        out = self._run('''
            import sys
            sys.modules['os_vif'] = None  # as if it were not installed
            import os_vif_hostinfo as hi
            info = hi.HostInfo(plugin_info=[
                hi.HostPluginInfo(plugin_name='ovs', vif_info=[
                    hi.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                                   min_version='1.0', max_version='1.0')])])
            try:
                hi.choose_vif(info, ['VIFOpenVSwitch'])
            except hi.exception.NoMatchingVIFClass as exc:
                print(exc)
            ''')
        self.assertIn("This side has no VIF class 'VIFOpenVSwitch'", out)
        self.assertIn('install os-vif', out)
