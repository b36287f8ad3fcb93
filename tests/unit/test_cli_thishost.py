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

"""This host's name as Nova reports it (os_vif_hostinfo.cli._thishost)."""

import os

import fixtures

from os_vif_hostinfo.cli import _thishost
from tests import base


class TestThisHost(base.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.useFixture(fixtures.MockPatch(
            'socket.gethostname', return_value='box-7'))

    def conf(self, text):
        path = os.path.join(self.dir, 'nova.conf')
        with open(path, 'w') as stream:
            stream.write(text)
        return path

    def test_default_host_of_nova_conf(self):
        path = self.conf('[DEFAULT]\nhost = compute-1\ndebug = true\n'
                         '[DEFAULT]\nhost = compute-1\n[libvirt]\nx = %(y)s\n')
        self.assertEqual(_thishost.ThisHost(
            'compute-1', '[DEFAULT] host of %s' % path),
            _thishost.identify(path))
        self.assertEqual('compute-1', _thishost.this_host(path))

    def test_hostname_without_the_option(self):
        for text in ('[DEFAULT]\ndebug = true\n', '[DEFAULT]\nhost =\n',
                     '[libvirt]\nhost = not-this\n', 'no section\n', ''):
            self.assertEqual(
                _thishost.ThisHost('box-7', 'the hostname'),
                _thishost.identify(self.conf(text)), text)

    def test_hostname_without_a_readable_file(self):
        missing = os.path.join(self.dir, 'missing.conf')
        self.assertEqual('box-7', _thishost.this_host(missing))
        binary = os.path.join(self.dir, 'binary.conf')
        with open(binary, 'wb') as stream:
            stream.write(b'[DEFAULT]\nhost = \xff\n')
        self.assertEqual('box-7', _thishost.this_host(binary))
        self.assertEqual('box-7', _thishost.this_host(self.dir))
