"""*Save to my working copy* (issue 20, what teams miss: save locally): the working layer's edit buffer is committed
into the working copy (the GeoPackage in the QGIS profile), and nothing is sent to the Local Habitat Map. The
changes are then pending, listed by the tab, kept when QGIS closes and shown again when the copy is resumed;
*Save to the Local Habitat Map* sends them later.

:class:`WorkingCopySave` holds the tab's button and the action; the commit is the check-in's own
(:meth:`.edit_check_in.CheckIn._commit_layer`, which does not start a check-in).
"""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication, QObject
from qgis.PyQt.QtWidgets import QGridLayout, QPushButton

translate = QCoreApplication.translate  # context "EditingPanel": the tab's texts


class WorkingCopySave(QObject):
    """The Edit map tab's *Save to my working copy* button (``button``) and its action (:meth:`save`)."""

    def __init__(self, panel: Any, grid: QGridLayout, row: int, column: int) -> None:
        """The button goes into the tab's ``grid`` at ``row``, ``column``."""
        super().__init__(panel)
        self.panel = panel
        self.button = QPushButton(translate("EditingPanel", "Save &working copy"))
        self.button.setObjectName("saveToWorkingCopyButton")
        self.button.setToolTip(translate("EditingPanel", "Save to my working copy: keep your edits without sending "
                                                         "them to the Local Habitat Map; they are listed as pending, "
                                                         "stay when QGIS closes, and are saved to the map when you "
                                                         "choose"))
        self.button.clicked.connect(lambda: self.save())
        grid.addWidget(self.button, row, column)

    def update_state(self, busy: bool) -> None:
        layer = self.panel.layer
        self.button.setEnabled(not busy and self.panel.working is not None and layer is not None
                               and layer.isModified())

    def save(self) -> bool:
        """Commit the layer's edit buffer into the working copy; the pack is not touched."""
        panel = self.panel
        if panel.working is None:
            panel.show_error(translate("EditingPanel", "Start editing first."))
            return False
        if panel.task is not None:
            panel.show_message(translate("EditingPanel", "A save to the map is running; wait for it to finish."),
                               Qgis.MessageLevel.Warning)
            return False
        had_edits = panel.layer is not None and panel.layer.isModified()
        if not panel._commit_layer():
            return False
        panel.refresh()
        count = len(panel.pending)
        if had_edits:
            panel.show_message(translate("EditingPanel", "Saved in your working copy: {0} change(s) wait to be saved "
                                                         "to the Local Habitat Map, which is unchanged. They stay when "
                                                         "QGIS closes.").format(count), Qgis.MessageLevel.Success)
        else:
            panel.show_message(translate("EditingPanel", "Your working copy already holds every edit: {0} change(s) "
                                                         "wait to be saved to the Local Habitat Map.").format(count))
        return True
