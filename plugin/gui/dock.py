"""The dockable LNRS Toolkit panel."""

from __future__ import annotations

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..__about__ import DOCK_OBJECT_NAME


class LnrsDockWidget(QgsDockWidget):
    """Dock titled "LNRS Toolkit" with a stable objectName for layout restore."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("LNRS Toolkit"))
        self.setObjectName(DOCK_OBJECT_NAME)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.status_label = QLabel(self.tr("No Local Habitat Map loaded."), body)
        self.status_label.setObjectName("packStatusLabel")
        layout.addWidget(self.status_label)
        layout.addStretch(1)
        self.setWidget(body)

    def close_down(self) -> None:
        """Release anything the dock holds before it is deleted."""
