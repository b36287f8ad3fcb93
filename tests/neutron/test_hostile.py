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

"""Hostile profiles and the size limit, against a real Neutron."""

import hashlib

from neutron_lib.api.definitions import portbindings
from oslo_serialization import jsonutils
import webob.exc

import os_vif_hostinfo as hi
from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from tests import hostile
from tests.neutron import base
from tests import samples

KEY = hn.PROFILE_KEY


class TestHostileProfiles(base.ML2TestCase):

    def test_each_fails_one_binding_and_the_next_port_binds(self):
        good = hn.binding_profile(hi.host_info())
        for name, profile in hostile.hostile_profiles():
            self.assertLess(len(jsonutils.dumps(profile)),
                            hn.MAX_PROFILE_LENGTH, name)
            # bind() asserts 200: never a 500.
            port = self.bind(profile)
            self.assertEqual(portbindings.VIF_TYPE_BINDING_FAILED,
                             port[portbindings.VIF_TYPE], name)
            body = port[portbindings.VIF_DETAILS][hn.VIF_DETAILS_ERROR]
            self.assertIn(body['error']['code'],
                          ('host_info_error', 'unsupported_version'), name)
            self.assertRaises(exception.HostInfoError, hn.read_binding,
                              port)
            self.assertEqual(profile, self.show(port['id'])[
                portbindings.PROFILE], name)
            if name == 'garbage text':
                base.check_fixture(self, 'hostile', self.show(port['id']))
            after = self.bind(good)
            self.assertEqual(portbindings.VIF_TYPE_OVS,
                             after[portbindings.VIF_TYPE], name)

    def test_bombs_are_refused_for_their_size(self):
        profiles = dict(hostile.hostile_profiles())
        for name, words in (('compression bomb', 'decompresses to more'),
                            ('expansion bomb', 'expands to more')):
            port = self.bind(profiles[name])
            body = port[portbindings.VIF_DETAILS][hn.VIF_DETAILS_ERROR]
            self.assertEqual('MalformedPayload', body['error']['type'])
            self.assertIn(words, body['error']['message'])

    def test_neutron_itself_fails_on_very_deep_profiles(self):
        # neutron_lib's DB retry decorator deep-copies the request, which
        # overflows Python's stack near 500 levels: a 500 from Neutron
        # whatever the key, before any mechanism driver is asked.
        for key in (KEY, 'not_ours'):
            port = self.new_port()
            profile = {key: hostile.nested(500)}
            self.update_binding(
                port['id'], {portbindings.HOST_ID: base.HOST,
                             portbindings.PROFILE: profile},
                expected=webob.exc.HTTPInternalServerError.code)

    def test_non_dict_profile_is_neutrons_own_400(self):
        port = self.new_port()
        res = self.update_binding(
            port['id'], {portbindings.HOST_ID: base.HOST,
                         portbindings.PROFILE: 'not a dict'},
            expected=webob.exc.HTTPBadRequest.code)
        self.assertIn(b'binding:profile', res.body)


class TestProfileLimit(base.ML2TestCase):
    """Neutron's limit, measured: 4,095 characters pass, 4,096 do not."""

    def padded(self, length):
        """A profile whose JSON text, as Neutron writes it, is ``length``."""
        profile = {'pad': ''}
        profile['pad'] = 'x' * (length - len(jsonutils.dumps(profile)))
        self.assertEqual(length, len(jsonutils.dumps(profile)))
        return profile

    def test_4096_characters_get_neutrons_400(self):
        port = self.new_port()
        res = self.update_binding(
            port['id'], {portbindings.HOST_ID: base.HOST,
                         portbindings.PROFILE: self.padded(4096)},
            expected=webob.exc.HTTPBadRequest.code)
        self.assertIn(b'binding:profile value too large', res.body)

    def test_4095_characters_are_stored(self):
        port = self.bind(self.padded(hn.MAX_PROFILE_LENGTH))
        self.assertEqual(self.padded(hn.MAX_PROFILE_LENGTH),
                         port[portbindings.PROFILE])

    def test_binding_profile_at_the_limit_is_accepted_and_binds(self):
        info = hi.host_info()
        # Padding large enough for the compact form, the smallest one.
        wide = hn.binding_profile(info, {'pad': 'x' * 3000})
        self.assertTrue(wide[KEY].startswith(hn.COMPACT_PREFIX))
        pad = 3000 + hn.MAX_PROFILE_LENGTH - hn.profile_length(wide)
        profile = hn.binding_profile(info, {'pad': 'x' * pad})
        self.assertEqual(hn.MAX_PROFILE_LENGTH, hn.profile_length(profile))
        port = self.bind(profile)
        self.assertEqual(portbindings.VIF_TYPE_OVS,
                         port[portbindings.VIF_TYPE])
        self.assertEqual(profile, self.show(port['id'])[
            portbindings.PROFILE])
        # One more character and binding_profile refuses, before Neutron.
        self.assertRaises(exception.ProfileTooLarge, hn.binding_profile,
                          info, {'pad': 'x' * (pad + 1)})

    def test_profile_too_large_raises_before_neutron_is_asked(self):
        # Names that do not compress: 300 plugins of 64 hex digits each.
        huge = hi.HostInfo(plugin_info=[
            samples.plugin(hashlib.sha256(b'%d' % n).hexdigest(),
                           [samples.vif('VIFOpenVSwitch')])
            for n in range(300)])
        port = self.new_port()
        calls = []
        self.assertRaises(
            exception.ProfileTooLarge, hi.negotiate, huge,
            hn.port_sender(self.updater(port['id'], calls=calls),
                           base.NOVA_KEYS),
            peer='neutron', cache=hi.PeerCache())
        self.assertEqual([], calls)
        self.assertEqual(portbindings.VIF_TYPE_UNBOUND,
                         self.show(port['id'])[portbindings.VIF_TYPE])
