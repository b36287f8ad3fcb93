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

"""Sphinx configuration of the os_vif_hostinfo documentation.

Build with ``tox -e docs`` (warnings are errors). The sequence diagram
needs Graphviz's ``dot`` program (Debian package ``graphviz``).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '_ext'))

project = 'os_vif_hostinfo'
copyright = '2026, os_vif_hostinfo developers'
author = 'os_vif_hostinfo developers'

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.graphviz',
    'sphinx.ext.viewcode',
    'oslo_config.sphinxext',
    'sphinxcontrib.programoutput',
    'hostinfo_docs',
]

master_doc = 'index'
language = 'en'
exclude_patterns = []
pygments_style = 'sphinx'
nitpicky = False

# -- autodoc ----------------------------------------------------------------

autodoc_default_options = {
    'members': True,
    'show-inheritance': True,
    'member-order': 'bysource',
}
autodoc_typehints = 'description'

# -- Graphviz -----------------------------------------------------------------

graphviz_output_format = 'svg'

# -- sphinxcontrib-programoutput ---------------------------------------------

# Commands run with the interpreter (and console scripts) of the
# environment that runs Sphinx, whatever PATH says; the warnings that
# dependencies print when imported stay out of the pages.
os.environ['PATH'] = os.pathsep.join(
    [os.path.dirname(sys.executable), os.environ.get('PATH', '')])
os.environ['PYTHONWARNINGS'] = 'ignore'
programoutput_use_ansi = False

# -- Manual page ---------------------------------------------------------------

# sphinx-build -b man (tox -e docs) writes doc/build/man/os-vif-hostinfo.1,
# which setup.cfg's data_files installs when it has been built.
man_pages = [
    ('reference/cli', 'os-vif-hostinfo',
     'inspect and negotiate os-vif host information',
     [author], 1),
]
man_make_section_directory = False
man_show_urls = False

# -- HTML -----------------------------------------------------------------

# Sphinx's own default theme: it needs nothing from the network to build or
# to view.
html_theme = 'alabaster'
html_theme_options = {
    'description': 'Host information and version negotiation for os-vif',
    'fixed_sidebar': True,
    'page_width': '1140px',
    'sidebar_width': '230px',
}
html_static_path = []
html_extra_path = []
html_last_updated_fmt = None
html_show_sourcelink = False
