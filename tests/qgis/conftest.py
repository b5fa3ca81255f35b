"""QGIS tier: real QGIS (pytest-qgis, offscreen) and helpers shared by its tests."""

from __future__ import annotations

import pytest
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar


class RecordingIface:
    """A QgisInterface stand-in with a real main window, toolbar and plugin menu.

    pytest-qgis's iface swallows ``addDockWidget``/``addPluginToMenu``; this one
    puts them into real widgets so tests can see them appear and disappear.
    """

    def __init__(self, base_iface) -> None:
        self._base = base_iface
        self.window = QMainWindow()
        self.window.setObjectName("TestMainWindow")
        self.toolbar = QToolBar("Plugins", self.window)
        self.window.addToolBar(self.toolbar)
        self.plugin_menu = QMenu("Plugins", self.window)
        self.submenus: dict[str, QMenu] = {}
        self.window.resize(1366, 768)
        self.window.show()

    def __getattr__(self, name):
        return getattr(self._base, name)

    def mainWindow(self):
        return self.window

    def mapCanvas(self):
        return self._base.mapCanvas()

    def addDockWidget(self, area, dock: QDockWidget) -> None:
        self.window.addDockWidget(area, dock)

    def removeDockWidget(self, dock: QDockWidget) -> None:
        self.window.removeDockWidget(dock)

    def addToolBarIcon(self, action) -> None:
        self.toolbar.addAction(action)

    def removeToolBarIcon(self, action) -> None:
        self.toolbar.removeAction(action)

    def addPluginToMenu(self, name: str, action) -> None:
        menu = self.submenus.get(name)
        if menu is None:
            menu = self.plugin_menu.addMenu(name)
            self.submenus[name] = menu
        menu.addAction(action)

    def removePluginMenu(self, name: str, action) -> None:
        menu = self.submenus.get(name)
        if menu is None:
            return
        menu.removeAction(action)
        if not menu.actions():
            self.plugin_menu.removeAction(menu.menuAction())
            del self.submenus[name]

    def docks(self) -> list[QDockWidget]:
        docks = self.window.findChildren(QDockWidget)
        return [d for d in docks if self.window.dockWidgetArea(d) != Qt.DockWidgetArea.NoDockWidgetArea]


@pytest.fixture()
def recording_iface(qgis_iface):
    iface = RecordingIface(qgis_iface)
    yield iface
    iface.window.deleteLater()


# QGIS 3.22 can crash in its own C++ teardown when the interpreter exits after a long session
# (sip wrappers of deleted Qt objects). By then pytest has reported every result, so leave at
# once with pytest's own exit status instead of risking a segfault that would hide it.
@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    session.config._lnrs_exitstatus = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    import os
    import sys

    status = getattr(config, "_lnrs_exitstatus", None)
    if status is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
