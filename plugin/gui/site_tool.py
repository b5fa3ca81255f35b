"""A map tool to draw one site polygon, with snapping.

Left click adds a vertex (snapped to the project's snapping settings), Backspace or Delete removes
the last one, right click or Enter finishes, Esc cancels.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsGeometry, QgsPointLocator, QgsPointXY
from qgis.gui import QgsMapCanvas, QgsMapMouseEvent, QgsMapTool, QgsRubberBand, QgsSnapIndicator
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QKeyEvent


class SiteMapTool(QgsMapTool):
    """Emits ``site_drawn(geometry, crs)`` with a polygon in the canvas CRS."""

    site_drawn = pyqtSignal(QgsGeometry, QgsCoordinateReferenceSystem)
    cancelled = pyqtSignal()

    def __init__(self, canvas: QgsMapCanvas) -> None:
        super().__init__(canvas)
        self.points: list[QgsPointXY] = []
        self.rubber_band = QgsRubberBand(canvas, Qgis.GeometryType.Polygon)
        self.rubber_band.setColor(QColor(220, 40, 40, 200))
        self.rubber_band.setFillColor(QColor(220, 40, 40, 50))
        self.rubber_band.setWidth(2)
        self.snap_indicator = QgsSnapIndicator(canvas)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # -- mouse -------------------------------------------------------------
    def _snapped(self, event: QgsMapMouseEvent) -> QgsPointXY:
        match = self.canvas().snappingUtils().snapToMap(event.mapPoint())
        self.snap_indicator.setMatch(match)
        return QgsPointXY(match.point()) if match.isValid() else QgsPointXY(event.mapPoint())

    def canvasMoveEvent(self, event: QgsMapMouseEvent) -> None:  # noqa: N802 - Qt override
        point = self._snapped(event)
        self._redraw(point)

    def canvasReleaseEvent(self, event: QgsMapMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.RightButton:
            self.finish()
        elif event.button() == Qt.MouseButton.LeftButton:
            self.add_point(self._snapped(event))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self.remove_last_point()
            event.accept()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
            event.accept()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            event.accept()
        else:
            event.ignore()

    # -- editing -----------------------------------------------------------
    def add_point(self, point: QgsPointXY) -> None:
        self.points.append(QgsPointXY(point))
        self._redraw()

    def remove_last_point(self) -> None:
        if self.points:
            self.points.pop()
        self._redraw()

    def cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    def finish(self) -> None:
        if len(self.points) < 3:
            return
        geometry = QgsGeometry.fromPolygonXY([[*self.points, self.points[0]]])
        crs = self.canvas().mapSettings().destinationCrs()
        self.reset()
        self.site_drawn.emit(geometry, crs)

    def reset(self) -> None:
        self.points = []
        self.rubber_band.reset(Qgis.GeometryType.Polygon)
        self.snap_indicator.setMatch(QgsPointLocator.Match())

    def _redraw(self, hover: QgsPointXY | None = None) -> None:
        points = [*self.points, hover] if hover is not None else list(self.points)
        self.rubber_band.reset(Qgis.GeometryType.Polygon)
        for i, p in enumerate(points):
            self.rubber_band.addPoint(p, i == len(points) - 1)

    def deactivate(self) -> None:
        self.reset()
        super().deactivate()

    def clean_up(self) -> None:
        self.reset()
        self.canvas().scene().removeItem(self.rubber_band)
