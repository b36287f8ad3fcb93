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

"""The saved port fixtures: both key styles, and what read_binding says.

The ports themselves are compared with what Neutron answers now by the
tests that make them (tests.neutron.base.check_fixture).
"""

import os

import testtools

from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from tests.neutron import base

#: Fixture name -> what read_binding makes of it.
EXPECTED = {
    'bound': None,
    'refused': exception.UnsupportedVersion,
    'no_common_vif': exception.BindingFailed,
    'legacy': exception.BindingFailed,
    'hostile': exception.BindingFailed,
}


class TestPortFixtures(testtools.TestCase):

    def test_every_fixture_is_saved_in_both_styles(self):
        for style in ('api', 'cli'):
            names = sorted(name[:-len('.json')] for name in os.listdir(
                os.path.join(base.FIXTURES, style)))
            self.assertEqual(sorted(EXPECTED), names, style)

    def test_cli_style_is_the_api_port_renamed(self):
        for name in EXPECTED:
            api = base.load_fixture(name, 'api')
            cli = base.load_fixture(name, 'cli')
            self.assertEqual(base.cli_style(api), cli, name)
            self.assertIn('binding:vif_type', api)
            self.assertIn('binding_vif_type', cli)

    def test_read_binding_reads_both_styles_alike(self):
        for name, error in EXPECTED.items():
            for style in ('api', 'cli'):
                port = base.load_fixture(name, style)
                if error is None:
                    choice = hn.read_binding(port)
                    self.assertEqual('VIFOpenVSwitch',
                                     choice.vif_object_name)
                else:
                    self.assertRaises(error, hn.read_binding, port)
