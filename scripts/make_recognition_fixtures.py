#!/usr/bin/env python3
"""Make the small fixtures of tests/data/recognition/ from ../shared/data (run once; the outputs are committed).

    build/venv/bin/python scripts/make_recognition_fixtures.py --shared ../shared

Every fixture has the field names of the published dataset it stands for; tests/data/recognition/README.md says
which values are real and which are made up. Tests never read ../shared.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "recognition"
CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
BNG = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
#: ~10 m in degrees at 51-55 N: enough to keep a few KB per fixture.
SIMPLIFY_DEG = 0.0001


def _features(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text())["features"])


def _geom(feature: dict[str, Any], tolerance: float = SIMPLIFY_DEG) -> Any:
    g = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
    return shapely.set_precision(g, 1e-6 if tolerance < 1 else 0.1)


def _write(name: str, rows: list[tuple[Any, dict[str, Any]]], crs: dict[str, Any] = CRS84) -> None:
    doc = {"type": "FeatureCollection", "name": Path(name).stem, "crs": crs,
           "features": [{"type": "Feature", "properties": props, "geometry": mapping(g)} for g, props in rows]}
    (OUT / name).write_text(json.dumps(doc, separators=(",", ":")) + "\n")


def _smallest(features: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    return sorted(features, key=lambda f: shape(f["geometry"]).area)[:n]


def natural_england(banes: Path) -> None:
    """The 2016 vintage as retrieved (real values), and today's upper-case field names on the same features."""
    keep = {
        "ne_sssi.geojson": ("sssi_name", "reference", "ensisid", "status"),
        "ne_special_areas_conservation.geojson": ("sac_name", "sac_code", "status"),
        "ne_special_protection_areas.geojson": ("spa_name", "spa_code", "status"),
        "ne_local_nature_reserves.geojson": ("lnr_name", "reference", "status"),
    }
    for fname, fields in keep.items():
        feats = _smallest(_features(banes / fname), 3)
        _write(f"natural_england_2016_{fname}", [(_geom(f), {k: f["properties"][k] for k in fields}) for f in feats])
    sssi = _smallest(_features(banes / "ne_sssi.geojson"), 3)
    _write("natural_england_current_sssi.geojson", [
        (_geom(f), {"SSSI_NAME": f["properties"]["sssi_name"], "REF_CODE": str(int(f["properties"]["ensisid"])),
                    "STATUS": f["properties"]["status"]}) for f in sssi])
    woods = _features(banes / "ne_ancient_woodland.geojson")
    asnw = _smallest([f for f in woods if f["properties"]["status"] == "ASNW"], 3)
    paws = _smallest([f for f in woods if f["properties"]["status"] == "PAWS"], 2)
    fields = ("name", "theme", "themname", "themid", "status")
    _write("natural_england_ancient_woodland_legacy.geojson",
           [(_geom(f), {k: f["properties"][k] for k in fields}) for f in asnw + paws])
    # the revised inventory: two of the same woods with its categories (values made up), one new wood pasture
    revised = [(_geom(asnw[0]), {"NAME": None, "THEMENAME": "Ancient Semi Natural Woodland", "THEMEID": 1}),
               (_geom(paws[0]), {"NAME": None, "THEMENAME": "Ancient Replanted Woodland", "THEMEID": 2}),
               (_geom(asnw[0]).centroid.buffer(0.0008, quad_segs=4),
                {"NAME": "Illustrative wood pasture", "THEMENAME": "Infilled Ancient Wood Pasture", "THEMEID": 4})]
    _write("natural_england_ancient_woodland_revised.geojson", revised)
    # Priority Habitats Inventory: field names as published, values made up, on real SSSI outlines
    phi = [(_geom(sssi[0]), {"MainHabs": "Deciduous woodland", "AddHabs": None, "HabCodes": "DWOOD",
                             "Confidence": "High"}),
           (_geom(sssi[1]), {"MainHabs": "Lowland calcareous grassland", "AddHabs": "Deciduous woodland",
                             "HabCodes": "LCGRA,DWOOD", "Confidence": "Medium"})]
    _write("natural_england_priority_habitats.geojson", phi)


def planning_data(north_east: Path, banes: Path) -> None:
    """planning.data.gov.uk's field names on real North East geometries (attribute values made up)."""
    datasets = ("site-of-special-scientific-interest", "special-area-of-conservation", "special-protection-area",
                "ramsar", "national-nature-reserve", "local-nature-reserve", "ancient-woodland")
    for n, slug in enumerate(datasets):
        feats = _smallest(_features(north_east / f"E12000001-{slug}.geojson"), 3)
        rows = []
        for i, f in enumerate(feats, start=1):
            props: dict[str, Any] = {
                "dataset": slug, "end-date": "", "entity": str(1000000 * (n + 1) + i), "entry-date": "2024-03-01",
                "name": f"Fixture {slug.replace('-', ' ')} {i}", "organisation-entity": "600",
                "prefix": slug, "reference": f"FX{n + 1}{i:03d}", "start-date": "2001-01-01", "typology": "geography",
            }
            if slug == "ancient-woodland":
                props["ancient-woodland-status"] = ("ancient-semi-natural-woodland", "ancient-replanted-woodland",
                                                    "ancient-semi-natural-woodland")[i - 1]
            if i == 3:
                props["end-date"] = "2020-06-30"  # ended: left out when added
            rows.append((_geom(f), props))
        _write(f"planning_data_{slug}.geojson", rows)
    # the CSV shape of a download: WKT in a 'geometry' column
    feats = _smallest(_features(north_east / "E12000001-local-nature-reserve.geojson"), 2)
    with open(OUT / "planning_data_local-nature-reserve.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "end-date", "entity", "entry-date", "geometry", "name", "organisation-entity",
                    "prefix", "reference", "start-date", "typology"])
        for i, f in enumerate(feats, start=1):
            w.writerow(["local-nature-reserve", "", str(6100000 + i), "2024-03-01", _geom(f).wkt,
                        f"Fixture csv nature reserve {i}", "600", "local-nature-reserve", f"CSV{i:03d}", "1990-01-01",
                        "geography"])
    boundary = _features(banes / "banes_boundary.geojson")[0]
    _write("planning_data_local-planning-authority.geojson", [(_geom(boundary, 0.002), {
        "dataset": "local-planning-authority", "end-date": "", "entity": "7000001", "entry-date": "2024-03-01",
        "name": "Bath and North East Somerset", "organisation-entity": "16", "prefix": "local-planning-authority",
        "reference": "FX-LPA-1", "start-date": "2019-04-01", "typology": "geography"})])
    region = _features(north_east / "E12000001-region.geojson")[0]
    _write("planning_data_local-nature-recovery-strategy.geojson", [(_geom(region, 0.01), {
        "dataset": "local-nature-recovery-strategy", "end-date": "", "entity": "8000001", "entry-date": "2024-03-01",
        "name": "Fixture strategy area (North East region outline)", "organisation-entity": "600",
        "prefix": "local-nature-recovery-strategy", "reference": "LNRS-FX1", "start-date": "2024-01-01",
        "typology": "geography"})])


def ramsar_natural_england(north_east: Path) -> None:
    """Natural England's Ramsar layer field names (NAME, CODE) on real geometries; names and codes made up."""
    feats = _smallest(_features(north_east / "E12000001-ramsar.geojson"), 2)
    _write("natural_england_ramsar.geojson", [(_geom(f, 0.002), {"NAME": f"Fixture Ramsar {i}", "CODE": f"UK1199{i}",
                                                                 "STATUS": "Listed"})
                                              for i, f in enumerate(feats, start=1)])


def _square(x: float, y: float, size: float = 200.0) -> Any:
    return shapely.box(x, y, x + size, y + size)


def lnrs_shapes() -> None:
    """The four published shapes of an opportunity map, illustrative (squares near Bath, British National Grid)."""
    a, b, c = _square(375000, 165000), _square(375400, 165000), _square(375800, 165000)
    _write("lnrs_codes_column.geojson", [
        (a, {"area_id": "A1", "name": "Illustrative area 1", "measures": "WD001; WD006"}),
        (b, {"area_id": "A2", "name": "Illustrative area 2", "measures": "GL001|FW012"}),
        (c, {"area_id": "A3", "name": "Illustrative area 3", "measures": "gl002"})], BNG)
    _write("lnrs_one_row_per_measure.geojson", [
        (a, {"area_id": "A1", "name": "Illustrative area 1", "measure_code": "WD001", "priority": "1"}),
        (a, {"area_id": "A1", "name": "Illustrative area 1", "measure_code": "WD006", "priority": "1"}),
        (b, {"area_id": "A2", "name": "Illustrative area 2", "measure_code": "GL001", "priority": "2"}),
        (b, {"area_id": "A2", "name": "Illustrative area 2", "measure_code": "FW012", "priority": "2"}),
        (c, {"area_id": "A3", "name": "Illustrative area 3", "measure_code": "GL002", "priority": "3"})], BNG)
    _write("lnrs_flag_columns.geojson", [
        # one type per column: QGIS 3.44 (GDAL's JSON subtype for mixed types) reads a mixed column as nulls
        (a, {"area_id": "A1", "name": "Illustrative area 1", "WD001": 1, "WD006": "yes", "GL001": "0", "FW012": None,
             "GL002": 0}),
        (b, {"area_id": "A2", "name": "Illustrative area 2", "WD001": 0, "WD006": "no", "GL001": "1", "FW012": "TRUE",
             "GL002": 0}),
        (c, {"area_id": "A3", "name": "Illustrative area 3", "WD001": 0, "WD006": "", "GL001": "n", "FW012": "0",
             "GL002": 1})],
        BNG)
    _write("lnrs_area_polygons.geojson", [
        (a, {"area_id": "A1", "name": "Illustrative area 1"}), (b, {"area_id": "A2", "name": "Illustrative area 2"}),
        (c, {"area_id": "A3", "name": "Illustrative area 3"})], BNG)
    with open(OUT / "lnrs_area_measures.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["area_id", "measure_code", "priority"])
        for area, code in (("A1", "WD001"), ("A1", "WD006"), ("A2", "GL001"), ("A2", "FW012"), ("A3", "GL002")):
            w.writerow([area, code, "1"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    data = args.shared / "data" / "natural-england"
    OUT.mkdir(parents=True, exist_ok=True)
    natural_england(data / "banes")
    planning_data(data / "north-east", data / "banes")
    ramsar_natural_england(data / "north-east")
    lnrs_shapes()
    for p in sorted(OUT.iterdir()):
        print(f"{p.name}: {p.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
