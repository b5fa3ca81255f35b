"""Many sites prepared at once: :func:`prepare_site` with the common case done in vectorised GEOS calls.

A site that is a plain 2D polygon or multipolygon, valid, with finite coordinates inside the British
National Grid, needs no note and no repair: for those ``prepare_site`` only drops repeated points and
measures the area, which is done here for the whole batch at once. Every other site (anything to repair,
refuse or note) goes through :func:`prepare_site` itself, so the rules live in one place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from .site_geometry import BNG_BOUNDS, PreparedSite, prepare_site

#: What :func:`prepare_site` raises for a site that cannot be screened.
SiteProblem: TypeAlias = InputError | shapely.errors.GEOSException | ValueError

#: shapely geometry type ids that need no conversion: Polygon, MultiPolygon
_POLYGONAL = (3, 6)
#: Fewer sites than this are prepared one by one (the vectorised checks cost more than they save).
BATCH_MIN = 8


def plain_sites(geoms: npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """For each geometry: True when :func:`prepare_site` would take it as it is (no note, no repair, no error)."""
    n = len(geoms)
    ok = np.zeros(n, dtype=bool)
    if not n:
        return ok
    ok[:] = [isinstance(g, BaseGeometry) for g in geoms]
    if not ok.any():
        return ok
    idx = np.flatnonzero(ok)
    g = geoms[idx]
    good = np.isin(shapely.get_type_id(g), _POLYGONAL) & ~shapely.is_empty(g) & ~shapely.has_z(g)
    coords, owner = shapely.get_coordinates(g, return_index=True)
    bad = owner[~np.isfinite(coords).all(axis=1)]
    good[bad] = False
    at = np.flatnonzero(good)
    b = shapely.bounds(g[at])
    minx, miny, maxx, maxy = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    degrees = (minx >= -181) & (maxx <= 181) & (miny >= -91) & (maxy <= 91) & ((maxx - minx) < 10)
    bx0, by0, bx1, by1 = BNG_BOUNDS
    inside = (minx >= bx0) & (maxx <= bx1) & (miny >= by0) & (maxy <= by1)
    good[at] = ~degrees & inside
    if good.any():
        good[good] = shapely.is_valid(g[good])
    ok[idx] = good
    return ok


def prepare_sites(geometries: Sequence[Any], labels: Sequence[str]) -> list[PreparedSite | SiteProblem]:
    """:func:`prepare_site` for each geometry (``labels[i]`` names it in messages), in order.

    An unusable site gives the exception :func:`prepare_site` raised (``InputError``, or a GEOS or value
    error for a geometry GEOS cannot handle at all) in its place, for the caller to turn into a site error.
    """
    geoms: npt.NDArray[np.object_] = np.empty(len(geometries), dtype=object)
    for i, g in enumerate(geometries):
        geoms[i] = g
    out: list[PreparedSite | SiteProblem | None] = [None] * len(geoms)
    plain = np.zeros(len(geoms), dtype=bool)
    if len(geoms) >= BATCH_MIN:
        # something GEOS refuses in the batch: every site is then prepared one by one
        with contextlib.suppress(shapely.errors.GEOSException, ValueError, TypeError):
            plain = plain_sites(geoms)
    fast = np.flatnonzero(plain)
    if len(fast):
        cleaned = shapely.remove_repeated_points(geoms[fast], 0.0)
        areas = shapely.area(cleaned)
        for i, geom, area in zip(fast.tolist(), cleaned, areas.tolist()):
            if area > 0:
                out[i] = PreparedSite(geom, float(area), (), False)
    for i, item in enumerate(out):
        if item is None:
            try:
                out[i] = prepare_site(geoms[i], labels[i])
            except (InputError, shapely.errors.GEOSException, ValueError) as exc:
                out[i] = exc
    return [item for item in out if item is not None]
