"""Where England is, for the checks that refuse what lies outside it (the metric and LNRSs apply to England only).

The zone is bundled as ``resources/data/england_zone.geojson`` (EPSG:27700), built by
``scripts/make_england_outline.py`` from Natural Earth 1:10m Admin 1 (public domain, as generalised in QGIS's
``world_map.gpkg``): no finer England outline is in the project's data. The source is coarse, so the zone is
England widened by two measured tolerances (see that script and docs/parcels.md):

- Scottish or Welsh land counts as outside England only more than :data:`BORDER_M` (2 km) beyond this
  outline's border (its land border lies within 1.5 km of the real one along Northumberland);
- the sea within :data:`COAST_M` (10 km) of England's coast counts as England (small islands such as the
  Farne Islands are missing from the source, 6.3 km off its coast).

So a red line a few kilometres inside Scotland or Wales, or far at sea, or in coordinates that were never
reprojected, is outside England; one within 2 km of the border on either side is given the benefit of the doubt.
Defra's own check (``REDLINE_OUTSIDE_ENGLAND``) uses ONS's ultra-generalised (BUC) England polygon with a
0.5 m² tolerance, so it can refuse a red line this zone accepts near the border or on the coast.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

ZONE_FILE = Path(__file__).resolve().parents[3] / "resources" / "data" / "england_zone.geojson"
BORDER_M = 2_000.0
COAST_M = 10_000.0


@cache
def england_zone() -> BaseGeometry:
    """The bundled zone (prepared for repeated tests)."""
    doc = json.loads(ZONE_FILE.read_text(encoding="utf-8"))
    zone = shapely.from_geojson(json.dumps(doc["geometry"]))
    shapely.prepare(zone)
    return zone


def in_england(geom: BaseGeometry) -> bool:
    """The whole of ``geom`` (EPSG:27700) lies in the England zone."""
    return bool(england_zone().covers(geom))


def outside_england(geoms: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    """Per geometry of ``geoms`` (EPSG:27700): True where some part of it lies outside the England zone."""
    return ~shapely.covers(england_zone(), geoms)  # type: ignore[no-any-return]
