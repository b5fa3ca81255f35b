"""The June 2026 rules (Table 7 / Table 8, footnote 6) and the three modules, with hand-computed answers."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.metric.module_types import HEDGEROW, TREE, WATERCOURSE
from lnrs_toolkit.plugin.core.metric.significance_rules import RULES, significance_rule
from lnrs_toolkit.plugin.core.parcels.model import Parcel
from lnrs_toolkit.plugin.core.parcels.significance import assess_parcels
from lnrs_toolkit.tests.unit.test_parcels import HIGH_TEXT, LOW_TEXT, MEDIUM_TEXT, WOODLAND, X, Y, b, build_index
from shapely.geometry import LineString, Point

GRASS = "Grassland - Modified grassland"


@pytest.fixture(scope="module")
def packs():
    return {"published": build_index("published"), "not_published": build_index("not_published"),
            "unknown": build_index(None)}


def cats(res):
    return sorted((p.category, round(p.area_m2, 6)) for p in res.pieces)


# woodland parcel x -10..120, y 10..90 (10,400 m²): W opportunity x 0..50 (4,000 m²), interim x 70..100 (2,400 m²)
MATRIX = {
    ("published", "baseline"): [("Low", 10400.0)],
    ("published", "proposed"): [("High", 4000.0), ("Low", 6400.0)],
    ("not_published", "baseline"): [("High", 4000.0), ("Low", 4000.0), ("Medium", 2400.0)],
    ("not_published", "proposed"): [("High", 4000.0), ("Low", 4000.0), ("Medium", 2400.0)],
}


@pytest.mark.parametrize(("status", "phase"), sorted(MATRIX))
def test_table_7_and_8_matrix(packs, status, phase):
    res = assess_parcels(packs[status], [Parcel("P1", b(-10, 10, 120, 90), WOODLAND, None, "Good")], phase=phase)
    assert cats(res) == MATRIX[(status, phase)]
    assert res.rule == significance_rule(status, phase)
    assert res.rule.table == ("Table 7" if status == "published" else "Table 8")
    texts = {p.category: (p.multiplier, p.metric_text) for p in res.pieces}
    assert texts.get("High", (1.15, HIGH_TEXT)) == (1.15, HIGH_TEXT)
    assert texts.get("Medium", (1.10, MEDIUM_TEXT)) == (1.10, MEDIUM_TEXT)
    assert texts["Low"] == (1.0, LOW_TEXT)
    assert any(res.rule.table in n for n in res.notes)


def test_rules_table_has_every_status_and_phase_once():
    assert sorted((r.status, r.phase) for r in RULES) == sorted(MATRIX)
    assert [r.medium for r in RULES if r.status == "published"] == [False, False]
    assert significance_rule("draft", "baseline").table == "Table 8"


def test_published_high_needs_a_consistent_intervention(packs):
    res = assess_parcels(packs["published"], [Parcel("G", b(0, 0, 40, 40), GRASS, None, "Good")], phase="proposed")
    assert cats(res) == [("Low", 1600.0)]  # in the woodland area, but grassland is not consistent with WD001


def test_unknown_status_applies_table_7_and_says_so(packs):
    res = assess_parcels(packs["unknown"], [Parcel("P1", b(-10, 10, 120, 90), WOODLAND, None, "Good")],
                         phase="baseline")
    assert cats(res) == [("Low", 10400.0)]
    assert any("does not say whether its LNRS is published" in n for n in res.notes)


def test_footnote_6_high_on_a_local_wildlife_site_is_a_warning(packs):
    on = Parcel("ON", b(230, 10, 250, 20), GRASS, None, "Good")  # 100 m² on Meadow LWS (x 240..260)
    off = Parcel("OFF", b(205, 10, 215, 20), GRASS, None, "Good")
    res = assess_parcels(packs["published"], [on, off], phase="proposed")
    assert [(p.ref, p.category) for p in res.pieces] == [("ON", "High"), ("OFF", "High")]
    (warning,) = (i for i in res.issues if i.code == "HIGH_ON_APIB")
    assert (warning.severity, warning.ref) == ("warning", "ON")
    assert "LWS Meadow LWS" in warning.message and "footnote 6" in warning.message


# ------------------------------------------------------------------ hedgerows, watercourses, trees
def test_hedgerow_crossing_a_high_boundary_splits_into_two_lengths(packs):
    # AG001 (Hedgerows) is mapped on x 400..500, y 1000..1100; the hedge runs x 350 -> 450 at y 1050
    hedge = Parcel("H1", LineString([(X + 350, Y + 1050), (X + 450, Y + 1050)]), "Native hedgerow", None,
                   "Moderate", module=HEDGEROW, layer="Hedgerows")
    res = assess_parcels(packs["published"], [hedge], phase="proposed")
    got = sorted((p.ref, p.category, round(p.length_km, 9), p.measure_codes) for p in res.pieces)
    assert got == [("H1-a", "High", 0.05, ("AG001",)), ("H1-b", "Low", 0.05, ())]
    assert sum(p.length_km for p in res.pieces) == pytest.approx(0.1, abs=1e-12)
    assert all(p.module == HEDGEROW and p.area_m2 == 0 and p.habitat_label == "Native hedgerow" for p in res.pieces)
    base = assess_parcels(packs["published"], [hedge], phase="baseline")
    assert [(p.ref, p.category, p.length_m) for p in base.pieces] == [("H1", "Low", 100.0)]


def test_river_along_an_lpa_boundary_belongs_to_the_first_authority(packs):
    # 60 m along the North/South boundary (y 1050), then 50 m south into South; all in AG001's area
    river = Parcel("R1", LineString([(X + 420, Y + 1050), (X + 480, Y + 1050), (X + 480, Y + 1000)]),
                   "Other rivers and streams", None, "Moderate", module=WATERCOURSE, layer="Rivers")
    lpas = [("North", b(300, 1050, 600, 1200)), ("South", b(300, 900, 600, 1050))]
    res = assess_parcels(packs["published"], [river], lpas=lpas, phase="proposed")
    got = sorted((p.lpa, p.category, round(p.length_m, 9)) for p in res.pieces)
    assert got == [("North", "High", 60.0), ("South", "High", 50.0)]
    assert sum(p.length_m for p in res.pieces) == pytest.approx(river.geometry.length)


def test_watercourse_type_must_be_delivered(packs):
    canal = Parcel("C1", LineString([(X + 410, Y + 1010), (X + 490, Y + 1010)]), "Canals", None, "Good",
                   module=WATERCOURSE)
    (piece,) = assess_parcels(packs["published"], [canal], phase="proposed").pieces
    assert (piece.category, piece.length_km) == ("Low", pytest.approx(0.08))


def test_tree_in_and_out_of_a_mapped_area(packs):
    inside = Parcel("T1", Point(X + 25, Y + 50), "Urban tree", None, "Good", module=TREE, layer="Urban Trees")
    outside = Parcel("T2", Point(X + 150, Y + 50), "Urban tree", None, "Good", module=TREE, layer="Urban Trees")
    res = assess_parcels(packs["published"], [inside, outside], phase="proposed")
    by = {p.ref: p for p in res.pieces}
    assert (by["T1"].category, by["T1"].multiplier, by["T1"].metric_text, by["T1"].measure_codes) == \
        ("High", 1.15, "Within area formally identified in local strategy", ("WD001",))
    assert (by["T2"].category, by["T2"].metric_text) == ("Low", LOW_TEXT)
    assert by["T1"].habitat_label == "Individual trees - Urban tree"
    base = assess_parcels(packs["published"], [inside], phase="baseline")
    assert base.pieces[0].category == "Low"
