"""Snap to the boundary (issue 20, defect 7): an area digitised a little outside the strategy area, or leaving a
narrow gap to its neighbour, is snapped onto the boundary and then passes the check; one too far out is not moved
and the answer says why."""

from __future__ import annotations

import pytest
import shapely
from lnrs_toolkit.plugin.core.editing.boundary_snap import (
    SNAP_TARGETS,
    SNAP_TOLERANCE_M,
    snap_to_neighbours,
    snap_to_strategy_area,
    snapped_edits,
)
from lnrs_toolkit.plugin.core.editing.edits import Edit
from lnrs_toolkit.plugin.core.editing.validation import validate_features
from lnrs_toolkit.plugin.core.editing.validation_rules import OpportunityRules
from lnrs_toolkit.tests.unit.test_opportunity_validation import X0, Y0, area_layer, feat, make_pack
from shapely.geometry import Polygon

#: A strategy area whose eastern boundary is slanted and bends inwards at (999.5, 500): vertices snapped onto it cannot
#: land on it exactly (floating point), and an edge along it must take the bend to stay inside.
STRATEGY = Polygon([(X0, Y0), (X0 + 1000, Y0), (X0 + 999.5, Y0 + 500), (X0 + 1000, Y0 + 1000), (X0, Y0 + 1000)])
BEND = (X0 + 999.5, Y0 + 500)
LABEL = "opportunity area 5 ‘Bath meadows’"


def boundary_x(y: float) -> float:
    """The x of the strategy boundary's eastern edge at ``y`` (relative to Y0)."""
    return X0 + 1000 - 0.5 * (y / 500 if y <= 500 else (1000 - y) / 500)


def along_boundary(offset: float) -> Polygon:
    """An area from x = 800 to the eastern boundary, its eastern edge ``offset`` metres outside it (two vertices,
    at y = 300 and 700, so that the edge cuts the bend at y = 500)."""
    return Polygon([(X0 + 800, Y0 + 300), (boundary_x(300) + offset, Y0 + 300), (boundary_x(700) + offset, Y0 + 700),
                    (X0 + 800, Y0 + 700)])


def outside_errors(geometry, rules: OpportunityRules | None = None) -> list:
    report = validate_features([feat(geometry=geometry, fid=5)], make_pack(**area_layer(STRATEGY)), rules)
    return [i for i in report.issues if i.rule == "outside_strategy_area"]


@pytest.mark.parametrize(("offset", "rules"), [
    (0.01, OpportunityRules(outside_tolerance_m=0.0)),  # a strategy that tolerates no digitising slip at all
    (0.30, None),  # 30 cm: refused with the default 5 cm tolerance
])
def test_a_polygon_just_outside_snaps_onto_the_boundary_and_passes(offset, rules):
    area = along_boundary(offset)
    assert outside_errors(area, rules), "the check refuses the area before it is snapped"
    result = snap_to_strategy_area(area, [STRATEGY], LABEL, rules=rules)
    assert result.changed and result.geometry is not None
    assert result.geometry.is_valid
    assert outside_errors(result.geometry, rules) == []
    assert shapely.area(shapely.difference(result.geometry, STRATEGY)) < 1e-6
    assert BEND in set(map(tuple, shapely.get_coordinates(result.geometry).tolist()))  # the edge takes the bend
    clipped = shapely.intersection(area, STRATEGY)  # what it should be: the area up to the boundary
    # the same but for the two corners, each moved square to the slanted boundary (a few mm along it)
    assert shapely.area(shapely.symmetric_difference(result.geometry, clipped)) < 0.1
    assert result.moved >= 3
    assert result.message.startswith(f"Snapped {result.moved} vertex(es) of {LABEL} onto the strategy boundary")
    far_vertex = (X0 + 800, Y0 + 300)
    assert far_vertex in set(map(tuple, shapely.get_coordinates(result.geometry).tolist()))  # the far side stays


def test_a_polygon_5_m_outside_is_not_moved_and_says_why():
    area = along_boundary(5.0)
    result = snap_to_strategy_area(area, [STRATEGY], LABEL)
    assert not result.changed and result.geometry is None and result.moved == 0
    assert result.message.startswith("Opportunity area 5 ‘Bath meadows’ was not moved: it reaches 5.")
    assert f"further than the {SNAP_TOLERANCE_M:g} m a snap moves a vertex" in result.message
    assert "Clip" in result.message


def test_an_edge_bridging_a_bay_of_the_boundary_counts_how_far_it_reaches():
    """Every vertex is on the boundary, but the edge between two of them crosses a 3 m deep bay: not a slip."""
    bay = Polygon([(X0, Y0), (X0 + 1000, Y0), (X0 + 1000, Y0 + 400), (X0 + 997, Y0 + 500), (X0 + 1000, Y0 + 600),
                   (X0 + 1000, Y0 + 1000), (X0, Y0 + 1000)])
    area = shapely.box(X0 + 800, Y0 + 300, X0 + 1000, Y0 + 700)
    result = snap_to_strategy_area(area, [bay], LABEL)
    assert not result.changed
    assert "it reaches 3.00 m outside" in result.message


def test_inside_already_or_no_strategy_area_is_not_moved():
    inside = shapely.box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200)
    assert "inside the strategy area already" in snap_to_strategy_area(inside, [STRATEGY], LABEL).message
    result = snap_to_strategy_area(along_boundary(0.3), [], LABEL)
    assert not result.changed and result.message.startswith("The pack has no strategy area")


def test_a_strip_thinner_than_the_snap_is_not_folded_onto_itself():
    strip = Polygon([(boundary_x(300) - 0.2, Y0 + 300), (boundary_x(300) + 0.3, Y0 + 300),
                     (boundary_x(450) + 0.3, Y0 + 450), (boundary_x(450) - 0.2, Y0 + 450)])
    result = snap_to_strategy_area(strip, [STRATEGY], LABEL)
    assert not result.changed
    assert "fold a part thinner than the snapping distance onto itself" in result.message


def neighbour_pair(gap: float) -> tuple[Polygon, Polygon]:
    """Two areas along a slanted line, ``gap`` metres apart across it."""
    left = Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 130, Y0 + 200), (X0, Y0 + 200)])
    dx = gap * ((200 ** 2 + 30 ** 2) ** 0.5) / 200  # the horizontal shift that leaves ``gap`` across the slant
    right = Polygon([(X0 + 100 + dx, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 200), (X0 + 130 + dx, Y0 + 200)])
    return left, right


def gap_warnings(first, second) -> list:
    report = validate_features([feat(geometry=first, key="1"), feat(geometry=second, key="2")], make_pack())
    return [i for i in report.issues if i.rule == "gap"]


def test_a_narrow_gap_to_a_neighbour_is_closed():
    left, right = neighbour_pair(0.4)
    assert gap_warnings(left, right)
    result = snap_to_neighbours(right, [left, shapely.box(X0 + 5000, Y0, X0 + 5100, Y0 + 100)], "the new area")
    assert result.changed and result.geometry is not None and result.geometry.is_valid
    assert shapely.distance(result.geometry, left) <= 1e-6
    assert shapely.area(shapely.intersection(result.geometry, left)) < 1e-6  # closed, not overlapping
    assert gap_warnings(left, result.geometry) == []
    assert result.message == "Snapped 2 vertex(es) of the new area onto 1 neighbouring area(s) (within 1 m), " \
                             "closing the gap."


def test_a_wide_gap_or_touching_neighbours_are_not_moved():
    left, right = neighbour_pair(3.0)
    result = snap_to_neighbours(right, [left], "the new area")
    assert not result.changed and "no other opportunity area is within 1 m" in result.message
    touching = shapely.box(X0 - 100, Y0, X0, Y0 + 100)
    assert "already touches" in snap_to_neighbours(touching, [left], "the new area").message


def test_snap_targets_are_the_two_rules_of_the_offer():
    assert SNAP_TARGETS == {"outside_strategy_area": "strategy_area", "gap": "neighbours"}


def test_snapped_edits_put_the_snapped_state_in_place_of_the_pending_one():
    base = feat(fid=5, key="12")
    changed = feat("WD001;GL001", fid=5, key="12")
    other = Edit("insert", None, "13", None, feat(key="13"))
    snapped = feat("WD001;GL001", geometry=along_boundary(0.0), fid=5, key="12")
    edits = snapped_edits([Edit("update", 5, "12", base, changed), other], snapped)
    assert [(e.kind, e.key, e.base) for e in edits] == [("update", "12", base), ("insert", "13", None)]
    assert edits[0].new == snapped and edits[1] is other
    # a split part keeps its own identity (a new area), whatever pack fid its row carries
    part = Edit("insert", None, "12", None, feat(key="12"))
    assert snapped_edits([part], snapped)[0].new == feat("WD001;GL001", geometry=along_boundary(0.0), key="12")
    # an area not changed before the snap becomes a change of its own
    assert snapped_edits([other], snapped)[1] == Edit("update", 5, "12", None, snapped)
    new = feat(key="14")
    assert snapped_edits([], new) == [Edit("insert", None, "14", None, new)]
