"""Packs in PostGIS: publish a GeoPackage pack into a schema of a real server started by the suite,
load it back through a saved QGIS connection whose credentials live in the auth manager, and get
the same tables, counts and content hash. Also the pack cache (built once per pack version)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.adapters.pack_source import (
    PackCache,
    PackSource,
    load_gpkg_pack,
    load_postgis_pack,
    postgis_pack_schemas,
    publish_pack_to_postgis,
    saved_postgres_connections,
)
from lnrs_toolkit.plugin.core.errors import InputError, PackError
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.tests.unit.packs import add_sites, build_small_pack
from qgis.core import QgsSettings

ROOT = Path(__file__).resolve().parents[2]
DEMO_PACK = ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg"
CONNECTION = "lnrs-test-postgis"  # saved by the ``connection`` fixture (tests/qgis/conftest.py)


def _summary(pack):
    return {name: len(layer) for name, layer in pack.layers.items()}


@pytest.mark.postgis
def test_publish_and_load_small_pack_gives_same_content(connection, server, tmp_path):
    gpkg = tmp_path / "small.gpkg"
    build_small_pack(gpkg)
    from_file = load_gpkg_pack(gpkg)

    published = publish_pack_to_postgis(gpkg, connection, "small_pack")
    assert published == from_file.metadata.content_sha256
    from_db = load_postgis_pack(connection, "small_pack")

    assert _summary(from_db) == _summary(from_file)
    assert from_db.metadata.content_sha256 == from_file.metadata.content_sha256 == content_hash(from_db)
    assert from_db.metadata == from_file.metadata
    assert from_db.measures == from_file.measures
    assert from_db.source == "postgis:lnrs-test-postgis/small_pack"
    for name, layer in from_file.layers.items():
        other = from_db.layers[name]
        assert list(other.fids) == list(layer.fids)
        assert other.columns == {k: list(v) for k, v in layer.columns.items()}, name
        if layer.geoms is not None:
            assert all(a.equals_exact(b, 0) for a, b in zip(layer.geoms, other.geoms)), name
    count = server.run_sql("SELECT count(*) FROM small_pack.designated_sites")
    assert count == "3"
    assert server.run_sql("SELECT Find_SRID('small_pack', 'designated_sites', 'geom')") == "27700"
    assert connection in saved_postgres_connections()
    assert "small_pack" in postgis_pack_schemas(connection)
    assert "public" not in postgis_pack_schemas(connection)


@pytest.mark.postgis
@pytest.mark.slow
def test_publish_and_load_demo_pack(connection, tmp_path):
    if not DEMO_PACK.is_file():
        pytest.skip(f"{DEMO_PACK.name} is not built (make demo-pack)")
    from_file = load_gpkg_pack(DEMO_PACK)
    publish_pack_to_postgis(DEMO_PACK, connection, "demo")
    from_db = load_postgis_pack(connection, "demo")
    assert _summary(from_db) == _summary(from_file)
    assert from_db.metadata.content_sha256 == from_file.metadata.content_sha256


@pytest.mark.postgis
def test_no_password_outside_the_auth_manager(connection, server, tmp_path):
    gpkg = tmp_path / "p.gpkg"
    add_sites(gpkg)
    publish_pack_to_postgis(gpkg, connection, "pw_check")
    load_postgis_pack(connection, "pw_check")
    settings = QgsSettings()
    stored = {key: str(settings.value(key)) for key in settings.allKeys() if CONNECTION in key}
    assert stored, "the saved connection should be in QGIS settings"
    assert not any(server.password in value for value in stored.values())
    assert any(key.endswith("/authcfg") and value for key, value in stored.items())
    ini = Path(settings.fileName())
    if ini.is_file():
        assert server.password not in ini.read_text(encoding="utf-8", errors="replace")


@pytest.mark.postgis
def test_edited_tables_carry_the_hash_of_what_is_there(connection, server, tmp_path):
    gpkg = tmp_path / "p.gpkg"
    build_small_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "edited")
    server.run_sql("UPDATE edited.designated_sites SET name = 'Renamed' WHERE fid = 1")
    pack = load_postgis_pack(connection, "edited")
    original = load_gpkg_pack(gpkg).metadata.content_sha256
    assert pack.metadata.content_sha256 == content_hash(pack) != original
    assert dict(pack.metadata.extra)["published_content_sha256"] == original


@pytest.mark.postgis
def test_refusals(connection, server, tmp_path):
    gpkg = tmp_path / "p.gpkg"
    add_sites(gpkg)
    with pytest.raises(PackError, match="no saved PostgreSQL connection called 'nope'"):
        load_postgis_pack("nope", "public")
    with pytest.raises(PackError, match="'public' of connection .* is not an LNRS Local Habitat Map pack"):
        load_postgis_pack(connection, "public")
    with pytest.raises(InputError, match="not a usable schema name"):
        load_postgis_pack(connection, "x; DROP TABLE y")
    publish_pack_to_postgis(gpkg, connection, "twice")
    before = server.run_sql("SELECT value FROM twice.pack_metadata WHERE key = 'content_sha256'")
    with pytest.raises(InputError, match="already exists"):
        publish_pack_to_postgis(gpkg, connection, "twice")
    server.run_sql("UPDATE twice.pack_metadata SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(PackError, match="newer than"):
        load_postgis_pack(connection, "twice")
    publish_pack_to_postgis(gpkg, connection, "twice", replace_existing=True)
    assert server.run_sql("SELECT value FROM twice.pack_metadata WHERE key = 'content_sha256'") == before
    leftovers = server.run_sql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE '%lnrs_tmp'")
    assert leftovers == "0"


@pytest.mark.postgis
def test_cache_builds_postgis_index_once_per_version(connection, server, tmp_path):
    gpkg = tmp_path / "p.gpkg"
    build_small_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "cached")
    cache = PackCache(build_index=lambda pack: object())
    source = PackSource.postgis(connection, "cached")
    first = cache.get(source)
    assert cache.get(f"postgis:{connection}/cached") is first
    assert cache.builds == 1
    server.run_sql("INSERT INTO cached.designated_sites (fid, geom, designation, name) "
                   "VALUES (99, ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 27700)), 'LNR', 'new')")
    second = cache.get(source)
    assert second is not first and cache.builds == 2
    assert len(second.pack.layers["designated_sites"]) == len(first.pack.layers["designated_sites"]) + 1


def test_cache_builds_gpkg_index_once_per_file_version(qgis_app, tmp_path):
    gpkg = tmp_path / "p.gpkg"
    build_small_pack(gpkg)
    cache = PackCache()
    first = cache.get(PackSource.gpkg(gpkg))
    again = cache.get(str(gpkg))
    assert again is first and cache.builds == 1
    assert type(first.index).__name__ == "PackIndex"
    assert first.index.pack is first.pack
    add_sites(gpkg, source="more")
    st = gpkg.stat()
    os.utime(gpkg, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    second = cache.get(PackSource.gpkg(gpkg))
    assert second is not first and cache.builds == 2
    assert len(cache._entries) == 1  # the older version of the same source is dropped
    cache.invalidate()
    assert len(cache._entries) == 0


def test_missing_gpkg_is_a_pack_error(qgis_app, tmp_path):
    with pytest.raises(PackError, match="cannot be opened"):
        PackCache().get(PackSource.gpkg(tmp_path / "gone.gpkg"))
    bad = tmp_path / "bad.gpkg"
    sqlite3.connect(bad).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(PackError, match="not an LNRS Local Habitat Map pack"):
        PackCache().get(PackSource.gpkg(bad))


@pytest.mark.postgis
def test_dock_opens_a_pack_from_a_saved_postgis_connection(connection, recording_iface, tmp_path, monkeypatch):
    from lnrs_toolkit.plugin.gui import dock as dock_module
    from qgis.PyQt.QtWidgets import QInputDialog

    gpkg = tmp_path / "dock.gpkg"
    build_small_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "dock_pack")
    store = QgsSettings("lnrs_toolkit_tests", "dock_postgis")
    store.clear()
    widget = dock_module.LnrsDockWidget(recording_iface, recording_iface.window, settings_store=store)
    try:
        addresses, failures = widget.pack_chooser.postgis_pack_addresses()
        address = f"postgis:{connection}/dock_pack"
        assert address in addresses and not failures
        offered = []

        def pick(_parent, _title, _label, items, *_args):
            offered.extend(items)
            return address, True

        monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
        assert widget.pack_chooser.choose_postgis_pack()
        assert address in offered
        assert widget.index is not None and widget.pack_path == address
        assert widget.index.ref.sha256 == load_gpkg_pack(gpkg).metadata.content_sha256
        assert escape_free(widget.pack_chooser.pack_info.text()) and widget.settings.recent_packs[0] == address
    finally:
        widget.close_down()
        widget.deleteLater()


def escape_free(text: str) -> bool:
    return "version" in text and "sha256" in text


@pytest.mark.postgis
def test_single_polygons_written_by_other_tools_are_published_as_multipolygons(connection, server, tmp_path):
    from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw, encode_blobs
    from shapely.geometry import box

    gpkg = tmp_path / "p.gpkg"
    build_small_pack(gpkg)
    con = connect_rw(gpkg)  # registers the functions of the GeoPackage's R-tree triggers
    fid = con.execute("SELECT min(fid) FROM opportunity_areas").fetchone()[0]
    con.execute("UPDATE opportunity_areas SET geom = ? WHERE fid = ?", (encode_blobs([box(0, 0, 50, 50)])[0], fid))
    con.commit()
    con.close()
    publish_pack_to_postgis(gpkg, connection, "single_polygons")
    row = server.run_sql(f"SELECT GeometryType(geom) || ' ' || ST_Area(geom) FROM single_polygons.opportunity_areas "
                         f"WHERE fid = {int(fid)}")
    assert row == "MULTIPOLYGON 2500"


@pytest.mark.postgis
def test_a_schema_published_before_the_inventory_column_still_loads(connection, server, tmp_path):
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
    from lnrs_toolkit.plugin.core.pack.store import add_rows
    from shapely.geometry import box

    gpkg = tmp_path / "p.gpkg"
    build_small_pack(gpkg)
    wood = map_rows("irreplaceable", [{"s": "ASNW"}], [box(0, 0, 50, 50)],
                    FieldMapping(habitat_type="ancient_woodland", status_field="s"), "w", ["s"], "polygon")
    add_rows(gpkg, wood)
    publish_pack_to_postgis(gpkg, connection, "before_inventory")
    server.run_sql('ALTER TABLE before_inventory.irreplaceable_habitats DROP COLUMN "inventory"')
    from_db = load_postgis_pack(connection, "before_inventory")
    assert from_db.layers["irreplaceable_habitats"].columns["inventory"] == [None]
    assert content_hash(from_db) == load_gpkg_pack(gpkg).metadata.content_sha256
