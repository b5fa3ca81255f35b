"""The part of a pack GeoPackage that one site needs, read through the file's own R-tree indexes.

A national Local Habitat Map holds about a million polygons: reading it whole takes tens of seconds,
while a site needs the few features within its search distance. :func:`read_outline` reads once what
must be known of the whole pack (metadata, catalogue, tables present, how many features each holds,
the overall extent, the largest tree buffer inputs); :func:`read_window` then reads the features
whose envelopes meet a rectangle, by the R-tree every GeoPackage writer keeps (``rtree_<table>_<geom>``).
A spatial table without an R-tree is read whole (correct, only slower).
"""

from __future__ import annotations

import sqlite3
import struct
import threading
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import PackError
from .gpkg import (
    _quote,
    _tables,
    check_schema_version,
    open_readonly,
    read_layer,
    read_metadata_pairs,
)
from .integrity import validated
from .model import Measure, PackData, PackLayer, PackMetadata, measures_from_layer
from .schema import MEASURES, METADATA, SCREENED_TABLES, TABLES, TREES, TableSpec

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class PackOutline:
    """What is known of a whole pack file without reading its features."""

    path: str
    metadata: PackMetadata
    present: tuple[str, ...]  # canonical tables in the file
    rtrees: Mapping[str, str]  # spatial table -> its R-tree table
    #: whether each spatial table has a feature with a non-empty geometry (None: no R-tree to tell)
    indexed: Mapping[str, bool | None]
    #: bounds of every indexed feature of every spatial table screening reads (None when nothing is indexed)
    extent: Bounds | None
    #: the largest stem diameter and crown radius of any tree (m), for the largest buffer a tree can have
    tree_stem_max_m: float | None
    tree_crown_max_m: float | None
    measures: Mapping[str, Measure]
    catalogue: PackLayer | None


def file_version(path: str | Path) -> tuple[str, int, int]:
    """(real path, size, modification time): changes whenever the file is written."""
    p = Path(path)
    if not p.exists():
        raise PackError(f"the pack file {p} does not exist; choose an existing .gpkg pack.")
    try:
        st = p.stat()
    except OSError as exc:
        raise PackError(f"the pack file {p} cannot be opened ({exc.strerror or exc}).") from exc
    return (str(p.resolve()), st.st_size, st.st_mtime_ns)


def _rtree_name(conn: sqlite3.Connection, table: str, tables: set[str]) -> str | None:
    row = conn.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()
    if row is None:
        return None
    name = f"rtree_{table}_{row[0]}"
    return name if name in tables else None


def _root_bounds(conn: sqlite3.Connection, rtree: str) -> Bounds | None:
    """The bounds of everything an R-tree holds, from its root node alone (SQLite's node format: depth and
    cell count as 16-bit big-endian integers, then per cell a 64-bit id and minx, maxx, miny, maxy as
    32-bit big-endian floats, rounded outwards)."""
    row = conn.execute(f"SELECT data FROM {_quote(rtree + '_node')} WHERE nodeno = 1").fetchone()
    if row is None or row[0] is None or len(row[0]) < 4:
        return None
    data = bytes(row[0])
    count = struct.unpack(">H", data[2:4])[0]
    if count == 0 or len(data) < 4 + 24 * count:
        return None
    cells = [struct.unpack(">4f", data[4 + 24 * i + 8: 4 + 24 * i + 24]) for i in range(count)]
    return (min(c[0] for c in cells), min(c[2] for c in cells), max(c[1] for c in cells), max(c[3] for c in cells))


def _max_number(conn: sqlite3.Connection, table: str, column: str) -> float | None:
    row = conn.execute(f"SELECT max({_quote(column)}) FROM {_quote(table)} "
                       f"WHERE typeof({_quote(column)}) IN ('integer', 'real')").fetchone()
    return None if row is None or row[0] is None else float(row[0])


def read_outline(path: str | Path) -> PackOutline:
    """Metadata, catalogue and the shape of the pack at ``path``, without its features."""
    conn = open_readonly(path)
    try:
        metadata = PackMetadata.from_pairs(read_metadata_pairs(conn))
        check_schema_version(metadata)
        tables = _tables(conn)
        present = tuple(spec.name for spec in TABLES if spec.name in tables and spec is not METADATA)
        rtrees: dict[str, str] = {}
        indexed: dict[str, bool | None] = {}
        boxes: list[Bounds] = []
        for spec in TABLES:
            if not spec.is_spatial or spec.name not in present:
                continue
            rtree = _rtree_name(conn, spec.name, tables)
            if rtree is None:
                indexed[spec.name] = None
                continue
            rtrees[spec.name] = rtree
            box = _root_bounds(conn, rtree)
            indexed[spec.name] = box is not None
            if box is not None and spec in SCREENED_TABLES:
                boxes.append(box)
        stem = crown = None
        if TREES.name in present:
            stem = _max_number(conn, TREES.name, "stem_diameter_m")
            crown = _max_number(conn, TREES.name, "crown_radius_m")
        catalogue = read_layer(conn, MEASURES) if MEASURES.name in present else None
        if catalogue is not None:  # normalised or refused as in a whole read
            catalogue = validated(PackData({MEASURES.name: catalogue}, metadata)).layers.get(MEASURES.name)
    except sqlite3.DatabaseError as exc:
        raise PackError(f"{Path(path).name} cannot be read ({exc}); the file is damaged.") from exc
    finally:
        conn.close()
    extent = None
    if boxes:
        extent = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                  max(b[3] for b in boxes))
    return PackOutline(str(path), metadata, present, rtrees, indexed, extent, stem, crown,
                       measures_from_layer(catalogue), catalogue)


def read_window(outline: PackOutline, bounds: Bounds, skip: Collection[str] = (),
                conn: sqlite3.Connection | None = None) -> PackData:
    """Every feature whose envelope meets ``bounds`` (EPSG:27700), with the whole catalogue and metadata.

    Tables absent from the file (or named in ``skip``) are absent; a table present with nothing in the window
    is an empty layer (so a check over it is clear, not "not checked"). ``conn``: an open read-only connection
    to the pack to use (else one is opened and closed).
    """
    x0, y0, x1, y1 = bounds
    own = conn is None
    if conn is None:
        conn = open_readonly(outline.path)
    db = conn

    def near(spec: TableSpec) -> PackLayer:
        rtree = outline.rtrees.get(spec.name)
        if rtree is None:  # no R-tree: the whole table (correct, only slower)
            return read_layer(db, spec)
        where = (f"{{fid}} IN (SELECT id FROM {_quote(rtree)} "
                 "WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)")
        return read_layer(db, spec, where, (x0, x1, y0, y1))

    try:
        return window_pack(outline, skip, near, lambda spec: read_layer(db, spec))
    except sqlite3.DatabaseError as exc:
        raise PackError(f"{Path(outline.path).name} cannot be read ({exc}); the file is damaged.") from exc
    finally:
        if own:
            conn.close()


def window_pack(outline: PackOutline, skip: Collection[str], near: Callable[[TableSpec], PackLayer],
                whole: Callable[[TableSpec], PackLayer]) -> PackData:
    """A window's pack from its source's readers: ``near`` for spatial tables (the features near the site),
    ``whole`` for the others; the catalogue from the outline; validated as a whole read is."""
    layers: dict[str, PackLayer] = {}
    for spec in TABLES:
        if spec.name not in outline.present or spec.name in skip:
            continue
        if spec is MEASURES and outline.catalogue is not None:
            layers[spec.name] = outline.catalogue
        else:
            layers[spec.name] = near(spec) if spec.is_spatial else whole(spec)
    return validated(PackData(layers, outline.metadata, outline.path, outline.measures))


class GpkgWindows:
    """A pack GeoPackage as a :class:`WindowSource`: one read-only connection per thread."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()

    def version(self) -> Hashable:
        return file_version(self.path)

    def outline(self) -> PackOutline:
        return read_outline(self.path)

    def read_all(self, outline: PackOutline, spec: TableSpec) -> PackLayer:
        conn = open_readonly(self.path)
        try:
            return read_layer(conn, spec)
        except sqlite3.DatabaseError as exc:
            raise PackError(f"{Path(self.path).name} cannot be read ({exc}); the file is damaged.") from exc
        finally:
            conn.close()

    def window(self, outline: PackOutline, bounds: Bounds, skip: Collection[str]) -> PackData:
        local = self._local
        if getattr(local, "outline", None) is not outline:  # a new outline: the file changed, reconnect
            if getattr(local, "conn", None) is not None:
                local.conn.close()
            local.conn, local.outline = open_readonly(self.path), outline
        return read_window(outline, bounds, skip, local.conn)


class WindowSource(Protocol):
    """Where a windowed reader gets a pack from: a GeoPackage (:class:`GpkgWindows`) or a PostGIS schema."""

    def version(self) -> Hashable:
        """Changes whenever the pack's content may have changed."""

    def outline(self) -> PackOutline:
        """What is known of the whole pack without reading its features."""

    def read_all(self, outline: PackOutline, spec: TableSpec) -> PackLayer:
        """One whole table."""

    def window(self, outline: PackOutline, bounds: Bounds, skip: Collection[str]) -> PackData:
        """Every feature whose envelope meets ``bounds``, with the catalogue and metadata (see :func:`read_window`)."""
