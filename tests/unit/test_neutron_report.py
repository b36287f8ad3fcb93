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

"""Tests of os_vif_hostinfo.neutron.report (no neutron installed)."""

import copy
import json
import logging
import subprocess
import sys

import fixtures
import hypothesis
from hypothesis import strategies as st
import jsonschema
from oslo_serialization import jsonutils

from os_vif_hostinfo import _compact
from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
import os_vif_hostinfo.neutron as hn
from os_vif_hostinfo.neutron import report as hr
from os_vif_hostinfo import objects
from os_vif_hostinfo import schema
from os_vif_hostinfo import wire
from tests import base
from tests import samples
from tests import strategies
from tests.unit.test_neutron_profile import compact
from tests.unit.test_neutron_profile import json_values
from tests.unit.test_neutron_profile import wide_host

KEY = hr.REPORT_KEY


def stored_length(configurations):
    """How neutron.db.agents_db writes agents.configurations."""
    return len(jsonutils.dumps(configurations))


def through_rpc(configurations):
    """What the server holds after the report crossed oslo.messaging."""
    return json.loads(jsonutils.dumps(configurations))


def report(copies, fmt=1, **extra):
    return {KEY: dict({'format': fmt, 'hostinfo': copies}, **extra)}


class TestNames(base.TestCase):

    def test_contract(self):
        self.assertEqual('os-vif HostInfo agent', hn.AGENT_TYPE)
        self.assertEqual('os-vif-hostinfo-agent', hn.AGENT_BINARY)
        self.assertEqual('os_vif_hostinfo', hn.REPORT_KEY)
        self.assertEqual(4095, hn.MAX_CONFIGURATIONS_LENGTH)
        for name in ('agent_configurations', 'read_report',
                     'report_versions', 'configurations_length'):
            self.assertIs(getattr(hr, name), getattr(hn, name))
            self.assertIn(name, hn.__all__)


class TestImports(base.TestCase):

    def test_no_neutron_and_no_agent_imported(self):
        # os_vif_hostinfo.neutron stays importable without neutron: the
        # agent (which needs it) is a package of its own, never imported.
        code = ('import sys, os_vif_hostinfo.neutron; print(sorted('
                'm for m in sys.modules if m == "neutron" or '
                'm.startswith(("neutron.", "os_vif_hostinfo.neutron.agent",'
                ' "os_vif_hostinfo.neutron.ml2"))))')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual('[]', out.strip())


class TestDecide(base.TestCase):

    def test_decide_from_report(self):
        self.assertIsNone(hn.decide_from_report({}, ['VIFOpenVSwitch']))
        conf = through_rpc(hr.agent_configurations(samples.sample_host()))
        decision = hn.decide_from_report(conf, ['VIFOpenVSwitch'],
                                         pin='1.0')
        self.assertTrue(decision.bound)
        self.assertEqual('VIFOpenVSwitch', decision.choice.vif_object_name)
        failed = hn.decide_from_report(report({'1.1': 't1:"'}),
                                       ['VIFOpenVSwitch'])
        self.assertFalse(failed.bound)
        self.assertEqual('binding_failed', failed.vif_type)
        self.assertEqual('host_info_error', failed.vif_details[
            hn.VIF_DETAILS_ERROR]['error']['code'])


class TestWrite(base.TestCase):

    def test_newest_and_backlevelled_copies(self):
        info = samples.sample_host()
        conf = hr.agent_configurations(info)
        self.assertEqual(['format', 'hostinfo'], sorted(conf[KEY]))
        self.assertEqual(1, conf[KEY]['format'])
        self.assertEqual(['1.1', '1.0'], list(conf[KEY]['hostinfo']))
        self.assertEqual(['1.1', '1.0'], hr.report_versions(conf))
        for version, value in conf[KEY]['hostinfo'].items():
            self.assertTrue(value.startswith(_compact.PREFIX))
            self.assertEqual(wire.serialize(info, version),
                             wire.serialize(hr.read_report(
                                 conf, pin=version), version))

    def test_max_version(self):
        conf = hr.agent_configurations(samples.sample_host(),
                                       max_version='1.0')
        self.assertEqual(['1.0'], hr.report_versions(conf))
        self.assertRaises(exception.UnsupportedVersion,
                          hr.agent_configurations, samples.sample_host(),
                          max_version='1.9')
        self.assertRaises(exception.InvalidVersion, hr.agent_configurations,
                          samples.sample_host(), max_version='1.x')

    def test_other_keys_kept_and_not_mutated(self):
        mine = {'extensions': ['a'], 'log_agent_heartbeats': False}
        before = copy.deepcopy(mine)
        conf = hr.agent_configurations(samples.sample_host(),
                                       configurations=mine)
        self.assertEqual(before, mine)
        self.assertEqual(['a'], conf['extensions'])
        self.assertNotIn(KEY, mine)

    def test_goal_shipped_host_in_1024(self):
        conf = hr.agent_configurations(discovery.host_info())
        self.assertLessEqual(stored_length(conf), 1024)
        self.assertEqual(['1.1', '1.0'], hr.report_versions(conf))

    def test_goal_ten_plugins_in_2048(self):
        conf = hr.agent_configurations(wide_host(10, vifs=4,
                                                 port_profiles=2))
        self.assertLessEqual(stored_length(conf), 2048)
        self.assertEqual(['1.1', '1.0'], hr.report_versions(conf))

    def test_measured_as_neutron_stores_it(self):
        mine = {'note': '\u00e9' * 100}
        conf = hr.agent_configurations(samples.sample_host(),
                                       configurations=mine)
        self.assertEqual(stored_length(conf), hr.configurations_length(conf))
        # jsonutils escapes non-ASCII: 6 characters each, not 1.
        self.assertGreater(stored_length(conf),
                           len(json.dumps(conf, ensure_ascii=False)) + 400)

    def test_newest_left_out_first(self):
        info = wide_host(10)
        full = hr.agent_configurations(info)
        only_old = {KEY: {'format': 1, 'hostinfo': {
            '1.0': full[KEY]['hostinfo']['1.0']}}}
        limit = stored_length(only_old)
        self.assertLess(limit, stored_length(full))
        logger = self.useFixture(fixtures.FakeLogger(level=logging.ERROR))
        conf = hr.agent_configurations(info, max_length=limit)
        self.assertEqual(only_old, conf)
        self.assertEqual(limit, stored_length(conf))
        self.assertIn('%d characters with HostInfo 1.1, 1.0, over the limit '
                      'of %d; reporting 1.0 in %d'
                      % (stored_length(full), limit, limit), logger.output)
        # A 1.1 reader still reads it, at 1.0.
        self.assertEqual(wire.serialize(info, '1.0'),
                         wire.serialize(hr.read_report(conf), '1.0'))

    def test_everything_fits_logs_nothing(self):
        logger = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))
        hr.agent_configurations(samples.sample_host())
        self.assertEqual('', logger.output)

    def test_nothing_fits(self):
        mine = {'pad': 'x' * 4000}
        exc = self.assertRaises(exception.ReportTooLarge,
                                hr.agent_configurations,
                                samples.sample_host(), configurations=mine)
        self.assertEqual('1.0', exc.version)
        self.assertEqual(4095, exc.max_length)
        self.assertGreater(exc.size, 4095)
        self.assertIn('with HostInfo 1.0 alone, over the limit of 4095',
                      str(exc))

    @hypothesis.given(strategies.host_infos(),
                      st.integers(min_value=60, max_value=2000))
    def test_never_over_max_length(self, info, limit):
        try:
            conf = hr.agent_configurations(info, max_length=limit)
        except exception.ReportTooLarge as exc:
            self.assertGreater(exc.size, limit)
            return
        self.assertLessEqual(stored_length(conf), limit)
        self.assertIn('1.0', hr.report_versions(conf))

    def test_bad_arguments(self):
        info = samples.sample_host()
        self.assertRaises(exception.InvalidObject, hr.agent_configurations,
                          {'not': 'hostinfo'})
        for limit in (0, -1, True, '4095', None):
            self.assertRaises(exception.InvalidArgument,
                              hr.agent_configurations, info,
                              max_length=limit)
        self.assertRaises(exception.InvalidArgument,
                          hr.agent_configurations, info,
                          configurations=['x'])
        self.assertRaises(exception.InvalidArgument,
                          hr.agent_configurations, info,
                          configurations={'x': object()})


class TestRead(base.TestCase):

    def test_absent(self):
        self.assertIsNone(hr.read_report(None))
        self.assertIsNone(hr.read_report({}))
        self.assertIsNone(hr.read_report({'bridge_mappings': {}}))
        self.assertEqual([], hr.report_versions(None))
        self.assertEqual([], hr.report_versions({'x': 1}))

    @hypothesis.settings(max_examples=100)
    @hypothesis.given(strategies.host_infos())
    def test_round_trip_through_rpc(self, info):
        conf = through_rpc(hr.agent_configurations(info))
        self.assertEqual(wire.serialize(info),
                         wire.serialize(hr.read_report(conf)))

    def test_pinned_server_reads_older_copy(self):
        info = samples.sample_host()
        conf = through_rpc(hr.agent_configurations(info))
        got = hr.read_report(conf, pin='1.0')
        self.assertEqual(wire.serialize(info, '1.0'),
                         wire.serialize(got, '1.0'))
        # What was read at 1.0 has no port profiles.

        def profiles(host):
            return [p for plugin in host.plugin_info
                    for vif in plugin.vif_info
                    for p in vif.supported_port_profiles]
        self.assertEqual([], profiles(got))
        self.assertNotEqual([], profiles(info))

    def test_newest_readable_copy_of_a_newer_host(self):
        # A host of a later release writes 1.2 too: this side reads 1.1.
        conf = through_rpc(hr.agent_configurations(samples.sample_host()))
        conf[KEY]['hostinfo']['1.2'] = compact('["1.2", [], [0]]')
        got = hr.read_report(conf)
        self.assertEqual(wire.serialize(samples.sample_host()),
                         wire.serialize(got))

    def test_too_new(self):
        exc = self.assertRaises(exception.UnsupportedVersion, hr.read_report,
                                report({'1.7': compact('["1.7", [], [0]]'),
                                        '2.0': compact('["2.0", [], [0]]')}))
        self.assertEqual('1.7', exc.requested_version)
        self.assertEqual('1.1', exc.max_supported_version)
        exc = self.assertRaises(exception.UnsupportedVersion, hr.read_report,
                                report({'1.1': compact('["1.1", [], [0]]')}),
                                pin='1.0')
        self.assertEqual('1.0', exc.max_supported_version)
        self.assertEqual(['1.7'], hr.report_versions(
            report({'1.7': 'anything'})))

    def test_bad_pin(self):
        self.assertRaises(exception.InvalidVersion, hr.read_report,
                          hr.agent_configurations(samples.sample_host()),
                          pin='one')

    def test_decoder_answers_a_report_heard_before(self):
        decoder = wire.Decoder()
        for info in (samples.sample_host(), wide_host(10)):
            conf = through_rpc(hr.agent_configurations(info))
            first = hr.read_report(conf, decoder=decoder)
            second = hr.read_report(copy.deepcopy(conf), decoder=decoder)
            self.assertEqual(wire.serialize(first), wire.serialize(second))
        self.assertEqual(2, decoder.hits)
        self.assertEqual(2, decoder.misses)

    def test_report_decoder_expands_once_per_change(self):
        decoder = hr.ReportDecoder()
        self.assertIsInstance(decoder, wire.Decoder)
        conf = through_rpc(hr.agent_configurations(wide_host(10)))
        expand = self.useFixture(fixtures.MockPatchObject(
            _compact, 'expand', wraps=_compact.expand)).mock
        for _ in range(5):
            got = hr.read_report(copy.deepcopy(conf), decoder=decoder)
        self.assertEqual(1, expand.call_count)
        self.assertEqual((1, 4), (decoder.expansions_misses,
                                  decoder.expansions_hits))
        self.assertEqual((1, 4), (decoder.misses, decoder.hits))
        self.assertEqual(wire.serialize(wide_host(10)), wire.serialize(got))
        # A pin is part of what was expanded.
        hr.read_report(conf, pin='1.0', decoder=decoder)
        self.assertEqual(2, expand.call_count)
        decoder.clear()
        hr.read_report(conf, decoder=decoder)
        self.assertEqual(3, expand.call_count)
        # Refusals are not remembered.
        bad = report({'1.1': 't1:"'})
        for _ in range(2):
            self.assertRaises(exception.MalformedPayload, hr.read_report,
                              bad, decoder=decoder)
        self.assertEqual(5, expand.call_count)

    def test_extra_keys_ignored(self):
        info = samples.sample_host()
        conf = hr.agent_configurations(info)
        conf[KEY]['later'] = {'anything': [1]}
        self.assertEqual(wire.serialize(info),
                         wire.serialize(hr.read_report(conf)))


class TestHostileReports(base.TestCase):

    def assertMalformed(self, conf, *words):
        exc = self.assertRaises(exception.MalformedPayload, hr.read_report,
                                conf)
        for word in words:
            self.assertIn(word, str(exc))
        if not isinstance(conf, dict) or KEY not in conf:
            return exc
        # report_versions refuses the same shapes, with the same error
        # class, or lists what the report names.
        try:
            hr.report_versions(conf)
        except exception.MalformedPayload:
            pass
        return exc

    @hypothesis.given(json_values)
    def test_any_json_value(self, value):
        for conf in ({KEY: value}, report(value), report({'1.1': value})):
            try:
                result = hr.read_report(conf)
            except (exception.MalformedPayload,
                    exception.UnsupportedVersion):
                pass
            else:
                self.assertIsInstance(result, objects.HostInfo)
            try:
                listed = hr.report_versions(conf)
            except exception.MalformedPayload:
                pass
            else:
                self.assertIsInstance(listed, list)

    @hypothesis.given(st.dictionaries(st.text(max_size=6),
                                      st.text(max_size=30), max_size=5))
    def test_any_copies(self, copies):
        try:
            hr.read_report(report(copies))
        except (exception.MalformedPayload, exception.UnsupportedVersion):
            pass

    def test_wrong_types(self):
        self.assertMalformed(['x'], 'configurations', 'an array')
        self.assertMalformed({KEY: 't1:abc'}, 'expected a report object')
        self.assertMalformed(report({}, fmt='1'), 'format', 'a string')
        self.assertMalformed(report({}, fmt=True), 'format', 'a boolean')
        self.assertMalformed(report({}, fmt=2), 'report format 2')
        self.assertMalformed(report({}), 'non-empty')
        self.assertMalformed(report(['1.1']), 'an array')
        self.assertMalformed(report({'1.01': 't1:'}), "'1.01'")
        self.assertMalformed(report({'latest': 't1:'}), "'latest'")
        self.assertMalformed(report({'1.1': {'plain': 1}}),
                             'hostinfo.1.1', 'compact string')
        self.assertMalformed(report({'1.1': None}), 'null')

    def test_garbage_copy(self):
        self.assertMalformed(report({'1.1': 't1:"'}), 'hostinfo.1.1',
                             'not Base85')
        self.assertMalformed(report({'1.1': 'plain'}), "'t1:'")
        self.assertMalformed(report({'1.1': compact('not json')}),
                             'not JSON')

    def test_copy_of_another_version(self):
        value = hr.agent_configurations(samples.sample_host())[KEY][
            'hostinfo']['1.1']
        self.assertMalformed(report({'1.0': value}),
                             "holds HostInfo '1.1' where '1.0'")

    def test_too_many_copies(self):
        copies = {'1.%d' % i: 't1:' for i in range(65)}
        self.assertMalformed(report(copies), '65 copies')

    def test_compression_bomb(self):
        bomb = '["1.1", ["' + 'a' * (64 << 20) + '"], [0]]'
        self.assertMalformed(report({'1.1': compact(bomb)}),
                             'decompresses to more than')

    def test_expansion_bomb(self):
        table = json.dumps(['1.1', ['x' * 200000],
                            [10000] + [0, 0] * 10000])
        self.assertMalformed(report({'1.1': compact(table)}),
                             'expands to more than')

    def test_giant_copy(self):
        self.assertMalformed(report({'1.1': 't1:' + 'a' * (2 << 20)}),
                             'over the limit')

    def test_deep_nesting(self):
        deep = {}
        for _ in range(100000):
            deep = {'a': deep}
        # Never read: only the copy this side reads is expanded.
        self.assertMalformed(report({'1.1': deep}), 'compact string')
        conf = report({'1.1': compact('[' * 5000 + ']' * 5000)})
        self.assertMalformed(conf, 'nested')


class TestReportSchema(base.TestCase):

    def test_written_reports_are_valid(self):
        validator = jsonschema.Draft202012Validator(schema.report_schema())
        for info in (samples.sample_host(), wide_host(10)):
            for version in ('1.0', '1.1'):
                value = hr.agent_configurations(info, version)[KEY]
                self.assertTrue(validator.is_valid(value))

    def test_refused_reports_are_invalid(self):
        validator = jsonschema.Draft202012Validator(schema.report_schema())
        for conf in (report({}), report({'1.1': 't1:"'}),
                     report({'1.01': 't1:0'}), report({'1.1': 't1:0'}, fmt=2),
                     {KEY: {'hostinfo': {'1.1': 't1:0'}}}, {KEY: 't1:0'}):
            self.assertFalse(validator.is_valid(conf[KEY]), conf)

    def test_published(self):
        self.assertIn('agent-report-1.schema.json',
                      schema.schema_documents())
