"""Parcel significance and QA on purpose-built parcels: splits, wording, irreplaceable flags, every QA case once."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.parcels.model import Parcel
from lnrs_toolkit.plugin.core.parcels.qa_rules import QaOptions
from lnrs_toolkit.plugin.core.parcels.significance import assess_parcels, piece_refs
from lnrs_toolkit.plugin.core.screening.engine import PackIndex
from shapely.geometry import Polygon, box

X, Y = 370000.0, 160000.0
HIGH_TEXT = "Formally identified in local strategy"
MEDIUM_TEXT = "Location ecologically desirable but not in local strategy"
LOW_TEXT = "Area/compensation not in local strategy/ no local strategy"
WOODLAND = "Woodland and forest - Lowland mixed deciduous woodland"
GRASS = "Grassland - Modified grassland"


def b(x0, y0, x1, y1):
    return box(X + x0, Y + y0, X + x1, Y + y1)


def build_index(status="not_published", designated=True):
    catalogue = memory_layer(
        "measures", None, code=["WD001", "GL001", "AG001"], habitat_theme=["Woodland", "Grasslands", "Agricultural"],
        priority=["P1", "P1", "P1"], measure=["Woods.", "Grass.", "Hedges and streams."],
        habitats=["Woodland and forest;Individual trees", "Grassland", "Hedgerows;Other rivers and streams"])
    opportunity = memory_layer("opportunity_areas", [b(0, 0, 50, 100), b(200, 0, 260, 100), b(400, 1000, 500, 1100)],
                               measures=["WD001", "GL001", "AG001"], name=["W", "G", "A"], ref=["O1", "O2", "O3"])
    interim = memory_layer("interim_strategy", [b(70, 0, 100, 100)], name=["Interim"], ref=["I1"])
    irr = memory_layer("irreplaceable_habitats", [b(300, 0, 320, 20)], habitat_type=["ancient_woodland"],
                       status=["ASNW"], name=["Old Wood"], ref=["AW1"])
    area = memory_layer("strategy_area", [b(-5000, -5000, 5000, 5000)], name=["County"])
    layers = [area, opportunity, interim, irr, catalogue]
    if designated:  # a Local Wildlife Site on part of the grassland opportunity area
        layers.append(memory_layer("designated_sites", [b(240, 0, 260, 100)], designation=["LWS"],
                                   name=["Meadow LWS"], ref=["L1"]))
    return PackIndex.build(memory_pack(layers, {"lnrs_status": status} if status else None))


@pytest.fixture(scope="module")
def index():
    """A pack whose LNRS is not yet published: Table 8 (High and Medium at baseline too)."""
    return build_index("not_published")


@pytest.fixture(scope="module")
def published():
    return build_index("published")


def parcel(ref, geom, habitat=WOODLAND, condition="3. Moderate", area=None, **kw):
    return Parcel(ref, geom, habitat, None, condition, area, **kw)


def total(pieces):
    return sum(p.area_m2 for p in pieces)


def test_split_by_opportunity_interim_and_lpa_adds_up(index):
    geom = Polygon([(X - 10, Y + 10), (X + 120, Y + 3), (X + 115, Y + 90), (X - 5, Y + 95)])
    lpas = [("North LPA", b(-100, 50, 500, 500)), ("South LPA", b(-100, -500, 500, 50))]
    res = assess_parcels(index, [parcel("P1", geom)], lpas=lpas, phase="baseline")
    pieces = res.pieces_of(0)
    assert abs(total(pieces) - geom.area) < 0.01
    assert {(p.category, p.lpa) for p in pieces} == {(c, n) for c in ("High", "Medium", "Low")
                                                      for n in ("North LPA", "South LPA")}
    assert [p.ref for p in pieces] == [f"P1-{c}" for c in "abcdef"]
    texts = {p.category: p.metric_text for p in pieces}
    assert texts == {"High": HIGH_TEXT, "Medium": MEDIUM_TEXT, "Low": LOW_TEXT}
    mult = {p.category: p.multiplier for p in pieces}
    assert mult == {"High": 1.15, "Medium": 1.10, "Low": 1.0}
    for p in pieces:
        assert p.measure_codes == (("WD001",) if p.category == "High" else ())
        # the metric marks lowland mixed deciduous woodland Yes/No (ancient woodland is irreplaceable)
        assert p.irreplaceable and "confirm the sub-type" in p.irreplaceable_text
        assert p.habitat_label == WOODLAND


def test_high_needs_a_measure_the_habitat_delivers(index):
    geom = b(0, 0, 40, 40)  # in the woodland opportunity only
    res = assess_parcels(index, [parcel("G", geom, GRASS), parcel("W", b(0, 50, 40, 90))], phase="proposed")
    grass, wood = res.pieces_of(0), res.pieces_of(1)
    assert [(p.ref, p.category) for p in grass] == [("G", "Low")]
    assert [(p.ref, p.category, p.measure_codes) for p in wood] == [("W", "High", ("WD001",))]


def test_defra_style_type_and_broad_fields_resolve(index):
    p = Parcel("1", b(210, 10, 220, 20), "Modified grassland", "Grassland", "3. Moderate", None)
    (piece,) = assess_parcels(index, [p], phase="proposed").pieces
    assert piece.habitat_label == GRASS and piece.category == "High" and piece.measure_codes == ("GL001",)


def test_irreplaceable_flags(index):
    fen = "Wetland - Fens (upland and lowland)"
    parcels = [parcel("A", b(300, 0, 310, 10)), parcel("F", b(400, 0, 410, 10), fen),
               parcel("L", b(500, 0, 510, 10), "Grassland - Lowland meadows")]
    res = assess_parcels(index, parcels, phase="baseline")
    by = {p.ref: p for p in res.pieces}
    assert by["A"].irreplaceable and "ancient woodland (Old Wood)" in by["A"].irreplaceable_text
    assert by["F"].irreplaceable and "confirm the sub-type" in by["F"].irreplaceable_text
    assert not by["L"].irreplaceable and by["L"].irreplaceable_text == ""


def test_tolerances_are_options(index):
    res = assess_parcels(index, [parcel("S", b(0, 0, 1, 1))], qa=QaOptions(min_parcel_m2=0.5), phase="baseline")
    assert not res.issues


def test_no_opportunity_layer_gives_no_category():
    idx = PackIndex.build(memory_pack([memory_layer("strategy_area", [b(0, 0, 10, 10)], name=["C"])]))
    res = assess_parcels(idx, [parcel("P", b(0, 0, 5, 5))], phase="baseline")
    assert res.pieces[0].category is None and res.notes


def test_piece_refs():
    assert piece_refs("P1", 1) == ["P1"]
    assert piece_refs("P1", 3) == ["P1-a", "P1-b", "P1-c"]
    assert piece_refs("X", 28)[26:] == ["X-aa", "X-ab"]


def test_progress_rises_to_100_and_cancel_stops_between_parcels(index):
    from lnrs_toolkit.plugin.core.pack.store import Cancelled

    parcels = [parcel(f"P{i}", b(i * 10, 0, i * 10 + 10, 10)) for i in range(5)]
    seen: list[float] = []
    res = assess_parcels(index, parcels, progress=seen.append, phase="baseline")
    assert len(res.pieces) >= 5
    assert seen == sorted(seen) and seen[0] > 0 and seen[-1] == 100.0
    asked = []

    def cancel_on_third():
        asked.append(1)
        return len(asked) >= 3

    with pytest.raises(Cancelled):
        assess_parcels(index, parcels, is_cancelled=cancel_on_third, phase="baseline")
    assert len(asked) == 3  # before the QA, then before each parcel until the answer turns
    with pytest.raises(Cancelled):
        assess_parcels(index, parcels, is_cancelled=lambda: True, phase="baseline")
