"""Opportunity (ACB) validation: each rule refused and accepted, configuration, speed."""

from __future__ import annotations

import pytest
import shapely
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.plugin.core.opportunity_validation import (
    ERROR,
    RULES,
    WARNING,
    OpportunityFeature,
    OpportunityRules,
    ValidationReport,
    feature_codes,
    geometry_sha256,
    opportunity_features,
    validate_features,
    validate_pack,
)
from lnrs_toolkit.plugin.core.pack_memory import memory_layer, memory_pack
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
    report = validate_features([feat(" wd001 | GL002,fw012 "), feat("{WD004,OM002}", key="k2")], make_pack())
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
                                  box(300_000, 800_000, 301_000, 801_000)])  # Scotland
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
    report = validate_features([feat("XX999"), feat("", key="k2")], pack)
    assert report.ok and rules_of(report) == ["unknown_code"] and report.issues[0].severity == WARNING
    # explicit rules win over the pack's
    assert not validate_features([feat("XX999")], pack, OpportunityRules()).ok


def json_text(data) -> str:
    import json

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
