"""QGIS tier: real QGIS (pytest-qgis, offscreen) and helpers shared by its tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsDataSourceUri, QgsProviderRegistry
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar


# QGIS here sees the OSTN15 grid the plugin ships, as QGIS does on a user's machine once the plugin installed it
# (plugin/adapters/qgis_ostn15.py); PROJ reads PROJ_DATA when QGIS starts, which is after this file is imported.
def _proj_data_with_the_bundled_grid() -> str:
    from osgeo import osr

    default = os.environ.get("PROJ_DATA") or os.pathsep.join(osr.GetPROJSearchPaths() or [])
    grid_dir = Path(__file__).resolve().parents[2] / "resources" / "proj"
    return os.pathsep.join(p for p in (str(grid_dir), default) if p)


os.environ["PROJ_DATA"] = _proj_data_with_the_bundled_grid()


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


@pytest.hookimpl(trylast=True)  # called last, printed first (pytest writes the header hooks' lines in reverse)
def pytest_report_header(config):
    """The QGIS this tier runs on, on the header's first lines: QGIS, Qt, GDAL, GEOS and PROJ as QGIS links them
    (tests/conftest.py adds shapely's line)."""
    from osgeo import gdal, osr
    from qgis.core import Qgis
    from qgis.PyQt.QtCore import PYQT_VERSION_STR, QT_VERSION_STR

    proj = ".".join(str(n) for n in (osr.GetPROJVersionMajor(), osr.GetPROJVersionMinor(), osr.GetPROJVersionMicro()))
    return [f"QGIS {Qgis.version()} (Qt {QT_VERSION_STR}, PyQt {PYQT_VERSION_STR})",
            f"GDAL {gdal.__version__}, GEOS {Qgis.geosVersion()}, PROJ {proj}"]


@pytest.fixture()
def recording_iface(qgis_iface):
    iface = RecordingIface(qgis_iface)
    yield iface
    iface.window.deleteLater()


# ---------------------------------------------------------------- PostgreSQL + PostGIS
PG_CONNECTION = "lnrs-test-postgis"
MASTER_PASSWORD = "lnrs-test-master-password"  # pytest-qgis: a fresh auth db per session


@pytest.fixture(scope="session")
def server():
    """One throwaway PostgreSQL + PostGIS server on loopback for the whole session (skips if unavailable)."""
    from lnrs_toolkit.tests.qgis.postgis_server import running_server, unavailable

    reason = unavailable()
    if reason:
        pytest.skip(f"PostGIS tests need a local server: {reason}")
    with running_server() as srv:
        yield srv


def save_pg_connection(server, name: str, user: str | None = None, password: str | None = None) -> str:
    """Save a QGIS PostgreSQL connection ``name`` whose credentials live only in an auth configuration."""
    auth = QgsApplication.authManager()
    if not auth.masterPasswordIsSet():
        assert auth.setMasterPassword(MASTER_PASSWORD, True)
    cfg = QgsAuthMethodConfig("Basic")
    cfg.setName(f"LNRS test {name}")
    cfg.setConfig("username", user or server.user)
    cfg.setConfig("password", password or server.password)
    assert auth.storeAuthenticationConfig(cfg)
    assert cfg.id()
    uri = QgsDataSourceUri()
    uri.setConnection(server.host, str(server.port), server.dbname, "", "", QgsDataSourceUri.SslDisable, cfg.id())
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    metadata.saveConnection(metadata.createConnection(uri.uri(False), {}), name)
    return str(cfg.id())


def drop_pg_connection(name: str, authcfg: str) -> None:
    QgsProviderRegistry.instance().providerMetadata("postgres").deleteConnection(name)
    QgsApplication.authManager().removeAuthenticationConfig(authcfg)


@pytest.fixture()
def connection(qgis_app, server):
    """A saved PostgreSQL connection whose user and password are only in an auth configuration."""
    authcfg = save_pg_connection(server, PG_CONNECTION)
    yield PG_CONNECTION
    drop_pg_connection(PG_CONNECTION, authcfg)


# QGIS (seen on 3.22) can crash in its own C++ teardown when the interpreter exits after a long session
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


@pytest.fixture()
def lnrs_provider(qgis_app, qgis_processing):
    """The plugin's Processing provider ("lnrs"), registered for one test; removed after it if the test added it
    (the plugin-entry tests expect no provider until the plugin registers its own)."""
    from lnrs_toolkit.plugin.processing.provider import LnrsProvider

    registry = QgsApplication.processingRegistry()
    added = None
    if registry.providerById("lnrs") is None:
        added = LnrsProvider()
        registry.addProvider(added)
    yield registry.providerById("lnrs")
    if added is not None:
        registry.removeProvider(added)
