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

"""Describing os-vif's plugins through os-vif itself.

Each plugin of os-vif's entry-point namespace is created the way
``os_vif.initialize()`` creates it, with os-vif's own
``PluginBase.load(name)``, and asked to ``describe()`` itself. The
os-vif ``HostPluginInfo`` it returns is written with its own
``obj_to_primitive()`` and read back by this library's wire reader, with
every check a payload gets, into this library's objects.

Nothing here touches os-vif's module state: os-vif keeps its loaded
plugins in a private extension manager that only ``os_vif.initialize()``
sets, and this module never reads or sets it. ``PluginBase.load()``
registers the plugin's configuration options on oslo.config's global
``CONF``, as ``os_vif.initialize()`` does; they are the plugin class's
own option objects, so registering them again, before or after os-vif
does, changes nothing. The plugin thus reads the same configuration it
reads inside os-vif and describes itself exactly as ``os_vif.host_info()``
would.

os-vif is imported only when discovery runs, never when this module is.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

from oslo_serialization import jsonutils

from os_vif_hostinfo import _reasons
from os_vif_hostinfo import exception
from os_vif_hostinfo import objects
from os_vif_hostinfo import versions
from os_vif_hostinfo import wire


class OsVif(NamedTuple):
    """The parts of os-vif that discovery uses."""

    #: ``os_vif.plugin.PluginBase``: every os-vif plugin subclasses it.
    plugin_base: type
    #: ``os_vif.objects.host_info.HostPluginInfo``.
    host_plugin_info: type


def import_os_vif() -> OsVif:
    """Import os-vif and make its objects usable, as os-vif itself does.

    ``os_vif.objects.register_all()`` only imports os-vif's object
    modules, which its plugins' ``describe()`` needs; ``initialize()``
    calls it too, and a second call does nothing.

    :raises ImportError: if os-vif cannot be imported.
    """
    importlib.import_module('os_vif')
    osv_plugin = importlib.import_module('os_vif.plugin')
    osv_objects = importlib.import_module('os_vif.objects')
    osv_objects.register_all()
    osv_host_info = importlib.import_module('os_vif.objects.host_info')
    return OsVif(plugin_base=osv_plugin.PluginBase,
                 host_plugin_info=osv_host_info.HostPluginInfo)


def describe(name: str, plugin: Any, os_vif: OsVif,
             ) -> objects.HostPluginInfo:
    """Create the os-vif plugin class ``plugin`` as ``name``; describe it.

    :param name: the entry point's name, which os-vif gives to ``load()``
        (it names the plugin's configuration group ``os_vif_<name>``).
    :param plugin: what the entry point loaded.
    :raises os_vif_hostinfo._reasons.Refused: if it is not an os-vif
        plugin class, cannot be created, or does not describe itself
        validly.
    """
    if not (isinstance(plugin, type)
            and issubclass(plugin, os_vif.plugin_base)):
        raise _reasons.Refused('%s, not an os-vif PluginBase subclass'
                               % _reasons.kind(plugin))
    cls: Any = plugin
    try:
        obj = cls.load(name)
    except (Exception, SystemExit) as exc:
        raise _reasons.Refused(
            "creating it with os-vif's PluginBase.load() raised %s"
            % _reasons.why(exc), exc) from None
    try:
        info = obj.describe()
    except (Exception, SystemExit) as exc:
        raise _reasons.Refused('describe() raised %s' % _reasons.why(exc),
                               exc) from None
    if not isinstance(info, os_vif.host_plugin_info):
        raise _reasons.Refused('describe() returned %s, not an os-vif '
                               'HostPluginInfo' % _reasons.kind(info))
    return convert(info)


def convert(info: Any) -> objects.HostPluginInfo:
    """This library's copy of an os-vif ``HostPluginInfo``.

    A description newer than this library reads is written at the newest
    version it reads, with os-vif's own backleveling.

    :raises os_vif_hostinfo._reasons.Refused: if os-vif cannot write it,
        or this library refuses what it wrote.
    """
    ours = objects.current_version('HostPluginInfo')
    target = None
    try:
        theirs = versions.parse(info.VERSION)
    except exception.InvalidVersion:
        theirs = None
    if theirs is not None and theirs.major == ours.major and (
            theirs.minor > ours.minor):
        target = str(ours)
    try:
        text = jsonutils.dumps(info.obj_to_primitive(target_version=target))
    except Exception as exc:
        raise _reasons.Refused('its HostPluginInfo cannot be written: %s'
                               % _reasons.why(exc), exc) from None
    try:
        return wire.deserialize(text, objects.HostPluginInfo)
    except exception.HostInfoError as exc:
        raise _reasons.Refused(
            'describe() returned an invalid HostPluginInfo: %s' % exc,
            exc) from None
