"""The metric's three modules: hedgerow and watercourse types, catalogue delivering habitats of any module."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.metric.habitats import default_table
from lnrs_toolkit.plugin.core.metric.module_types import (
    HEDGEROW,
    HEDGEROW_TYPES,
    TREE,
    WATERCOURSE,
    WATERCOURSE_TYPES,
    delivering_habitat,
    delivers,
    linear_type,
)
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows


def test_vocabulary_sizes_and_distinctiveness():
    assert len(HEDGEROW_TYPES) == 13 and len(WATERCOURSE_TYPES) == 5
    by = {t.label: t.distinctiveness for t in (*HEDGEROW_TYPES, *WATERCOURSE_TYPES)}
    assert by["Species-rich native hedgerow with trees - associated with bank or ditch"] == "V.High"
    assert by["Non-native and ornamental hedgerow"] == "V.Low"
    assert by["Line of trees"] == "Low" and by["Ecologically valuable line of trees"] == "Medium"
    assert by["Priority habitat"] == "V.High" and by["Culvert"] == "Low" and by["Ditches"] == "Medium"


def test_linear_type_lookup_and_close_spelling():
    assert linear_type("native HEDGEROW").label == "Native hedgerow"
    assert linear_type("Native hedgerows").label == "Native hedgerow"
    assert linear_type("Ditch") is None  # too far from "Ditches" (ratio 0.83) to be taken as it
    assert linear_type("Ditches", HEDGEROW) is None
    assert linear_type("Lowland meadows") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Native hedgerow", "Native hedgerow"), ("Other rivers and streams", "Other rivers and streams"),
    ("Rivers and streams", "Watercourses"), ("Ditches", "Ditches"), ("Line of trees", "Line of trees"),
    ("Hedgerows", "Hedgerows"), ("hedgerow", "Hedgerows"), ("Watercourses", "Watercourses"),
    ("Individual trees", "Individual trees"), ("Urban tree", "Individual trees"),
    ("Grassland - Lowland meadows", "Grassland"), ("Native hedgerows", "Native hedgerow"),
    ("Other river and streams", "Other rivers and streams"),
])
def test_delivering_habitats_of_every_module(text, expected):
    assert delivering_habitat(text, default_table()) == expected


@pytest.mark.parametrize(("text", "module_words", "hint"), [
    ("Ancient hedge bank", "a hedgerow type", "hedgerow"),
    ("Chalk stream headwaters", "a watercourse type", "Other rivers and streams"),
    ("Orchard trees", "an individual tree type", "Individual trees"),
])
def test_unknown_names_get_suggestions_from_their_module(text, module_words, hint):
    with pytest.raises(InputError) as err:
        delivering_habitat(text, default_table())
    message = str(err.value)
    assert f"is not {module_words}" in message and hint in message
    assert "Urban - Intensive green roof" not in message


def test_a_catalogue_naming_rivers_and_hedgerows_is_accepted():
    rows = [{"c": "FW012", "h": "Other rivers and streams; Ditches"},
            {"c": "AG003", "h": "Native hedgerow;Line of trees"},
            {"c": "NN001", "h": "Rivers and streams|Hedgerows|Individual trees"}]
    out = map_rows("measures", rows, None, FieldMapping(code_field="c", habitats_field="h"), "cat", ["c", "h"],
                   habitat_table=default_table())
    assert out.columns["habitats"] == ["Other rivers and streams;Ditches", "Native hedgerow;Line of trees",
                                       "Watercourses;Hedgerows;Individual trees"]


def test_delivers_per_module():
    hab = ("Hedgerows", "Ditches", "Grassland")
    assert delivers(hab, HEDGEROW, None, "Line of trees")
    assert delivers(hab, WATERCOURSE, None, "Ditches") and not delivers(hab, WATERCOURSE, None, "Canals")
    assert delivers(("Watercourses",), WATERCOURSE, None, "Canals")
    assert delivers(hab, "area", "Grassland", None) and not delivers(hab, "area", "Woodland and forest", None)
    assert not delivers(hab, TREE, "Individual trees", None) and delivers(("Individual trees",), TREE, None, None)
