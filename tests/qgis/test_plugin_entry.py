"""The real entry point: classFactory -> initProcessing -> initGui -> unload."""

from __future__ import annotations

import importlib

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QDockWidget


def _registry():
    return QgsApplication.processingRegistry()


def test_full_lifecycle_adds_then_removes_everything(qgis_app, qgis_processing, recording_iface):
    package = importlib.import_module("lnrs_toolkit")
    plugin = package.classFactory(recording_iface)
    assert _registry().providerById("lnrs") is None

    plugin.initProcessing()
    provider = _registry().providerById("lnrs")
    assert provider is not None
    assert provider.name() == "LNRS Toolkit"

    plugin.initGui()
    dock = recording_iface.window.findChild(QDockWidget, "LnrsToolkitDock")
    assert dock is not None
    assert dock.windowTitle() == "LNRS Toolkit"
    assert dock in recording_iface.docks()
    assert plugin.action in recording_iface.toolbar.actions()
    menu = recording_iface.submenus["&LNRS Toolkit"]
    assert plugin.action in menu.actions()
    # initGui after initProcessing must not register a second provider
    assert len([p for p in _registry().providers() if p.id() == "lnrs"]) == 1

    plugin.action.setChecked(True)
    assert dock.isUserVisible()
    plugin.action.setChecked(False)
    assert not dock.isUserVisible()

    action = plugin.action
    plugin.unload()
    assert _registry().providerById("lnrs") is None
    assert dock not in recording_iface.docks()
    assert action not in recording_iface.toolbar.actions()
    assert "&LNRS Toolkit" not in recording_iface.submenus
    assert plugin.dock is None and plugin.action is None and plugin.provider is None


def test_unload_after_processing_only(qgis_app, qgis_processing, recording_iface):
    """qgis_process loads the plugin without a GUI: unload must cope."""
    plugin = importlib.import_module("lnrs_toolkit").classFactory(recording_iface)
    plugin.initProcessing()
    assert _registry().providerById("lnrs") is not None
    plugin.unload()
    assert _registry().providerById("lnrs") is None


def test_load_unload_twice_leaves_nothing_behind(qgis_app, qgis_processing, recording_iface):
    for _ in range(2):
        plugin = importlib.import_module("lnrs_toolkit").classFactory(recording_iface)
        plugin.initGui()
        plugin.unload()
    assert _registry().providerById("lnrs") is None
    assert not recording_iface.docks()
    assert not recording_iface.toolbar.actions()


def test_missing_shapely_2_gives_a_message_not_a_traceback(qgis_app, recording_iface, monkeypatch):
    from lnrs_toolkit.plugin import dependencies

    monkeypatch.setattr(dependencies, "missing_dependency_message", lambda: "needs shapely 2")
    messages = []
    bar = recording_iface.messageBar()
    monkeypatch.setattr(bar, "pushMessage", lambda *args, **kw: messages.append(args), raising=False)
    plugin = importlib.import_module("lnrs_toolkit").classFactory(recording_iface)
    assert isinstance(plugin, dependencies.MissingDependencyPlugin)
    plugin.initProcessing()
    plugin.initGui()
    assert messages and "needs shapely 2" in messages[0][1]
    assert _registry().providerById("lnrs") is None
    plugin.unload()
