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

"""Pages generated from the library itself, so they cannot drift from it.

``.. hostinfo-layouts::``
    A table of every object version this library writes: its fields and
    the version of each child object it carries (from ``wire.layout``).

``.. hostinfo-schema-files::``
    A list of links to the JSON Schema files that the build writes with
    ``os_vif_hostinfo.schema.write_schemas`` into ``schemas/`` of the HTML
    output.

It also keeps links and toctree entries to the pages named in
``hostinfo_unbuilt_pages`` from failing the build while those pages do not
exist.
"""

import importlib
import os

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOG = logging.getLogger(__name__)

#: Where the schema files go, relative to the HTML output directory.
SCHEMA_DIR = 'schemas'


def _object_versions(cls_list):
    from os_vif_hostinfo import versions

    newest = versions.parse(cls_list[0].VERSION)
    return [versions.Version(newest.major, minor)
            for minor in range(newest.minor + 1)]


def _table(header, rows, widths):
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    body = nodes.tbody()
    group += body
    for target, cells in ((head, [header]), (body, rows)):
        for cells_row in cells:
            row = nodes.row()
            for cell in cells_row:
                entry = nodes.entry()
                if isinstance(cell, nodes.Node):
                    entry += cell
                else:
                    entry += nodes.paragraph(text=cell)
                row += entry
            target += row
    return table


class LayoutsDirective(SphinxDirective):
    """Render what each object version carries, from the classes."""

    has_content = False

    def run(self):
        from os_vif_hostinfo import objects
        from os_vif_hostinfo import wire

        rows = []
        order = ['HostInfo', 'HostPluginInfo', 'HostVIFInfo',
                 'HostPortProfileInfo']
        for name in order + sorted(set(objects.CLASSES) - set(order)):
            for version in _object_versions(objects.CLASSES[name]):
                plain = []
                carried = []
                cls = objects.CLASSES[name][0]
                for field, child in wire.layout(name, version):
                    if child is None:
                        plain.append(field)
                    else:
                        carried.append('%s: %s %s' % (
                            field, cls._list_fields[field], child))
                rows.append([name, str(version), ', '.join(plain) or '-',
                             '; '.join(carried) or '-'])
        return [_table(['object', 'version', 'fields',
                        'children it carries'], rows, [18, 8, 34, 40])]


class SchemaFilesDirective(SphinxDirective):
    """List the published schema files as links."""

    has_content = False

    def run(self):
        schema = importlib.import_module('os_vif_hostinfo.schema')
        prefix = '../' * self.env.docname.count('/')
        items = nodes.bullet_list()
        for file_name, document in sorted(schema.schema_documents().items()):
            para = nodes.paragraph()
            para += nodes.reference(
                '', '', nodes.literal(text=file_name),
                refuri='%s%s/%s' % (prefix, SCHEMA_DIR, file_name))
            title = document.get('title') if isinstance(
                document, dict) else None
            if title:
                para += nodes.Text(': %s' % title)
            item = nodes.list_item()
            item += para
            items += item
        return [items]


def _unbuilt_page(app, env, node, contnode):
    """Show a link to a page left out of this build as plain text.

    ``hostinfo_unbuilt_pages`` (conf.py) names pages that other parts of
    the project add and that may not exist yet; a link to one of them is
    then not an error.
    """
    if node.get('reftype') != 'doc':
        return None
    target = node['reftarget']
    if target.startswith('/'):
        target = target[1:]
    else:
        base = os.path.dirname(node.get('refdoc', ''))
        target = os.path.normpath(os.path.join(base, target))
    if target in app.config.hostinfo_unbuilt_pages:
        return contnode
    return None


def _drop_unbuilt_entries(app, docname, source):
    """Drop toctree entries that name a page left out of this build.

    An entry is a line of three spaces and a document name, the form the
    toctrees of these pages use.
    """
    unbuilt = set(app.config.hostinfo_unbuilt_pages)
    if not unbuilt:
        return
    base = os.path.dirname(docname)
    kept = []
    for line in source[0].split('\n'):
        entry = line[3:] if line.startswith('   ') else ''
        if entry and ' ' not in entry and ':' not in entry and (
                os.path.normpath(os.path.join(base, entry)) in unbuilt):
            continue
        kept.append(line)
    source[0] = '\n'.join(kept)


def _write_schemas(app):
    """Write every schema file into the HTML output, if the module exists."""
    if app.builder.format != 'html':
        return
    try:
        schema = importlib.import_module('os_vif_hostinfo.schema')
    except ImportError:
        LOG.info('os_vif_hostinfo.schema is missing: no schema files')
        return
    written = schema.write_schemas(os.path.join(app.outdir, SCHEMA_DIR))
    LOG.info('wrote %d schema files into %s/', len(written), SCHEMA_DIR)


def setup(app):
    app.add_directive('hostinfo-layouts', LayoutsDirective)
    app.add_directive('hostinfo-schema-files', SchemaFilesDirective)
    app.add_config_value('hostinfo_unbuilt_pages', [], 'env')
    app.connect('builder-inited', _write_schemas)
    app.connect('missing-reference', _unbuilt_page)
    app.connect('source-read', _drop_unbuilt_entries)
    return {'parallel_read_safe': True, 'parallel_write_safe': True,
            'version': '1.0'}
