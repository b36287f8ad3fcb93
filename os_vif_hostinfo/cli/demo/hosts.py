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

"""The demo's cast: network hosts of two releases and a service host.

Used by ``os-vif-hostinfo demo`` and by the functional tests, which run
each network host as ``demo --network-host`` in a process of its own.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from typing import Any
import uuid

from oslo_versionedobjects import base as ovo_base
from oslo_versionedobjects import fields as ovo_fields

from os_vif_hostinfo import discovery
from os_vif_hostinfo import exception
from os_vif_hostinfo import negotiation
from os_vif_hostinfo.neutron import binding
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions

LOG = logging.getLogger(__name__)

#: The two network hosts the demo runs by default, and their releases.
DEFAULT_PEERS = (('net-current', 'current'), ('net-old', 'old'))

#: Line a network host prints once it listens (the demo waits for it).
READY = 'ready'


class _StandInVIF(ovo_base.VersionedObject):
    """A VIF class as a network host's release would have it.

    The demo must run where os-vif is not installed, so each release gets
    its own minimal classes under os-vif's names. They are never entered
    into oslo.versionedobjects' registry.
    """

    OBJ_PROJECT_NAMESPACE = objects.NAMESPACE
    fields = {'id': ovo_fields.UUIDField(),
              'plugin': ovo_fields.StringField()}


def _vif_class(name: str, version: str) -> type[ovo_base.VersionedObject]:
    cls = type(name, (_StandInVIF,), {'VERSION': version})
    ovo_base.VersionedObjectRegistry.objectify(cls)
    return cls


class Release:
    """What a network host of one release reads and produces."""

    def __init__(self, name: str, reads: str | None,
                 vifs: dict[str, str]) -> None:
        self.name = name
        #: Highest HostInfo version it reads; None: all this library does.
        self.reads = reads
        #: VIF classes it produces, most preferred first.
        self.vif_classes = [_vif_class(n, v) for n, v in vifs.items()]
        self.offers = ', '.join('%s %s' % item for item in vifs.items())

    def pin(self, pin: str | None) -> str | None:
        """The effective pin: the lower of the release's and ``pin``."""
        if self.reads is None or pin is None:
            return pin or self.reads
        return min(pin, self.reads, key=versions.parse)

    def describe(self, pin: str | None) -> str:
        """Its release, the HostInfo it reads, the VIF classes it offers."""
        top = self.pin(pin) or str(objects.current_version('HostInfo'))
        return ('release %s, reads HostInfo up to %s, offers %s (most '
                'preferred first)') % (
            self.name, top, self.offers)


RELEASES = {
    'current': Release('current', None, {
        'VIFVHostUser': '1.1', 'VIFOpenVSwitch': '1.0', 'VIFBridge': '1.0'}),
    'old': Release('old', '1.0', {
        'VIFVHostUser': '1.0', 'VIFOpenVSwitch': '1.0', 'VIFBridge': '1.0'}),
}


def vif_type(plugin: str, vif_object_name: str) -> str:
    """The Neutron vif_type a port with this choice is bound with.

    Nova reads ``binding:vif_type`` (and ``vif_details``) to build the
    os-vif VIF it plugs; :data:`~os_vif_hostinfo.neutron.binding.VIF_TYPES`
    is the reference driver's table of them.
    """
    for key in ((plugin, vif_object_name), vif_object_name):
        found = binding.VIF_TYPES.get(key)
        if found is not None:
            return found
    return 'unknown'


def make_handler(name: str, release: Release) -> Any:
    """The network host's answer to a HostInfo: the VIF it would bind."""
    by_name = {cls.obj_name(): cls for cls in release.vif_classes}

    def handler(info: objects.HostInfo) -> dict[str, Any]:
        choice = negotiation.choose_vif(info, release.vif_classes)
        vif = by_name[choice.vif_object_name](
            id=str(uuid.uuid4()), plugin=choice.plugin_name)
        return {'network_host': name, 'release': release.name,
                'plugin': choice.plugin_name,
                'plugins': [p.plugin_name for p in info.plugin_info],
                'vif': vif.obj_to_primitive(target_version=choice.version)}
    return handler


def sample_host_info() -> objects.HostInfo:
    """What a compute host with os-vif's usual plugins describes."""
    profile = objects.HostPortProfileInfo(
        profile_object_name='VIFPortProfileOpenVSwitch',
        min_version='1.0', max_version='1.4')
    return objects.HostInfo(plugin_info=[
        objects.HostPluginInfo(plugin_name='linux_bridge', vif_info=[
            objects.HostVIFInfo(vif_object_name='VIFBridge',
                                min_version='1.0', max_version='1.0',
                                supported_port_profiles=[])]),
        objects.HostPluginInfo(plugin_name='ovs', vif_info=[
            objects.HostVIFInfo(vif_object_name='VIFOpenVSwitch',
                                min_version='1.0', max_version='1.0',
                                supported_port_profiles=[profile]),
            objects.HostVIFInfo(vif_object_name='VIFVHostUser',
                                min_version='1.0', max_version='1.1',
                                supported_port_profiles=[profile])]),
    ])


#: Where the sample's descriptions come from, for the narration.
SAMPLE_SOURCE = "the demo's own sample description"


class _Notes(logging.Handler):
    """Collects discovery's INFO lines, to tell them as narration."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.INFO:
            self.lines.append(record.getMessage())


def _note(line: str) -> str:
    # discovery's line is for a log; the demo's reader wants the fact.
    if line.startswith('os-vif is not importable'):
        return ('os-vif is not installed here (that is fine for the '
                'demo): the plugins are described by os_vif_hostinfo\'s '
                'own copies of os-vif 5.3.0\'s descriptions')
    return line


def this_host_info(notes: list[str] | None = None,
                   ) -> tuple[objects.HostInfo, str, dict[str, str]]:
    """This host's plugins if discovery finds any, else the sample.

    :param notes: if given, discovery's INFO lines (such as "os-vif is
        not importable") are added to it as information for the
        narration, instead of going to the log.
    :returns: the HostInfo, what it is (for the narration), and by plugin
        name where its description came from: an os-vif plugin and its
        entry point, a plugin of this library, or a static description.
    """
    provider = discovery.HostInfoProvider()
    collector = _Notes()
    if notes is not None:
        discovery.LOG.addHandler(collector)
        saved = discovery.LOG.propagate, discovery.LOG.level
        discovery.LOG.propagate = False
        discovery.LOG.setLevel(logging.INFO)
    try:
        info = provider.host_info()
    finally:
        if notes is not None:
            discovery.LOG.removeHandler(collector)
            discovery.LOG.propagate, level = saved
            discovery.LOG.setLevel(level)
            notes.extend(_note(line) for line in collector.lines)
    if info.plugin_info:
        return info, 'discovered plugins', {
            name: str(source) for name, source in provider.sources.items()}
    sample = sample_host_info()
    return sample, 'sample plugins (none installed here)', {
        plugin.plugin_name: SAMPLE_SOURCE for plugin in sample.plugin_info}


def network_host_command(name: str, release: str, url: str, topic: str,
                         pin: str | None = None,
                         timeout: float | None = None) -> list[str]:
    """The command running ``demo --network-host`` with this Python."""
    cmd = [sys.executable, '-c',
           'import sys; from os_vif_hostinfo.cli import main; '
           'sys.exit(main(sys.argv[1:]))',
           'demo', '--network-host', name, '--release', release,
           '--transport-url', url, '--topic', topic]
    if pin:
        cmd += ['--pin', pin]
    if timeout is not None:
        cmd += ['--timeout', repr(timeout)]
    return cmd


def wait_ready(child: subprocess.Popen[str], timeout: float) -> str:
    """Wait for a network host child's READY line; return its first line.

    :raises HostInfoError: if it exits or stays silent too long.
    """
    lines: list[str] = []
    done = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if not done.is_set():
                lines.append(line.rstrip('\n'))
                if line.strip() == READY:
                    done.set()
        done.set()
    threading.Thread(target=read, daemon=True).start()
    if not done.wait(timeout) or READY not in lines:
        stop_child(child)
        raise exception.HostInfoError(
            'network host (pid %d) did not start: %s' % (
                child.pid, ' | '.join(lines[-5:]) or 'no output'))
    told = [line for line in lines[:lines.index(READY)] if line.strip()]
    return told[-1] if told else ''


def stop_child(child: subprocess.Popen[str], timeout: float = 15.0) -> None:
    """Ask a child to stop; insist after ``timeout`` seconds."""
    stop_children([child], timeout)


def stop_children(children: list[subprocess.Popen[str]],
                  timeout: float = 15.0) -> None:
    """Ask every child to stop at once; insist after ``timeout`` seconds.

    All are signalled first, so their shutdowns overlap instead of adding
    up.
    """
    running = [child for child in children if child.poll() is None]
    for child in running:
        child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in running:
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
