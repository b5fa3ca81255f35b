"""LNRS opportunity maps in their published shapes: one area per polygon with all its codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.builder import map_rows
from lnrs_toolkit.plugin.core.pack.layer_plan import LNRS_OPPORTUNITY, opportunity_plan, plan_layer
from lnrs_toolkit.plugin.core.pack.opportunity_shapes import MEASURES_KEY, shape_opportunities
from shapely.geometry import box, shape

DATA = Path(__file__).resolve().parents[1] / "data" / "recognition"
WANT = {"A1": "WD001;WD006", "A2": "GL001;FW012", "A3": "GL002"}


def load(name: str):
    doc = json.loads((DATA / name).read_text())
    rows = [dict(f["properties"]) for f in doc["features"]]
    geoms = np.empty(len(rows), dtype=object)
    geoms[:] = [shape(f["geometry"]) for f in doc["features"]]
    fields = list(dict.fromkeys(k for r in rows for k in r))
    return rows, geoms, fields


def table():
    with open(DATA / "lnrs_area_measures.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return "lnrs_area_measures.csv", rows, list(rows[0])


def codes_by_area(plan) -> dict[str, str]:
    mapped = map_rows(plan.role, plan.rows, plan.geoms, plan.mapping, plan.source, plan.fields, "polygon")
    return dict(zip(mapped.columns["ref"], mapped.columns["measures"]))


@pytest.mark.parametrize(("fname", "shape_name"), [
    ("lnrs_codes_column.geojson", "codes_column"),
    ("lnrs_one_row_per_measure.geojson", "one_row_per_measure"),
    ("lnrs_flag_columns.geojson", "flags"),
])
def test_each_shape_is_recognised_without_mapping(fname, shape_name):
    rows, geoms, fields = load(fname)
    plan = plan_layer(fname, rows, geoms, fields, "polygon")
    assert plan is not None and plan.dataset == LNRS_OPPORTUNITY and plan.role == "opportunity"
    assert f"shape '{shape_name}'" in plan.log[0]
    assert codes_by_area(plan) == WANT
    assert len(plan.geoms) == 3


def test_repeated_polygon_rows_are_merged_and_counted():
    rows, geoms, fields = load("lnrs_one_row_per_measure.geojson")
    shaped = shape_opportunities(rows, geoms, fields, "x", measures_field="measure_code", same=("area_id",))
    assert shaped.shape == "one_row_per_measure" and len(shaped.rows) == 3
    assert "2 rows repeating a polygon were merged into 3 area(s)" in shaped.notes[0]


def test_same_polygon_with_different_names_stays_two_areas():
    g = box(0, 0, 10, 10)
    rows = [{"name": "A", "measures": "WD001"}, {"name": "B", "measures": "GL001"}]
    geoms = np.empty(2, dtype=object)
    geoms[:] = [g, g]
    shaped = shape_opportunities(rows, geoms, ["name", "measures"], "x", "measures", same=("name",))
    assert [r[MEASURES_KEY] for r in shaped.rows] == ["WD001", "GL001"]


def test_polygons_and_a_separate_area_measures_table():
    rows, geoms, fields = load("lnrs_area_polygons.geojson")
    assert plan_layer("p", rows, geoms, fields, "polygon") is None  # no codes of its own: not recognised alone
    plan = opportunity_plan("lnrs_area_polygons.geojson", rows, geoms, tuple(fields), table=table(),
                            area_field="area_id")
    assert "shape 'area_table'" in plan.log[0]
    assert codes_by_area(plan) == WANT


def test_table_whose_area_ids_match_no_polygon_is_refused_naming_both():
    rows, geoms, fields = load("lnrs_area_polygons.geojson")
    name, trows, tfields = table()
    trows = [dict(r, area_id="Z" + r["area_id"]) for r in trows]
    with pytest.raises(InputError) as err:
        opportunity_plan("lnrs_area_polygons.geojson", rows, geoms, tuple(fields), table=(name, trows, tfields),
                         area_field="area_id")
    assert "none of the area ids in 'lnrs_area_measures.csv' (field 'area_id'" in str(err.value)
    assert "matches a polygon's 'area_id' in 'lnrs_area_polygons.geojson'" in str(err.value)


def test_table_with_some_unmatched_ids_notes_them():
    rows, geoms, fields = load("lnrs_area_polygons.geojson")
    name, trows, tfields = table()
    trows = [*trows, {"area_id": "A9", "measure_code": "WD002", "priority": "1"}]
    plan = opportunity_plan("p", rows, geoms, tuple(fields), table=(name, trows, tfields), area_field="area_id")
    assert any("1 area id(s) of 'lnrs_area_measures.csv' match no polygon of 'p' and were left out: A9" in line
               for line in plan.log)


def test_table_without_a_codes_column_or_id_column_is_refused():
    rows, geoms, fields = load("lnrs_area_polygons.geojson")
    with pytest.raises(InputError, match="has no measure code field"):
        opportunity_plan("p", rows, geoms, tuple(fields), table=("t.csv", [{"area_id": "A1", "x": 1}],
                                                                 ["area_id", "x"]), area_field="area_id")
    with pytest.raises(InputError, match="has no area id field 'area_id'"):
        opportunity_plan("p", rows, geoms, tuple(fields), table=("t.csv", [{"zone": "A1", "code": "WD001"}],
                                                                 ["zone", "code"]), area_field="area_id")
    with pytest.raises(InputError, match="no field AREA_ID_FIELD = 'zone'"):
        opportunity_plan("p", rows, geoms, tuple(fields), table=table(), area_field="zone")


def test_a_flag_that_is_not_yes_or_no_is_refused_with_row_and_column():
    rows, geoms, fields = load("lnrs_flag_columns.geojson")
    rows[1]["GL001"] = "maybe"
    # 'maybe' makes GL001 no flag column: the other three still are, and the layer is still a flags map
    plan = plan_layer("f", rows, geoms, fields, "polygon")
    assert "GL001" not in plan.log[1]
    from lnrs_toolkit.plugin.core.pack.opportunity_shapes import codes_from_flags

    with pytest.raises(InputError, match=r"'f' row 2: the measure column 'GL001' holds 'maybe'"):
        codes_from_flags(rows, ["GL001"], "f")
