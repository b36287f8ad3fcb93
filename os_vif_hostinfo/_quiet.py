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

"""Import oslo.versionedobjects without its dependencies' import noise.

oslo.versionedobjects imports oslo.messaging, which imports eventlet, and
eventlet announces its own deprecation when first imported. That notice is
about a library this package never uses, so it is hidden here, once, with a
filter that is restored right after the import.
"""

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
    import oslo_versionedobjects.base  # noqa: F401
