"""``lnrs:publishversion`` and ``lnrs:compareversions`` on a pack edited on purpose, in a GeoPackage and in a
real PostGIS (the same versions, hashes and differences in both)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import pytest
from lnrs_toolkit.plugin.adapters import postgis_versions
from lnrs_toolkit.plugin.adapters.pack_source import load_gpkg_pack, load_postgis_pack, publish_pack_to_postgis
from lnrs_toolkit.plugin.adapters.pg_connection import pg_connect
from lnrs_toolkit.plugin.adapters.postgis_versions import (
    list_postgis_versions,
    load_postgis_version,
    publish_postgis_version,
)
from lnrs_toolkit.plugin.core.errors import InputError, PackError
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.versions.publish import has_unpublished_edits, load_version, publish_version
from lnrs_toolkit.tests.unit.version_packs import (
    EXPECTED_CHANGES,
    EXPECTED_SITE_CHANGES,
    N_AREAS,
    SCREENED_SITES,
    V2_EDITS_SQL,
    big_pack,
    build_v1_pack,
    edit_gpkg_for_v2,
    rows_as_before,
)
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


def run(alg, params):
    import processing

    return processing.run(f"lnrs:{alg}", params)


def screened_sites_layer(crs="EPSG:27700"):
    """Sites as lnrs:screensites writes them: a polygon layer with a site_ref field."""
    layer = QgsVectorLayer(f"Polygon?crs={crs}&field=site_ref:string&field=verdict:string", "screened", "memory")
    feats = []
    for ref, geom in SCREENED_SITES.items():
        f = QgsFeature(layer.fields())
        f.setAttributes([ref, "amber"])
        f.setGeometry(QgsGeometry.fromWkt(geom.wkt))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _changes(layer):
    return {f["pack_fid"]: (f["change"], tuple(filter(None, f["codes_added"].split(";"))),
                            tuple(filter(None, f["codes_removed"].split(";"))), bool(f["geom_changed"]),
                            round(f["area_diff_m2"], 6)) for f in layer.getFeatures()}


def _site_changes(layer):
    def codes(text):
        return tuple(filter(None, (text or "").split(";")))

    return {f["site_ref"]: (tuple(f["changed"].split(", ")), (f["old_verdict"], f["new_verdict"]),
                            (f["old_category"], f["new_category"]), (codes(f["old_codes"]), codes(f["new_codes"])))
            for f in layer.getFeatures()}


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- GeoPackage
def test_publish_edit_publish_and_compare_a_geopackage(lnrs_provider, tmp_path):
    pack = tmp_path / "lhm.gpkg"
    build_v1_pack(pack)
    first = run("publishversion", {"PACK": str(pack), "NOTE": "First publication"})
    assert first["VERSION"] == 2
    assert first["CONTENT_SHA256"] == load_gpkg_pack(pack).metadata.content_sha256
    before = sha(pack)
    with pytest.raises(QgsProcessingException, match="Nothing has changed since version 2 was published"):
        run("publishversion", {"PACK": str(pack), "NOTE": "again"})
    assert sha(pack) == before

    edit_gpkg_for_v2(pack)
    second = run("publishversion", {"PACK": str(pack), "NOTE": "Review: woodland and grassland"})
    assert second["VERSION"] == 3 and second["CONTENT_SHA256"] != first["CONTENT_SHA256"]

    summary = tmp_path / "summary.html"
    res = run("compareversions", {"PACK": str(pack), "FROM_VERSION": 2, "TO_VERSION": 3,
                                  "SITES": screened_sites_layer(), "OUTPUT": "memory:", "SITES_OUTPUT": "memory:",
                                  "SUMMARY": str(summary)})
    assert (res["ADDED"], res["REMOVED"], res["CHANGED"], res["SITES_CHANGED"]) == (1, 1, 2, 4)
    changes = res["OUTPUT"]
    assert changes.crs().authid() == "EPSG:27700"
    assert _changes(changes) == EXPECTED_CHANGES
    removed = next(f for f in changes.getFeatures() if f["change"] == "removed")
    assert removed.geometry().area() == pytest.approx(10000)
    assert {f["from_version"] for f in changes.getFeatures()} == {"version 2"}
    assert _site_changes(res["SITES_OUTPUT"]) == EXPECTED_SITE_CHANGES
    html = summary.read_text(encoding="utf-8")
    assert "matched by their feature id (fid)" in html and "1 added, 1 removed, 2 changed" in html
    assert "S-F" in html and "amber \u2192 red" in html


def test_compare_defaults_to_the_current_state_and_reprojects_sites(lnrs_provider, tmp_path):
    from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw
    from lnrs_toolkit.tests.unit.version_packs import refresh_hash
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    pack = tmp_path / "lhm.gpkg"
    build_v1_pack(pack)
    run("publishversion", {"PACK": str(pack), "NOTE": "First"})
    conn = connect_rw(pack)
    conn.execute("UPDATE opportunity_areas SET measures = 'WD001' WHERE fid = 1")
    refresh_hash(conn, pack)
    conn.close()
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=ref:string", "wgs84", "memory")
    to_wgs = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                    QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    feature = QgsFeature(layer.fields())
    geom = QgsGeometry.fromWkt(SCREENED_SITES["S-A"].wkt)
    geom.transform(to_wgs)
    feature.setAttributes(["A/1"])
    feature.setGeometry(geom)
    layer.dataProvider().addFeatures([feature])
    summary = tmp_path / "summary.json"
    res = run("compareversions", {"PACK": str(pack), "FROM_VERSION": 2, "SITES": layer, "REF_FIELD": "ref",
                                  "OUTPUT": "memory:", "SITES_OUTPUT": "memory:", "SUMMARY": str(summary)})
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["to"] == "current state (unpublished edits since version 2)"
    assert [(c["fid"], c["codes_removed"]) for c in data["changes"]] == [(1, ["WD006", "FW012"])]
    assert [(s["site_ref"], s["changed"]) for s in data["sites"]["changes"]] == [("A/1", ["measures"])]
    out = res["SITES_OUTPUT"]
    assert out.crs().authid() == "EPSG:4326"  # the sites come back as the user's layer holds them
    assert next(out.getFeatures())["new_codes"] == "WD001"


def test_refusals_are_sentences(lnrs_provider, tmp_path):
    pack = tmp_path / "lhm.gpkg"
    build_v1_pack(pack)
    with pytest.raises(QgsProcessingException, match="no version of this pack has been published"):
        run("compareversions", {"PACK": str(pack), "FROM_VERSION": 1, "OUTPUT": "memory:"})
    run("publishversion", {"PACK": str(pack), "NOTE": "First"})
    with pytest.raises(QgsProcessingException, match="version 5 was not published in this pack; published "
                                                     "versions: 2"):
        run("compareversions", {"PACK": str(pack), "FROM_VERSION": 5, "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="two different versions"):
        run("compareversions", {"PACK": str(pack), "FROM_VERSION": 2, "TO_VERSION": 2, "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="does not exist"):
        run("publishversion", {"PACK": str(tmp_path / "missing.gpkg"), "NOTE": "x"})
    with pytest.raises(QgsProcessingException, match="no saved PostgreSQL connection called 'nope'"):
        run("publishversion", {"PACK": "postgis:nope/some_schema", "NOTE": "x"})


# --------------------------------------------------------------------------- PostGIS
@pytest.mark.postgis
def test_postgis_publish_edit_publish_compare_matches_the_geopackage(lnrs_provider, connection, server, tmp_path):
    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_versions")
    in_db = publish_postgis_version(connection, "lhm_versions", "First publication", "Ann Editor", now=WHEN)
    in_file = publish_version(gpkg, "First publication", "Ann Editor", now=WHEN)
    assert (in_db.version, in_db.content_sha256) == (in_file.version, in_file.content_sha256)
    assert server.run_sql("SELECT value FROM lhm_versions.pack_metadata WHERE key = 'published_content_sha256'") \
        == in_db.content_sha256
    with pytest.raises(InputError, match="Nothing has changed since version 2"):
        publish_postgis_version(connection, "lhm_versions", "again", "Ann")

    server.run_sql(V2_EDITS_SQL.format(s="lhm_versions"))
    edited = load_postgis_pack(connection, "lhm_versions")
    assert has_unpublished_edits(edited.metadata)
    assert dict(edited.metadata.extra)["published_content_sha256"] == in_db.content_sha256
    res = run("publishversion", {"PACK": f"postgis:{connection}/lhm_versions", "NOTE": "Review"})
    assert res["VERSION"] == 3
    assert res["CONTENT_SHA256"] == load_postgis_pack(connection, "lhm_versions").metadata.content_sha256
    assert [v.version for v in list_postgis_versions(connection, "lhm_versions")] == [2, 3]
    v2 = load_postgis_version(connection, "lhm_versions", 2)
    assert content_hash(v2) == in_db.content_sha256 == content_hash(load_version(gpkg, 2))
    assert list(v2.layers["opportunity_areas"].fids) == [1, 2, 3]

    res = run("compareversions", {"PACK": f"postgis:{connection}/lhm_versions", "FROM_VERSION": 2,
                                  "SITES": screened_sites_layer(), "OUTPUT": "memory:", "SITES_OUTPUT": "memory:"})
    assert _changes(res["OUTPUT"]) == EXPECTED_CHANGES
    assert _site_changes(res["SITES_OUTPUT"]) == EXPECTED_SITE_CHANGES
    edit_gpkg_for_v2(gpkg)  # the same edits in the file give the same differences
    publish_version(gpkg, "Review", "Bob")
    assert _changes(run("compareversions", {"PACK": str(gpkg), "FROM_VERSION": 2, "TO_VERSION": 3,
                                            "OUTPUT": "memory:"})["OUTPUT"]) == EXPECTED_CHANGES


@pytest.mark.postgis
def test_postgis_failure_leaves_the_schema_as_it_was(connection, server, tmp_path, monkeypatch):
    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_atomic")
    metadata = server.run_sql("SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM lhm_atomic.pack_metadata")
    real = postgis_versions._write

    def write_then_fail(cur, schema, publication):
        real(cur, schema, publication)
        raise OSError("connection lost")

    monkeypatch.setattr(postgis_versions, "_write", write_then_fail)
    with pytest.raises(OSError, match="connection lost"):
        publish_postgis_version(connection, "lhm_atomic", "First", "Ann")
    # the version tables exist from publication on (issue 20); the failed publication left no row in them
    left = server.run_sql("SELECT " + " + ".join(f"(SELECT count(*) FROM lhm_atomic.{t})" for t in (
        "pack_versions", "pack_version_tables", "pack_version_row_store", "pack_version_snapshots")))
    assert left == "0"
    assert server.run_sql("SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM lhm_atomic.pack_metadata") \
        == metadata
    monkeypatch.setattr(postgis_versions, "_write", real)
    assert publish_postgis_version(connection, "lhm_atomic", "First", "Ann").version == 2


@pytest.mark.postgis
def test_postgis_publish_waits_for_a_saving_editor_then_says_so(connection, server, tmp_path, monkeypatch):
    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_busy")
    monkeypatch.setattr(postgis_versions, "LOCK_TIMEOUT", "1s")
    with pg_connect(connection) as editor:
        with editor.cursor() as cur:  # an editor's check-in holds its row locks, uncommitted
            cur.execute("UPDATE lhm_busy.opportunity_areas SET measures = 'WD001' WHERE fid = 1")
        with pytest.raises(PackError, match="Another user is saving .*Nothing was changed"):
            publish_postgis_version(connection, "lhm_busy", "First", "Ann")
        editor.commit()
    record = publish_postgis_version(connection, "lhm_busy", "First", "Ann")
    frozen = load_postgis_version(connection, "lhm_busy", record.version)
    assert frozen.layers["opportunity_areas"].columns["measures"][0] == "WD001"  # the editor's change is in it


@pytest.mark.postgis
def test_postgis_refusals(connection, server, tmp_path):
    with pytest.raises(PackError, match="'public' of connection .* is not an LNRS Local Habitat Map pack"):
        publish_postgis_version(connection, "public", "x")
    with pytest.raises(InputError, match="not a usable schema name"):
        list_postgis_versions(connection, "x; DROP TABLE y")
    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_refuse")
    assert list_postgis_versions(connection, "lhm_refuse") == []
    with pytest.raises(PackError, match="no version of this pack has been published"):
        load_postgis_version(connection, "lhm_refuse", 1)
    publish_postgis_version(connection, "lhm_refuse", "First", "Ann")
    server.run_sql("UPDATE lhm_refuse.pack_version_row_store SET geom_wkb = (SELECT geom_wkb FROM "
                   "lhm_refuse.pack_version_row_store WHERE table_name = 'opportunity_areas' ORDER BY fid LIMIT 1) "
                   "WHERE table_name = 'opportunity_areas'")  # valid rows, other content (fids kept)
    with pytest.raises(PackError, match="history has been altered"):
        load_postgis_version(connection, "lhm_refuse", 2)


def test_postgis_publish_refuses_what_the_pack_checks_refuse_as_the_geopackage_does(connection, server, tmp_path):
    """A value the pack checks refuse (here a designation nobody knows, written by SQL) is never frozen as a
    version, in PostGIS as in a GeoPackage; nothing is written."""
    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_unchecked")
    server.run_sql("UPDATE lhm_unchecked.designated_sites SET designation = 'Park of Special Interest'")
    with pytest.raises(PackError, match="Nothing was published.*designation"):
        publish_postgis_version(connection, "lhm_unchecked", "First", "Ann")
    assert list_postgis_versions(connection, "lhm_unchecked") == []


@pytest.mark.postgis
def test_postgis_publish_queues_behind_a_check_in(connection, server, tmp_path, monkeypatch):
    from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore

    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_queue")
    monkeypatch.setattr(postgis_versions, "LOCK_TIMEOUT", "1s")
    store = PostgisOpportunityStore(connection, "lhm_queue")
    # a check-in in progress holds the pack's lock
    with store.transaction(), pytest.raises(PackError, match="Another user is saving .*Nothing was changed"):
        publish_postgis_version(connection, "lhm_queue", "First", "Ann")
    assert publish_postgis_version(connection, "lhm_queue", "First", "Ann").version == 2


@pytest.mark.slow
def test_publish_and_compare_headless_with_qgis_process(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("qgis_process_helper",
                                                  Path(__file__).resolve().parent / "qgis_process_helper.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    reason = helper.available()
    if reason:
        pytest.skip(reason)
    pack = tmp_path / "lhm.gpkg"
    build_v1_pack(pack)
    config = tmp_path / "qgis-config"
    proc, out = helper.run_algorithm("lnrs:publishversion", {"PACK": str(pack), "NOTE": "First publication"},
                                     config)
    assert proc.returncode == 0, proc.stderr
    assert out["results"]["VERSION"] == 2
    edit_gpkg_for_v2(pack)
    summary = tmp_path / "summary.txt"
    changes = tmp_path / "changes.gpkg"
    proc, out = helper.run_algorithm("lnrs:compareversions", {"PACK": str(pack), "FROM_VERSION": 2,
                                                              "OUTPUT": str(changes), "SUMMARY": str(summary)}, config)
    assert proc.returncode == 0, proc.stderr
    assert (out["results"]["ADDED"], out["results"]["REMOVED"], out["results"]["CHANGED"]) == (1, 1, 2)
    text = summary.read_text(encoding="utf-8")
    assert "To:   current state (unpublished edits since version 2)" in text
    layer = QgsVectorLayer(str(changes), "changes", "ogr")
    assert _changes(layer) == EXPECTED_CHANGES
    proc, _out = helper.run_algorithm("lnrs:publishversion", {"PACK": str(tmp_path / "none.gpkg"), "NOTE": "x"},
                                      config)
    assert proc.returncode != 0 and "does not exist" in proc.stdout + proc.stderr


def _schema_bytes(server, schema):
    return int(server.run_sql(
        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE n.nspname = '{schema}' AND c.relkind = 'r'"))


@pytest.mark.postgis
def test_postgis_version_after_a_one_polygon_edit_grows_the_schema_by_under_one_percent(connection, server, tmp_path):
    gpkg = tmp_path / "big.gpkg"
    big_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_grow")
    empty = _schema_bytes(server, "lhm_grow")  # the pack's tables, and the history tables made with them, empty
    first = publish_postgis_version(connection, "lhm_grow", "First", "Ann")
    grown = _schema_bytes(server, "lhm_grow") - empty
    print(f"schema {empty} B -> {empty + grown} B after v1: +{grown} B ({grown / empty:.3f} x)")
    assert grown <= 1.1 * empty  # the first version's rows are packed: about the size of the data, not twice it
    assert server.run_sql("SELECT count(*) FROM lhm_grow.pack_version_row_store WHERE attributes IS NOT NULL "
                          "OR get_byte(geom_wkb, 0) <> 2 OR length(row_key) <> 16") == "0"
    server.run_sql("UPDATE lhm_grow.opportunity_areas SET geom = ST_Multi(ST_Buffer(ST_SetSRID(ST_Point(5, 5), 27700), "
                   "20, 10)) WHERE fid = 100")
    for table in server.run_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'lhm_grow'").split():
        server.run_sql(f"VACUUM FULL lhm_grow.{table}")  # the edit's dead rows gone: what follows is the version
    before = _schema_bytes(server, "lhm_grow")
    second = publish_postgis_version(connection, "lhm_grow", "Moved one area", "Ann")
    after = _schema_bytes(server, "lhm_grow")  # tables, indexes and TOAST, not vacuumed
    print(f"schema {before} B -> {after} B after v2: +{after - before} B ({100 * (after - before) / before:.3f} %)")
    assert (after - before) / before < 0.01
    assert server.run_sql("SELECT count(*) FROM lhm_grow.pack_version_row_store WHERE table_name = "
                          "'opportunity_areas'") == str(N_AREAS + 2 + 1)
    old, new = (load_postgis_version(connection, "lhm_grow", r.version) for r in (first, second))
    assert content_hash(old) == first.content_sha256 and content_hash(new) == second.content_sha256
    assert len(old.layers["opportunity_areas"]) == len(new.layers["opportunity_areas"]) == N_AREAS + 2
    from lnrs_toolkit.plugin.core.versions.compare import compare_packs

    assert [(c.fid, c.kind) for c in compare_packs(old, new, "v1", "v2").changes] == [(100, "changed")]


@pytest.mark.postgis
def test_postgis_pack_with_full_copies_from_before_reads_back_and_publishes_on(connection, server, tmp_path,
                                                                              monkeypatch):
    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "lhm_legacy")
    with rows_as_before(monkeypatch):  # rows as WKB and JSON (row format 1), as the row store first held them
        first = publish_postgis_version(connection, "lhm_legacy", "First", "Ann")
    assert server.run_sql("SELECT count(*) FROM lhm_legacy.pack_version_row_store WHERE attributes IS NULL") == "0"
    assert content_hash(load_postgis_version(connection, "lhm_legacy", first.version)) == first.content_sha256
    # rewrite the history as a pack published before shared rows held it: one full copy per snapshot
    server.run_sql("INSERT INTO lhm_legacy.pack_version_rows (snapshot, table_name, row_fid, geom_wkb, attributes) "
                   "SELECT s.snapshot, r.table_name, r.row_fid, r.geom_wkb, r.attributes FROM "
                   "lhm_legacy.pack_version_snapshots s JOIN lhm_legacy.pack_version_row_store r "
                   "ON r.table_name = s.table_name; "
                   "DELETE FROM lhm_legacy.pack_version_snapshots; DELETE FROM lhm_legacy.pack_version_row_store")
    assert content_hash(load_postgis_version(connection, "lhm_legacy", first.version)) == first.content_sha256
    server.run_sql(V2_EDITS_SQL.format(s="lhm_legacy"))
    second = publish_postgis_version(connection, "lhm_legacy", "Second", "Ann")
    assert content_hash(load_postgis_version(connection, "lhm_legacy", first.version)) == first.content_sha256
    assert content_hash(load_postgis_version(connection, "lhm_legacy", second.version)) == second.content_sha256
