"""A small pack in England for the editing tests (check-out, check-in, audit, conflicts), and helpers to edit
a working copy's table the way QGIS would (plain SQL on the GeoPackage, R-tree triggers firing)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
import shapely
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.gpkg import encode_blobs, register_functions
from lnrs_toolkit.plugin.core.pack.store import add_rows
from shapely.geometry import box

X0, Y0 = 375_000.0, 165_000.0  # near Bath, EPSG:27700

AREAS = [
    {"codes": "WD001", "name": "Bath meadows", "ref": "A1"},
    {"codes": "GR002;FW012", "name": "River corridor", "ref": "A2"},
    {"codes": "WD001;GR002", "name": "Hill wood", "ref": "A3"},
]
AREA_GEOMS = [box(X0 + i * 1000, Y0, X0 + i * 1000 + 300, Y0 + 300) for i in range(len(AREAS))]

CATALOGUE = [
    {"code": "WD001", "habitat_theme": "Woodland", "priority": "P1", "measure": "Create new broadleaved woodland."},
    {"code": "GR002", "habitat_theme": "Grassland", "priority": "P1", "measure": "Restore species-rich grassland."},
    {"code": "FW012", "habitat_theme": "Freshwater", "priority": "P2", "measure": "Re-naturalise river corridors."},
]


def build_edit_pack(pack: Path) -> str:
    """The pack: three opportunity areas, the catalogue, one designated site far away; returns its hash."""
    mapped = map_rows("designated", [{"d": "SSSI", "n": "Far Fen"}],
                      np.asarray([box(X0 + 20_000, Y0, X0 + 20_500, Y0 + 500)], dtype=object),
                      FieldMapping(designation_field="d", name_field="n"), "sites", ["d", "n"], "polygon")
    add_rows(pack, mapped, {"lnrs_name": "Edit Test LNRS", "version": "1"})
    mapped = map_rows("opportunity", AREAS, np.asarray(AREA_GEOMS, dtype=object),
                      FieldMapping(measures_field="codes", name_field="name", ref_field="ref"), "acb",
                      ["codes", "name", "ref"], "polygon")
    add_rows(pack, mapped)
    mapped = map_rows("measures", CATALOGUE, None,
                      FieldMapping(code_field="code", theme_field="habitat_theme", priority_field="priority",
                                   text_field="measure"), "catalogue", ["code", "habitat_theme", "priority", "measure"])
    return add_rows(pack, mapped).content_sha256


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    register_functions(conn)
    return conn


def set_row(path: Path, fid: int, **values) -> None:
    """Change a working-copy row (``geom`` as a shapely geometry), as QGIS saving an edit would."""
    conn = connect(path)
    try:
        params = []
        cols = []
        for name, value in values.items():
            cols.append(f'"{name}" = ?')
            params.append(encode_blobs([value])[0] if name == "geom" else value)
        conn.execute(f"UPDATE opportunity_edits SET {', '.join(cols)} WHERE fid = ?", (*params, fid))
    finally:
        conn.close()


def add_row(path: Path, geom, measures: str, name: str = "", ref: str = "", pack_fid: int | None = None) -> int:
    conn = connect(path)
    try:
        cur = conn.execute("INSERT INTO opportunity_edits (geom, pack_fid, measures, name, ref) VALUES (?, ?, ?, ?, ?)",
                           (encode_blobs([shapely.multipolygons([geom]) if geom.geom_type == "Polygon" else geom])[0],
                            pack_fid, measures, name or None, ref or None))
        return int(cur.lastrowid)
    finally:
        conn.close()


def delete_row(path: Path, fid: int) -> None:
    conn = connect(path)
    try:
        conn.execute("DELETE FROM opportunity_edits WHERE fid = ?", (fid,))
    finally:
        conn.close()


def row_fid(path: Path, pack_fid: int) -> int:
    conn = connect(path)
    try:
        return int(conn.execute("SELECT min(fid) FROM opportunity_edits WHERE pack_fid = ?", (pack_fid,)).fetchone()[0])
    finally:
        conn.close()


def rtree_matches(path: Path, table: str) -> bool:
    """The table's R-tree holds exactly one entry per non-empty geometry, with its bounds."""
    conn = connect(path)
    try:
        rows = conn.execute(f'SELECT fid, geom FROM "{table}"').fetchall()
        tree = {r[0]: r[1:] for r in conn.execute(f'SELECT id, minx, maxx, miny, maxy FROM "rtree_{table}_geom"')}
    finally:
        conn.close()
    from lnrs_toolkit.plugin.core.pack.gpkg import decode_blob

    expected = {}
    for fid, blob in rows:
        wkb = decode_blob(blob)
        if wkb is None:
            continue
        minx, miny, maxx, maxy = shapely.from_wkb(wkb).bounds
        expected[fid] = (minx, maxx, miny, maxy)
    if set(expected) != set(tree):
        return False
    # the R-tree stores 32-bit floats (rounded outwards): a few centimetres at these coordinates
    return all(abs(a - b) <= 0.1 for f, e in expected.items() for a, b in zip(tree[f], e))
