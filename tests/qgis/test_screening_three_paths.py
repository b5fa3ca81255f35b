"""One answer, three ways to reach the pack: loaded whole, read near each site through the GeoPackage's R-tree,
and asked of PostGIS near each site (the neighbourhood query runs in the database). Random sites on a
generated map must get identical results from all three."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lnrs_toolkit.plugin.adapters.pack_source import publish_pack_to_postgis
from lnrs_toolkit.plugin.adapters.postgis_windows import PostgisWindows, ensure_spatial_indexes
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.plugin.core.screening.options import ScreeningOptions
from lnrs_toolkit.plugin.core.screening.windowed import WindowedPack
from lnrs_toolkit.tests.bench_data_module import bd
from shapely.geometry import box

N = 1200


@pytest.fixture(scope="module")
def three_paths(tmp_path_factory, qgis_app, server):
    from lnrs_toolkit.tests.qgis.conftest import drop_pg_connection, save_pg_connection

    path = tmp_path_factory.mktemp("three") / "pack.gpkg"
    bd.write_pack(path, _with_priority_habitats(bd.make_map(N, 13)), N, 13)
    authcfg = save_pg_connection(server, "lnrs-three-paths")
    publish_pack_to_postgis(path, "lnrs-three-paths", "three_paths")
    source = PostgisWindows("lnrs-three-paths", "three_paths")
    yield PackIndex.build(read_pack(path)), WindowedPack(path), WindowedPack(source), source
    source.close()
    drop_pg_connection("lnrs-three-paths", authcfg)


def _with_priority_habitats(tables: dict) -> dict:
    """The generated map plus priority habitats (its irreplaceable polygons moved 150 m north) and an LPA boundary
    far wider than the map (parcels only: it must widen no screening extent)."""
    irr = tables["irreplaceable_habitats"]
    n = len(irr.geoms)
    out = dict(tables)
    out["priority_habitats"] = bd.Table(shapely.transform(irr.geoms, lambda xy: xy + np.array([0.0, 150.0])), {
        "main_habitat": [("Deciduous woodland", "Lowland meadows")[i % 2] for i in range(n)],
        "additional_habitats": [None] * n, "habitat_codes": [None] * n,
        "confidence": [("High", None)[i % 2] for i in range(n)], "name": [None] * n, "ref": [None] * n,
        "source_layer": ["phi"] * n})
    x0, y0, x1, y1 = bd.extent_for(N)
    out["lpa_boundaries"] = bd.Table(np.array([box(x0 - 90_000, y0 - 90_000, x1 + 90_000, y1 + 90_000)], dtype=object),
                                     {"name": ["Wide district"], "ref": ["E07000009"], "source_layer": ["lpa"]})
    return out


def _site(ext, fx, fy, w, h):
    x0, y0, x1, y1 = ext
    x, y = x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)
    return box(x, y, x + w, y + h)


@pytest.mark.postgis
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fx=st.floats(-0.1, 1.1), fy=st.floats(-0.1, 1.1), w=st.floats(5, 800), h=st.floats(5, 800),
       distance=st.sampled_from([0.0, 100.0, 500.0]))
def test_random_sites_get_one_answer_whatever_the_path(three_paths, fx, fy, w, h, distance):
    whole, gpkg, postgis, _ = three_paths
    site = _site(bd.extent_for(N), fx, fy, w, h)
    opt = ScreeningOptions(search_distance_m=distance)
    expected = [r.to_dict() for r in screen_sites(whole, [site], ["s"], opt)]
    assert [r.to_dict() for r in gpkg.screen_sites([site], ["s"], opt)] == expected
    assert [r.to_dict() for r in postgis.screen_sites([site], ["s"], opt)] == expected


@pytest.mark.postgis
def test_the_generated_sites_agree_on_all_three_paths(three_paths):
    whole, gpkg, postgis, _ = three_paths
    sites = list(bd.make_sites(60, bd.extent_for(N), 21))
    expected = [r.to_dict() for r in screen_sites(whole, sites)]
    assert {r["verdict"] for r in expected} >= {"red", "amber"}
    assert any(r["priority_habitats"] for r in expected)  # the priority habitats reached every path
    assert [r.to_dict() for r in gpkg.screen_sites(sites)] == expected
    assert [r.to_dict() for r in postgis.screen_sites(sites)] == expected


@pytest.mark.postgis
def test_postgis_tables_have_spatial_indexes_and_a_new_version_is_seen(three_paths, server):
    whole, _, postgis, source = three_paths
    psycopg2 = pytest.importorskip("psycopg2")
    conn = psycopg2.connect(**source._params)
    try:
        with conn, conn.cursor() as cur:
            present = {r[0] for r in server_tables(cur)}
            assert ensure_spatial_indexes(cur, "three_paths", present) == []  # publishing made them
            cur.execute("DROP INDEX IF EXISTS three_paths.designated_sites_geom_idx")
            cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'three_paths' AND "
                        "tablename = 'designated_sites' AND indexdef ILIKE '%gist%'")
            for (name,) in cur.fetchall():
                cur.execute(f'DROP INDEX three_paths."{name}"')
            assert ensure_spatial_indexes(cur, "three_paths", present) == ["designated_sites"]
        version = source.version()
        with conn, conn.cursor() as cur:
            cur.execute("UPDATE three_paths.pack_metadata SET value = 'changed' WHERE key = 'content_sha256'")
        assert source.version() != version
        site = shapely.buffer(whole.opportunity.geoms[0].centroid, 50)
        assert postgis.screen_sites([site])[0].habitat_map.sha256 == "changed"
    finally:
        conn.close()


def server_tables(cur):
    cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'three_paths'")
    return cur.fetchall()
