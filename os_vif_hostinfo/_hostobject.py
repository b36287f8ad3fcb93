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

"""Private: what the host information objects share.

:class:`HostObject` (checked fields, nested objects resolved from this
library's own classes), :class:`VersionRangeMixin` (the objects that name a
class and a version range) and the table of classes, :data:`CLASSES`, that
:func:`register` fills. The four objects themselves are in
:mod:`os_vif_hostinfo.objects`, which re-exports the public names of this
module: import them from there.

The classes are *not* entered into oslo.versionedobjects' process-wide
registry: os-vif registers classes under the same names, and entering ours
would replace its classes (or be replaced by them) depending on import
order. :meth:`HostObject.obj_class_from_name` resolves nested objects from
:data:`CLASSES` instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import copy
from typing import Any, ClassVar, TypeVar

from oslo_versionedobjects import base as ovo_base

from os_vif_hostinfo import exception
from os_vif_hostinfo import versions

#: The wire namespace os-vif uses; shared so both libraries read each other.
NAMESPACE = 'os_vif'

#: This library's object classes by name, newest first (as in OVO's
#: registry). Filled once at import time and never changed afterwards.
CLASSES: dict[str, list[type[HostObject]]] = {}

_T = TypeVar('_T', bound='HostObject')

#: Where OVO stores a field's value: attribute prefix + field name.
_ATTR_PREFIX = '_obj_'

#: What get_common_version() consults: object name -> classes or versions.
Registry = Mapping[str, Iterable[Any]]


def register(cls: type[_T]) -> type[_T]:
    """Make ``cls`` a usable OVO class and enter it into :data:`CLASSES`."""
    ovo_base.VersionedObjectRegistry.objectify(cls)
    versions.parse(cls.VERSION, field='%s.VERSION' % cls.obj_name())
    CLASSES.setdefault(cls.obj_name(), []).insert(0, cls)
    CLASSES[cls.obj_name()].sort(
        key=lambda c: versions.parse(c.VERSION), reverse=True)
    return cls


def find(items: Iterable[_T], attr: str, name: str) -> _T | None:
    """The first of ``items`` whose attribute ``attr`` is ``name``."""
    for item in items:
        if getattr(item, attr) == name:
            return item
    return None


class HostObject(ovo_base.VersionedObject):
    """Base of the host information objects.

    Adds to OVO: values are checked as they are set (raising
    :class:`~.exception.InvalidField` subclasses, never a bare
    ``ValueError``), list fields default to empty lists, nested objects are
    resolved from this library's classes only, and equality ignores OVO's
    change tracking.
    """

    OBJ_PROJECT_NAMESPACE = NAMESPACE

    #: Fields holding a non-empty name string.
    _name_fields: ClassVar[tuple[str, ...]] = ()
    #: Fields holding a MAJOR.MINOR version string.
    _version_fields: ClassVar[tuple[str, ...]] = ()
    #: List fields: field name -> object name of the elements.
    _list_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, context: Any = None, **kwargs: Any) -> None:
        for name in self._list_fields:
            kwargs.setdefault(name, [])
        unknown = sorted(set(kwargs) - set(self.fields))
        if unknown:
            raise exception.InvalidField(
                object_name=self.obj_name(), field=unknown[0],
                value=kwargs[unknown[0]], reason='no such field')
        super().__init__(context, **kwargs)

    @classmethod
    def obj_class_from_name(cls, objname: str,
                            objver: str) -> type[ovo_base.VersionedObject]:
        """Resolve a nested object from this library's classes only.

        :raises MalformedPayload: if this library has no such object.
        :raises UnsupportedVersion: if ``objver`` is newer than this
            library's class of that name.
        :raises InvalidVersion: if ``objver`` is not ``MAJOR.MINOR``.
        """
        candidates = CLASSES.get(objname)
        if not candidates:
            raise exception.MalformedPayload(
                path='$', reason='unknown object %r' % objname)
        wanted = versions.parse(objver, field='%s version' % objname)
        for candidate in candidates:
            if versions.parse(candidate.VERSION).is_compatible_with(wanted):
                return candidate
        raise exception.UnsupportedVersion(
            object_name=objname, requested_version=objver,
            max_supported_version=candidates[0].VERSION)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self.fields:
            value = self._checked(name, value)
        super().__setattr__(name, value)

    def _checked(self, name: str, value: Any) -> Any:
        def invalid(reason: str) -> exception.InvalidField:
            return exception.InvalidField(
                object_name=self.obj_name(), field=name, value=value,
                reason=reason)

        if name in self._version_fields:
            versions.parse(value, field='%s.%s' % (self.obj_name(), name))
            self._check_range(name, value)
        elif name in self._name_fields:
            if not isinstance(value, str) or not value.strip():
                raise invalid('expected a non-empty string')
        elif name in self._list_fields:
            element = self._list_fields[name]
            if not isinstance(value, (list, tuple)):
                raise invalid('expected a list of %s' % element)
            for item in value:
                if not (isinstance(item, HostObject)
                        and item.obj_name() == element):
                    raise invalid('expected a list of os_vif_hostinfo %s, '
                                  'found %r' % (element, item))
            value = list(value)
        return value

    def _check_range(self, name: str, value: str) -> None:
        bounds: dict[str, str | None] = {'min_version': None,
                                         'max_version': None}
        for bound in bounds:
            if bound == name:
                bounds[bound] = value
            elif self.obj_attr_is_set(bound):
                bounds[bound] = getattr(self, bound)
        low, high = bounds['min_version'], bounds['max_version']
        if low is not None and high is not None and (
                versions.parse(low) > versions.parse(high)):
            raise exception.InvalidVersionRange(
                object_name=self.obj_name(), min_version=low,
                max_version=high, field=name, value=value)

    def __deepcopy__(self, memo: dict[int, Any]) -> HostObject:
        """A deep copy, as OVO's own but without re-checking every value.

        The values were checked when they were set; the copy takes them as
        they are (strings are shared, lists and the objects in them are
        copied), and keeps the context and the changed fields, as OVO
        does. Much cheaper than OVO's copy, which builds the new object
        through its setters.
        """
        new = object.__new__(type(self))
        memo[id(self)] = new
        stored = new.__dict__
        source = self.__dict__
        stored['_context'] = self._context
        for name in self.fields:
            attr = _ATTR_PREFIX + name
            if attr in source:
                value = source[attr]
                stored[attr] = (value if type(value) is str
                                else copy.deepcopy(value, memo))
            elif name in self._list_fields:
                stored[attr] = []  # as OVO's copy gets from __init__
        stored['_changed_fields'] = set(self._changed_fields)
        return new

    def obj_load_attr(self, attrname: str) -> None:
        """Unset fields are an error the caller can act on.

        :raises IncompleteObject: always, naming the unset field.
        """
        raise exception.IncompleteObject(object_name=self.obj_name(),
                                         field=attrname)

    def obj_check_complete(self) -> None:
        """Raise IncompleteObject unless every field is set, recursively."""
        for name in self.fields:
            if not self.obj_attr_is_set(name):
                self.obj_load_attr(name)
        for name in self._list_fields:
            for item in getattr(self, name):
                item.obj_check_complete()

    def obj_comparable(self) -> dict[str, Any]:
        """The object's fields as plain data, for equality and display."""
        data: dict[str, Any] = {}
        for name in self.fields:
            if not self.obj_attr_is_set(name):
                continue
            value = getattr(self, name)
            if name in self._list_fields:
                value = [item.obj_comparable() for item in value]
            data[name] = value
        return {'name': self.obj_name(), 'version': self.VERSION,
                'data': data}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HostObject):
            return NotImplemented
        return self.obj_comparable() == other.obj_comparable()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return str(self.obj_comparable())


class VersionRangeMixin:
    """Shared by the objects that name a class and a version range."""

    min_version: str
    max_version: str

    #: The field naming the class the range applies to.
    _class_name_field: ClassVar[str]
    _not_found: ClassVar[type[exception.HostInfoError]]
    _no_version: ClassVar[type[exception.HostInfoError]]
    _name_kwarg: ClassVar[str]

    @property
    def class_name(self) -> str:
        """The name of the versioned class this range applies to."""
        return str(getattr(self, self._class_name_field))

    def version_range(self) -> tuple[versions.Version, versions.Version]:
        """Return ``(min_version, max_version)`` as comparable values."""
        return (versions.parse(self.min_version),
                versions.parse(self.max_version))

    def admits(self, version: str | versions.Version) -> bool:
        """True if ``version`` lies within ``[min_version, max_version]``.

        :raises InvalidVersion: if ``version`` is not ``MAJOR.MINOR``.
        """
        if not isinstance(version, versions.Version):
            version = versions.parse(version)
        low, high = self.version_range()
        return low <= version <= high

    def get_common_version(self, registry: Registry | None = None) -> str:
        """The highest version both this side and the host range admit.

        This side's versions come from ``registry`` (object name -> classes
        or version strings), by default oslo.versionedobjects' registry,
        where os-vif's VIF and port profile classes live. A local class
        newer than ``max_version`` but of the same major version can be
        backleveled, so ``max_version`` is answered then.

        :raises NoMatchingVIFClass: (or NoMatchingPortProfileClass) if this
            side has no class of that name.
        :raises NoSupportedVIFVersion: (or NoSupportedPortProfileVersion) if
            no local version meets the range.
        """
        if registry is None:
            registry = ovo_base.VersionedObjectRegistry.obj_classes()
        name = self.class_name
        local = list(registry.get(name) or ())
        if not local:
            raise self._not_found(**{self._name_kwarg: name})
        low, high = self.version_range()
        got = []
        best: versions.Version | None = None
        for entry in local:
            text = entry if isinstance(entry, str) else entry.VERSION
            got.append(text)
            have = versions.parse(text, field='%s version' % name)
            if have <= high:
                candidate = have
            elif have.major == high.major:
                # Same major, newer minor: this side can backlevel.
                candidate = high
            else:
                continue
            if candidate >= low and (best is None or candidate > best):
                best = candidate
        if best is None:
            raise self._no_version(**{
                self._name_kwarg: name, 'got_versions': ','.join(got),
                'min_version': self.min_version,
                'max_version': self.max_version})
        return str(best)
