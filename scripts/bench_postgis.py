"""Benchmark worker: screening against a pack in PostGIS (run by scripts/bench.py in its own process).

The neighbourhood query runs in the database (``adapters/postgis_windows.PostgisWindows``: ``geom && envelope``
on the GiST indexes) and the one engine does the exact work (``WindowedPack``). "first_s" is the time from
connecting to the first screened site; then ``--single`` sites one by one for latency; then the whole batch of
sites pushed down, a tile of sites at a time ("batch_s": one neighbourhood query per table and tile), against
reading the whole pack from PostGIS first and screening the batch in memory ("full_load_s" + "full_batch_s").
Both batches' answers go back to scripts/bench.py, which compares them with the engine's on the GeoPackage.

The database: scripts/bench.py starts PostgreSQL on loopback (tests/qgis/postgis_server.running_server, the
server the PostGIS tests use, its cluster kept in build/bench/pg) and :func:`load_pack` copies the GeoPackage
pack into a schema with COPY (tables as ``lnrs:publishpack`` creates them: adapters/pack_source.create_table_sql),
once per pack content: a schema holding the same content hash is used as it is. The worker reads the server's
libpq parameters (JSON) from LNRS_BENCH_PG and the schema from LNRS_BENCH_SCHEMA.
"""

from __future__ import annotations

import io
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import bench_data as bd
import numpy as np
import shapely

COPY_ROWS = 50_000  # rows sent per COPY


def _cell(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return "NaN" if math.isnan(f) else ("Infinity" if f > 0 else "-Infinity") if math.isinf(f) else repr(f)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _hex_ewkb(spec: Any, geoms: np.ndarray) -> list[str | None]:
    """Each geometry as hex EWKB in EPSG:27700 (polygons made multi for a MultiPolygon column), None if empty."""
    from lnrs_toolkit.plugin.core.pack.schema import PACK_CRS_EPSG

    out: list[str | None] = [None] * len(geoms)
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    if not present.any():
        return out
    g = np.asarray(geoms[present], dtype=object).copy()
    if spec.geometry_type == "MULTIPOLYGON":
        single = shapely.get_type_id(g) == 3
        if single.any():
            g[single] = shapely.multipolygons(g[single], indices=np.arange(int(single.sum())))
    hexes = shapely.to_wkb(shapely.set_srid(g, PACK_CRS_EPSG), hex=True, include_srid=True, output_dimension=2)
    for i, h in zip(np.flatnonzero(present).tolist(), hexes):
        out[i] = str(h)
    return out


def load_pack(params: dict[str, Any], pack_path: Path, schema: str) -> tuple[float, bool]:
    """The GeoPackage pack copied into ``schema`` (unless it holds this content already): (seconds, cached)."""
    import psycopg2
    from lnrs_toolkit.plugin.adapters.pack_source import _quote_ident, create_table_sql, metadata_sql
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.pack.schema import METADATA, TABLES
    from lnrs_toolkit.plugin.core.pack.window import read_outline

    want = read_outline(pack_path).metadata.content_sha256
    qs = _quote_ident(schema)
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass(%s)", (f"{qs}.{METADATA.name}",))
            if cur.fetchone()[0] is not None:
                cur.execute(f"SELECT value FROM {qs}.{METADATA.name} WHERE key = 'content_sha256'")
                row = cur.fetchone()
                if row is not None and row[0] == want:
                    return 0.0, True
            t0 = time.perf_counter()
            pack = read_pack(pack_path)
            cur.execute(f"DROP SCHEMA IF EXISTS {qs} CASCADE")
            cur.execute(f"CREATE SCHEMA {qs}")
            for spec in TABLES:
                if spec is METADATA:
                    continue
                layer = pack.layers.get(spec.name)
                if layer is None:
                    continue
                cur.execute(create_table_sql(qs, spec))
                names = ["fid", *(["geom"] if spec.is_spatial else []), *spec.column_names]
                wkb = _hex_ewkb(spec, layer.geoms) if spec.is_spatial and layer.geoms is not None else None
                columns = [layer.columns[c] for c in spec.column_names]
                for lo in range(0, len(layer), COPY_ROWS):
                    buf = io.StringIO()
                    for i in range(lo, min(len(layer), lo + COPY_ROWS)):
                        cells = [str(int(layer.fids[i]))]
                        if wkb is not None:
                            cells.append(wkb[i] or r"\N")
                        cells.extend(_cell(col[i]) for col in columns)
                        buf.write("\t".join(cells) + "\n")
                    buf.seek(0)
                    cur.copy_expert(f"COPY {qs}.{_quote_ident(spec.name)} ({', '.join(names)}) FROM STDIN", buf)
                if spec.is_spatial:
                    cur.execute(f"CREATE INDEX ON {qs}.{_quote_ident(spec.name)} USING gist (geom)")
                cur.execute(f"ANALYZE {qs}.{_quote_ident(spec.name)}")
            cur.execute(metadata_sql(qs, pack))  # last: a schema with its hash is a whole copy
            return time.perf_counter() - t0, False
    finally:
        conn.close()


def main() -> int:
    args = bd.worker_args(__doc__ or "")
    from lnrs_toolkit.plugin.adapters.postgis_windows import PostgisWindows
    from lnrs_toolkit.plugin.core.pack.window import window_pack
    from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
    from lnrs_toolkit.plugin.core.screening.windowed import WindowedPack

    params = json.loads(os.environ["LNRS_BENCH_PG"])
    schema = os.environ["LNRS_BENCH_SCHEMA"]
    refs, sites = bd.read_sites(args.sites)
    site_list = list(sites)
    n = max(1, min(args.single, len(site_list)))

    t0 = time.perf_counter()
    source = PostgisWindows(f"bench/{schema}", schema, params)
    pack = WindowedPack(source)
    pack.screen_sites([site_list[0]], [refs[0]])
    t_first = time.perf_counter() - t0
    lat = []
    for i in range(1, n):
        t = time.perf_counter()
        pack.screen_sites([site_list[i]], [refs[i]])
        lat.append(1000.0 * (time.perf_counter() - t))

    t0 = time.perf_counter()
    pushed = pack.screen_sites(site_list, refs)
    t_batch = time.perf_counter() - t0
    pushdown_peak_mb = bd.peak_rss_mb()  # before the whole read below

    t0 = time.perf_counter()
    outline = source.outline()
    whole = window_pack(outline, (), lambda spec: source.read_all(outline, spec),
                        lambda spec: source.read_all(outline, spec))
    index = PackIndex.build(whole)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    loaded = screen_sites(index, site_list, refs)
    t_full = time.perf_counter() - t0
    source.close()

    def answers(results: list[Any]) -> tuple[int, list[Any]]:
        errors = [r for r in results if not hasattr(r, "irreplaceable")]
        return len(errors), bd.from_engine(results) if not errors else []

    errors, pushed_answers = answers(pushed)
    full_errors, loaded_answers = answers(loaded)
    bd.dump(args.out, {
        "method": "postgis", "first_s": t_first, "sites": len(site_list),
        "single_p50_ms": float(np.percentile(lat, 50)) if lat else None,
        "single_p95_ms": float(np.percentile(lat, 95)) if lat else None,
        "batch_s": t_batch, "pushdown_peak_mb": pushdown_peak_mb, "full_load_s": t_load, "full_batch_s": t_full,
        "site_errors": errors + full_errors, "answers": pushed_answers, "full_answers": loaded_answers,
    })
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
