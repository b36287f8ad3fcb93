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

"""A network host running real os-vif 5.3.0, for tests.

Run as ``python -m tests.osvif_peer``. It never imports os_vif_hostinfo: it
reads one JSON payload per line on stdin with os-vif's own HostInfo class
and answers one JSON line on stdout, either ``{"result": {...}}`` with what
it read, or an ``unsupported_version`` error body built from what os-vif
raised.
"""

import sys

from os_vif import objects as osv_objects
from os_vif.objects import host_info as osv_host_info
from oslo_serialization import jsonutils
from oslo_versionedobjects import exception as ovo_exception


def answer(line: str) -> dict:
    primitive = jsonutils.loads(line)
    try:
        info = osv_host_info.HostInfo.obj_from_primitive(primitive)
    except ovo_exception.IncompatibleObjectVersion as exc:
        return {'error': {
            'code': 'unsupported_version',
            'object': exc.kwargs['objname'],
            'requested_version': exc.kwargs['objver'],
            'max_supported_version': exc.kwargs['supported'],
            'message': str(exc)}}
    return {'result': {
        'version': info.VERSION,
        'class': '%s.%s' % (type(info).__module__, type(info).__name__),
        'plugins': [p.plugin_name for p in info.plugin_info],
        'vifs': [v.vif_object_name for p in info.plugin_info
                 for v in p.vif_info],
    }}


def main() -> int:
    osv_objects.register_all()
    for line in sys.stdin:
        sys.stdout.write(jsonutils.dumps(answer(line)) + '\n')
        sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main())
