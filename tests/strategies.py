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

"""Hypothesis strategies for host information objects, shared by tests."""

from hypothesis import strategies as st

from os_vif_hostinfo import objects

#: Object versions this library can produce, per object name.
TARGET_VERSIONS = {
    'HostPortProfileInfo': ('1.0',),
    'HostVIFInfo': ('1.0', '1.1'),
    'HostPluginInfo': ('1.0', '1.1'),
    'HostInfo': ('1.0', '1.1'),
}

names = st.text(
    alphabet=st.characters(codec='utf-8', exclude_categories=('Cs',)),
    min_size=1, max_size=20).filter(lambda s: s.strip() != '')

versions = st.builds('{}.{}'.format, st.integers(0, 20), st.integers(0, 20))


@st.composite
def version_ranges(draw):
    """A (min_version, max_version) pair with min <= max."""
    low, high = sorted(
        [draw(st.tuples(st.integers(0, 20), st.integers(0, 20)))
         for _ in range(2)])
    return '%d.%d' % low, '%d.%d' % high


@st.composite
def port_profiles(draw):
    low, high = draw(version_ranges())
    return objects.HostPortProfileInfo(
        profile_object_name=draw(names), min_version=low, max_version=high)


@st.composite
def vif_infos(draw, max_profiles=3):
    low, high = draw(version_ranges())
    return objects.HostVIFInfo(
        vif_object_name=draw(names), min_version=low, max_version=high,
        supported_port_profiles=draw(
            st.lists(port_profiles(), max_size=max_profiles)))


@st.composite
def plugin_infos(draw, max_vifs=4):
    """A plugin naming each VIF class once, as the readers require."""
    return objects.HostPluginInfo(
        plugin_name=draw(names),
        vif_info=draw(st.lists(vif_infos(), max_size=max_vifs,
                               unique_by=lambda v: v.vif_object_name)))


@st.composite
def host_infos(draw, max_plugins=4):
    """A host naming each plugin once, as the readers require."""
    return objects.HostInfo(
        plugin_info=draw(st.lists(plugin_infos(), max_size=max_plugins,
                                  unique_by=lambda p: p.plugin_name)))
