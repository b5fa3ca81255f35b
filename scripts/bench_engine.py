"""Benchmark worker: the LNRS Toolkit screening engine (run by scripts/bench.py in its own process)."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import bench_data as bd
import numpy as np
import shapely


def cold(index: Any) -> None:
    """Empty the index's caches that screening fills (buffers, zones, texts), so a batch starts cold."""
    for cache in (index._tree_buffers, index._habitat_buffers, index._zones,
                  *(li._texts for li in (index.irreplaceable, index.trees, index.designated) if li is not None)):
        cache.clear()


def main() -> int:
    args = bd.worker_args(__doc__ or "")
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites

    refs, sites = bd.read_sites(args.sites)
    site_list = list(sites)
    gc.collect()

    t0 = time.perf_counter()
    pack = read_pack(args.pack)
    t_read = time.perf_counter() - t0
    index = PackIndex.build(pack)
    t_load = time.perf_counter() - t0
    screen_sites(index, site_list[:1], refs[:1])  # the officer's first answer after a full load
    t_first = time.perf_counter() - t0
    cold(index)  # the batch starts cold, as before

    t0 = time.perf_counter()
    results = screen_sites(index, site_list, refs)
    t_batch = time.perf_counter() - t0

    lat = []
    for i in range(min(args.single, len(site_list))):
        t = time.perf_counter()
        screen_sites(index, [site_list[i]], [refs[i]])
        lat.append(1000.0 * (time.perf_counter() - t))
    errors = [r for r in results if not hasattr(r, "irreplaceable")]
    floor = where_the_time_goes(index, site_list, refs) if os.environ.get("LNRS_BENCH_FLOOR") else {}
    bd.dump(args.out, {**floor,
        "method": "engine", "versions": {"shapely": shapely.__version__, "geos": shapely.geos_version_string},
        "read_s": t_read, "load_s": t_load, "first_s": t_first, "batch_s": t_batch,
        "single_p50_ms": float(np.percentile(lat, 50)) if lat else None,
        "single_p95_ms": float(np.percentile(lat, 95)) if lat else None,
        "single_max_ms": float(max(lat)) if lat else None,
        "site_errors": len(errors),
        "answers": bd.from_engine([r for r in results if hasattr(r, "irreplaceable")]) if not errors else [],
        "verdicts": {v: sum(1 for r in results if getattr(r, "verdict", None) == v) for v in ("red", "amber", "green")},
    })
    return 0


#: The shapely functions the engine calls while screening (each a GEOS call, or one per geometry).
GEOS_FUNCTIONS = ("intersection", "union_all", "distance", "buffer", "contains_properly", "intersects", "area",
                  "bounds", "box", "is_valid", "prepare", "from_wkb", "to_wkb", "get_parts", "make_valid")


def where_the_time_goes(index: Any, sites: list[Any], refs: list[str]) -> dict[str, float]:
    """The batch again: on two cores with the findings not built (the geometry alone: no engine can answer
    faster than this on these cores), then on one core, whole and geometry alone, with the CPU time spent
    inside GEOS (shapely's calls timed)."""
    from lnrs_toolkit.plugin.core.screening import batch, chunk
    from lnrs_toolkit.plugin.core.screening.engine import screen_sites

    def timed() -> float:
        cold(index)
        t0 = time.perf_counter()
        screen_sites(index, sites, refs)
        return time.perf_counter() - t0

    assemble = chunk._chunk_results
    out: dict[str, float] = {"cores": float(batch._workers())}
    chunk._chunk_results = lambda *a: []  # type: ignore[assignment]  # geometry only: no results are built
    try:
        out["geometry_s"] = min(timed() for _ in range(2))
    finally:
        chunk._chunk_results = assemble
    geos = [0.0]
    saved: dict[str, Callable[..., Any]] = {}

    def clocked(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(*a: Any, **k: Any) -> Any:
            t = time.thread_time()
            try:
                return fn(*a, **k)
            finally:
                geos[0] += time.thread_time() - t
        return call

    for name in GEOS_FUNCTIONS:
        saved[name] = getattr(shapely, name)
        setattr(shapely, name, clocked(saved[name]))
    query = shapely.STRtree.query
    shapely.STRtree.query = clocked(query)  # type: ignore[method-assign]
    workers = batch._WORKERS
    batch._WORKERS = 1
    try:
        out["one_core_s"] = timed()
        out["one_core_geos_s"] = geos[0]
        chunk._chunk_results = lambda *a: []  # type: ignore[assignment]
        geos[0] = 0.0
        out["one_core_geometry_s"] = timed()
        out["one_core_geometry_geos_s"] = geos[0]
    finally:
        chunk._chunk_results = assemble
        batch._WORKERS = workers
        shapely.STRtree.query = query  # type: ignore[method-assign]
        for name, fn in saved.items():
            setattr(shapely, name, fn)
    return out


if __name__ == "__main__":
    sys.exit(main())
