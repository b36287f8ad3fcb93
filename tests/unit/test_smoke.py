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
from tests import base


class TestPublicNames(base.TestCase):

    def test_round_trip(self):
        info = os_vif_hostinfo.HostInfo(plugin_info=[
            os_vif_hostinfo.HostPluginInfo(plugin_name='ovs', vif_info=[
                os_vif_hostinfo.HostVIFInfo(
                    vif_object_name='VIFOpenVSwitch', min_version='1.0',
                    max_version='1.0')])])
        text = os_vif_hostinfo.serialize(info)
        self.assertEqual(info, os_vif_hostinfo.deserialize(text))
