"""Dock tabs whose pages scroll: a page taller or wider than the dock gets scroll bars instead of setting the dock's
minimum size (on a 1366 x 768 screen a tall tab would otherwise force QGIS's window taller than the screen)."""

from __future__ import annotations

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QScrollArea, QTabWidget, QWidget


class ScrollingTabs(QTabWidget):
    """A tab widget that puts each page in a :class:`QScrollArea` (resizable: the page fills the area whenever the
    area is at least the page's minimum size). ``indexOf`` and ``setCurrentWidget`` accept the page itself."""

    def add_page(self, page: QWidget, label: str) -> int:
        scroll = QScrollArea(self)
        scroll.setObjectName(f"{page.objectName() or type(page).__name__}Scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(page)
        return int(self.addTab(scroll, label))

    def page(self, index: int) -> QWidget | None:
        """The page of tab ``index`` (not its scroll area)."""
        scroll = self.widget(index)
        return scroll.widget() if isinstance(scroll, QScrollArea) else scroll

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802 - Qt override
        for i in range(self.count()):
            if widget is self.widget(i) or widget is self.page(i):
                return i
        return -1

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt override
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)
