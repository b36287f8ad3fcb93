"""Describe one plugin by hand and print what goes on the wire.

The ranges are what os-vif 5.3.0's ``ovs`` plugin declares.
"""

import json

import os_vif_hostinfo as hi

info = hi.HostInfo(plugin_info=[
    hi.HostPluginInfo(plugin_name='ovs', vif_info=[
        hi.HostVIFInfo(
            vif_object_name='VIFOpenVSwitch',
            min_version='1.0', max_version='1.0',
            supported_port_profiles=[
                hi.HostPortProfileInfo(
                    profile_object_name='VIFPortProfileOpenVSwitch',
                    min_version='1.0', max_version='1.0'),
            ]),
    ]),
])

# serialize() writes compact JSON; it is indented here for reading.
for version in ('1.1', '1.0'):
    text = hi.serialize(info, target_version=version)
    print('HostInfo %s, %d bytes on the wire:' % (version, len(text)))
    print(json.dumps(json.loads(text), indent=1, sort_keys=True))
    assert hi.deserialize(text).plugin_info[0].plugin_name == 'ovs'
