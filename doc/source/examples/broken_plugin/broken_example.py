"""A plugin package with two mistakes, for the operator guide."""

from os_vif_hostinfo import plugin


class NoSysfs(plugin.PluginBase):
    """Fails the way a plugin reading the host's state might."""

    def describe(self):
        raise OSError('/sys/class/net/enp3s0f0/device/sriov_numvfs: '
                      'No such file or directory')


class NotAPlugin:
    """Forgot to subclass PluginBase."""
