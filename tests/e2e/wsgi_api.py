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

"""The Neutron API for a WSGI server: ``tests.e2e.wsgi_api:application``.

neutron 29.0.0 has no ``neutron-server`` command; its API is the WSGI
application ``neutron.wsgi.api:application``, which reads its files from
``OS_NEUTRON_CONFIG_DIR`` / ``OS_NEUTRON_CONFIG_FILES`` and also parses
``sys.argv`` as its own options. Under gunicorn, ``sys.argv`` holds
gunicorn's, so they are hidden before neutron is imported.
"""

import sys

sys.argv = sys.argv[:1]

from neutron.wsgi.api import application  # noqa: E402

__all__ = ['application']
