"""A one-line label for a path that elides it in the middle to the width it gets (a long path keeps its start and
its file name), with the whole path in its tooltip."""

from __future__ import annotations

from typing import Any

from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QFontMetrics
from qgis.PyQt.QtWidgets import QLabel, QSizePolicy, QWidget

from .results_view import tip


class MiddleElidedLabel(QLabel):
    """A path on one line, ``…`` in its folders when it is wider than the label; :meth:`full_text` is the whole."""

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
        self.setText(elide_path(self._full, self.fontMetrics(), self.contentsRect().width()))


def elide_path(path: str, metrics: QFontMetrics, width: int) -> str:
    """``path`` as it fits ``width``: whole, else its folders elided in the middle and its file name whole (the file
    name too when even it is wider)."""
    if width <= 0 or metrics.horizontalAdvance(path) <= width:
        return path
    cut = max(path.rfind("/"), path.rfind("\\"))
    folders, name = (path[:cut], path[cut:]) if cut > 0 else ("", path)
    room = width - metrics.horizontalAdvance(name)
    if not folders or room < metrics.horizontalAdvance("\u2026") * 4:
        return metrics.elidedText(path, Qt.TextElideMode.ElideMiddle, width)
    return metrics.elidedText(folders, Qt.TextElideMode.ElideMiddle, room) + name
