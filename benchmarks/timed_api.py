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

"""The Neutron API with this library's share of each request measured.

``benchmarks.timed_api:application`` is what gunicorn serves in
``benchmarks/e2e_binding.py``: the API of :mod:`tests.e2e.wsgi_api`, with

* every request's CPU time (``time.thread_time``: a gunicorn sync worker
  serves one request at a time) added up, and
* the CPU time spent in :meth:`HostInfoBindingMixin.bind_port_with_host_info`
  (all of this library's code in a binding, Neutron's calls it makes
  included) added up.

Each worker writes its totals to ``$OS_VIF_HOSTINFO_SHARE_DIR/<pid>.json``
after every request, a few microseconds against a request of hundreds of
milliseconds.
"""

import json
import os
import time

from tests.e2e.wsgi_api import application as _neutron

from os_vif_hostinfo.neutron.ml2 import mixin

_DIR = os.environ.get('OS_VIF_HOSTINFO_SHARE_DIR', '/tmp')
_totals = {'requests': 0, 'request_cpu': 0.0, 'bindings': 0,
           'library_cpu': 0.0}
_bind = mixin.HostInfoBindingMixin.bind_port_with_host_info


def _timed_bind(self, *args, **kwargs):
    began = time.thread_time()
    try:
        return _bind(self, *args, **kwargs)
    finally:
        _totals['bindings'] += 1
        _totals['library_cpu'] += time.thread_time() - began


mixin.HostInfoBindingMixin.bind_port_with_host_info = _timed_bind


def _save():
    path = os.path.join(_DIR, '%d.json' % os.getpid())
    with open(path + '.tmp', 'w') as f:
        json.dump(_totals, f)
    os.replace(path + '.tmp', path)


def application(environ, start_response):
    began = time.thread_time()
    try:
        # Neutron's API answers with a list of byte strings.
        return list(_neutron(environ, start_response))
    finally:
        _totals['requests'] += 1
        _totals['request_cpu'] += time.thread_time() - began
        _save()
