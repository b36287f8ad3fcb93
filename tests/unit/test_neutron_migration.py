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

"""Tests of os_vif_hostinfo.neutron.migration and reading bindings.

The same flows run against a real Neutron in tests/e2e/test_binding.py;
here a fake port-bindings API answers as Neutron 29.0.0 does (a failed
binding is HTTP 500 with no body to read; one binding per host).
"""

import os_vif_hostinfo as hi
from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from tests import base
from tests import samples

HOST = 'compute-2'


class HttpError(Exception):
    """As openstacksdk's HttpException: carries ``status_code``."""

    def __init__(self, status_code, message=''):
        super().__init__('%d: %s' % (status_code, message))
        self.status_code = status_code


class FakeBindingsAPI:
    """POST/DELETE /ports/{id}/bindings as Neutron answers them."""

    def __init__(self, pin=None, candidates=('VIFOpenVSwitch',)):
        self.pin = pin
        self.candidates = list(candidates)
        self.bindings = {}
        self.calls = []

    def create(self, body):
        self.calls.append(('create', body['host'], body['profile'][
            hn.PROFILE_KEY]['versioned_object.version']))
        if body['host'] in self.bindings:
            raise HttpError(409, 'PortBindingAlreadyExists')
        decision = hn.decide_binding(body['profile'], self.candidates,
                                     pin=self.pin)
        if decision is None or not decision.bound:
            # Neutron stores nothing and answers PortBindingError.
            raise HttpError(500, 'PortBindingError')
        binding = {'host': body['host'], 'vif_type': decision.vif_type,
                   'vif_details': decision.vif_details,
                   'profile': body['profile'], 'status': 'INACTIVE'}
        self.bindings[body['host']] = binding
        return {'binding': binding}

    def delete(self, host):
        self.calls.append(('delete', host))
        self.bindings.pop(host, None)

    def sender(self, host=HOST):
        return hn.binding_sender(self.create, host,
                                 delete_binding=lambda: self.delete(host))


def ovs_host():
    return hi.HostInfo(plugin_info=[samples.plugin('ovs', [
        samples.vif('VIFOpenVSwitch')])])


class TestReadBinding(base.TestCase):

    def details(self):
        return {hn.VIF_DETAILS_PLUGIN: 'ovs',
                hn.VIF_DETAILS_OBJECT: 'VIFOpenVSwitch',
                hn.VIF_DETAILS_VERSION: '1.0'}

    def test_reads_a_binding_body_and_its_wrapper(self):
        body = {'host': HOST, 'vif_type': 'ovs', 'status': 'INACTIVE',
                'vif_details': self.details(), 'profile': {}}
        expected = hi.VIFChoice('ovs', 'VIFOpenVSwitch', '1.0')
        self.assertEqual(expected, hn.read_binding(body))
        self.assertEqual(expected, hn.read_binding({'binding': body}))

    def test_a_failed_binding_names_its_host(self):
        body = {'host': HOST, 'vif_type': 'binding_failed',
                'vif_details': {}}
        exc = self.assertRaises(exception.BindingFailed, hn.read_binding,
                                body)
        self.assertIn('host %s' % HOST, str(exc))

    def test_none_from_an_sdk_resource_falls_through_to_the_next_key(self):
        # openstacksdk answers None for attributes it has not set.
        class Resource(dict):
            def __getitem__(self, key):
                return dict.get(self, key)
        body = Resource(host=HOST, vif_type='ovs',
                        vif_details=self.details())
        self.assertEqual('VIFOpenVSwitch',
                         hn.read_binding(body).vif_object_name)


class TestBindingSender(base.TestCase):

    def test_binds_in_one_request(self):
        api = FakeBindingsAPI()
        choice = hi.negotiate(ovs_host(), api.sender(), peer='neutron',
                              cache=hi.PeerCache())
        self.assertEqual('VIFOpenVSwitch', choice.vif_object_name)
        self.assertEqual([('create', HOST, '1.1')], api.calls)

    def test_a_500_steps_down_once_and_is_remembered(self):
        api = FakeBindingsAPI(pin='1.0')
        cache = hi.PeerCache()
        hi.negotiate(ovs_host(), api.sender(), peer='neutron', cache=cache)
        self.assertEqual([('create', HOST, '1.1'), ('create', HOST, '1.0')],
                         api.calls)
        api.calls.clear()
        api.bindings.clear()
        hi.negotiate(ovs_host(), api.sender(), peer='neutron', cache=cache)
        self.assertEqual([('create', HOST, '1.0')], api.calls)

    def test_never_more_than_two_requests(self):
        api = FakeBindingsAPI(candidates=['VIFVHostUser:1.0'])
        # 1.1 fails, 1.0 fails too: no version is left to try.
        exc = self.assertRaises(exception.BindingFailed, hi.negotiate,
                                ovs_host(), api.sender(), peer='neutron',
                                cache=hi.PeerCache())
        self.assertEqual(2, len(api.calls))
        self.assertIn('at HostInfo 1.0 (HTTP 500', str(exc))

    def test_a_500_at_the_oldest_version_is_binding_failed(self):
        api = FakeBindingsAPI(candidates=['VIFVHostUser:1.0'])
        send = api.sender()
        exc = self.assertRaises(exception.BindingFailed, send,
                                hi.serialize(ovs_host(), '1.0'))
        self.assertIn('HostInfo 1.0', str(exc))
        self.assertIn(HOST, str(exc))

    def test_a_left_over_binding_is_replaced(self):
        api = FakeBindingsAPI()
        api.bindings[HOST] = {'host': HOST}
        hi.negotiate(ovs_host(), api.sender(), cache=hi.PeerCache())
        self.assertEqual([('create', HOST, '1.1'), ('delete', HOST),
                          ('create', HOST, '1.1')], api.calls)

    def test_a_conflict_without_delete_binding_propagates(self):
        api = FakeBindingsAPI()
        api.bindings[HOST] = {'host': HOST}
        send = hn.binding_sender(api.create, HOST)
        exc = self.assertRaises(HttpError, send, hi.serialize(ovs_host()))
        self.assertEqual(409, exc.status_code)

    def test_transport_errors_propagate(self):
        def create(body):
            raise ConnectionError('neutron is down')
        send = hn.binding_sender(create, HOST)
        self.assertRaises(ConnectionError, send, hi.serialize(ovs_host()))

    def test_nova_keys_are_kept_beside_host_info(self):
        api = FakeBindingsAPI()
        send = hn.binding_sender(api.create, HOST,
                                 profile={'pci_slot': '0000:81:00.2'})
        send(hi.serialize(ovs_host()))
        self.assertEqual('0000:81:00.2',
                         api.bindings[HOST]['profile']['pci_slot'])

    def test_a_host_is_required(self):
        for host in ('', None, 42):
            self.assertRaises(exception.InvalidArgument, hn.binding_sender,
                              lambda body: body, host)
