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

"""A real Neutron (REST API, ML2 plugin, sqlite) to bind ports in.

Built on neutron's own ``Ml2PluginV2TestCase``: requests go through the
API as the roles that make them in a cloud. A tenant creates the port;
Nova, as the service role, writes ``binding:host_id`` and
``binding:profile``, which is when ML2 binds.
"""

import json
import os

from neutron_lib.api.definitions import portbindings
from oslo_config import cfg
import webob.exc

from neutron.tests.common import helpers
from neutron.tests.unit.plugins.ml2 import test_plugin
from os_vif_hostinfo.neutron.ml2 import config

#: Set to 1 to rewrite the port fixtures from what Neutron answers now.
REGEN_ENV = 'OS_VIF_HOSTINFO_REGEN_FIXTURES'
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(__file__)),
                        'fixtures', 'ports')

#: The compute host of most tests; it runs an Open vSwitch agent.
HOST = 'compute-1'
#: A compute host that does not use this library (Open vSwitch agent too).
LEGACY_HOST = 'compute-legacy'

#: Keys Nova itself puts in binding:profile (e.g. for an SR-IOV port).
NOVA_KEYS = {
    'pci_slot': '0000:81:00.2',
    'pci_vendor_info': '8086:154c',
    'physical_network': 'physnet1',
    'card_serial_number': 'MT2113X00000',
    'pf_mac_address': '52:54:00:1e:59:c6',
    'vf_num': 2,
    'capabilities': ['switchdev'],
}


class ML2TestCase(test_plugin.Ml2PluginV2TestCase):
    """Ml2PluginV2TestCase with our drivers and port helpers."""

    # Upstream's openvswitch driver after ours binds whatever ours leaves.
    # (neutron's 'test' driver cannot: it asserts it bound every port.)
    _mechanism_drivers = ['logger', 'os_vif_hostinfo', 'openvswitch']
    #: ``[ml2_os_vif_hostinfo]`` overrides for the test class.
    hostinfo_options: dict = {}

    def preSetUp(self):
        super().preSetUp()
        config.register_opts()
        for name, value in self.hostinfo_options.items():
            cfg.CONF.set_override(name, value, group=config.GROUP_NAME)

    def setUp(self):
        super().setUp()
        for host in (HOST, LEGACY_HOST):
            helpers.register_ovs_agent(host=host)
        self.network_id = self._make_network(
            self.fmt, 'net', True)['network']['id']

    def mech(self, name='os_vif_hostinfo'):
        """The driver object ML2 loaded under entry point ``name``."""
        return self.driver.mechanism_manager.mech_drivers[name].obj

    def new_port(self, **attrs):
        """A port created by its tenant, not bound yet."""
        res = self._create_port(self.fmt, self.network_id, **attrs)
        self._check_http_response(res, webob.exc.HTTPCreated.code)
        return self.deserialize(self.fmt, res)['port']

    def update_binding(self, port_id, body, expected=webob.exc.HTTPOk.code):
        """Update the port as Nova does (service role); the raw response."""
        req = self.new_update_request('ports', {'port': body}, port_id,
                                      as_service=True)
        res = req.get_response(self.api)
        self.assertEqual(expected, res.status_int, res.body)
        return res

    def bind(self, profile, host=HOST, port_id=None):
        """Write host and profile on a (new) port; the port Nova reads."""
        port_id = port_id or self.new_port()['id']
        res = self.update_binding(port_id, {portbindings.HOST_ID: host,
                                            portbindings.PROFILE: profile})
        return self.deserialize(self.fmt, res)['port']

    def updater(self, port_id, host=HOST, calls=None):
        """An ``update_port(body)`` for port_sender, counting its calls."""
        def update_port(body):
            if calls is not None:
                calls.append(body)
            body = dict(body)
            body.setdefault(portbindings.HOST_ID, host)
            res = self.update_binding(port_id, body)
            return self.deserialize(self.fmt, res)
        return update_port

    def show(self, port_id):
        return self._show('ports', port_id, as_admin=True)['port']


#: Keys of a port that depend only on what was sent and decided, not on
#: ids, addresses or times.
STABLE_KEYS = (portbindings.HOST_ID, portbindings.PROFILE,
               portbindings.VIF_TYPE, portbindings.VIF_DETAILS,
               portbindings.VNIC_TYPE, 'status', 'admin_state_up')


def cli_style(port):
    """``port`` with the keys the openstack CLI (openstacksdk) shows."""
    return {key.replace('binding:', 'binding_'): value
            for key, value in port.items()}


def fixture_path(name, style):
    return os.path.join(FIXTURES, style, name + '.json')


def load_fixture(name, style='api'):
    with open(fixture_path(name, style)) as f:
        return json.load(f)


def stable(port):
    return {key: port[key] for key in STABLE_KEYS}


def check_fixture(test, name, port):
    """Compare ``port`` with its saved fixture, or rewrite the fixture.

    With ``OS_VIF_HOSTINFO_REGEN_FIXTURES=1`` the port is saved, in both
    key styles, as ``tests/fixtures/ports/{api,cli}/<name>.json``;
    otherwise its stable keys must equal the saved ones, so a change in
    what Neutron or this library answers shows up here first.
    """
    if os.environ.get(REGEN_ENV) == '1':
        for style, data in (('api', port), ('cli', cli_style(port))):
            path = fixture_path(name, style)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                json.dump(data, f, indent=2, sort_keys=True)
                f.write('\n')
        return
    test.assertEqual(stable(load_fixture(name)), stable(port), name)
