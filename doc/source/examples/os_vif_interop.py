"""Exchange HostInfo payloads with os-vif 5.3.0 in both directions."""

import json

from os_vif import objects as osv_objects
from os_vif.objects import host_info as osv
from oslo_versionedobjects import exception as ovo_exception

import os_vif_hostinfo as hi

osv_objects.register_all()


def describe(lib):
    """The same one-plugin host, built with either library's classes."""
    return lib.HostInfo(plugin_info=[lib.HostPluginInfo(
        plugin_name='ovs', vif_info=[lib.HostVIFInfo(
            vif_object_name='VIFOpenVSwitch',
            min_version='1.0', max_version='1.0',
            supported_port_profiles=[lib.HostPortProfileInfo(
                profile_object_name='VIFPortProfileOpenVSwitch',
                min_version='1.0', max_version='1.4')])])])


def carried(primitive, found=None):
    """Every 'Object version' inside a primitive, outermost first."""
    found = [] if found is None else found
    here = '%s %s' % (primitive['versioned_object.name'],
                      primitive['versioned_object.version'])
    if here not in found:
        found.append(here)
    for value in primitive['versioned_object.data'].values():
        if isinstance(value, list):
            for item in value:
                carried(item, found)
    return ', '.join(found)


print('os-vif writes:')
for target in (None, '1.0'):
    primitive = describe(osv).obj_to_primitive(target_version=target)
    print('  asked for %-6s %s' % (target or 'newest', carried(primitive)))
    info = hi.deserialize(json.dumps(primitive))
    print('    os_vif_hostinfo reads it; port profiles kept: %s' % bool(
        info.plugin_info[0].vif_info[0].supported_port_profiles))

print('os_vif_hostinfo writes:')
for target in ('1.1', '1.0'):
    primitive = json.loads(hi.serialize(describe(hi), target))
    print('  asked for %-6s %s' % (target, carried(primitive)))
    try:
        info = osv.HostInfo.obj_from_primitive(primitive)
    except ovo_exception.IncompatibleObjectVersion as exc:
        print('    os-vif refuses it: %s' % exc)
        continue
    vif = info.plugin_info[0].vif_info[0]
    print('    os-vif reads it; supported_port_profiles set: %s'
          % vif.obj_attr_is_set('supported_port_profiles'))
