"""The headless command line: same engine, no QGIS (GDAL reads the sites file)."""

from __future__ import annotations

import json

import pytest
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from shapely.geometry import box

X, Y = 370000.0, 160000.0  # about (-2.43205, 51.33829) in WGS84


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "pack.gpkg"
    add_rows(path, map_rows("irreplaceable", [{}], [box(X - 1000, Y - 1000, X + 1000, Y + 1000)],
                            FieldMapping(habitat_type="ancient_woodland"), "aw", [], "polygon"),
             {"lnrs_name": "CLI test", "version": "3"})
    add_rows(path, map_rows("opportunity", [{"m": "WD001"}], [box(X - 1000, Y - 1000, X + 1000, Y + 1000)],
                            FieldMapping(measures_field="m"), "opp", ["m"], "polygon"))
    return path


def write_sites(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ref": ref}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for ref, ring in features]}), encoding="utf-8")


def test_screen_geojson_in_wgs84(pack, tmp_path, capsys):
    lon, lat = -2.43205, 51.33829
    ring = [[lon, lat], [lon + 0.0007, lat], [lon + 0.0007, lat + 0.00045], [lon, lat + 0.00045], [lon, lat]]
    sites = tmp_path / "sites.geojson"
    write_sites(sites, [("APP-1", ring)])
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--ref-field", "ref",
                 "--json", str(out)]) == 0
    [d] = json.loads(out.read_text(encoding="utf-8"))
    assert d["site_ref"] == "APP-1" and d["verdict"] == "red"
    assert d["irreplaceable"][0]["overlap_m2"] == pytest.approx(d["site_area_m2"], rel=1e-9)
    assert d["measures"][0]["code"] == "WD001"
    assert d["habitat_map"]["name"] == "CLI test"
    text = capsys.readouterr().out
    assert "Verdict: RED" in text and "CLI test" in text


def test_bad_inputs_exit_2_with_a_message(pack, tmp_path, capsys):
    assert main(["screen", "--pack", str(tmp_path / "missing.gpkg"), "--sites", str(tmp_path / "x.geojson")]) == 2
    assert "does not exist" in capsys.readouterr().err
    sites = tmp_path / "sites.geojson"
    write_sites(sites, [("far", [[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]])])
    assert main(["screen", "--pack", str(pack), "--sites", str(sites)]) == 2
    assert "outside Great Britain" in capsys.readouterr().out
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--ref-field", "nope"]) == 2
    assert "no field 'nope'" in capsys.readouterr().err


def test_info_verifies_the_content_hash(pack, capsys):
    assert main(["info", "--pack", str(pack), "--verify"]) == 0
    out = capsys.readouterr().out
    assert "lnrs_name: CLI test" in out and "content hash matches" in out


def test_a_site_outside_the_map_is_not_screened(pack, tmp_path, capsys):
    # 3 km east of the pack's only features (which reach 1 km from X, plus 500 m search distance)
    sites = tmp_path / "sites.geojson"
    write_sites(sites, [("FAR", [[-2.385, 51.338], [-2.384, 51.338], [-2.384, 51.339], [-2.385, 51.339],
                                 [-2.385, 51.338]])])
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--ref-field", "ref",
                 "--json", str(out)]) == 0
    [d] = json.loads(out.read_text(encoding="utf-8"))
    assert d["verdict"] == "not_screened" and set(d["checks"].values()) == {"not_checked"}
    assert "extent" in d["reasons"][0] and d["reasons"][0].removeprefix("Not screened: ") in d["notes"]
    text = capsys.readouterr().out
    assert "Verdict: NOT SCREENED" in text
    assert "Screened 1 site(s): 0 red, 0 amber, 0 green, 1 not screened (outside the map)" in text


def test_sites_take_a_ref_field_when_there_is_one_else_are_numbered_from_1(pack, tmp_path):
    lon, lat = -2.43205, 51.33829
    ring = [[lon, lat], [lon + 0.0007, lat], [lon + 0.0007, lat + 0.00045], [lon, lat + 0.00045], [lon, lat]]

    def screen(properties):
        sites = tmp_path / "sites.geojson"
        sites.write_text(json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": p, "geometry": {"type": "Polygon", "coordinates": [ring]}}
            for p in properties]}), encoding="utf-8")
        out = tmp_path / "out.json"
        assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--json", str(out), "--quiet"]) == 0
        return [d["site_ref"] for d in json.loads(out.read_text(encoding="utf-8"))]

    assert screen([{"REF": "24/0001/FUL", "name": "x"}, {"REF": "24/0002/HOU", "name": "y"}]) == \
        ["24/0001/FUL", "24/0002/HOU"]
    assert screen([{"name": "x"}, {"name": "y"}, {"name": "z"}]) == ["1", "2", "3"]
    assert screen([{"ref": "A"}, {"ref": None}]) == ["A", "2"]  # a blank reference falls back to the number
