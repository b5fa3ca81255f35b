"""Field mapping, vocabulary refusals, measure-code parsing, geometry repair and merging."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lnrs_toolkit.plugin.core.errors import InputError, VocabularyError
from lnrs_toolkit.plugin.core.metric.habitats import default_table
from lnrs_toolkit.plugin.core.metric.vocabulary import normalise_role, normalise_tree_status
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, check_fields, map_rows, merge, repair_geometries
from lnrs_toolkit.plugin.core.pack.measure_codes import parse_measure_codes
from lnrs_toolkit.plugin.core.pack.model import PackLayer
from lnrs_toolkit.plugin.core.pack.schema import TABLES_BY_ROLE
from shapely.geometry import LineString, Point, Polygon, box


def geoms(*gs):
    return np.asarray(list(gs), dtype=object)


# --------------------------------------------------------------------------- designated
def test_designations_from_field_accept_case_and_full_names():
    rows = [{"d": "sssi", "n": " Alpha  Meadows "}, {"d": "Special Area of Conservation", "n": None},
            {"d": "ramsar", "n": "NULL"}]
    out = map_rows("designated", rows, geoms(box(0, 0, 1, 1), box(1, 1, 2, 2), box(2, 2, 3, 3)),
                   FieldMapping(designation_field="d", name_field="n"), "src", ["d", "n"], "polygon")
    assert out.columns["designation"] == ["SSSI", "SAC", "Ramsar"]
    assert out.columns["name"] == ["Alpha Meadows", None, None]
    assert out.columns["source_layer"] == ["src"] * 3
    assert len(out) == 3


def test_fixed_designation_wins_and_is_normalised():
    out = map_rows("designated", [{"x": 1}], geoms(box(0, 0, 1, 1)), FieldMapping(designation="lnr"),
                   "src", ["x"], "polygon")
    assert out.columns["designation"] == ["LNR"]


def test_unknown_designation_value_is_refused_with_row_and_choices():
    rows = [{"d": "SSSI"}, {"d": "Nature Park"}]
    with pytest.raises(InputError) as err:
        map_rows("designated", rows, geoms(box(0, 0, 1, 1), box(0, 0, 1, 1)), FieldMapping(designation_field="d"),
                 "my_sites", ["d"], "polygon")
    msg = str(err.value)
    assert "'my_sites' row 2" in msg and "'Nature Park'" in msg and "SSSI" in msg and "LWS" in msg


def test_unknown_fixed_designation_refused_even_for_an_empty_layer():
    with pytest.raises(VocabularyError, match="not a known designation"):
        map_rows("designated", [], geoms(), FieldMapping(designation="Park"), "src", [], "polygon")


def test_designated_without_any_designation_is_refused():
    with pytest.raises(InputError, match="DESIGNATION"):
        map_rows("designated", [], geoms(), FieldMapping(), "src", [], "polygon")


def test_empty_layer_with_a_good_mapping_gives_no_rows():
    out = map_rows("designated", [], geoms(), FieldMapping(designation="SSSI"), "src", [], "polygon")
    assert len(out) == 0
    assert out.geoms is not None and len(out.geoms) == 0


def test_missing_field_names_parameter_and_lists_fields():
    with pytest.raises(InputError) as err:
        check_fields(FieldMapping(name_field="sssi_nam", ref_field="ref"), ["sssi_name", "ref"], "ne_sssi")
    msg = str(err.value)
    assert "NAME_FIELD = 'sssi_nam'" in msg and "sssi_name, ref" in msg and "ne_sssi" in msg


def test_wrong_geometry_kind_is_refused():
    with pytest.raises(InputError, match="needs a polygon layer.*point"):
        map_rows("designated", [{}], geoms(Point(0, 0)), FieldMapping(designation="SSSI"), "pts", [], "point")
    with pytest.raises(InputError, match="needs a point layer.*polygon"):
        map_rows("trees", [{}], geoms(box(0, 0, 1, 1)), FieldMapping(), "polys", [], "polygon")


def test_spatial_role_without_geometry_is_refused():
    with pytest.raises(InputError, match="has no geometry"):
        map_rows("designated", [{"a": 1}], None, FieldMapping(designation="SSSI"), "table", ["a"], None)


@pytest.mark.parametrize("role", ["Designated", " trees ", "OPPORTUNITY"])
def test_roles_are_case_insensitive(role):
    assert normalise_role(role) in TABLES_BY_ROLE


def test_unknown_role_is_refused():
    with pytest.raises(VocabularyError, match="'sites' is not a known role; use one of: designated"):
        map_rows("sites", [], None, FieldMapping(), "src", [])


# --------------------------------------------------------------------------- irreplaceable
def test_ancient_woodland_status_aliases():
    rows = [{"s": "Ancient & Semi-Natural Woodland"}, {"s": "Ancient Replanted Woodland"}, {"s": "paws"},
            {"s": None}]
    out = map_rows("irreplaceable", rows, geoms(*[box(0, 0, 1, 1)] * 4),
                   FieldMapping(habitat_type="Ancient Woodland", status_field="s"), "aw", ["s"], "polygon")
    assert out.columns["habitat_type"] == ["ancient_woodland"] * 4
    assert out.columns["status"] == ["ASNW", "PAWS", "PAWS", None]


def test_unknown_woodland_status_and_habitat_type_are_refused():
    with pytest.raises(InputError, match="row 1.*'secondary' is not a known woodland status"):
        map_rows("irreplaceable", [{"s": "secondary"}], geoms(box(0, 0, 1, 1)),
                 FieldMapping(habitat_type="ancient_woodland", status_field="s"), "aw", ["s"], "polygon")
    with pytest.raises(VocabularyError, match="not a known habitat type; use one of: ancient_woodland"):
        map_rows("irreplaceable", [], geoms(), FieldMapping(habitat_type="old forest"), "aw", [], "polygon")


def test_habitat_type_from_field():
    out = map_rows("irreplaceable", [{"t": "Blanket bog"}, {"t": "limestone pavements"}],
                   geoms(box(0, 0, 1, 1), box(0, 0, 1, 1)), FieldMapping(habitat_type_field="t"), "ih", ["t"],
                   "polygon")
    assert out.columns["habitat_type"] == ["blanket_bog", "limestone_pavement"]


# --------------------------------------------------------------------------- trees
def test_tree_status_and_numbers():
    rows = [{"s": "Veteran Tree", "d": "1,5", "c": 7}, {"s": None, "d": "", "c": None},
            {"s": "ANCIENT", "d": -1, "c": "nan"}]
    out = map_rows("trees", rows, geoms(Point(0, 0), Point(1, 1), Point(2, 2)),
                   FieldMapping(status_field="s", stem_diameter_field="d", crown_radius_field="c"), "t",
                   ["s", "d", "c"], "point")
    assert out.columns["status"] == ["veteran", "veteran", "ancient"]
    assert out.columns["stem_diameter_m"] == [1.5, None, None]
    assert out.columns["crown_radius_m"] == [7.0, None, None]


def test_tree_number_that_is_text_is_refused_once_with_row():
    with pytest.raises(InputError) as err:
        map_rows("trees", [{"d": "big"}], geoms(Point(0, 0)), FieldMapping(stem_diameter_field="d"), "t", ["d"],
                 "point")
    msg = str(err.value)
    assert msg.count("row") == 1 and "'t' row 1" in msg and "stem diameter 'big' is not a number" in msg


def test_unknown_tree_status_refused():
    with pytest.raises(VocabularyError, match="use one of: ancient, veteran, notable"):
        normalise_tree_status("dead")


# --------------------------------------------------------------------------- opportunity / measure codes
@pytest.mark.parametrize(("value", "sep", "want"), [
    (" wd001 ; Wd006|fw012 ", None, ("WD001", "WD006", "FW012")),
    ("WD001,WD006,,WD001", None, ("WD001", "WD006")),
    ("wd001\tgl001\n fw012", None, ("WD001", "GL001", "FW012")),
    ("WD001 + GL001", "+", ("WD001", "GL001")),
    ("wd001 / gl 001", "/", ("WD001", "GL 001")),
    ("NULL", None, ()),
    ("", None, ()),
    (None, None, ()),
    (["wd001", " gl001 "], None, ("WD001", "GL001")),
])
def test_parse_measure_codes(value, sep, want):
    assert parse_measure_codes(value, sep) == want


separators = st.sampled_from([";", ",", "|", " ", " ; ", "\t", ",  ", "|;"])
codes = st.from_regex(r"[A-Za-z]{2}[0-9]{3}", fullmatch=True)


@given(st.lists(codes, min_size=1, max_size=6), st.lists(separators, min_size=6, max_size=6),
       st.text(" \t", max_size=2))
def test_parse_measure_codes_any_default_separator(items, seps, pad):
    text = pad + "".join(c + s for c, s in zip(items, seps))[:-1] + pad
    want = tuple(dict.fromkeys(c.upper() for c in items))
    assert parse_measure_codes(text) == want


def test_opportunity_codes_are_stored_joined_and_noted_when_empty():
    rows = [{"m": "wd001; Wd006 | fw012"}, {"m": None}]
    out = map_rows("opportunity", rows, geoms(box(0, 0, 1, 1), box(0, 0, 1, 1)),
                   FieldMapping(measures_field="m"), "opp", ["m"], "polygon")
    assert out.columns["measures"] == ["WD001;WD006;FW012", ""]
    assert out.notes == ("row 2 has no measure codes",)


def test_custom_separator_is_literal():
    out = map_rows("opportunity", [{"m": "wd001 / wd006"}], geoms(box(0, 0, 1, 1)),
                   FieldMapping(measures_field="m", measures_separator="/"), "opp", ["m"], "polygon")
    assert out.columns["measures"] == ["WD001;WD006"]


def test_invalid_measure_code_is_refused():
    with pytest.raises(InputError, match="row 1.*'WD001\"--' are not valid codes"):
        map_rows("opportunity", [{"m": 'wd001"--'}], geoms(box(0, 0, 1, 1)), FieldMapping(measures_field="m"),
                 "opp", ["m"], "polygon")


def test_opportunity_needs_measures_field():
    with pytest.raises(InputError, match="MEASURES_FIELD"):
        map_rows("opportunity", [], geoms(), FieldMapping(), "opp", [], "polygon")


# --------------------------------------------------------------------------- measures catalogue
def test_catalogue_codes_upper_cased_and_habitats_from_theme():
    rows = [{"c": " wd001 ", "t": "Woodland", "m": "Buffer woods"}, {"c": "FW012", "t": "Freshwater", "m": "Rivers"},
            {"c": "GE001", "t": "Geodiversity", "m": "Rocks"}]
    out = map_rows("measures", rows, None, FieldMapping(code_field="c", theme_field="t", text_field="m"), "cat",
                   ["c", "t", "m"])
    assert out.geoms is None
    assert out.columns["code"] == ["WD001", "FW012", "GE001"]
    assert out.columns["habitats"] == ["Woodland and forest;Individual trees",
                                       "Lakes;Wetland;Watercourse footprint;Watercourses", ""]


def test_catalogue_habitats_column_checked_against_the_metric():
    table = default_table()
    rows = [{"c": "X1", "h": "woodland and forest | Grassland - Lowland meadows"}]
    out = map_rows("measures", rows, None, FieldMapping(code_field="c", habitats_field="h"), "cat", ["c", "h"],
                   habitat_table=table)
    assert out.columns["habitats"] == ["Woodland and forest;Grassland"]
    # a close spelling of one name is that name (issue 16); a name close to nothing is refused
    out = map_rows("measures", [{"c": "X1", "h": "Grasland"}], None, FieldMapping(code_field="c", habitats_field="h"),
                   "cat", ["c", "h"], habitat_table=table)
    assert out.columns["habitats"] == ["Grassland"]
    with pytest.raises(InputError, match="'Gras' is not an area habitat.*did you mean"):
        map_rows("measures", [{"c": "X1", "h": "Gras"}], None, FieldMapping(code_field="c", habitats_field="h"),
                 "cat", ["c", "h"], habitat_table=table)


def test_catalogue_duplicates_and_empty_codes_refused():
    with pytest.raises(InputError, match="listed twice: WD001"):
        map_rows("measures", [{"c": "WD001"}, {"c": "wd001"}], None, FieldMapping(code_field="c"), "cat", ["c"])
    with pytest.raises(InputError, match="row 2: empty measure code"):
        map_rows("measures", [{"c": "WD001"}, {"c": " "}], None, FieldMapping(code_field="c"), "cat", ["c"])
    with pytest.raises(InputError, match="CODE_FIELD"):
        map_rows("measures", [], None, FieldMapping(), "cat", [])


# --------------------------------------------------------------------------- metadata
def test_metadata_from_key_value_rows_and_from_named_columns():
    out = map_rows("metadata", [{"key": "LNRS_Name", "value": " My  LNRS "}, {"key": "content_sha256", "value": "x"},
                                {"key": "schema_version", "value": "99"}], None, FieldMapping(), "m", ["key", "value"])
    assert out.metadata == {"lnrs_name": "My LNRS"}
    out = map_rows("metadata", [{"lnrs_name": "A", "version": "2", "colour": "red"}], None, FieldMapping(), "m",
                   ["lnrs_name", "version", "colour"])
    assert out.metadata == {"lnrs_name": "A", "version": "2"}


# --------------------------------------------------------------------------- repair
def test_repair_counts_repaired_and_dropped():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    collapsed = Polygon([(0, 0), (1, 1), (2, 2)])
    out, repaired, dropped = repair_geometries(geoms(box(0, 0, 1, 1), bowtie, collapsed, None), polygonal=True)
    assert repaired == 2
    assert dropped == 2
    assert out[0].equals(box(0, 0, 1, 1))
    assert out[1].geom_type == "MultiPolygon" and out[1].is_valid and out[1].area == pytest.approx(50)
    assert out[2] is None and out[3] is None


def test_repair_keeps_polygon_part_of_collection():
    # a polygon with a dangling spike: make_valid gives polygon + line
    spiky = Polygon([(0, 0), (4, 0), (4, 4), (0, 4), (0, 0), (-3, 0), (0, 0)])
    out, repaired, dropped = repair_geometries(geoms(spiky), polygonal=True)
    assert repaired == 1 and dropped == 0
    assert out[0].geom_type in ("Polygon", "MultiPolygon") and out[0].area == pytest.approx(16)


def test_repair_leaves_points_and_lines_alone():
    out, repaired, dropped = repair_geometries(geoms(Point(0, 0), LineString([(0, 0), (1, 1)])), polygonal=False)
    assert (repaired, dropped) == (0, 0)
    assert out[0].equals(Point(0, 0))


# --------------------------------------------------------------------------- merge
def _existing(role, columns, gs=None):
    spec = TABLES_BY_ROLE[role]
    n = len(next(iter(columns.values())))
    return PackLayer(spec, np.arange(1, n + 1), None if gs is None else geoms(*gs), columns)


def test_merge_replaces_rows_of_the_same_source():
    existing = _existing("designated", {"designation": ["SSSI", "SAC"], "name": ["a", "b"], "ref": [None, None],
                                        "source_layer": ["one", "two"]}, [box(0, 0, 1, 1), box(1, 1, 2, 2)])
    new = map_rows("designated", [{"n": "c"}], geoms(box(5, 5, 6, 6)), FieldMapping(designation="LNR", name_field="n"),
                   "one", ["n"], "polygon")
    cols, gs = merge(existing, new)
    assert cols["name"] == ["b", "c"]
    assert cols["source_layer"] == ["two", "one"]
    assert [g.bounds for g in gs] == [(1, 1, 2, 2), (5, 5, 6, 6)]


def test_merge_catalogue_replaces_same_codes_and_same_source():
    existing = _existing("measures", {"code": ["WD001", "WD002", "GL001"], "habitat_theme": ["", "", ""],
                                      "priority": ["", "", ""], "measure": ["old", "old", "other"],
                                      "habitats": ["", "", ""], "source_layer": ["cat", "cat", "extra"]})
    new = map_rows("measures", [{"c": "wd001", "m": "new"}, {"c": "GL001", "m": "new"}], None,
                   FieldMapping(code_field="c", text_field="m"), "cat", ["c", "m"])
    cols, gs = merge(existing, new)
    assert gs is None
    assert cols["code"] == ["WD001", "GL001"]
    assert cols["measure"] == ["new", "new"]
