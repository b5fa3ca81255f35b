"""Opportunity (ACB) validation: each rule refused and accepted, configuration, speed."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from lnrs_toolkit.plugin.core.editing.opportunity_feature import (
    OpportunityFeature,
    feature_codes,
    geometry_sha256,
    opportunity_features,
)
from lnrs_toolkit.plugin.core.editing.validation import validate_features, validate_pack
from lnrs_toolkit.plugin.core.editing.validation_report import ValidationReport
from lnrs_toolkit.plugin.core.editing.validation_rules import ERROR, RULES, WARNING, OpportunityRules
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

X0, Y0 = 370_000.0, 160_000.0  # near Bath, on the British National Grid

CATALOGUE = {
    "code": ["WD001", "WD004", "WD006", "GL001", "GL002", "GL004", "FW012", "OM002"],
    "habitat_theme": ["Woodland", "Woodland", "Woodland", "Grasslands", "Grasslands", "Grasslands", "Freshwater",
                      "Open mosaic habitats"],
    "priority": ["P"] * 8,
    "measure": ["Buffer and connect ancient woodland.", "Expand woodland cover.", "Woodland corridors.",
                "Protect and restore species rich grassland.", "Create new species rich grassland.",
                "Create new heath grassland.", "Restore riparian habitats.", "Create open mosaic habitats."],
}


def sq(x: float, y: float, size: float = 100.0) -> Polygon:
    return box(X0 + x, Y0 + y, X0 + x + size, Y0 + y + size)


def make_pack(opportunity=(), metadata=None, catalogue=True, **layers):
    """A memory pack; ``opportunity`` is a list of (measures, geometry[, name])."""
    out = []
    if catalogue:
        out.append(memory_layer("measures", None, **CATALOGUE))
    if opportunity:
        rows = [(*o, "")[:3] for o in opportunity]
        out.append(memory_layer("opportunity_areas", [g for _, g, _ in rows], measures=[m for m, _, _ in rows],
                                name=[n for _, _, n in rows]))
    for name, (geoms, cols) in layers.items():
        out.append(memory_layer(name, geoms, **cols))
    return memory_pack(out, metadata)


def feat(measures: str = "WD001", geometry=None, fid=None, name: str = "", key: str = "k1") -> OpportunityFeature:
    return OpportunityFeature(fid, measures, sq(0, 0) if geometry is None else geometry, name, "", key)


def rules_of(report: ValidationReport) -> list[str]:
    return [i.rule for i in report.issues]


def only(report: ValidationReport, rule: str):
    found = [i for i in report.issues if i.rule == rule]
    assert len(found) == 1, report.summary()
    return found[0]


# --------------------------------------------------------------------------- features, labels, hashes
def test_label_names_the_feature():
    assert feat(fid=12, name="Bath meadows").label() == "opportunity area 12 ‘Bath meadows’"
    assert feat(name="X").label() == "new opportunity area ‘X’"
    assert feat(key="7").label() == "new opportunity area (feature 7)"
    assert OpportunityFeature(None, "", None).label() == "a new opportunity area"
    assert OpportunityFeature(3, "", None, ref="R-3").label() == "opportunity area 3 ‘R-3’"


@pytest.mark.parametrize("text,codes", [
    ("WD001;GL002", ("WD001", "GL002")), (" wd001 , gl002|FW012 ", ("WD001", "GL002", "FW012")),
    ("{WD001,GL002}", ("WD001", "GL002")), ('{"WD001","GL002"}', ("WD001", "GL002")), ("", ()), ("{}", ()),
])
def test_feature_codes_read_every_stored_form(text, codes):
    assert feature_codes(text) == codes


def test_geometry_hash_is_stable_across_representations():
    a = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)])
    b = Polygon([(10, 10), (0, 10), (0, 0), (10, 0)])  # other start vertex and orientation
    c = MultiPolygon([a])
    d = Polygon([(0, 0, 5), (10, 0, 5), (10, 10, 5), (0, 10, 5)])  # 3D
    h = geometry_sha256(a)
    assert len(h) == 64 and h == geometry_sha256(b) == geometry_sha256(c) == geometry_sha256(d)
    assert geometry_sha256(box(0, 0, 10, 11)) != h
    assert geometry_sha256(None) == "" and geometry_sha256(Polygon()) == ""


def test_opportunity_features_of_a_pack():
    pack = make_pack([("WD001;WD006", sq(0, 0), "Wood"), ("GL001", sq(500, 0))])
    fs = opportunity_features(pack)
    assert [f.fid for f in fs] == [1, 2] and [f.key for f in fs] == ["1", "2"]
    assert fs[0].measures == "WD001;WD006" and fs[0].name == "Wood" and fs[0].geometry.equals(sq(0, 0))
    assert opportunity_features(make_pack()) == []


def test_report_summary_and_ok():
    report = validate_features([feat("XX999", name="Odd"), feat("WD001", key="k2")], make_pack())
    assert not report.ok and report.checked == 2 and len(report.errors) == 1
    text = report.summary()
    assert text.startswith("2 opportunity area(s) checked: 1 error(s)") and "XX999" in text
    assert report.for_key("k1") and not report.for_key("k2")
    clean = validate_features([feat("WD001")], make_pack())
    assert clean.ok and clean.issues == () and "no problems" in clean.summary()


# --------------------------------------------------------------------------- measure codes
def test_unknown_code_refused_with_suggestion():
    report = validate_features([feat("WD001;WD01;XX999", fid=20, name="Odd Down")], make_pack())
    issue = only(report, "unknown_code")
    assert issue.severity == ERROR and not report.ok
    assert issue.fid == 20 and issue.key == "k1" and issue.feature == "opportunity area 20 ‘Odd Down’"
    assert issue.message.startswith("Opportunity area 20 ‘Odd Down’ has measure code(s) WD01, XX999")
    assert "did you mean WD001" in issue.message and "catalogue" in issue.message
    assert issue.location is not None


def test_known_codes_accepted_in_any_written_form():
    report = validate_features([feat(" wd001 | GL002,fw012 "), feat("{WD004,FW012}", geometry=sq(500, 0), key="k2")],
                               make_pack())
    assert report.ok and report.issues == ()


def test_malformed_code_refused():
    report = validate_features([feat("WD001;WD002');DROP")], make_pack())
    issue = only(report, "malformed_code")
    assert issue.severity == ERROR and "is not a measure code" in issue.message
    assert "WD002')" in issue.message


def test_no_catalogue_refused_once_for_the_pack():
    pack = make_pack(catalogue=False)
    report = validate_features([feat("WD001"), feat("GL001", key="k2")], pack)
    issue = only(report, "no_catalogue")
    assert issue.severity == ERROR and issue.fid is None and issue.key == ""
    assert "has no measures catalogue" in issue.message and "2 opportunity area(s)" in issue.message
    assert "unknown_code" not in rules_of(report)


def test_empty_catalogue_is_said_so():
    pack = memory_pack([memory_layer("measures", None, code=[])])
    assert "empty measures catalogue" in only(validate_features([feat()], pack), "no_catalogue").message


def test_no_codes_refused_and_accepted():
    for empty in ("", " ; ", "{}", "NULL"):
        issue = only(validate_features([feat(empty, fid=3)], make_pack()), "no_codes")
        assert issue.message.startswith("Opportunity area 3 has no measure codes.")
    assert validate_features([feat("GL001")], make_pack()).ok


# --------------------------------------------------------------------------- geometry
def test_null_and_empty_geometry_refused():
    for g in (None, Polygon()):
        f = OpportunityFeature(4, "WD001", g, "Gone", "", "k")
        issue = only(validate_features([f], make_pack()), "no_geometry")
        assert issue.severity == ERROR and issue.message.startswith("Opportunity area 4 ‘Gone’ has no geometry.")


def test_not_polygonal_refused():
    line = LineString([(X0, Y0), (X0 + 50, Y0 + 50)])
    issue = only(validate_features([feat(geometry=line)], make_pack()), "not_polygonal")
    assert "is a line, not a polygon" in issue.message
    pt = only(validate_features([feat(geometry=Point(X0, Y0))], make_pack()), "not_polygonal")
    assert "is a point" in pt.message


def test_invalid_geometry_refused_with_reason_and_location():
    bowtie = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    issue = only(validate_features([feat(geometry=bowtie, fid=9)], make_pack()), "invalid_geometry")
    assert issue.severity == ERROR
    assert "self-intersection at 370,050.00, 160,050.00" in issue.message
    assert "Fix Geometries" in issue.message
    assert issue.location.equals(Point(X0 + 50, Y0 + 50))


def test_nan_coordinates_refused_without_crashing():
    g = Polygon([(X0, Y0), (X0 + 1, float("nan")), (X0 + 1, Y0 + 1)])
    issue = only(validate_features([feat(geometry=g)], make_pack()), "invalid_geometry")
    assert "not a number" in issue.message and issue.location is None


@pytest.mark.parametrize("geom", [box(-2.36, 51.38, -2.35, 51.39),  # degrees read as metres
                                  box(-262_000, 6_690_000, -261_000, 6_691_000),  # Web Mercator
                                  box(300_000, 800_000, 301_000, 801_000),  # Scotland
                                  box(333_000, 350_000, 333_500, 350_500)])  # Wales (Wrexham), near the border
def test_not_in_england_refused(geom):
    issue = only(validate_features([feat(geometry=geom)], make_pack()), "outside_england")
    assert issue.severity == ERROR and "EPSG:27700" in issue.message and "reproject" in issue.message


def test_valid_polygons_accepted():
    holed = Polygon(sq(0, 0, 300).exterior.coords, [sq(100, 100).exterior.coords])
    multi = MultiPolygon([sq(0, 0), sq(500, 0)])
    report = validate_features([feat(geometry=holed), feat(geometry=multi, key="k2")], make_pack())
    assert report.ok and report.issues == ()


# --------------------------------------------------------------------------- configuration
def test_rules_are_data_with_ids_severities_and_templates():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert r.severity in (ERROR, WARNING) and "{" in r.message and r.fix.endswith(".")


def test_severity_configured_through_pack_metadata():
    meta = {"opportunity_rules": json_text({"severity": {"unknown_code": "warning", "no_codes": "off"}})}
    pack = make_pack(metadata=meta)
    report = validate_features([feat("XX999"), feat("", geometry=sq(500, 0), key="k2")], pack)
    assert report.ok and rules_of(report) == ["unknown_code"] and report.issues[0].severity == WARNING
    # explicit rules win over the pack's
    assert not validate_features([feat("XX999")], pack, OpportunityRules()).ok


def json_text(data) -> str:
    return json.dumps(data)


@pytest.mark.parametrize("text,words", [
    ("{not json", "is not valid JSON (Expecting property name enclosed in double quotes at line 1, column 2)"),
    ("[1, 2]", "must be a JSON object"),
    ('{"severities": {}}', "unknown key(s) severities"),
    ('{"severity": {"no_such_rule": "off"}}', "unknown rule 'no_such_rule'"),
    ('{"severity": {"no_codes": "fatal"}}', 'is "fatal"; use "error", "warning" or "off"'),
])
def test_bad_configuration_is_a_clear_pack_error(text, words):
    pack = make_pack(metadata={"opportunity_rules": text})
    with pytest.raises(PackError) as err:
        validate_pack(pack)
    assert words in str(err.value) and "opportunity_rules" in str(err.value)
    assert "docs/editing.md" in str(err.value)


def test_rules_round_trip_through_json():
    rules = OpportunityRules.from_json(json_text({"severity": {"no_codes": "warning"}}))
    again = OpportunityRules.from_json(rules.to_json())
    assert again.to_dict() == rules.to_dict() and again.severity("no_codes") == WARNING


def test_validate_pack_checks_every_opportunity_area():
    pack = make_pack([("WD001;WD006", sq(0, 0), "Wood"), ("GL002;XX999", sq(500, 0), "Odd"), ("", sq(900, 0))])
    report = validate_pack(pack)
    assert report.checked == 3
    assert [(i.fid, i.rule) for i in report.errors] == [(2, "unknown_code"), (3, "no_codes")]
    assert shapely.equals(report.errors[0].location, sq(500, 0))


# --------------------------------------------------------------------------- spatial rules
def area_layer(geom):
    return {"strategy_area": ([geom], {"name": ["LNRS area"]})}


def irreplaceable(*items):
    """(habitat_type, name, geometry) tuples as an irreplaceable_habitats layer."""
    return {"irreplaceable_habitats": ([g for _, _, g in items], {"habitat_type": [t for t, _, _ in items],
                                                                  "name": [n for _, n, _ in items]})}


def designated(*items):
    return {"designated_sites": ([g for _, _, g in items], {"designation": [d for d, _, _ in items],
                                                            "name": [n for _, n, _ in items]})}


def test_outside_strategy_area_refused():
    pack = make_pack(**area_layer(sq(0, 0, 1000)))
    issue = only(validate_features([feat(geometry=sq(950, 0), fid=5)], pack), "outside_strategy_area")
    assert issue.severity == ERROR
    assert issue.message.startswith("Opportunity area 5 has 5,000 m² (50% of it) outside the strategy area.")
    assert issue.location.area == pytest.approx(5000.0)


def test_inside_strategy_area_and_boundary_digitising_accepted():
    pack = make_pack(**area_layer(sq(0, 0, 1000)))
    overshoot = box(X0 + 900, Y0, X0 + 1000.004, Y0 + 100)  # 0.4 m² over the boundary
    assert validate_features([feat(geometry=sq(100, 100)), feat(geometry=overshoot, key="k2")], pack).ok


def test_no_strategy_area_is_a_note_not_a_pass():
    report = validate_features([feat()], make_pack())
    assert report.ok and any("no strategy area" in n for n in report.notes)


def test_contradictory_measures_in_one_polygon_refused():
    issue = only(validate_features([feat("WD004;GL001", fid=7, name="Mixed")], make_pack()), "theme_conflict")
    assert issue.severity == ERROR
    assert issue.message.startswith("Opportunity area 7 ‘Mixed’ maps WD004 (woodland creation or tree planting) on "
                                    "the same land as GL001 (open habitat protection, restoration or creation): "
                                    "planting trees would shade out")


def test_compatible_measures_in_one_polygon_accepted():
    assert validate_features([feat("WD001;WD006;GL001;FW012")], make_pack()).ok


def test_contradictory_measures_on_overlapping_polygons_refused():
    pack = make_pack([("GL001", sq(0, 0), "Meadow")])
    issue = only(validate_features([feat("WD004", geometry=sq(50, 0), name="New wood")], pack), "theme_conflict")
    assert "of opportunity area 1 ‘Meadow’ (5,000 m² shared)" in issue.message
    assert issue.location.area == pytest.approx(5000.0)


def test_contradictory_measures_on_adjoining_polygons_accepted():
    pack = make_pack([("GL001", sq(0, 0), "Meadow")])
    assert validate_features([feat("WD004", geometry=sq(100, 0))], pack).ok  # shared edge only
    sliver_overlap = box(X0 + 99.995, Y0, X0 + 200, Y0 + 100)  # 0.5 m²: boundary digitising
    assert "theme_conflict" not in rules_of(validate_features([feat("WD004", geometry=sliver_overlap)], pack))


def test_an_edited_feature_replaces_its_old_self_and_deleted_features_are_left_out():
    pack = make_pack([("GL001", sq(0, 0), "Meadow"), ("GL002", sq(300, 0), "Patch")])
    # fid 1 re-coded to woodland creation: not compared with its own old state
    assert validate_features([feat("WD004", geometry=sq(0, 0), fid=1)], pack).ok
    new_wood = feat("WD004", geometry=sq(300, 0))
    assert "theme_conflict" in rules_of(validate_features([new_wood], pack))
    assert "theme_conflict" not in rules_of(validate_features([new_wood], pack, exclude_fids=[2]))


def test_woodland_creation_over_open_irreplaceable_habitat_refused():
    pack = make_pack(**irreplaceable(("blanket_bog", "Black Moss", sq(0, 0, 200))))
    issue = only(validate_features([feat("WD004", geometry=sq(150, 0), fid=8)], pack), "habitat_conflict")
    assert issue.severity == ERROR
    assert issue.message.startswith("Opportunity area 8 maps WD004 (woodland creation or tree planting) over 5,000 m² "
                                    "of blanket bog ‘Black Moss’: planting trees would destroy")
    assert "Difference with the pack's irreplaceable_habitats layer" in issue.message
    # one problem, one issue: the APIB policy does not report the same overlap again
    assert "apib_overlap" not in rules_of(validate_features([feat("WD004", geometry=sq(150, 0))], pack))


def test_open_habitat_creation_over_ancient_woodland_refused():
    pack = make_pack(**irreplaceable(("ancient_woodland", "Vernham Wood", sq(0, 0, 200))))
    issue = only(validate_features([feat("GL002", geometry=sq(0, 0))], pack), "habitat_conflict")
    assert "over 10,000 m² of ancient woodland ‘Vernham Wood’: creating open habitat" in issue.message


def test_measures_compatible_with_the_habitat_beneath_accepted():
    pack = make_pack(**irreplaceable(("blanket_bog", "Moss", sq(0, 0, 200)), ("ancient_woodland", "Wood",
                                                                             sq(500, 0, 200))))
    ok = [feat("GL001;FW012", geometry=sq(0, 0)),          # restore grassland and riparian habitat on bog
          feat("WD001;WD006", geometry=sq(500, 0), key="k2"),  # woodland measures on ancient woodland
          feat("WD004", geometry=sq(200, 0), key="k3")]        # woodland creation next to the bog
    report = validate_features(ok, pack)
    assert report.ok, report.summary()


def test_habitat_creation_over_a_national_site_refused_by_the_apib_policy():
    pack = make_pack(**designated(("SSSI", "Bathampton Down", sq(0, 0, 200)), ("LNR", "Local patch", sq(500, 0))))
    issue = only(validate_features([feat("GL002", geometry=sq(100, 100), fid=4)], pack), "apib_overlap")
    assert issue.severity == ERROR
    assert issue.message.startswith("Opportunity area 4 overlaps SSSI ‘Bathampton Down’ by 10,000 m², an Area of "
                                    "Particular Importance for Biodiversity where the strategy maps no measures for "
                                    "creation of a new habitat (here GL002)")
    assert "'opportunity_rules' > apib" in issue.message


def test_management_measures_on_national_sites_and_creation_on_local_sites_accepted():
    pack = make_pack(**designated(("SSSI", "Down", sq(0, 0, 200)), ("LNR", "Local patch", sq(500, 0))))
    report = validate_features([feat("GL001;WD001", geometry=sq(0, 0)),
                                feat("GL002", geometry=sq(500, 0), key="k2"),
                                feat("GL002", geometry=sq(200, 0), key="k3")], pack)  # adjoins the SSSI
    assert report.ok, report.summary()


def test_apib_policy_configured_through_metadata():
    policy = {"apib": [{"designations": ["Local Wildlife Site", "ssSI"], "tolerance_m2": 50,
                        "reason": "our strategy maps measures outside APIB only"}]}
    pack = make_pack(metadata={"opportunity_rules": json_text(policy)},
                     **designated(("LWS", "Meadow LWS", sq(0, 0)), ("SSSI", "Big", sq(500, 0))))
    report = validate_features([feat("WD001", geometry=sq(90, 0)),     # 1,000 m² over the LWS
                                feat("WD001", geometry=sq(599.9, 0), key="k2")], pack)  # 10 m²: tolerated
    issue = only(report, "apib_overlap")
    assert "where the strategy maps no opportunity areas: our strategy maps measures outside APIB only" in \
        issue.message and "LWS ‘Meadow LWS’" in issue.message


def test_many_overlaps_make_one_issue_per_feature():
    sites = [("SSSI", f"Unit {i}", sq(i * 20, 0, 20)) for i in range(5)]
    pack = make_pack(**designated(*sites))
    issue = only(validate_features([feat("GL002", geometry=sq(0, 0))], pack), "apib_overlap")
    assert "and 2 more by 2,000 m²" in issue.message and issue.location.area == pytest.approx(2000.0)


# --------------------------------------------------------------------------- warnings
def test_warnings_do_not_block():
    tiny = feat(geometry=sq(0, 0, 5), fid=1)
    strip = feat(geometry=MultiPolygon([sq(100, 100), box(X0 + 200, Y0, X0 + 400, Y0 + 0.5)]), key="k2")
    report = validate_features([tiny, strip], make_pack())
    assert report.ok and {i.severity for i in report.issues} == {WARNING}
    small = only(report, "small_polygon")
    assert small.message.startswith("Opportunity area 1 is only 25.0 m² (below 100 m²).")
    thin = only(report, "sliver")
    assert "1 thin part(s), the thinnest 0.50 m wide on average over 100.0 m²" in thin.message
    assert thin.location.area == pytest.approx(100.0)


def test_ordinary_polygons_raise_no_warnings():
    report = validate_features([feat(geometry=sq(0, 0, 20)), feat(geometry=box(X0, Y0 + 500, X0 + 300, Y0 + 503),
                                                                   key="k2")], make_pack())
    assert report.issues == ()


def test_duplicate_of_another_polygon_warned():
    pack = make_pack([("GL001", sq(0, 0), "Meadow")])
    report = validate_features([feat("FW012", geometry=sq(0, 0))], pack)
    assert report.ok
    assert "has the same boundary as opportunity area 1 ‘Meadow’" in only(report, "duplicate_geometry").message
    near = box(X0, Y0, X0 + 100, Y0 + 100.5)
    assert "almost the same (99.5% shared)" in only(validate_features([feat("FW012", geometry=near)], pack),
                                                  "duplicate_geometry").message
    assert validate_features([feat("FW012", geometry=sq(0, 0, 150))], pack).issues == ()


def test_duplicates_in_a_pack_reported_once():
    pack = make_pack([("GL001", sq(0, 0), "A"), ("FW012", sq(0, 0), "B")])
    issue = only(validate_pack(pack), "duplicate_geometry")
    assert issue.fid == 1 and "opportunity area 2 ‘B’" in issue.message


def test_many_codes_warned():
    pack = make_pack(metadata={"opportunity_rules": json_text({"max_codes": 3})})
    report = validate_features([feat("WD001;WD006;GL001;FW012")], pack)
    assert report.ok and "has 4 measure codes (more than 3)" in only(report, "many_codes").message
    assert validate_features([feat("WD001;WD006;GL001")], pack).issues == ()


def test_warning_can_be_raised_to_an_error_and_rules_switched_off():
    meta = {"opportunity_rules": json_text({"severity": {"small_polygon": "error", "outside_strategy_area": "off"},
                                            "min_area_m2": 50})}
    pack = make_pack(metadata=meta, **area_layer(sq(0, 0, 10)))
    report = validate_features([feat(geometry=sq(0, 0, 7))], pack)
    assert rules_of(report) == ["small_polygon"] and not report.ok


def test_groups_matching_nothing_in_the_catalogue_are_noted():
    pack = memory_pack([memory_layer("measures", None, code=["GL3"], habitat_theme=["Grassland"])])
    report = validate_features([feat("GL3")], pack)
    assert report.ok
    assert any("'woodland_creation' (WD004, UB003) matches no measure of this pack's catalogue" in n
               for n in report.notes)
    assert "Note: Rule 'theme_conflict'" in report.summary()


def test_groups_and_conflicts_configured_for_another_catalogue():
    catalogue = memory_layer("measures", None, code=["W1", "W2", "H1"], habitat_theme=["Woodland", "Woodland",
                                                                                         "Heathland"])
    rules = {"groups": {"woodland_creation": {"label": "new woods", "themes": ["woodland"]},
                        "heath": {"label": "heathland", "codes": ["h1"]}},
             "group_conflicts": [{"groups": ["woodland_creation", "heath"], "reason": "trees shade out heather"}]}
    pack = memory_pack([catalogue], {"opportunity_rules": json_text(rules)})
    issue = only(validate_features([feat("W2;H1")], pack), "theme_conflict")
    assert "maps W2 (new woods) on the same land as H1 (heathland): trees shade out heather" in issue.message


@pytest.mark.parametrize("config,words", [
    ({"min_area_m2": -1}, "min_area_m2) is -1; it must be a number of at least 0"),
    ({"max_codes": 2.5}, "max_codes) is 2.5; it must be a whole number"),
    ({"max_codes": True}, "max_codes) is true"),
    ({"groups": {"x": {"label": "X"}}}, "groups > x) names neither codes nor themes"),
    ({"groups": {"x": {"codes": "WD001"}}}, "groups > x > codes) is \"WD001\"; it must be a list of texts"),
    ({"group_conflicts": [{"groups": ["woodland_creation", "nope"]}]}, "names the measure group 'nope'"),
    ({"group_conflicts": [{"groups": ["woodland_creation"]}]}, "must name two different measure groups"),
    ({"apib": [{"designations": ["SSSSI"]}]}, "'SSSSI' is not a known designation; use one of: SAC"),
    ({"apib": [{"groups": ["woodland_creation"]}]}, "names neither designations nor habitat_types"),
    ({"habitat_conflicts": [{"habitat_types": ["bog"], "groups": []}]}, "'bog' is not a known habitat type"),
    ({"apib": {"designations": ["SSSI"]}}, "> apib) must be a list of policy objects; correct"),
    ({"apib": [{"designation": ["SSSI"]}]}, "has unknown key(s) designation"),
])
def test_bad_rule_values_are_clear_pack_errors(config, words):
    with pytest.raises(PackError) as err:
        validate_pack(make_pack(metadata={"opportunity_rules": json_text(config)}))
    assert words in str(err.value), str(err.value)


def test_full_rules_round_trip_and_defaults_document_themselves():
    rules = OpportunityRules()
    data = json.loads(rules.to_json())
    assert data["severity"]["sliver"] == "warning" and data["min_area_m2"] == 100.0
    assert data["groups"]["woodland_creation"]["codes"] == ["WD004", "UB003"]
    assert OpportunityRules.from_dict(data) == rules


# --------------------------------------------------------------------------- speed
def test_validate_pack_over_thousands_of_polygons_takes_seconds():
    import time

    n = 3000
    rng = np.random.default_rng(7)
    xs, ys = rng.uniform(0, 60_000, n), rng.uniform(0, 60_000, n)
    opp = [(("WD004" if i % 7 == 0 else "GL001;GL002"), shapely.buffer(Point(X0 + x, Y0 + y), 80.0, quad_segs=8))
           for i, (x, y) in enumerate(zip(xs, ys))]
    sites = [("SSSI", f"S{i}", sq(float(x), float(y), 500)) for i, (x, y) in
             enumerate(zip(rng.uniform(0, 60_000, 400), rng.uniform(0, 60_000, 400)))]
    habitats = [("ancient_woodland", f"W{i}", sq(float(x), float(y), 300)) for i, (x, y) in
                enumerate(zip(rng.uniform(0, 60_000, 400), rng.uniform(0, 60_000, 400)))]
    pack = make_pack(opp, **area_layer(sq(0, 0, 60_000)), **designated(*sites), **irreplaceable(*habitats))
    start = time.perf_counter()
    report = validate_pack(pack)
    elapsed = time.perf_counter() - start
    assert report.checked == n
    assert {"theme_conflict", "habitat_conflict", "apib_overlap"} <= set(rules_of(report))
    assert elapsed < 20.0, f"validate_pack took {elapsed:.1f} s for {n} polygons"


def test_the_documented_example_configuration_is_valid():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "editing.md").read_text(encoding="utf-8")
    block = doc.split("### Configuring the rules for a strategy", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    rules = OpportunityRules.from_json(block)
    assert rules.severity("small_polygon") == "off" and rules.min_area_m2 == 500
    assert rules.group("heath").themes == ("Heathland",) and rules.group("open_habitat").codes  # merged
    assert rules.apib[0].designations == ("SSSI", "SAC", "SPA", "Ramsar", "NNR", "LNR", "LWS")
    for rule in RULES:  # every rule is documented
        assert f"| `{rule.id}` | {rule.severity} |" in doc


def test_rules_set_through_a_metadata_table_reach_validation(tmp_path):
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.pack.store import add_rows

    from .packs import build_small_pack

    path = tmp_path / "lhm.gpkg"
    build_small_pack(path)
    assert "unknown_code" in rules_of(validate_pack(read_pack(path)))  # XX999 in the small pack
    row = {"key": "opportunity_rules", "value": json_text({"severity": {"unknown_code": "warning"}})}
    add_rows(path, map_rows("metadata", [row], None, FieldMapping(), "rules.csv", ["key", "value"]))
    report = validate_pack(read_pack(path))
    assert only(report, "unknown_code").severity == WARNING


# --------------------------------------------------------------------------- command line
def test_command_line_validate(tmp_path, capsys):
    from pathlib import Path

    from lnrs_toolkit.plugin.cli import main

    demo = Path(__file__).resolve().parents[2] / "resources" / "data" / "demo_lnrs_pack.gpkg"
    out = tmp_path / "issues.json"
    assert main(["validate", "--pack", str(demo), "--json", str(out), "--limit", "1"]) == 1  # errors found
    text = capsys.readouterr().out
    # the one warning: a 6 cm wide sliver of buffer 8 (the thin-part check of issue 20)
    assert text.startswith("21 opportunity area(s) checked: 6 error(s), 1 warning(s).") and "... and 6 more." in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["checked"] == 21 and data["errors"] == 6 and len(data["issues"]) == 7
    unknown = next(i for i in data["issues"] if i["rule"] == "unknown_code")
    assert unknown["fid"] == 20 and "XX999" in unknown["message"]
    assert shapely.from_wkt(unknown["location_wkt"]).area > 0


def test_command_line_validate_clean_pack_and_bad_pack(tmp_path, capsys):
    from lnrs_toolkit.plugin.cli import main
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
    from lnrs_toolkit.plugin.core.pack.store import add_rows

    path = tmp_path / "clean.gpkg"
    add_rows(path, map_rows("measures", [{"c": "WD001"}], None, FieldMapping(code_field="c"), "cat", ["c"]))
    add_rows(path, map_rows("opportunity", [{"m": "WD001"}], [sq(0, 0)], FieldMapping(measures_field="m"), "opp",
                            ["m"], "polygon"))
    assert main(["validate", "--pack", str(path)]) == 0
    assert "1 opportunity area(s) checked: no problems found." in capsys.readouterr().out
    assert main(["validate", "--pack", str(tmp_path / "missing.gpkg")]) == 2
    assert "does not exist" in capsys.readouterr().err
