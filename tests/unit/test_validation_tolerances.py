"""Validation fixes of issue 20 (defect 7): an APIB overlap counted once where an SSSI and a SAC coincide, a
tolerance at the strategy boundary with an offer to snap, a warning for a long thin spike, and only what an edit
changes is validated (an area's older error does not stop a change of its codes)."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.editing.checkin import validate_edits
from lnrs_toolkit.plugin.core.editing.edits import Edit
from lnrs_toolkit.plugin.core.editing.opportunity_feature import OpportunityFeature
from lnrs_toolkit.plugin.core.editing.validation import validate_features
from lnrs_toolkit.plugin.core.editing.validation_geometry import thin_spikes
from lnrs_toolkit.plugin.core.editing.validation_rules import ERROR, WARNING, OpportunityRules
from lnrs_toolkit.tests.unit.test_opportunity_validation import (
    X0,
    Y0,
    area_layer,
    designated,
    feat,
    make_pack,
    only,
    rules_of,
    sq,
)
from shapely.geometry import box


def test_apib_overlap_of_a_wood_that_is_both_sssi_and_sac_is_counted_and_named_once():
    wood = sq(0, 0, 200)
    pack = make_pack(**designated(("SSSI", "Kings Wood", wood), ("SAC", "Kings Wood", wood)))
    issue = only(validate_features([feat("GL002", geometry=sq(100, 100), fid=4)], pack), "apib_overlap")
    assert issue.message.startswith("Opportunity area 4 overlaps SSSI and SAC ‘Kings Wood’ by 10,000 m², ")
    assert issue.message.count("Kings Wood") == 1
    assert issue.location.area == pytest.approx(10_000.0)


def test_apib_overlap_of_two_partly_overlapping_sites_is_their_union():
    pack = make_pack(**designated(("SSSI", "North", sq(0, 0, 100)), ("SAC", "South", sq(50, 0, 100))))
    issue = only(validate_features([feat("GL002", geometry=sq(0, 0, 150))], pack), "apib_overlap")
    assert "by 15,000 m²" in issue.message and "SSSI ‘North’" in issue.message and "SAC ‘South’" in issue.message


def test_a_boundary_digitised_1_cm_outside_the_strategy_area_is_accepted():
    pack = make_pack(**area_layer(sq(0, 0, 1000)))
    along = box(X0, Y0 + 900, X0 + 1000.01, Y0 + 1000.01)  # 1 cm beyond two 1 km edges: ~20 m² outside
    report = validate_features([feat(geometry=along)], pack)
    assert report.ok, report.summary()


def test_a_real_overshoot_is_refused_with_an_offer_to_snap():
    pack = make_pack(**area_layer(sq(0, 0, 1000)))
    over = box(X0, Y0 + 900, X0 + 1000.5, Y0 + 1000)  # 50 cm beyond one edge: 50 m²
    issue = only(validate_features([feat(geometry=over, fid=2)], pack), "outside_strategy_area")
    assert issue.severity == ERROR and issue.message.startswith("Opportunity area 2 has 50 m²")
    assert "Snap it to the strategy boundary" in issue.message
    # the distance tolerance is a setting (0 = every strip counts)
    strict = OpportunityRules(outside_tolerance_m=0.0)
    along = box(X0, Y0 + 900, X0 + 1000.01, Y0 + 1000.01)
    assert "outside_strategy_area" in rules_of(validate_features([feat(geometry=along)], pack, strict))
    assert OpportunityRules.from_json(OpportunityRules(outside_tolerance_m=0.2).to_json()).outside_tolerance_m == 0.2


def test_a_long_thin_spike_on_a_wide_polygon_is_a_sliver():
    spiked = sq(0, 0).union(box(X0 + 100, Y0 + 50, X0 + 400, Y0 + 50.5))  # a 300 m x 0.5 m spike
    issue = only(validate_features([feat(geometry=spiked, fid=7)], make_pack()), "sliver")
    assert issue.severity == WARNING
    assert "0.50 m wide on average" in issue.message
    assert issue.location.area == pytest.approx(150.0, rel=0.02)


def test_corners_and_ordinary_shapes_are_not_spikes():
    triangle = box(X0, Y0, X0 + 200, Y0 + 200).union(box(X0 + 200, Y0, X0 + 230, Y0 + 5))  # a 30 m x 5 m stub
    assert thin_spikes(sq(0, 0), 2.0) == [] and thin_spikes(triangle, 2.0) == []
    acute = box(X0, Y0, X0 + 300, Y0 + 300).difference(box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300))
    assert validate_features([feat(geometry=acute)], make_pack()).issues == ()


def _update(base_geometry, new_geometry, base_codes="WD001", new_codes="WD001;GL001"):
    base = OpportunityFeature(3, base_codes, base_geometry, "Old area", "", "9")
    new = OpportunityFeature(3, new_codes, new_geometry, "Old area", "", "9")
    return Edit("update", 3, "9", base, new)


def test_an_area_with_an_older_error_can_have_its_codes_changed():
    outside = box(X0 + 900, Y0, X0 + 1100, Y0 + 100)  # saved long ago, half outside the strategy area
    pack = make_pack([("WD001", sq(5000, 5000), "Elsewhere")], **area_layer(sq(0, 0, 1000)))
    report = validate_edits([_update(outside, outside)], pack)
    assert report.ok, report.summary()
    issue = only(report, "outside_strategy_area")
    assert issue.severity == WARNING and issue.message.startswith("Already so before this edit")
    # an error the edit brings in still refuses: moving an area that was inside out of the strategy area
    moved = _update(sq(100, 100), outside)
    assert not validate_edits([moved], pack).ok
    # and so does every error of a new area
    new = Edit("insert", None, "10", None, OpportunityFeature(None, "WD001", outside, "New", "", "10"))
    assert only(validate_edits([new], pack), "outside_strategy_area").severity == ERROR


def test_a_narrow_gap_between_neighbouring_areas_is_a_warning():
    pack = make_pack([("WD001", sq(0, 0), "Neighbour")])
    near = box(X0 + 100.3, Y0, X0 + 200, Y0 + 100)  # 30 cm from the neighbour's edge
    issue = only(validate_features([feat(geometry=near, fid=9)], pack), "gap")
    assert issue.severity == WARNING
    assert issue.message.startswith("Opportunity area 9 is 0.30 m from opportunity area 1 ‘Neighbour’ (less than 1 m)")
    assert issue.location.length == pytest.approx(0.3)
    # touching, overlapping or far apart: no gap; the distance is a setting
    for other in (sq(100, 0), sq(50, 0), sq(105, 0)):
        assert "gap" not in rules_of(validate_features([feat(geometry=other)], pack))
    assert "gap" not in rules_of(validate_features([feat(geometry=near)], pack, OpportunityRules(max_gap_m=0.2)))
    # two new areas: one warning for the pair
    pair = validate_features([feat(geometry=sq(1000, 0)), feat(geometry=box(X0 + 1100.5, Y0, X0 + 1200, Y0 + 100),
                                                               key="k2")], make_pack())
    assert rules_of(pair) == ["gap"]
