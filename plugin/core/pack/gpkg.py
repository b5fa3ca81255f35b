"""Reading and writing pack GeoPackages with the standard library's sqlite3 and shapely.

Pure Python so the engine, the command line and the benchmark need no QGIS. Writes are
whole-table rewrites inside one transaction; callers make them atomic at file level
(see :mod:`.pack_store`).
"""

from __future__ import annotations

import contextlib
import sqlite3
import struct
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..errors import LnrsError, PackError, PackVersionError
from .integrity import WALK_FROM_BYTES, geometry_problem, validated, wkb_problem
from .model import GeomArray, PackData, PackLayer, PackMetadata, measures_from_layer
from .schema import METADATA, PACK_CRS_EPSG, SCHEMA_VERSION, TABLES, TableSpec

GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10300
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_READ_BATCH = 65536  # rows decoded at a time when reading a table
#: Longest a read-only connection may spend reading (a backstop: views are refused before they are read).
READ_SECONDS = 120.0

WKT_27700 = (
    'PROJCS["OSGB36 / British National Grid",GEOGCS["OSGB36",DATUM["Ordnance_Survey_of_Great_Britain_1936",'
    'SPHEROID["Airy 1830",6377563.396,299.3249646,AUTHORITY["EPSG","7001"]],AUTHORITY["EPSG","6277"]],'
    'PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AUTHORITY["EPSG","4277"]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",49],'
    'PARAMETER["central_meridian",-2],PARAMETER["scale_factor",0.9996012717],PARAMETER["false_easting",400000],'
    'PARAMETER["false_northing",-100000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],'
    'AXIS["Northing",NORTH],AUTHORITY["EPSG","27700"]]'
)
WKT_4326 = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
    'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],'
    'AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)


# --------------------------------------------------------------------------- geometry blobs
def decode_blob(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage geometry blob (``None`` for null or empty)."""
    if blob is None:
        return None
    data = bytes(blob)
    if len(data) < 8 or data[:2] != b"GP":
        raise PackError("a geometry in the pack is not a GeoPackage geometry blob; the file is damaged.")
    flags = data[3]
    if flags & 0b10000:  # empty geometry
        return None
    env = (flags >> 1) & 0b111
    if env not in _ENVELOPE_BYTES:
        raise PackError("a geometry in the pack has an invalid envelope code; the file is damaged.")
    return data[8 + _ENVELOPE_BYTES[env]:]


def encode_blobs(geoms: Sequence[Any] | GeomArray, srs_id: int = PACK_CRS_EPSG) -> list[bytes | None]:
    """GeoPackage blobs (little-endian, XY envelope, 2D WKB) for shapely geometries."""
    arr = np.asarray(geoms, dtype=object)
    out: list[bytes | None] = [None] * len(arr)
    if len(arr) == 0:
        return out
    present = np.array([g is not None for g in arr], dtype=bool)
    if not present.any():
        return out
    good = arr[present]
    wkbs = shapely.to_wkb(good, output_dimension=2, byte_order=1)
    bounds = shapely.bounds(good)
    empty = shapely.is_empty(good)
    srs = struct.pack("<i", srs_id)
    idx = np.flatnonzero(present)
    for k, i in enumerate(idx):
        if empty[k]:
            out[i] = b"GP\x00\x11" + srs + bytes(wkbs[k])
        else:
            minx, miny, maxx, maxy = bounds[k]
            out[i] = b"GP\x00\x03" + srs + struct.pack("<4d", minx, maxx, miny, maxy) + bytes(wkbs[k])
    return out


def _blob_bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    wkb = decode_blob(blob)
    if wkb is None:
        return None
    g = shapely.from_wkb(wkb)
    if g is None or g.is_empty:
        return None
    minx, miny, maxx, maxy = g.bounds
    return (minx, maxx, miny, maxy)


def connect_rw(path: str | Path) -> sqlite3.Connection:
    """A read-write connection in autocommit mode with the GeoPackage ST_* functions registered."""
    conn = sqlite3.connect(str(path), timeout=5.0, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    register_functions(conn)
    return conn


@contextlib.contextmanager
def immediate_transaction(conn: sqlite3.Connection,
                          refusal: Callable[[sqlite3.DatabaseError], LnrsError]) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` on ``conn`` (autocommit mode), then the connection is closed; a database
    error becomes ``refusal(error)``, and whatever fails is rolled back first."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield conn
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise refusal(exc) from exc
    finally:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        conn.close()


def register_functions(conn: sqlite3.Connection) -> None:
    """The ST_* functions GeoPackage R-tree triggers call, so edits through sqlite3 keep the index."""

    def is_empty(blob: bytes | None) -> int:
        return 1 if decode_blob(blob) is None else 0

    def make(k: int) -> Any:
        def f(blob: bytes | None) -> float | None:
            b = _blob_bounds(blob)
            return None if b is None else b[k]
        return f

    conn.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for k, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        conn.create_function(name, 1, make(k), deterministic=True)


# --------------------------------------------------------------------------- reading
def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({_quote(table)})")]


def open_readonly(path: str | Path) -> sqlite3.Connection:
    p = Path(path)
    if not p.is_file():
        raise PackError(f"the pack file {p} does not exist.")
    if p.stat().st_size == 0:
        raise PackError(f"the pack file {p} is empty; rebuild it or choose another pack.")
    try:
        return _connect_readonly(p)
    except sqlite3.DatabaseError as exc:
        if not _roll_back_hot_journal(p):
            raise PackError(f"{p.name} is not a readable GeoPackage ({exc}); the file is damaged or not a "
                            "pack.") from exc
    try:
        return _connect_readonly(p)
    except sqlite3.DatabaseError as exc:
        raise PackError(f"{p.name} is not a readable GeoPackage ({exc}); the file is damaged or not a pack.") from exc


def _connect_readonly(p: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    deadline = time.monotonic() + READ_SECONDS
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 100_000)  # every read bounded
    try:
        conn.execute("PRAGMA trusted_schema = OFF")  # no SQL function runs from a view or trigger the pack defines
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _roll_back_hot_journal(p: Path) -> bool:
    """After a writer was killed mid-transaction, its rollback journal stays next to the pack and a read-only
    connection cannot use the file; one read-write open rolls the unfinished transaction back (as SQLite does
    for any writer). True when that was done."""
    if not Path(f"{p}-journal").is_file():
        return False
    try:
        conn = sqlite3.connect(str(p), timeout=5.0)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False
    return True


def read_metadata_pairs(conn: sqlite3.Connection) -> dict[str, str]:
    if METADATA.name not in _tables(conn):
        raise PackError("this GeoPackage is not an LNRS Local Habitat Map pack: it has no 'pack_metadata' table.")
    return {str(k): "" if v is None else str(v) for k, v in conn.execute(
        f"SELECT key, value FROM {_quote(METADATA.name)}")}


def check_schema_version(metadata: PackMetadata) -> None:
    if metadata.schema_version > SCHEMA_VERSION:
        raise PackVersionError(
            f"this pack was written with pack schema {metadata.schema_version}, newer than the "
            f"{SCHEMA_VERSION} this version of LNRS Toolkit understands; update the plugin.")
    if metadata.schema_version < 1:
        raise PackError("the pack's schema_version is missing or not a number; rebuild the pack.")


def _declared_srs(conn: sqlite3.Connection, spec: TableSpec) -> tuple[str, int, str | None]:
    """The geometry column of ``spec``'s table, its srs_id, and why that SRS is not usable (or None)."""
    row = conn.execute("SELECT g.column_name, g.srs_id, s.organization, s.organization_coordsys_id "
                       "FROM gpkg_geometry_columns g LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id "
                       "WHERE g.table_name = ?", (spec.name,)).fetchone()
    if row is None:
        raise PackError(f"the pack's table '{spec.name}' has no geometry column registered; rebuild the pack.")
    column, srs_id, org, org_id = row
    if str(org or "").upper() == "EPSG" and org_id == PACK_CRS_EPSG and isinstance(srs_id, int):
        return str(column), srs_id, None
    named = f"{org}:{org_id}" if org else f"srs_id {srs_id}"
    return str(column), -2, (f"{spec.title} were not checked: the pack's table '{spec.name}' is stored in {named}, "
                             f"not British National Grid (EPSG:{PACK_CRS_EPSG}); its coordinates are not read as "
                             "metres. Reproject the layer to EPSG:27700 and rebuild the pack.")


def _blob_wkb(blob: Any, srs_le: bytes) -> bytes | None:
    """The WKB of a non-standard blob, or None (null/empty); ValueError when it is damaged or in another SRS."""
    try:
        wkb = decode_blob(blob)
    except PackError as exc:
        raise ValueError(str(exc)) from None
    if wkb is not None and bytes(blob[4:8]) != srs_le:
        raise ValueError("a geometry declares another SRS than its table")
    return wkb


def _decoded(rows: Sequence[Any], srs_le: bytes) -> tuple[GeomArray, int]:
    """Each row's geometry (None when null, empty or unusable) and how many were unusable.

    ``r[2]`` says what SQLite made of the blob (see :func:`read_layer`): 0 null, 1 the usual blob cut to its WKB,
    3 the same but long, 2 anything else (decoded here). A WKB long enough to nest collections deeply is walked
    first (:func:`.integrity.wkb_problem`), so a damaged or deeply nested one never reaches GEOS; a shorter one
    cannot nest deeper than GEOS copes with.
    """
    wkbs: list[Any] = [r[1] for r in rows]
    bad = 0
    for i in [i for i, r in enumerate(rows) if r[2] > 1]:
        try:
            wkb = wkbs[i] if rows[i][2] == 3 else _blob_wkb(wkbs[i], srs_le)
        except ValueError:
            wkb, bad = None, bad + 1
        else:
            if wkb is not None and len(wkb) > WALK_FROM_BYTES and wkb_problem(wkb) is not None:
                wkb, bad = None, bad + 1
        wkbs[i] = wkb
    nulls = wkbs.count(None)
    geoms = shapely.from_wkb(np.array(wkbs, dtype=object), on_invalid="ignore")
    return geoms, bad + int(np.count_nonzero(shapely.is_missing(geoms))) - nulls


def _check_table_kind(conn: sqlite3.Connection, name: str) -> None:
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    if kind is not None and kind[0] != "table":
        raise PackError(f"the pack's '{name}' is a {kind[0]}, not a table, so its rows cannot be trusted or read in "
                        "bounded time; rebuild the pack (or replace the view by a table).")


def read_layer(conn: sqlite3.Connection, spec: TableSpec, where: str = "",
               params: Sequence[Any] = ()) -> PackLayer:
    """One canonical table, or the rows of it that ``where`` (an SQL condition on the fid column, with
    ``params``) selects; validated as :mod:`.integrity` says (problems kept on the layer)."""
    _check_table_kind(conn, spec.name)
    present = _columns(conn, spec.name)
    missing = [c.name for c in spec.columns if c.name not in present and not c.optional]
    if missing:
        raise PackError(f"the pack's table '{spec.name}' lacks the column(s) {', '.join(missing)}; rebuild the pack.")
    fid_col = "fid" if "fid" in present else "rowid"
    cols = ", ".join(_quote(c) if c in present else "NULL" for c in spec.column_names)
    srs_problem = None
    srs_le = b""
    if spec.is_spatial:
        column, srs_id, srs_problem = _declared_srs(conn, spec)
        g = _quote(column)
        srs_le = struct.pack("<i", srs_id)
        # The usual blob (little-endian header, XY envelope, not empty, the table's SRS) is cut down to its WKB by
        # SQLite; any other comes whole (kind 2) and goes through decode_blob.
        std = f"substr({g}, 1, 8) = X'47500003{srs_le.hex()}'"
        kind = (f"CASE WHEN {g} IS NULL THEN 0 WHEN {std} THEN (CASE WHEN length({g}) > {WALK_FROM_BYTES + 40} "
                "THEN 3 ELSE 1 END) ELSE 2 END")
        sql = (f"SELECT {fid_col}, CASE WHEN {std} THEN substr({g}, 41) ELSE {g} END, {kind}, {cols} "
               f"FROM {_quote(spec.name)}")
    else:
        sql = f"SELECT {fid_col}, NULL, NULL, {cols} FROM {_quote(spec.name)}"
    if where:
        sql += f" WHERE {where.format(fid=fid_col)}"
    sql += f" ORDER BY {fid_col}"
    fid_list: list[int] = []
    columns: dict[str, list[Any]] = {name: [] for name in spec.column_names}
    parts: list[GeomArray] = []
    undecodable = 0
    try:
        cursor = conn.execute(sql, tuple(params))
        while rows := cursor.fetchmany(_READ_BATCH):  # in batches: rows and WKB are never all held at once
            fid_list.extend(r[0] for r in rows)
            for i, name in enumerate(spec.column_names):
                columns[name].extend(r[3 + i] for r in rows)
            if spec.is_spatial and srs_problem is None:
                decoded, bad = _decoded(rows, srs_le)
                undecodable += bad
                parts.append(decoded)
    except sqlite3.DatabaseError as exc:
        if str(exc) == "interrupted":
            raise PackError(f"reading the pack's table '{spec.name}' took longer than {READ_SECONDS:g} s and was "
                            "stopped; the pack is damaged or not a plain pack. Rebuild it.") from exc
        raise PackError(f"the pack's table '{spec.name}' cannot be read ({exc}); the file is damaged.") from exc
    fids = np.array(fid_list, dtype=np.int64)
    geoms = None
    problems: tuple[str, ...] = () if srs_problem is None else (srs_problem,)
    if spec.is_spatial:
        geoms = np.concatenate(parts) if parts else np.full(len(fids), None, dtype=object)
        if not problems:
            problem = geometry_problem(spec, geoms, undecodable, len(fids))
            problems = () if problem is None else (problem,)
    return PackLayer(spec, fids, geoms, columns, problems)


def read_pack(path: str | Path) -> PackData:
    """Read every canonical table present in the pack GeoPackage at ``path``, validated (see ``.integrity``)."""
    conn = open_readonly(path)
    try:
        pairs = read_metadata_pairs(conn)
        metadata = PackMetadata.from_pairs(pairs)
        check_schema_version(metadata)
        present = _tables(conn)
        layers = {spec.name: read_layer(conn, spec) for spec in TABLES
                  if spec.name in present and spec is not METADATA}
    except sqlite3.DatabaseError as exc:
        raise PackError(f"{Path(path).name} cannot be read ({exc}); the file is damaged.") from exc
    finally:
        conn.close()
    return validated(PackData(layers, metadata, str(path), measures_from_layer(layers.get("measures"))))
