"""The pack GeoPackage: round trip, atomic writes and refusals of damaged or foreign files."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import shapely
from lnrs_toolkit.plugin.core.errors import InputError, PackError, PackVersionError
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.gpkg import GPKG_APPLICATION_ID, decode_blob, encode_blobs, read_pack
from lnrs_toolkit.plugin.core.pack.store import Cancelled, add_rows
from lnrs_toolkit.tests.unit.packs import SITE_GEOMS, add_sites, build_small_pack
from shapely.geometry import Point, box


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "pack.gpkg"
    build_small_pack(path)
    return path


def test_round_trip_tables_rows_and_metadata(pack):
    data = read_pack(pack)
    assert set(data.layers) == {"designated_sites", "ancient_trees", "opportunity_areas", "measures"}
    sites = data.layers["designated_sites"]
    assert sites.columns["designation"] == ["SSSI", "SAC", "LNR"]
    assert [g.geom_type for g in sites.geoms] == ["MultiPolygon"] * 3
    assert all(g.equals(want) for g, want in zip(sites.geoms, SITE_GEOMS))
    trees = data.layers["ancient_trees"]
    assert trees.columns["stem_diameter_m"] == [1.2, None]
    assert trees.columns["status"] == ["veteran", "ancient"]
    assert data.layers["opportunity_areas"].columns["measures"] == ["WD001;WD006;FW012", "GL001;XX999"]
    assert sorted(data.measures) == ["FW012", "GL001", "WD001", "WD006"]
    assert data.measures["WD001"].habitats == ("Woodland and forest", "Individual trees")
    assert data.metadata.lnrs_name == "Test LHM"
    assert data.metadata.schema_version == 1
    assert len(data.metadata.content_sha256) == 64
    assert data.source == str(pack)


def test_file_is_a_geopackage_that_sqlite_and_gdal_style_readers_see(pack):
    conn = sqlite3.connect(pack)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == GPKG_APPLICATION_ID
    kinds = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert kinds["designated_sites"] == "features" and kinds["measures"] == "attributes"
    rtree = conn.execute("SELECT count(*) FROM rtree_designated_sites_geom").fetchone()[0]
    assert rtree == 3
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_blob_round_trip_with_empty_and_null():
    gs = np.asarray([box(0, 0, 1, 2), Point(3, 4), shapely.from_wkt("POLYGON EMPTY"), None], dtype=object)
    blobs = encode_blobs(gs)
    assert blobs[3] is None
    assert shapely.from_wkb(decode_blob(blobs[0])).equals(gs[0])
    assert shapely.from_wkb(decode_blob(blobs[1])).equals(gs[1])
    assert decode_blob(blobs[2]) is None
    with pytest.raises(PackError, match="damaged"):
        decode_blob(b"XX\x00\x01\x00\x00\x00\x00")


def _set_meta(path, key, value):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE pack_metadata SET value = ? WHERE key = ?", (value, key))
    conn.commit()
    conn.close()


def test_newer_schema_version_is_refused(pack):
    _set_meta(pack, "schema_version", "2")
    with pytest.raises(PackVersionError, match="newer than the 1 this version.*update the plugin"):
        read_pack(pack)


@pytest.mark.parametrize("value", ["", "one"])
def test_missing_schema_version_is_refused(pack, value):
    _set_meta(pack, "schema_version", value)
    with pytest.raises(PackError, match="schema_version is missing"):
        read_pack(pack)


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.gpkg"
    path.write_bytes(b"")
    with pytest.raises(PackError, match="is empty"):
        read_pack(path)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(PackError, match="does not exist"):
        read_pack(tmp_path / "nope.gpkg")


def test_random_bytes_are_refused(tmp_path):
    path = tmp_path / "noise.gpkg"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(PackError, match="not a readable GeoPackage|damaged"):
        read_pack(path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_truncated_file_is_refused(pack, keep):
    data = pack.read_bytes()
    pack.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(PackError):
        read_pack(pack)


def test_corrupt_page_is_refused(pack):
    data = bytearray(pack.read_bytes())
    page = 4096
    for i in range(2 * page, len(data), page):  # wreck every page after the schema
        data[i:i + 64] = b"\xff" * 64
    pack.write_bytes(bytes(data))
    with pytest.raises(PackError):
        read_pack(pack)


def test_geopackage_that_is_not_a_pack_is_refused(pack):
    conn = sqlite3.connect(pack)
    conn.execute("DROP TABLE pack_metadata")
    conn.commit()
    conn.close()
    with pytest.raises(PackError, match="not an LNRS Local Habitat Map pack"):
        read_pack(pack)


def test_table_missing_a_column_is_refused(pack):
    conn = sqlite3.connect(pack)
    conn.execute("ALTER TABLE measures RENAME COLUMN habitats TO habs")
    conn.commit()
    conn.close()
    with pytest.raises(PackError, match="'measures' lacks the column.*habitats"):
        read_pack(pack)


def test_add_rows_refuses_to_overwrite_a_file_that_is_not_a_pack(tmp_path):
    path = tmp_path / "notes.gpkg"
    path.write_bytes(b"my precious notes")
    with pytest.raises(PackError):
        add_sites(path)
    assert path.read_bytes() == b"my precious notes"


def test_add_rows_into_missing_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        add_sites(tmp_path / "no" / "pack.gpkg")


def test_cancelled_add_leaves_pack_byte_identical_and_no_scratch(pack):
    before = pack.read_bytes()
    mapped = map_rows("designated", [{"n": "x"}], np.asarray([box(0, 0, 5, 5)], dtype=object),
                      FieldMapping(designation="SSSI", name_field="n"), "other", ["n"], "polygon")
    calls = []

    def cancel_second_time():
        calls.append(1)
        return len(calls) >= 2

    with pytest.raises(Cancelled):
        add_rows(pack, mapped, {"version": "2"}, is_cancelled=cancel_second_time)
    assert pack.read_bytes() == before
    assert sorted(p.name for p in pack.parent.iterdir()) == ["pack.gpkg"]


def test_failed_add_leaves_pack_byte_identical(pack, monkeypatch):
    before = pack.read_bytes()
    from lnrs_toolkit.plugin.core.pack import store as pack_store

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pack_store, "content_hash", boom)
    with pytest.raises(RuntimeError):
        add_sites(pack, source="again")
    assert pack.read_bytes() == before
    assert sorted(p.name for p in pack.parent.iterdir()) == ["pack.gpkg"]


def test_re_adding_a_source_replaces_its_rows(tmp_path):
    path = tmp_path / "p.gpkg"
    add_sites(path)
    report = add_sites(path)
    assert (report.rows_added, report.rows_in_table) == (3, 3)
    report = add_sites(path, source="second copy")
    assert report.rows_in_table == 6
    assert len(read_pack(path).layers["designated_sites"]) == 6


def test_metadata_updates_keep_earlier_keys(tmp_path):
    path = tmp_path / "p.gpkg"
    add_sites(path, lnrs_name="A", version="1")
    add_sites(path, version="2", licence="")
    meta = read_pack(path).metadata
    assert (meta.lnrs_name, meta.version, meta.licence) == ("A", "2", "")


def test_rewrite_drops_stale_gdal_feature_counts(tmp_path):
    path = tmp_path / "p.gpkg"
    add_sites(path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE gpkg_ogr_contents (table_name TEXT NOT NULL PRIMARY KEY, feature_count INTEGER)")
    conn.execute("INSERT INTO gpkg_ogr_contents VALUES ('designated_sites', 3)")
    conn.commit()
    conn.close()
    add_sites(path, source="other")
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT * FROM gpkg_ogr_contents WHERE table_name = 'designated_sites'").fetchall()
    conn.close()
    assert rows == []  # GDAL recounts instead of reporting 3 of 6 features
