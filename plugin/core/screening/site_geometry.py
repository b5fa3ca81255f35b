"""Turning whatever the user gave as a site into one clean polygonal geometry in metres."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import InputError

#: Valid extent of the British National Grid (EPSG:27700), metres, with a margin.
BNG_BOUNDS = (-110_000.0, -20_000.0, 700_000.0, 1_300_000.0)


@dataclass(frozen=True)
class PreparedSite:
    geometry: BaseGeometry
    area_m2: float
    notes: tuple[str, ...]
    repaired: bool


def _polygonal_part(geom: BaseGeometry) -> BaseGeometry | None:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def prepare_site(geom: Any, label: str = "the site") -> PreparedSite:
    """Check and repair a site geometry in EPSG:27700; raise :class:`InputError` when unusable."""
    notes: list[str] = []
    if geom is None:
        raise InputError(f"{label} has no geometry; draw it or choose a feature with a polygon.")
    if not isinstance(geom, BaseGeometry):
        raise InputError(f"{label} is not a geometry.")
    if geom.is_empty:
        raise InputError(f"{label} has an empty geometry; draw it again or choose another feature.")
    gtype = geom.geom_type
    if gtype in ("Point", "MultiPoint", "LineString", "MultiLineString", "LinearRing"):
        kind = "point" if "Point" in gtype else "line"
        raise InputError(f"{label} is a {kind}, not a polygon; screening needs the site's red line boundary "
                         "as a polygon.")
    if shapely.has_z(geom):
        geom = shapely.force_2d(geom)
        notes.append("Z values were dropped; screening is two-dimensional.")
    if gtype == "GeometryCollection":
        poly = _polygonal_part(geom)
        if poly is None:
            raise InputError(f"{label} holds no polygon; screening needs a polygon.")
        notes.append("Non-polygon parts of the site were ignored.")
        geom = poly
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise InputError(f"{label} has a vertex with an infinite or undefined coordinate; fix the geometry.")
    minx, miny, maxx, maxy = geom.bounds
    if minx >= -181 and maxx <= 181 and miny >= -91 and maxy <= 91 and (maxx - minx) < 10:
        raise InputError(f"{label}'s coordinates look like degrees, not metres; give the layer its real CRS "
                         "(e.g. EPSG:4326) so it can be reprojected to British National Grid (EPSG:27700).")
    bx0, by0, bx1, by1 = BNG_BOUNDS
    if maxx < bx0 or minx > bx1 or maxy < by0 or miny > by1:
        raise InputError(f"{label} lies outside Great Britain's National Grid; check the layer's CRS.")
    if minx < bx0 or maxx > bx1 or miny < by0 or maxy > by1:
        raise InputError(f"{label} extends outside Great Britain's National Grid (bounds {minx:.6g}, {miny:.6g}, "
                         f"{maxx:.6g}, {maxy:.6g}); check its vertices and the layer's CRS.")
    repaired = False
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        before = geom.area
        fixed = _polygonal_part(shapely.make_valid(geom))
        if fixed is None or fixed.area <= 0:
            raise InputError(f"{label}'s geometry is invalid ({reason}) and has no area once repaired; draw it again.")
        geom = fixed
        repaired = True
        notes.append(f"The site's geometry was invalid ({reason}) and was repaired "
                     f"(area {before:,.1f} m² before, {geom.area:,.1f} m² after); check the boundary.")
    geom = shapely.remove_repeated_points(geom, 0.0)
    area = float(geom.area)
    if area <= 0:
        raise InputError(f"{label} has no area; draw a polygon with at least three distinct corners.")
    return PreparedSite(geom, area, tuple(notes), repaired)
