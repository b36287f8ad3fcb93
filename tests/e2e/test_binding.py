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

"""Port binding with HostInfo through a real Neutron, over HTTP only.

openstacksdk plays Nova: a port update with ``binding:host_id`` and
``binding:profile`` (a new instance), and the port-bindings API (a live
migration). Every answer comes from the API process under gunicorn, with
MariaDB behind it.
"""

import openstack.exceptions
from oslo_serialization import jsonutils

import os_vif_hostinfo as hi
from os_vif_hostinfo import exception
from os_vif_hostinfo import neutron as hn
from tests.e2e import base
from tests.e2e import cloud
from tests import hostile
from tests import samples
from tests import vifs

HOST = 'compute-1'
DEST = 'compute-2'


def port_updater(conn, port, calls, host=HOST):
    """``update_port(body)`` for port_sender, as Nova calls Neutron."""
    def update_port(body):
        calls.append(body)
        attrs = {'binding_profile': body['binding:profile'],
                 'binding_host_id': body.get('binding:host_id', host)}
        return conn.network.update_port(port, **attrs)
    return update_port


def ovs_host():
    """A host whose only plugin is Open vSwitch (VIFOpenVSwitch first)."""
    return hi.HostInfo(plugin_info=[samples.plugin('ovs', [
        samples.vif('VIFOpenVSwitch'), samples.vif('VIFVHostUser')])])


def vhostuser_host():
    """A host that plugs vhost-user only (a DPDK compute host)."""
    return hi.HostInfo(plugin_info=[samples.plugin('noop', [
        samples.vif('VIFVHostUser')])])


class TestPortSender(base.E2ETestCase):

    def test_port_sender_binds_and_check_vif_accepts(self):
        info = hi.host_info()
        port = self.cloud.new_port()
        calls = []
        choice = hi.negotiate(
            info, hn.port_sender(port_updater(self.conn, port, calls)),
            peer=self.cloud.api_url, cache=hi.PeerCache())
        self.assertEqual(1, len(calls))
        shown = self.conn.network.get_port(port.id)
        self.assertEqual('ovs', shown.binding_vif_type)
        self.assertEqual(choice, hn.read_binding(shown))
        self.assertEqual(('ovs', 'VIFOpenVSwitch'),
                         (choice.plugin_name, choice.vif_object_name))
        accepted = hi.check_vif(vifs.build_vif(shown, choice), info)
        self.assertEqual('VIFOpenVSwitch', accepted.vif_object_name)
        # What Neutron stored is what was sent, read back over HTTP.
        self.assertEqual(info, hn.read_profile(shown.binding_profile))

    def test_a_pinned_neutron_makes_negotiate_backlevel_once(self):
        pinned = self.cloud.start_api(pin='1.0')
        self.addCleanup(pinned.stop)
        cache = hi.PeerCache()
        info = hi.host_info()
        counts = []
        for _ in range(2):
            port = self.cloud.new_port(conn=pinned.conn)
            calls = []
            choice = hi.negotiate(
                info, hn.port_sender(port_updater(pinned.conn, port, calls)),
                peer=pinned.url, cache=cache)
            counts.append(len(calls))
            self.assertEqual('VIFOpenVSwitch', choice.vif_object_name)
            stored = calls[-1]['binding:profile'][hn.PROFILE_KEY]
            self.assertEqual('1.0', stored['versioned_object.version'])
        self.assertEqual([2, 1], counts)
        self.assertEqual('1.0', cache.get(pinned.url))

    def test_neutron_upgraded_under_a_running_compute_host(self):
        # The compute host talks to one Neutron URL throughout; the API
        # behind it is restarted without the pin (the upgrade is done).
        self.cloud.restart_api(pin='1.0')
        self.addCleanup(self.cloud.restart_api)
        clock = [0.0]
        cache = hi.PeerCache(reprobe_interval=60.0, clock=lambda: clock[0])
        info = hi.host_info()

        def bind_one():
            port = self.cloud.new_port()
            calls = []
            hi.negotiate(info, hn.port_sender(
                port_updater(self.cloud.conn, port, calls)),
                peer=self.cloud.api_url, cache=cache)
            return [c['binding:profile'][hn.PROFILE_KEY][
                'versioned_object.version'] for c in calls]

        self.assertEqual(['1.1', '1.0'], bind_one())
        self.cloud.restart_api()
        # Within the re-probe interval the remembered version is used ...
        clock[0] = 59.0
        self.assertEqual(['1.0'], bind_one())
        # ... and once it has passed, the host sends 1.1 again.
        clock[0] = 60.0
        self.assertEqual(['1.1'], bind_one())
        self.assertEqual('1.1', cache.get(self.cloud.api_url))


class TestLiveMigration(base.E2ETestCase):
    """Nova's live migration: an INACTIVE binding on the destination."""

    def migrate(self, conn, port, info, cache, peer):
        calls = []

        def create(body):
            calls.append(body)
            return conn.network.create_port_binding(
                port, project_id=cloud.PROJECT_ID, **body)

        send = hn.binding_sender(
            create, DEST,
            delete_binding=lambda: conn.network.delete_port_binding(
                port, DEST))
        return hi.negotiate(info, send, peer=peer, cache=cache), calls

    def bound_port(self, conn=None, version=None):
        conn = conn or self.conn
        port = self.cloud.new_port(conn=conn)
        return conn.network.update_port(
            port, binding_host_id=HOST,
            binding_profile=hn.binding_profile(ovs_host(),
                                               target_version=version))

    def test_destination_gets_its_own_choice_and_activate_moves_it(self):
        port = self.bound_port()
        self.assertEqual('ovs', port.binding_vif_type)
        choice, calls = self.migrate(self.conn, port, vhostuser_host(),
                                     hi.PeerCache(), self.cloud.api_url)
        self.assertEqual(1, len(calls))
        self.assertEqual(('noop', 'VIFVHostUser'),
                         (choice.plugin_name, choice.vif_object_name))
        bindings = {b.host: b for b in self.conn.network.port_bindings(port)}
        self.assertEqual({HOST: 'ACTIVE', DEST: 'INACTIVE'},
                         {h: b.status for h, b in bindings.items()})
        self.assertEqual('vhostuser', bindings[DEST].vif_type)
        self.assertEqual(choice, hn.read_binding(bindings[DEST]))
        # The API body of a binding reads the same.
        self.assertEqual(choice, hn.read_binding(
            {'binding': bindings[DEST].to_dict(computed=False)}))
        # The source keeps its own binding until Nova activates.
        self.assertEqual('ovs', self.conn.network.get_port(
            port.id).binding_vif_type)
        self.conn.network.activate_port_binding(port, DEST)
        moved = self.conn.network.get_port(port.id)
        self.assertEqual(DEST, moved.binding_host_id)
        self.assertEqual('vhostuser', moved.binding_vif_type)
        self.assertEqual(choice, hn.read_binding(moved))
        accepted = hi.check_vif(
            vifs.build_vif(moved, choice, 'VIFVHostUser'), vhostuser_host())
        self.assertEqual('VIFVHostUser', accepted.vif_object_name)

    def test_a_pinned_neutron_answers_500_and_the_sender_steps_down(self):
        pinned = self.cloud.start_api(pin='1.0')
        self.addCleanup(pinned.stop)
        cache = hi.PeerCache()
        counts = []
        for _ in range(2):
            port = self.bound_port(pinned.conn, version='1.0')
            choice, calls = self.migrate(pinned.conn, port,
                                         vhostuser_host(), cache, pinned.url)
            counts.append([c['profile'][hn.PROFILE_KEY][
                'versioned_object.version'] for c in calls])
            self.assertEqual('VIFVHostUser', choice.vif_object_name)
        # 1.1 refused with Neutron's 500, 1.0 bound; the next migration
        # sends 1.0 at once: never more than two requests.
        self.assertEqual([['1.1', '1.0'], ['1.0']], counts)

    def test_a_left_over_binding_is_replaced(self):
        port = self.bound_port()
        self.conn.network.create_port_binding(
            port, host=DEST, profile=hn.binding_profile(ovs_host()),
            project_id=cloud.PROJECT_ID)
        choice, calls = self.migrate(self.conn, port, vhostuser_host(),
                                     hi.PeerCache(), self.cloud.api_url)
        self.assertEqual('VIFVHostUser', choice.vif_object_name)
        (dest,) = self.conn.network.port_bindings(port, host=DEST)
        self.assertEqual('vhostuser', dest.vif_type)

    def test_no_common_vif_fails_after_two_requests(self):
        port = self.bound_port()
        nothing = hi.HostInfo(plugin_info=[samples.plugin('exotic', [
            samples.vif('VIFNestedDPDK')])])
        calls = []

        def create(body):
            calls.append(body)
            return self.conn.network.create_port_binding(
                port, project_id=cloud.PROJECT_ID, **body)

        send = hn.binding_sender(create, DEST)
        self.assertRaises(exception.BindingFailed, hi.negotiate, nothing,
                          send, peer='neutron', cache=hi.PeerCache())
        self.assertEqual(2, len(calls))
        self.assertEqual([], list(self.conn.network.port_bindings(
            port, host=DEST)))


class TestLimitsAndHostileProfiles(base.E2ETestCase):

    def padded(self, length):
        profile = {'pad': ''}
        profile['pad'] = 'x' * (length - len(jsonutils.dumps(profile)))
        self.assertEqual(length, len(jsonutils.dumps(profile)))
        return profile

    def test_the_profile_limit_measured_on_the_real_server(self):
        port = self.cloud.new_port()
        stored = self.conn.network.update_port(
            port, binding_host_id=HOST,
            binding_profile=self.padded(hn.MAX_PROFILE_LENGTH))
        self.assertEqual(self.padded(hn.MAX_PROFILE_LENGTH),
                         self.conn.network.get_port(
                             stored.id).binding_profile)
        exc = self.assertRaises(
            openstack.exceptions.BadRequestException,
            self.conn.network.update_port, port, binding_host_id=HOST,
            binding_profile=self.padded(hn.MAX_PROFILE_LENGTH + 1))
        self.assertIn('binding:profile value too large', str(exc))

    def test_hostile_profiles_never_get_a_5xx(self):
        # openstacksdk raises for any 4xx or 5xx: each call returning is
        # the assertion that Neutron answered 2xx.
        updated = self.cloud.new_port()
        for name, profile in hostile.hostile_profiles():
            created = self.cloud.new_port(binding_host_id=HOST,
                                          binding_profile=profile)
            self.assertEqual('binding_failed', created.binding_vif_type,
                             name)
            self.assertRaises(exception.HostInfoError, hn.read_binding,
                              created)
            updated = self.conn.network.update_port(
                updated, binding_host_id=HOST, binding_profile=profile)
            self.assertEqual('binding_failed', updated.binding_vif_type,
                             name)
            self.assertEqual(profile, updated.binding_profile, name)
        # The port that took every hostile profile binds with a good one.
        after = self.conn.network.update_port(
            updated, binding_profile=hn.binding_profile(hi.host_info()))
        self.assertEqual('ovs', after.binding_vif_type)
