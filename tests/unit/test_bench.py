"""The benchmark's own footing: its maps are deterministic, and the engine agrees with a brute-force reference."""

from __future__ import annotations

import shapely
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.tests.bench_data_module import bd


def _wkb(tables):
    return {k: (None if t.geoms is None else list(shapely.to_wkb(t.geoms)), t.columns) for k, t in tables.items()}


def test_maps_and_sites_are_deterministic():
    assert _wkb(bd.make_map(400, 7)) == _wkb(bd.make_map(400, 7))
    assert _wkb(bd.make_map(400, 7)) != _wkb(bd.make_map(400, 8))
    ext = bd.extent_for(400)
    a, b = bd.make_sites(30, ext, 7), bd.make_sites(30, ext, 7)
    assert list(shapely.to_wkb(a)) == list(shapely.to_wkb(b))
    assert shapely.is_valid(a).all()
    tables = bd.make_map(400, 7)
    assert all(shapely.is_valid(t.geoms).all() for t in tables.values() if t.geoms is not None)
    assert len(tables["opportunity_areas"].geoms) == 400


def test_engine_agrees_with_brute_force_reference_on_a_tiny_map():
    tables = bd.make_map(300, 11)
    layers = [memory_layer(name, None if t.geoms is None else list(t.geoms), **t.columns) for name, t in tables.items()]
    index = PackIndex.build(memory_pack(layers))
    sites = bd.make_sites(40, bd.extent_for(300), 11)
    results = screen_sites(index, list(sites))
    engine = bd.from_engine(results)
    reference = bd.reference_answers(tables, sites)
    count, problems = bd.compare(engine, reference)
    assert count == 0, problems
    # the tiny map still exercises every check
    assert sum(len(a["irr"]) for a in engine) and sum(len(a["trees"]) for a in engine)
    assert sum(len(a["des"]) for a in engine) and sum(len(a["codes"]) for a in engine)
    assert any(f for a in engine for f in a["trees"].values() if f[1])  # some tree buffer entered


def _bench_script(name):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"lnrs_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_where_the_time_goes_measures_and_puts_everything_back():
    from lnrs_toolkit.plugin.core.screening import batch, chunk

    engine = _bench_script("bench_engine")
    tables = bd.make_map(300, 11)
    layers = [memory_layer(name, None if t.geoms is None else list(t.geoms), **t.columns) for name, t in tables.items()]
    index = PackIndex.build(memory_pack(layers))
    sites = list(bd.make_sites(40, bd.extent_for(300), 11))
    refs = [str(i) for i in range(len(sites))]
    before = (shapely.intersection, shapely.STRtree.query, chunk._chunk_results, batch._WORKERS)
    floor = engine.where_the_time_goes(index, sites, refs)
    assert (shapely.intersection, shapely.STRtree.query, chunk._chunk_results, batch._WORKERS) == before
    assert 0 < floor["one_core_geometry_geos_s"] <= floor["one_core_geometry_s"]
    assert 0 < floor["one_core_geos_s"] <= floor["one_core_s"]
    assert floor["geometry_s"] > 0 and floor["cores"] >= 1
    assert len(screen_sites(index, sites, refs)) == len(sites)  # the engine answers again after it


def test_the_floor_line_gives_the_ceiling_against_qgis():
    said = []
    bench = _bench_script("bench")
    bench.say_floor(said.append, "100k", {"one_core_s": 5.0, "one_core_geos_s": 3.75, "one_core_geometry_s": 4.0,
                                          "cores": 2.0, "geometry_s": 2.0, "batch_s": 2.5}, {"batch_s": 18.0})
    assert said[0] == ("engine batch 100k on one core: 5.00 s, of which GEOS 3.75 s (75%) and Python 1.25 s; "
                       "geometry alone (no findings built) 4.00 s")
    assert said[1] == ("engine geometry alone 100k on 2 cores: 2.00 s (the whole batch 2.50 s): at most 9.0x the "
                       "QGIS pipeline on these cores")
