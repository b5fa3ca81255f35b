"""Parcel QA the way a validating officer checks a metric submission.

Every issue has a kind, the parcel it concerns (empty for gaps), a location (point or polygon,
EPSG:27700), a message and a fix hint. Each problem is reported once: an overlap once per pair of
parcels, a gap once per uncovered part of the red line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from ..metric.habitats import HabitatTable
from .model import Parcel

INVALID, SELF_INTERSECTION, OVERLAP, GAP, OUTSIDE = "invalid_geometry", "self_intersection", "overlap", "gap", \
    "outside_red_line"
SLIVER, MISSING_HABITAT, UNKNOWN_HABITAT, MISSING_CONDITION, AREA_MISMATCH, NO_GEOMETRY = \
    "sliver", "missing_habitat", "unknown_habitat", "missing_condition", "area_mismatch", "no_geometry"
KINDS = (NO_GEOMETRY, INVALID, SELF_INTERSECTION, OVERLAP, GAP, OUTSIDE, SLIVER, MISSING_HABITAT, UNKNOWN_HABITAT,
         MISSING_CONDITION, AREA_MISMATCH)


@dataclass(frozen=True)
class QaOptions:
    #: Overlaps and gaps thinner than this (m) are ignored: Defra's service allows 1 mm.
    tolerance_m: float = 0.001
    #: Parcels smaller than this (m²) are slivers.
    sliver_m2: float = 1.0
    #: The recorded area may differ from the geometry's by this much (m²) or this share, whichever is larger.
    area_abs_m2: float = 1.0
    area_rel: float = 0.01


@dataclass(frozen=True)
class QaIssue:
    kind: str
    parcel_ref: str
    geometry: BaseGeometry | None
    message: str
    fix_hint: str


def is_null(value: Any) -> bool:
    """None, empty, or the Defra metric's ``Null`` string."""
    if value is None:
        return True
    text = str(value).strip()
    return text == "" or text.lower() in ("null", "none")


_LOCATION = re.compile(r"\[\s*(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*\]")


def _where(geom: BaseGeometry, reason: str) -> BaseGeometry:
    m = _LOCATION.search(reason)
    if m:
        return Point(float(m.group(1)), float(m.group(2)))
    return geom.representative_point() if not geom.is_empty else geom


def _substantial(geom: BaseGeometry, tolerance: float) -> bool:
    """More than a boundary-digitising difference: something survives shrinking by half the tolerance."""
    if geom.is_empty or geom.area <= 0:
        return False
    return not shapely.buffer(geom, -tolerance / 2.0).is_empty


def _polys(geom: BaseGeometry) -> list[BaseGeometry]:
    return [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"] if not geom.is_empty else []


def check_parcels(parcels: Sequence[Parcel], red_line: BaseGeometry | None, table: HabitatTable,
                  options: QaOptions | None = None) -> list[QaIssue]:
    opt = options or QaOptions()
    issues: list[QaIssue] = []
    usable: list[tuple[int, BaseGeometry]] = []
    for i, p in enumerate(parcels):
        g = p.geometry
        if g is None or g.is_empty:
            issues.append(QaIssue(NO_GEOMETRY, p.ref, None, f"Parcel {p.ref} has no geometry.",
                                  "Draw the parcel or delete the empty feature."))
        elif not g.is_valid:
            reason = explain_validity(g)
            kind = SELF_INTERSECTION if "self-intersection" in reason.lower() else INVALID
            issues.append(QaIssue(kind, p.ref, _where(g, reason),
                                  f"Parcel {p.ref} has invalid geometry: {reason}.",
                                  "Fix it with Vector ▸ Geometry Tools ▸ Fix Geometries, or redraw the boundary "
                                  "so it does not cross itself."))
            fixed = shapely.make_valid(g)
            polys = _polys(fixed)
            if polys:
                usable.append((i, shapely.union_all(polys)))
        else:
            usable.append((i, g))
        issues.extend(_attributes(p, table, opt))

    geoms = [g for _, g in usable]
    if geoms:
        tree = shapely.STRtree(geoms)
        a_idx, b_idx = tree.query(geoms, predicate="intersects")
        for a, b in zip(a_idx.tolist(), b_idx.tolist()):
            if a >= b:
                continue
            inter = shapely.intersection(geoms[a], geoms[b])
            if _substantial(inter, opt.tolerance_m):
                ra, rb = parcels[usable[a][0]].ref, parcels[usable[b][0]].ref
                issues.append(QaIssue(OVERLAP, f"{ra}; {rb}", _polygonal_or(inter),
                                      f"Parcels {ra} and {rb} overlap by {inter.area:,.2f} m².",
                                      "Snap the shared boundary so each area belongs to one parcel "
                                      "(Vector ▸ Geometry Tools ▸ Difference on one of them)."))
        for i, g in usable:
            p = parcels[i]
            if g.area < opt.sliver_m2:
                issues.append(QaIssue(SLIVER, p.ref, g, f"Parcel {p.ref} is a sliver of {g.area:,.3f} m² "
                                      f"(below {opt.sliver_m2:g} m²).",
                                      "Merge it into the neighbouring parcel or delete it."))
    if red_line is not None and not red_line.is_empty:
        rl = red_line if red_line.is_valid else shapely.make_valid(red_line)
        covered = shapely.union_all(geoms) if geoms else None
        gaps = rl if covered is None else shapely.difference(rl, covered)
        for part in _polys(gaps):
            if _substantial(part, opt.tolerance_m):
                issues.append(QaIssue(GAP, "", part, f"{part.area:,.2f} m² of the red line boundary is not "
                                                     "covered by any parcel.",
                                      "Add a parcel for this area (or extend a neighbour) so parcels cover the "
                                      "whole red line boundary."))
        for i, g in usable:
            outside = shapely.difference(g, rl)
            if _substantial(outside, opt.tolerance_m):
                p = parcels[i]
                issues.append(QaIssue(OUTSIDE, p.ref, _polygonal_or(outside),
                                      f"{outside.area:,.2f} m² of parcel {p.ref} lies outside the red line "
                                      "boundary.",
                                      "Clip the parcel to the red line boundary, or correct the boundary."))
    return issues


def _polygonal_or(geom: BaseGeometry) -> BaseGeometry:
    polys = _polys(geom)
    if not polys:
        return geom
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _attributes(p: Parcel, table: HabitatTable, opt: QaOptions) -> list[QaIssue]:
    out: list[QaIssue] = []
    g = p.geometry
    where = g.representative_point() if g is not None and not g.is_empty and g.is_valid else \
        (g.centroid if g is not None and not g.is_empty else None)
    if is_null(p.habitat):
        out.append(QaIssue(MISSING_HABITAT, p.ref, where, f"Parcel {p.ref} has no habitat.",
                           "Choose the habitat from the statutory metric's habitat list."))
    else:
        text = str(p.habitat)
        ok = table.resolve(text) is not None or (
            not is_null(p.broad_habitat) and table.get(f"{p.broad_habitat} - {text}") is not None)
        if not ok:
            hints = table.suggest(text)
            out.append(QaIssue(UNKNOWN_HABITAT, p.ref, where,
                               f"Parcel {p.ref}: '{text}' is not a habitat of the statutory biodiversity metric.",
                               f"Did you mean: {'; '.join(hints)}?" if hints else
                               "Use a label from the statutory metric's habitat list."))
    if p.check_condition and is_null(p.condition):
        out.append(QaIssue(MISSING_CONDITION, p.ref, where, f"Parcel {p.ref} has no condition.",
                           "Record the condition assessment result (e.g. '3. Moderate')."))
    if p.area is not None and g is not None and not g.is_empty:
        real = float(g.area) if g.is_valid else float(shapely.make_valid(g).area)
        if abs(real - p.area) > max(opt.area_abs_m2, opt.area_rel * real):
            out.append(QaIssue(AREA_MISMATCH, p.ref, where,
                               f"Parcel {p.ref} records {p.area:,.2f} m² but its geometry measures {real:,.2f} m².",
                               "Recalculate the area field from the geometry ($area in EPSG:27700)."))
    return out
