"""Defra's validation rules as the parcel QA: each rule at its tolerance (passes) and just past it (fails)."""

from __future__ import annotations

from collections import Counter

import pytest
from lnrs_toolkit.plugin.core.metric.habitats import default_table
from lnrs_toolkit.plugin.core.metric.module_types import HEDGEROW, TREE, WATERCOURSE
from lnrs_toolkit.plugin.core.parcels.model import Parcel
from lnrs_toolkit.plugin.core.parcels.qa import RedLine, check_parcels
from lnrs_toolkit.plugin.core.parcels.qa_rules import RULES, RULES_BY_CODE
from shapely.geometry import LineString, Point, Polygon, box

X, Y = 370000.0, 160000.0
WOOD = "Woodland and forest - Lowland mixed deciduous woodland"
RL = box(X, Y, X + 100, Y + 100)


def b(x0, y0, x1, y1):
    return box(X + x0, Y + y0, X + x1, Y + y1)


def area(ref, geom, **kw):
    return Parcel(ref, geom, kw.pop("habitat", WOOD), None, kw.pop("condition", "Good"), layer="Habitats", **kw)


def codes(parcels, red_line=RL, whole_file=False):
    return Counter((i.code, i.ref) for i in check_parcels(parcels, red_line, default_table(),
                                                          whole_file=whole_file))


def tiles(extra=()):
    """Two parcels tiling the red line exactly, plus ``extra``."""
    return [area("A", b(0, 0, 50, 100)), area("B", b(50, 0, 100, 100)), *extra]


def test_a_clean_file_has_no_issue():
    assert codes(tiles(), RedLine((RL,)), whole_file=True) == Counter()


# widths in powers of two, so that 64 m x W is exactly 0.5 m² at these coordinates
HALF, JUST = 2.0 ** -7, 2.0 ** -12  # 64 x HALF = 0.5 m²; 64 x JUST = 0.0156 m² more
RL64 = b(0, 0, 100, 64)


def test_overlap_at_and_past_half_a_square_metre():
    at = [area("A", b(0, 0, 50 + HALF, 64)), area("B", b(50, 0, 100, 64))]
    past = [area("A", b(0, 0, 50 + HALF + JUST, 64)), area("B", b(50, 0, 100, 64))]
    assert ("PARCEL_OVERLAPS", "A; B") not in codes(at, None)
    assert codes(past, None)[("PARCEL_OVERLAPS", "A; B")] == 1


def test_area_sum_at_and_past_half_a_square_metre():
    at = [area("A", b(0, 0, 50, 64)), area("B", b(50 + HALF, 0, 100, 64))]  # a 0.5 m² gap
    past = [area("A", b(0, 0, 50, 64)), area("B", b(50 + HALF + JUST, 0, 100, 64))]
    assert ("AREA_SUM_MISMATCH", "") not in codes(at, RL64)
    (mismatch,) = (i for i in check_parcels(past, RL64, default_table()) if i.code == "AREA_SUM_MISMATCH")
    assert mismatch.geometry.area == pytest.approx(0.515625) and "-0.52 m²" in mismatch.message


def test_parcel_outside_red_line_at_and_past_half_a_square_metre():
    at = [area("A", b(0, 0, 50, 64)), area("B", b(50, 0, 100 + HALF, 64))]  # 0.5 m² outside (and in the sum)
    past = [area("A", b(0, 0, 50, 64)), area("B", b(50, 0, 100 + HALF + JUST, 64))]
    assert codes(at, RL64) == Counter()
    assert codes(past, RL64)[("AREA_PARCELS_OUTSIDE_REDLINE", "B")] == 1


@pytest.mark.parametrize(("module", "code"), [(HEDGEROW, "HEDGEROWS_OUTSIDE_REDLINE"),
                                              (WATERCOURSE, "WATERCOURSES_OUTSIDE_REDLINE")])
def test_lines_outside_red_line_at_and_past_a_tenth_of_a_metre(module, code):
    kind = "Native hedgerow" if module == HEDGEROW else "Ditches"
    at = Parcel("L1", LineString([(X + 10, Y + 50), (X + 100.1, Y + 50)]), kind, None, "Good", module=module)
    past = Parcel("L2", LineString([(X + 10, Y + 60), (X + 100.11, Y + 60)]), kind, None, "Good", module=module)
    got = codes(tiles([at, past]))
    assert (code, "L1") not in got and got[(code, "L2")] == 1


def test_trees_outside_red_line_at_and_past_a_tenth_of_a_metre():
    at = Parcel("T1", Point(X - 0.1, Y + 50), None, None, None, module=TREE)
    past = Parcel("T2", Point(X - 0.11, Y + 50), None, None, None, module=TREE)
    got = codes(tiles([at, past]))
    assert ("TREES_OUTSIDE_REDLINE", "T1") not in got and got[("TREES_OUTSIDE_REDLINE", "T2")] == 1


def test_smallest_parcel_at_and_under_a_square_metre():
    got = codes([area("OK", b(200, 0, 201, 1)), area("S", b(300, 0, 300.99, 1))], None)
    assert ("AREA_PARCELS_TOO_SMALL", "OK") not in got and got[("AREA_PARCELS_TOO_SMALL", "S")] == 1


def test_red_line_area_at_and_past_100_km2():
    at = box(400000, 200000, 410000, 210000)  # 100 km²
    past = box(400000, 200000, 410000, 210000.1)
    assert ("REDLINE_AREA_TOO_LARGE", "") not in codes([], RedLine((at,)))
    assert codes([], RedLine((past,)))[("REDLINE_AREA_TOO_LARGE", "")] == 1


def test_red_line_outside_england():
    assert codes([], RedLine((box(300000, 800000, 300100, 800100),)))[("REDLINE_OUTSIDE_ENGLAND", "")] == 1
    assert ("REDLINE_OUTSIDE_ENGLAND", "") not in codes([], RedLine((RL,)))


@pytest.mark.parametrize(("red_line", "code", "words"), [
    (RedLine(()), "NO_REDLINE", "has no features"),
    (RedLine((None,)), "NO_REDLINE", "features without geometry"),
    (RedLine((Point(X, Y),)), "REDLINE_INVALID_GEOMETRY", "is a Point, not a polygon"),
    (RedLine((RL,), srs_known=False), "REDLINE_UNKNOWN_SRS", "no known coordinate reference system"),
])
def test_red_line_refusals_are_errors_in_words(red_line, code, words):
    issues = check_parcels(tiles(), red_line, default_table())
    (red,) = (i for i in issues if i.code == code)
    assert red.severity == "error" and words in red.message and "not checked against the red line" in red.message
    assert not any(i.code == "AREA_SUM_MISMATCH" for i in issues)  # the red-line checks are off, and it says so


def test_self_intersecting_red_line_is_an_error_and_checks_go_on():
    bowtie = Polygon([(X, Y), (X + 100, Y + 100), (X + 100, Y), (X, Y + 100)])
    issues = check_parcels(tiles(), RedLine((bowtie,)), default_table())
    (red,) = (i for i in issues if i.code == "REDLINE_INVALID_GEOMETRY")
    assert "Self-intersection" in red.message and "repaired copy" in red.message


def test_no_habitats_and_absent_red_line_in_a_whole_file():
    hedge = Parcel("H1", LineString([(X, Y), (X + 1, Y)]), "Native hedgerow", None, "Good", module=HEDGEROW)
    assert codes([hedge], RedLine(()), whole_file=True)[("NO_HABITAT_AREAS", "")] == 1
    assert ("NO_HABITAT_AREAS", "") not in codes([hedge], None)


def test_duplicate_refs_and_advance_with_delay():
    got = codes([area("A", b(0, 0, 50, 100)), area("A", b(50, 0, 100, 100), advance_years="2", delay_years="1"),
                 area("C", b(200, 0, 210, 10), advance_years="0", delay_years="3")], None)
    assert got[("DUPLICATE_HABITAT_REF", "A")] == 1
    assert got[("ADVANCE_AND_DELAY_BOTH_SET", "A")] == 1 and ("ADVANCE_AND_DELAY_BOTH_SET", "C") not in got


def test_warnings_are_our_advice():
    issues = check_parcels([area("A", b(0, 0, 50, 100), area=4000.0),
                            area("B", b(50, 0, 100, 100), habitat="Woodland - Oak woods", condition="Null"),
                            Parcel("H", LineString([(X, Y), (X + 5, Y)]), "Hawthorn hedge", None, "Good",
                                   module=HEDGEROW)], RL, default_table())
    got = {(i.code, i.ref): i for i in issues}
    assert set(got) == {("AREA_FIELD_MISMATCH", "A"), ("HABITAT_UNKNOWN", "B"), ("CONDITION_MISSING", "B"),
                        ("HABITAT_UNKNOWN", "H")}
    assert all(i.severity == "warning" for i in issues)
    assert "hedgerow" in got[("HABITAT_UNKNOWN", "H")].fix
    assert "Woodland and forest" in got[("HABITAT_UNKNOWN", "B")].fix


def test_invalid_parcel_and_missing_geometry_are_errors():
    bowtie = Polygon([(X + 200, Y), (X + 210, Y + 10), (X + 210, Y), (X + 200, Y + 10)])
    got = check_parcels([area("D", bowtie), area("E", None)], None, default_table())
    by = {i.code: i for i in got}
    assert by["AREA_PARCELS_INVALID_GEOMETRY"].geometry.geom_type == "Point"
    assert by["FEATURE_NO_GEOMETRY"].severity == "error"


def test_every_issue_has_the_fields_and_a_known_code():
    parcels = [area("A", b(0, 0, 60, 100)), area("A", b(50, 0, 100, 100), habitat="Null")]
    for i in check_parcels(parcels, RL, default_table()):
        assert i.code in RULES_BY_CODE and i.severity == RULES_BY_CODE[i.code].severity
        assert i.message and i.fix and i.layer == "Habitats"
    # Defra's codes used: all 15 geometry rules of src/validation/geopackage/geos/checks.js (NO_REDLINE is one
    # of them) plus its duplicate-reference and advance-and-delay codes
    assert sum(r.defra for r in RULES) == 17


# --------------------------------------------------------------------------- England's outline
@pytest.mark.parametrize(("name", "x", "y"), [
    ("Kelso, Scotland, 5 km from the border", 372800, 633800),
    ("Monmouth, Wales, 3 km from the border", 350800, 212900),
    ("Wrexham, Wales", 333000, 350000),
    ("Edinburgh", 325000, 673000),
    ("Isle of Man", 238000, 478000),
    ("at sea, 40 km west of Cornwall", 100000, 60000),
])
def test_red_line_in_scotland_wales_or_at_sea_is_outside_england(name, x, y):
    (issue,) = (i for i in check_parcels([], RedLine((box(x, y, x + 100, y + 100),)), default_table())
                if i.code == "REDLINE_OUTSIDE_ENGLAND")
    assert issue.severity == "error" and "all of it" in issue.message, name


@pytest.mark.parametrize(("name", "x", "y"), [
    ("Carlisle", 340000, 556000), ("Berwick-upon-Tweed", 399500, 653000), ("Oswestry", 329000, 329500),
    ("Hereford", 351000, 240000), ("Chester", 340500, 366300), ("Isles of Scilly", 90000, 10000),
    ("Farne Islands", 421800, 637800), ("Lundy", 213500, 144800),
])
def test_red_line_in_england_near_a_border_or_coast_is_fine(name, x, y):
    assert ("REDLINE_OUTSIDE_ENGLAND", "") not in codes([], RedLine((box(x, y, x + 100, y + 100),))), name


def test_a_red_line_across_the_welsh_border_is_outside_england_by_its_welsh_part():
    # from Hereford (England) 40 km west into Wales: the part beyond the zone is reported, not the whole
    (issue,) = (i for i in check_parcels([], RedLine((box(310000, 240000, 351000, 240100),)), default_table())
                if i.code == "REDLINE_OUTSIDE_ENGLAND")
    assert "all of it" not in issue.message and issue.geometry.bounds[2] < 351000


# --------------------------------------------------------------------------- slivers and IGGIs (Defra's geos/checks.js)
def test_sliver_outside_the_red_line_at_and_past_half_a_square_metre():
    # A and B stick out below the red line by a strip 64 m long: HALF wide = 0.5 m² (accepted), more = a sliver
    at = [area("A", b(0, -HALF, 50, 64)), area("B", b(50, 0, 100, 64))]
    past = [area("A", b(0, -HALF - JUST, 40, 64)), area("B", b(40, -HALF - JUST, 100, 64))]
    assert not any(c == "SLIVERS_OUTSIDE_REDLINE" for c, _ in codes(at, RL64))
    slivers = [i for i in check_parcels(past, RL64, default_table()) if i.code == "SLIVERS_OUTSIDE_REDLINE"]
    # one sliver across two parcels is one issue here (and one AREA_PARCELS_OUTSIDE_REDLINE per parcel, if over)
    assert len(slivers) == 1 and slivers[0].ref == "A; B" and slivers[0].severity == "error"
    assert slivers[0].geometry.area == pytest.approx(100 * (HALF + JUST))


def iggi(ref, geom):
    return Parcel(ref, geom, layer="IGGIs")


def test_iggi_outside_the_red_line_at_and_past_half_a_square_metre():
    at = check_parcels(tiles(), RL64, default_table(), iggis=[iggi("I1", b(10, 64 - 10, 10 + 64, 64 + HALF))])
    past = check_parcels(tiles(), RL64, default_table(),
                         iggis=[iggi("I1", b(10, 64 - 10, 10 + 64, 64 + HALF + JUST))])
    assert not any(i.code == "IGGIS_OUTSIDE_REDLINE" for i in at)
    (out,) = (i for i in past if i.code == "IGGIS_OUTSIDE_REDLINE")
    assert (out.ref, out.layer, out.severity) == ("I1", "IGGIs", "error") and "integrated greening" in out.message
    inside = check_parcels(tiles(), RL64, default_table(), iggis=[iggi("I2", b(10, 10, 20, 20))])
    assert not any(i.code == "IGGIS_OUTSIDE_REDLINE" for i in inside)


def test_a_sliver_across_many_parcels_names_ten_and_counts_the_rest():
    strips = [area(f"S{i}", b(i * 4, -1, i * 4 + 4, 64)) for i in range(25)]  # all stick out 1 m below
    (sliver,) = (i for i in check_parcels(strips, RL64, default_table()) if i.code == "SLIVERS_OUTSIDE_REDLINE")
    assert sliver.ref == "; ".join(f"S{i}" for i in range(10)) + "; +15 more"
    assert sliver.geometry.area == pytest.approx(100.0)
