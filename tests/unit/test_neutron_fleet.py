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

"""The fleet survey behind ``fleet`` and the upgrade check."""

from oslo_serialization import jsonutils

from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron import fleet
from os_vif_hostinfo.neutron import report
from os_vif_hostinfo import objects
from tests import base
from tests import samples


def host(*vifs, name='ovs'):
    return objects.HostInfo(plugin_info=[samples.plugin(name, list(vifs))])


def configurations(info, max_version=None):
    # What neutron-server stores and hands back: JSON text, decoded.
    return jsonutils.loads(jsonutils.dumps(
        report.agent_configurations(info, max_version=max_version)))


NEWEST = str(objects.current_version('HostInfo'))
TOO_NEW = '%d.%d' % (objects.current_version('HostInfo').major,
                     objects.current_version('HostInfo').minor + 1)


def too_new_configurations():
    configs = configurations(host(samples.vif()))
    copies = configs[report.REPORT_KEY]['hostinfo']
    configs[report.REPORT_KEY]['hostinfo'] = {TOO_NEW: copies[NEWEST]}
    return configs


class SurveyTestCase(base.TestCase):

    def test_rows_sorted_with_versions_plugins_and_ranges(self):
        result = fleet.survey([
            fleet.Agent('b', True, configurations(
                host(samples.vif('VIFOpenVSwitch', '1.0', '1.1'),
                     samples.vif('VIFBridge', '1.0', '1.0')))),
            fleet.Agent('a', True, configurations(
                host(samples.vif(), name='noop'))),
        ])
        self.assertEqual(['a', 'b'], [row.host for row in result.rows])
        b = result.rows[1]
        self.assertEqual(['ovs'], b.plugins)
        self.assertEqual(['VIFOpenVSwitch 1.0-1.1', 'VIFBridge 1.0-1.0'],
                         b.vif_classes)
        self.assertEqual(NEWEST, b.versions[0])
        self.assertIsNone(b.problem)

    def test_vif_caps_are_what_every_offering_host_consumes(self):
        result = fleet.survey([
            fleet.Agent('a', True, configurations(host(
                samples.vif('VIFOpenVSwitch', '1.0', '1.2'),
                samples.vif('VIFBridge', '1.1', '1.1')))),
            fleet.Agent('b', True, configurations(host(
                samples.vif('VIFOpenVSwitch', '1.1', '1.3'),
                samples.vif('VIFBridge', '1.2', '1.2')))),
            # A dead host does not narrow the caps.
            fleet.Agent('c', False, configurations(host(
                samples.vif('VIFOpenVSwitch', '1.0', '1.0')))),
        ])
        self.assertEqual({'VIFBridge': None,
                          'VIFOpenVSwitch': ('1.1', '1.2')},
                         result.summary.vif_caps)
        self.assertEqual(['c'], result.summary.dead)
        self.assertEqual(['a', 'b'], result.summary.alive)

    def test_safe_pin_is_the_newest_version_all_alive_hosts_report(self):
        old = configurations(host(samples.vif()), max_version='1.0')
        new = configurations(host(samples.vif()))
        self.assertEqual(NEWEST, fleet.survey(
            [fleet.Agent('a', True, new)]).summary.safe_pin)
        self.assertEqual('1.0', fleet.survey(
            [fleet.Agent('a', True, new), fleet.Agent('b', True, old)]
        ).summary.safe_pin)
        # Dead hosts and hosts without agents do not count.
        self.assertEqual(NEWEST, fleet.survey(
            [fleet.Agent('a', True, new), fleet.Agent('b', False, old)]
        ).summary.safe_pin)
        self.assertIsNone(fleet.survey([]).summary.safe_pin)

    def test_unreadable_reports_of_alive_hosts_are_named(self):
        result = fleet.survey([
            fleet.Agent('new', True, too_new_configurations()),
            fleet.Agent('garbage', True, {report.REPORT_KEY: 'x'}),
            fleet.Agent('dead-new', False, too_new_configurations()),
            fleet.Agent('fine', True, configurations(host(samples.vif()))),
        ])
        unreadable = result.summary.unreadable
        self.assertEqual(['garbage', 'new'], sorted(unreadable))
        self.assertIn(TOO_NEW, unreadable['new'])
        self.assertIn(report.REPORT_KEY, unreadable['garbage'])
        self.assertIsNone(result.summary.safe_pin)

    def test_pin_reads_as_a_pinned_network_host(self):
        agents = [fleet.Agent('a', True, configurations(host(samples.vif())))]
        self.assertEqual({}, fleet.survey(agents, pin='1.0').summary
                         .unreadable)
        only_new = configurations(host(samples.vif()))
        copies = only_new[report.REPORT_KEY]['hostinfo']
        only_new[report.REPORT_KEY]['hostinfo'] = {NEWEST: copies[NEWEST]}
        agents = [fleet.Agent('a', True, only_new)]
        if NEWEST != '1.0':
            self.assertEqual(['a'], list(fleet.survey(
                agents, pin='1.0').summary.unreadable))
        self.assertRaises(exception.InvalidVersion, fleet.survey, agents,
                          pin='one')

    def test_hosts_binding_without_any_hostinfo(self):
        result = fleet.survey(
            [fleet.Agent('agent-host', True,
                         configurations(host(samples.vif())))],
            [('agent-host', False), ('legacy', False), ('legacy', False),
             ('nova-hostinfo', True), ('nova-hostinfo', False), ('', False),
             ('another-legacy', False)])
        self.assertEqual(['another-legacy', 'legacy'],
                         result.summary.without_hostinfo)

    def test_an_agent_without_a_report(self):
        result = fleet.survey([fleet.Agent('a', True, {'other': 1})])
        self.assertEqual('no HostInfo in the report',
                         result.rows[0].problem)
        self.assertEqual({'a': 'no HostInfo in the report'},
                         result.summary.unreadable)

    def test_summary_fields_are_json(self):
        result = fleet.survey([
            fleet.Agent('a', True, configurations(host(samples.vif()))),
            fleet.Agent('b', False, None)], [('l', False)])
        fields = fleet.summary_fields(result.summary)
        self.assertEqual(fields, jsonutils.loads(jsonutils.dumps(fields)))
        self.assertEqual({'VIFOpenVSwitch': '1.0-1.0'}, fields['vif_caps'])
        self.assertEqual(['l'], fields['without_hostinfo'])
        self.assertEqual(['b'], fields['dead'])


class ProfileTestCase(base.TestCase):

    def test_profile_has_hostinfo(self):
        key = fleet.profile.PROFILE_KEY
        self.assertTrue(fleet.profile_has_hostinfo({key: 'x'}))
        self.assertTrue(fleet.profile_has_hostinfo('{"%s": "x"}' % key))
        self.assertFalse(fleet.profile_has_hostinfo({}))
        self.assertFalse(fleet.profile_has_hostinfo(''))
        self.assertFalse(fleet.profile_has_hostinfo(None))
        self.assertFalse(fleet.profile_has_hostinfo('{"a": "%s"' % key))
        self.assertFalse(fleet.profile_has_hostinfo('["%s"]' % key))
