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

"""Hostile binding:profile values, for every test that sends them.

No neutron import: the in-process Neutron tests (tests/neutron) and the
end-to-end tests against a real control plane (tests/e2e) share them.
"""

import base64
import json
import zlib

import os_vif_hostinfo as hi
from os_vif_hostinfo import neutron as hn
from tests import samples

KEY = hn.PROFILE_KEY


def compact(table_text):
    """A compact-form value holding ``table_text``, valid or not."""
    return hn.COMPACT_PREFIX + base64.b85encode(
        zlib.compress(table_text.encode('utf-8'), 9)).decode('ascii')


def nested(depth):
    value = {}
    for _ in range(depth):
        value = {'a': value}
    return value


def hostile_profiles():
    """(name, binding:profile) pairs, each under Neutron's 4095 limit."""
    plain = json.loads(hi.serialize(samples.sample_host()))
    wrong_list = json.loads(json.dumps(plain))
    wrong_list['versioned_object.data']['plugin_info'] = 'ovs'
    wrong_field = json.loads(json.dumps(plain))
    wrong_field['versioned_object.data']['plugin_info'][0][
        'versioned_object.data']['plugin_name'] = 42
    wrong_namespace = dict(plain, **{'versioned_object.namespace': 'nova'})
    unknown_object = dict(plain, **{'versioned_object.name': 'Bogus'})
    bad_version = dict(plain, **{'versioned_object.version': '1.x'})
    deep_lists = {'versioned_object.data': json.loads('[' * 200 + ']' * 200)}
    return [
        ('number', {KEY: 42}),
        ('boolean', {KEY: True}),
        ('null', {KEY: None}),
        ('array', {KEY: ['ovs', 'VIFOpenVSwitch']}),
        ('garbage text', {KEY: 'ovs VIFOpenVSwitch 1.0, trust me'}),
        ('garbage compact', {KEY: hn.COMPACT_PREFIX + '~~~~not base85'}),
        ('not zlib', {KEY: hn.COMPACT_PREFIX + base64.b85encode(
            b'plain bytes').decode('ascii')}),
        ('bad table', {KEY: compact('["1.1", [], [7, 7, 7]]')}),
        ('list as a string', {KEY: wrong_list}),
        ('number as a name', {KEY: wrong_field}),
        ('foreign namespace', {KEY: wrong_namespace}),
        ('unknown object', {KEY: unknown_object}),
        ('bad version', {KEY: bad_version}),
        ('deep dicts', {KEY: nested(150)}),
        ('deep lists', {KEY: deep_lists}),
        # 2 MiB of one string in about 3,000 characters.
        ('compression bomb', {KEY: compact(
            '["1.1", ["' + 'a' * (2 << 20) + '"], [0]]')}),
        # A small table naming one 200 kB string ten thousand times.
        ('expansion bomb', {KEY: compact(json.dumps(
            ['1.1', ['x' * 200000], [10000] + [0, 0] * 10000]))}),
        ('major version 2', {KEY: compact('["2.0", [], [0]]')}),
    ]
