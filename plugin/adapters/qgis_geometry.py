"""QgsGeometry <-> shapely: to EPSG:27700 (curves straightened, Z/M dropped, with notes for the user) and back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsGeometry,
    QgsWkbTypes,
)
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.pack.schema import PACK_CRS
from .qgis_ostn15 import prefer_ostn15

PACK_CRS_QGS = QgsCoordinateReferenceSystem(PACK_CRS)


@dataclass(frozen=True)
class Converted:
    geometry: BaseGeometry | None
    notes: tuple[str, ...]


def transform_to_pack(crs: QgsCoordinateReferenceSystem, context: QgsCoordinateTransformContext | None,
                      what: str) -> QgsCoordinateTransform | None:
    """The transform from ``crs`` to EPSG:27700 (``None`` if already there), through OSTN15 from ETRS89/WGS84;
    refuses a missing CRS."""
    if crs is None or not crs.isValid():
        raise InputError(f"{what} has no coordinate reference system; set it (Layer Properties ▸ Source) "
                         "so it can be reprojected to British National Grid (EPSG:27700).")
    if crs == PACK_CRS_QGS:
        return None
    transform = QgsCoordinateTransform(crs, PACK_CRS_QGS, context or QgsCoordinateTransformContext())
    prefer_ostn15(transform, context)
    return transform


def to_shapely(geometry: QgsGeometry | None, transform: QgsCoordinateTransform | None) -> Converted:
    """Convert one geometry; ``Converted.geometry`` is None for null or empty geometry."""
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return Converted(None, ())
    g = QgsGeometry(geometry)
    notes: list[str] = []
    wkb_type = g.wkbType()
    if QgsWkbTypes.isCurvedType(wkb_type):
        g = QgsGeometry(g.constGet().segmentize())
        notes.append("Curved edges were converted to straight segments.")
    if QgsWkbTypes.hasZ(wkb_type) or QgsWkbTypes.hasM(wkb_type):
        abstract = g.get()
        abstract.dropZValue()
        abstract.dropMValue()
        notes.append("Z/M values were dropped; screening is two-dimensional.")
    if transform is not None:
        try:
            g.transform(transform)
        except QgsCsException as exc:
            raise InputError(f"the geometry cannot be reprojected to EPSG:27700 ({exc}); check the layer's CRS.") \
                from exc
    try:
        shape = shapely.from_wkb(bytes(g.asWkb()))
    except shapely.errors.GEOSException as exc:
        raise InputError(f"the geometry cannot be read ({exc}).") from exc
    if transform is not None and not np.isfinite(shapely.get_coordinates(shape)).all():
        raise InputError("the geometry cannot be reprojected to EPSG:27700 (its coordinates do not fit the "
                         f"layer's CRS {transform.sourceCrs().authid()}); check the layer's CRS.")
    return Converted(shape, tuple(notes))


def to_qgs(geometry: BaseGeometry | None) -> QgsGeometry:
    """A shapely geometry as a QgsGeometry (the same 2D coordinates; a null geometry for None or empty).

    The WKB dimension is given, not left to shapely: shapely 2.1 asks GEOS 3.12+ for four dimensions, which an
    older GEOS refuses if it answers shapely's calls (see :mod:`..shapely_import`).
    """
    if geometry is None or geometry.is_empty:
        return QgsGeometry()
    g = QgsGeometry()
    g.fromWkb(shapely.to_wkb(geometry, output_dimension=2))
    return g
