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

"""Small, fixed host information objects shared by tests."""

import copy
import json

from os_vif_hostinfo import objects


def profile(name='VIFPortProfileOpenVSwitch', low='1.0', high='1.0'):
    return objects.HostPortProfileInfo(
        profile_object_name=name, min_version=low, max_version=high)


def vif(name='VIFOpenVSwitch', low='1.0', high='1.0', profiles=()):
    return objects.HostVIFInfo(
        vif_object_name=name, min_version=low, max_version=high,
        supported_port_profiles=list(profiles))


def plugin(name='ovs', vifs=()):
    return objects.HostPluginInfo(plugin_name=name, vif_info=list(vifs))


def sample_host():
    """A HostInfo with something at every depth."""
    return objects.HostInfo(plugin_info=[
        plugin('linux_bridge', [vif('VIFBridge')]),
        plugin('ovs', [
            vif('VIFOpenVSwitch', profiles=[profile()]),
            vif('VIFVHostUser', '1.0', '1.1', profiles=[
                profile(), profile('VIFPortProfileOVSRepresentor',
                                   '1.0', '1.4')]),
        ]),
        plugin('noop', [vif('VIFVHostUser')]),
    ])


def sample(object_name):
    """A full sample object of class ``object_name``."""
    host = sample_host()
    ovs = host.get_plugin('ovs')
    vhu = ovs.get_vif('VIFVHostUser')
    return {
        'HostInfo': host,
        'HostPluginInfo': ovs,
        'HostVIFInfo': vhu,
        'HostPortProfileInfo': vhu.supported_port_profiles[1],
    }[object_name]


def without_port_profiles(obj):
    """A copy of ``obj`` with every supported_port_profiles emptied.

    That is what reading an object backleveled to 1.0 gives.
    """
    obj = copy.deepcopy(obj)
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, objects.HostVIFInfo):
            item.supported_port_profiles = []
        for field in item._list_fields:
            stack.extend(getattr(item, field))
    return obj


def json_depth(value):
    """How deeply JSON arrays and objects nest in ``value``."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def dumps(value):
    return json.dumps(value, allow_nan=False)


def large_host(plugins=100, vifs=20):
    """A HostInfo of 100 plugins x 20 VIF types, two port profiles each.

    As the benchmarks' large host: about 1.4 MB of JSON, over
    deserialize()'s default limit.
    """
    return objects.HostInfo(plugin_info=[
        plugin('plugin-%03d' % index, [
            vif('VIFType%02d' % number, '1.0', '1.%d' % (number % 4), [
                profile('VIFPortProfile%02d' % number, '1.0', '1.1'),
                profile('VIFPortProfileFP%02d' % number)])
            for number in range(vifs)])
        for index in range(plugins)])
