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

"""Which host this is, by the name Nova gives it to Neutron.

A port's ``binding:host_id`` is the ``host`` option of the nova-compute
that bound it (``[DEFAULT] host`` in nova.conf), which defaults to the
hostname. Commands that check a port against this host's plugins use this
name to tell a port of this host from a port of another.
"""

from __future__ import annotations

import configparser
import socket
from typing import NamedTuple

#: Where nova-compute reads its ``host`` option.
NOVA_CONF = '/etc/nova/nova.conf'


class ThisHost(NamedTuple):
    """This host's name, and where the name came from."""

    name: str
    #: e.g. "[DEFAULT] host of /etc/nova/nova.conf", "the hostname".
    source: str


def identify(nova_conf: str = NOVA_CONF) -> ThisHost:
    """This host's name as Nova reports it, and where it was read.

    ``[DEFAULT] host`` of ``nova_conf`` if the file can be read and sets
    it; otherwise the hostname, which is Nova's default. Never raises for
    a missing or unreadable file.
    """
    parser = configparser.RawConfigParser(strict=False)
    try:
        with open(nova_conf, encoding='utf-8') as stream:
            parser.read_file(stream, nova_conf)
        name = parser.defaults().get('host', '').strip()
    except (OSError, UnicodeDecodeError, configparser.Error):
        name = ''
    if name:
        return ThisHost(name, '[DEFAULT] host of %s' % nova_conf)
    return ThisHost(socket.gethostname(), 'the hostname')


def this_host(nova_conf: str = NOVA_CONF) -> str:
    """This host's name as Nova reports it to Neutron (see identify)."""
    return identify(nova_conf).name
