"""Parcel bench: a generated 12,000-parcel Defra GeoPackage (Natural England template) with hedgerows and
watercourses, checked and scored by the engine (QA + significance + filled copy) against the same split done
with QGIS native Processing algorithms, each in its own process.

Data (deterministic, ``--seed``): 120 x 100 parcels tiling a 3 km x 2 km red line (irregular grid, four habitat
types), 2,000 hedgerows along parcel edges and 500 watercourses (Defra's own service was load-tested at
11,554 parcels); a pack whose LNRS is not yet published (Table 8: High and Medium at baseline) with 300
opportunity areas (GL001 grassland, WD001 woodland, HW001 hedgerows and watercourses), 60 interim areas and
two planning authorities splitting the site.

- engine: ``read_defra_file`` + ``assess_defra_file`` (Defra's QA rules and the significance split of every
  module, LPAs included) + ``write_defra_file`` (the filled copy).
- qgis: per measure group, ``native:extractbyexpression`` + ``native:dissolve`` for the zones,
  ``native:intersection`` / ``native:difference`` for High, Medium and Low, ``native:intersection`` with the
  authorities, ``native:mergevectorlayers`` and ``native:savefeatures`` to a GeoPackage (the split only: no QA).

Both answers are compared: area (m²) and length (m) per module and category within 0.01 %. Targets: the engine
run <= 10 s and >= 5x faster than the QGIS pipeline. Prints one line per figure; writes
build/bench/parcels.json.

    build/venv/bin/python scripts/bench_parcels.py [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH_DIR = ROOT / "build" / "bench"
X0, Y0, COLS, ROWS, CELL_W, CELL_H = 420000.0, 420000.0, 120, 100, 25.0, 20.0
N_HEDGES, N_RIVERS, N_OPP, N_INTERIM = 2000, 500, 300, 60
HABITATS = (("Grassland", "Modified grassland"), ("Woodland and forest", "Other woodland; broadleaved"),
            ("Urban", "Developed land; sealed surface"), ("Grassland", "Other neutral grassland"))
GROUPS = {"GL001": ("area", "Grassland"), "WD001": ("area", "Woodland and forest"), "HW001": ("lines", None)}
TARGETS = {"engine_s": 10.0, "qgis_ratio": 5.0}


def _pkgroot() -> None:
    pkg = ROOT / "build" / "pkgroot"
    pkg.mkdir(parents=True, exist_ok=True)
    if not (pkg / "lnrs_toolkit").exists():
        (pkg / "lnrs_toolkit").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(pkg))


# --------------------------------------------------------------------------- data
def make_data(seed: int) -> tuple[Path, Path, Path]:
    """(survey GeoPackage, pack, LPA GeoPackage), made once per seed."""
    from osgeo import ogr, osr
    from shapely.geometry import LineString, Point, box

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    survey, pack, lpas = (BENCH_DIR / f"parcels_{seed}.gpkg", BENCH_DIR / f"parcels_pack_{seed}.gpkg",
                          BENCH_DIR / f"parcels_lpas_{seed}.gpkg")
    if survey.exists() and pack.exists() and lpas.exists():
        return survey, pack, lpas
    rnd = random.Random(seed)
    xs = [X0 + CELL_W * i + (rnd.uniform(-5, 5) if 0 < i < COLS else 0) for i in range(COLS + 1)]
    ys = [Y0 + CELL_H * j + (rnd.uniform(-4, 4) if 0 < j < ROWS else 0) for j in range(ROWS + 1)]
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    for p in (survey, pack, lpas):
        p.unlink(missing_ok=True)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(survey))

    def layer(name: str, kind: int, fields: list[tuple[str, int]]) -> Any:
        lyr = ds.CreateLayer(name, srs, kind)
        for fname, ftype in fields:
            lyr.CreateField(ogr.FieldDefn(fname, ftype))
        return lyr

    def add(lyr: Any, geom: Any, values: dict[str, Any]) -> None:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in values.items():
            f.SetField(k, v)
        f.SetGeometry(ogr.CreateGeometryFromWkb(geom.wkb))
        lyr.CreateFeature(f)

    s = ogr.OFTString
    red = layer("Red Line Boundary", ogr.wkbPolygon, [("Site Name", s)])
    add(red, box(X0, Y0, xs[-1], ys[-1]), {"Site Name": "Bench site"})
    hab = layer("Habitats", ogr.wkbMultiPolygon, [
        ("Parcel Ref", s), ("Baseline Broad Habitat Type", s), ("Baseline Habitat Type", s), ("Area", ogr.OFTInteger),
        ("Baseline Condition", s), ("Baseline Strategic Significance", s)])
    ds.StartTransaction()
    n = 0
    for j in range(ROWS):
        for i in range(COLS):
            n += 1
            g = box(xs[i], ys[j], xs[i + 1], ys[j + 1])
            broad, htype = HABITATS[rnd.randrange(len(HABITATS))]
            add(hab, g, {"Parcel Ref": f"P{n}", "Baseline Broad Habitat Type": broad, "Baseline Habitat Type": htype,
                         "Area": int(round(g.area)), "Baseline Condition": "3. Moderate"})
    hedges = layer("Hedgerows", ogr.wkbLineString, [("Parcel Ref", s), ("Baseline Hedge Type", s),
                                                    ("Baseline Condition", s), ("Baseline Strategic Significance", s),
                                                    ("Length", ogr.OFTInteger)])
    for k in range(N_HEDGES):
        j, i = rnd.randrange(1, ROWS), rnd.randrange(0, COLS - 3)
        g = LineString([(xs[i], ys[j]), (xs[i + 3], ys[j])])
        add(hedges, g, {"Parcel Ref": f"H{k + 1}", "Baseline Hedge Type": "Native hedgerow",
                        "Baseline Condition": "Moderate", "Length": int(round(g.length))})
    rivers = layer("Rivers", ogr.wkbLineString, [("Parcel Ref", s), ("Baseline River Type", s),
                                                 ("Baseline Condition", s), ("Baseline Strategic Significance", s),
                                                 ("Length", ogr.OFTInteger)])
    for k in range(N_RIVERS):
        x, y = rnd.uniform(X0 + 50, xs[-1] - 250), rnd.uniform(Y0 + 50, ys[-1] - 50)
        pts = [(x + 40 * t, y + rnd.uniform(-30, 30)) for t in range(6)]
        g = LineString(pts)
        add(rivers, g, {"Parcel Ref": f"R{k + 1}", "Baseline River Type": "Other rivers and streams",
                        "Baseline Condition": "3. Moderate", "Length": int(round(g.length))})
    ds.CommitTransaction()
    ds = None

    _pkgroot()
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
    from lnrs_toolkit.plugin.core.pack.store import add_rows

    extent = box(X0 - 1000, Y0 - 1000, xs[-1] + 1000, ys[-1] + 1000)
    add_rows(pack, map_rows("area", [{}], [extent], FieldMapping(), "area", [], "polygon"),
             {"lnrs_name": "Parcel bench", "version": "1", "lnrs_status": "not_published"})
    codes = list(GROUPS)
    opp = [Point(rnd.uniform(X0, xs[-1]), rnd.uniform(Y0, ys[-1])).buffer(rnd.uniform(30, 120), 8)
           for _ in range(N_OPP)]
    add_rows(pack, map_rows("opportunity", [{"m": codes[k % 3]} for k in range(N_OPP)], opp,
                            FieldMapping(measures_field="m"), "opp", ["m"], "polygon"))
    interim = [Point(rnd.uniform(X0, xs[-1]), rnd.uniform(Y0, ys[-1])).buffer(rnd.uniform(50, 150), 8)
               for _ in range(N_INTERIM)]
    add_rows(pack, map_rows("interim", [{} for _ in interim], interim, FieldMapping(), "interim", [], "polygon"))
    add_rows(pack, map_rows("measures", [{"c": "GL001", "h": "Grassland"}, {"c": "WD001", "h": "Woodland and forest"},
                                         {"c": "HW001", "h": "Hedgerows;Watercourses"}], None,
                            FieldMapping(code_field="c", habitats_field="h"), "cat", ["c", "h"]))
    lds = ogr.GetDriverByName("GPKG").CreateDataSource(str(lpas))
    lyr = lds.CreateLayer("lpas", srs, ogr.wkbPolygon)
    lyr.CreateField(ogr.FieldDefn("name", ogr.OFTString))
    mid = X0 + (xs[-1] - X0) * 0.55
    for name, g in (("West", box(X0 - 1000, Y0 - 1000, mid, ys[-1] + 1000)),
                    ("East", box(mid, Y0 - 1000, xs[-1] + 1000, ys[-1] + 1000))):
        f = ogr.Feature(lyr.GetLayerDefn())
        f.SetField("name", name)
        f.SetGeometry(ogr.CreateGeometryFromWkb(g.wkb))
        lyr.CreateFeature(f)
    lds = None
    return survey, pack, lpas


# --------------------------------------------------------------------------- workers
def totals_engine(result: Any) -> dict[str, float]:
    out: dict[str, float] = {}
    for p in result.pieces:
        key = f"{'area' if p.module == 'area' else 'lines'}|{p.category}"
        out[key] = out.get(key, 0.0) + (p.area_m2 if p.module == "area" else p.length_m)
    return out


def engine_worker(survey: Path, pack: Path, lpas: Path, out: Path) -> dict[str, Any]:
    _pkgroot()
    from lnrs_toolkit.plugin.adapters.defra_file import assess_defra_file, read_defra_file, write_defra_file
    from lnrs_toolkit.plugin.core.screening.index_cache import load_index
    from osgeo import ogr
    from shapely import from_wkb

    t0, c0 = time.perf_counter(), time.process_time()
    index = load_index(str(pack))
    lds = ogr.Open(str(lpas))
    lpa = [(f.GetField("name"), from_wkb(bytes(f.GetGeometryRef().ExportToWkb()))) for f in lds.GetLayer(0)]
    t1 = time.perf_counter()
    dfile = read_defra_file(survey, "baseline")
    t2 = time.perf_counter()
    result = assess_defra_file(index, dfile, lpa)
    t3 = time.perf_counter()
    write_defra_file(dfile, result, out)
    t4 = time.perf_counter()
    return {"load_s": t1 - t0, "read_s": t2 - t1, "assess_s": t3 - t2, "write_s": t4 - t3, "total_s": t4 - t0,
            "cpu_s": time.process_time() - c0,
            "pieces": len(result.pieces), "issues": len(result.issues), "errors": len(result.errors),
            "totals": totals_engine(result)}


def qgis_worker(survey: Path, pack: Path, lpas: Path, out: Path) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    context, feedback = QgsProcessingContext(), QgsProcessingFeedback()

    def run(alg: str, params: dict[str, Any]) -> Any:
        return processing.run(alg, {**params, "OUTPUT": "memory:"}, context=context, feedback=feedback)["OUTPUT"]

    t0, c0 = time.perf_counter(), time.process_time()
    opp = QgsVectorLayer(f"{pack}|layername=opportunity_areas", "opp", "ogr")
    interim = QgsVectorLayer(f"{pack}|layername=interim_strategy", "interim", "ogr")
    lpa = QgsVectorLayer(f"{lpas}|layername=lpas", "lpas", "ogr")
    layers = {name: QgsVectorLayer(f"{survey}|layername={name}", name, "ogr")
              for name in ("Habitats", "Hedgerows", "Rivers")}
    medium_zone = run("native:dissolve", {"INPUT": interim})
    pieces: list[Any] = []
    totals: dict[str, float] = {}

    def split(features: Any, zone: Any | None, kind: str) -> None:
        rest = features
        if zone is not None:
            high = run("native:intersection", {"INPUT": features, "OVERLAY": zone, "INPUT_FIELDS": [],
                                               "OVERLAY_FIELDS": ["fid"]})
            pieces.append(("High", kind, run("native:intersection", {"INPUT": high, "OVERLAY": lpa})))
            rest = run("native:difference", {"INPUT": features, "OVERLAY": zone})
        medium = run("native:intersection", {"INPUT": rest, "OVERLAY": medium_zone, "OVERLAY_FIELDS": ["fid"]})
        low = run("native:difference", {"INPUT": rest, "OVERLAY": medium_zone})
        pieces.append(("Medium", kind, run("native:intersection", {"INPUT": medium, "OVERLAY": lpa})))
        pieces.append(("Low", kind, run("native:intersection", {"INPUT": low, "OVERLAY": lpa})))

    zones = {code: run("native:dissolve", {"INPUT": run("native:extractbyexpression", {
        "INPUT": opp, "EXPRESSION": f"\"measures\" LIKE '%{code}%'"})}) for code in GROUPS}
    for code, (kind, broad) in GROUPS.items():
        if kind == "area":
            sel = run("native:extractbyexpression", {"INPUT": layers["Habitats"],
                                                     "EXPRESSION": f"\"Baseline Broad Habitat Type\" = '{broad}'"})
            split(sel, zones[code], "area")
    other = run("native:extractbyexpression", {"INPUT": layers["Habitats"], "EXPRESSION":
                                               "\"Baseline Broad Habitat Type\" NOT IN ('Grassland', "
                                               "'Woodland and forest')"})
    split(other, None, "area")
    for name in ("Hedgerows", "Rivers"):
        split(layers[name], zones["HW001"], "lines")
    merged = {kind: run("native:mergevectorlayers", {"LAYERS": [p for _, k, p in pieces if k == kind]})
              for kind in ("area", "lines")}
    for kind, layer in merged.items():
        fids = [f.name() for f in layer.fields() if f.name().lower().startswith("fid")]  # clash with the GPKG key
        layer = run("native:deletecolumn", {"INPUT": layer, "COLUMN": fids}) if fids else layer
        dest = str(out.with_name(f"{out.stem}_{kind}.gpkg"))
        processing.run("native:savefeatures", {"INPUT": layer, "OUTPUT": dest}, context=context, feedback=feedback)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    for category, kind, layer in pieces:
        size = sum(f.geometry().area() if kind == "area" else f.geometry().length() for f in layer.getFeatures())
        totals[f"{kind}|{category}"] = totals.get(f"{kind}|{category}", 0.0) + size
    return {"total_s": total, "cpu_s": cpu, "pieces": sum(p.featureCount() for _, _, p in pieces), "totals": totals}


# --------------------------------------------------------------------------- driver
def compare(a: dict[str, float], b: dict[str, float]) -> list[str]:
    bad = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key, 0.0), b.get(key, 0.0)
        if abs(x - y) > 1e-4 * max(abs(x), abs(y), 1.0):
            bad.append(f"{key}: engine {x:,.3f} vs qgis {y:,.3f}")
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--worker", choices=("engine", "qgis"))
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    survey, pack, lpas = make_data(args.seed)
    if args.worker:
        out = Path(args.out)
        worker = engine_worker if args.worker == "engine" else qgis_worker
        record = worker(survey, pack, lpas, out.with_suffix(".gpkg"))
        out.write_bytes(pickle.dumps(record))
        return 0
    records = {}
    for method in ("engine", "qgis"):
        out = BENCH_DIR / f"parcels_out_{method}.pkl"
        for stale in (out, out.with_suffix(".gpkg")):
            stale.unlink(missing_ok=True)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PROJ_DATA": os.environ.get("PROJ_DATA",
                                                                                          "/usr/share/proj")}
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--seed", str(args.seed), "--worker", method, "--out",
                               str(out)], env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not out.exists():
            sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
            raise SystemExit(f"bench_parcels: the {method} worker failed (exit {proc.returncode}).")
        records[method] = pickle.loads(out.read_bytes())
        records[method]["wall_s"] = time.perf_counter() - t
    eng, qgs = records["engine"], records["qgis"]
    ratio = qgs["total_s"] / eng["total_s"]
    mismatches = compare(eng["totals"], qgs["totals"])
    lines = [
        f"parcels data: {COLS * ROWS} parcels, {N_HEDGES} hedgerows, {N_RIVERS} watercourses, {N_OPP} opportunity "
        f"areas, {N_INTERIM} interim areas, 2 authorities",
        f"parcels engine: {eng['total_s']:.2f} s (load {eng['load_s']:.2f}, read {eng['read_s']:.2f}, QA + "
        f"significance {eng['assess_s']:.2f}, filled copy {eng['write_s']:.2f}; CPU {eng['cpu_s']:.2f} s); "
        f"{eng['pieces']} pieces, "
        f"{eng['issues']} issues ({eng['errors']} errors)",
        f"parcels qgis native (split only): {qgs['total_s']:.2f} s (CPU {qgs['cpu_s']:.2f} s); {qgs['pieces']} pieces",
        f"parcels ratio qgis/engine: {ratio:.1f}x",
        f"parcels answers: {'same' if not mismatches else 'DIFFER: ' + '; '.join(mismatches)}",
        f"parcels targets: engine <= {TARGETS['engine_s']:g} s "
        f"{'PASS' if eng['total_s'] <= TARGETS['engine_s'] else 'MISS'}, >= {TARGETS['qgis_ratio']:g}x "
        f"{'PASS' if ratio >= TARGETS['qgis_ratio'] else 'MISS'}",
    ]
    for line in lines:
        print(line)
    (BENCH_DIR / "parcels.json").write_text(json.dumps({"seed": args.seed, "records": records, "ratio": ratio,
                                                        "mismatches": mismatches, "lines": lines, "targets": TARGETS},
                                                       indent=2, default=float))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
