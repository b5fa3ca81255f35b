"""Writing pack GeoPackages: the GeoPackage core tables, one canonical table at a time (R-tree, registrations,
stable fids), and the metadata table. Readers are in :mod:`.gpkg`."""

from __future__ import annotations

import sqlite3
import struct
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np
import shapely

from .gpkg import (
    GPKG_APPLICATION_ID,
    GPKG_USER_VERSION,
    WKT_4326,
    WKT_27700,
    _blob_bounds,
    _quote,
    _tables,
    encode_blobs,
)
from .model import GeomArray
from .schema import METADATA, PACK_CRS_EPSG, TableSpec


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def init_geopackage(conn: sqlite3.Connection) -> None:
    """Create the GeoPackage core tables in an empty database."""
    conn.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
    conn.executescript("""
    CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
    CREATE TABLE IF NOT EXISTS gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
      description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
    CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
      table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    CREATE TABLE IF NOT EXISTS gpkg_extensions (
      table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
      scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
    """)
    srs_rows = [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
        ("WGS 84 geodetic", 4326, "EPSG", 4326, WKT_4326, "longitude/latitude coordinates in decimal degrees"),
        ("OSGB36 / British National Grid", 27700, "EPSG", 27700, WKT_27700, "British National Grid"),
    ]
    conn.executemany("INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)", srs_rows)


def drop_table(conn: sqlite3.Connection, table: str) -> None:
    """Drop a table with its R-tree, triggers and registrations."""
    q = _quote
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name=?",
                                (table,)).fetchall():
        conn.execute(f"DROP TRIGGER IF EXISTS {q(name)}")
    rtrees = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE ?",
                                         (f"rtree_{table}_%",)) if not r[0].endswith(("_node", "_parent", "_rowid"))]
    for name in rtrees:
        conn.execute(f"DROP TABLE IF EXISTS {q(name)}")
    conn.execute(f"DROP TABLE IF EXISTS {q(table)}")
    for meta in ("gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents", "gpkg_contents"):
        if meta in _tables(conn):
            conn.execute(f"DELETE FROM {meta} WHERE table_name = ?", (table,))


def _rtree_triggers(t: str, c: str = "geom", i: str = "fid") -> list[str]:
    r = f"rtree_{t}_{c}"
    vals = f"NEW.{i}, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})"
    qt = _quote(t)
    return [
        f'CREATE TRIGGER "{r}_insert" AFTER INSERT ON {qt} WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c})) '
        f'BEGIN INSERT OR REPLACE INTO "{r}" VALUES ({vals}); END',
        f'CREATE TRIGGER "{r}_update1" AFTER UPDATE OF {c} ON {qt} WHEN OLD.{i} = NEW.{i} AND '
        f'(NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c})) BEGIN INSERT OR REPLACE INTO "{r}" VALUES ({vals}); END',
        f'CREATE TRIGGER "{r}_update2" AFTER UPDATE OF {c} ON {qt} WHEN OLD.{i} = NEW.{i} AND '
        f'(NEW.{c} IS NULL OR ST_IsEmpty(NEW.{c})) BEGIN DELETE FROM "{r}" WHERE id = OLD.{i}; END',
        f'CREATE TRIGGER "{r}_update3" AFTER UPDATE ON {qt} WHEN OLD.{i} != NEW.{i} AND '
        f'(NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c})) BEGIN DELETE FROM "{r}" WHERE id = OLD.{i}; '
        f'INSERT OR REPLACE INTO "{r}" VALUES ({vals}); END',
        f'CREATE TRIGGER "{r}_update4" AFTER UPDATE ON {qt} WHEN OLD.{i} != NEW.{i} AND '
        f'(NEW.{c} IS NULL OR ST_IsEmpty(NEW.{c})) BEGIN DELETE FROM "{r}" WHERE id IN (OLD.{i}, NEW.{i}); END',
        f'CREATE TRIGGER "{r}_delete" AFTER DELETE ON {qt} WHEN old.{c} NOT NULL '
        f'BEGIN DELETE FROM "{r}" WHERE id = OLD.{i}; END',
    ]


def _as_multi(geoms: GeomArray) -> GeomArray:
    """Polygons become MultiPolygons so every row matches the declared MULTIPOLYGON type."""
    out = geoms.copy()
    types = shapely.get_type_id(out)
    single = np.flatnonzero(types == 3)
    if len(single):
        out[single] = shapely.multipolygons(out[single].reshape(-1, 1))
    return out


def _fid_sequence(conn: sqlite3.Connection, table: str) -> int:
    """The highest fid ``table`` ever handed out (its AUTOINCREMENT sequence), 0 if none."""
    if "sqlite_sequence" not in _tables(conn):
        return 0
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def _keep_sequence(conn: sqlite3.Connection, table: str, high_water: int) -> None:
    if high_water <= 0:
        return
    if conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (high_water, table)).rowcount == 0:
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, high_water))


def write_table(conn: sqlite3.Connection, spec: TableSpec, columns: Mapping[str, Sequence[Any]],
                geoms: Sequence[Any] | GeomArray | None = None, fids: Sequence[int | None] | None = None,
                high_water: int = 0) -> int:
    """Replace ``spec``'s table with these rows (R-tree and registrations included).

    ``fids`` gives each row its fid (``None``: a new one). New fids are above every fid the table ever held
    (its AUTOINCREMENT sequence is kept across the rewrite) and above ``high_water``, so a fid is never reused.
    ``conn`` must come from :func:`connect_rw` (it registers the functions R-tree triggers call).
    """
    high_water = max(high_water, _fid_sequence(conn, spec.name))
    drop_table(conn, spec.name)
    q = _quote
    n = len(next(iter(columns.values()))) if columns else (0 if geoms is None else len(geoms))
    optional = {c.name for c in spec.columns if c.optional}
    columns = {**{c: [None] * n for c in optional if c not in columns}, **columns}  # an optional column may be left out
    col_defs = ", ".join(f"{q(c.name)} {c.sql_type}" for c in spec.columns)
    fid_list: Sequence[int | None] = fids if fids is not None else [None] * n
    if spec.is_spatial:
        assert spec.geometry_type is not None
        conn.execute(f"CREATE TABLE {q(spec.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
                     f"geom {spec.geometry_type}, {col_defs})")
        garr = np.asarray(geoms if geoms is not None else [None] * n, dtype=object)
        if spec.geometry_type == "MULTIPOLYGON" and len(garr):
            garr = _as_multi(garr)
        blobs = encode_blobs(garr)
        good = np.array([g is not None and not g.is_empty for g in garr], dtype=bool)
        if good.any():
            minx, miny, maxx, maxy = shapely.total_bounds(garr[good])
            extent: tuple[float | None, ...] = (float(minx), float(miny), float(maxx), float(maxy))
        else:
            extent = (None, None, None, None)
        conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, "
                     "min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
                     (spec.name, spec.name, spec.title, _now(), *extent, PACK_CRS_EPSG))
        conn.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                     (spec.name, spec.geometry_type, PACK_CRS_EPSG))
        _keep_sequence(conn, spec.name, high_water)
        placeholders = ", ".join("?" for _ in range(len(spec.columns) + 2))
        names = ", ".join(["fid", "geom", *(q(c) for c in spec.column_names)])
        rows: Iterable[tuple[Any, ...]] = zip(fid_list, blobs, *(columns[c] for c in spec.column_names))
        conn.executemany(f"INSERT INTO {q(spec.name)} ({names}) VALUES ({placeholders})", rows)
        _create_rtree(conn, spec.name)
    else:
        conn.execute(f"CREATE TABLE {q(spec.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {col_defs})")
        conn.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                     "VALUES (?, 'attributes', ?, ?, ?)", (spec.name, spec.name, spec.title, _now()))
        _keep_sequence(conn, spec.name, high_water)
        placeholders = ", ".join("?" for _ in range(len(spec.columns) + 1))
        names = ", ".join(["fid", *(q(c) for c in spec.column_names)])
        conn.executemany(f"INSERT INTO {q(spec.name)} ({names}) VALUES ({placeholders})",
                         zip(fid_list, *(columns[c] for c in spec.column_names)))
    return n


def _create_rtree(conn: sqlite3.Connection, table: str) -> None:
    r = f"rtree_{table}_geom"
    conn.execute(f'CREATE VIRTUAL TABLE "{r}" USING rtree(id, minx, maxx, miny, maxy)')
    rows = conn.execute(f"SELECT fid, geom FROM {_quote(table)}").fetchall()
    entries = []
    for fid, blob in rows:
        if blob is None:
            continue
        data = bytes(blob)
        if data[3] & 0b10000 or ((data[3] >> 1) & 0b111) != 1:
            b = _blob_bounds(data)
            if b is not None:
                entries.append((fid, *b))
            continue
        entries.append((fid, *struct.unpack_from("<4d", data, 8)))
    conn.executemany(f'INSERT INTO "{r}" VALUES (?, ?, ?, ?, ?)', entries)
    for sql in _rtree_triggers(table):
        conn.execute(sql)
    conn.execute("INSERT OR REPLACE INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', "
                 "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')", (table,))


def write_metadata(conn: sqlite3.Connection, pairs: Mapping[str, str]) -> None:
    keys = list(pairs)
    write_table(conn, METADATA, {"key": keys, "value": [pairs[k] for k in keys]})
