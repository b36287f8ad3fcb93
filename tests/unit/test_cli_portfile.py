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

"""Reading one Neutron port from a file, in either key style."""

import io
import json
import os

import fixtures
import hypothesis
from hypothesis import strategies as st

from os_vif_hostinfo.cli import _portfile
from tests import base

API_PORT = {
    'id': 'p1', 'name': 'vm-port', 'device_owner': 'compute:nova',
    'binding:host_id': 'compute-1',
    'binding:profile': {'pci_slot': '0000:00:1f.0'},
    'binding:vif_type': 'ovs',
    'binding:vif_details': {'port_filter': True},
}


def cli_style(port):
    """The port as ``openstack port show -f json`` prints it."""
    return {key.replace('binding:', 'binding_'): value
            for key, value in port.items()}


class TestParse(base.TestCase):

    def assertUnreadable(self, data, reason):
        exc = self.assertRaises(_portfile.PortUnreadable, _portfile.parse,
                                data, 'port.json')
        self.assertIn('Cannot read a port from port.json: ', str(exc))
        self.assertIn(reason, str(exc))

    def test_both_key_styles_read_the_same(self):
        api = _portfile.parse(json.dumps(API_PORT), 'x')
        cli = _portfile.parse(json.dumps(cli_style(API_PORT)), 'x')
        self.assertEqual('api', api.key_style)
        self.assertEqual('cli', cli.key_style)
        for port in (api, cli):
            self.assertEqual('p1', port.id)
            self.assertEqual('compute-1', port.host_id)
            self.assertEqual(API_PORT['binding:profile'], port.profile)
            self.assertEqual('ovs', port.vif_type)
            self.assertEqual(API_PORT['binding:vif_details'],
                             port.vif_details)
            self.assertEqual(API_PORT, port.as_api())

    def test_api_wrapper_is_unwrapped(self):
        port = _portfile.parse(json.dumps({'port': API_PORT}).encode(), 'x')
        self.assertEqual(API_PORT, port.raw)

    def test_dicts_given_as_json_text(self):
        doc = cli_style(API_PORT)
        doc['binding_profile'] = json.dumps(doc['binding_profile'])
        doc['binding_vif_details'] = ''
        port = _portfile.parse(json.dumps(doc), 'x')
        self.assertEqual(API_PORT['binding:profile'], port.profile)
        self.assertEqual({}, port.vif_details)

    def test_unset_fields_are_empty(self):
        port = _portfile.parse(json.dumps({'binding:vif_type': 'unbound',
                                           'binding:profile': None}), 'x')
        self.assertEqual(('(no id)', '', {}, 'unbound', {}),
                         port[:5])

    def test_unreadable(self):
        for data, reason in (
                (b'\xff\xfe', 'not UTF-8 text (byte 0)'),
                ('{"a": ', 'not JSON: '),
                ('[1, 2]', 'expected a JSON object (a port), got an array'),
                ('{"id": "p"}', 'no binding fields'),
                ('{"port": {"id": "p"}}', 'no binding fields'),
                ('[' * 100000 + ']' * 100000, 'JSON nested too deeply'),
                (' ' * (_portfile.MAX_PORT_SIZE + 1), 'more than'),
                ('{"binding:profile": 7}',
                 'binding:profile must be an object, not a number'),
                ('{"binding_vif_details": "{oops"}',
                 'binding_vif_details is text that is not a JSON object'),
                ('{"binding:vif_type": ["ovs"]}',
                 'binding:vif_type must be a string, not an array')):
            self.assertUnreadable(data, reason)

    @hypothesis.settings(max_examples=200)
    @hypothesis.given(st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
    def test_any_json_is_a_port_or_a_clear_error(self, doc):
        for candidate in (doc, {'binding:profile': doc},
                          {'binding_vif_details': doc}):
            try:
                port = _portfile.parse(json.dumps(candidate), 'x')
            except _portfile.PortUnreadable:
                continue
            self.assertIsInstance(port.profile, dict)
            self.assertIsInstance(port.vif_details, dict)
            self.assertIsInstance(port.vif_type, str)


class TestRead(base.TestCase):

    def test_file_and_stream(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'p')
        with open(path, 'w') as stream:
            json.dump(API_PORT, stream)
        self.assertEqual(API_PORT, _portfile.read_file(path).raw)
        stream = io.BytesIO(json.dumps(API_PORT).encode())
        self.assertEqual(API_PORT, _portfile.read_stream(stream, '-').raw)

    def test_missing_file(self):
        exc = self.assertRaises(_portfile.PortUnreadable,
                                _portfile.read_file, '/nonexistent/p.json')
        self.assertEqual('Cannot read a port from /nonexistent/p.json: No '
                         'such file or directory', str(exc))

    def test_directory(self):
        path = self.useFixture(fixtures.TempDir()).path
        exc = self.assertRaises(_portfile.PortUnreadable,
                                _portfile.read_file, path)
        self.assertIn('Is a directory', str(exc))
