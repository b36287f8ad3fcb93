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

"""The ``os-vif-hostinfo-agent`` console script.

Neutron's agents run on oslo.service's threading backend, which must be
chosen before ``oslo_service.service`` is first imported; importing
``neutron`` chooses it. This package's own import chain
(oslo.versionedobjects, oslo.messaging) imports ``oslo_service.service``
first, which chooses eventlet. So :func:`main` starts the agent in a
fresh interpreter that imports ``neutron`` first, unless the threading
backend is already the one in use.
"""

from __future__ import annotations

import os
import sys

#: What the fresh interpreter runs; the arguments follow it.
_BOOTSTRAP = ('import sys, neutron; '
              'sys.argv[0] = %r; '
              'from os_vif_hostinfo.neutron.agent import main; '
              'sys.exit(main.run())')


def main(argv: list[str] | None = None) -> int:
    """Run the agent until SIGTERM; SIGHUP rediscovers.

    Run it with the compute host's own configuration:
    ``os-vif-hostinfo-agent --config-file /etc/neutron/neutron.conf``.
    """
    from oslo_service import backend

    args = sys.argv[1:] if argv is None else list(argv)
    if backend.get_backend_type() is not backend.BackendType.THREADING:
        sys.stdout.flush()
        sys.stderr.flush()
        bootstrap = _BOOTSTRAP % os.path.basename(sys.argv[0])
        os.execv(sys.executable, [sys.executable, '-c', bootstrap] + args)
    return run(args)


def run(argv: list[str] | None = None) -> int:
    """Run the agent in this process (threading backend chosen)."""
    from neutron.common import config as common_config
    from oslo_config import cfg
    from oslo_service import service
    import setproctitle

    from os_vif_hostinfo.neutron.agent import config
    from os_vif_hostinfo.neutron.agent import service as agent_service
    from os_vif_hostinfo.neutron import report

    setproctitle.setproctitle(report.AGENT_BINARY)
    config.register_opts(cfg.CONF)
    common_config.init(sys.argv[1:] if argv is None else argv)
    common_config.setup_logging()
    agent = agent_service.HostInfoAgent(cfg.CONF)
    agent.remember_launch()
    launcher = service.launch(cfg.CONF, agent, restart_method='mutate')
    result = launcher.wait()
    return result if isinstance(result, int) else 0


if __name__ == '__main__':
    sys.exit(main())
