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

"""Every error os_vif_hostinfo raises.

Each class formats ``msg_fmt`` with the keyword arguments it is given and
keeps them as attributes, so callers can read ``exc.object_name`` instead of
parsing the message. Building an error never raises: as oslo projects do
(nova's ``NovaException``), a keyword missing from ``msg_fmt``, or one of the
wrong type, is logged as the library bug it is, and the message is built
from what was given, naming what was not.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from os_vif_hostinfo import _version_syntax

#: ``code`` of the reply body of any HostInfoError but a refusal.
CODE_HOST_INFO_ERROR = 'host_info_error'

_JSON_SCALARS = (str, int, float, bool, type(None))

LOG = logging.getLogger(__name__)
_PLACEHOLDER = re.compile(r'%\((\w+)\)')


class _Given(dict[str, Any]):
    """The keyword arguments, with a note standing in for a missing one."""

    def __missing__(self, key: str) -> str:
        return '<%s not given>' % key


def _format(cls: type[HostInfoError], kwargs: dict[str, Any]) -> str:
    """``cls.msg_fmt`` filled from ``kwargs``, whatever ``kwargs`` hold."""
    try:
        return cls.msg_fmt % kwargs
    except (KeyError, TypeError, ValueError) as exc:
        LOG.warning('Cannot format the message of %s (%s: %s) from the '
                    'keyword arguments %r: a bug in the code raising it',
                    cls.__name__, type(exc).__name__, exc, kwargs)
    try:
        return cls.msg_fmt % _Given(kwargs)
    except (TypeError, ValueError):
        # A value of the wrong type for its conversion (e.g. %d).
        summary = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
        details = ['%s=%r' % item for item in sorted(kwargs.items())]
        details += ['%s not given' % key for key in sorted(
            set(_PLACEHOLDER.findall(cls.msg_fmt)) - set(kwargs))]
        return '%s (%s)' % (summary, ', '.join(details))


class HostInfoError(Exception):
    """Base class of every error raised by os_vif_hostinfo."""

    msg_fmt = 'An unknown host information error occurred.'
    code = CODE_HOST_INFO_ERROR

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        self.kwargs = kwargs
        for key, value in kwargs.items():
            setattr(self, key, value)
        if not message:
            # An empty message would tell the reader nothing.
            message = _format(type(self), kwargs)
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        """Return a machine-readable body for the other side.

        ``type`` names the class, ``details`` holds the keyword arguments
        (JSON scalars as they are, anything else as text).
        """
        details = {key: value if isinstance(value, _JSON_SCALARS)
                   else str(value) for key, value in self.kwargs.items()}
        return {'error': {
            'code': self.code,
            'type': type(self).__name__,
            'message': str(self),
            'details': details,
        }}

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's default rebuilds from args alone, which loses the
        # keyword arguments (and fails for UnsupportedVersion, which
        # requires them): copy and pickle would break.
        return (_rebuild, (type(self), self.message, self.kwargs))


class InvalidField(HostInfoError, ValueError):
    """A field of an object was given a value it cannot hold."""

    msg_fmt = ('Invalid value %(value)r for %(object_name)s.%(field)s: '
               '%(reason)s')


class InvalidVersion(InvalidField):
    """A version string is not of the form MAJOR.MINOR."""

    msg_fmt = 'Invalid version %(value)r for %(field)s: %(reason)s'


class InvalidVersionRange(InvalidVersion):
    """A min_version is greater than its max_version."""

    msg_fmt = ('Invalid version range for %(object_name)s: min_version '
               '%(min_version)s is greater than max_version %(max_version)s')


class IncompleteObject(HostInfoError, ValueError):
    """An object is missing a field it needs to be sent or used."""

    msg_fmt = '%(object_name)s is missing required field %(field)s'


class InvalidArgument(HostInfoError, ValueError):
    """A function was given an argument it cannot use."""

    msg_fmt = 'Invalid %(name)s %(value)r: %(reason)s'


class InvalidObject(HostInfoError, TypeError):
    """Something that is not a host information object was passed."""

    msg_fmt = 'Expected %(expected)s, got %(value)r'


class MalformedPayload(HostInfoError, ValueError):
    """A payload is not a well-formed object of the expected class."""

    msg_fmt = 'Malformed payload at %(path)s: %(reason)s'


class UnsupportedVersion(HostInfoError):
    """An object version is newer than this side supports."""

    msg_fmt = ('%(object_name)s version %(requested_version)s is not '
               'supported; the highest supported version is '
               '%(max_supported_version)s')

    code = 'unsupported_version'
    object_name: str
    requested_version: str
    max_supported_version: str

    def __init__(self, message: str | None = None, *,
                 object_name: str | None = None,
                 requested_version: str | None = None,
                 max_supported_version: str | None = None) -> None:
        # Each is required; one left out is logged (see HostInfoError),
        # and its attribute reads None rather than raising.
        given = {key: value for key, value in (
            ('object_name', object_name),
            ('requested_version', requested_version),
            ('max_supported_version', max_supported_version))
            if value is not None}
        super().__init__(message, **given)
        for key in ('object_name', 'requested_version',
                    'max_supported_version'):
            if key not in given:
                setattr(self, key, None)

    def to_dict(self) -> dict[str, Any]:
        """Return the machine-readable reply body for the other side."""
        return {'error': {
            'code': self.code,
            'object': self.object_name,
            'requested_version': self.requested_version,
            'max_supported_version': self.max_supported_version,
            'message': self.message,
        }}

    @classmethod
    def from_dict(cls, body: Any) -> UnsupportedVersion:
        """Rebuild the error from a reply body made by :meth:`to_dict`.

        :raises MalformedPayload: if ``body`` is not such a reply body.
        """
        if not isinstance(body, dict) or not isinstance(
                body.get('error'), dict):
            raise MalformedPayload(path='$', reason=(
                'an unsupported_version reply must be an object with an '
                '"error" object, not %s' % describe_json_type(body)))
        error = body['error']
        if error.get('code') != cls.code:
            raise MalformedPayload(path='$.error.code', reason=(
                'expected %r, got %r' % (cls.code, error.get('code'))))
        values = {}
        for key in ('object', 'requested_version', 'max_supported_version'):
            value = error.get(key)
            if not isinstance(value, str) or not value:
                raise MalformedPayload(
                    path='$.error.%s' % key,
                    reason='expected a non-empty string, got %s'
                    % describe_json_type(value))
            values[key] = value
        for key in ('requested_version', 'max_supported_version'):
            if not _version_syntax.is_version(values[key]):
                invalid = InvalidVersion(
                    field=key, value=values[key],
                    reason=_version_syntax.string_problem(values[key]))
                raise MalformedPayload(path='$.error.%s' % key,
                                       reason=str(invalid))
        message = error.get('message')
        if message is not None and not isinstance(message, str):
            raise MalformedPayload(path='$.error.message', reason=(
                'expected a string, got %s' % describe_json_type(message)))
        return cls(message or None, object_name=values['object'],
                   requested_version=values['requested_version'],
                   max_supported_version=values['max_supported_version'])


class NoMatchingPlugin(HostInfoError, LookupError):
    """No plugin of that name is described."""

    msg_fmt = 'No plugin named %(plugin_name)r is described on this host'


class NoMatchingVIFClass(HostInfoError, LookupError):
    """No plugin describes a VIF class of that name."""

    msg_fmt = 'No plugin supports VIF class %(vif_name)r'


class NoMatchingPortProfileClass(HostInfoError, LookupError):
    """No VIF describes a port profile class of that name."""

    msg_fmt = 'No port profile class %(profile_name)r is supported'


class NoSupportedVIFVersion(HostInfoError):
    """The versions of a VIF class this side knows miss the host's range."""

    msg_fmt = ('VIF class %(vif_name)s: this side has versions '
               '%(got_versions)s, the host accepts %(min_version)s to '
               '%(max_version)s')


class NoSupportedPortProfileVersion(HostInfoError):
    """The versions of a port profile this side knows miss the range."""

    msg_fmt = ('Port profile class %(profile_name)s: this side has '
               'versions %(got_versions)s, the host accepts %(min_version)s '
               'to %(max_version)s')


class VIFVersionOutOfRange(HostInfoError):
    """A VIF object's version is outside every range the host offered.

    This is the fatal refusal of the host information contract: the
    service host must not try to plug such a VIF.
    """

    msg_fmt = ('VIF %(vif_name)s version %(vif_version)s is outside every '
               'range this host accepts (%(ranges)s)')


class NegotiationFailed(HostInfoError):
    """The peer cannot take any version this side can send."""

    msg_fmt = ('Negotiation of %(object_name)s with peer %(peer)s failed: '
               '%(reason)s')


class PluginLoadError(HostInfoError):
    """A plugin could not be loaded or described; kept out of HostInfo."""

    msg_fmt = 'Plugin %(entry_point)s left out: %(reason)s'


class MissingDependency(HostInfoError, ImportError):
    """An optional part of the library needs a package not installed."""

    msg_fmt = ('%(feature)s needs the %(package)s package, which is not '
               'installed: pip install %(install)s')


class FixtureNotSetUp(HostInfoError, RuntimeError):
    """A test fixture was used before it was set up."""

    msg_fmt = ('%(fixture)s is not set up: use it with useFixture() or as '
               'a context manager')


class PeerUnavailable(HostInfoError):
    """A transport could not reach the peer in time."""

    msg_fmt = 'Peer %(peer)s did not answer: %(reason)s'


class ProfileTooLarge(HostInfoError):
    """HostInfo does not fit in a Neutron port's binding:profile."""

    msg_fmt = ('binding:profile would be %(size)d characters with HostInfo '
               '(smallest encoding), over the limit of %(max_length)d')


class ReportTooLarge(HostInfoError):
    """HostInfo does not fit in a HostInfo agent's state report."""

    msg_fmt = ('the agent\'s configurations would be %(size)d characters '
               'with HostInfo %(version)s alone, over the limit of '
               '%(max_length)d')


class BindingFailed(HostInfoError):
    """The network host failed a port binding for another reason."""

    msg_fmt = ('Port %(port)s on host %(host)s: binding failed '
               '(vif_type %(vif_type)s): %(reason)s')


def _rebuild(cls: type[HostInfoError], message: str,
             kwargs: dict[str, Any]) -> HostInfoError:
    return cls(message, **kwargs)


def describe_json_type(value: Any) -> str:
    """Name a JSON value's type for an error message."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    if isinstance(value, (int, float)):
        return 'a number'
    if isinstance(value, str):
        return 'a string'
    if isinstance(value, list):
        return 'an array'
    if isinstance(value, dict):
        return 'an object'
    return type(value).__name__
