"""A GeoJSON property of mixed types (GDAL's JSON subtype), which QGIS reads as nulls: refused with a sentence
naming the file and the field when the pack needs it, never silently emptied; accepted when nothing reads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from qgis.core import QgsProcessingException

DATA = Path(__file__).resolve().parents[1] / "data" / "recognition"


def run(params: dict) -> dict:
    import processing

    return processing.run("lnrs:addtohabitatmap", params)


def mixed_copy(tmp_path: Path, fixture: str, field: str, value, name: str = "", position: int = -1) -> Path:
    """``fixture`` with ``field`` of the feature at ``position`` set to ``value``, of another type than the others'
    (GDAL gives the JSON subtype when a number comes first and text later; text first makes it plain text)."""
    data = json.loads((DATA / fixture).read_text(encoding="utf-8"))
    data["features"][position]["properties"][field] = value
    out = tmp_path / (name or fixture)
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


def refused(params: dict) -> str:
    with pytest.raises(QgsProcessingException) as err:
        run(params)
    return str(err.value)


def test_a_flag_column_of_mixed_types_is_refused_naming_file_and_field(lnrs_provider, tmp_path):
    # GL002 holds numbers (0, 1 ...): one "yes" makes it a JSON-subtype property, read by QGIS as nulls
    path = mixed_copy(tmp_path, "lnrs_flag_columns.geojson", "GL002", "yes", "flags_mixed.geojson")
    pack = tmp_path / "p.gpkg"
    msg = refused({"PACK": str(pack), "INPUT": str(path)})
    assert "'flags_mixed.geojson': the field 'GL002' holds values of more than one type" in msg
    assert "nothing was written" in msg
    assert not pack.exists()


def test_a_recognised_national_field_of_mixed_types_is_refused(lnrs_provider, tmp_path):
    path = mixed_copy(tmp_path, "natural_england_priority_habitats.geojson", "Confidence", 3, "phi_mixed.geojson", 0)
    msg = refused({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(path)})
    assert "'phi_mixed.geojson': the field 'Confidence' holds values of more than one type" in msg


def test_an_explicitly_mapped_field_of_mixed_types_is_refused(lnrs_provider, tmp_path):
    path = mixed_copy(tmp_path, "natural_england_priority_habitats.geojson", "MainHabs", 7, "phi_main.geojson", 0)
    msg = refused({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(path), "ROLE": "priority_habitats",
                   "MAIN_HABITAT_FIELD": "MainHabs"})
    assert "'phi_main.geojson': the field 'MainHabs' holds values of more than one type" in msg


def test_a_mixed_type_property_nothing_reads_is_accepted(lnrs_provider, tmp_path):
    data = json.loads((DATA / "natural_england_priority_habitats.geojson").read_text(encoding="utf-8"))
    for i, feature in enumerate(data["features"]):
        feature["properties"]["survey_note"] = 12 if i == 0 else "checked"
    path = tmp_path / "phi_note.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(path)})
    assert read_pack(res["PACK"]).layers["priority_habitats"].columns["confidence"] == ["High", "Medium"]
