"""Where a pack comes from: a GeoPackage file or a PostGIS schema holding the same tables.

- :func:`load_gpkg_pack` reads a file with the pure-Python reader (:func:`..core.pack.gpkg.read_pack`).
- :func:`load_postgis_pack` reads a schema through one of QGIS's *saved* PostgreSQL connections
  (credentials only through QGIS's authentication manager: the connection's ``authcfg``; this
  module never sees, logs or stores a password) into the same :class:`..core.pack.model.PackData`,
  so the same content gives the same content hash.
- :func:`publish_pack_to_postgis` copies a GeoPackage pack into a schema (for LNRS teams and tests).
- :class:`PackCache` builds the in-memory spatial indexes once per pack version.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from qgis.core import QgsProviderRegistry
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError, PackError
from ..core.pack.content_hash import content_hash
from ..core.pack.gpkg import check_schema_version, read_pack
from ..core.pack.integrity import validated
from ..core.pack.model import PackData, PackLayer, PackMetadata, measures_from_layer
from ..core.pack.schema import METADATA, OPPORTUNITY_AUDIT, PACK_CRS_EPSG, TABLES, VERSIONS, TableSpec
from .layer_rows import plain
from .postgis_history import HISTORY_TABLE_NAMES, history_tables_ddl
from .postgis_reads import execute as _execute
from .postgis_reads import read, read_postgis_layer, table_name, tables_in_schema
from .postgis_reads import scrub as _scrub  # noqa: F401 - the name other adapters import from here

_SCHEMA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_SQL_TYPES = {"TEXT": "text", "REAL": "double precision", "INTEGER": "bigint"}
_PG_GEOMETRY = {"MULTIPOLYGON": "MultiPolygon", "POINT": "Point"}


def tr(message: str) -> str:
    return str(QCoreApplication.translate("PackSource", message))


# --------------------------------------------------------------------------- sources
@dataclass(frozen=True)
class PackSource:
    """A pack's address: ``gpkg`` with a path, or ``postgis`` with a saved connection name and a schema."""

    kind: str
    path: str = ""
    connection: str = ""
    schema: str = ""

    @classmethod
    def gpkg(cls, path: str | Path) -> PackSource:
        return cls("gpkg", path=str(Path(path).expanduser().resolve()))

    @classmethod
    def postgis(cls, connection: str, schema: str) -> PackSource:
        return cls("postgis", connection=connection, schema=schema)

    @classmethod
    def parse(cls, text: str) -> PackSource:
        """``postgis:CONNECTION/SCHEMA`` or a file path (as kept in the recent packs list)."""
        if text.startswith("postgis:"):
            conn, sep, schema = text[len("postgis:"):].rpartition("/")
            if not sep or not conn or not schema:
                raise InputError(tr("'{0}' is not a PostGIS pack address (postgis:CONNECTION/SCHEMA).").format(text))
            return cls.postgis(conn, schema)
        return cls.gpkg(text)

    def __str__(self) -> str:
        if self.kind == "postgis":
            return f"postgis:{self.connection}/{self.schema}"
        return self.path


def load_pack(source: PackSource) -> PackData:
    if source.kind == "postgis":
        return load_postgis_pack(source.connection, source.schema)
    return load_gpkg_pack(source.path)


def load_gpkg_pack(path: str | Path) -> PackData:
    return read_pack(path)


# --------------------------------------------------------------------------- PostGIS
def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return "NULL" if f != f else repr(f)  # NaN -> NULL; repr keeps every digit
    return "'" + str(value).replace("'", "''") + "'"


def _check_schema(schema: str) -> str:
    if not _SCHEMA_NAME.match(schema or ""):
        raise InputError(tr("'{0}' is not a usable schema name: use letters, digits and '_' (at most 63, not "
                            "starting with a digit).").format(schema))
    return schema


def postgres_connection(connection_name: str) -> Any:
    """The saved QGIS PostgreSQL connection called ``connection_name`` (QgsAbstractDatabaseProviderConnection)."""
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    if metadata is None:
        raise PackError(tr("QGIS's PostgreSQL provider is not available in this installation."))
    try:
        conn = metadata.findConnection(connection_name, False)
    except Exception:  # noqa: BLE001 - QgsProviderConnectionException is raised for unknown names
        conn = None
    if conn is None:
        known = ", ".join(sorted(metadata.connections(False))) or tr("(none)")
        raise PackError(tr("There is no saved PostgreSQL connection called '{0}'. Add it in the Data Source "
                           "Manager (PostgreSQL), with its credentials in an authentication configuration. "
                           "Saved connections: {1}.").format(connection_name, known))
    return conn


def saved_postgres_connections() -> list[str]:
    """Names of QGIS's saved PostgreSQL connections (for a pack chooser)."""
    metadata = QgsProviderRegistry.instance().providerMetadata("postgres")
    return sorted(metadata.connections(False)) if metadata is not None else []


def postgis_pack_schemas(connection_name: str) -> list[str]:
    """Schemas of the connection's database that hold a pack (a ``pack_metadata`` table)."""
    conn = postgres_connection(connection_name)
    rows = read(conn, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'pack_metadata' "
                "ORDER BY 1", tr("list the packs of connection '{0}'").format(connection_name),
                table_name("information_schema", "tables"))
    return [str(plain(r[0])) for r in rows]


def _existing_tables(conn: Any, schema: str) -> set[str]:
    rows = read(conn, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                f"{_literal(schema)}", tr("list the tables of schema '{0}'").format(schema),
                table_name("information_schema", "tables"))
    return {str(r[0]) for r in rows}


def _refuse_views(conn: Any, schema: str) -> None:
    """A canonical table that is a view (or foreign table) could say anything, or never end: refused."""
    names = ", ".join(_literal(spec.name) for spec in TABLES)
    rows = read(conn, "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = "
                f"{_literal(schema)} AND table_name IN ({names}) AND table_type <> 'BASE TABLE'",
                tr("list the tables of schema '{0}'").format(schema),
                table_name("information_schema", "tables"))
    if rows:
        raise PackError(tr("The pack's '{0}.{1}' is a {2}, not a table, so its rows cannot be trusted or read in "
                           "bounded time; republish the pack.").format(schema, plain(rows[0][0]),
                                                                       str(plain(rows[0][1])).lower()))


def _declared_srids(conn: Any, schema: str) -> dict[str, int]:
    rows = read(conn, "SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = "
                f"{_literal(schema)} AND f_geometry_column = 'geom'",
                tr("read the geometry columns of schema '{0}'").format(schema),
                table_name("public", "geometry_columns"))
    return {str(plain(name)): int(plain(srid) or 0) for name, srid in rows}


def _checked_postgis_layer(conn: Any, schema: str, spec: TableSpec, srids: dict[str, int]) -> PackLayer:
    """The layer, or (when its declared SRID is not 27700) an empty one carrying why: never reinterpreted."""
    srid = srids.get(spec.name, PACK_CRS_EPSG)
    if spec.is_spatial and srid != PACK_CRS_EPSG:
        named = f"EPSG:{srid}" if srid > 0 else "no declared SRID"
        reason = (f"{spec.title} were not checked: the pack's table '{schema}.{spec.name}' is stored in {named}, "
                  f"not British National Grid (EPSG:{PACK_CRS_EPSG}); its coordinates are not read as metres. "
                  "Reproject the table to EPSG:27700 and republish the pack.")
        return PackLayer(spec, np.empty(0, dtype=np.int64), np.empty(0, dtype=object),
                         {c: [] for c in spec.column_names}, (reason,))
    return read_postgis_layer(conn, schema, spec)


def read_postgis_metadata(conn: Any, schema: str) -> dict[str, str]:
    rows = read(conn, f"SELECT key, value FROM {_quote_ident(schema)}.{_quote_ident(METADATA.name)}",
                tr("read the pack metadata in schema '{0}'").format(schema),
                table_name(schema, METADATA.name))
    return {str(plain(k)): "" if plain(v) is None else str(plain(v)) for k, v in rows}


def require_pack_schema(tables: Collection[str], connection_name: str, schema: str) -> None:
    """Refuse a schema that holds no pack (no ``pack_metadata`` table among ``tables``)."""
    if METADATA.name not in tables:
        raise PackError(tr("The schema '{0}' of connection '{1}' is not an LNRS Local Habitat Map pack: it has no "
                           "'pack_metadata' table.").format(schema, connection_name))


def _open_pack_schema(connection_name: str, schema: str) -> tuple[Any, set[str]]:
    """The connection and the tables of ``schema``; refuses a schema that holds no pack."""
    _check_schema(schema)
    conn = postgres_connection(connection_name)
    tables = _existing_tables(conn, schema)
    require_pack_schema(tables, connection_name, schema)
    return conn, tables


def load_postgis_pack(connection_name: str, schema: str) -> PackData:
    """Read the pack in ``schema`` through the saved connection ``connection_name``.

    The content hash is recomputed: when the tables were edited since the pack was published,
    the pack carries the hash of what is really there (and says so in its metadata ``extra``).
    """
    conn, tables = _open_pack_schema(connection_name, schema)
    pairs = read_postgis_metadata(conn, schema)
    metadata = PackMetadata.from_pairs(pairs)
    check_schema_version(metadata)
    _refuse_views(conn, schema)
    srids = _declared_srids(conn, schema)
    layers = {spec.name: _checked_postgis_layer(conn, schema, spec, srids) for spec in TABLES
              if spec is not METADATA and spec.name in tables}
    source = str(PackSource.postgis(connection_name, schema))
    pack = validated(PackData(layers, metadata, source, measures_from_layer(layers.get("measures"))))
    digest = content_hash(pack)
    if digest != metadata.content_sha256:
        extra = dict(metadata.extra)  # a pack published as a version already says which hash that was
        extra.setdefault("published_content_sha256", metadata.content_sha256)
        pack = replace(pack, metadata=replace(metadata, content_sha256=digest, extra=tuple(sorted(extra.items()))))
    return pack


def postgis_version_key(connection_name: str, schema: str) -> tuple[Any, ...]:
    """A cheap fingerprint of the pack in ``schema``: stored hash plus row counts and highest fids."""
    conn, tables = _open_pack_schema(connection_name, schema)
    _refuse_views(conn, schema)  # before counting rows: a view could say anything, or never end
    parts = [f"SELECT (SELECT value FROM {_quote_ident(schema)}.pack_metadata WHERE key = 'content_sha256')"]
    for spec in TABLES:
        if spec is not METADATA and spec.name in tables:
            t = f"{_quote_ident(schema)}.{_quote_ident(spec.name)}"
            parts.append(f"(SELECT count(*) || ':' || coalesce(max(fid), 0) FROM {t})")
    row = read(conn, ", ".join(parts), tr("read the pack version in schema '{0}'").format(schema),
               tables_in_schema(schema))
    return tuple(str(plain(v)) for v in (row[0] if row else []))


def publish_pack_to_postgis(pack_path: str | Path, connection_name: str, schema: str, replace_existing: bool = False,
                            is_cancelled: Callable[[], bool] = lambda: False, batch: int = 200,
                            discard_history: bool = False) -> str:
    """Copy the GeoPackage pack at ``pack_path`` into ``schema`` through a saved connection.

    The tables are written into a scratch schema that replaces ``schema`` in one transaction at
    the end, so readers never see half a pack. Every table is created, the history tables too (the
    audit trail and the published versions, :mod:`.postgis_history`), so editors never need ``CREATE``.
    Replacing an existing pack (``replace_existing``) updates its layers and KEEPS its history: the
    history tables move into the new schema in the same transaction; only ``discard_history=True``
    drops them (:func:`postgis_history_summary` says what that loses). Privileges granted on the old
    schema go with it: run ``lnrs:setuppostgisroles`` again after replacing.
    Needs the PostGIS extension in the database. Returns the content hash of the published pack.
    """
    _check_schema(schema)
    pack = read_pack(pack_path)
    conn = postgres_connection(connection_name)
    schemas = set(conn.schemas())
    if schema in schemas and not replace_existing:
        raise InputError(tr("The schema '{0}' already exists in connection '{1}'; choose another schema or "
                            "allow replacing it.").format(schema, connection_name))
    scratch = f"{schema[:50]}__lnrs_tmp"
    qs = _quote_ident(scratch)
    _execute(conn, f"DROP SCHEMA IF EXISTS {qs} CASCADE; CREATE SCHEMA {qs}",
             tr("create the schema '{0}'").format(scratch))
    try:
        for spec in TABLES:
            if is_cancelled():
                raise PackError(tr("Publishing was cancelled; the schema '{0}' was left unchanged.").format(schema))
            if spec is METADATA:
                _execute(conn, metadata_sql(qs, pack), tr("write the pack metadata"))
                continue
            layer = pack.layers.get(spec.name)
            if layer is not None:
                _publish_layer(conn, qs, spec, layer, batch)
        qt = _quote_ident(schema)
        kept = [] if discard_history or schema not in schemas else \
            sorted(set(HISTORY_TABLE_NAMES) & _existing_tables(conn, schema))
        moves = "".join(f"ALTER TABLE {qt}.{_quote_ident(t)} SET SCHEMA {qs}; " for t in kept)
        create = "".join(f"{statement}; " for statement in history_tables_ddl(scratch))
        _execute(conn, f"BEGIN; {moves}{create}DROP SCHEMA IF EXISTS {qt} CASCADE; ALTER SCHEMA {qs} RENAME TO {qt}; "
                 "COMMIT", tr("replace the schema '{0}'").format(schema))
    except BaseException:
        with contextlib.suppress(Exception):  # best effort clean-up: the first error matters
            conn.executeSql(f"ROLLBACK; DROP SCHEMA IF EXISTS {qs} CASCADE")
        raise
    return pack.metadata.content_sha256


def postgis_history_summary(connection_name: str, schema: str) -> str:
    """What replacing the pack in ``schema`` with ``discard_history=True`` would lose, in words ("" if nothing)."""
    conn = postgres_connection(connection_name)
    tables = _existing_tables(conn, schema) if schema in set(conn.schemas()) else set()
    counts = []
    for name, what in ((OPPORTUNITY_AUDIT.name, tr("audit rows")), (VERSIONS.name, tr("published versions"))):
        if name in tables:
            rows = read(conn, f"SELECT count(*) FROM {_quote_ident(schema)}.{_quote_ident(name)}",
                        tr("count the {0}").format(what), table_name(schema, name))
            n = int(rows[0][0]) if rows else 0
            if n:
                counts.append(f"{n} {what}")
    if not counts:
        return ""
    return tr("Discarding the history of the pack in schema '{0}' deletes {1} for good.").format(
        schema, tr(" and ").join(counts))


def metadata_sql(qs: str, pack: PackData) -> str:
    """The pack's metadata table in the (quoted) schema ``qs``, created and filled, as published to PostGIS."""
    t = f"{qs}.{_quote_ident(METADATA.name)}"
    pairs = pack.metadata.as_pairs()
    values = ", ".join(f"({i + 1}, {_literal(k)}, {_literal(v)})" for i, (k, v) in enumerate(pairs.items()))
    sql = f"CREATE TABLE {t} (fid bigint PRIMARY KEY, key text, value text)"
    if values:
        sql += f"; INSERT INTO {t} (fid, key, value) VALUES {values}"
    return sql


def create_table_sql(qs: str, spec: TableSpec) -> str:
    """``CREATE TABLE`` for pack table ``spec`` in the (quoted) schema ``qs``, as published to PostGIS."""
    cols = [f"{_quote_ident(c.name)} {_SQL_TYPES[c.sql_type]}" for c in spec.columns]
    if spec.is_spatial:
        gtype = _PG_GEOMETRY[spec.geometry_type or ""]
        cols.insert(0, f"geom geometry({gtype}, {PACK_CRS_EPSG})")
    return f"CREATE TABLE {qs}.{_quote_ident(spec.name)} (fid bigint PRIMARY KEY, {', '.join(cols)})"


def _publish_layer(conn: Any, qs: str, spec: TableSpec, layer: PackLayer, batch: int) -> None:
    t = f"{qs}.{_quote_ident(spec.name)}"
    _execute(conn, create_table_sql(qs, spec), tr("create the table {0}").format(spec.name))
    names = ["fid", *(["geom"] if spec.is_spatial else []), *spec.column_names]
    head = f"INSERT INTO {t} ({', '.join(_quote_ident(n) for n in names)}) VALUES "
    wkb_hex: list[str | None] = [None] * len(layer)
    if spec.is_spatial and layer.geoms is not None and len(layer):
        present = np.array([g is not None and not g.is_empty for g in layer.geoms], dtype=bool)
        if present.any():
            hexes = shapely.to_wkb(layer.geoms[present], hex=True, output_dimension=2)
            for i, h in zip(np.flatnonzero(present), hexes):
                wkb_hex[i] = str(h)
    for start in range(0, len(layer), batch):
        rows = []
        for i in range(start, min(start + batch, len(layer))):
            values = [str(int(layer.fids[i]))]
            if spec.is_spatial:
                h = wkb_hex[i]
                geom = f"ST_GeomFromWKB(decode('{h}', 'hex'), {PACK_CRS_EPSG})"
                if spec.geometry_type == "MULTIPOLYGON":  # a pack edited by other tools may hold single Polygons
                    geom = f"ST_Multi({geom})"
                values.append("NULL" if h is None else geom)
            values.extend(_literal(layer.columns[c][i]) for c in spec.column_names)
            rows.append("(" + ", ".join(values) + ")")
        _execute(conn, head + ", ".join(rows), tr("write the rows of {0}").format(spec.name))
    if spec.is_spatial:
        _execute(conn, f"CREATE INDEX ON {t} USING GIST (geom)", tr("index {0}").format(spec.name))


# --------------------------------------------------------------------------- cache
@dataclass(frozen=True, eq=False)
class LoadedPack:
    """A pack and what was built from it, for one version of its source."""

    source: PackSource
    version: tuple[Any, ...]
    pack: PackData
    index: Any  # plugin.core.screening.engine.PackIndex


def _build_index(pack: PackData) -> Any:
    from ..core.screening.engine import PackIndex

    return PackIndex.build(pack)


class PackCache:
    """Packs and their spatial indexes, built once per pack version.

    The version of a GeoPackage is its resolved path, size and modification time; that of a
    PostGIS pack is its stored content hash plus each table's row count and highest fid.
    """

    def __init__(self, max_entries: int = 3, build_index: Callable[[PackData], Any] = _build_index) -> None:
        self.max_entries = max_entries
        self._build_index = build_index
        self._entries: OrderedDict[tuple[Any, ...], LoadedPack] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0

    @staticmethod
    def version_of(source: PackSource) -> tuple[Any, ...]:
        if source.kind == "postgis":
            return (str(source), *postgis_version_key(source.connection, source.schema))
        try:
            st = os.stat(source.path)
        except OSError as exc:
            raise PackError(tr("The pack file {0} cannot be opened ({1}).").format(
                source.path, exc.strerror or exc)) from exc
        return (source.path, st.st_size, st.st_mtime_ns)

    def get(self, source: PackSource | str) -> LoadedPack:
        if isinstance(source, str):
            source = PackSource.parse(source)
        key = self.version_of(source)
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        pack = load_pack(source)
        loaded = LoadedPack(source, key, pack, self._build_index(pack))
        with self._lock:
            self.builds += 1
            # a newer version of the same source replaces the older one
            for old in [k for k, v in self._entries.items() if v.source == source]:
                del self._entries[old]
            self._entries[key] = loaded
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return loaded

    def cached(self, source: PackSource | str) -> LoadedPack | None:
        """The loaded pack of ``source`` if its current version is already built, else None (nothing is read)."""
        if isinstance(source, str):
            source = PackSource.parse(source)
        key = self.version_of(source)
        with self._lock:
            return self._entries.get(key)

    def invalidate(self, source: PackSource | None = None) -> None:
        with self._lock:
            if source is None:
                self._entries.clear()
            else:
                for key in [k for k, v in self._entries.items() if v.source == source]:
                    del self._entries[key]
