"""Benchmark data: deterministic county-scale Local Habitat Map packs and sites, and the shared answer format.

Every map is drawn from ``numpy.random.default_rng`` with a fixed seed, so the same size and seed always
give the same pack (cached under ``build/bench`` by size, seed and generator version). Feature density is
constant (``DENSITY_PER_KM2`` opportunity polygons per km²), so a bigger map is a bigger area: 10k is a
district, 100k a county (50 km x 50 km), 1M a region.

The answer format the three pipelines (engine, QGIS Processing, geopandas) are compared on, per site:
``irr`` {fid: (overlap_m2, distance_m, in_buffer, buffer_intrusion_m2)} for irreplaceable polygons, ``trees``
{fid: (distance_m, in_buffer, buffer_intrusion_m2)}, ``des`` {fid: (overlap_m2, distance_m)}, ``codes``
{code: union area m²} and ``mapped`` {"area": union of all opportunity areas on the site, m²}. The rules
(search distance, buffers, sliver tolerance, the measure area threshold) are the engine's defaults, restated
here in :func:`in_buffer_polygon`, :func:`in_buffer_tree`, :func:`tree_buffer` and :func:`intrusion_polygon`
for the peers. Buffer zones are GEOS buffers with 16 segments a quarter circle, as in the engine.

Run as a script to build one pack and its sites: ``python scripts/bench_data.py --size 100000``.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
PKGROOT = ROOT / "build" / "pkgroot"
BENCH_DIR = ROOT / "build" / "bench"


def ensure_import_path() -> None:
    """Make the repository importable as ``lnrs_toolkit`` (as tests/conftest.py does)."""
    PKGROOT.mkdir(parents=True, exist_ok=True)
    link = PKGROOT / "lnrs_toolkit"
    if not link.exists():
        with contextlib.suppress(FileExistsError):
            link.symlink_to(ROOT, target_is_directory=True)
    if str(PKGROOT) not in sys.path:
        sys.path.insert(0, str(PKGROOT))


ensure_import_path()

from lnrs_toolkit.plugin.core.pack.schema import Column, TableSpec  # noqa: E402

GEN_VERSION = 1
SEED = 20240917
N_SITES = 5000
SIZES: dict[str, int] = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
DENSITY_PER_KM2 = 40.0
ORIGIN = (300_000.0, 100_000.0)  # south-west corner, British National Grid metres

# Engine defaults restated for the peers (plugin/core/metric/buffers.py, plugin/core/screening/options.py).
SEARCH_M = 500.0
SLIVER_M2 = 1.0
HABITAT_BUFFER_M = {"ancient_woodland": 15.0}
STEM_MULTIPLIER, CANOPY_MARGIN_M, ASSUMED_TREE_BUFFER_M = 15.0, 5.0, 15.0

SITES_SPEC = TableSpec("sites", "sites", "Benchmark sites", "MULTIPOLYGON", (Column("ref", "TEXT"),))

THEMES = {"WD": ("Woodland", 14, "Woodland and forest;Individual trees"),
          "FW": ("Freshwater", 16, "Lakes;Wetland;Watercourse footprint;Rivers and streams"),
          "GL": ("Grassland", 12, "Grassland;Heathland and shrub"),
          "HE": ("Heathland", 6, "Heathland and shrub"),
          "FM": ("Farmland", 10, "Cropland;Hedgerows;Grassland")}
CODES: tuple[str, ...] = tuple(f"{p}{i:03d}" for p, (_, n, _) in THEMES.items() for i in range(1, n + 1))
UNCATALOGUED = "XX999"  # mapped but missing from the catalogue (rare)
DESIGNATION_SHARE = {"SSSI": 0.30, "LWS": 0.40, "LNR": 0.10, "SAC": 0.05, "SPA": 0.05, "Ramsar": 0.05, "NNR": 0.05}
OTHER_IRREPLACEABLE = ("lowland_fen", "blanket_bog", "limestone_pavement")


# --------------------------------------------------------------------------- shapes
def extent_for(n_opportunity: int) -> tuple[float, float, float, float]:
    side = 1000.0 * math.sqrt(n_opportunity / DENSITY_PER_KM2)
    x0, y0 = ORIGIN
    return (x0, y0, x0 + side, y0 + side)


def log_uniform(rng: np.random.Generator, lo: float, hi: float, n: int) -> np.ndarray:
    return np.exp(rng.uniform(math.log(lo), math.log(hi), n))


def blobs(rng: np.random.Generator, cx: np.ndarray, cy: np.ndarray, area: np.ndarray, kmin: int, kmax: int,
          irregularity: float, max_aspect: float = 2.5) -> np.ndarray:
    """Star-shaped polygons (always valid) of about ``area`` m², vectorised per vertex count."""
    n = len(cx)
    out = np.empty(n, dtype=object)
    k_all = rng.integers(kmin, kmax + 1, n)
    aspect = rng.uniform(1.0, max_aspect, n)
    theta = rng.uniform(0.0, math.pi, n)
    for k in np.unique(k_all):
        idx = np.flatnonzero(k_all == k)
        m = len(idx)
        step = 2 * math.pi / k
        ang = np.arange(k) * step + rng.uniform(0.0, 0.8 * step, (m, k)) + rng.uniform(0, 2 * math.pi, (m, 1))
        r = 1.0 + irregularity * rng.uniform(-1.0, 1.0, (m, k))
        x = r * np.cos(ang) * aspect[idx, None]
        y = r * np.sin(ang)
        c, s = np.cos(theta[idx, None]), np.sin(theta[idx, None])
        x, y = x * c - y * s, x * s + y * c
        unit = 0.5 * np.abs((x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y).sum(axis=1))
        scale = np.sqrt(area[idx] / unit)[:, None]
        xs = cx[idx, None] + scale * x
        ys = cy[idx, None] + scale * y
        ring = np.stack([np.concatenate([xs, xs[:, :1]], axis=1), np.concatenate([ys, ys[:, :1]], axis=1)], axis=2)
        out[idx] = shapely.polygons(ring)
    return out


def uniform_centres(rng: np.random.Generator, n: int, ext: tuple[float, float, float, float],
                    inset: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = ext
    return rng.uniform(x0 + inset, x1 - inset, n), rng.uniform(y0 + inset, y1 - inset, n)


# --------------------------------------------------------------------------- the map
@dataclass
class Table:
    geoms: np.ndarray | None
    columns: dict[str, list[Any]]


def _rng(seed: int, n: int, layer: int) -> np.random.Generator:
    return np.random.default_rng([seed, n, layer, GEN_VERSION])


def make_map(n: int, seed: int = SEED) -> dict[str, Table]:
    """The layers of an ``n``-opportunity-polygon map, as geometries and columns (deterministic)."""
    ext = extent_for(n)
    tables: dict[str, Table] = {}

    rng = _rng(seed, n, 1)
    cx, cy = uniform_centres(rng, n, ext)
    geoms = blobs(rng, cx, cy, log_uniform(rng, 1000.0, 50_000.0, n), 12, 40, 0.35)
    n_codes = rng.choice([1, 2, 3, 4], n, p=[0.4, 0.3, 0.2, 0.1])
    weights = 1.0 / np.arange(1, len(CODES) + 1) ** 0.7
    weights /= weights.sum()
    picks = rng.choice(len(CODES), (n, 4), p=weights)
    odd = rng.random(n) < 0.002
    measures = []
    for i in range(n):
        codes = list(dict.fromkeys(CODES[j] for j in picks[i, :n_codes[i]]))
        if odd[i]:
            codes.append(UNCATALOGUED)
        measures.append(";".join(codes))
    tables["opportunity_areas"] = Table(geoms, {
        "measures": measures, "name": [None] * n, "ref": [f"OA{i + 1}" for i in range(n)],
        "source_layer": ["bench"] * n})

    rng = _rng(seed, n, 2)
    m = max(1, n // 20)
    cx, cy = uniform_centres(rng, m, ext)
    geoms = blobs(rng, cx, cy, log_uniform(rng, 5000.0, 300_000.0, m), 16, 60, 0.4)
    kind = rng.random(m)
    htype = ["ancient_woodland" if k < 0.9 else OTHER_IRREPLACEABLE[int((k - 0.9) * 30) % 3] for k in kind]
    status_pick = rng.choice(["ASNW", "PAWS", "wood_pasture"], m, p=[0.6, 0.3, 0.1])
    tables["irreplaceable_habitats"] = Table(geoms, {
        "habitat_type": htype,
        "status": [str(s) if h == "ancient_woodland" else None for s, h in zip(status_pick, htype)],
        "name": [f"Wood {i + 1}" for i in range(m)], "ref": [f"AW{i + 1}" for i in range(m)],
        "source_layer": ["bench"] * m})

    rng = _rng(seed, n, 3)
    t = max(1, n // 5)
    cx, cy = uniform_centres(rng, t, ext)
    has = rng.random(t)
    stem = np.where(has < 0.7, rng.uniform(0.4, 2.5, t), np.nan)   # 70% have a stem diameter
    crown = np.where((has > 0.5) & (has < 0.9), rng.uniform(3.0, 15.0, t), np.nan)  # 40% a crown radius
    tables["ancient_trees"] = Table(shapely.points(cx, cy), {
        "status": [str(s) for s in rng.choice(["ancient", "veteran", "notable"], t, p=[0.2, 0.7, 0.1])],
        "name": [None] * t, "ref": [f"T{i + 1}" for i in range(t)],
        "stem_diameter_m": [None if math.isnan(v) else round(float(v), 2) for v in stem],
        "crown_radius_m": [None if math.isnan(v) else round(float(v), 1) for v in crown],
        "source_layer": ["bench"] * t})

    rng = _rng(seed, n, 4)
    d = max(len(DESIGNATION_SHARE), n // 40)
    cx, cy = uniform_centres(rng, d, ext)
    geoms = blobs(rng, cx, cy, log_uniform(rng, 10_000.0, 2_000_000.0, d), 24, 80, 0.45)
    names = list(DESIGNATION_SHARE)
    desig = [names[i] for i in rng.choice(len(names), d, p=list(DESIGNATION_SHARE.values()))]
    tables["designated_sites"] = Table(geoms, {
        "designation": desig, "name": [f"{x} site {i + 1}" for i, x in enumerate(desig)],
        "ref": [f"DS{i + 1}" for i in range(d)], "source_layer": ["bench"] * d})

    x0, y0, x1, y1 = ext
    pad = 2000.0
    area = shapely.Polygon([(x0 - pad, y0 - pad), ((x0 + x1) / 2, y0 - 1.5 * pad), (x1 + pad, y0 - pad),
                            (x1 + 1.5 * pad, (y0 + y1) / 2), (x1 + pad, y1 + pad), (x0 - pad, y1 + pad)])
    tables["strategy_area"] = Table(np.array([area], dtype=object),
                                    {"name": ["Bench county"], "source_layer": ["bench"]})

    codes = [*CODES]
    tables["measures"] = Table(None, {
        "code": codes, "habitat_theme": [THEMES[c[:2]][0] for c in codes],
        "priority": [f"P{1 + i % 3}" for i in range(len(codes))],
        "measure": [f"{THEMES[c[:2]][0]} measure {c}" for c in codes],
        "habitats": [THEMES[c[:2]][2] for c in codes], "source_layer": ["bench"] * len(codes)})
    return tables


def make_sites(n_sites: int, ext: tuple[float, float, float, float], seed: int = SEED) -> np.ndarray:
    """``n_sites`` development sites of 0.1-20 ha: rectangles, irregular blobs, two-part sites, holes."""
    rng = np.random.default_rng([seed, n_sites, 99, GEN_VERSION])
    cx, cy = uniform_centres(rng, n_sites, ext, inset=1000.0)
    area = log_uniform(rng, 1000.0, 200_000.0, n_sites)
    kind = rng.random(n_sites)
    rect = blobs(rng, cx, cy, area, 4, 4, 0.0, 4.0)  # four vertices at jittered angles: quadrilaterals
    irregular = blobs(rng, cx, cy, area, 20, 60, 0.6)
    out = np.where(kind < 0.5, rect, irregular)
    two = np.flatnonzero((kind >= 0.85) & (kind < 0.95))
    if len(two):
        r = np.sqrt(area[two])
        first = blobs(rng, cx[two], cy[two], area[two] * 0.5, 4, 12, 0.3, 2.0)
        second = blobs(rng, cx[two] + 3.0 * r + rng.uniform(20.0, 200.0, len(two)), cy[two], area[two] * 0.5,
                       6, 12, 0.3, 1.0)
        out[two] = shapely.union(first, second)  # two separate parts: a MultiPolygon
    holed = np.flatnonzero(kind >= 0.95)
    if len(holed):
        inner = blobs(rng, cx[holed], cy[holed], area[holed] * 0.1, 6, 10, 0.1, 1.0)
        out[holed] = shapely.difference(out[holed].astype(object), inner)
    return out.astype(object)


# --------------------------------------------------------------------------- files
def pack_path(n: int, seed: int = SEED) -> Path:
    return BENCH_DIR / f"pack_{n}_s{seed}_g{GEN_VERSION}.gpkg"


def sites_path(n: int, seed: int = SEED, n_sites: int = N_SITES) -> Path:
    return BENCH_DIR / f"sites_{n_sites}_for_{n}_s{seed}_g{GEN_VERSION}.gpkg"


def write_pack(path: Path, tables: dict[str, Table], n: int, seed: int) -> None:
    from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw
    from lnrs_toolkit.plugin.core.pack.gpkg_writer import init_geopackage, write_metadata, write_table
    from lnrs_toolkit.plugin.core.pack.schema import TABLES_BY_NAME

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = connect_rw(tmp)
    try:
        init_geopackage(conn)
        conn.execute("BEGIN")
        for name, table in tables.items():
            write_table(conn, TABLES_BY_NAME[name], table.columns, table.geoms)
        write_metadata(conn, {"schema_version": "1", "lnrs_name": f"Bench county {n}", "version": f"bench-{seed}",
                              "responsible_authority": "Benchmark", "source": "scripts/bench_data.py",
                              "licence": "synthetic", "provenance": f"generator v{GEN_VERSION}, seed {seed}"})
        conn.execute("COMMIT")
    finally:
        conn.close()
    os.replace(tmp, path)


def write_sites(path: Path, geoms: np.ndarray) -> None:
    from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw
    from lnrs_toolkit.plugin.core.pack.gpkg_writer import init_geopackage, write_table

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    conn = connect_rw(tmp)
    try:
        init_geopackage(conn)
        conn.execute("BEGIN")
        write_table(conn, SITES_SPEC, {"ref": [f"S{i + 1}" for i in range(len(geoms))]}, geoms)
        conn.execute("COMMIT")
    finally:
        conn.close()
    os.replace(tmp, path)


def read_sites(path: Path) -> tuple[list[str], np.ndarray]:
    from lnrs_toolkit.plugin.core.pack.gpkg import open_readonly, read_layer

    conn = open_readonly(path)
    try:
        layer = read_layer(conn, SITES_SPEC)
    finally:
        conn.close()
    assert layer.geoms is not None
    return [str(r) for r in layer.columns["ref"]], layer.geoms


def ensure(n: int, seed: int = SEED, n_sites: int = N_SITES) -> tuple[Path, Path, float]:
    """The pack and sites files for size ``n`` (generated unless cached); seconds spent generating."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    pp, sp = pack_path(n, seed), sites_path(n, seed, n_sites)
    if not pp.exists():
        write_pack(pp, make_map(n, seed), n, seed)
    if not sp.exists():
        write_sites(sp, make_sites(n_sites, extent_for(n), seed))
    return pp, sp, time.perf_counter() - t0


# --------------------------------------------------------------------------- rules and answers
def tree_buffer(stem: float | None, crown: float | None) -> float:
    """The standing-advice buffer of one tree (engine default BufferRules.for_tree)."""
    cands = []
    if stem is not None and not math.isnan(stem) and stem > 0:
        cands.append(STEM_MULTIPLIER * stem)
    if crown is not None and not math.isnan(crown) and crown > 0:
        cands.append(crown + CANOPY_MARGIN_M)
    return max(cands) if cands else ASSUMED_TREE_BUFFER_M


def in_buffer_polygon(habitat_type: str, overlap: float, distance: float) -> bool:
    buf = HABITAT_BUFFER_M.get(habitat_type, 0.0)
    return overlap >= SLIVER_M2 or (buf > 0 and distance < buf)


def in_buffer_tree(buffer_m: float, distance: float) -> bool:
    return distance == 0 or distance < buffer_m


def intrusion_polygon(habitat_type: str, overlap: float, distance: float, in_zone: float) -> float:
    """Site area in a polygon's buffer zone beyond the overlap (``in_zone``: site ∩ zone area)."""
    if not (in_buffer_polygon(habitat_type, overlap, distance) and HABITAT_BUFFER_M.get(habitat_type, 0.0) > 0):
        return 0.0
    return max(0.0, in_zone - overlap)


def measure_threshold(site_area: float) -> float:
    return min(SLIVER_M2, 0.5 * site_area)


def empty_answer() -> dict[str, dict[Any, Any]]:
    return {"irr": {}, "trees": {}, "des": {}, "codes": {}, "mapped": {"area": 0.0}}


def from_engine(results: list[Any]) -> list[dict[str, dict[Any, Any]]]:
    """The comparison answer of each engine ScreeningResult."""
    out = []
    for r in results:
        a = empty_answer()
        for f in r.irreplaceable:
            if f.layer == "ancient_trees":
                a["trees"][f.fid] = (f.distance_m, f.in_buffer, f.buffer_intrusion_m2)
            else:
                a["irr"][f.fid] = (f.overlap_m2, f.distance_m, f.in_buffer, f.buffer_intrusion_m2)
        for f in r.designated_sites:
            a["des"][f.fid] = (f.overlap_m2, f.distance_m)
        for m in r.measures:
            a["codes"][m.code] = m.overlap_m2
        a["mapped"]["area"] = r.strategic_significance.mapped_area_m2
        out.append(a)
    return out


def compare(a: list[dict[str, dict[Any, Any]]], b: list[dict[str, dict[Any, Any]]], area_tol: float = 0.01,
            dist_tol: float = 0.001) -> tuple[int, list[str]]:
    """(number of mismatching items, the first few described) between two answer lists."""
    problems: list[str] = []
    count = 0

    def bad(msg: str) -> None:
        nonlocal count
        count += 1
        if len(problems) < 10:
            problems.append(msg)

    if len(a) != len(b):
        bad(f"{len(a)} answers against {len(b)}")
        return count, problems
    for s, (x, y) in enumerate(zip(a, b)):
        for key in ("irr", "trees", "des", "codes", "mapped"):
            xa, ya = x[key], y[key]
            if set(xa) != set(ya):
                bad(f"site {s + 1} {key}: {sorted(set(xa) ^ set(ya))[:5]} not in both")
            for k in set(xa) & set(ya):
                u, v = xa[k], ya[k]
                if key in ("codes", "mapped"):
                    u, v = (u,), (v,)
                tols = {"irr": (area_tol, dist_tol, None, area_tol), "trees": (dist_tol, None, area_tol),
                        "des": (area_tol, dist_tol), "codes": (area_tol,), "mapped": (area_tol,)}[key]
                for p, q, tol in zip(u, v, tols):
                    if (tol is None and bool(p) != bool(q)) or (tol is not None and abs(float(p) - float(q)) > tol):
                        bad(f"site {s + 1} {key} {k}: {u} != {v}")
                        break
    return count, problems


def reference_answers(tables: dict[str, Table], sites: np.ndarray) -> list[dict[str, dict[Any, Any]]]:
    """Brute force, no spatial index: every site against every feature (for tiny maps in tests)."""
    out = []
    fid = {name: np.arange(1, len(t.columns[next(iter(t.columns))]) + 1) for name, t in tables.items()}
    irr, trees, des, opp = (tables[k] for k in ("irreplaceable_habitats", "ancient_trees", "designated_sites",
                                                 "opportunity_areas"))
    for site in sites:
        a = empty_answer()
        for k, g in enumerate(irr.geoms if irr.geoms is not None else []):
            dist = float(site.distance(g))
            if dist <= SEARCH_M:
                ov = float(site.intersection(g).area) if dist == 0 else 0.0
                htype = irr.columns["habitat_type"][k]
                buf = HABITAT_BUFFER_M.get(htype, 0.0)
                zone = float(site.intersection(shapely.buffer(g, buf, quad_segs=16)).area) if buf > 0 else 0.0
                a["irr"][int(fid["irreplaceable_habitats"][k])] = (
                    ov, dist, in_buffer_polygon(htype, ov, dist), intrusion_polygon(htype, ov, dist, zone))
        for k, g in enumerate(trees.geoms if trees.geoms is not None else []):
            dist = float(site.distance(g))
            buf = tree_buffer(trees.columns["stem_diameter_m"][k], trees.columns["crown_radius_m"][k])
            if dist <= max(SEARCH_M, buf):
                inside = in_buffer_tree(buf, dist)
                zone = float(site.intersection(shapely.buffer(g, buf, quad_segs=16)).area) if inside else 0.0
                a["trees"][int(fid["ancient_trees"][k])] = (dist, inside, zone)
        for k, g in enumerate(des.geoms if des.geoms is not None else []):
            dist = float(site.distance(g))
            if dist <= SEARCH_M:
                a["des"][int(fid["designated_sites"][k])] = (float(site.intersection(g).area) if dist == 0 else 0.0,
                                                             dist)
        pieces: dict[str, list[Any]] = {}
        every: list[Any] = []
        for k, g in enumerate(opp.geoms if opp.geoms is not None else []):
            if not site.intersects(g):
                continue
            piece = site.intersection(g)
            if piece.area <= 0:
                continue
            every.append(piece)
            for code in dict.fromkeys(c.strip().upper() for c in opp.columns["measures"][k].split(";") if c.strip()):
                pieces.setdefault(code, []).append(piece)
        threshold = measure_threshold(float(site.area))
        for code, parts in pieces.items():
            area = float(shapely.union_all(parts).area)
            if area >= threshold:
                a["codes"][code] = area
        a["mapped"]["area"] = float(shapely.union_all(every).area) if every else 0.0
        out.append(a)
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: per process image, so a parent's size is not counted)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker_args(description: str) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--pack", type=Path, required=True)
    ap.add_argument("--sites", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True, help="pickle with timings, peak memory and answers")
    ap.add_argument("--single", type=int, default=500, help="sites screened one by one for latency")
    return ap.parse_args()


def dump(path: Path, record: dict[str, Any]) -> None:
    import pickle

    record["peak_rss_mb"] = peak_rss_mb()
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(record, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, required=True, help="opportunity polygons")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--sites", type=int, default=N_SITES)
    args = ap.parse_args(argv)
    pp, sp, secs = ensure(args.size, args.seed, args.sites)
    print(f"{pp}\n{sp}\n{secs:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
