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

"""``os-vif-hostinfo explain`` on saved Neutron ports."""

import copy
import os
import subprocess

import fixtures
import hypothesis
from hypothesis import strategies as st
from oslo_serialization import jsonutils

from os_vif_hostinfo.cli import _portfile
from os_vif_hostinfo.cli import _thishost
from os_vif_hostinfo.cli import explain
from os_vif_hostinfo.cli import status
from os_vif_hostinfo import discovery
from os_vif_hostinfo import neutron
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire
from tests import base
from tests import cli_runner
from tests import ports
from tests import samples
from tests.unit import test_cli

#: Exit status of each saved port, when this host has the shipped plugins.
EXPECTED_STATUS = {
    'bound': explain.BOUND,
    'refused': explain.REFUSED,
    'no_common_vif': explain.FAILED,
    'legacy': explain.BOUND,
    'hostile': explain.FAILED,
}


def values(result):
    """The rows of an Explanation as -f json would print them."""
    return {name: value.machine_readable() if hasattr(
        value, 'machine_readable') else value for name, value in result.rows}


class ExplainTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.ports = ports.ports()
        self.local = discovery.host_info()

    def explain(self, port, local=None):
        parsed = _portfile.parse(jsonutils.dumps(port), 'port.json')
        return explain.explain(parsed, local or self.local)

    def api(self, name):
        return self.ports[name, 'api']

    def sent(self, name):
        return neutron.read_profile(self.api(name)['binding:profile'])


class TestExplain(ExplainTestCase):

    def test_statuses(self):
        for (name, style), port in self.ports.items():
            self.assertEqual(EXPECTED_STATUS[name],
                             self.explain(port).status, (name, style))

    def test_both_key_styles_explain_alike(self):
        for name in EXPECTED_STATUS:
            api = values(self.explain(self.ports[name, 'api']))
            cli = values(self.explain(self.ports[name, 'cli']))
            self.assertEqual(api, cli, name)

    def test_what_the_compute_host_sent(self):
        port = self.api('bound')
        profile = port['binding:profile']
        rows = values(self.explain(port))
        self.assertEqual(profile[neutron.PROFILE_KEY][wire.KEY_VERSION],
                         rows['HostInfo'])
        self.assertEqual('plain (JSON object)', rows['Encoding'])
        self.assertEqual('%d of 4095 characters'
                         % len(jsonutils.dumps(profile)),
                         rows['Profile size'])
        self.assertEqual(explain.offers(self.sent('bound')),
                         rows['Compute host offers'])
        self.assertIn('ovs: VIFOpenVSwitch 1.0-1.0',
                      rows['Compute host offers'])

    def test_bound_and_consumable(self):
        port = self.api('bound')
        details = port['binding:vif_details']
        rows = values(self.explain(port))
        self.assertEqual('bound', rows['Outcome'])
        self.assertEqual(
            (details[neutron.VIF_DETAILS_PLUGIN],
             details[neutron.VIF_DETAILS_OBJECT],
             details[neutron.VIF_DETAILS_VERSION],
             port['binding:vif_type']),
            (rows['Plugin'], rows['VIF class'], rows['VIF version'],
             rows['vif_type']))
        self.assertTrue(rows['Consumable here'].startswith(
            'yes: plugin %s here reads %s ' % (
                details[neutron.VIF_DETAILS_PLUGIN],
                details[neutron.VIF_DETAILS_OBJECT])), rows)

    def test_no_longer_consumable_after_a_plugin_upgrade(self):
        port = self.api('bound')
        details = port['binding:vif_details']
        version = details[neutron.VIF_DETAILS_VERSION]
        parsed = versions.parse(version)
        newer = str(versions.Version(parsed.major, parsed.minor + 1))
        upgraded = objects.HostInfo(plugin_info=[samples.plugin(
            details[neutron.VIF_DETAILS_PLUGIN],
            [samples.vif(details[neutron.VIF_DETAILS_OBJECT], newer,
                         newer)])])
        result = self.explain(port, upgraded)
        self.assertEqual(explain.NOT_CONSUMABLE, result.status)
        here = values(result)['Consumable here']
        self.assertTrue(here.startswith(
            'no: VIF %s version %s is outside every range'
            % (details[neutron.VIF_DETAILS_OBJECT], version)), here)
        self.assertIn(newer, here)

    def test_not_consumable_without_the_chosen_plugin(self):
        port = self.api('bound')
        details = port['binding:vif_details']
        other = objects.HostInfo(plugin_info=[samples.plugin(
            'not-' + details[neutron.VIF_DETAILS_PLUGIN],
            [samples.vif(details[neutron.VIF_DETAILS_OBJECT], '1.0', '9.9')])])
        result = self.explain(port, other)
        self.assertEqual(explain.NOT_CONSUMABLE, result.status)
        self.assertEqual('no: the network host chose plugin %s, which this '
                         'host does not have'
                         % details[neutron.VIF_DETAILS_PLUGIN],
                         values(result)['Consumable here'])

    def test_not_consumable_when_the_class_is_gone(self):
        port = self.api('bound')
        empty = objects.HostInfo(plugin_info=[])
        result = self.explain(port, empty)
        self.assertEqual(explain.NOT_CONSUMABLE, result.status)
        self.assertEqual(
            "no: No plugin supports VIF class %r"
            % port['binding:vif_details'][neutron.VIF_DETAILS_OBJECT],
            values(result)['Consumable here'])

    def test_refused_names_the_version_to_backlevel_to(self):
        port = self.api('refused')
        body = port['binding:vif_details'][neutron.VIF_DETAILS_ERROR]
        rows = values(self.explain(port))
        self.assertEqual('refused', rows['Outcome'])
        self.assertEqual('HostInfo %s' % body['error'][
            'max_supported_version'], rows['Backlevel to'])
        self.assertEqual(body['error']['message'], rows['Reason'])
        self.assertNotIn('Consumable here', rows)

    def test_no_common_vif_puts_both_lists_side_by_side(self):
        port = self.api('no_common_vif')
        body = port['binding:vif_details'][neutron.VIF_DETAILS_ERROR]
        result = self.explain(port)
        rows = values(result)
        self.assertEqual('failed', rows['Outcome'])
        self.assertEqual(body['error']['message'], rows['Reason'])
        sides = rows['Side by side']
        self.assertEqual(explain.offers(self.sent('no_common_vif')),
                         sides['compute host'])
        for name in sides['network host']:
            self.assertIn(name.split()[0], body['error']['message'])
        table = dict(result.rows)['Side by side'].human_readable()
        first, second = table.splitlines()[:2]
        self.assertEqual(['network host', 'compute host'],
                         [part.strip() for part in first.split('|')])
        self.assertEqual([sides['network host'][0],
                          sides['compute host'][0]],
                         [part.strip() for part in second.split('|')])

    def test_legacy_compute_host(self):
        port = self.api('legacy')
        rows = values(self.explain(port))
        self.assertTrue(rows['HostInfo'].startswith('none: a legacy '
                                                    'compute host'))
        self.assertEqual('bound without HostInfo', rows['Outcome'])
        self.assertEqual(port['binding:vif_type'], rows['vif_type'])
        self.assertNotIn('Profile size', rows)
        self.assertTrue(rows['Consumable here'].startswith('not checked'))

    def test_hostile_profile(self):
        port = self.api('hostile')
        body = port['binding:vif_details'][neutron.VIF_DETAILS_ERROR]
        rows = values(self.explain(port))
        self.assertEqual('unreadable: %s' % body['error']['message'],
                         rows['HostInfo'])
        self.assertEqual('failed', rows['Outcome'])
        self.assertNotIn('Compute host offers', rows)

    def test_compact_profile(self):
        port = copy.deepcopy(self.api('bound'))
        profile = neutron.binding_profile(self.local, target_version='1.0',
                                          max_length=1024)
        port['binding:profile'] = profile
        rows = values(self.explain(port))
        self.assertEqual('1.0', rows['HostInfo'])
        self.assertEqual('compact t1 (%d characters)'
                         % len(profile[neutron.PROFILE_KEY]),
                         rows['Encoding'])
        self.assertEqual(explain.offers(neutron.read_profile(profile)),
                         rows['Compute host offers'])

    def test_newer_than_this_release(self):
        port = copy.deepcopy(self.api('refused'))
        port['binding:profile'][neutron.PROFILE_KEY][wire.KEY_VERSION] = '1.9'
        rows = values(self.explain(port))
        self.assertEqual('HostInfo 1.9, newer than this release reads (up '
                         'to %s)' % str(objects.current_version('HostInfo')),
                         rows['HostInfo'])

    def test_unbound(self):
        port = copy.deepcopy(self.api('legacy'))
        port['binding:vif_type'] = 'unbound'
        port['binding:host_id'] = ''
        result = self.explain(port)
        self.assertEqual(explain.FAILED, result.status)
        self.assertEqual('not bound', values(result)['Outcome'])
        self.assertIn('binding:host_id is unset', values(result)['Reason'])

    def test_failed_without_a_reason_from_this_library(self):
        port = copy.deepcopy(self.api('legacy'))
        port['binding:vif_type'] = 'binding_failed'
        result = self.explain(port)
        self.assertEqual(explain.FAILED, result.status)
        self.assertEqual('no mechanism driver could bind the port',
                         values(result)['Reason'])


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
KEYS = st.sampled_from([
    neutron.PROFILE_KEY, neutron.VIF_DETAILS_ERROR,
    neutron.VIF_DETAILS_PLUGIN, neutron.VIF_DETAILS_OBJECT,
    neutron.VIF_DETAILS_VERSION, 'error', 'code', 'details', 'vif_name',
    'message', wire.KEY_VERSION, 'x'])
MAPPINGS = st.dictionaries(KEYS, JSON | st.dictionaries(KEYS, JSON),
                           max_size=4)


class TestHostilePorts(ExplainTestCase):

    @hypothesis.settings(max_examples=300)
    @hypothesis.given(profile=MAPPINGS, details=MAPPINGS,
                      vif_type=st.sampled_from(
                          ['ovs', 'binding_failed', 'unbound', '', 'x']))
    def test_any_port_is_explained(self, profile, details, vif_type):
        port = {'id': 'p', 'binding:host_id': 'h',
                'binding:profile': profile, 'binding:vif_type': vif_type,
                'binding:vif_details': details}
        result = self.explain(port)
        self.assertIn(result.status, set(EXPECTED_STATUS.values())
                      | {explain.NOT_CONSUMABLE})
        names = [name for name, _ in result.rows]
        self.assertIn('Outcome', names)
        self.assertEqual(len(names), len(set(names)), names)


class TestAnotherHost(ExplainTestCase):
    """A port bound elsewhere is not said to be consumable here."""

    def test_bound_to_another_host(self):
        parsed = _portfile.parse(jsonutils.dumps(self.api('bound')), 'p')
        result = explain.explain(
            parsed, self.local,
            this=_thishost.ThisHost('compute-2', 'the test'))
        rows = values(result)
        self.assertEqual(explain.BOUND, result.status)
        self.assertEqual(
            'not checked: the port is bound to host compute-1, and this is '
            'host compute-2 (the test); run explain on compute-1',
            rows['Consumable here'])

    def test_bound_to_this_host_is_checked(self):
        parsed = _portfile.parse(jsonutils.dumps(self.api('bound')), 'p')
        result = explain.explain(
            parsed, self.local,
            this=_thishost.ThisHost('compute-1', 'the test'))
        self.assertTrue(values(result)['Consumable here'].startswith('yes: '))

    def test_command_compares_with_this_host(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'p')
        with open(path, 'w') as stream:
            stream.write(jsonutils.dumps(self.api('bound')))
        self.useFixture(fixtures.MockPatch(
            'os_vif_hostinfo.cli._thishost.identify',
            return_value=_thishost.ThisHost('node-9', 'the hostname')))
        rows = jsonutils.loads(cli_runner.run(
            ['explain', '-f', 'json', path]).stdout)
        self.assertIn('this is host node-9 (the hostname)',
                      rows['Consumable here'])
        rows = jsonutils.loads(cli_runner.run(
            ['explain', '-f', 'json', '--host', 'compute-1', path]).stdout)
        self.assertTrue(rows['Consumable here'].startswith('yes: '))


class TestExplainCommand(base.TestCase):

    def setUp(self):
        super().setUp()
        # The fixture ports are bound to compute-1: be that host.
        self.useFixture(fixtures.MockPatch(
            'os_vif_hostinfo.cli._thishost.identify',
            return_value=_thishost.ThisHost('compute-1', 'the test')))

    def write(self, port, name='port.json'):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, name)
        with open(path, 'w') as stream:
            stream.write(port if isinstance(port, str)
                         else jsonutils.dumps(port))
        return path

    def run_cli(self, *args, stdin='', expect=0):
        result = cli_runner.run(list(args), stdin)
        self.assertEqual(expect, result.status, result)
        self.assertNotIn('Traceback', result.stderr)
        return result

    def test_console_script(self):
        port = jsonutils.dumps(ports.ports()['bound', 'cli'])
        for stdin, code in ((port, explain.BOUND), ('[', status.UNREADABLE)):
            result = subprocess.run(
                [test_cli._console_script(), 'explain', '-'], input=stdin,
                capture_output=True, text=True, timeout=120,
                env=dict(os.environ, PYTHONWARNINGS='ignore'))
            self.assertEqual(code, result.returncode, result.stderr)
            self.assertNotIn('Traceback', result.stderr)
        self.assertEqual(1, len(result.stderr.splitlines()), result.stderr)

    def test_exit_statuses_and_json_rows(self):
        local = discovery.host_info()
        for (name, style), port in sorted(ports.ports().items()):
            result = self.run_cli('explain', '-f', 'json', self.write(port),
                                  expect=EXPECTED_STATUS[name])
            parsed = _portfile.parse(jsonutils.dumps(port), 'x')
            self.assertEqual(values(explain.explain(parsed, local)),
                             jsonutils.loads(result.stdout), name)
            self.assertEqual('', result.stderr)

    def test_every_format_from_stdin(self):
        port = jsonutils.dumps(ports.ports()['refused', 'cli'])
        for fmt in ('table', 'json', 'yaml', 'value', 'shell'):
            result = self.run_cli('explain', '-f', fmt, '-', stdin=port,
                                  expect=explain.REFUSED)
            self.assertIn('1.0', result.stdout, fmt)

    def test_unreadable_input_is_one_line(self):
        for text, reason in (
                ('', 'not JSON'),
                ('{"binding_profile": "garbage"}',
                 'binding_profile is text that is not a JSON object'),
                ('[' * 50000, 'JSON nested too deeply'),
                ('{"name": "not a port"}', 'no binding fields')):
            result = self.run_cli('explain', self.write(text),
                                  expect=status.UNREADABLE)
            self.assertEqual('', result.stdout)
            lines = result.stderr.splitlines()
            self.assertEqual(1, len(lines), result.stderr)
            self.assertIn(reason, lines[0])

    def test_what_is_not_printable_is_escaped(self):
        info = objects.HostInfo(plugin_info=[samples.plugin(
            'ovs\x1b[31m\u202e', [samples.vif('VIFOpenVSwitch')])])
        profile = neutron.binding_profile(info)
        decision = neutron.decide_binding(profile, ['VIFOpenVSwitch'])
        port = ports.cli_style({
            'id': 'p\n1', 'binding:host_id': 'compute-1',
            'binding:profile': profile,
            'binding:vif_type': decision.vif_type,
            'binding:vif_details': decision.vif_details})
        path = self.write(port)
        for fmt in ('table', 'yaml', 'value', 'shell'):
            out = self.run_cli('explain', '-f', fmt, path,
                               expect=explain.NOT_CONSUMABLE).stdout
            self.assertNotIn('\x1b', out, fmt)
            self.assertNotIn('\u202e', out, fmt)
            self.assertIn('ovs\\x1b[31m\\u202e', out, fmt)
            self.assertIn('p\\n1', out, fmt)
        rows = jsonutils.loads(self.run_cli(
            'explain', '-f', 'json', path,
            expect=explain.NOT_CONSUMABLE).stdout)
        self.assertEqual('ovs\x1b[31m\u202e', rows['Plugin'])
        self.assertEqual('p\n1', rows['Port'])
