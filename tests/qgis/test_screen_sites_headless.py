"""lnrs:screensites run headless through qgis_process.bin, as a GIS officer would script it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from shapely.geometry import box

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("qgis_process_helper", HERE / "qgis_process_helper.py")
helper = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helper)

X, Y = 370000.0, 160000.0


@pytest.mark.slow
def test_screensites_headless(tmp_path):
    reason = helper.available()
    if reason:
        pytest.skip(reason)
    pack = tmp_path / "pack.gpkg"
    add_rows(pack, map_rows("irreplaceable", [{}], [box(X + 50, Y, X + 150, Y + 100)],
                            FieldMapping(habitat_type="ancient_woodland"), "aw", [], "polygon"),
             {"lnrs_name": "Headless", "version": "2"})
    add_rows(pack, map_rows("opportunity", [{"m": "WD001"}], [box(X, Y, X + 60, Y + 100)],
                            FieldMapping(measures_field="m"), "opp", ["m"], "polygon"))
    sites = tmp_path / "sites.geojson"
    sites.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [{"type": "Feature", "properties": {"app": "24/0001/FUL"},
                      "geometry": {"type": "Polygon", "coordinates": [[[X, Y], [X + 100, Y], [X + 100, Y + 100],
                                                                         [X, Y + 100], [X, Y]]]}}]}))
    out_json = tmp_path / "results.json"
    out_gpkg = tmp_path / "screened.gpkg"
    proc, parsed = helper.run_algorithm("lnrs:screensites", {
        "INPUT": str(sites), "PACK": str(pack), "REF_FIELD": "app", "SEARCH_DISTANCE": "250",
        "OUTPUT": str(out_gpkg), "JSON": str(out_json)}, tmp_path / "config")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [d] = json.loads(out_json.read_text(encoding="utf-8"))
    assert d["site_ref"] == "24/0001/FUL" and d["verdict"] == "red"
    assert d["irreplaceable"][0]["overlap_m2"] == pytest.approx(5000.0)
    assert d["measures"][0]["code"] == "WD001" and d["measures"][0]["overlap_m2"] == pytest.approx(6000.0)
    assert d["habitat_map"]["name"] == "Headless"
    assert out_gpkg.exists()
    assert parsed is None or parsed.get("results", {}).get("RED") == 1


@pytest.mark.slow
def test_screensites_headless_refuses_bad_pack_clearly(tmp_path):
    reason = helper.available()
    if reason:
        pytest.skip(reason)
    sites = tmp_path / "sites.geojson"
    sites.write_text('{"type":"FeatureCollection","features":[]}')
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"\x00" * 100)
    proc, _ = helper.run_algorithm("lnrs:screensites", {"INPUT": str(sites), "PACK": str(bad),
                                                        "OUTPUT": "TEMPORARY_OUTPUT"}, tmp_path / "config")
    assert proc.returncode != 0
    text = proc.stdout + proc.stderr
    assert "not a readable GeoPackage" in text or "not an LNRS" in text
    assert "Traceback" not in text
