"""Screening against a pack in PostGIS without reading it whole: the neighbourhood query runs in the database.

:class:`PostgisWindows` is the PostGIS :class:`..core.pack.window.WindowSource` of
:class:`..core.screening.windowed.WindowedPack`: for each site it asks PostgreSQL for the features whose
bounding boxes meet the site's reach (``geom && ST_MakeEnvelope(...)``, answered from the GiST index every
spatial pack table has; :func:`ensure_spatial_indexes` creates any that is missing) and the one engine does
the exact geometry work, so a site gets the answer it gets from the same content in a GeoPackage.

The pack is cited with the content hash stored in its metadata (LNRS Toolkit's writers keep it current;
:func:`..pack_source.load_postgis_pack`, which reads everything, recomputes it).
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Hashable
from typing import Any

from ..core.errors import PackError
from ..core.pack.model import PackData, PackLayer, PackMetadata, measures_from_layer
from ..core.pack.schema import AREA, MEASURES, METADATA, PACK_CRS_EPSG, SCREENED_TABLES, TABLES, TREES, TableSpec
from ..core.pack.window import Bounds, PackOutline, window_pack
from .pack_source import require_pack_schema
from .pg_connection import (
    _psycopg2,
    connection_parameters,
    pg_connect,
    pg_read_layer,
    pg_read_metadata,
    pg_table,
    pg_tables,
)
from .postgis_reads import tables_in_schema, timed_out, timeout_sentence


def _spatial(present: Collection[str]) -> list[TableSpec]:
    return [spec for spec in TABLES if spec.is_spatial and spec.name in present]


def ensure_spatial_indexes(cur: Any, schema: str, present: Collection[str]) -> list[str]:
    """Create the GiST index of every spatial pack table that has none; the tables indexed now."""
    sql = _psycopg2().sql
    made = []
    for spec in _spatial(present):
        cur.execute("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON "
                    "n.oid = c.relnamespace JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON "
                    "am.oid = ic.relam JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey) "
                    "WHERE n.nspname = %s AND c.relname = %s AND a.attname = 'geom' AND am.amname = 'gist'",
                    (schema, spec.name))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(pg_table(schema, spec.name)))
            made.append(spec.name)
    return made


def estimated_features(connection_name: str, schema: str) -> int:
    """How many features the pack's spatial tables hold, from PostgreSQL's statistics (no table is read)."""
    with pg_connect(connection_name) as conn, conn.cursor() as cur:
        cur.execute("SELECT coalesce(sum(greatest(c.reltuples, 0)), 0) FROM pg_class c JOIN pg_namespace n ON "
                    "n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = ANY(%s)",
                    (schema, [spec.name for spec in TABLES if spec.is_spatial]))
        return int(cur.fetchone()[0])


class PostgisWindows:
    """A pack schema read window by window over one psycopg2 connection per thread (read-only, autocommit)."""

    def __init__(self, connection_name: str, schema: str, params: dict[str, Any] | None = None) -> None:
        """``params``: libpq keyword parameters to use instead of those of the saved QGIS connection
        ``connection_name`` (which then only names the source; scripts/bench_postgis.py)."""
        self.connection_name, self.schema = connection_name, schema
        self._params = dict(params) if params is not None else connection_parameters(connection_name)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[Any] = []

    def _cursor(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            psycopg2 = _psycopg2()
            try:
                conn = psycopg2.connect(**self._params)
            except psycopg2.Error as exc:
                raise PackError(f"Cannot connect to the database of connection '{self.connection_name}' "
                                f"({type(exc).__name__}).") from None
            conn.set_session(readonly=True, autocommit=True)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn.cursor()

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()

    def _run(self, work: Any) -> Any:
        psycopg2 = _psycopg2()
        cur = self._cursor()
        try:
            return work(cur)
        except psycopg2.Error as exc:
            if timed_out(exc):
                raise PackError(timeout_sentence(tables_in_schema(self.schema))) from None
            raise PackError(f"The pack in schema '{self.schema}' cannot be read "
                            f"({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}).") \
                from None
        finally:
            cur.close()

    def version(self) -> Hashable:
        """The stored content hash and each table's highest fid (both change on every write by the plugin)."""
        sql = _psycopg2().sql

        def work(cur: Any) -> Hashable:
            present = pg_tables(cur, self.schema)
            parts = [sql.SQL("(SELECT value FROM {} WHERE key = 'content_sha256')").format(
                pg_table(self.schema, METADATA.name))]
            parts += [sql.SQL("(SELECT max(fid) FROM {})").format(pg_table(self.schema, spec.name))
                      for spec in TABLES if spec is not METADATA and spec.name in present]
            cur.execute(sql.SQL("SELECT ") + sql.SQL(", ").join(parts))
            return tuple(cur.fetchone())

        return self._run(work)  # type: ignore[no-any-return]

    def outline(self) -> PackOutline:
        sql = _psycopg2().sql

        def work(cur: Any) -> PackOutline:
            tables = pg_tables(cur, self.schema)
            require_pack_schema(tables, self.connection_name, self.schema)
            metadata = PackMetadata.from_pairs(pg_read_metadata(cur, self.schema))
            present = tuple(spec.name for spec in TABLES if spec.name in tables and spec is not METADATA)
            indexed: dict[str, bool | None] = {}
            for spec in _spatial(present):
                cur.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom))")
                            .format(pg_table(self.schema, spec.name)))
                indexed[spec.name] = bool(cur.fetchone()[0])
            extent = None
            if not indexed.get(AREA.name):  # the extent decides only where there is no strategy area
                boxes = []
                for spec in _spatial(present):
                    if spec not in SCREENED_TABLES:
                        continue
                    cur.execute(sql.SQL("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                                        "(SELECT ST_Extent(geom) AS e FROM {}) s").format(
                        pg_table(self.schema, spec.name)))
                    row = cur.fetchone()
                    if row is not None and row[0] is not None:
                        boxes.append(tuple(float(v) for v in row))
                if boxes:
                    extent = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                              max(b[3] for b in boxes))
            stem = crown = None
            if TREES.name in present:
                cur.execute(sql.SQL("SELECT max(stem_diameter_m) FILTER (WHERE stem_diameter_m < 'Infinity'), "
                                    "max(crown_radius_m) FILTER (WHERE crown_radius_m < 'Infinity') FROM {}")
                            .format(pg_table(self.schema, TREES.name)))
                stem, crown = (None if v is None else float(v) for v in cur.fetchone())
            catalogue = pg_read_layer(cur, self.schema, MEASURES) if MEASURES.name in present else None
            source = f"postgis:{self.connection_name}/{self.schema}"
            return PackOutline(source, metadata, present, {}, indexed, extent, stem, crown,
                               measures_from_layer(catalogue), catalogue)

        return self._run(work)  # type: ignore[no-any-return]

    def read_all(self, outline: PackOutline, spec: TableSpec) -> PackLayer:
        return self._run(lambda cur: pg_read_layer(cur, self.schema, spec))  # type: ignore[no-any-return]

    def window(self, outline: PackOutline, bounds: Bounds, skip: Collection[str]) -> PackData:
        sql = _psycopg2().sql
        where = sql.SQL("geom && ST_MakeEnvelope(%s, %s, %s, %s, {})").format(sql.Literal(PACK_CRS_EPSG))

        def work(cur: Any) -> PackData:
            return window_pack(outline, skip, lambda spec: pg_read_layer(cur, self.schema, spec, where, bounds),
                               lambda spec: pg_read_layer(cur, self.schema, spec))

        return self._run(work)  # type: ignore[no-any-return]
