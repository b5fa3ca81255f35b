"""Parcel QA with Defra's BNG Metric service rules, codes and tolerances (see :mod:`.qa_rules`).

Every issue has a ``code`` (Defra's where one exists), a ``severity`` (``error``: Defra's service
refuses the file; ``warning``: our advice), the ``layer`` and ``ref`` it concerns, a location (point,
line or polygon, EPSG:27700), a ``message`` and a ``fix``. Each problem is reported once: an overlap
once per pair, a duplicate reference once per value. A red line that is absent, empty, invalid, not a
polygon or of unknown SRS is an error in words, never a silent switch: the message says which checks
it stops.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from ..metric.england import BORDER_M, COAST_M, england_zone, in_england
from ..metric.habitats import HabitatTable
from ..metric.module_types import AREA, HEDGEROW, LINEAR_TYPES, TREE, WATERCOURSE, linear_type
from .model import Parcel
from .qa_rules import QaOptions, severity

__all__ = ["QaIssue", "QaOptions", "RedLine", "check_parcels", "is_null"]

# Codes (the names the Parcels tab already uses stay, pointing at the Defra codes).
NO_REDLINE, REDLINE_INVALID, REDLINE_SRS = "NO_REDLINE", "REDLINE_INVALID_GEOMETRY", "REDLINE_UNKNOWN_SRS"
REDLINE_ENGLAND, REDLINE_LARGE, NO_HABITATS = "REDLINE_OUTSIDE_ENGLAND", "REDLINE_AREA_TOO_LARGE", "NO_HABITAT_AREAS"
NO_GEOMETRY = "FEATURE_NO_GEOMETRY"
INVALID = SELF_INTERSECTION = "AREA_PARCELS_INVALID_GEOMETRY"
OVERLAP, SLIVER, OUTSIDE, GAP = "PARCEL_OVERLAPS", "AREA_PARCELS_TOO_SMALL", "AREA_PARCELS_OUTSIDE_REDLINE", \
    "AREA_SUM_MISMATCH"
LINE_OUTSIDE = {HEDGEROW: "HEDGEROWS_OUTSIDE_REDLINE", WATERCOURSE: "WATERCOURSES_OUTSIDE_REDLINE"}
TREES_OUTSIDE, DUPLICATE_REF, ADVANCE_AND_DELAY = "TREES_OUTSIDE_REDLINE", "DUPLICATE_HABITAT_REF", \
    "ADVANCE_AND_DELAY_BOTH_SET"
SLIVERS_OUTSIDE, IGGIS_OUTSIDE = "SLIVERS_OUTSIDE_REDLINE", "IGGIS_OUTSIDE_REDLINE"
MISSING_HABITAT, UNKNOWN_HABITAT, MISSING_CONDITION, AREA_MISMATCH = "HABITAT_MISSING", "HABITAT_UNKNOWN", \
    "CONDITION_MISSING", "AREA_FIELD_MISMATCH"
HIGH_ON_APIB = "HIGH_ON_APIB"
#: At most this many references named by one issue (then "+N more").
MAX_REFS = 10
RED_LINE_LAYER = "Red Line Boundary"


@dataclass(frozen=True)
class QaIssue:
    code: str
    severity: str  # "error" or "warning"
    layer: str
    ref: str
    geometry: BaseGeometry | None
    message: str
    fix: str

    # the names the Parcels tab reads
    @property
    def kind(self) -> str:
        return self.code

    @property
    def parcel_ref(self) -> str:
        return self.ref

    @property
    def fix_hint(self) -> str:
        return self.fix


def issue(code: str, layer: str, ref: str, geometry: BaseGeometry | None, message: str, fix: str) -> QaIssue:
    return QaIssue(code, severity(code), layer, ref, geometry, message, fix)


@dataclass(frozen=True)
class RedLine:
    """The red line as read: every feature's geometry (EPSG:27700, None when it has none)."""

    geoms: tuple[BaseGeometry | None, ...]
    layer: str = RED_LINE_LAYER
    srs_known: bool = True
    required: bool = True  # part of a Defra GeoPackage (absent or empty is then NO_REDLINE)


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


def _polys(geom: BaseGeometry) -> list[BaseGeometry]:
    return [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"] if not geom.is_empty else []


def _polygonal_or(geom: BaseGeometry) -> BaseGeometry:
    polys = _polys(geom)
    if not polys:
        return geom
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _label(p: Parcel) -> str:
    return {AREA: "Parcel", HEDGEROW: "Hedgerow", WATERCOURSE: "Watercourse", TREE: "Tree"}.get(p.module, "Feature")


def check_red_line(red_line: RedLine | BaseGeometry | None, opt: QaOptions) -> tuple[BaseGeometry | None,
                                                                                     list[QaIssue]]:
    """(the polygon the other checks use, or None; the red line's own issues)."""
    if red_line is None:
        return None, []
    if isinstance(red_line, BaseGeometry):
        red_line = RedLine((red_line,), required=False)
    layer = red_line.layer
    stops = "The parcels, hedgerows, watercourses and trees were not checked against the red line."
    geoms = [g for g in red_line.geoms if g is not None and not g.is_empty]
    if not geoms:
        if not red_line.required and not red_line.geoms:
            return None, []
        what = "has no features" if not red_line.geoms else "has features without geometry"
        return None, [issue(NO_REDLINE, layer, "", None, f"The '{layer}' layer {what}. {stops}",
                            "Draw the site's red line boundary as one polygon in the 'Red Line Boundary' layer.")]
    issues: list[QaIssue] = []
    if not red_line.srs_known:
        issues.append(issue(REDLINE_SRS, layer, "", None, f"The '{layer}' layer has no known coordinate reference "
                            f"system, so where it lies cannot be known. {stops}",
                            "Set the layer's CRS to EPSG:27700 (British National Grid) and save the GeoPackage."))
        return None, issues
    merged = shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
    if not _polys(merged) or any(g.geom_type not in ("Polygon", "MultiPolygon") for g in geoms):
        kinds = ", ".join(sorted({g.geom_type for g in geoms}))
        issues.append(issue(REDLINE_INVALID, layer, "", merged, f"The red line is a {kinds}, not a polygon. {stops}",
                            "Redraw the red line boundary as a polygon around the whole site."))
        return None, issues
    rl = merged
    for g in geoms:
        if not g.is_valid:
            reason = explain_validity(g)
            issues.append(issue(REDLINE_INVALID, layer, "", _where(g, reason),
                                f"The red line has invalid geometry: {reason}. The other checks used a repaired copy.",
                                "Fix it with Vector ▸ Geometry Tools ▸ Fix Geometries, or redraw the boundary so it "
                                "does not cross itself."))
    if not rl.is_valid:
        rl = _polygonal_or(shapely.make_valid(rl))
    if not in_england(rl):
        beyond = shapely.difference(rl, england_zone())
        if beyond.area > opt.england_outside_m2:
            part = max(_polys(beyond), key=lambda gp: gp.area, default=beyond)
            share = "" if beyond.area < rl.area * 0.999 else "all of it, "
            issues.append(issue(REDLINE_ENGLAND, layer, "", _polygonal_or(part),
                                f"The red line lies outside England ({share}{beyond.area:,.0f} m² beyond England's "
                                f"outline, which allows {BORDER_M / 1000:g} km across the Scottish and Welsh borders "
                                f"and {COAST_M / 1000:g} km out to sea); the metric applies to England only.",
                                "Check the red line's coordinates and CRS (EPSG:27700): a site in Scotland or Wales "
                                "is not assessed with the statutory metric."))
    if rl.area > opt.max_red_line_m2:
        issues.append(issue(REDLINE_LARGE, layer, "", rl.representative_point(),
                            f"The red line covers {rl.area / 1e6:,.2f} km², more than "
                            f"{opt.max_red_line_m2 / 1e6:g} km².",
                            "Check the red line's units and CRS, or split the site into separate submissions."))
    return rl, issues


def check_parcels(parcels: Sequence[Parcel], red_line: RedLine | BaseGeometry | None, table: HabitatTable,
                  options: QaOptions | None = None, whole_file: bool = False,
                  iggis: Sequence[Parcel] = ()) -> list[QaIssue]:
    """Defra's rules over every feature; ``whole_file``: the features are a whole Defra GeoPackage, so
    having no area habitat parcel is an error. ``iggis``: the file's IGGI polygons (integrated greening of
    grey infrastructure), checked against the red line only."""
    opt = options or QaOptions()
    rl, issues = check_red_line(red_line, opt)
    usable: list[tuple[int, BaseGeometry]] = []  # area parcels
    for i, p in enumerate(parcels):
        g = p.geometry
        label = _label(p)
        if g is None or g.is_empty:
            issues.append(issue(NO_GEOMETRY, p.layer, p.ref, None, f"{label} {p.ref} has no geometry.",
                                "Draw the feature or delete the empty feature."))
        elif p.module == AREA and not g.is_valid:
            reason = explain_validity(g)
            issues.append(issue(INVALID, p.layer, p.ref, _where(g, reason),
                                f"Parcel {p.ref} has invalid geometry: {reason}.",
                                "Fix it with Vector ▸ Geometry Tools ▸ Fix Geometries, or redraw the boundary "
                                "so it does not cross itself."))
            polys = _polys(shapely.make_valid(g))
            if polys:
                usable.append((i, shapely.union_all(polys)))
        elif p.module == AREA:
            usable.append((i, g))
        issues.extend(_attributes(p, table, opt))
    if whole_file and not any(p.module == AREA for p in parcels):
        issues.append(issue(NO_HABITATS, "", "", None, "The GeoPackage has no area habitat parcels.",
                            "Map every habitat inside the red line as a parcel in the habitats layer."))
    issues.extend(_duplicates(parcels))
    issues.extend(_area_checks(parcels, usable, rl, opt))
    if rl is not None:
        issues.extend(_outside(parcels, rl, opt))
        issues.extend(_iggis_outside(iggis, rl, opt))
    return issues


def _area_checks(parcels: Sequence[Parcel], usable: list[tuple[int, BaseGeometry]], rl: BaseGeometry | None,
                 opt: QaOptions) -> list[QaIssue]:
    out: list[QaIssue] = []
    geoms = [g for _, g in usable]
    arr = np.array(geoms, dtype=object)
    if geoms:
        tree = shapely.STRtree(arr)
        a_idx, b_idx = tree.query(arr, predicate="intersects")
        keep = a_idx < b_idx
        a_idx, b_idx = a_idx[keep], b_idx[keep]
        inter = shapely.intersection(arr[a_idx], arr[b_idx])
        big = np.flatnonzero(shapely.area(inter) > opt.overlap_m2)
        for n in big.tolist():
            a, b = int(a_idx[n]), int(b_idx[n])
            pa, pb, g = parcels[usable[a][0]], parcels[usable[b][0]], inter[n]
            out.append(issue(OVERLAP, pa.layer, f"{pa.ref}; {pb.ref}", _polygonal_or(g),
                             f"Parcels {pa.ref} and {pb.ref} overlap by {g.area:,.2f} m² (Defra allows "
                             f"{opt.overlap_m2:g} m²).",
                             "Snap the shared boundary so each area belongs to one parcel "
                             "(Vector ▸ Geometry Tools ▸ Difference on one of them)."))
        for n in np.flatnonzero(shapely.area(arr) < opt.min_parcel_m2).tolist():
            i, g = usable[n]
            p = parcels[i]
            out.append(issue(SLIVER, p.layer, p.ref, g, f"Parcel {p.ref} covers {g.area:,.3f} m², less than "
                             f"{opt.min_parcel_m2:g} m².", "Merge it into the neighbouring parcel or delete it."))
    if rl is None:
        return out
    total = float(shapely.area(arr).sum()) if geoms else 0.0
    if abs(total - rl.area) > opt.area_sum_m2:
        covered = shapely.union_all(arr) if geoms else None
        gaps = _polys(rl if covered is None else shapely.difference(rl, covered))
        where = max(gaps, key=lambda gp: gp.area) if gaps else rl.representative_point()
        layer = parcels[usable[0][0]].layer if usable else ""
        out.append(issue(GAP, layer, "", where,
                         f"The parcels add up to {total:,.2f} m² but the red line covers {rl.area:,.2f} m² "
                         f"(difference {total - rl.area:+,.2f} m²; Defra allows {opt.area_sum_m2:g} m²)."
                         + (f" The largest uncovered part is {where.area:,.2f} m²." if gaps else ""),
                         "Map every part of the red line as exactly one parcel: fill gaps, remove overlaps and "
                         "clip parcels to the red line."))
    if geoms:
        shapely.prepare(rl)
        out.extend(_slivers(parcels, usable, arr, rl, opt))
        for n in np.flatnonzero(~shapely.covers(rl, arr)).tolist():
            outside = shapely.difference(arr[n], rl)
            if outside.area > opt.outside_m2:
                p = parcels[usable[n][0]]
                out.append(issue(OUTSIDE, p.layer, p.ref, _polygonal_or(outside),
                                 f"{outside.area:,.2f} m² of parcel {p.ref} lies outside the red line boundary "
                                 f"(Defra allows {opt.outside_m2:g} m²).",
                                 "Clip the parcel to the red line boundary, or correct the boundary."))
    return out


def _slivers(parcels: Sequence[Parcel], usable: list[tuple[int, BaseGeometry]], arr: Any, rl: BaseGeometry,
             opt: QaOptions) -> list[QaIssue]:
    """``SLIVERS_OUTSIDE_REDLINE``: each part of (dissolved parcels - red line) over the tolerance, once, with the
    parcels it comes from (Defra: ``checkSliversOutside`` in ``src/validation/geopackage/geos/checks.js``)."""
    escaping = np.flatnonzero(~shapely.covers(rl, arr))
    if not len(escaping):
        return []
    outside = arr[escaping]
    leftover = shapely.difference(shapely.union_all(outside), rl)
    tree = shapely.STRtree(outside)
    out: list[QaIssue] = []
    for part in _polys(leftover):
        if part.area <= opt.sliver_m2:
            continue
        hits = tree.query(part, predicate="intersects")
        hits = hits[shapely.area(shapely.intersection(outside[hits], part)) > 0]
        refs = [parcels[usable[int(escaping[k])][0]].ref for k in np.sort(hits).tolist()]
        shown = "; ".join(refs[:MAX_REFS]) + (f"; +{len(refs) - MAX_REFS} more" if len(refs) > MAX_REFS else "")
        layer = parcels[usable[int(escaping[0])][0]].layer
        out.append(issue(SLIVERS_OUTSIDE, layer, shown, part,
                         f"A sliver of {part.area:,.2f} m² of the parcels ({shown}) lies outside the red "
                         f"line boundary (Defra allows {opt.sliver_m2:g} m² for each piece).",
                         "Clip the parcels to the red line boundary (Vector ▸ Geoprocessing Tools ▸ Clip), or "
                         "correct the boundary."))
    return out


def _iggis_outside(iggis: Sequence[Parcel], rl: BaseGeometry, opt: QaOptions) -> list[QaIssue]:
    """``IGGIS_OUTSIDE_REDLINE``: an IGGI polygon with more than the tolerance outside the red line."""
    out: list[QaIssue] = []
    for p in iggis:
        g = p.geometry
        if g is None or g.is_empty:
            continue
        g = g if g.is_valid else _polygonal_or(shapely.make_valid(g))
        if shapely.covers(rl, g):
            continue
        beyond = shapely.difference(g, rl)
        if beyond.area > opt.iggi_outside_m2:
            out.append(issue(IGGIS_OUTSIDE, p.layer, p.ref, _polygonal_or(beyond),
                             f"{beyond.area:,.2f} m² of IGGI {p.ref} (integrated greening of grey infrastructure) "
                             f"lies outside the red line boundary (Defra allows {opt.iggi_outside_m2:g} m²).",
                             "Clip the IGGI polygon to the red line boundary, or correct the boundary."))
    return out


def _outside(parcels: Sequence[Parcel], rl: BaseGeometry, opt: QaOptions) -> list[QaIssue]:
    out: list[QaIssue] = []
    line_zone = shapely.buffer(rl, opt.line_outside_m)
    for p in parcels:
        g = p.geometry
        if g is None or g.is_empty:
            continue
        if p.module in LINE_OUTSIDE:
            beyond = shapely.difference(g, line_zone)
            if beyond.length > 1e-9:
                what = "Hedgerow" if p.module == HEDGEROW else "Watercourse"
                out.append(issue(LINE_OUTSIDE[p.module], p.layer, p.ref, beyond,
                                 f"{what} {p.ref} runs {beyond.length:,.2f} m more than {opt.line_outside_m:g} m "
                                 "outside the red line boundary.",
                                 "Clip the line to the red line boundary, or correct the boundary."))
        elif p.module == TREE:
            d = float(shapely.distance(g, rl))
            if d > opt.tree_outside_m:
                out.append(issue(TREES_OUTSIDE, p.layer, p.ref, g,
                                 f"Tree {p.ref} stands {d:,.2f} m outside the red line boundary (Defra allows "
                                 f"{opt.tree_outside_m:g} m).", "Move the tree inside the red line or delete it."))
    return out


def _duplicates(parcels: Sequence[Parcel]) -> list[QaIssue]:
    counts = Counter((p.layer, p.ref) for p in parcels if not is_null(p.ref))
    out = []
    for (layer, ref), n in counts.items():
        if n > 1:
            out.append(issue(DUPLICATE_REF, layer, ref, None, f"{n} features of '{layer or 'the layer'}' share the "
                             f"reference {ref}.", "Give every feature of the layer its own reference."))
    return out


def _years(value: Any) -> bool:
    """A number of years is set: not null and not zero."""
    if is_null(value):
        return False
    try:
        return float(str(value).strip()) != 0.0
    except ValueError:
        return True


class _Where:
    """Where an attribute issue is drawn, computed only when an issue needs it."""

    def __init__(self, geom: BaseGeometry | None) -> None:
        self.geom = geom

    def __call__(self) -> BaseGeometry | None:
        g = self.geom
        if g is None or g.is_empty:
            return None
        return g.representative_point() if g.is_valid else g.centroid


def _attributes(p: Parcel, table: HabitatTable, opt: QaOptions) -> list[QaIssue]:
    out: list[QaIssue] = []
    g = p.geometry
    label = _label(p)
    where = _Where(g)
    if _years(p.advance_years) and _years(p.delay_years):
        out.append(issue(ADVANCE_AND_DELAY, p.layer, p.ref, where(), f"{label} {p.ref} has both habitat created in "
                         f"advance ({p.advance_years} years) and a delay in starting ({p.delay_years} years).",
                         "Keep one of the two: the metric takes either advance or delay years, not both."))
    if p.module == TREE:
        return out
    if is_null(p.habitat):
        out.append(issue(MISSING_HABITAT, p.layer, p.ref, where(), f"{label} {p.ref} has no habitat type.",
                         "Choose the type from the statutory metric's list."))
    else:
        text = str(p.habitat)
        if p.module == AREA:
            ok = table.resolve(text) is not None or (
                not is_null(p.broad_habitat) and table.get(f"{p.broad_habitat} - {text}") is not None)
        else:
            ok = linear_type(text, p.module) is not None
        if not ok:
            hints = table.suggest(text) if p.module == AREA else tuple(difflib.get_close_matches(
                text, [t.label for t in LINEAR_TYPES.get(p.module, ())], n=3, cutoff=0.4))
            out.append(issue(UNKNOWN_HABITAT, p.layer, p.ref, where(),
                             f"{label} {p.ref}: '{text}' is not a {p.module if p.module != AREA else 'habitat'} type "
                             "of the statutory biodiversity metric.",
                             f"Did you mean: {'; '.join(hints)}?" if hints else
                             "Use a type from the statutory metric's list."))
    if p.check_condition and is_null(p.condition):
        out.append(issue(MISSING_CONDITION, p.layer, p.ref, where(), f"{label} {p.ref} has no condition.",
                         "Record the condition assessment result (e.g. '3. Moderate')."))
    if p.module == AREA and p.area is not None and g is not None and not g.is_empty:
        real = float(g.area) if g.is_valid else float(shapely.make_valid(g).area)
        if abs(real - p.area) > max(opt.area_abs_m2, opt.area_rel * real):
            out.append(issue(AREA_MISMATCH, p.layer, p.ref, where(),
                             f"Parcel {p.ref} records {p.area:,.2f} m² but its geometry measures {real:,.2f} m² "
                             "(Defra measures the geometry, so this is advice only).",
                             "Recalculate the Area field from the geometry ($area in EPSG:27700)."))
    return out
