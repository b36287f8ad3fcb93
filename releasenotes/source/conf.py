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

"""Sphinx configuration of the os_vif_hostinfo release notes.

The notes are YAML files in ``releasenotes/notes/``, managed with reno
(``reno new <slug>``) and read from the git history, so build them from a
git clone: ``tox -e releasenotes``.
"""

project = 'os_vif_hostinfo release notes'
copyright = '2026, os_vif_hostinfo developers'
author = 'os_vif_hostinfo developers'

extensions = [
    'reno.sphinxext',
]

master_doc = 'index'
language = 'en'
exclude_patterns = []
pygments_style = 'sphinx'

html_theme = 'alabaster'
html_theme_options = {
    'description': 'What changed in each release of os_vif_hostinfo',
}
html_static_path = []
