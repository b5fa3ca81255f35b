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
