"""Recognised layers into a pack: one atomic write, the revised Ancient Woodland Inventory preferred, priority
habitats, and packs made before the new tables and columns keeping their content hash."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from lnrs_toolkit.plugin.core.pack.ancient_woodland import COVERAGE_KEY, COVERAGE_METHOD_KEY
from lnrs_toolkit.plugin.core.pack.builder import map_rows
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.pack.layer_plan import plan_layer
from lnrs_toolkit.plugin.core.pack.store import Cancelled, add_many
from shapely.geometry import box, shape

from .packs import build_small_pack

DATA = Path(__file__).resolve().parents[1] / "data" / "recognition"


def mapped(name: str, rows=None, geoms=None):
    doc = json.loads((DATA / name).read_text())
    if rows is None:
        rows = [dict(f["properties"]) for f in doc["features"]]
        geoms = np.empty(len(rows), dtype=object)
        geoms[:] = [shape(f["geometry"]) for f in doc["features"]]
    plan = plan_layer(name, rows, geoms, list(dict.fromkeys(k for r in rows for k in r)), "polygon")
    return map_rows(plan.role, plan.rows, plan.geoms, plan.mapping, plan.source, plan.fields, "polygon")


def to_bng(m):
    """The fixtures are in WGS 84 (as published); the pack is in British National Grid metres. A plain affine
    stand-in is enough here (it lands the fixtures around Bath, inside the grid the pack reader accepts)."""
    from shapely import affinity

    geoms = np.empty(len(m.geoms), dtype=object)
    geoms[:] = [affinity.affine_transform(g, [70000, 0, 0, 111000, 540000, -5_550_000]) for g in m.geoms]
    return type(m)(m.role, m.spec, m.source, m.columns, geoms, m.notes, m.metadata)


def test_many_layers_in_one_write(tmp_path):
    pack = tmp_path / "p.gpkg"
    names = ["planning_data_ramsar.geojson", "natural_england_2016_ne_sssi.geojson",
             "natural_england_priority_habitats.geojson", "planning_data_local-planning-authority.geojson"]
    reports = add_many(pack, [mapped(n) for n in names], {"lnrs_name": "T"})
    assert [r.table for r in reports] == ["designated_sites", "designated_sites", "priority_habitats",
                                          "lpa_boundaries"]
    assert [r.rows_added for r in reports] == [2, 3, 2, 1]  # the end-dated Ramsar row is left out
    data = read_pack(pack)
    assert data.layers["designated_sites"].columns["designation"] == ["Ramsar", "Ramsar", "SSSI", "SSSI", "SSSI"]
    phi = data.layers["priority_habitats"].columns
    assert phi["main_habitat"] == ["Deciduous woodland", "Lowland calcareous grassland"]
    assert phi["habitat_codes"] == ["DWOOD", "LCGRA,DWOOD"] and phi["confidence"] == ["High", "Medium"]
    assert data.layers["lpa_boundaries"].columns["name"] == ["Bath and North East Somerset"]
    assert len({r.content_sha256 for r in reports}) == 1 == len({content_hash(data), reports[0].content_sha256})


def test_a_failure_after_the_first_layer_writes_nothing(tmp_path):
    pack = tmp_path / "p.gpkg"
    build_small_pack(pack)
    before = pack.read_bytes()
    calls = []

    def cancel_on_second_table() -> bool:
        calls.append(1)
        return len(calls) >= 2

    with pytest.raises(Cancelled):
        add_many(pack, [mapped("planning_data_ramsar.geojson"), mapped("natural_england_2016_ne_sssi.geojson")],
                 is_cancelled=cancel_on_second_table)
    assert pack.read_bytes() == before


def test_revised_inventory_preferred_where_it_covers(tmp_path):
    pack = tmp_path / "p.gpkg"
    legacy, revised = to_bng(mapped("natural_england_ancient_woodland_legacy.geojson")), \
        to_bng(mapped("natural_england_ancient_woodland_revised.geojson"))
    add_many(pack, [legacy])
    assert read_pack(pack).layers["irreplaceable_habitats"].columns["inventory"] == ["legacy"] * 5
    add_many(pack, [revised])
    data = read_pack(pack)
    aw = data.layers["irreplaceable_habitats"]
    inv = aw.columns["inventory"]
    assert inv.count("revised") == 3
    coverage = shape_from_metadata(data.metadata.extra)
    for i, g in enumerate(aw.geoms):
        if inv[i] == "legacy":
            assert g.intersection(coverage).area < 1.0, "legacy polygons are kept only outside the coverage"
    # the two legacy woods the revised inventory re-mapped are gone; the others are outside its hull and kept
    kept = [g for g, v in zip(aw.geoms, inv) if v == "legacy"]
    assert 0 < len(kept) < 5
    assert dict(data.metadata.extra)[COVERAGE_METHOD_KEY].startswith("convex hull")
    assert aw.columns["status"][inv.index("revised"):][:3] == ["ASNW", "PAWS", "wood_pasture"]


def shape_from_metadata(extra):
    from shapely import wkt

    return wkt.loads(dict(extra)[COVERAGE_KEY].split(";", 1)[1]).buffer(1.0)


def test_packs_made_before_the_inventory_column_read_and_keep_their_hash(tmp_path):
    pack = tmp_path / "old.gpkg"
    rows = [{"s": "ASNW"}]
    geoms = np.asarray([box(0, 0, 10, 10)], dtype=object)
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping

    m = map_rows("irreplaceable", rows, geoms, FieldMapping(habitat_type="ancient_woodland", status_field="s"), "w",
                 ["s"], "polygon")
    add_many(pack, [m])
    new_hash = content_hash(read_pack(pack))
    with sqlite3.connect(pack) as conn:  # a pack written before the column existed
        conn.execute('ALTER TABLE irreplaceable_habitats DROP COLUMN "inventory"')
    old = read_pack(pack)
    assert old.layers["irreplaceable_habitats"].columns["inventory"] == [None]
    assert content_hash(old) == new_hash  # NULL inventory and no inventory column hash alike


def test_a_value_in_the_inventory_column_is_content():
    from lnrs_toolkit.plugin.core.pack.model import PackData, PackLayer, PackMetadata
    from lnrs_toolkit.plugin.core.pack.schema import IRREPLACEABLE

    def pack(inventory):
        cols = {"habitat_type": ["ancient_woodland"], "status": ["ASNW"], "name": [None], "ref": [None],
                "source_layer": ["x"], "inventory": [inventory]}
        layer = PackLayer(IRREPLACEABLE, np.array([1]), np.asarray([box(0, 0, 1, 1)], dtype=object), cols)
        return PackData({IRREPLACEABLE.name: layer}, PackMetadata())

    assert len({content_hash(pack(None)), content_hash(pack("legacy")), content_hash(pack("revised"))}) == 3


def test_new_tables_and_column_leave_the_hash_of_an_older_pack_alone(tmp_path):
    """The small pack hashed to this value before priority_habitats, lpa_boundaries and the inventory column
    (its catalogue's Freshwater theme now also delivers the watercourse module's "Watercourses", issue 16)."""
    pack = tmp_path / "p.gpkg"
    build_small_pack(pack)
    assert content_hash(read_pack(pack)) == "459b22ec8fab5a233d838ccba066e342bbbad8ddcacc7d0851616558a73202e5"
