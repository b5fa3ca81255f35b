"""Benchmark worker: the same screening as an idiomatic geopandas pipeline (run by scripts/bench.py).

Load: every pack layer read with pyogrio and its spatial index built. Batch, for all sites at once:
- opportunity: ``overlay(sites, opportunity, "intersection")``, codes exploded, ``dissolve`` by (site, code),
  union area per code kept when >= the measure threshold;
- irreplaceable, designated, trees: ``sjoin`` of the sites buffered (circumscribed) by the search distance,
  exact ``distance`` per pair filtered to the search distance, ``intersection`` area where they touch;
  buffer flags from the distance and overlap under the same standing-advice rules as the engine;
  buffer zones by ``buffer`` (ancient woodland 15 m, trees by stem and crown) and ``overlay`` with the sites
  for the area of each site inside each zone;
- mapped area: the opportunity pieces ``dissolve``d by site.
"""

from __future__ import annotations

import math
import sys
import time
import warnings
from typing import Any

import bench_data as bd
import numpy as np

warnings.filterwarnings("ignore")


def main() -> int:
    args = bd.worker_args(__doc__ or "")
    import geopandas as gpd
    import shapely

    def read(path: Any, layer: str, columns: list[str]) -> Any:
        df = gpd.read_file(path, layer=layer, engine="pyogrio", fid_as_index=True, columns=columns)
        df["fid"] = df.index.to_numpy()
        df.sindex.query(df.geometry.iloc[:1])  # build the tree now (it is lazy), so the batch does not pay it
        return df

    sites = gpd.read_file(args.sites, layer="sites", engine="pyogrio")
    sites["site"] = np.arange(len(sites))

    t0 = time.perf_counter()
    opp = read(args.pack, "opportunity_areas", ["measures"])
    irr = read(args.pack, "irreplaceable_habitats", ["habitat_type"])
    trees = read(args.pack, "ancient_trees", ["stem_diameter_m", "crown_radius_m"])
    des = read(args.pack, "designated_sites", ["designation"])
    t_load = time.perf_counter() - t0

    t0 = time.perf_counter()
    answers = [bd.empty_answer() for _ in range(len(sites))]
    site_geom = sites.geometry.values
    site_area = sites.geometry.area.to_numpy()

    # opportunity: pieces, one row per code, union per (site, code)
    pieces = gpd.overlay(sites[["site", "geometry"]], opp[["measures", "geometry"]], how="intersection",
                         keep_geom_type=True)
    pieces = pieces[pieces.geometry.area > 0]
    pieces["piece"] = np.arange(len(pieces))
    for site, area in pieces[["site", "geometry"]].dissolve(by="site").geometry.area.items():
        answers[site]["mapped"]["area"] = float(area)
    pieces["code"] = pieces["measures"].str.upper().str.split(";")
    pieces = pieces.explode("code")
    pieces["code"] = pieces["code"].str.strip()
    pieces = pieces[pieces["code"] != ""].drop_duplicates(subset=["piece", "code"])
    per_code = pieces[["site", "code", "geometry"]].dissolve(by=["site", "code"])
    per_code["area"] = per_code.geometry.area
    threshold = np.minimum(bd.SLIVER_M2, 0.5 * site_area)
    for (s, code), area in per_code["area"].items():
        if area >= threshold[s]:
            answers[s]["codes"][code] = float(area)

    # within the search distance: buffered sites (circumscribed polygon, so nothing is missed), exact distance
    def near(layer: Any, within: float) -> Any:
        # 16 segments a quarter circle cut chords up to (1 - cos(pi/64)) deep, and GEOS simplifies the buffered
        # outline by up to 1% of the distance: reach further, then keep pairs by exact distance
        reach = within / math.cos(math.pi / 64) * 1.02 + 1.0
        zone = gpd.GeoDataFrame({"site": sites["site"].to_numpy()},
                                geometry=sites.geometry.buffer(reach, resolution=16).values, crs=sites.crs)
        pairs = gpd.sjoin(zone, layer, predicate="intersects", how="inner")
        s = pairs["site"].to_numpy()
        j = pairs["index_right"].to_numpy()
        geoms = layer.geometry.loc[j].values
        dist = gpd.GeoSeries(site_geom[s]).distance(gpd.GeoSeries(geoms), align=False).to_numpy()
        keep = dist <= within
        pairs, s, dist, geoms = pairs[keep], s[keep], dist[keep], geoms[keep]
        overlap = np.zeros(len(s))
        touch = np.flatnonzero(dist == 0)
        if len(touch):
            overlap[touch] = gpd.GeoSeries(site_geom[s[touch]]).intersection(
                gpd.GeoSeries(geoms[touch]), align=False).area.to_numpy()
        return pairs, s, dist, overlap

    # buffer zones (16 segments a quarter circle), and how much of each site lies in each
    def in_zones(layer: Any, distance: Any) -> dict[tuple[int, int], float]:
        zones = gpd.GeoDataFrame({"fid": layer["fid"].to_numpy()},
                                 geometry=layer.geometry.buffer(distance, resolution=16).values, crs=layer.crs)
        got = gpd.overlay(sites[["site", "geometry"]], zones, how="intersection", keep_geom_type=True)
        out: dict[tuple[int, int], float] = {}
        for key, area in zip(zip(got["site"].to_numpy(), got["fid"].to_numpy()), got.geometry.area.to_numpy()):
            out[key] = out.get(key, 0.0) + float(area)
        return out

    hab_buf = irr["habitat_type"].map(bd.HABITAT_BUFFER_M).fillna(0.0).to_numpy()
    zoned = irr[hab_buf > 0]
    in_zone = in_zones(zoned, hab_buf[hab_buf > 0]) if len(zoned) else {}
    pairs, s, dist, overlap = near(irr, bd.SEARCH_M)
    for k, (site, fid, htype) in enumerate(zip(s, pairs["fid"].to_numpy(), pairs["habitat_type"].to_numpy())):
        ov, d = float(overlap[k]), float(dist[k])
        answers[site]["irr"][int(fid)] = (ov, d, bd.in_buffer_polygon(htype, ov, d),
                                          bd.intrusion_polygon(htype, ov, d, in_zone.get((site, fid), 0.0)))
    pairs, s, dist, overlap = near(des, bd.SEARCH_M)
    for k, (site, fid) in enumerate(zip(s, pairs["fid"].to_numpy())):
        answers[site]["des"][int(fid)] = (float(overlap[k]), float(dist[k]))
    tb = np.array([bd.tree_buffer(a, b) for a, b in zip(trees["stem_diameter_m"], trees["crown_radius_m"])])
    trees["buffer_m"] = tb
    in_zone = in_zones(trees, tb) if len(trees) else {}
    pairs, s, dist, _ = near(trees, max(bd.SEARCH_M, float(tb.max()) if len(tb) else 0.0))
    for k, (site, fid, buf) in enumerate(zip(s, pairs["fid"].to_numpy(), pairs["buffer_m"].to_numpy())):
        if dist[k] <= max(bd.SEARCH_M, buf):
            inside = bd.in_buffer_tree(float(buf), float(dist[k]))
            answers[site]["trees"][int(fid)] = (float(dist[k]), inside,
                                                in_zone.get((site, fid), 0.0) if inside else 0.0)
    t_batch = time.perf_counter() - t0
    bd.dump(args.out, {"method": "geopandas", "load_s": t_load, "batch_s": t_batch, "answers": answers,
                       "versions": {"geopandas": gpd.__version__, "shapely": shapely.__version__,
                                    "geos": shapely.geos_version_string}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
