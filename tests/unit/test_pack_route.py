"""A small batch on a large pack is read near each site through the pack's R-tree instead of loading the pack
whole (core/screening/pack_route.py); the command line gives the same JSON either way."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.screening import index_cache, pack_route
from lnrs_toolkit.plugin.core.screening.pack_route import LOADED, WINDOWED, PackScreening, windowed_pays
from lnrs_toolkit.tests.bench_data_module import bd

N = 10_000  # about 7 MB: above pack_route.MIN_WINDOWED_MB


@pytest.fixture(scope="module")
def large_pack(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("route")
    pack = folder / "pack.gpkg"
    bd.write_pack(pack, bd.make_map(N, 7), N, 7)
    assert pack.stat().st_size / 1e6 > pack_route.MIN_WINDOWED_MB
    sites = folder / "sites.gpkg"
    bd.write_sites(sites, bd.make_sites(40, bd.extent_for(N), 8))
    return pack, sites


@pytest.fixture(autouse=True)
def no_cached_index():
    index_cache.clear_cache()
    yield
    index_cache.clear_cache()


def test_the_estimate_takes_windows_only_for_a_few_sites_on_a_large_pack():
    assert windowed_pays(1, 73.0) and windowed_pays(50, 73.0)
    assert not windowed_pays(5000, 73.0)
    assert windowed_pays(500, 730.0) and not windowed_pays(5000, 730.0)
    assert not windowed_pays(1, pack_route.MIN_WINDOWED_MB / 2)  # a small pack is always loaded


def _screen(pack: Path, sites: Path, out: Path, *extra: str) -> list[dict]:
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--layer", "sites", "--ref-field", "ref",
                 "--json", str(out), "--quiet", *extra]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_a_small_batch_takes_the_windowed_route_with_the_same_json(large_pack, tmp_path, monkeypatch, caplog):
    pack, sites = large_pack
    few = tmp_path / "few.gpkg"
    refs, geoms = bd.read_sites(sites)
    bd.write_sites(few, geoms[:3])
    with caplog.at_level(logging.INFO, logger="lnrs_toolkit.screening"):
        windowed = _screen(pack, few, tmp_path / "windowed.json", "--proposed-habitat", "Lowland meadows")
    assert any("read near each site" in r.getMessage() for r in caplog.records)
    assert index_cache.cached_index(pack) is None  # nothing was loaded whole
    monkeypatch.setattr(pack_route, "MIN_WINDOWED_MB", float("inf"))  # the same sites, the pack loaded whole
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lnrs_toolkit.screening"):
        loaded = _screen(pack, few, tmp_path / "loaded.json", "--proposed-habitat", "Lowland meadows")
    assert any("loaded whole" in r.getMessage() for r in caplog.records)
    assert index_cache.cached_index(pack) is not None
    assert len(windowed) == 3 and {d["verdict"] for d in windowed} <= {"red", "amber", "green"}
    assert windowed == loaded


def test_a_large_batch_loads_the_pack_and_a_loaded_pack_is_reused(large_pack):
    pack, sites = large_pack
    _refs, geoms = bd.read_sites(sites)
    assert PackScreening(pack, len(geoms)).route.how == LOADED  # 40 sites on 7 MB: loading pays
    assert PackScreening(pack, 1).route.how == LOADED  # the index is built already: used as it is
    index_cache.clear_cache()
    small = PackScreening(pack, 1)
    assert small.route.how == WINDOWED and "spatial index" in small.route.sentence()
    assert small.route.ref.name == f"Bench county {N}"
