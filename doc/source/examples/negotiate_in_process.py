"""Negotiate with a network host that only reads HostInfo 1.0.

Both hosts live in this one process; ``send`` stands for the transport.
"""

from oslo_serialization import jsonutils

import os_vif_hostinfo as hi
from os_vif_hostinfo import exception


def network_host(payload):
    """An older network host: pinned to HostInfo 1.0."""
    try:
        info = hi.receive(payload, pin='1.0')
    except exception.UnsupportedVersion as exc:
        return jsonutils.dumps(exc.to_dict())
    # The VIF classes this network host can produce, and their versions.
    # With os-vif loaded (os_vif.objects.register_all()) leave registry out
    # and os-vif's own classes are used.
    produces = {'VIFOpenVSwitch': ['1.0'], 'VIFBridge': ['1.0']}
    choice = hi.choose_vif(info, ['VIFOpenVSwitch', 'VIFBridge'],
                           registry=produces)
    return jsonutils.dumps({'result': choice._asdict()})


def send(payload):
    """The service host's transport: deliver, and rebuild a refusal."""
    version = jsonutils.loads(payload)['versioned_object.version']
    print('-> HostInfo %s, %d bytes' % (version, len(payload)))
    reply = jsonutils.loads(network_host(payload))
    if 'error' in reply:
        print('<- refused: %s' % reply['error']['message'])
        raise exception.UnsupportedVersion.from_dict(reply)
    print('<- %s' % reply['result'])
    return reply['result']


info = hi.HostInfo(plugin_info=[
    hi.HostPluginInfo(plugin_name='ovs', vif_info=[
        hi.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                       min_version='1.0', max_version='1.0')]),
])
cache = hi.PeerCache()

print('first port:')
answer = hi.negotiate(info, send, peer='net-1', cache=cache)
print('remembered for net-1: HostInfo %s' % cache.get('net-1'))

print('second port:')
hi.negotiate(info, send, peer='net-1', cache=cache)

print('the VIF that comes back is checked before plugging:')
vif = {'versioned_object.name': answer['vif_object_name'],
       'versioned_object.version': answer['version']}
print('%s %s admitted by plugin entry %s' % (
    answer['vif_object_name'], answer['version'],
    hi.check_vif(vif, info).vif_object_name))
vif['versioned_object.version'] = '1.1'
try:
    hi.check_vif(vif, info)
except exception.VIFVersionOutOfRange as exc:
    print('VIFVersionOutOfRange: %s' % exc)
