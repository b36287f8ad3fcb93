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

"""``os-vif-hostinfo demo``: the negotiation, narrated, over oslo.messaging.

One concern in five modules: the command and its modes
(:mod:`.command`), the service host's story (:mod:`.service`), the
network hosts of two releases (:mod:`.hosts`), the narration
(:mod:`.narrator`), and the link to oslo.messaging with its bounded
shutdown (:mod:`.transport`). The console script's entry point is
``os_vif_hostinfo.cli.demo:Demo``.
"""

from os_vif_hostinfo.cli.demo.command import Demo

__all__ = ['Demo']
