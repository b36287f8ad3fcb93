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

"""``preflight`` agrees with the reference driver inside a real Neutron.

For each offer and pin, the driver ML2 loaded is set to offer it, a real
port is negotiated through the API as Nova-side code does it (negotiate
over port_sender), and the outcome is compared with what preflight
predicts for the same host.
"""

import itertools
from unittest import mock

from neutron_lib.api.definitions import portbindings

import os_vif_hostinfo as hi
from os_vif_hostinfo.cli import explain
from os_vif_hostinfo.cli import preflight
from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from os_vif_hostinfo.neutron import binding
from os_vif_hostinfo.neutron.ml2 import mixin
from tests.neutron import base
from tests import samples

OFFERS = (
    ['VIFOpenVSwitch'],
    ['VIFVHostUser:1.0', 'VIFOpenVSwitch'],
    ['VIFDirect'],
)
PINS = (None, '1.0')


class TestPreflightAgreesWithTheDriver(base.ML2TestCase):

    def hosts(self):
        return {
            'shipped': hi.host_info(),
            'sample': samples.sample_host(),
        }

    def offer(self, candidates, pin):
        """Make the loaded reference driver offer ``candidates`` at ``pin``."""
        driver = self.mech()
        driver.candidates = list(candidates)
        driver.host_info_pin = pin
        driver.reset_host_info_decoder()

    def negotiate(self, info):
        """Bind a new port with ``info`` the way Nova-side code does."""
        port_id = self.new_port()['id']
        calls = []
        send = hn.port_sender(self.updater(port_id, calls=calls))
        try:
            choice = hi.negotiate(info, send, cache=hi.PeerCache())
        except exception.HostInfoError as exc:
            choice = exc
        return choice, len(calls), self.show(port_id)

    def test_table(self):
        for (label, info), offer, pin in itertools.product(
                self.hosts().items(), OFFERS, PINS):
            case = (label, offer, pin)
            self.offer(offer, pin)
            real, updates, port = self.negotiate(info)
            predicted = preflight.preflight(info, offer, pin)
            self.assertEqual(updates, len(predicted.attempts), case)
            decision = predicted.attempts[-1].decision
            self.assertEqual(decision.vif_type,
                             port[portbindings.VIF_TYPE], case)
            if isinstance(real, hi.VIFChoice):
                self.assertEqual(explain.BOUND, predicted.status, case)
                self.assertEqual(real, decision.choice, case)
                details = port[portbindings.VIF_DETAILS]
                for key, value in decision.vif_details.items():
                    self.assertEqual(value, details[key], case)
            else:
                self.assertEqual(explain.FAILED, predicted.status, case)
                self.assertIsNone(decision.choice, case)
                self.assertEqual(
                    decision.error.to_dict(),
                    port[portbindings.VIF_DETAILS][hn.VIF_DETAILS_ERROR],
                    case)

    def test_one_function_decides_both(self):
        # The driver's mixin and preflight both look decide_binding up in
        # its own module at each call: patched there, both run the patch.
        self.assertIs(mixin.binding, binding)
        info = hi.host_info()
        self.offer(['VIFOpenVSwitch'], None)
        real = binding.decide_binding
        with mock.patch.object(binding, 'decide_binding',
                               side_effect=real) as spy:
            self.negotiate(info)
            by_driver = spy.call_count
            preflight.preflight(info, ['VIFOpenVSwitch'])
        self.assertGreaterEqual(by_driver, 1)
        self.assertEqual(by_driver + 1, spy.call_count)
