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

"""The host information objects.

They share os-vif's names, fields and namespace so that either library can
read what the other writes. They are *not* entered into oslo.versionedobjects'
process-wide registry: os-vif registers classes under the same names, and
entering ours would replace its classes (or be replaced by them) depending on
import order. Ours live in :data:`CLASSES` instead, and
:meth:`HostObject.obj_class_from_name` resolves nested objects from there.

The machinery the four objects share (:class:`HostObject`,
:class:`VersionRangeMixin`, :data:`CLASSES`) is defined in a private module
and re-exported here; import every name from this module.
"""

from __future__ import annotations

from collections.abc import Iterable
import copy

from oslo_versionedobjects import fields

from os_vif_hostinfo import _hostobject
from os_vif_hostinfo import exception
from os_vif_hostinfo import versions

#: The wire namespace os-vif uses; shared so both libraries read each other.
NAMESPACE = _hostobject.NAMESPACE

#: This library's object classes by name, newest first (as in OVO's
#: registry). Filled once at import time and never changed afterwards.
CLASSES = _hostobject.CLASSES

#: What get_common_version() consults: object name -> classes or versions.
Registry = _hostobject.Registry

HostObject = _hostobject.HostObject
VersionRangeMixin = _hostobject.VersionRangeMixin

_register = _hostobject.register
_find = _hostobject.find


@_register
class HostPortProfileInfo(VersionRangeMixin, HostObject):
    """A port profile class a VIF type accepts, and its version range."""

    # Version 1.0: Initial version
    VERSION = '1.0'

    profile_object_name: str

    fields = {
        'profile_object_name': fields.StringField(),
        'min_version': fields.StringField(),
        'max_version': fields.StringField(),
    }

    _name_fields = ('profile_object_name',)
    _version_fields = ('min_version', 'max_version')
    _class_name_field = 'profile_object_name'
    _not_found = exception.NoMatchingPortProfileClass
    _no_version = exception.NoSupportedPortProfileVersion
    _name_kwarg = 'profile_name'


@_register
class HostVIFInfo(VersionRangeMixin, HostObject):
    """A VIF class a plugin can consume, and its version range."""

    # Version 1.0: Initial version
    # Version 1.1: adds supported_port_profiles
    VERSION = '1.1'

    vif_object_name: str
    supported_port_profiles: list[HostPortProfileInfo]

    fields = {
        'vif_object_name': fields.StringField(),
        'min_version': fields.StringField(),
        'max_version': fields.StringField(),
        'supported_port_profiles': fields.ListOfObjectsField(
            'HostPortProfileInfo'),
    }

    # (this version, child version it carries), oldest first.
    obj_relationships = {
        'supported_port_profiles': [('1.1', '1.0')],
    }

    _name_fields = ('vif_object_name',)
    _version_fields = ('min_version', 'max_version')
    _list_fields = {'supported_port_profiles': 'HostPortProfileInfo'}
    _class_name_field = 'vif_object_name'
    _not_found = exception.NoMatchingVIFClass
    _no_version = exception.NoSupportedVIFVersion
    _name_kwarg = 'vif_name'

    def has_port_profile(self, name: str) -> bool:
        """True if the VIF accepts the port profile class ``name``."""
        return _find(self.supported_port_profiles, 'profile_object_name',
                     name) is not None

    def get_port_profile(self, name: str) -> HostPortProfileInfo:
        """Return the port profile entry for ``name``.

        :raises NoMatchingPortProfileClass: if there is none.
        """
        found = _find(self.supported_port_profiles, 'profile_object_name',
                      name)
        if found is None:
            raise exception.NoMatchingPortProfileClass(profile_name=name)
        return found


@_register
class HostPluginInfo(HostObject):
    """One installed plugin and the VIF classes it can consume."""

    # Version 1.0: Initial version
    # Version 1.1: carries HostVIFInfo 1.1
    VERSION = '1.1'

    plugin_name: str
    vif_info: list[HostVIFInfo]

    fields = {
        'plugin_name': fields.StringField(),
        'vif_info': fields.ListOfObjectsField('HostVIFInfo'),
    }

    obj_relationships = {
        'vif_info': [('1.0', '1.0'), ('1.1', '1.1')],
    }

    _name_fields = ('plugin_name',)
    _list_fields = {'vif_info': 'HostVIFInfo'}

    def has_vif(self, name: str) -> bool:
        """True if the plugin consumes the VIF class ``name``."""
        return _find(self.vif_info, 'vif_object_name', name) is not None

    def get_vif(self, name: str) -> HostVIFInfo:
        """Return the entry for the VIF class ``name``.

        :raises NoMatchingVIFClass: if the plugin does not consume it.
        """
        found = _find(self.vif_info, 'vif_object_name', name)
        if found is None:
            raise exception.NoMatchingVIFClass(vif_name=name)
        return found

    def filter_vif_types(self,
                         permitted_vif_type_names: Iterable[str],
                         ) -> HostPluginInfo:
        """Return a copy that keeps only the permitted VIF classes."""
        permitted = set(permitted_vif_type_names)
        return HostPluginInfo(
            plugin_name=self.plugin_name,
            vif_info=[copy.deepcopy(vif) for vif in self.vif_info
                      if vif.vif_object_name in permitted])


@_register
class HostInfo(HostObject):
    """A service host: the plugins installed on it."""

    # Version 1.0: Initial version
    # Version 1.1: carries HostPluginInfo 1.1
    VERSION = '1.1'

    plugin_info: list[HostPluginInfo]

    fields = {
        'plugin_info': fields.ListOfObjectsField('HostPluginInfo'),
    }

    obj_relationships = {
        'plugin_info': [('1.0', '1.0'), ('1.1', '1.1')],
    }

    _list_fields = {'plugin_info': 'HostPluginInfo'}

    def has_plugin(self, name: str) -> bool:
        """True if a plugin named ``name`` is described."""
        return _find(self.plugin_info, 'plugin_name', name) is not None

    def get_plugin(self, name: str) -> HostPluginInfo:
        """Return the plugin named ``name``.

        :raises NoMatchingPlugin: if there is none.
        """
        found = _find(self.plugin_info, 'plugin_name', name)
        if found is None:
            raise exception.NoMatchingPlugin(plugin_name=name)
        return found

    def filter_vif_types(self,
                         permitted_vif_type_names: Iterable[str],
                         ) -> HostInfo:
        """Return a copy keeping only the permitted VIF classes.

        Plugins left with no VIF class are dropped. The original is left
        untouched.
        """
        permitted = frozenset(permitted_vif_type_names)
        plugins = (plugin.filter_vif_types(permitted)
                   for plugin in self.plugin_info)
        return HostInfo(plugin_info=[p for p in plugins if p.vif_info])


def newest_class(object_name: str) -> type[HostObject]:
    """This library's newest class of ``object_name``.

    :raises InvalidObject: if this library has no object of that name.
    """
    classes = CLASSES.get(object_name) if isinstance(
        object_name, str) else None
    if not classes:
        raise exception.InvalidObject(
            expected='one of %s' % ', '.join(sorted(CLASSES)),
            value=object_name)
    return classes[0]


def current_version(object_name: str) -> versions.Version:
    """The newest version of ``object_name`` this library has.

    :raises InvalidObject: if this library has no object of that name.
    """
    return versions.parse(newest_class(object_name).VERSION)


def object_classes() -> dict[str, list[type[HostObject]]]:
    """A copy of this library's class registry, e.g. for OVO fixtures."""
    return {name: list(classes) for name, classes in CLASSES.items()}
