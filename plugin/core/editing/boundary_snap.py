"""Snapping an opportunity area onto the strategy boundary or onto its neighbours: the Edit map tab's *Snap to the
boundary* for an ``outside_strategy_area`` error or a ``gap`` warning (issue 20, defect 7: digitising 1 cm outside
the strategy boundary was refused, with no way to put it right but redrawing).

Each vertex of the area within :data:`SNAP_TOLERANCE_M` of the target's boundary moves to its nearest point on that
boundary; then the target's own vertices are put into the area's edges where it now runs along the boundary
(``shapely.snap``), so that the edge follows the boundary's bends instead of cutting across them. An area that
reaches further out than the tolerance is not moved: the answer says how far out it is and what to do instead (a
snap that far would be a redrawing nobody checked). Which target a problem snaps to is data (:data:`SNAP_TARGETS`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .edits import Edit
from .opportunity_feature import OpportunityFeature
from .validation_geometry import beyond_tolerance
from .validation_rules import OpportunityRules

#: How far a vertex is moved at most (metres): digitising slips, not a redrawing.
SNAP_TOLERANCE_M = 1.0
#: The problems *Snap to the boundary* offers to put right, and what it snaps to.
STRATEGY_AREA, NEIGHBOURS = "strategy_area", "neighbours"
SNAP_TARGETS: dict[str, str] = {"outside_strategy_area": STRATEGY_AREA, "gap": NEIGHBOURS}


@dataclass(frozen=True)
class SnapResult:
    """What a snap did: ``geometry`` is the snapped area (None when it was not moved); ``message`` says what was
    done, or why nothing was."""

    geometry: BaseGeometry | None
    moved: int  # vertices moved onto the boundary or added along it
    message: str

    @property
    def changed(self) -> bool:
        return self.geometry is not None


def _not_moved(message: str) -> SnapResult:
    return SnapResult(None, 0, message)


def _polygonal(geometry: Any) -> bool:
    return geometry is not None and not shapely.is_empty(geometry) and geometry.geom_type in ("Polygon",
                                                                                               "MultiPolygon")


def snap_vertices(geometry: BaseGeometry, target: BaseGeometry, tolerance: float) -> tuple[BaseGeometry, int]:
    """``geometry`` with each vertex within ``tolerance`` of ``target`` (a line) moved onto its nearest point of
    ``target``, then ``target``'s vertices within ``tolerance`` of its edges put into them; and how many vertices
    moved or were added."""
    geometry = shapely.force_2d(geometry)
    x0, y0, x1, y1 = shapely.bounds(geometry).tolist()
    reach = 2.0 * tolerance  # only the target near the area counts (a county's boundary has many vertices)
    target = shapely.clip_by_rect(target, x0 - reach, y0 - reach, x1 + reach, y1 + reach)
    coords = shapely.get_coordinates(geometry)
    points = shapely.points(coords)
    distances = shapely.distance(points, target)
    near = np.flatnonzero((distances <= tolerance) & (distances > 0))
    moved = coords.copy()
    if len(near):
        lines = shapely.shortest_line(points[near], target)
        moved[near] = shapely.get_coordinates(shapely.get_point(lines, 1))
    projected = shapely.transform(geometry, lambda _c: moved)
    snapped = shapely.snap(projected, target, tolerance)  # the boundary's own vertices along the new edges
    added = max(0, len(shapely.get_coordinates(snapped)) - len(coords))
    vertices = len({(float(x), float(y)) for x, y in coords[near].tolist()})  # a ring's closing point is its first
    return snapped, vertices + added


def _outside_reach(outside: BaseGeometry, coverage: BaseGeometry, tolerance: float) -> float:
    """How far ``outside`` (the area's part outside ``coverage``) reaches from it: the farthest of its vertices,
    then (when they are all within ``tolerance``) of points along its edges every quarter of the tolerance (an
    edge may bridge a bay of the boundary)."""
    far = float(np.max(shapely.distance(shapely.points(shapely.get_coordinates(outside)), coverage), initial=0.0))
    if far > tolerance or tolerance <= 0:
        return far
    dense = shapely.segmentize(outside, tolerance / 4.0)
    return float(np.max(shapely.distance(shapely.points(shapely.get_coordinates(dense)), coverage), initial=0.0))


def snap_to_strategy_area(geometry: BaseGeometry, strategy_area: Sequence[BaseGeometry] | Any, label: str,
                          tolerance: float = SNAP_TOLERANCE_M, rules: OpportunityRules | None = None) -> SnapResult:
    """Snap ``geometry`` (an opportunity area, named ``label`` in the message) onto the boundary of the strategy area
    (its polygons), when no part of it lies further outside than ``tolerance``."""
    rules = rules or OpportunityRules()
    parts = [g for g in np.asarray(strategy_area, dtype=object).ravel().tolist() if _polygonal(g)]
    if not _polygonal(geometry):
        return _not_moved(f"{_capital(label)} is not a polygon, so it cannot be snapped.")
    if not parts:
        return _not_moved(f"The pack has no strategy area, so {label} cannot be snapped to its boundary.")
    coverage = shapely.union_all(parts)
    outside = shapely.difference(geometry, coverage)
    if shapely.is_empty(outside) or shapely.area(outside) <= 0:
        return _not_moved(f"{_capital(label)} lies inside the strategy area already: there is nothing to snap.")
    reach = _outside_reach(outside, coverage, tolerance)
    if reach > tolerance:
        return _not_moved(
            f"{_capital(label)} was not moved: it reaches {reach:,.2f} m outside the strategy area, further than the "
            f"{tolerance:g} m a snap moves a vertex, so it is more than a digitising slip. Clip it to the strategy "
            "area (Vector > Geoprocessing Tools > Clip) or correct its boundary with the Vertex Tool.")
    snapped, moved = snap_vertices(geometry, shapely.boundary(coverage), tolerance)
    refusal = _unusable(geometry, snapped, label)
    if refusal:
        return _not_moved(refusal)
    left = shapely.difference(snapped, coverage)
    if beyond_tolerance(left, rules.outside_tolerance_m) >= rules.outside_tolerance_m2:
        return _not_moved(
            f"{_capital(label)} was not moved: snapping its vertices within {tolerance:g} m of the strategy boundary "
            f"would still leave {float(shapely.area(left)):,.1f} m² outside (its edges cut across bends of the "
            "boundary). Clip it to the strategy area (Vector > Geoprocessing Tools > Clip) instead.")
    return SnapResult(snapped, moved, f"Snapped {moved} vertex(es) of {label} onto the strategy boundary (within "
                                      f"{tolerance:g} m); it now lies inside the strategy area.")


def snap_to_neighbours(geometry: BaseGeometry, neighbours: Sequence[BaseGeometry] | Any, label: str,
                       tolerance: float = SNAP_TOLERANCE_M) -> SnapResult:
    """Snap ``geometry`` onto the boundaries of the ``neighbours`` (the other opportunity areas) within
    ``tolerance``: closes a narrow gap left by digitising."""
    if not _polygonal(geometry):
        return _not_moved(f"{_capital(label)} is not a polygon, so it cannot be snapped.")
    others = [g for g in np.asarray(neighbours, dtype=object).ravel().tolist() if _polygonal(g)]
    near = [g for g in others if float(shapely.distance(geometry, g)) <= tolerance]
    if not near:
        return _not_moved(f"{_capital(label)} was not moved: no other opportunity area is within {tolerance:g} m of "
                          "it. A wider gap is land between two areas, not a digitising slip; move the boundary with "
                          "the Vertex Tool if it should close.")
    if all(float(shapely.distance(geometry, g)) == 0 for g in near):
        return _not_moved(f"{_capital(label)} already touches its neighbours: there is no gap to close.")
    target = shapely.union_all([shapely.boundary(g) for g in near])
    snapped, moved = snap_vertices(geometry, target, tolerance)
    refusal = _unusable(geometry, snapped, label)
    if refusal:
        return _not_moved(refusal)
    return SnapResult(snapped, moved, f"Snapped {moved} vertex(es) of {label} onto {len(near)} neighbouring "
                                      f"area(s) (within {tolerance:g} m), closing the gap.")


def snapped_edits(pending: Sequence[Edit], snapped: OpportunityFeature) -> list[Edit]:
    """The pending edits with the area ``snapped.key`` in its snapped state (what checking the changes again
    validates: its shape and fields as the layer has them, its pack fid as the edit has it); the area becomes a
    change of its own when it was not one."""
    out, found = [], False
    for edit in pending:
        if edit.key == snapped.key and edit.new is not None:
            new = dataclasses.replace(edit.new, geometry=snapped.geometry, measures=snapped.measures,
                                      name=snapped.name, ref=snapped.ref)
            out.append(dataclasses.replace(edit, new=new))
            found = True
        else:
            out.append(edit)
    if not found:
        out.append(Edit("update" if snapped.fid is not None else "insert", snapped.fid, snapped.key, None, snapped))
    return out


def _unusable(geometry: BaseGeometry, snapped: BaseGeometry, label: str) -> str:
    """Why a snapped shape cannot replace the area ("" when it can): snapping a part thinner than the tolerance
    folds it onto itself (it loses half its area, or more)."""
    if not _polygonal(snapped) or not shapely.is_valid(snapped) \
            or float(shapely.area(snapped)) < 0.5 * float(shapely.area(geometry)):
        return (f"{_capital(label)} was not moved: snapping it would fold a part thinner than the snapping distance "
                "onto itself. Move its vertices onto the boundary with the Vertex Tool (snapping on) instead.")
    return ""


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
