"""A pack is validated when it is opened (issue 15): vocabulary, SRS, blobs, numbers, views, nesting, time.

Whatever another tool or hand-written SQL put in a pack, the answer is the clean pack's answer, a refusal with
a sentence, or the layer's check ``not_checked`` with the reason: never a quiet ``clear``.
"""

from __future__ import annotations

import math
import sqlite3
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import shapely
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.plugin.core.pack import gpkg
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.pack.integrity import wkb_problem
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site
from lnrs_toolkit.plugin.core.screening.index_cache import clear_cache
from lnrs_toolkit.plugin.core.screening.results import CLEAR, NOT_CHECKED
from lnrs_toolkit.plugin.core.versions.publish import publish_version
from lnrs_toolkit.tests.unit.hostile_packs import SITE, build_hostile_base, gpkg_blob, nested_collection_wkb, sql

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"


@pytest.fixture()
def pack(tmp_path):
    clear_cache()
    return build_hostile_base(tmp_path / "pack.gpkg")


def screen(path: Path):
    return screen_site(PackIndex.build(read_pack(path)), SITE, "S1")


def answer(result) -> dict:
    d = result.to_dict()
    return {k: d[k] for k in ("verdict", "checks", "irreplaceable", "designated_sites", "strategic_significance",
                              "measures")}


def test_clean_pack_finds_the_sssi_and_the_woodland_buffer(pack):
    r = screen(pack)
    assert r.checks.designated == "found" and r.designated_sites[0].designation == "SSSI"
    assert r.irreplaceable[0].habitat == "ancient_woodland" and r.irreplaceable[0].buffer_m == 15
    assert r.verdict == "red"


@pytest.mark.parametrize(("table", "column", "value"), [
    ("designated_sites", "designation", "sssi"), ("designated_sites", "designation", "  Site of Special  "
                                                                                     "Scientific Interest "),
    ("irreplaceable_habitats", "habitat_type", "Ancient woodland"),
    ("irreplaceable_habitats", "habitat_type", "ANCIENT_WOODLAND"),
])
def test_case_and_spacing_of_coded_values_are_normalised_to_the_clean_answer(pack, table, column, value):
    clean = answer(screen(pack))
    sql(pack, f'UPDATE "{table}" SET "{column}" = ? WHERE fid = 1', params=(value,))
    assert answer(screen(pack)) == clean


@pytest.mark.parametrize(("table", "column", "value", "check"), [
    ("designated_sites", "designation", "Sort of SSSI", "designated"),
    ("designated_sites", "designation", None, "designated"),
    ("irreplaceable_habitats", "habitat_type", "woodland, old", "irreplaceable"),
    ("irreplaceable_habitats", "habitat_type", 7, "irreplaceable"),
    ("ancient_trees", "status", "ancient-ish", "irreplaceable"),
])
def test_unknown_coded_values_make_the_layer_not_checked_naming_them(pack, table, column, value, check):
    sql(pack, f'UPDATE "{table}" SET "{column}" = ?', params=(value,))
    r = screen(pack)
    # irreplaceable habitats stay "found" when the other of its two layers (trees / polygons) finds something
    assert getattr(r.checks, check) in ((NOT_CHECKED,) if check == "designated" else (NOT_CHECKED, "found"))
    assert r.verdict != "green"
    note = next(n for n in r.notes if table in n)
    assert repr(str(value)) in note and "row(s)" in note and "reload the pack" in note


def test_a_layer_declared_in_wgs84_is_not_checked_never_read_as_metres(pack):
    sql(pack, "UPDATE gpkg_geometry_columns SET srs_id = 4326 WHERE table_name = 'opportunity_areas'")
    r = screen(pack)
    assert r.checks.opportunity == NOT_CHECKED
    assert any("EPSG:4326" in n and "opportunity_areas" in n for n in r.notes)


def test_validate_refuses_opportunity_areas_it_cannot_read(pack, capsys):
    sql(pack, "UPDATE gpkg_geometry_columns SET srs_id = 4326 WHERE table_name = 'opportunity_areas'")
    assert main(["validate", "--pack", str(pack)]) == 2
    assert "EPSG:4326" in capsys.readouterr().err


def test_wkb_from_elsewhere_is_walked_before_geos_decodes_it():
    """The PostGIS readers' WKB (``ST_AsBinary``) goes through the walker the GeoPackage reader uses: 200,000 levels
    (which crash GEOS) and damaged WKB are counted as undecodable, the rest decoded."""
    from lnrs_toolkit.plugin.core.pack.integrity import decoded_wkbs

    good = shapely.to_wkb(shapely.box(0, 0, 10, 10))
    damaged = b"\x01\x03\x00\x00\x00\xff\xff\xff\x7f"
    geoms, bad = decoded_wkbs([good, None, nested_collection_wkb(200_000), damaged])
    assert bad == 2
    assert geoms[0].equals(shapely.box(0, 0, 10, 10)) and list(geoms[1:]) == [None, None, None]


def test_checking_out_opportunity_areas_the_checks_refused_gives_the_true_reason(pack, tmp_path):
    from lnrs_toolkit.plugin.core.editing.working_copy import check_out

    copy = check_out(read_pack(pack), str(pack), tmp_path / "before.gpkg")
    sql(pack, "UPDATE gpkg_geometry_columns SET srs_id = 4326 WHERE table_name = 'opportunity_areas'")
    damaged = read_pack(pack)
    for attempt in (lambda: check_out(damaged, str(pack), tmp_path / "work.gpkg"), lambda: copy.refresh(damaged)):
        with pytest.raises(PackError) as refused:
            attempt()
        message = str(refused.value)
        assert "has no opportunity areas layer" not in message
        assert "its checks refused that layer" in message and "EPSG:4326" in message
    assert not (tmp_path / "work.gpkg").exists()


def test_a_geometry_blob_in_another_srs_than_its_table_is_refused(pack):
    sql(pack, "UPDATE designated_sites SET geom = ? WHERE fid = 1",
        params=(gpkg_blob(shapely.to_wkb(shapely.box(0, 0, 100, 100)), srs_id=4326),))
    assert screen(pack).checks.designated == NOT_CHECKED


@pytest.mark.parametrize("blob", [b"GP\x00\x01" + struct.pack("<i", 27700) + b"\x01\x06\x00\x00", b"garbage!",
                                  gpkg_blob(b"\x01\x03\x00\x00\x00\xff\xff\xff\x7f")])
def test_a_damaged_geometry_blob_makes_the_layer_not_checked_not_clear(pack, blob):
    sql(pack, "UPDATE designated_sites SET geom = ? WHERE fid = 1", params=(blob,))
    r = screen(pack)
    assert r.checks.designated == NOT_CHECKED and r.checks.designated != CLEAR
    assert any("cannot be decoded" in n for n in r.notes)


@pytest.mark.parametrize("bad", [math.inf, math.nan])
def test_an_infinite_or_undefined_vertex_in_a_pack_layer_is_refused(pack, bad):
    ring = [(0.0, 0.0), (100.0, 0.0), (bad, 100.0), (0.0, 0.0)]
    points = b"".join(struct.pack("<2d", *p) for p in ring)
    wkb = b"\x01\x03\x00\x00\x00\x01\x00\x00\x00" + struct.pack("<I", 4) + points
    sql(pack, "UPDATE designated_sites SET geom = ? WHERE fid = 1", params=(gpkg_blob(wkb),))
    r = screen(pack)
    assert r.checks.designated == NOT_CHECKED
    assert any("infinite" in n for n in r.notes)


def test_text_in_a_number_column_is_refused_by_screen_info_and_publish(pack, capsys):
    sql(pack, "UPDATE ancient_trees SET stem_diameter_m = 'one metre' WHERE fid = 1")
    r = screen(pack)
    assert r.checks.irreplaceable in (NOT_CHECKED, "found")
    assert any("stem_diameter_m" in n and "'one metre'" in n for n in r.notes)
    assert main(["info", "--pack", str(pack), "--verify"]) in (0, 1, 2)
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "stem_diameter_m" in out.out + out.err
    before = pack.read_bytes()
    with pytest.raises(PackError, match="Nothing was published.*stem_diameter_m"):
        publish_version(pack, "a note")
    assert pack.read_bytes() == before


def test_a_view_where_a_table_is_expected_is_refused(pack):
    sql(pack, "ALTER TABLE measures RENAME TO measures_old",
        "CREATE VIEW measures AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT n AS fid, '' AS code, '' AS habitat_theme, '' AS priority, '' AS measure, '' AS habitats, "
        "'' AS source_layer FROM r")
    started = time.monotonic()
    with pytest.raises(PackError, match="'measures' is a view, not a table"):
        read_pack(pack)
    assert time.monotonic() - started < 5


def test_every_read_is_bounded_in_time(pack, monkeypatch):
    monkeypatch.setattr(gpkg, "READ_SECONDS", 0.5)
    conn = gpkg.open_readonly(pack)
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        conn.execute("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT max(n) FROM r").fetchone()
    conn.close()
    assert time.monotonic() - started < 10


def test_wkb_walker_bounds_nesting_and_catches_truncation():
    assert wkb_problem(shapely.to_wkb(shapely.box(0, 0, 1, 1))) is None
    assert wkb_problem(shapely.to_wkb(shapely.MultiPolygon([shapely.box(0, 0, 1, 1)]), byte_order=0)) is None
    assert wkb_problem(shapely.to_wkb(shapely.Point(1, 2, 3))) is None
    assert "nests" in wkb_problem(nested_collection_wkb(200_000))
    assert "truncated" in wkb_problem(shapely.to_wkb(shapely.box(0, 0, 1, 1))[:-3])
    assert wkb_problem(b"\x05\x01\x00\x00\x00") is not None


CLI_RUN = textwrap.dedent("""
    import sys
    sys.path.insert(0, {pkgroot!r})
    from lnrs_toolkit.plugin.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI_RUN.format(pkgroot=str(PKGROOT)), *args], capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture()
def sites_file(tmp_path):
    path = tmp_path / "sites.geojson"
    path.write_text('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":'
                    '"urn:ogc:def:crs:EPSG::27700"}},"features":[{"type":"Feature","properties":{"ref":"S1"},'
                    '"geometry":{"type":"Polygon","coordinates":[[[10,10],[60,10],[60,60],[10,60],[10,10]]]}}]}')
    return path


def test_a_geometry_nested_200000_deep_neither_crashes_info_nor_screen(pack, sites_file):
    sql(pack, "UPDATE designated_sites SET geom = ? WHERE fid = 1",
        params=(gpkg_blob(nested_collection_wkb(200_000)),))
    info = run_cli("info", "--pack", str(pack))
    assert info.returncode == 0, info.stderr
    screened = run_cli("screen", "--pack", str(pack), "--sites", str(sites_file))
    assert screened.returncode == 0, screened.stderr  # a segfault gives -11
    assert "Designated sites (not checked)" in screened.stdout and "cannot be decoded" in screened.stdout


def test_an_endless_recursive_view_does_not_hang_info_or_screen(pack, sites_file):
    sql(pack, "DROP TABLE measures",
        "CREATE VIEW measures AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
        "SELECT n AS fid, '' AS code, '' AS habitat_theme, '' AS priority, '' AS measure, '' AS habitats, "
        "'' AS source_layer FROM r")
    for args in (("info", "--pack", str(pack)), ("screen", "--pack", str(pack), "--sites", str(sites_file))):
        done = run_cli(*args, timeout=60)
        assert done.returncode == 2 and "is a view, not a table" in done.stderr and "Traceback" not in done.stderr


def test_compare_refuses_a_state_with_a_table_it_cannot_read(pack, capsys):
    number = publish_version(pack, "first").version
    sql(pack, "UPDATE gpkg_geometry_columns SET srs_id = 4326 WHERE table_name = 'opportunity_areas'")
    assert main(["compare", "--pack", str(pack), "--from", str(number)]) == 2
    err = capsys.readouterr().err
    assert "cannot be compared" in err and "EPSG:4326" in err
