#!/usr/bin/env python3
"""Build the bundled demo Local Habitat Map pack with ``lnrs:addtohabitatmap``, headless.

The Natural England layers, the opportunity layers and the measures catalogue go in by the recognised path
(PACK and INPUT alone: the whole B&NES folder at once, the district boundary skipped as not recognised);
only the district (strategy area), the trees and the metadata are mapped explicitly.

    build/venv/bin/python scripts/build_demo_pack.py --shared ../shared --output resources/data/demo_lnrs_pack.gpkg

What goes in, and what is real:
  real (Natural England, OGL v3, retrieved 2016, Bath & North East Somerset):
    ancient woodland (ASNW/PAWS) -> irreplaceable; SSSI, SAC, SPA, LNR -> designated; district -> area
  real (published strategy text): the Leicestershire, Leicester and Rutland LNRS measures catalogue
  illustrative (made here, deterministically; NOT any authority's data):
    ~20 veteran trees near ancient woodland edges; opportunity areas: ancient woodland buffers
    (WD001;WD006), river-corridor-like strips (FW012, no river data was used), grassland patches
    (GL...) including a code that is not in the catalogue (XX999).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKGROOT = ROOT / "build" / "pkgroot"
SEED = 20260115
VERSION = "2026.1-demo"
PUBLICATION_DATE = "2026-01-15"
LNRS_NAME = "Demo Local Habitat Map (Bath & North East Somerset data, illustrative opportunity areas)"
AUTHORITY = "None: demonstration pack made by LNRS Toolkit (not a published Local Nature Recovery Strategy)"
NE_ATTRIBUTION = ("© Natural England copyright. Contains Ordnance Survey data © Crown copyright and database "
                  "right 2016.")
CATALOGUE_ATTRIBUTION = ("Measures catalogue: Leicestershire, Leicester and Rutland Local Nature Recovery Strategy "
                         "(Leicestershire County Council, Cabinet report 17 June 2025, Appendix A), used as an "
                         "example catalogue.")
LICENCE = ("Natural England layers: Open Government Licence v3.0. Illustrative layers: made by LNRS Toolkit, "
           "GPL-2.0-or-later with the plugin; not real data.")
PROVENANCE = (
    "REAL: ancient woodland (Natural England Ancient Woodland Inventory, ASNW/PAWS), SSSI, SAC, SPA and Local "
    "Nature Reserves (Natural England), clipped to Bath & North East Somerset, retrieved 2016 "
    "(BathHacked/banes-geographic-data), OGL v3, © Natural England / OS; the strategy area is the district "
    "boundary from the same source. REAL TEXT, OTHER PLACE: the measures catalogue is the 81 coded measures of "
    "the Leicestershire, Leicester and Rutland LNRS (2025), used as an example catalogue. ILLUSTRATIVE (made by "
    "scripts/build_demo_pack.py, deterministic, not any authority's data): the veteran trees, and every "
    "opportunity area: ancient-woodland buffers tagged WD001;WD006, river-corridor-like strips tagged FW012 "
    "(drawn by hand, no river data used), grassland patches tagged GL codes, one carrying XX999, a code that "
    "is deliberately not in the catalogue.")

#: What the B&NES folder must be recognised as (file -> dataset title): the build stops if recognition drifts.
NE_RECOGNISED = {
    "ne_ancient_woodland.geojson": "Ancient Woodland (England)",
    "ne_local_nature_reserves.geojson": "Local Nature Reserves (England)",
    "ne_special_areas_conservation.geojson": "Special Areas of Conservation (England)",
    "ne_special_protection_areas.geojson": "Special Protection Areas (England)",
    "ne_sssi.geojson": "Sites of Special Scientific Interest (England)",
}

# Hand-drawn, plausible valley lines in British National Grid metres (illustrative, no river data).
CORRIDORS = (
    ("Illustrative corridor: Avon valley, Bath to Keynsham", "FW012",
     [(379800, 163600), (377200, 165400), (374800, 165000), (372300, 166400), (369200, 167000),
      (366300, 168300), (364300, 169300)]),
    ("Illustrative corridor: Chew valley", "FW012",
     [(357600, 161200), (359400, 162500), (361400, 164100), (363100, 166000), (365200, 168200)]),
    ("Illustrative corridor: Wellow Brook", "fw012",
     [(366200, 154100), (368500, 155600), (371000, 157400), (373400, 159300), (375600, 160400)]),
)
GRASSLANDS = (
    ("Illustrative grassland: Lansdown slopes", "GL001;GL002", (372400, 169200), 420),
    ("Illustrative grassland: Mendip edge", "gl001 | GL003", (355400, 155600), 380),
    ("Illustrative grassland: Odd Down", "GL002, XX999", (373300, 161600), 300),
    ("Illustrative grassland: Stanton Drew", "GL004 NN003", (359300, 163800), 260),
)


def start_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    plugins = os.path.join(app.pkgDataPath(), "python", "plugins")
    if plugins not in sys.path:
        sys.path.append(plugins)
    from processing.core.Processing import Processing

    Processing.initialize()
    link = PKGROOT / "lnrs_toolkit"
    if not link.exists():
        PKGROOT.mkdir(parents=True, exist_ok=True)
        link.symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(PKGROOT))
    from lnrs_toolkit.plugin.processing.provider import LnrsProvider

    provider = LnrsProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider


def memory_layer(kind: str, name: str, fields: dict[str, str], rows: list[tuple[object, list]]):
    """A memory layer in EPSG:27700 from shapely geometries (or None for a table)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    uri = (f"{kind}?crs=EPSG:27700" if kind != "None" else "None?") + "".join(
        f"&field={k}:{'string(0)' if v == 'string' else v}" for k, v in fields.items())  # (0): no 255 limit
    layer = QgsVectorLayer(uri, name, "memory")
    feats = []
    for geom, attrs in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes(attrs)
        if geom is not None:
            f.setGeometry(QgsGeometry.fromWkt(geom.wkt))
        feats.append(f)
    ok, _ = layer.dataProvider().addFeatures(feats)
    if not ok:
        raise SystemExit(f"build_demo_pack: cannot fill the memory layer '{name}': "
                         f"{layer.dataProvider().lastError()}")
    return layer


def add(pack: Path, params: dict, log: list[str]) -> dict:
    import processing
    from qgis.core import QgsProcessingFeedback

    class Feedback(QgsProcessingFeedback):
        def pushWarning(self, warning: str) -> None:  # noqa: N802 - Qt override
            log.append(f"  warning: {warning}")
            super().pushWarning(warning)

    result = processing.run("lnrs:addtohabitatmap", {"PACK": str(pack), **params}, feedback=Feedback())
    what = params["INPUT"] if isinstance(params["INPUT"], str) else params["INPUT"].name()
    log.append(f"{Path(str(what)).name}: {result['ROWS_ADDED']} rows -> {result['TABLE']} "
               f"(repaired {result['REPAIRED']}, dropped {result['DROPPED']})")
    log.extend(f"  recognised {line}" for line in result.get("RECOGNISED", "").splitlines())
    log.extend(f"  skipped {line}" for line in result.get("SKIPPED", "").splitlines())
    return result


def veteran_trees(woods, rng: random.Random):
    """~20 illustrative trees just outside ancient woodland edges; some without measurements."""
    import shapely
    from shapely.geometry import Point

    union = shapely.union_all(woods)
    order = sorted(range(len(woods)), key=lambda i: -woods[i].area)[:60]
    chosen = sorted(rng.sample(order, 20))
    rows = []
    statuses = ["veteran"] * 14 + ["ancient"] * 4 + ["notable"] * 2
    rng.shuffle(statuses)
    for n, i in enumerate(chosen, start=1):
        wood = woods[i]
        ring = shapely.get_exterior_ring(shapely.get_geometry(wood, 0))
        c = wood.centroid
        for _ in range(20):
            p = ring.interpolate(rng.random(), normalized=True)
            dx, dy = p.x - c.x, p.y - c.y
            d = math.hypot(dx, dy) or 1.0
            off = rng.uniform(8, 30)
            tree = Point(round(p.x + dx / d * off, 1), round(p.y + dy / d * off, 1))
            if not union.contains(tree):
                break
        status = statuses[n - 1]
        dbh = round(rng.uniform(0.9, 2.6), 2) if n % 3 != 0 else None
        crown = round(rng.uniform(5.0, 13.0), 1) if n % 2 == 0 else None
        species = ("oak", "ash", "beech", "sweet chestnut", "lime")[n % 5]
        rows.append((tree, [f"DEMO-T{n:02d}", f"Illustrative {status} {species} {n}", status, dbh, crown]))
    return rows


def woodland_buffers(woods, rng: random.Random):
    """15-100 m rings around a subset of ancient woodland, minus all ancient woodland."""
    import shapely

    union = shapely.union_all(woods)
    order = sorted(range(len(woods)), key=lambda i: -woods[i].area)[:40]
    chosen = sorted(rng.sample(order, 14))
    rows = []
    for n, i in enumerate(chosen, start=1):
        wood = woods[i]
        ring = wood.buffer(100, quad_segs=4).difference(wood.buffer(15, quad_segs=4)).difference(union)
        ring = shapely.make_valid(ring.simplify(2.0))
        if ring.is_empty or ring.area < 100:
            continue
        codes = "WD001;WD006" if n % 4 else "wd001, wd006, nn001"
        rows.append((ring, [f"DEMO-AWB{n:02d}", f"Illustrative ancient woodland buffer {n}", codes]))
    return rows


def corridors(district):
    from shapely.geometry import LineString

    rows = []
    for n, (name, codes, coords) in enumerate(CORRIDORS, start=1):
        strip = LineString(coords).buffer(45, quad_segs=4).intersection(district)
        if not strip.is_empty:
            rows.append((strip.simplify(1.0), [f"DEMO-RC{n:02d}", name, codes]))
    return rows


def grasslands(district, rng: random.Random):
    from shapely.geometry import Polygon

    rows = []
    for n, (name, codes, (x, y), r) in enumerate(GRASSLANDS, start=1):
        pts = []
        for k in range(11):  # an irregular patch, not a circle
            a = 2 * math.pi * k / 11
            rr = r * rng.uniform(0.7, 1.1)
            pts.append((round(x + rr * math.cos(a), 1), round(y + rr * math.sin(a), 1)))
        patch = Polygon(pts).intersection(district)
        if not patch.is_empty:
            rows.append((patch, [f"DEMO-GL{n:02d}", name, codes]))
    return rows


def build(shared: Path, output: Path) -> list[str]:
    banes = shared / "data" / "natural-england" / "banes"
    if not banes.is_dir():
        raise SystemExit(f"build_demo_pack: {banes} not found; pass --shared with the folder holding data/")
    catalogue = ROOT / "resources" / "data" / "leicestershire_leicester_rutland_measures.csv"
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack

    log: list[str] = []
    tmpdir = Path(tempfile.mkdtemp(prefix="demo-pack-"))
    pack = tmpdir / output.name
    try:
        result = add(pack, {"INPUT": str(banes), "LNRS_NAME": LNRS_NAME, "VERSION": VERSION,
                            "AUTHORITY": AUTHORITY}, log)
        recognised = dict(line.split(": ", 1) for line in result.get("RECOGNISED", "").splitlines())
        if recognised != NE_RECOGNISED:
            raise SystemExit(f"build_demo_pack: the B&NES layers were recognised as {recognised}, expected "
                             f"{NE_RECOGNISED}")

        from qgis.core import QgsVectorLayer

        boundary = QgsVectorLayer(str(banes / "banes_boundary.geojson"), "banes_boundary", "ogr")
        from lnrs_toolkit.plugin.adapters.layer_rows import read_layer_rows

        district = read_layer_rows(boundary).geoms[0]
        add(pack, {"INPUT": memory_layer("Polygon", "Bath and North East Somerset (district)", {"name": "string"},
                                         [(district, ["Bath and North East Somerset"])]),
                   "ROLE": "area", "NAME_FIELD": "name"}, log)

        rng = random.Random(SEED)
        woods = list(read_pack(pack).layers["irreplaceable_habitats"].geoms)
        trees = memory_layer("Point", "Illustrative veteran trees",
                             {"ref": "string", "name": "string", "status": "string", "stem_d_m": "double",
                              "crown_r_m": "double"}, veteran_trees(woods, rng))
        add(pack, {"INPUT": trees, "ROLE": "trees", "REF_FIELD": "ref", "NAME_FIELD": "name",
                   "STATUS_FIELD": "status", "STEM_DIAMETER_FIELD": "stem_d_m", "CROWN_RADIUS_FIELD": "crown_r_m"},
            log)
        opp_fields = {"ref": "string", "name": "string", "measures": "string"}
        for title, rows in (("Illustrative ancient woodland buffers", woodland_buffers(woods, rng)),
                            ("Illustrative river corridors", corridors(district)),
                            ("Illustrative grassland areas", grasslands(district, rng))):
            add(pack, {"INPUT": memory_layer("MultiPolygon", title, opp_fields, rows)}, log)

        add(pack, {"INPUT": str(catalogue)}, log)
        meta = {
            "publication_date": PUBLICATION_DATE,
            "source": "Natural England open data for Bath & North East Somerset; illustrative layers made by "
                      "LNRS Toolkit's scripts/build_demo_pack.py",
            "licence": LICENCE,
            "attribution": NE_ATTRIBUTION + "\n" + CATALOGUE_ATTRIBUTION,
            "provenance": PROVENANCE,
            "demo": "true",
        }
        add(pack, {"INPUT": memory_layer("None", "pack metadata", {"key": "string", "value": "string"},
                                         [(None, [k, v]) for k, v in meta.items()]), "ROLE": "metadata"}, log)
        data = read_pack(pack)
        output.parent.mkdir(parents=True, exist_ok=True)
        scratch = output.with_name(f".{output.name}.part")
        shutil.copyfile(pack, scratch)
        os.replace(scratch, output)
        log.append(f"wrote {output} ({output.stat().st_size / 1e6:.2f} MB), content_sha256 "
                   f"{data.metadata.content_sha256}")
        log.append("tables: " + ", ".join(f"{k} {len(v)}" for k, v in data.layers.items()))
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder holding data/")
    parser.add_argument("--output", type=Path, default=ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg")
    args = parser.parse_args(argv)
    app, provider = start_qgis()
    try:
        for line in build(args.shared.resolve(), args.output.resolve()):
            print(line)
    finally:
        from qgis.core import QgsApplication

        QgsApplication.processingRegistry().removeProvider(provider)
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
