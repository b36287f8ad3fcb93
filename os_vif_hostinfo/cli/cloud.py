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

"""A command's way to a cloud: the openstack CLI's options, one-line errors.

Cloud selection is openstacksdk's own: :func:`add_arguments` registers
``--os-cloud`` and the ``--os-*`` options with
``OpenStackConfig.register_argparse_arguments`` and :func:`connect` hands
the parsed options to ``OpenStackConfig().get_one(argparse=...)``, so
``OS_CLOUD``, the ``OS_*`` variables and clouds.yaml mean what they mean
to ``openstack``. No configuration file is read before :func:`connect`: a
command that does not talk to a cloud works with a broken clouds.yaml.

:func:`errors` turns what openstacksdk and keystoneauth raise into a
:class:`CloudError` with its exit status (see :mod:`.status`).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
import contextlib
from typing import Any

from keystoneauth1 import exceptions as ksa_exceptions
from openstack.config import loader
from openstack import connection
from openstack import exceptions as sdk_exceptions

from os_vif_hostinfo.cli import status
from os_vif_hostinfo import exception


class CloudError(exception.HostInfoError):
    """The cloud could not answer a command."""

    msg_fmt = 'The cloud could not answer: %(reason)s'
    exit_status = status.FAILED


class CloudUnreachable(CloudError):
    """The cloud's API could not be reached."""

    msg_fmt = 'Cannot reach the cloud: %(reason)s'
    exit_status = status.UNREACHABLE


class CloudConfigError(CloudError):
    """The cloud configuration (options, variables, files) is unusable."""

    msg_fmt = 'Cannot use the cloud configuration: %(reason)s'
    exit_status = status.USAGE


class CloudForbidden(CloudError):
    """The cloud refused, or hid what an administrator would see."""

    msg_fmt = 'The cloud refused: %(reason)s'
    exit_status = status.FORBIDDEN


class PortNotFound(CloudError):
    """No port has the ID or name asked for."""

    msg_fmt = 'No port with ID or name %(name)r'
    exit_status = status.NOT_FOUND


class PortAmbiguous(CloudError):
    """More than one port has the name asked for."""

    msg_fmt = ('More than one port is named %(name)r; give the ID of one '
               'of them')
    exit_status = status.USAGE


def add_arguments(parser: argparse.ArgumentParser,
                  argv: list[str] | None = None) -> list[str]:
    """Register the openstack CLI's cloud options on ``parser``.

    ``argv`` (the command's arguments) lets openstacksdk register the
    options of an ``--os-auth-type`` given there. No file and no variable
    is read for it: their values are read by :func:`connect`.

    :returns: the ``dest`` of every option added, for :func:`connect`.
    """
    before = {action.dest for action in parser._actions}
    config = loader.OpenStackConfig(load_yaml_config=False,
                                    load_envvars=False)
    try:
        config.register_argparse_arguments(parser, list(argv or []))
    except sdk_exceptions.ConfigException:
        # An unknown --os-auth-type: said by connect(), when it matters.
        if '--os-cloud' not in parser._option_string_actions:
            parser.add_argument('--os-cloud', metavar='<name>',
                                help='Named cloud to connect to')
    return sorted({action.dest for action in parser._actions} - before)


def connect(parsed_args: argparse.Namespace,
            dests: list[str]) -> connection.Connection:
    """A Connection to the cloud the options, variables and files select.

    :raises CloudConfigError: if they select no usable cloud.
    """
    options = argparse.Namespace(**{
        dest: getattr(parsed_args, dest) for dest in dests
        if hasattr(parsed_args, dest)})
    with errors():
        try:
            region = loader.OpenStackConfig().get_one(argparse=options)
        except (sdk_exceptions.ConfigException, OSError) as exc:
            raise CloudConfigError(reason=str(exc)) from None
        except Exception as exc:
            # clouds.yaml that is not YAML: PyYAML's own error.
            if type(exc).__module__.split('.')[0] == 'yaml':
                raise CloudConfigError(
                    reason='clouds.yaml: %s' % ' '.join(str(exc).split())
                ) from None
            raise
        return connection.Connection(config=region)


@contextlib.contextmanager
def errors(name: str | None = None) -> Iterator[None]:
    """Translate openstacksdk's and keystoneauth's errors to CloudError.

    :param name: the port ID or name asked for, to name it when the cloud
        has none or several.
    """
    try:
        yield
    except CloudError:
        raise
    except sdk_exceptions.DuplicateResource:
        raise PortAmbiguous(name=name) from None
    except (sdk_exceptions.NotFoundException,
            sdk_exceptions.ResourceNotFound) as exc:
        if name is None:
            raise CloudError(reason=_one_line(exc)) from None
        raise PortNotFound(name=name) from None
    except sdk_exceptions.ForbiddenException as exc:
        raise CloudForbidden(reason=_one_line(exc)) from None
    except sdk_exceptions.HttpException as exc:
        if exc.status_code == 401:
            raise CloudForbidden(reason=_one_line(exc)) from None
        raise CloudError(reason=_one_line(exc)) from None
    except (ksa_exceptions.ConnectionError,
            ksa_exceptions.DiscoveryFailure) as exc:
        # Version discovery fails this way when nothing answers.
        raise CloudUnreachable(reason=_one_line(exc)) from None
    except (ksa_exceptions.ClientException,
            sdk_exceptions.SDKException) as exc:
        raise CloudConfigError(reason=_one_line(exc)) from None


def _one_line(exc: BaseException) -> str:
    return ' '.join(str(exc).split()) or type(exc).__name__


def attributes(resource: Any) -> dict[str, Any]:
    """An openstacksdk resource as a plain dict of its attributes."""
    data: dict[str, Any] = resource.to_dict(computed=False)
    return data
