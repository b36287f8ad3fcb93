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

"""The openvswitch_hostinfo driver with a registered Open vSwitch agent."""

import logging

import fixtures
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import ovs_constants
import testscenarios

from neutron.tests.common import helpers
import os_vif_hostinfo as hi
from os_vif_hostinfo import neutron as hn
from tests.neutron import base
from tests import samples

BOUND_DRIVERS = portbindings.VIF_DETAILS_BOUND_DRIVERS
DPDK_HOST = 'compute-dpdk'

load_tests = testscenarios.load_tests_apply_scenarios


def register_dpdk_agent(host):
    """An OVS agent on a netdev datapath with vhost-user ports."""
    agent = helpers._get_l2_agent_dict(
        host, constants.AGENT_TYPE_OVS, constants.AGENT_PROCESS_OVS,
        tunnel_types=['vxlan'])
    agent['configurations'].update({
        'datapath_type': ovs_constants.OVS_DATAPATH_NETDEV,
        'ovs_capabilities': {'iface_types': [
            ovs_constants.OVS_DPDK_VHOST_USER_CLIENT]}})
    return helpers._register_agent(agent)


def without_driver_name(details):
    return {key: value for key, value in details.items()
            if key != BOUND_DRIVERS}


class TestLegacyIsUpstream(base.ML2TestCase):
    """Without HostInfo, both drivers answer the same binding."""

    scenarios = [
        ('upstream', {'mech_name': 'openvswitch'}),
        ('hostinfo', {'mech_name': 'openvswitch_hostinfo'}),
    ]

    def setUp(self):
        self._mechanism_drivers = ['logger', self.mech_name]
        super().setUp()
        register_dpdk_agent(DPDK_HOST)

    def test_legacy_binding(self):
        # The same expectation, checked against upstream in the other
        # scenario, so "as upstream" is measured, not assumed.
        for host, vif_type in ((base.HOST, portbindings.VIF_TYPE_OVS),
                               (DPDK_HOST,
                                portbindings.VIF_TYPE_VHOST_USER)):
            port = self.bind(dict(base.NOVA_KEYS), host=host)
            details = port[portbindings.VIF_DETAILS]
            self.assertEqual(vif_type, port[portbindings.VIF_TYPE])
            self.assertEqual({'0': self.mech_name}, details[BOUND_DRIVERS])
            self.assertNotIn(hn.VIF_DETAILS_OBJECT, details)
            if host == base.HOST:
                self.assertEqual(
                    {portbindings.CAP_PORT_FILTER: True,
                     portbindings.VIF_DETAILS_CONNECTIVITY:
                         portbindings.CONNECTIVITY_L2,
                     portbindings.OVS_HYBRID_PLUG: None,
                     'ovs_create_tap': True,
                     portbindings.OVS_DATAPATH_TYPE:
                         ovs_constants.OVS_DATAPATH_SYSTEM},
                    without_driver_name(details))
            else:
                self.assertTrue(details[portbindings.VHOST_USER_OVS_PLUG])

    def test_host_without_agent_is_not_bound(self):
        # ML2 logs the failure at ERROR: expected here, so kept from the
        # output and checked.
        log = self.useFixture(fixtures.FakeLogger(
            name='neutron.plugins.ml2.managers', level=logging.ERROR))
        port = self.bind(hn.binding_profile(hi.host_info()),
                         host='no-agent-here')
        self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                         port[portbindings.VIF_TYPE])
        self.assertNotIn(hn.VIF_DETAILS_ERROR,
                         port[portbindings.VIF_DETAILS])
        self.assertIn('Failed to bind port %s on host no-agent-here'
                      % port['id'], log.output)


class TestHostInfo(base.ML2TestCase):

    _mechanism_drivers = ['logger', 'openvswitch_hostinfo']

    def setUp(self):
        super().setUp()
        register_dpdk_agent(DPDK_HOST)
        self.info = hi.host_info()

    def test_binds_with_upstream_details_and_the_choice(self):
        port = self.bind(hn.binding_profile(self.info, base.NOVA_KEYS))
        legacy = self.bind(dict(base.NOVA_KEYS))
        details = port[portbindings.VIF_DETAILS]
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         port[portbindings.VIF_TYPE])
        choice = hn.read_binding(port)
        self.assertEqual(('ovs', 'VIFOpenVSwitch'),
                         (choice.plugin_name, choice.vif_object_name))
        # Everything upstream says is still there, with the same values
        # (ovs_hybrid_plug now says False where upstream left it None).
        for key, value in legacy[portbindings.VIF_DETAILS].items():
            if key not in (BOUND_DRIVERS, portbindings.OVS_HYBRID_PLUG):
                self.assertEqual(value, details[key], key)
        self.assertFalse(details[portbindings.OVS_HYBRID_PLUG])
        self.assertEqual({'0': 'openvswitch_hostinfo'},
                         details[BOUND_DRIVERS])

    def test_vhost_user_agent_gets_vhost_user(self):
        port = self.bind(hn.binding_profile(self.info), host=DPDK_HOST)
        self.assertEqual(portbindings.VIF_TYPE_VHOST_USER,
                         port[portbindings.VIF_TYPE])
        details = port[portbindings.VIF_DETAILS]
        self.assertTrue(details[portbindings.VHOST_USER_OVS_PLUG])
        self.assertIn(portbindings.VHOST_USER_SOCKET, details)
        choice = hn.read_binding(port)
        vhu = self.info.get_plugin('ovs').get_vif('VIFVHostUser')
        self.assertEqual(('VIFVHostUser', vhu.max_version),
                         (choice.vif_object_name, choice.version))

    def test_nothing_in_common_fails_instead_of_binding_blind(self):
        bridge_only = hi.HostInfo(plugin_info=[
            samples.plugin('linux_bridge', [samples.vif('VIFBridge')])])
        port = self.bind(hn.binding_profile(bridge_only))
        self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                         port[portbindings.VIF_TYPE])
        body = port[portbindings.VIF_DETAILS][hn.VIF_DETAILS_ERROR]
        self.assertEqual('NoMatchingVIFClass', body['error']['type'])
        self.assertEqual(portbindings.VIF_TYPE_OVS, self.bind(
            hn.binding_profile(self.info))[portbindings.VIF_TYPE])


class TestPinned(base.ML2TestCase):

    _mechanism_drivers = ['logger', 'openvswitch_hostinfo']
    hostinfo_options = {'pin': '1.0'}

    def test_negotiate_backlevels_against_the_ovs_driver(self):
        info = hi.host_info()
        cache = hi.PeerCache()
        calls = []
        port = self.new_port()
        choice = hi.negotiate(
            info, hn.port_sender(self.updater(port['id'], calls=calls)),
            peer='neutron', cache=cache)
        self.assertEqual(2, len(calls))
        self.assertEqual('VIFOpenVSwitch', choice.vif_object_name)
        self.assertEqual('openvswitch_hostinfo', self.show(port['id'])[
            portbindings.VIF_DETAILS][BOUND_DRIVERS]['0'])
