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

"""Short texts naming what went wrong with a plugin, for failure reasons."""

from __future__ import annotations

from typing import Any


def qualname(value: Any) -> str:
    """``module.QualifiedName`` of a class or function."""
    module = getattr(value, '__module__', None) or '?'
    name = getattr(value, '__qualname__', None) or type(value).__qualname__
    return '%s.%s' % (module, name)


def kind(value: Any) -> str:
    """Name what a value is: a class, a callable, or an object of a type."""
    if isinstance(value, type):
        return 'the class %s' % qualname(value)
    if callable(value) and hasattr(value, '__qualname__'):
        return 'the callable %s' % qualname(value)
    return 'a %s object' % qualname(type(value))


def why(exc: BaseException) -> str:
    """``ExceptionType: message``, or the type alone if it has no text."""
    text = str(exc)
    return '%s: %s' % (type(exc).__name__, text) if text else (
        type(exc).__name__)


class Refused(Exception):
    """A plugin cannot be described; ``reason`` says why.

    Discovery turns it into a :class:`~.exception.PluginLoadError`.

    :param reason: the failure's reason text.
    :param cause: the exception behind it, if any, for the debug log.
    """

    def __init__(self, reason: str,
                 cause: BaseException | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cause = cause
