"""Parcels split by the pack's own local planning authority boundaries when the user gives none, and said so."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.parcels.authorities import pack_authorities
from lnrs_toolkit.plugin.core.parcels.model import Parcel
from lnrs_toolkit.plugin.core.parcels.significance import assess_parcels
from lnrs_toolkit.plugin.core.screening.engine import PackIndex
from shapely.geometry import box

X, Y = 370000.0, 160000.0
GRASS = "Grassland - Modified grassland"


def b(x0, y0, x1, y1):
    return box(X + x0, Y + y0, X + x1, Y + y1)


def index(with_lpas: bool) -> PackIndex:
    layers = [memory_layer("strategy_area", [b(-5000, -5000, 5000, 5000)], name=["County"]),
              memory_layer("opportunity_areas", [b(1000, 1000, 1100, 1100)], measures=["GL001"], name=["G"],
                           ref=["O1"])]
    if with_lpas:  # west of x = 40 is Westshire, east of it a district with no name, only its code
        layers.append(memory_layer("lpa_boundaries", [b(-500, -500, 40, 500), b(40, -500, 500, 500)],
                                   name=["Westshire", None], ref=["E07000001", "E07000002"]))
    return PackIndex.build(memory_pack(layers, {"lnrs_status": "not_published"}))


PARCEL = Parcel("P1", b(0, 0, 100, 50), GRASS, None, "3. Moderate", None)  # 100 m x 50 m: 2,000 m² | 3,000 m²


def test_without_lpa_boundaries_the_pack_table_splits_the_parcel_and_a_note_says_so():
    res = assess_parcels(index(True), [PARCEL], phase="baseline")
    pieces = res.pieces_of(0)
    assert [(p.lpa, round(p.area_m2, 6)) for p in pieces] == [("Westshire", 2000.0), ("E07000002", 3000.0)]
    [note] = [n for n in res.notes if "lpa_boundaries" in n]
    assert note == ("Local planning authority boundaries: no LPA_BOUNDARIES layer was given, so the pack's own "
                    "'lpa_boundaries' table was used (2 authorities: Westshire, E07000002).")


def test_boundaries_given_win_over_the_pack_table_and_no_note_is_added():
    res = assess_parcels(index(True), [PARCEL], lpas=[("Whole", b(-500, -500, 500, 500))], phase="baseline")
    assert [p.lpa for p in res.pieces_of(0)] == ["Whole"]
    assert not any("lpa_boundaries" in n for n in res.notes)
    # an empty layer given is the user's choice too: no split, no borrowing
    res = assess_parcels(index(True), [PARCEL], lpas=[], phase="baseline")
    assert [p.lpa for p in res.pieces_of(0)] == [None]


def test_a_pack_without_the_table_splits_by_no_authority():
    res = assess_parcels(index(False), [PARCEL], phase="baseline")
    assert [p.lpa for p in res.pieces_of(0)] == [None]
    assert not any("lpa_boundaries" in n for n in res.notes)
    assert pack_authorities(index(False).pack) == []


def test_pack_authorities_are_named_by_name_then_code():
    assert [n for n, _ in pack_authorities(index(True).pack)] == ["Westshire", "E07000002"]
    # 540 m x 1,000 m + 460 m x 1,000 m
    assert sum(g.area for _, g in pack_authorities(index(True).pack)) == pytest.approx(1_000_000.0)
