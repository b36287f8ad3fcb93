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

"""[ml2_os_vif_hostinfo] options and the drivers' entry points."""

import os

import fixtures
from oslo_config import cfg
from oslo_config import generator
import stevedore
import testtools

from os_vif_hostinfo import exception
from os_vif_hostinfo.neutron.ml2 import config
from os_vif_hostinfo.neutron.ml2 import mech_driver


class TestOptions(testtools.TestCase):

    def conf(self, text=''):
        conf = cfg.ConfigOpts()
        config.register_opts(conf)
        config.register_opts(conf)
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'ml2_conf.ini')
        with open(path, 'w') as f:
            f.write(text)
        conf(args=[], default_config_files=[path])
        return conf

    def test_defaults(self):
        group = self.conf()[config.GROUP_NAME]
        self.assertEqual(['VIFOpenVSwitch'], group.vif_classes)
        self.assertIsNone(group.pin)
        self.assertEqual(128, group.decoder_cache_size)

    def test_read_from_file(self):
        group = self.conf('[ml2_os_vif_hostinfo]\n'
                          'vif_classes = VIFVHostUser:1.0, VIFOpenVSwitch\n'
                          'pin = 1.0\ndecoder_cache_size = 0\n'
                          )[config.GROUP_NAME]
        self.assertEqual(['VIFVHostUser:1.0', 'VIFOpenVSwitch'],
                         group.vif_classes)
        self.assertEqual('1.0', group.pin)
        self.assertEqual(0, group.decoder_cache_size)

    def test_bad_values_are_refused(self):
        for line in ('pin = 1.x', 'vif_classes = VIFOpenVSwitch:1',
                     'vif_classes = vif-ovs', 'decoder_cache_size = -1'):
            conf = self.conf('[ml2_os_vif_hostinfo]\n%s\n' % line)
            name = line.split(' ')[0]
            self.assertRaises(cfg.ConfigFileValueError, getattr,
                              conf[config.GROUP_NAME], name)

    def test_generator_documents_the_group(self):
        out = os.path.join(self.useFixture(fixtures.TempDir()).path,
                           'sample.conf')
        conf = cfg.ConfigOpts()
        generator.register_cli_opts(conf)
        conf(['--namespace', 'os_vif_hostinfo.ml2', '--output-file', out])
        generator.generate(conf)
        with open(out) as f:
            text = f.read()
        self.assertIn('[ml2_os_vif_hostinfo]', text)
        for name in ('vif_classes', 'pin', 'decoder_cache_size'):
            self.assertIn('#%s = ' % name, text)


class TestCandidates(testtools.TestCase):

    def setUp(self):
        super().setUp()
        mech_driver.load_os_vif_classes()

    def test_known_and_capped_names(self):
        self.assertEqual(
            ['VIFOpenVSwitch', 'VIFVHostUser:1.0', 'VIFFromElsewhere:2.3'],
            mech_driver.check_candidates(
                ['VIFOpenVSwitch', 'VIFVHostUser:1.0',
                 'VIFFromElsewhere:2.3']))

    def test_unknown_name_without_a_version_stops_start_up(self):
        err = self.assertRaises(exception.InvalidArgument,
                                mech_driver.check_candidates,
                                ['VIFOpenVSwitch', 'VIFNoSuchThing'])
        self.assertIn('VIFNoSuchThing', str(err))
        self.assertIn('vif_classes', str(err))

    def test_malformed_entry_stops_start_up(self):
        err = self.assertRaises(exception.InvalidArgument,
                                mech_driver.check_candidates,
                                ['VIFVHostUser:one'])
        self.assertIn('VIFVHostUser:one', str(err))


class TestEntryPoints(testtools.TestCase):

    def test_mechanism_drivers_load_by_name(self):
        from os_vif_hostinfo.neutron.ml2 import mech_openvswitch
        for name, cls in (
                ('os_vif_hostinfo', mech_driver.HostInfoMechanismDriver),
                ('openvswitch_hostinfo',
                 mech_openvswitch.OpenvswitchHostInfoMechanismDriver)):
            manager = stevedore.DriverManager(
                'neutron.ml2.mechanism_drivers', name, invoke_on_load=False)
            self.assertIs(cls, manager.driver)
