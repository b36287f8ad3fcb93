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

"""``os-vif-hostinfo preflight`` decides as the ML2 reference driver does."""

import hashlib
import importlib.metadata
import itertools
import os
import subprocess
import sys
from unittest import mock

from oslo_serialization import jsonutils

from os_vif_hostinfo.cli import explain
from os_vif_hostinfo.cli import preflight
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo import neutron
from os_vif_hostinfo.neutron import binding
from os_vif_hostinfo import objects
from os_vif_hostinfo import wire
from tests import base
from tests import cli_runner
from tests import samples

CURRENT = str(objects.current_version('HostInfo'))

OFFERS = [
    ['VIFOpenVSwitch'],
    ['VIFVHostUser:1.0'],
    ['VIFVHostUser'],
    ['VIFBridge', 'VIFOpenVSwitch'],
    ['VIFHostDevice', 'VIFVHostUser:1.0'],
    ['VIFDirect'],
]
PINS = [None, '1.0', CURRENT]


def many_plugins(count, unique=False):
    """A host of ``count`` plugins; ``unique`` names compress badly."""
    def name(i):
        suffix = hashlib.sha256(b'%d' % i).hexdigest() if unique else ''
        return 'p%03d%s' % (i, suffix)
    return objects.HostInfo(plugin_info=[samples.plugin(name(i), [
        samples.vif('VIFOpenVSwitch', profiles=[samples.profile()]),
        samples.vif('VIFVHostUser', '1.0', '1.1')]) for i in range(count)])


def hosts():
    return {
        'shipped': discovery.host_info(),
        'sample': samples.sample_host(),
        'vhostuser 1.1 only': objects.HostInfo(plugin_info=[
            samples.plugin('noop', [samples.vif('VIFVHostUser', '1.1',
                                                '1.1')])]),
        'ten plugins (compact)': many_plugins(10),
    }


def values(outcome):
    return {name: value.machine_readable() if hasattr(
        value, 'machine_readable') else value
        for name, value in outcome.rows}


class TestAgreesWithDecideBinding(base.TestCase):

    def expected(self, info, offer, pin):
        """What the network host decides for the version it reads."""
        version = pin or CURRENT
        profile = neutron.binding_profile(info, target_version=version)
        return profile, neutron.decide_binding(profile, offer, pin=pin)

    def test_table_of_hosts_offers_and_pins(self):
        for (label, info), offer, pin in itertools.product(
                hosts().items(), OFFERS, PINS):
            case = (label, offer, pin)
            outcome = preflight.preflight(info, offer, pin)
            rows = values(outcome)
            profile, want = self.expected(info, offer, pin)
            last = outcome.attempts[-1]
            self.assertEqual(pin or CURRENT, last.version, case)
            self.assertEqual(neutron.profile_length(profile),
                             last.profile_size, case)
            self.assertEqual((want.choice, want.vif_type, want.vif_details),
                             (last.decision.choice, last.decision.vif_type,
                              last.decision.vif_details), case)
            backlevel = pin not in (None, CURRENT)
            self.assertEqual(2 if backlevel else 1, len(outcome.attempts),
                             case)
            if backlevel:
                first = outcome.attempts[0]
                self.assertEqual(CURRENT, first.version)
                self.assertIsInstance(first.decision.error,
                                      exception.UnsupportedVersion)
                self.assertEqual(pin,
                                 first.decision.error.max_supported_version)
                self.assertEqual('yes: HostInfo %s -> %s' % (CURRENT, pin),
                                 rows['Backlevel'], case)
            else:
                self.assertEqual('no', rows['Backlevel'], case)
            if want.choice is None:
                self.assertEqual(explain.FAILED, outcome.status, case)
                self.assertEqual('failed', rows['Outcome'])
                self.assertEqual(str(want.error), rows['Reason'], case)
                continue
            self.assertEqual(explain.BOUND, outcome.status, case)
            self.assertEqual(
                (want.choice.plugin_name, want.choice.vif_object_name,
                 want.choice.version, want.vif_type),
                (rows['Plugin'], rows['VIF class'], rows['VIF version'],
                 rows['vif_type']), case)

    def test_uncapped_choices_are_choose_vifs(self):
        # An independent check of the table: for plain class names the
        # choice is choose_vif's on the HostInfo the network host read.
        for (label, info), pin in itertools.product(hosts().items(), PINS):
            received = wire.deserialize(wire.serialize(info, pin))
            for offer in OFFERS:
                if any(':' in item for item in offer):
                    continue
                outcome = preflight.preflight(info, offer, pin)
                try:
                    want = negotiation.choose_vif(received, offer)
                except exception.HostInfoError:
                    want = None
                self.assertEqual(want,
                                 outcome.attempts[-1].decision.choice,
                                 (label, offer, pin))

    def test_preflight_calls_the_drivers_decide_binding(self):
        info = discovery.host_info()
        offer = ['VIFOpenVSwitch', 'VIFVHostUser:1.0']
        real = binding.decide_binding
        with mock.patch.object(binding, 'decide_binding',
                               side_effect=real) as spy:
            outcome = preflight.preflight(info, offer, '1.0')
        self.assertEqual(len(outcome.attempts), spy.call_count)
        self.assertEqual(2, spy.call_count)
        for call, attempt in zip(spy.call_args_list, outcome.attempts):
            profile, candidates = call.args
            self.assertEqual(offer, candidates)
            self.assertEqual({'pin': '1.0'}, call.kwargs)
            self.assertEqual(attempt.profile_size,
                             len(jsonutils.dumps(profile)))
            self.assertIn(neutron.PROFILE_KEY, profile)
        # The package's name for it is the same function object.
        self.assertIs(neutron.decide_binding, real)

    def test_a_decision_seen_here_is_the_one_preflight_reports(self):
        info = discovery.host_info()
        verdict = binding.BindingDecision(
            None, negotiation.VIFChoice('ovs', 'VIFOpenVSwitch', '1.0'),
            'made-up', {neutron.VIF_DETAILS_PLUGIN: 'ovs',
                        neutron.VIF_DETAILS_OBJECT: 'VIFOpenVSwitch',
                        neutron.VIF_DETAILS_VERSION: '1.0'}, None)
        with mock.patch.object(binding, 'decide_binding',
                               return_value=verdict):
            rows = values(preflight.preflight(info, ['VIFBridge']))
        self.assertEqual('made-up', rows['vif_type'])


class TestProfileSize(base.TestCase):

    def test_compact_when_plain_does_not_fit(self):
        info = many_plugins(10)
        outcome = preflight.preflight(info, ['VIFOpenVSwitch'])
        size = outcome.attempts[-1].profile_size
        self.assertLess(size, len(wire.serialize(info)))
        self.assertEqual('yes: %d of 4095 characters' % size,
                         values(outcome)['Profile fits'])

    def test_too_large(self):
        info = many_plugins(100, unique=True)
        self.assertRaises(exception.ProfileTooLarge,
                          neutron.binding_profile, info)
        outcome = preflight.preflight(info, ['VIFOpenVSwitch'])
        rows = values(outcome)
        self.assertEqual(explain.FAILED, outcome.status)
        self.assertEqual([], outcome.attempts)
        self.assertTrue(rows['Profile fits'].startswith(
            'no: binding:profile would be '), rows)
        self.assertEqual('failed', rows['Outcome'])

    def test_novas_keys_count(self):
        info = discovery.host_info()
        alone = preflight.preflight(info, ['VIFOpenVSwitch'])
        nova = {'pci_slot': '0000:00:1f.0', 'physical_network': 'physnet1'}
        beside = preflight.preflight(info, ['VIFOpenVSwitch'], profile=nova)
        self.assertEqual(
            alone.attempts[-1].profile_size + len(jsonutils.dumps(nova)),
            beside.attempts[-1].profile_size)


class TestPreflightCommand(base.TestCase):

    def run_cli(self, *args, expect=0):
        result = cli_runner.run(['preflight'] + list(args))
        self.assertEqual(expect, result.status, result)
        self.assertNotIn('Traceback', result.stderr)
        return result

    def test_json_rows_are_preflights(self):
        result = self.run_cli('--offer', 'VIFOpenVSwitch,VIFVHostUser:1.0',
                              '--pin', '1.0', '-f', 'json')
        want = preflight.preflight(discovery.host_info(),
                                   ['VIFOpenVSwitch', 'VIFVHostUser:1.0'],
                                   '1.0')
        self.assertEqual(values(want), jsonutils.loads(result.stdout))
        self.assertEqual('', result.stderr)

    def test_repeated_offers_extend(self):
        result = self.run_cli('--offer', 'VIFDirect', '--offer',
                              'VIFOpenVSwitch', '-f', 'json')
        rows = jsonutils.loads(result.stdout)
        self.assertEqual(['VIFDirect 1.0', 'VIFOpenVSwitch 1.0'],
                         rows['Network host offers'])
        self.assertEqual('VIFOpenVSwitch', rows['VIF class'])

    def test_profile_keys_count(self):
        nova = '{"pci_slot": "0000:81:00.1"}'
        alone = jsonutils.loads(self.run_cli(
            '--offer', 'VIFBridge', '-f', 'json').stdout)
        beside = jsonutils.loads(self.run_cli(
            '--offer', 'VIFBridge', '--profile-keys', nova, '-f',
            'json').stdout)
        size = int(alone['Profile fits'].split()[1])
        self.assertEqual('yes: %d of 4095 characters' % (size + len(nova)),
                         beside['Profile fits'])

    def test_every_format(self):
        for fmt in ('table', 'json', 'yaml', 'value', 'shell'):
            result = self.run_cli('--offer', 'VIFDirect', '-f', fmt,
                                  expect=explain.FAILED)
            self.assertIn('VIFDirect', result.stdout, fmt)

    def test_bad_arguments(self):
        for args, why in (
                (['--offer', ','], 'expected VIF class names'),
                (['--offer', 'VIF Bridge'], "not a VIF class name: "
                                            "'VIF Bridge'"),
                (['--offer', 'VIFBridge:1'], 'Invalid version'),
                (['--offer', 'VIFBridge', '--pin', '2.0'],
                 'reads HostInfo 1.0 to %s, not 2.0' % CURRENT),
                (['--offer', 'VIFBridge', '--pin', 'x'], 'Invalid version'),
                (['--offer', 'VIFBridge', '--profile-keys', '[]'],
                 'expected a JSON object, got an array'),
                (['--offer', 'VIFBridge', '--profile-keys', '{'], 'not JSON'),
                (['--offer', 'VIFBridge', '--profile-keys',
                  '{"os_vif_hostinfo": 1}'], 'is the key HostInfo goes under'),
                ([], 'the following arguments are required: --offer')):
            result = self.run_cli(*args, expect=2)
            self.assertIn(why, result.stderr, args)
            self.assertEqual('', result.stdout)


class TestOfferMustBeProducible(base.TestCase):
    """A VIF class this side cannot produce is an error, never dropped."""

    HIDDEN = ('import sys; sys.modules["os_vif"] = None; '
              'from os_vif_hostinfo.cli import main; '
              'sys.exit(main(sys.argv[1:]))')

    def test_without_os_vif_it_names_the_fix(self):
        # The README's own preflight line, where os-vif is missing: it
        # used to drop VIFOpenVSwitch and predict noop/VIFVHostUser.
        proc = subprocess.run(
            [sys.executable, '-c', self.HIDDEN, 'preflight', '--offer',
             'VIFOpenVSwitch,VIFVHostUser:1.0', '--pin', '1.0'],
            capture_output=True, text=True, timeout=120,
            env=dict(os.environ, PYTHONWARNINGS='ignore'))
        self.assertEqual(status.USAGE, proc.returncode, proc.stderr)
        self.assertEqual('', proc.stdout)
        (line,) = [li for li in proc.stderr.splitlines()
                   if 'VIFOpenVSwitch' in li]
        self.assertIn('no VIF class VIFOpenVSwitch here', line)
        self.assertIn('os-vif', line)
        self.assertIn("pip install '.[cli]'", line)
        self.assertIn('--offer VIFOpenVSwitch:1.0', line)
        self.assertNotIn('Traceback', proc.stderr)

    def test_a_typo_is_a_usage_error(self):
        result = cli_runner.run(['preflight', '--offer',
                                 'VIFOpenVswitch,VIFBridge'])
        self.assertEqual(status.USAGE, result.status, result)
        self.assertEqual('', result.stdout)
        self.assertIn('no VIF class VIFOpenVswitch here: neither os-vif',
                      result.stderr)
        self.assertIn('check the name', result.stderr)

    def test_capped_classes_need_no_registered_class(self):
        self.assertEqual([], preflight.unknown_offers(
            ['VIFNotHere:1.0'], registry={}))
        self.assertEqual(['VIFNotHere'], preflight.unknown_offers(
            ['VIFNotHere', 'VIFNotHere', 'VIFBridge'],
            registry={'VIFBridge': ['1.0']}))

    def test_the_cli_extra_brings_os_vif(self):
        requires = importlib.metadata.requires('os-vif-hostinfo') or []
        cli_extra = [r for r in requires if 'extra == "cli"' in r]
        self.assertTrue(any(r.startswith('os-vif') for r in cli_extra),
                        cli_extra)
