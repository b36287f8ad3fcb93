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

"""The real Neutron ports the explain tests read, in both key styles.

They are the files in tests/fixtures/ports/, saved from what Neutron
29.0.0's API answered in ``tox -e neutron`` (see the README there).
"""

import json
import os

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures', 'ports')
NAMES = ('bound', 'refused', 'no_common_vif', 'legacy', 'hostile')
STYLES = ('api', 'cli')


def path(name, style='api'):
    """The fixture file of port ``name`` in key style ``style``."""
    return os.path.join(FIXTURES, style, name + '.json')


def load(name, style='api'):
    with open(path(name, style)) as stream:
        return json.load(stream)


def cli_style(port):
    """``port`` as ``openstack port show -f json`` prints it."""
    return {key.replace('binding:', 'binding_'): value
            for key, value in port.items()}


def ports():
    """(name, key style) -> port dict, for every saved port."""
    return {(name, style): load(name, style)
            for name in NAMES for style in STYLES}
