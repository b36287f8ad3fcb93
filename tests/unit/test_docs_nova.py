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

"""The docs lead a stuck operator and a Nova developer where they need.

The Nova names were checked against Nova's tree (the commit the guide
names); Nova is not installed in any test environment, so what is tested
here is that the guide names each place, and that the os-vif facts it
states hold for the os-vif installed.
"""

import pathlib
import re

from os_vif_hostinfo.neutron import binding
from tests import base

DOC = pathlib.Path(__file__).parents[2] / 'doc' / 'source'


class TestFrontPage(base.TestCase):

    def test_a_port_that_did_not_bind_is_the_first_pointer(self):
        index = (DOC / 'index.rst').read_text()
        start = index[index.index('Where to start'):]
        first = start.split('\n* ')[1]
        self.assertIn('did not bind', first)
        self.assertIn(':ref:`operators-why-not-bound`', first)
        guide = (DOC / 'guides' / 'operators.rst').read_text()
        self.assertRegex(guide, r'\.\. _operators-why-not-bound:\n\n'
                                r'Why did my port not bind\?\n---')


class TestNovaPointers(base.TestCase):

    def setUp(self):
        super().setUp()
        text = (DOC / 'guides' / 'neutron-binding.rst').read_text()
        self.section = text[text.index("Where this meets Nova's code"):]
        self.section = ' '.join(self.section.split())

    def test_names_the_places(self):
        for name in ('nova.network.neutron.API', 'allocate_for_instance',
                     '_update_ports_for_instance',
                     '_populate_neutron_extension_values',
                     '_populate_neutron_binding_profile',
                     'API.bind_ports_to_host', 'port_profiles',
                     '_bind_ports_on_destination',
                     'migrate_instance_finish',
                     '_update_port_binding_for_instance',
                     'nova.network.os_vif_util', 'nova_to_osvif_vif',
                     'LibvirtGenericVIFDriver', 'os_vif.plug',
                     'os_vif_version'):
            self.assertRegex(self.section, r'``([\w.]+\.)?%s\b'
                             % re.escape(name))

    def test_os_vif_facts_hold(self):
        from os_vif.objects import vif as osvif_vif
        for name in re.findall(r'``(VIF[A-Z]\w+)``', self.section):
            self.assertTrue(hasattr(osvif_vif, name), name)
        # The details that pick the class are the ones decisions set.
        for key in ('ovs_hybrid_plug', 'vhostuser_ovs_plug'):
            self.assertIn('``%s``' % key, self.section)
            self.assertIn(key, {k for details in
                                binding.VIF_DETAILS_FOR.values()
                                for k in details})
