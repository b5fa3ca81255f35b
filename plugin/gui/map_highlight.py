"""Showing sites and findings on the map canvas (pack geometry is in EPSG:27700)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsProject,
    QgsRectangle,
)
from qgis.gui import QgsMapCanvas, QgsRubberBand
from qgis.PyQt.QtGui import QColor

from ..adapters.qgis_geometry import to_qgs
from ..core.pack.schema import PACK_CRS
from ..core.screening.engine import LayerIndex, PackIndex


def pack_crs() -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem(PACK_CRS)


def pack_layer(index: PackIndex, name: str) -> LayerIndex | None:
    for li in (index.designated, index.irreplaceable, index.trees, index.opportunity, index.interim,
               index.priority_habitats):
        if li is not None and li.name == name:
            return li
    return None


def feature_geometry(index: PackIndex, layer: str, fid: int) -> Any | None:
    """The shapely geometry (EPSG:27700) of a pack feature, or None when it is not in the index."""
    li = pack_layer(index, layer)
    if li is None:
        return None
    hits = np.flatnonzero(li.fids == int(fid))
    return li.geoms[int(hits[0])] if len(hits) else None


def to_canvas_rect(canvas: QgsMapCanvas, bounds: tuple[float, float, float, float],
                   margin: float = 0.25, minimum_m: float = 100.0) -> QgsRectangle | None:
    """EPSG:27700 bounds grown by ``margin`` (and to at least ``minimum_m`` wide), in the canvas CRS."""
    x0, y0, x1, y1 = bounds
    w, h = max(x1 - x0, minimum_m), max(y1 - y0, minimum_m)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    rect = QgsRectangle(cx - w * (0.5 + margin), cy - h * (0.5 + margin), cx + w * (0.5 + margin),
                        cy + h * (0.5 + margin))
    dest = canvas.mapSettings().destinationCrs()
    if not dest.isValid() or dest == pack_crs():
        return rect
    try:
        transform = QgsCoordinateTransform(pack_crs(), dest, QgsProject.instance().transformContext())
        return transform.transformBoundingBox(rect)
    except QgsCsException:
        return None


def zoom_to(canvas: QgsMapCanvas, geometries: Sequence[Any]) -> None:
    """Zoom the canvas to shapely geometries in EPSG:27700."""
    present = [g for g in geometries if g is not None]
    if not present:
        return
    bounds = shapely.total_bounds(np.asarray(present, dtype=object))
    rect = to_canvas_rect(canvas, (float(bounds[0]), float(bounds[1]), float(bounds[2]), float(bounds[3])))
    if rect is not None and not rect.isEmpty():
        canvas.setExtent(rect)
        canvas.refresh()


def flash(canvas: QgsMapCanvas, geometry: Any) -> None:
    canvas.flashGeometries([to_qgs(geometry)], pack_crs(), QColor(255, 200, 0, 255), QColor(255, 200, 0, 0), 3, 400)


class SiteHighlight:
    """A rubber band outlining the screened site(s)."""

    def __init__(self, canvas: QgsMapCanvas) -> None:
        self.canvas = canvas
        self.band = QgsRubberBand(canvas, Qgis.GeometryType.Polygon)
        self.band.setColor(QColor(200, 0, 200, 230))
        self.band.setFillColor(QColor(200, 0, 200, 40))
        self.band.setWidth(3)

    def show(self, geometries: Sequence[Any]) -> None:
        self.band.reset(Qgis.GeometryType.Polygon)
        for g in geometries:
            if g is not None:
                self.band.addGeometry(to_qgs(g), pack_crs())

    def clear(self) -> None:
        self.band.reset(Qgis.GeometryType.Polygon)

    def remove(self) -> None:
        self.clear()
        scene = self.canvas.scene()
        if scene is not None:
            scene.removeItem(self.band)
