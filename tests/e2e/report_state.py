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

"""Send agent state reports as an agent does, through Neutron's own client.

``python -m tests.e2e.report_state --config-file agent.conf`` reads a JSON
list of ``configurations`` dicts on stdin and reports each, in order, with
``neutron.agent.rpc.PluginReportStateAPI`` (``use_call=True``, so each one
is in the database when the call returns). Prints a JSON list of the
answers. Used by the end-to-end tests to send reports no real agent would.
"""

import argparse
import json
import sys

from neutron_lib.agent import topics
from neutron_lib import context
from neutron_lib import rpc as n_rpc
from oslo_config import cfg

from neutron.agent import rpc as agent_rpc
from neutron.common import config as common_config
from neutron.conf.agent import common as agent_config


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--config-file', required=True)
    parser.add_argument('--agent-type', required=True)
    parser.add_argument('--binary', required=True)
    args = parser.parse_args()
    common_config.register_common_config_options()
    agent_config.register_agent_state_opts_helper(cfg.CONF)
    common_config.init(['--config-file', args.config_file])
    n_rpc.init(cfg.CONF)
    client = agent_rpc.PluginReportStateAPI(topics.REPORTS)
    ctx = context.get_admin_context_without_session()
    answers = []
    for configurations in json.load(sys.stdin):
        state = {'binary': args.binary, 'host': cfg.CONF.host,
                 'topic': 'N/A', 'agent_type': args.agent_type,
                 'configurations': configurations, 'start_flag': True}
        answers.append(client.report_state(ctx, state, use_call=True))
    print(json.dumps(answers, default=str))


if __name__ == '__main__':
    main()
