"""Benchmark worker: the LNRS Toolkit screening engine (run by scripts/bench.py in its own process)."""

from __future__ import annotations

import gc
import sys
import time

import bench_data as bd
import numpy as np
import shapely


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
    for cache in (index._tree_buffers, index._habitat_buffers, index._zones,  # the batch starts cold, as before
                  *(li._texts for li in (index.irreplaceable, index.trees, index.designated) if li is not None)):
        cache.clear()

    t0 = time.perf_counter()
    results = screen_sites(index, site_list, refs)
    t_batch = time.perf_counter() - t0

    lat = []
    for i in range(min(args.single, len(site_list))):
        t = time.perf_counter()
        screen_sites(index, [site_list[i]], [refs[i]])
        lat.append(1000.0 * (time.perf_counter() - t))
    errors = [r for r in results if not hasattr(r, "irreplaceable")]
    bd.dump(args.out, {
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


if __name__ == "__main__":
    sys.exit(main())
