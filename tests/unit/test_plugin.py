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

import os_vif_hostinfo
from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin
from tests import base


class TestPluginBase(base.TestCase):

    def test_describe_is_abstract(self):
        class Lazy(plugin.PluginBase):
            pass

        error = self.assertRaises(TypeError, Lazy)
        self.assertIn('describe', str(error))

    def test_subclass(self):
        class Mine(plugin.PluginBase):
            def describe(self):
                return objects.HostPluginInfo(plugin_name='mine')

        info = Mine().describe()
        self.assertEqual('mine', info.plugin_name)
        self.assertEqual([], info.vif_info)

    def test_namespace(self):
        self.assertEqual('os_vif_hostinfo.plugins', plugin.NAMESPACE)

    def test_public_names(self):
        self.assertIs(plugin.PluginBase, os_vif_hostinfo.PluginBase)
        for name in ('PluginBase', 'HostInfoProvider', 'host_info'):
            self.assertIn(name, os_vif_hostinfo.__all__)
            self.assertTrue(callable(getattr(os_vif_hostinfo, name)))
