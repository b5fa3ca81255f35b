"""The Edit map tab's *PostGIS* menu (issue 20, what teams miss: PostGIS set-up in the plugin): it opens the
Processing dialogs of the set-up algorithms, filled in from the dock's pack:

- *Publish this pack to PostGIS…*: ``lnrs:publishpacktopostgis`` with the dock's GeoPackage;
- *Update a PostGIS pack's layers (keeping history)…*: the same algorithm with *replace* ticked, and the
  connection and schema of the dock's PostGIS pack;
- *Set up PostGIS roles…*: ``lnrs:setuppostgisroles`` with the dock's PostGIS pack.

The algorithms do the work and say what they did; the menu only opens their dialogs (``open_dialog``, replaceable
in tests).
"""

from __future__ import annotations

import traceback
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication, QObject
from qgis.PyQt.QtWidgets import QGridLayout, QMenu, QSizePolicy, QToolButton

from ..adapters.pack_source import PackSource
from ..log import log_error

translate = QCoreApplication.translate  # context "EditingPanel": the tab's texts

PUBLISH = "lnrs:publishpacktopostgis"
ROLES = "lnrs:setuppostgisroles"


def open_algorithm_dialog(algorithm: str, parameters: dict[str, Any]) -> Any:
    """QGIS's own dialog of a Processing algorithm, filled in with ``parameters``."""
    import processing  # QGIS's Processing plugin: loaded with QGIS, not at import time

    return processing.execAlgorithmDialog(algorithm, parameters)


class PostgisSetupMenu(QObject):
    """The *PostGIS* tool button (``button``) and its three actions."""

    def __init__(self, panel: Any, grid: QGridLayout, row: int, column: int) -> None:
        """The button goes into the tab's ``grid`` at ``row``, ``column``."""
        super().__init__(panel)
        self.panel = panel
        self.open_dialog = open_algorithm_dialog
        self.button = QToolButton()
        self.button.setObjectName("postgisSetupButton")
        self.button.setText(translate("EditingPanel", "&PostGIS set-up\u2026"))
        self.button.setToolTip(translate("EditingPanel", "Share a pack through PostgreSQL: publish it, update its "
                                                         "layers keeping its history, give editors and readers "
                                                         "their privileges"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # as wide as its row
        menu = QMenu(self.button)
        self.publish_action = menu.addAction(translate("EditingPanel", "Publish this pack to PostGIS\u2026"))
        self.publish_action.triggered.connect(lambda: self.publish())
        self.update_action = menu.addAction(translate("EditingPanel", "Update a PostGIS pack's layers (keeping its "
                                                                      "history)\u2026"))
        self.update_action.triggered.connect(lambda: self.update_layers())
        self.roles_action = menu.addAction(translate("EditingPanel", "Set up PostGIS roles for this pack\u2026"))
        self.roles_action.triggered.connect(lambda: self.set_up_roles())
        self.button.setMenu(menu)
        grid.addWidget(self.button, row, column)

    def _source(self) -> PackSource | None:
        source: PackSource | None = self.panel.dock_source()
        return source

    def update_state(self, busy: bool) -> None:
        source = self._source()
        self.button.setEnabled(not busy)
        self.publish_action.setEnabled(source is not None and source.kind == "gpkg")
        self.roles_action.setEnabled(source is not None and source.kind == "postgis")

    def _open(self, algorithm: str, parameters: dict[str, Any]) -> bool:
        try:
            self.open_dialog(algorithm, parameters)
        except Exception as exc:  # noqa: BLE001 - Processing missing or the algorithm unknown: a sentence, not a trace
            log_error(traceback.format_exc())
            self.panel.show_error(translate("EditingPanel", "The Processing dialog {0} could not be opened ({1}); is "
                                                            "the Processing plugin enabled?").format(algorithm, exc))
            return False
        return True

    def publish(self) -> bool:
        source = self._source()
        return self._open(PUBLISH, {"PACK": source.path} if source is not None and source.kind == "gpkg" else {})

    def update_layers(self) -> bool:
        source = self._source()
        parameters: dict[str, Any] = {"REPLACE": True, "DISCARD_HISTORY": False}
        if source is not None and source.kind == "postgis":
            parameters.update(CONNECTION=source.connection, SCHEMA=source.schema)
        elif source is not None:
            parameters["PACK"] = source.path
        return self._open(PUBLISH, parameters)

    def set_up_roles(self) -> bool:
        source = self._source()
        return self._open(ROLES, {"PACK": str(source)} if source is not None and source.kind == "postgis" else {})
