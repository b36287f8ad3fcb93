"""Both ends of the oslo.messaging adapter, over the in-memory transport."""

import logging

from oslo_config import cfg
import oslo_messaging

import os_vif_hostinfo as hi
from os_vif_hostinfo import rpc

logging.basicConfig(level=logging.INFO, format='%(name)s: %(message)s')
for noisy in ('oslo_messaging', 'oslo.messaging', 'stevedore'):
    logging.getLogger(noisy).setLevel(logging.WARNING)

conf = cfg.ConfigOpts()
conf([])
transport = oslo_messaging.get_rpc_transport(conf, url='fake:///')


# Network host: a handler that picks the VIF for each HostInfo read.
def handle(info):
    choice = hi.choose_vif(info, ['VIFOpenVSwitch'],
                           registry={'VIFOpenVSwitch': ['1.0']})
    return choice._asdict()


server = rpc.get_server(transport, 'net-1', handle, conf, pin='1.0')
server.start()
try:
    # Service host: one client, negotiating with the server by name.
    client = rpc.HostInfoClient(transport, conf, host='compute-1')
    info = hi.HostInfo(plugin_info=[hi.HostPluginInfo(
        plugin_name='ovs', vif_info=[hi.HostVIFInfo(
            vif_object_name='VIFOpenVSwitch',
            min_version='1.0', max_version='1.0')])])
    for port in (1, 2):
        answer = client.negotiate(info, server='net-1')
        print('port %d: %s; remembered for net-1: HostInfo %s'
              % (port, answer, client.cache.get('net-1')))
finally:
    server.stop()
    server.wait()
