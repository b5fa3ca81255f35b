"""Benchmark worker: the same screening as a pipeline of QGIS native Processing algorithms (headless).

Load: the pack's layers opened through OGR. Batch, for all sites at once:
- opportunity: ``native:intersection`` (sites x opportunity areas), ``native:splitfeaturesbycharacter`` on the
  measure codes, ``native:dissolve`` by (site, code): union area per code kept when >= the measure threshold;
- irreplaceable, designated, trees: ``native:joinbynearest`` with the search distance as maximum distance and
  every feature allowed as a neighbour (all features within the search distance, with their distance), and
  ``native:intersection`` for overlap areas; buffer flags from distance and overlap under the same
  standing-advice rules as the engine; buffer zones by ``native:buffer`` (ancient woodland picked out with
  ``native:extractbyattribute``, 15 m; trees by an expression on stem and crown; 16 segments a quarter circle)
  and ``native:intersection`` with the sites for the area of each site inside each zone;
- mapped area: the opportunity pieces ``native:dissolve``d by site.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import bench_data as bd

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PROJ_DATA", "/usr/share/proj")
sys.path.append("/usr/share/qgis/python/plugins")

#: Neighbours joinbynearest may return per site: about three times the most any bench site has within the
#: search distance (34 trees at 100k); a cap too small would show up as mismatches, not as a faster run.
NEIGHBORS = 100


def main() -> int:
    args = bd.worker_args(__doc__ or "")
    from qgis.core import (
        QgsApplication,
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProperty,
        QgsVectorLayer,
    )

    app = QgsApplication([], False)
    app.initQgis()
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    context = QgsProcessingContext()
    feedback = QgsProcessingFeedback()

    steps: list[tuple[str, float]] = []

    def run(alg: str, params: dict[str, Any]) -> Any:
        t = time.perf_counter()
        out = processing.run(alg, {**params, "OUTPUT": "memory:"}, context=context, feedback=feedback)["OUTPUT"]
        steps.append((alg, time.perf_counter() - t))
        return out

    def layer(path: Any, name: str) -> Any:
        lyr = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if not lyr.isValid():
            raise SystemExit(f"cannot open {name} in {path}")
        lyr.featureCount()
        return lyr

    sites = layer(args.sites, "sites")
    refs = {f.id(): f["ref"] for f in sites.getFeatures()}
    site_of = {ref: k for k, ref in enumerate(refs[i] for i in sorted(refs))}
    site_area = [0.0] * len(site_of)
    for f in sites.getFeatures():
        site_area[site_of[f["ref"]]] = f.geometry().area()

    t0 = time.perf_counter()
    opp = layer(args.pack, "opportunity_areas")
    irr = layer(args.pack, "irreplaceable_habitats")
    trees = layer(args.pack, "ancient_trees")
    des = layer(args.pack, "designated_sites")
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    answers = [bd.empty_answer() for _ in site_of]

    pieces = run("native:intersection", {"INPUT": sites, "OVERLAY": opp, "INPUT_FIELDS": ["ref"],
                                         "OVERLAY_FIELDS": ["measures"], "OVERLAY_FIELDS_PREFIX": ""})
    split = run("native:splitfeaturesbycharacter", {"INPUT": pieces, "FIELD": "measures", "CHAR": ";",
                                                    "REGEX": False})
    for f in run("native:dissolve", {"INPUT": pieces, "FIELD": ["ref"]}).getFeatures():
        answers[site_of[f["ref"]]]["mapped"]["area"] = f.geometry().area()
    per_code = run("native:dissolve", {"INPUT": split, "FIELD": ["ref", "measures"]})
    for f in per_code.getFeatures():
        s = site_of[f["ref"]]
        code = str(f["measures"] or "").strip().upper()
        area = f.geometry().area()
        if code and area >= bd.measure_threshold(site_area[s]):
            answers[s]["codes"][code] = area

    def within(target: Any, fields: list[str], distance: float) -> list[tuple[int, int, float, Any]]:
        near = run("native:joinbynearest", {"INPUT": sites, "INPUT_2": target, "FIELDS_TO_COPY": ["fid", *fields],
                                            "DISCARD_NONMATCHING": True, "PREFIX": "n_",
                                            "NEIGHBORS": NEIGHBORS, "MAX_DISTANCE": distance})
        return [(site_of[f["ref"]], int(f["n_fid"]), float(f["distance"]), f) for f in near.getFeatures()]

    def overlaps(target: Any) -> dict[tuple[int, int], float]:
        inter = run("native:intersection", {"INPUT": sites, "OVERLAY": target, "INPUT_FIELDS": ["ref"],
                                            "OVERLAY_FIELDS": ["fid"], "OVERLAY_FIELDS_PREFIX": "n_"})
        out: dict[tuple[int, int], float] = {}
        for f in inter.getFeatures():
            key = (site_of[f["ref"]], int(f["n_fid"]))
            out[key] = out.get(key, 0.0) + f.geometry().area()
        return out

    in_zone: dict[tuple[int, int], float] = {}
    for htype, buf in bd.HABITAT_BUFFER_M.items():
        picked = run("native:extractbyattribute", {"INPUT": irr, "FIELD": "habitat_type", "OPERATOR": 0,
                                                   "VALUE": htype})
        in_zone.update(overlaps(run("native:buffer", {"INPUT": picked, "DISTANCE": buf, "SEGMENTS": 16,
                                                      "END_CAP_STYLE": 0, "JOIN_STYLE": 0, "MITER_LIMIT": 2,
                                                      "DISSOLVE": False})))
    ov = overlaps(irr)
    for s, fid, dist, f in within(irr, ["habitat_type"], bd.SEARCH_M):
        area = ov.get((s, fid), 0.0) if dist == 0 else 0.0
        htype = str(f["n_habitat_type"])
        answers[s]["irr"][fid] = (area, dist, bd.in_buffer_polygon(htype, area, dist),
                                  bd.intrusion_polygon(htype, area, dist, in_zone.get((s, fid), 0.0)))
    ov = overlaps(des)
    for s, fid, dist, _ in within(des, [], bd.SEARCH_M):
        answers[s]["des"][fid] = (ov.get((s, fid), 0.0) if dist == 0 else 0.0, dist)
    stem, crown = 'coalesce("stem_diameter_m", 0)', 'coalesce("crown_radius_m", 0)'
    tree_buffer = (f"CASE WHEN {stem} > 0 OR {crown} > 0 THEN max(CASE WHEN {stem} > 0 THEN "
                   f"{bd.STEM_MULTIPLIER} * {stem} ELSE 0 END, CASE WHEN {crown} > 0 THEN {crown} + "
                   f"{bd.CANOPY_MARGIN_M} ELSE 0 END) ELSE {bd.ASSUMED_TREE_BUFFER_M} END")
    in_zone = overlaps(run("native:buffer", {"INPUT": trees, "DISTANCE": QgsProperty.fromExpression(tree_buffer),
                                             "SEGMENTS": 16, "END_CAP_STYLE": 0, "JOIN_STYLE": 0, "MITER_LIMIT": 2,
                                             "DISSOLVE": False}))
    bufs = [bd.tree_buffer(_num(f["stem_diameter_m"]), _num(f["crown_radius_m"])) for f in trees.getFeatures()]
    for s, fid, dist, f in within(trees, ["stem_diameter_m", "crown_radius_m"], max([bd.SEARCH_M, *bufs])):
        buf = bd.tree_buffer(_num(f["n_stem_diameter_m"]), _num(f["n_crown_radius_m"]))
        if dist <= max(bd.SEARCH_M, buf):
            inside = bd.in_buffer_tree(buf, dist)
            answers[s]["trees"][fid] = (dist, inside, in_zone.get((s, fid), 0.0) if inside else 0.0)
    t_batch = time.perf_counter() - t0
    from qgis.core import Qgis

    bd.dump(args.out, {"method": "qgis", "load_s": t_load, "batch_s": t_batch, "answers": answers,
                       "versions": {"qgis": Qgis.QGIS_VERSION, "geos": Qgis.geosVersion().split("-")[0]},
                       "steps": steps})
    sys.stdout.flush()
    os._exit(0)  # QGIS teardown of processing outputs can crash a headless run; the results are written


def _num(value: Any) -> float | None:
    try:
        return None if value is None or value == "" else float(value)
    except (TypeError, ValueError):
        return None


if __name__ == "__main__":
    sys.exit(main())
