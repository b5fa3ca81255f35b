"""OSTN15 without QGIS: OS's published test points through the command line's transform path (GDAL/OSR)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.screening.results import SiteTransform
from lnrs_toolkit.plugin.core.screening.site_provenance import IN_BNG
from shapely.geometry import shape

from .test_cli import pack, write_sites  # noqa: F401 - the pack fixture

ogr = pytest.importorskip("osgeo.ogr")
osr = pytest.importorskip("osgeo.osr")
ostn15_grid = pytest.importorskip("lnrs_toolkit.plugin.adapters.ostn15_grid")

DATA = Path(__file__).resolve().parents[1] / "data" / "ostn15"


def _points(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _srs(code: int):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(code)
    return srs


@pytest.mark.parametrize("source", [4258, 4326])
def test_os_test_points_within_a_centimetre(source):
    """TP01-TP40, ETRS89 (or WGS 84, which OSTN15 takes as ETRS89) to OSGB36: every point within 1 cm."""
    to_bng = ostn15_grid.BngTransform(_srs(source))
    points = _points("OSTN15_TestPoints_ETRStoOSGB.csv")
    assert len(points) == 40
    errors = {}
    for p in points:
        g = ogr.CreateGeometryFromWkt(f"POINT ({p['etrs89_lon']} {p['etrs89_lat']})")
        moved, how = to_bng.transform(g)
        assert how.grid and "OSTN15" in how.operation and how.source_crs == f"EPSG:{source}"
        errors[p["point_id"]] = math.hypot(moved.GetX() - float(p["osgb36_easting"]),
                                           moved.GetY() - float(p["osgb36_northing"]))
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] <= 0.01, f"{worst} is {errors[worst]:.4f} m from OS's answer"


def test_os_test_points_back_to_etrs89_within_a_centimetre():
    """The same grid the other way (as QGIS's canvas uses it), OS's OSGBtoETRS file."""
    assert ostn15_grid.gdal_use_bundled_grid()
    bng, etrs = _srs(27700), _srs(4258)
    for srs in (bng, etrs):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(bng, etrs)
    for p in _points("OSTN15_TestPoints_OSGBtoETRS.csv"):
        lon, lat, _ = transform.TransformPoint(float(p["osgb36_easting"]), float(p["osgb36_northing"]))
        dn = (lat - float(p["etrs89_lat"])) * 111_250
        de = (lon - float(p["etrs89_lon"])) * 111_250 * math.cos(math.radians(lat))
        assert math.hypot(de, dn) <= 0.01, p["point_id"]


def test_a_site_already_in_british_national_grid_is_not_transformed():
    g = ogr.CreateGeometryFromWkt("POINT (370000 160000)")
    moved, how = ostn15_grid.BngTransform(_srs(27700)).transform(g)
    assert how == IN_BNG and how.warning is None and moved.GetX() == 370000


def test_the_bundled_grid_ships_with_its_licence():
    grid = ostn15_grid.bundled_grid()
    assert grid is not None and grid.name == "uk_os_OSTN15_NTv2_OSGBtoETRS.tif"
    licence = (grid.parent / "OSTN15-LICENCE.txt").read_text(encoding="utf-8")
    assert "Crown copyright" in licence and "Redistribution and use" in licence


def _screen_wgs84(pack, tmp_path):  # noqa: F811
    lon, lat = -2.43205, 51.33829
    ring = [[lon, lat], [lon + 0.0007, lat], [lon + 0.0007, lat + 0.00045], [lon, lat + 0.00045], [lon, lat]]
    sites = tmp_path / "sites.geojson"
    write_sites(sites, [("APP-1", ring)])
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--ref-field", "ref",
                 "--json", str(out), "--quiet"]) == 0
    [d] = json.loads(out.read_text(encoding="utf-8"))
    return d


def test_cli_json_says_ostn15_and_carries_the_site_geometry(pack, tmp_path):  # noqa: F811
    d = _screen_wgs84(pack, tmp_path)
    assert d["transform"] == {"from": "EPSG:4326", "operation": d["transform"]["operation"], "grid": True}
    assert "OSTN15" in d["transform"]["operation"]
    geometry = d["site_geometry"]
    assert geometry["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::27700"
    assert shape(geometry).area == pytest.approx(d["site_area_m2"], abs=1e-3)
    assert not any("OSTN15" in n for n in d["notes"])


def test_cli_without_the_grid_warns(pack, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(ostn15_grid, "gdal_use_bundled_grid", lambda: False)
    d = _screen_wgs84(pack, tmp_path)
    assert d["transform"]["grid"] is False and "not found" in d["transform"]["operation"]
    [warning] = [n for n in d["notes"] if "OSTN15" in n]
    assert warning.startswith("Warning:") and "EPSG:4326" in warning


def test_the_warning_is_only_for_a_datum_change_without_ostn15():
    assert SiteTransform("EPSG:4326", "OSTN15", True).warning is None
    assert SiteTransform("EPSG:4326", "Helmert", False).warning is not None
    assert SiteTransform("EPSG:3035", "PROJ", False, needs_ostn15=False).warning is None
    assert IN_BNG.to_dict() == {"from": "EPSG:27700", "operation": IN_BNG.operation, "grid": False}


def test_site_geometry_geojson_keeps_every_ring_at_full_precision():
    from lnrs_toolkit.plugin.core.screening.results import site_geometry_geojson
    from shapely.geometry import MultiPolygon, Polygon

    x = 370000.123456789
    holed = Polygon([(x, 0), (x + 10, 0), (x + 10, 10), (x, 10)], [[(x + 2, 2), (x + 3, 2), (x + 3, 3)]])
    other = Polygon([(x + 20, 0), (x + 21, 0), (x + 21, 1)])
    data = site_geometry_geojson(MultiPolygon([holed, other]))
    assert data["type"] == "MultiPolygon" and len(data["coordinates"]) == 2
    assert len(data["coordinates"][0]) == 2 and data["coordinates"][0][0][0] == [x, 0.0]
    assert shape(data).equals(MultiPolygon([holed, other]))
    assert site_geometry_geojson(holed)["type"] == "Polygon"


def test_a_web_mercator_site_goes_through_ostn15_too():
    """Another WGS84-based CRS: through geographic WGS84, then OSTN15 (TP09, central London)."""
    p = next(p for p in _points("OSTN15_TestPoints_ETRStoOSGB.csv") if p["point_id"] == "TP09")
    lon, lat = float(p["etrs89_lon"]), float(p["etrs89_lat"])
    wgs84 = _srs(4326)
    wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    mercator = _srs(3857)
    mercator.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    x, y, _ = osr.CoordinateTransformation(wgs84, mercator).TransformPoint(lon, lat)
    moved, how = ostn15_grid.BngTransform(_srs(3857)).transform(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
    assert how.grid and how.source_crs == "EPSG:3857"
    assert math.hypot(moved.GetX() - float(p["osgb36_easting"]), moved.GetY() - float(p["osgb36_northing"])) <= 0.01
