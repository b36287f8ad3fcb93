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

import os

import fixtures
from oslo_config import cfg
from oslo_config import generator
import stevedore

from os_vif_hostinfo import opts
from os_vif_hostinfo import wire
from tests import base


class TestOpts(base.TestCase):

    def conf(self, text=None):
        conf = cfg.ConfigOpts()
        opts.register_opts(conf)
        files = []
        if text is not None:
            path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                'test.conf')
            with open(path, 'w') as f:
                f.write(text)
            files = [path]
        conf(args=[], default_config_files=files)
        return conf

    def test_defaults(self):
        group = self.conf().os_vif_hostinfo
        self.assertEqual('os_vif_hostinfo', group.topic)
        self.assertIsNone(group.pin)
        self.assertEqual(30.0, group.timeout)
        self.assertEqual(1024, group.peer_cache_size)
        self.assertEqual(3600.0, group.peer_reprobe_interval)
        self.assertEqual(wire.DEFAULT_MAX_SIZE, group.max_payload_size)

    def test_read_from_file(self):
        group = self.conf('[os_vif_hostinfo]\ntopic = t\npin = 1.0\n'
                          'timeout = 2.5\npeer_cache_size = 3\n'
                          'peer_reprobe_interval = 0\n').os_vif_hostinfo
        self.assertEqual(('t', '1.0', 2.5, 3, 0.0),
                         (group.topic, group.pin, group.timeout,
                          group.peer_cache_size, group.peer_reprobe_interval))

    def test_bad_values_are_refused(self):
        for line in ('pin = 1.x', 'pin = 01.0', 'timeout = 0',
                     'max_payload_size = 0', 'max_payload_size = x',
                     'peer_cache_size = 0', 'peer_reprobe_interval = -1'):
            conf = self.conf('[os_vif_hostinfo]\n%s\n' % line)
            name = line.split(' ')[0]
            self.assertRaises(cfg.ConfigFileValueError, getattr,
                              conf.os_vif_hostinfo, name)

    def test_max_payload_size_from_file(self):
        group = self.conf('[os_vif_hostinfo]\nmax_payload_size = 4194304\n'
                          ).os_vif_hostinfo
        self.assertEqual(4 * 1024 * 1024, group.max_payload_size)

    def test_register_twice(self):
        conf = cfg.ConfigOpts()
        opts.register_opts(conf)
        opts.register_opts(conf)
        self.assertEqual('os_vif_hostinfo', conf.os_vif_hostinfo.topic)

    def test_overrides_do_not_leak_between_confs(self):
        first = cfg.ConfigOpts()
        second = cfg.ConfigOpts()
        opts.register_opts(first)
        opts.register_opts(second)
        first.set_override('topic', 'mine', group='os_vif_hostinfo')
        self.assertEqual('os_vif_hostinfo', second.os_vif_hostinfo.topic)

    def test_list_opts(self):
        listed = opts.list_opts()
        self.assertEqual(1, len(listed))
        group, options = listed[0]
        self.assertEqual('os_vif_hostinfo', group.name)
        self.assertEqual(
            ['max_payload_size', 'peer_cache_size', 'peer_reprobe_interval',
             'pin', 'timeout', 'topic'], sorted(o.name for o in options))
        for opt in options:
            self.assertTrue(opt.help)

    def test_entry_point(self):
        manager = stevedore.NamedExtensionManager(
            'oslo.config.opts', names=['os_vif_hostinfo'])
        self.assertEqual(['os_vif_hostinfo'], manager.names())
        self.assertIs(opts.list_opts, manager['os_vif_hostinfo'].plugin)

    def test_config_generator_documents_the_group(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'sample.conf')
        conf = cfg.ConfigOpts()
        generator.register_cli_opts(conf)
        conf(['--namespace', 'os_vif_hostinfo', '--output-file', path])
        generator.generate(conf)
        with open(path) as f:
            sample = f.read()
        self.assertIn('[os_vif_hostinfo]', sample)
        self.assertIn('#topic = os_vif_hostinfo', sample)
        self.assertIn('#peer_cache_size = 1024', sample)
