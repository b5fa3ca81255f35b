"""Screening through the pack's R-tree (the features near each site) answers exactly as the whole pack does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import shapely
from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw, encode_blobs, read_pack
from lnrs_toolkit.plugin.core.pack.window import read_outline, read_window
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.plugin.core.screening.options import ScreeningOptions
from lnrs_toolkit.plugin.core.screening.results import SiteError
from lnrs_toolkit.plugin.core.screening.windowed import WindowedPack, reach_m, tiles
from lnrs_toolkit.tests.bench_data_module import bd
from shapely.geometry import box

N = 1500


@pytest.fixture(scope="module")
def bench_pack(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("windowed") / "pack.gpkg"
    bd.write_pack(path, bd.make_map(N, 5), N, 5)
    return path


def _sites(n: int, seed: int) -> list:
    ext = bd.extent_for(N)
    sites = list(bd.make_sites(n, ext, seed))
    x0, y0, x1, y1 = ext
    # and some off the map: far outside, and just beyond the extent
    sites += [box(x1 + 5000, y1 + 5000, x1 + 5100, y1 + 5100), box(x0 - 300, y0 - 300, x0 - 200, y0 - 200)]
    return sites


def _same(full, windowed):
    assert len(full) == len(windowed)
    for a, b in zip(full, windowed):
        assert a.to_dict() == b.to_dict()
        assert a.index == b.index


@pytest.mark.parametrize("distance", [0.0, 50.0, 500.0])
def test_windowed_answers_equal_the_whole_pack(bench_pack, distance):
    opt = ScreeningOptions(search_distance_m=distance)
    sites = _sites(150, 9)
    refs = [str(i + 1) for i in range(len(sites))]
    full = screen_sites(PackIndex.build(read_pack(bench_pack)), sites, refs, opt)
    windowed = WindowedPack(bench_pack).screen_sites(sites, refs, opt)
    _same(full, windowed)
    verdicts = {getattr(r, "verdict", None) for r in full}
    assert verdicts >= ({"red", "amber", "green"} if distance < 500 else {"red", "amber"})  # every verdict met


def test_a_batch_is_read_a_tile_of_sites_at_a_time_with_the_same_answers(bench_pack, monkeypatch):
    sites = [*_sites(150, 11), None]
    refs = [str(i + 1) for i in range(len(sites))]
    full = screen_sites(PackIndex.build(read_pack(bench_pack)), sites, refs)
    pack = WindowedPack(bench_pack)
    windows = []
    read = pack.source.window
    monkeypatch.setattr(pack.source, "window", lambda *a: windows.append(a[1]) or read(*a))
    tiled = pack.screen_sites(sites, refs)
    _same(full, tiled)
    assert isinstance(tiled[-1], SiteError)  # no geometry: a tile of its own, the same error
    assert 2 < len(windows) < len(sites) // 4  # a window per tile, not per site
    single = [pack.screen_sites([site], [ref])[0] for site, ref in zip(sites[:20], refs)]
    _same(full[:20], [replace(r, index=i) for i, r in enumerate(single)])


def test_tiles_keep_input_order_and_put_sites_without_bounds_alone():
    got = tiles([(0.0, 0.0, 10.0, 10.0), None, (50_000.0, 0.0, 50_010.0, 10.0), (5.0, 5.0, 20.0, 20.0)], 500.0)
    assert sorted(i for t in got for i in t) == [0, 1, 2, 3]
    assert [0, 3] in got and [2] in got and [1] in got


def test_far_apart_sites_get_a_window_each_and_a_cluster_one_window():
    def square(x, y):
        return (x, y, x + 100.0, y + 100.0)

    sparse = [square(1000.0 + 4000.0 * k, 1000.0 + 3000.0 * k) for k in range(5)]  # within one 20 km cell
    assert sorted(tiles(sparse, 500.0)) == [[0], [1], [2], [3], [4]]
    cluster = [square(2000.0 + 150.0 * (k % 5), 15_000.0 + 150.0 * (k // 5)) for k in range(25)]
    assert sorted(tiles([*cluster, *sparse], 500.0)) == [list(range(25)), [25], [26], [27], [28], [29]]


def test_windowed_answers_with_a_proposed_habitat(bench_pack):
    sites = _sites(40, 3)
    full = screen_sites(PackIndex.build(read_pack(bench_pack)), sites, None, None, "Lowland mixed deciduous woodland")
    windowed = WindowedPack(bench_pack).screen_sites(sites, None, None, "Lowland mixed deciduous woodland")
    _same(full, windowed)


def test_a_window_reads_only_what_is_near(bench_pack):
    outline = read_outline(bench_pack)
    whole = read_pack(bench_pack)
    site = _sites(1, 4)[0]
    x0, y0, x1, y1 = site.bounds
    r = reach_m(outline, ScreeningOptions())
    window = read_window(outline, (x0 - r, y0 - r, x1 + r, y1 + r))
    assert set(window.layers) == set(whole.layers)
    near = sum(len(layer) for layer in window.layers.values() if layer.geoms is not None)
    total = sum(len(layer) for layer in whole.layers.values() if layer.geoms is not None)
    assert 0 < near < total / 10
    assert window.metadata == whole.metadata and dict(window.measures) == dict(whole.measures)
    assert outline.indexed["opportunity_areas"] is True and outline.extent is not None


def test_a_tree_with_a_large_buffer_far_away_is_still_read(tmp_path):
    """The reach grows with the largest tree buffer in the pack, so a tree whose buffer reaches the site is found."""
    path = tmp_path / "pack.gpkg"
    tables = bd.make_map(300, 2)
    bd.write_pack(path, tables, 300, 2)
    ext = bd.extent_for(300)
    x = ext[0] - 2000.0  # a site 2 km west of the map, and a huge tree between
    site = box(x, ext[1], x + 50, ext[1] + 50)
    conn = connect_rw(path)  # the pack's own functions keep the R-tree in step (its triggers use them)
    try:
        fid = conn.execute("SELECT min(fid) FROM ancient_trees").fetchone()[0]
        moved = encode_blobs([shapely.Point(x + 25 + 900.0, ext[1] + 25)])[0]
        conn.execute("UPDATE ancient_trees SET geom = ?, stem_diameter_m = 80 WHERE fid = ?", (moved, fid))
        conn.commit()
    finally:
        conn.close()
    opt = ScreeningOptions(search_distance_m=100.0)
    full = screen_sites(PackIndex.build(read_pack(path)), [site], ["far"], opt)
    windowed = WindowedPack(path).screen_sites([site], ["far"], opt)
    _same(full, windowed)
    assert any(f.relation == "buffer" for f in full[0].irreplaceable), full[0].to_dict()


def test_without_a_strategy_area_the_extent_decides_as_for_the_whole_pack(tmp_path):
    path = tmp_path / "pack.gpkg"
    tables = {k: v for k, v in bd.make_map(300, 4).items() if k != "strategy_area"}
    bd.write_pack(path, tables, 300, 4)
    sites = _sites(30, 8)
    full = screen_sites(PackIndex.build(read_pack(path)), sites)
    windowed = WindowedPack(path).screen_sites(sites)
    _same(full, windowed)
    assert any("extent" in " ".join(r.notes) for r in full)


def test_no_site_and_a_broken_site_are_errors_as_for_the_whole_pack(bench_pack):
    bad = [shapely.Polygon(), shapely.LineString([(0, 0), (1, 1)]), None]
    full = screen_sites(PackIndex.build(read_pack(bench_pack)), bad)
    windowed = WindowedPack(bench_pack).screen_sites(bad)
    assert [r.to_dict() for r in full] == [r.to_dict() for r in windowed]
    assert np.all([not hasattr(r, "verdict") for r in windowed])


def _with_priority_habitats(tables: dict, far_lpa: bool) -> dict:
    """``tables`` plus priority habitats (the irreplaceable polygons moved 120 m east, three main habitats) and
    an LPA boundary (far beyond the map when ``far_lpa``: it must not widen the extent screening uses)."""
    irr = tables["irreplaceable_habitats"]
    geoms = shapely.transform(irr.geoms, lambda xy: xy + np.array([120.0, 0.0]))
    n = len(geoms)
    habitats = ["Deciduous woodland", "Lowland meadows", "Traditional orchard"]
    out = dict(tables)
    out["priority_habitats"] = bd.Table(geoms, {
        "main_habitat": [habitats[i % 3] for i in range(n)],
        "additional_habitats": ["Lowland meadows" if i % 4 == 0 else None for i in range(n)],
        "habitat_codes": [None] * n, "confidence": [("High", "Medium", None)[i % 3] for i in range(n)],
        "name": [None] * n, "ref": [None] * n, "source_layer": ["phi"] * n})
    x0, y0, x1, y1 = bd.extent_for(600)
    lpa = box(x0 - 50_000, y0 - 50_000, x1 + 50_000, y1 + 50_000) if far_lpa else box(x0, y0, x1, y1)
    out["lpa_boundaries"] = bd.Table(np.array([lpa], dtype=object),
                                     {"name": ["Bench district"], "ref": ["E07000001"], "source_layer": ["lpa"]})
    return out


@pytest.mark.parametrize("with_area", [True, False])
def test_priority_habitats_windowed_answers_equal_the_whole_pack(tmp_path, with_area):
    path = tmp_path / "pack.gpkg"
    tables = _with_priority_habitats(bd.make_map(600, 6), far_lpa=not with_area)
    if not with_area:
        del tables["strategy_area"]
    bd.write_pack(path, tables, 600, 6)
    ext = bd.extent_for(600)
    sites = list(bd.make_sites(120, ext, 5))
    sites.append(box(ext[2] + 5000, ext[3] + 5000, ext[2] + 5100, ext[3] + 5100))  # off the map, in the far LPA
    opt = ScreeningOptions(search_distance_m=200.0)
    full = screen_sites(PackIndex.build(read_pack(path)), sites, None, opt)
    windowed = WindowedPack(path).screen_sites(sites, None, opt)
    _same(full, windowed)
    states = {r.checks.priority_habitats for r in full}
    assert states == {"found", "clear", "not_checked"}  # not_checked: the site off the map
    assert any(f.relation == "overlap" for r in full for f in r.priority_habitats)
    assert any(f.relation == "nearby" for r in full for f in r.priority_habitats)
    assert full[-1].verdict == "not_screened"
