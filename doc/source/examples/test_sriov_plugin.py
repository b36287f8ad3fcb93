"""Unit tests of the example plugin, with no entry point installed."""

import testtools

from os_vif_hostinfo import fixture

import sriov_plugin


class Broken(sriov_plugin.SriovHostInfo):
    def describe(self):
        raise RuntimeError('cannot read /sys')


class TestSriovHostInfo(testtools.TestCase):

    def test_described(self):
        plugins = self.useFixture(fixture.PluginFixture(
            {'sriov': sriov_plugin.SriovHostInfo}))
        self.assertEqual([], plugins.failures)
        vif = plugins.host_info().get_plugin('sriov').get_vif(
            'VIFHostDevice')
        self.assertTrue(vif.admits('1.0'))
        self.assertTrue(vif.has_port_profile('VIFPortProfileOVSRepresentor'))

    def test_broken_plugin_is_left_out(self):
        plugins = self.useFixture(fixture.PluginFixture(
            {'sriov': sriov_plugin.SriovHostInfo, 'broken': Broken}))
        self.assertEqual(['sriov'], [
            p.plugin_name for p in plugins.host_info().plugin_info])
        self.assertEqual(1, len(plugins.failures))
        self.assertIn('cannot read /sys', str(plugins.failures[0]))
