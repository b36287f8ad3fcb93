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

"""Base class of the end-to-end tests: a real control plane over HTTP."""

from tests import base
from tests.e2e import cloud
from tests.e2e import services


class E2ETestCase(base.TestCase):
    """``self.cloud`` is the run's :class:`~tests.e2e.cloud.ControlPlane`.

    When a service cannot start, every test fails with one line naming
    what is missing; none is skipped and none hangs.
    """

    def setUp(self):
        super().setUp()
        try:
            self.cloud = cloud.get()
        except services.ServiceUnavailable as exc:
            self.fail('the control plane could not start: %s' % exc)
        self.conn = self.cloud.conn
