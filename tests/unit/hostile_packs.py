"""Packs damaged on purpose for the reliability tests of issue 15 (pure Python: core only)."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import numpy as np
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.tests.unit.packs import build_small_pack
from shapely.geometry import box

#: A site wholly inside the small pack's SSSI "Alpha Meadows" and 10 m from its ancient woodland.
SITE = box(10, 10, 60, 60)


def build_hostile_base(path: Path) -> Path:
    """The small pack (SSSI, trees, opportunity areas, catalogue) plus an ancient woodland beside the site."""
    build_small_pack(path)
    add_rows(path, map_rows("irreplaceable", [{"n": "Old Wood"}], np.asarray([box(70, 10, 90, 60)], dtype=object),
                            FieldMapping(habitat_type="ancient_woodland", name_field="n"), "woods", ["n"], "polygon"))
    return path


def gpkg_blob(wkb: bytes, srs_id: int = 27700) -> bytes:
    """A GeoPackage blob without envelope (so it goes through the reader's slow, checking path)."""
    return b"GP\x00\x01" + struct.pack("<i", srs_id) + wkb


def nested_collection_wkb(depth: int) -> bytes:
    """A point inside ``depth`` GeometryCollections: GEOS recurses once per level (200,000 crash it)."""
    point = b"\x01\x01\x00\x00\x00" + struct.pack("<2d", 20.0, 20.0)
    return b"\x01\x07\x00\x00\x00\x01\x00\x00\x00" * depth + point


def sql(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """Run SQL on the pack as another tool would (R-tree triggers get stub functions, not the plugin's)."""
    conn = sqlite3.connect(path)
    for name in ("ST_IsEmpty", "ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        conn.create_function(name, 1, lambda _b: 0)
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.commit()
    conn.close()
