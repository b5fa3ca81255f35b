"""The content hash: same content, same hash, whatever the row order, the store or a rewrite."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import numpy as np
import shapely
import shapely.affinity
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.pack.model import PackData, PackLayer
from lnrs_toolkit.tests.unit.packs import add_sites, build_small_pack


def test_stored_hash_is_the_hash_of_the_content(tmp_path):
    report = build_small_pack(tmp_path / "a.gpkg")
    data = read_pack(tmp_path / "a.gpkg")
    assert content_hash(data) == data.metadata.content_sha256 == report.content_sha256


def test_hash_stable_across_row_order(tmp_path):
    a = build_small_pack(tmp_path / "a.gpkg").content_sha256
    b = build_small_pack(tmp_path / "b.gpkg", order=-1).content_sha256
    assert a == b
    fids_a = read_pack(tmp_path / "a.gpkg").layers["designated_sites"].columns["name"]
    fids_b = read_pack(tmp_path / "b.gpkg").layers["designated_sites"].columns["name"]
    assert fids_a == fids_b[::-1]  # really stored in another order


def test_hash_stable_across_rewrite(tmp_path):
    path = tmp_path / "a.gpkg"
    first = build_small_pack(path).content_sha256
    again = add_sites(path).content_sha256  # same source, same rows: replaced, not duplicated
    assert again == first
    second = build_small_pack(path).content_sha256
    assert second == first


def test_hash_ignores_source_layer_bookkeeping(tmp_path):
    a = add_sites(tmp_path / "a.gpkg", source="one").content_sha256
    b = add_sites(tmp_path / "b.gpkg", source="two").content_sha256
    assert a == b


def test_hash_changes_with_attributes_geometry_and_metadata(tmp_path):
    base = read_pack(_pack(tmp_path, "base"))
    h0 = content_hash(base)
    sites = base.layers["designated_sites"]

    renamed = dict(sites.columns, name=["X", *sites.columns["name"][1:]])
    assert content_hash(_with_layer(base, PackLayer(sites.spec, sites.fids, sites.geoms, renamed))) != h0

    moved = sites.geoms.copy()
    moved[0] = shapely.affinity.translate(moved[0], 1.0)
    assert content_hash(_with_layer(base, PackLayer(sites.spec, sites.fids, moved, sites.columns))) != h0

    assert content_hash(replace(base, metadata=replace(base.metadata, version="2"))) != h0
    # the stored hash itself is not part of the content
    assert content_hash(replace(base, metadata=replace(base.metadata, content_sha256="x"))) == h0


def test_hash_ignores_ring_start_polygon_vs_multipolygon_and_float_noise(tmp_path):
    base = read_pack(_pack(tmp_path, "base"))
    h0 = content_hash(base)
    sites = base.layers["designated_sites"]
    other = np.asarray([shapely.get_geometry(g, 0) for g in sites.geoms], dtype=object)  # Polygon, not Multi
    other[0] = shapely.Polygon(list(other[0].exterior.coords)[2:] + list(other[0].exterior.coords)[1:3])
    assert content_hash(_with_layer(base, PackLayer(sites.spec, sites.fids, other, sites.columns))) == h0

    trees = base.layers["ancient_trees"]
    noisy = dict(trees.columns, stem_diameter_m=[v + 1e-12 if v else v for v in trees.columns["stem_diameter_m"]])
    assert content_hash(_with_layer(base, PackLayer(trees.spec, trees.fids, trees.geoms, noisy))) == h0


def test_absent_and_empty_tables_hash_differently(tmp_path):
    base = read_pack(_pack(tmp_path, "base"))
    sites = base.layers["designated_sites"]
    empty = PackLayer(sites.spec, np.empty(0, dtype=np.int64), np.empty(0, dtype=object),
                      {c: [] for c in sites.spec.column_names})
    without = PackData({k: v for k, v in base.layers.items() if k != "measures"}, base.metadata)
    assert content_hash(without) != content_hash(base)
    assert content_hash(_with_layer(base, empty)) != content_hash(base)


def test_hash_unchanged_by_vacuum(tmp_path):
    path = _pack(tmp_path, "v")
    before = content_hash(read_pack(path))
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    assert content_hash(read_pack(path)) == before


def _pack(tmp_path, name):
    path = tmp_path / f"{name}.gpkg"
    build_small_pack(path)
    return path


def _with_layer(pack: PackData, layer: PackLayer) -> PackData:
    return replace(pack, layers={**pack.layers, layer.spec.name: layer})
