"""Benchmark worker: the first answer without loading the pack (its R-tree; run by scripts/bench.py).

"first_s" is the time from opening the pack file to the first screened site, the officer's wait; then
``--single`` sites are screened one by one for latency, each from its own window. Its answers for those
sites are compared with the whole-pack engine's by scripts/bench.py. Peak memory is this process's own.
"""

from __future__ import annotations

import gc
import sys
import time

import bench_data as bd
import numpy as np


def main() -> int:
    args = bd.worker_args(__doc__ or "")
    from lnrs_toolkit.plugin.core.screening.windowed import WindowedPack

    refs, sites = bd.read_sites(args.sites)
    site_list = list(sites)
    n = max(1, min(args.single, len(site_list)))
    gc.collect()

    t0 = time.perf_counter()
    pack = WindowedPack(args.pack)
    t_open = time.perf_counter() - t0
    first = pack.screen_sites([site_list[0]], [refs[0]])
    t_first = time.perf_counter() - t0

    results = list(first)
    lat = []
    for i in range(1, n):
        t = time.perf_counter()
        results.extend(pack.screen_sites([site_list[i]], [refs[i]]))
        lat.append(1000.0 * (time.perf_counter() - t))
    errors = [r for r in results if not hasattr(r, "irreplaceable")]
    bd.dump(args.out, {
        "method": "windowed", "open_s": t_open, "first_s": t_first, "sites": n,
        "single_p50_ms": float(np.percentile(lat, 50)) if lat else None,
        "single_p95_ms": float(np.percentile(lat, 95)) if lat else None,
        "single_max_ms": float(max(lat)) if lat else None,
        "site_errors": len(errors),
        "answers": bd.from_engine([r for r in results if hasattr(r, "irreplaceable")]) if not errors else [],
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
