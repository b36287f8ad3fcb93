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

"""The demo's service host (os_vif_hostinfo.cli.demo.service)."""

import io
import warnings

import fixtures
from oslo_config import cfg

with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    import oslo_messaging

from os_vif_hostinfo.cli.demo import hosts as demo_hosts
from os_vif_hostinfo.cli.demo import narrator as demo_narrator
from os_vif_hostinfo.cli.demo import service as demo_service
from os_vif_hostinfo import opts
from os_vif_hostinfo import rpc
from os_vif_hostinfo import wire
from tests import base


class TestServiceHostStory(base.TestCase):
    """The service host's verdicts against misbehaving network hosts."""

    def setUp(self):
        super().setUp()
        self.conf = cfg.ConfigOpts()
        opts.register_opts(self.conf)
        self.conf.set_override('timeout', 5, group='os_vif_hostinfo')
        self.transport = oslo_messaging.get_rpc_transport(
            self.conf, url='fake://')
        self.addCleanup(self.transport.cleanup)
        self.out = io.StringIO()
        self.narrator = demo_narrator.Narrator(self.out, color=False)

    def serve(self, name, handler):
        server = rpc.get_server(self.transport, name, handler, self.conf)
        server.start()
        self.addCleanup(server.wait)
        self.addCleanup(server.stop)

    def test_vif_out_of_range_fails_the_run(self):
        good = demo_hosts.make_handler('rogue',
                                       demo_hosts.RELEASES['current'])

        def rogue(info):
            answer = good(info)
            answer['vif'][wire.KEY_VERSION] = '1.7'
            return answer
        self.serve('rogue', rogue)
        code = demo_service.run_service_host(
            rpc, self.conf, self.transport, 'c-1', ['rogue'], self.narrator)
        self.assertEqual(1, code)
        self.assertIn('check_vif: refused: VIF VIFVHostUser version 1.7',
                      self.out.getvalue())

    def test_missing_peer_fails_the_run(self):
        self.conf.set_override('timeout', 0.2, group='os_vif_hostinfo')
        code = demo_service.run_service_host(
            rpc, self.conf, self.transport, 'c-1', ['nobody'], self.narrator)
        self.assertEqual(1, code)
        self.assertIn('failed: Peer nobody did not answer',
                      self.out.getvalue())

    def test_calls_are_given_up_after_a_short_grace(self):
        seen = []
        real = rpc.HostInfoClient

        def client(*args, **kwargs):
            made = real(*args, **kwargs)
            seen.append(made.grace)
            return made
        self.useFixture(fixtures.MonkeyPatch(
            'os_vif_hostinfo.rpc.HostInfoClient', client))
        self.conf.set_override('timeout', 0.2, group='os_vif_hostinfo')
        demo_service.run_service_host(rpc, self.conf, self.transport, 'c-1',
                                      ['nobody'], self.narrator)
        self.assertEqual([demo_service.CALL_GRACE], seen)
