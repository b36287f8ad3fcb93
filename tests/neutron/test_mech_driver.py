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

"""The reference driver (entry point os_vif_hostinfo) through the API."""

import logging

import fixtures
from neutron_lib.api.definitions import portbindings

import os_vif_hostinfo as hi
from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from tests.neutron import base
from tests import samples
from tests import vifs

BOUND_DRIVERS = portbindings.VIF_DETAILS_BOUND_DRIVERS


class TestBinding(base.ML2TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name='os_vif_hostinfo', level=logging.INFO,
            format='%(levelname)s %(message)s'))
        self.info = hi.host_info()

    def test_current_host_binds_and_check_vif_accepts(self):
        profile = hn.binding_profile(self.info, base.NOVA_KEYS)
        port = self.bind(profile)
        details = port[portbindings.VIF_DETAILS]
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         port[portbindings.VIF_TYPE])
        self.assertEqual({'0': 'os_vif_hostinfo'}, details[BOUND_DRIVERS])
        choice = hn.read_binding(port)
        self.assertEqual(('ovs', 'VIFOpenVSwitch'),
                         (choice.plugin_name, choice.vif_object_name))
        self.assertEqual(
            {hn.VIF_DETAILS_PLUGIN: 'ovs',
             hn.VIF_DETAILS_OBJECT: 'VIFOpenVSwitch',
             hn.VIF_DETAILS_VERSION: choice.version},
            {key: details[key] for key in (
                hn.VIF_DETAILS_PLUGIN, hn.VIF_DETAILS_OBJECT,
                hn.VIF_DETAILS_VERSION)})
        accepted = hi.check_vif(vifs.build_vif(port, choice), self.info)
        self.assertEqual('VIFOpenVSwitch', accepted.vif_object_name)
        base.check_fixture(self, 'bound', self.show(port['id']))

    def test_nova_keys_survive_and_profile_reads_back_as_sent(self):
        profile = hn.binding_profile(self.info, base.NOVA_KEYS)
        port = self.bind(profile)
        shown = self.show(port['id'])[portbindings.PROFILE]
        self.assertEqual(profile, shown)
        self.assertEqual(base.NOVA_KEYS, {key: shown[key]
                                          for key in base.NOVA_KEYS})
        self.assertEqual(hi.serialize(self.info),
                         hi.serialize(hn.read_profile(shown)))

    def test_decoder_is_shared_between_ports(self):
        profile = hn.binding_profile(self.info)
        decoder = self.mech().host_info_decoder
        hits = decoder.hits
        for _ in range(3):
            self.assertEqual(portbindings.VIF_TYPE_OVS,
                             self.bind(profile)[portbindings.VIF_TYPE])
        self.assertIs(decoder, self.mech().host_info_decoder)
        self.assertGreaterEqual(decoder.hits - hits, 2)

    def test_legacy_port_is_bound_by_the_next_driver(self):
        port = self.bind(dict(base.NOVA_KEYS), host=base.LEGACY_HOST)
        details = port[portbindings.VIF_DETAILS]
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         port[portbindings.VIF_TYPE])
        self.assertEqual({'0': 'openvswitch'}, details[BOUND_DRIVERS])
        self.assertNotIn(hn.VIF_DETAILS_OBJECT, details)
        self.assertEqual(base.NOVA_KEYS, port[portbindings.PROFILE])
        err = self.assertRaises(exception.BindingFailed, hn.read_binding,
                                port)
        self.assertEqual(base.LEGACY_HOST, err.host)
        self.assertEqual('', self.log.output)
        base.check_fixture(self, 'legacy', self.show(port['id']))

    def test_port_without_profile_is_bound_by_the_next_driver(self):
        port = self.bind({})
        self.assertEqual(
            {'0': 'openvswitch'},
            port[portbindings.VIF_DETAILS][BOUND_DRIVERS])

    def test_no_common_vif_fails_this_binding_only(self):
        bridge_only = hi.HostInfo(plugin_info=[
            samples.plugin('linux_bridge', [samples.vif('VIFBridge')])])
        port = self.bind(hn.binding_profile(bridge_only, base.NOVA_KEYS))
        self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                         port[portbindings.VIF_TYPE])
        body = port[portbindings.VIF_DETAILS][hn.VIF_DETAILS_ERROR]
        self.assertEqual('NoMatchingVIFClass', body['error']['type'])
        err = self.assertRaises(exception.BindingFailed, hn.read_binding,
                                port)
        self.assertIn('VIFOpenVSwitch', str(err))
        self.assertIn('WARNING', self.log.output)
        self.assertIn(port['id'], self.log.output)
        self.assertIn(base.HOST, self.log.output)
        base.check_fixture(self, 'no_common_vif', self.show(port['id']))
        next_port = self.bind(hn.binding_profile(self.info))
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         next_port[portbindings.VIF_TYPE])

    def test_one_warning_for_ml2s_retries_of_one_failure(self):
        port = self.bind({hn.PROFILE_KEY: 'not host information'})
        self.assertEqual(1, self.log.output.count('WARNING'))
        self.assertEqual(1, self.log.output.count(port['id']))

    def test_rebinding_an_updated_profile(self):
        bridge_only = hi.HostInfo(plugin_info=[
            samples.plugin('linux_bridge', [samples.vif('VIFBridge')])])
        port = self.bind(hn.binding_profile(bridge_only))
        self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                         port[portbindings.VIF_TYPE])
        port = self.bind(hn.binding_profile(self.info), port_id=port['id'])
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         port[portbindings.VIF_TYPE])


class TestCappedVIFClasses(base.ML2TestCase):

    hostinfo_options = {'vif_classes': ['VIFVHostUser:1.0',
                                        'VIFOpenVSwitch']}

    def test_capped_class_is_sent_at_its_cap(self):
        # os-vif 5.3.0's own plugins read VIFVHostUser 1.0 only; a host
        # whose plugin reads 1.1 (os-vif registers 1.1) shows the cap.
        info = hi.HostInfo(plugin_info=[samples.plugin('ovs', [
            samples.vif('VIFVHostUser', '1.0', '1.1')])])
        self.assertEqual(
            '1.1', hn.decide_binding(hn.binding_profile(info),
                                     ['VIFVHostUser']).choice.version)
        port = self.bind(hn.binding_profile(info))
        self.assertEqual(portbindings.VIF_TYPE_VHOST_USER,
                         port[portbindings.VIF_TYPE])
        choice = hn.read_binding(port)
        self.assertEqual(('VIFVHostUser', '1.0'),
                         (choice.vif_object_name, choice.version))
        accepted = hi.check_vif(vifs.build_vif(port, choice, 'VIFVHostUser'),
                                info)
        self.assertEqual('VIFVHostUser', accepted.vif_object_name)

    def test_next_class_when_the_host_lacks_the_first(self):
        ovs_only = hi.HostInfo(plugin_info=[
            samples.plugin('ovs', [samples.vif('VIFOpenVSwitch')])])
        choice = hn.read_binding(self.bind(hn.binding_profile(ovs_only)))
        self.assertEqual('VIFOpenVSwitch', choice.vif_object_name)


class TestPinned(base.ML2TestCase):
    """A Neutron that reads HostInfo 1.0 at most (pin = 1.0)."""

    hostinfo_options = {'pin': '1.0'}

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name='os_vif_hostinfo', level=logging.INFO,
            format='%(levelname)s %(message)s'))
        self.info = hi.host_info()

    def test_newer_host_info_is_refused_with_the_maximum(self):
        port = self.bind(hn.binding_profile(self.info, base.NOVA_KEYS))
        self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                         port[portbindings.VIF_TYPE])
        body = port[portbindings.VIF_DETAILS][hn.VIF_DETAILS_ERROR]
        self.assertEqual({'code': 'unsupported_version',
                          'object': 'HostInfo', 'requested_version': '1.1',
                          'max_supported_version': '1.0'},
                         {key: body['error'][key] for key in (
                             'code', 'object', 'requested_version',
                             'max_supported_version')})
        err = self.assertRaises(exception.UnsupportedVersion,
                                hn.read_binding, port)
        self.assertEqual('1.0', err.max_supported_version)
        self.assertIn('WARNING', self.log.output)
        self.assertIn(port['id'], self.log.output)
        base.check_fixture(self, 'refused', self.show(port['id']))

    def test_negotiate_backlevels_once_then_remembers(self):
        cache = hi.PeerCache()
        calls = []
        first = self.new_port()
        choice = hi.negotiate(
            self.info, hn.port_sender(self.updater(first['id'], calls=calls),
                                      base.NOVA_KEYS),
            peer='neutron', cache=cache)
        self.assertEqual('VIFOpenVSwitch', choice.vif_object_name)
        self.assertEqual(2, len(calls))
        # The first update carried HostInfo 1.1, the second 1.0.
        self.assertRaises(exception.UnsupportedVersion, hn.read_profile,
                          calls[0][portbindings.PROFILE], pin='1.0')
        self.assertEqual(
            hi.serialize(self.info, target_version='1.0'),
            hi.serialize(hn.read_profile(calls[1][portbindings.PROFILE],
                                         pin='1.0'), target_version='1.0'))
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         self.show(first['id'])[portbindings.VIF_TYPE])

        later = []
        second = self.new_port()
        hi.negotiate(self.info,
                     hn.port_sender(self.updater(second['id'], calls=later)),
                     peer='neutron', cache=cache)
        self.assertEqual(1, len(later))

    def test_host_info_at_the_pin_binds(self):
        profile = hn.binding_profile(self.info, target_version='1.0')
        port = self.bind(profile)
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         port[portbindings.VIF_TYPE])
        self.assertEqual('', self.log.output)
