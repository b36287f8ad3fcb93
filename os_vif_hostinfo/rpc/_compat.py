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

"""Work-arounds for the oslo.messaging releases this adapter supports."""

from __future__ import annotations

import importlib
from typing import Any

from oslo_config import cfg


#: (module, attribute, group) of option lists oslo.messaging registers on
#: the global ``cfg.CONF`` only (as its own ConfFixture knows).
_GLOBAL_ONLY_OPTS = (
    ('oslo_messaging._tracing.client', 'oslo_messaging_tracing',
     'oslo_messaging_tracing'),
    ('oslo_messaging._metrics.client', 'oslo_messaging_metrics',
     'oslo_messaging_metrics'),
)


def prepare_conf(conf: cfg.ConfigOpts) -> None:
    """Register on ``conf`` options oslo.messaging forgot to register.

    oslo.messaging 18.x registers its ``[oslo_messaging_tracing]`` and
    ``[oslo_messaging_metrics]`` options on the global ``cfg.CONF`` only,
    yet reads them from the transport's own configuration on every call;
    with any other ``ConfigOpts`` each call fails with NoSuchOptError.
    Registering them again is harmless, and a release without these
    modules needs nothing.
    """
    for module_name, attribute, group in _GLOBAL_ONLY_OPTS:
        try:
            module: Any = importlib.import_module(module_name)
        except ImportError:
            continue
        found = getattr(module, attribute, None)
        if isinstance(found, list):
            conf.register_opts(found, group=group)
