"""A host information plugin for a made-up SR-IOV VIF plugin."""

from os_vif_hostinfo import objects
from os_vif_hostinfo import plugin


class SriovHostInfo(plugin.PluginBase):
    """What the ``sriov`` VIF plugin of this package can consume."""

    def describe(self) -> objects.HostPluginInfo:
        """Describe the VIF classes, their versions and port profiles."""
        return objects.HostPluginInfo(plugin_name='sriov', vif_info=[
            objects.HostVIFInfo(
                vif_object_name='VIFHostDevice',
                min_version='1.0', max_version='1.0',
                supported_port_profiles=[
                    objects.HostPortProfileInfo(
                        profile_object_name='VIFPortProfileOVSRepresentor',
                        min_version='1.0', max_version='1.4'),
                ]),
        ])
