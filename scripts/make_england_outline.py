"""Build ``resources/data/england_zone.geojson``: where a red line or an LNRS polygon counts as "in England".

Source: the ``states_provinces`` layer of QGIS's own ``resources/data/world_map.gpkg`` (Natural Earth 1:10m
Admin 1 v4.1.0, public domain, generalised by QGIS with GRASS ``v.generalize``; see QGIS's
``README_world_map.md``). The units with ``gu_a3 = ENG`` are England; ``SCT`` and ``WLS`` are Scotland and Wales.
No finer England outline is in the project's reference data (only the North East region and Bath & North East
Somerset), so this coarse one is used with two tolerances, both measured against the North East region outline
(ONS via planning.data.gov.uk, in ``../shared/data``) when this was built:

- the England-Scotland land border of this outline lies within 1.5 km of the real one along Northumberland,
  so Scottish or Welsh land counts as outside England only more than ``BORDER_M`` (2 km) from this England;
- islands and coast are generalised (the Farne Islands lie 6.3 km off this outline), so the sea within
  ``COAST_M`` (10 km) of this England counts as England.

zone = buffer(England, COAST_M) - ((Scotland | Wales) - buffer(England, BORDER_M)), in EPSG:27700, simplified
to 50 m and rounded to whole metres. Run with the project's Python (QGIS's GDAL and PROJ): the file is
committed, the plugin never reads world_map.gpkg at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import shapely
from osgeo import ogr, osr

WORLD_MAP = Path("/usr/share/qgis/resources/data/world_map.gpkg")
OUT = Path(__file__).resolve().parents[1] / "resources" / "data" / "england_zone.geojson"
BORDER_M = 2_000.0
COAST_M = 10_000.0
SIMPLIFY_M = 50.0


def nations(path: Path) -> dict[str, shapely.Geometry]:
    ds = ogr.Open(str(path))
    layer = ds.GetLayerByName("states_provinces")
    layer.SetAttributeFilter("adm0_a3 = 'GBR'")
    wgs, bng = osr.SpatialReference(), osr.SpatialReference()
    wgs.ImportFromEPSG(4326)
    bng.ImportFromEPSG(27700)
    for srs in (wgs, bng):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = osr.CoordinateTransformation(wgs, bng)
    parts: dict[str, list[shapely.Geometry]] = {}
    for feat in layer:
        g = feat.GetGeometryRef().Clone()
        g.Transform(transform)
        parts.setdefault(feat.GetField("gu_a3"), []).append(shapely.from_wkb(bytes(g.ExportToWkb())))
    return {k: shapely.union_all(shapely.make_valid(np.array(v))) for k, v in parts.items()}


def main(world_map: Path = WORLD_MAP) -> Path:
    n = nations(world_map)
    england = n["ENG"]
    others = shapely.union_all([n["SCT"], n["WLS"]])
    zone = shapely.difference(shapely.buffer(england, COAST_M),
                              shapely.difference(others, shapely.buffer(england, BORDER_M)))
    zone = shapely.simplify(zone, SIMPLIFY_M)
    zone = shapely.set_precision(zone, 1.0)
    doc = {"type": "Feature",
           "properties": {"name": "England zone", "crs": "EPSG:27700", "border_m": BORDER_M, "coast_m": COAST_M,
                          "source": "Natural Earth 1:10m Admin 1 v4.1.0 (public domain), as generalised in QGIS's "
                                    "resources/data/world_map.gpkg; built by scripts/make_england_outline.py"},
           "geometry": json.loads(shapely.to_geojson(zone))}
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    return OUT


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else WORLD_MAP))
