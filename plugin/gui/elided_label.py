"""A one-line label that elides its text in the middle to the width it gets (a long path keeps its start and its
file name), with the whole text in its tooltip."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtWidgets import QLabel, QSizePolicy, QWidget

from .results_view import tip


class MiddleElidedLabel(QLabel):
    """Plain text on one line, ``…`` in the middle when it is wider than the label; :meth:`full_text` is the whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # never widens the dock

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(tip(text))
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width)
                     if width > 0 else self._full)
