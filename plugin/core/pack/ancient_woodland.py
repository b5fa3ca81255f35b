"""The revised Ancient Woodland Inventory preferred over the legacy one where it covers.

Natural England revises the inventory county by county; where the revised inventory covers an area it
takes precedence over the legacy ``Ancient Woodland (England)``. When a pack holds both, legacy polygons
(and parts of polygons) inside the revised coverage are left out; legacy polygons elsewhere are kept. Each
row says which inventory it came from (``inventory`` column), and the coverage used is recorded in the
pack metadata.

The coverage of a revised download is taken as the convex hull of its polygons, per source file (one
county or a group of counties per download), because the download carries no coverage polygon. Inside the
hull a legacy wood the revision dropped stays out, as it should. The hull is an approximation of the
completed counties: it can fall short of a county's edge (a legacy wood there is kept) and, for a concave
county, reach into a neighbour (a legacy wood there is left out); the recorded coverage lets a reviewer see
which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely

from .model import GeomArray

REVISED, LEGACY = "revised", "legacy"
#: Metadata keys recording the precedence.
COVERAGE_KEY = "ancient_woodland_revised_coverage"
COVERAGE_METHOD_KEY = "ancient_woodland_revised_coverage_method"
COVERAGE_METHOD = ("convex hull of the revised Ancient Woodland Inventory polygons of each source file; legacy "
                   "polygons inside it are replaced by the revised ones")
#: Coordinates of the recorded coverage are rounded to this many metres (the record, not the clipping).
_RECORD_TOLERANCE_M = 1.0


def revised_coverage(columns: Mapping[str, list[Any]], geoms: GeomArray | None) -> Any | None:
    """The union of the convex hulls of each source's revised polygons, or ``None`` when there are none."""
    if geoms is None:
        return None
    by_source: dict[str, list[Any]] = {}
    for i, inventory in enumerate(columns.get("inventory", [])):
        g = geoms[i]
        if inventory == REVISED and g is not None and not g.is_empty:
            by_source.setdefault(str(columns["source_layer"][i]), []).append(g)
    if not by_source:
        return None
    return shapely.union_all([shapely.convex_hull(shapely.union_all(gs)) for gs in by_source.values()])


def prefer_revised(columns: dict[str, list[Any]], geoms: GeomArray | None
                   ) -> tuple[dict[str, list[Any]], GeomArray | None, dict[str, str], list[int]]:
    """Columns and geometries with legacy polygons cut out of the revised coverage; metadata to record; the
    positions of the input rows kept, in order (so a caller can carry other per-row values, such as fids).

    Without both inventories the rows come back unchanged (with the coverage recorded when there are revised
    polygons).
    """
    inventories = columns.get("inventory", [])
    coverage = revised_coverage(columns, geoms)
    if geoms is None or coverage is None or LEGACY not in inventories:
        return columns, geoms, _record(coverage), list(range(len(next(iter(columns.values()), []))))
    keep: list[int] = []
    out_geoms = np.asarray(geoms, dtype=object).copy()
    for i, inventory in enumerate(inventories):
        g = out_geoms[i]
        if inventory != LEGACY or g is None or g.is_empty or not g.intersects(coverage):
            keep.append(i)
            continue
        rest = _polygonal(g.difference(coverage))
        if rest is not None and rest.area > 1.0:
            out_geoms[i] = rest
            keep.append(i)
    cols = {name: [values[i] for i in keep] for name, values in columns.items()}
    return cols, out_geoms[np.asarray(keep, dtype=np.int64)], _record(coverage), keep


def _polygonal(geom: Any) -> Any | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


def _record(coverage: Any | None) -> dict[str, str]:
    if coverage is None:
        return {}
    text = shapely.to_wkt(coverage.simplify(_RECORD_TOLERANCE_M), rounding_precision=0)
    return {COVERAGE_KEY: f"EPSG:27700;{text}", COVERAGE_METHOD_KEY: COVERAGE_METHOD}
