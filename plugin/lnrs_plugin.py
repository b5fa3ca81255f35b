"""The plugin class: it only wires things up and undoes every registration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QAction, QIcon

from .__about__ import __icon_path__, __title__, __version__
from .adapters.qgis_ostn15 import install_proj_grid
from .i18n import install_translator, remove_translator
from .log import log_info, log_warning

if TYPE_CHECKING:
    from .gui.dock import LnrsDockWidget
    from .processing.provider import LnrsProvider


class LnrsToolkitPlugin:
    """Registered by :func:`classFactory`; QGIS calls the ``init*``/``unload`` hooks."""

    def __init__(self, iface) -> None:  # noqa: QGS105 - QGIS hands iface to classFactory
        self.iface = iface
        self.provider: LnrsProvider | None = None
        self.dock: LnrsDockWidget | None = None
        self.action: QAction | None = None
        self.translator = install_translator()
        self.ostn15_grid = install_proj_grid()  # before QGIS's first transform, so QGIS itself uses OSTN15
        if self.ostn15_grid is None:
            log_warning(self.tr("The OSTN15 grid could not be installed; WGS84 sites are moved to British "
                                "National Grid with a Helmert transformation good to a few metres."))

    @staticmethod
    def tr(message: str) -> str:
        return str(QCoreApplication.translate("LnrsToolkitPlugin", message))

    # -- Processing ---------------------------------------------------------
    def initProcessing(self) -> None:  # noqa: N802 - QGIS hook name
        from .processing.provider import LnrsProvider

        if self.provider is None:
            self.provider = LnrsProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    # -- GUI ------------------------------------------------------------------
    def initGui(self) -> None:  # noqa: N802 - QGIS hook name
        from .gui.dock import LnrsDockWidget

        self.initProcessing()
        self.dock = LnrsDockWidget(self.iface, self.iface.mainWindow())
        self.dock.setVisible(False)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)

        self.action = QAction(QIcon(str(__icon_path__)), self.tr("LNRS Toolkit"), self.iface.mainWindow())
        self.action.setObjectName("LnrsToolkitAction")
        self.action.setCheckable(True)
        self.action.setToolTip(self.tr("Show or hide the LNRS Toolkit panel"))
        self.action.toggled.connect(self.dock.setUserVisible)
        self.dock.visibilityChanged.connect(self._sync_action)
        self.iface.addToolBarIcon(self.action)
        self.iface.addPluginToMenu(self.tr("&LNRS Toolkit"), self.action)
        log_info(f"{__title__} {__version__} loaded")

    def _sync_action(self, visible: bool) -> None:
        if self.action is not None and self.action.isChecked() != visible:
            self.action.setChecked(visible)

    # -- Demo -----------------------------------------------------------------
    def open_demo_for_startup(self) -> None:
        """Open the bundled demo pack: styled layers in a group named after it, map zoomed to them,
        and the pack loaded in the dock (called by scripts/qgis_startup.py under ``make run``)."""
        from .project_layers import demo_pack_path, open_pack_in_project

        path = demo_pack_path()
        open_pack_in_project(str(path), canvas=self.iface.mapCanvas())
        set_pack = getattr(self.dock, "set_pack_path", None)
        if set_pack is not None:
            set_pack(str(path))
        log_info(f"demo pack opened: {path}")

    def unload(self) -> None:
        if self.action is not None:
            self.iface.removePluginMenu(self.tr("&LNRS Toolkit"), self.action)
            self.iface.removeToolBarIcon(self.action)
            self.action.deleteLater()
            self.action = None
        if self.dock is not None:
            self.iface.removeDockWidget(self.dock)
            self.dock.close_down()
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translator(self.translator)
        self.translator = None

    # -- Desktop probe (screenshots) -----------------------------------------
    def probe_screen_demo_site(self) -> dict:
        """Screen a demo site on the bundled demo pack in the dock and show the result.

        Called by scripts/qgis_startup.py when LNRS_PROBE_SITE=1; also writes the PDF report of the
        site next to LNRS_PROBE_OUT (build/demo_report.pdf) for the README's screenshots.
        """
        import os
        from pathlib import Path

        from .gui.demo_site import screen_demo_site
        from .gui.pack_chooser import DEMO_PACK

        if self.dock is None:
            return {"error": "the LNRS Toolkit panel is not set up"}
        self.dock.setUserVisible(True)
        out = os.environ.get("LNRS_PROBE_OUT", "")
        pdf = str(Path(out).with_name("demo_report.pdf")) if out else ""
        return screen_demo_site(self.dock, str(DEMO_PACK), pdf, (1366, 768))
