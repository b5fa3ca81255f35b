"""Hand-made packs for the unit tier (pure Python: core only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import BuildReport, add_rows
from shapely.geometry import Point, box

SITES = [
    {"name": "Alpha Meadows", "desig": "sssi", "ref": "S1"},
    {"name": "Beta Wood", "desig": "Special Area of Conservation", "ref": "S2"},
    {"name": "Gamma Marsh", "desig": "LNR", "ref": "S3"},
]
SITE_GEOMS = [box(0, 0, 100, 100), box(200, 0, 300, 100), box(400, 0, 500, 100)]

TREES = [
    {"id": "T1", "status": "Veteran tree", "dbh": "1,2", "crown": 6.5},
    {"id": "T2", "status": "ancient", "dbh": None, "crown": ""},
]
TREE_GEOMS = [Point(50, 150), Point(250, 150)]

OPPORTUNITY = [
    {"codes": " wd001 ; Wd006|fw012 ", "label": "Woodland buffer"},
    {"codes": "GL001,XX999", "label": "Grassland"},
]
OPPORTUNITY_GEOMS = [box(0, 200, 100, 300), box(200, 200, 300, 300)]

CATALOGUE = [
    {"code": "wd001", "habitat_theme": "Woodland", "priority": "P1", "measure": "Buffer ancient woodland."},
    {"code": "WD006", "habitat_theme": "Woodland", "priority": "P1", "measure": "Connect woodland."},
    {"code": "FW012", "habitat_theme": "Freshwater", "priority": "P2", "measure": "River corridors."},
    {"code": "GL001", "habitat_theme": "Grasslands", "priority": "P3", "measure": "Grassland."},
]


def add_sites(pack: Path, rows=SITES, geoms=SITE_GEOMS, source: str = "sites", **meta: str) -> BuildReport:
    mapped = map_rows("designated", rows, np.asarray(geoms, dtype=object),
                      FieldMapping(designation_field="desig", name_field="name", ref_field="ref"),
                      source, ["name", "desig", "ref"], "polygon")
    return add_rows(pack, mapped, meta)


def build_small_pack(pack: Path, order: int = 1) -> BuildReport:
    """A pack with every kind of table; ``order=-1`` adds every table's rows in reverse order."""
    def o(seq):
        return list(seq)[::order]

    add_sites(pack, o(SITES), o(SITE_GEOMS), lnrs_name="Test LHM", version="1")
    mapped = map_rows("trees", o(TREES), np.asarray(o(TREE_GEOMS), dtype=object),
                      FieldMapping(status_field="status", ref_field="id", stem_diameter_field="dbh",
                                   crown_radius_field="crown"), "trees", ["id", "status", "dbh", "crown"], "point")
    add_rows(pack, mapped)
    mapped = map_rows("opportunity", o(OPPORTUNITY), np.asarray(o(OPPORTUNITY_GEOMS), dtype=object),
                      FieldMapping(measures_field="codes", name_field="label"), "opps", ["codes", "label"], "polygon")
    add_rows(pack, mapped)
    mapped = map_rows("measures", o(CATALOGUE), None,
                      FieldMapping(code_field="code", theme_field="habitat_theme", priority_field="priority",
                                   text_field="measure"), "catalogue", ["code", "habitat_theme", "priority", "measure"])
    return add_rows(pack, mapped)


#: The split pack's one opportunity area (GL001, grassland) lies west of this easting.
SPLIT_X = 425900.0


def build_split_pack(pack: Path, status: str = "not_published", linear: bool = False) -> Path:
    """A pack whose GL001 opportunity area ends at ``SPLIT_X``: parcels of the Defra example crossing it are split.

    ``status``: the LNRS status (default not yet published: Table 8, High at baseline too); ``linear``: also
    HW001 (hedgerows, watercourses, trees) on the same area: the example's hedgerows and river split too.
    """
    add_rows(pack, map_rows("area", [{}], [box(420000, 425000, 430000, 435000)], FieldMapping(), "area", [],
                            "polygon"), {"lnrs_name": "Parcel test LNRS", "version": "1", "lnrs_status": status})
    if linear:
        add_rows(pack, map_rows("opportunity", [{"m": "HW001"}], [box(420000, 425000, SPLIT_X, 435000)],
                                FieldMapping(measures_field="m"), "opp_lines", ["m"], "polygon"))
        add_rows(pack, map_rows("measures", [{"c": "HW001", "h": "Hedgerows;Watercourses;Individual trees"}], None,
                                FieldMapping(code_field="c", habitats_field="h"), "cat_lines", ["c", "h"]))
    add_rows(pack, map_rows("opportunity", [{"m": "GL001"}], [box(420000, 425000, SPLIT_X, 435000)],
                            FieldMapping(measures_field="m"), "opp", ["m"], "polygon"))
    add_rows(pack, map_rows("measures", [{"c": "GL001", "t": "Grasslands", "x": "Grassland.", "h": "Grassland"}],
                            None, FieldMapping(code_field="c", theme_field="t", text_field="x", habitats_field="h"),
                            "cat", ["c", "t", "x", "h"]))
    return pack
