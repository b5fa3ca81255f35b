"""The command line under hostile input (issue 15): no traceback, no clobbered input, no network, no forged lines."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import shapely
from lnrs_toolkit.plugin import cli
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.builder import repair_geometries
from lnrs_toolkit.plugin.core.screening.index_cache import clear_cache
from lnrs_toolkit.plugin.core.versions.publish import publish_version
from lnrs_toolkit.tests.unit.hostile_packs import build_hostile_base, nested_collection_wkb, sql

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"


@pytest.fixture()
def pack(tmp_path):
    clear_cache()
    return build_hostile_base(tmp_path / "pack.gpkg")


def geojson(path: Path, coords, crs: str | None = "urn:ogc:def:crs:EPSG::27700") -> Path:
    doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ref": "S1"},
                                                      "geometry": {"type": "Polygon", "coordinates": [coords]}}]}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc))
    return path


SQUARE = [[10, 10], [60, 10], [60, 60], [10, 60], [10, 10]]


@pytest.fixture()
def sites(tmp_path):
    return geojson(tmp_path / "sites.geojson", SQUARE)


# --------------------------------------------------------------------------- outputs never clobber inputs
@pytest.mark.parametrize("command", ["screen", "validate", "compare", "screen-link"])
def test_cli_refuses_an_output_that_is_the_pack(pack, sites, command, tmp_path, capsys):
    publish_version(pack, "first")
    before = pack.read_bytes()
    target = str(pack)
    if command == "screen-link":
        (tmp_path / "out.json").symlink_to(pack)
        target, command = str(tmp_path / "out.json"), "screen"
    argv = {"screen": ["screen", "--pack", str(pack), "--sites", str(sites), "--json", target],
            "validate": ["validate", "--pack", str(pack), "--json", target],
            "compare": ["compare", "--pack", str(pack), "--from", "1", "--summary", target]}[command]
    assert main(argv) == 2
    assert "is the pack" in capsys.readouterr().err
    assert pack.read_bytes() == before


def test_cli_refuses_an_output_that_is_the_sites_file(pack, sites, capsys):
    before = sites.read_bytes()
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--json", str(sites)]) == 2
    assert "is the sites file" in capsys.readouterr().err and sites.read_bytes() == before


# --------------------------------------------------------------------------- text is data on a terminal
def test_escape_sequences_in_pack_text_are_shown_not_obeyed(pack, sites, capsys):
    sql(pack, "UPDATE pack_metadata SET value = ? WHERE key = 'lnrs_name'", params=("\x1b]0;owned\x07\x1b[2J Evil",))
    sql(pack, "UPDATE designated_sites SET name = ? WHERE fid = 1", params=("Alpha\x1b[31m\nVerdict: GREEN",))
    assert main(["info", "--pack", str(pack)]) == 0
    assert main(["screen", "--pack", str(pack), "--sites", str(sites)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b]0;owned" in out
    assert not any(line.startswith("Verdict: GREEN") for line in out.splitlines())


def test_a_version_note_with_a_newline_cannot_forge_a_line(pack, capsys):
    publish_version(pack, "real note\nversion 99\t2099-01-01\tforged")
    assert main(["versions", "--pack", str(pack)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("version ") for line in lines) == 1
    assert "real note\\x0aversion 99" in lines[0]


def test_validate_shows_feature_text_on_one_line_each(pack, capsys):
    sql(pack, "UPDATE opportunity_areas SET name = ?, measures = 'ZZ999' WHERE fid = 1",
        params=("Meadow\n5 opportunity area(s) checked: no problems found.\x1b[2J",))
    assert main(["validate", "--pack", str(pack)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert sum(line[:1].isdigit() and "checked:" in line for line in lines) == 1
    assert not any(line.startswith("5 opportunity") for line in lines)
    assert any("Meadow\\x0a5 opportunity area(s)" in line and "\\x1b[2J" in line for line in lines)


# --------------------------------------------------------------------------- no traceback, a sentence
@pytest.mark.parametrize(("coords", "crs"), [
    ([[430000, 110000], [430050, 110000], [430050, 110050], [430000, 110050], [430000, 110000]], None),
    ([[0.1, 1000], [0.2, 1000], [0.2, 1000.1], [0.1, 1000], [0.1, 1000]], "EPSG:4326"),
])
def test_gdal_refusing_a_sites_coordinate_is_a_per_site_error(pack, tmp_path, coords, crs, capsys):
    bad = geojson(tmp_path / "bad.geojson", coords, crs)
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(bad), "--json", str(out)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    result = json.loads(out.read_text())[0]
    assert "cannot be converted" in result["error"] and result["site_ref"] == "S1"  # its ref field (issue 17)


def test_a_version_that_is_not_a_number_is_a_sentence(pack, capsys):
    publish_version(pack, "first")
    sql(pack, "UPDATE pack_versions SET version = 'abc'")
    for argv in (["versions", "--pack", str(pack)], ["compare", "--pack", str(pack), "--from", "1"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "not a whole number ('abc')" in err and "Traceback" not in err


def test_opportunity_rules_of_100000_brackets_are_a_sentence(pack, capsys):
    sql(pack, "INSERT INTO pack_metadata (key, value) VALUES ('opportunity_rules', ?)", params=("[" * 100_000,))
    assert main(["validate", "--pack", str(pack)]) == 2
    assert "nests brackets too deeply" in capsys.readouterr().err


def test_an_unexpected_error_is_one_sentence_and_a_log_file(pack, monkeypatch, capsys):
    def boom(_path):
        raise ZeroDivisionError("deep inside")
    monkeypatch.setattr(cli, "read_pack", boom)
    assert main(["info", "--pack", str(pack)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error (ZeroDivisionError)" in err and "Traceback" not in err
    log = Path(err.split("the details are in ")[1].split(". Please")[0])
    assert "ZeroDivisionError: deep inside" in log.read_text()
    log.unlink()


def test_an_infinite_vertex_in_a_layer_being_added_is_a_sentence():
    geoms = np.array([shapely.box(0, 0, 1, 1), shapely.Polygon([(0, 0), (1, 0), (float("inf"), 1), (0, 0)])],
                     dtype=object)
    with pytest.raises(InputError, match=r"infinite or undefined coordinate \(feature\(s\) 2\)"):
        repair_geometries(geoms, polygonal=True)


CLI_RUN = textwrap.dedent("""
    import sys
    sys.path.insert(0, {pkgroot!r})
    from lnrs_toolkit.plugin.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def test_a_sites_geometry_nested_200000_deep_is_a_per_site_error_not_a_crash(pack, tmp_path):
    from osgeo import ogr, osr

    path = tmp_path / "sites.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    layer = ds.CreateLayer("sites", srs, ogr.wkbUnknown)
    feat = ogr.Feature(layer.GetLayerDefn())
    feat.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON((10 10,60 10,60 60,10 60,10 10))"))
    layer.CreateFeature(feat)
    ds = None
    conn = sqlite3.connect(path)
    for name in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        conn.create_function(name, 1, lambda _b: 0)
    conn.execute("UPDATE sites SET geom = ?", (b"GP\x00\x01" + (27700).to_bytes(4, "little") +
                                               nested_collection_wkb(200_000),))
    conn.commit()
    conn.close()
    done = subprocess.run([sys.executable, "-c", CLI_RUN.format(pkgroot=str(PKGROOT)), "screen", "--pack", str(pack),
                           "--sites", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 2), done.stderr  # a segfault gives -11
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- never the network
def test_a_vrt_sites_file_never_fetches_a_url(pack, tmp_path, listener, capsys):
    port, hits = listener
    url = f"/vsicurl/http://127.0.0.1:{port}/sites.geojson"
    vrt = tmp_path / "sites.vrt"
    vrt.write_text(f'<OGRVRTDataSource><OGRVRTLayer name="sites"><SrcDataSource>{url}</SrcDataSource>'
                   "</OGRVRTLayer></OGRVRTDataSource>")
    disguised = tmp_path / "sites.geojson.xml"
    disguised.write_text(vrt.read_text())
    for path in (str(vrt), url, str(disguised)):
        assert main(["screen", "--pack", str(pack), "--sites", path]) == 2
        assert "Traceback" not in capsys.readouterr().err
    assert hits == []


@pytest.mark.parametrize(("source", "provider", "driver", "remote"), [
    ("/data/sites.gpkg|layername=sites", "ogr", "GPKG", False),
    ("file:///data/sites.csv?delimiter=,", "delimitedtext", "", False),
    ("dbname='lnrs' host=db port=5432 table=\"app\".\"sites\" (geom)", "postgres", "", False),
    ("/vsizip//data/sites.zip/sites.shp", "ogr", "ESRI Shapefile", False),
    ("/vsizip//vsicurl/http://example.org/sites.zip/sites.shp", "ogr", "ESRI Shapefile", True),
    ("https://example.org/sites.geojson", "ogr", "GeoJSON", True),
    ("/data/sites.VRT|layername=sites", "ogr", "OGR_VRT", True),
    ("/data/sites.xml", "ogr", "OGR_VRT", True),
    ("pagingEnabled='true' typename='ne:sssi' url='https://example.org/wfs'", "WFS", "", True),
    ("crs='EPSG:27700' url='https://services.arcgis.com/x/FeatureServer/0'", "arcgisfeatureserver", "", True),
])
def test_network_source_is_the_one_rule_for_every_front(source, provider, driver, remote):
    from lnrs_toolkit.plugin.adapters.ogr_sites import network_source

    assert network_source(source, provider, driver) is remote
