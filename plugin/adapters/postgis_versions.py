"""Published versions of a pack held in a PostGIS schema (the rules are :mod:`..core.versions.publish`').

Publishing runs in one psycopg2 transaction (:func:`.pg_connection.pg_connect`: credentials from
QGIS's authentication manager only): ``pack_metadata`` is locked SHARE ROW EXCLUSIVE first, as a
check-in (:mod:`.postgis_opportunity_store`) locks it, so publishers and check-ins queue in one order
and never deadlock; then the content tables SHARE against any other writer. The current content is
read and hashed, the frozen tables go into the schema's history tables (rows an earlier version froze are
shared, not stored again: :mod:`..core.versions.row_store`) and the metadata is updated.
A check-in that starts meanwhile waits for the commit and then lands as an unpublished edit. All SQL
is parameterised and every identifier is a ``psycopg2.sql.Identifier``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import PackError
from ..core.pack.gpkg import check_schema_version
from ..core.pack.model import PackData, PackMetadata, measures_from_layer
from ..core.pack.schema import (
    METADATA,
    TABLES,
    VERSION_ROW_STORE,
    VERSION_ROWS,
    VERSION_SNAPSHOTS,
    VERSION_TABLES,
    VERSIONS,
)
from ..core.versions.publish import (
    Publication,
    PublishedVersion,
    check_thawed,
    checked_for_publication,
    prepare_publication,
    unknown_version,
    version_number,
)
from ..core.versions.row_codec import stored_row
from ..core.versions.row_store import check_members, decode_members, encode_members, known_key, row_key, store_values
from ..core.versions.snapshot import FrozenRow, FrozenTable, thaw_pack
from .pack_source import PackSource, _check_schema, _scrub, require_pack_schema
from .pg_connection import (
    PERMISSION_DENIED,
    _psycopg2,
    permission_problem,
    pg_connect,
    pg_read_layer,
    pg_read_metadata,
    pg_table,
    pg_tables,
)
from .postgis_history import HISTORY_TABLE_NAMES, history_tables_ddl
from .postgis_reads import tables_in_schema, timed_out, timeout_sentence

LOCK_TIMEOUT = "30s"


def tr(message: str) -> str:
    return str(QCoreApplication.translate("PostgisVersions", message))


def _sql() -> Any:
    return _psycopg2().sql


def _read_versions(cur: Any, schema: str, tables: set[str]) -> list[PublishedVersion]:
    if VERSIONS.name not in tables:
        return []
    sql = _sql()
    cur.execute(sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in VERSIONS.column_names), pg_table(schema, VERSIONS.name),
        sql.Identifier("version")))
    return [PublishedVersion(version_number(r[0]), str(r[1] or ""), str(r[2] or ""), str(r[3] or ""),
                             str(r[4] or ""), str(r[5] or "")) for r in cur.fetchall()]


def _lock(cur: Any, schema: str, content: Sequence[str]) -> None:
    """``pack_metadata`` first, as a check-in takes it (so the two queue, never deadlock), then the content
    tables against any other writer; readers go on."""
    sql = _sql()
    cur.execute("SET LOCAL lock_timeout = %s", (LOCK_TIMEOUT,))
    cur.execute(sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(pg_table(schema, METADATA.name)))
    if content:
        cur.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(
            sql.SQL(", ").join(pg_table(schema, name) for name in content)))


def _ensure_history(cur: Any, schema: str) -> None:
    """Create the history tables a pack published by an older version lacks (PostgreSQL checks the CREATE
    privilege even for CREATE TABLE IF NOT EXISTS, so nothing is run when they all exist)."""
    if set(HISTORY_TABLE_NAMES) <= pg_tables(cur, schema):
        return
    for statement in history_tables_ddl(schema):
        cur.execute(statement)


def _write(cur: Any, schema: str, pub: Publication) -> None:
    psycopg2 = _psycopg2()
    sql = psycopg2.sql
    from psycopg2.extras import execute_values

    v = pub.version
    cur.execute(sql.SQL("INSERT INTO {} ({}) VALUES (%s, %s, %s, %s, %s, %s)").format(
        pg_table(schema, VERSIONS.name), sql.SQL(", ").join(sql.Identifier(c) for c in VERSIONS.column_names)),
        (v.version, v.publication_date, v.published_at, v.content_sha256, v.published_by, v.note))
    fresh = []  # a table an earlier version froze as it is now is shared, not stored again
    for table in pub.tables:
        cur.execute(sql.SQL("SELECT 1 FROM {} WHERE {} = %s LIMIT 1").format(
            pg_table(schema, VERSION_TABLES.name), sql.Identifier("snapshot")), (table.snapshot,))
        if cur.fetchone() is None:
            fresh.append(table)
    _store_tables(cur, schema, fresh, execute_values)
    for table in pub.tables:
        cur.execute(sql.SQL("INSERT INTO {} ({}) VALUES (%s, %s, %s, %s)").format(
            pg_table(schema, VERSION_TABLES.name),
            sql.SQL(", ").join(sql.Identifier(c) for c in VERSION_TABLES.column_names)),
            (v.version, table.name, table.snapshot, len(table.rows)))
    meta = pg_table(schema, METADATA.name)
    for key, value in pub.metadata.items():
        cur.execute(sql.SQL("UPDATE {} SET {} = %s WHERE {} = %s").format(
            meta, sql.Identifier("value"), sql.Identifier("key")), (value, key))
        if cur.rowcount == 0:
            cur.execute(sql.SQL("INSERT INTO {} ({}, {}, {}) SELECT coalesce(max({}), 0) + 1, %s, %s FROM {}").format(
                meta, sql.Identifier("fid"), sql.Identifier("key"), sql.Identifier("value"), sql.Identifier("fid"),
                meta), (key, value))


def _store_tables(cur: Any, schema: str, tables: Sequence[FrozenTable], execute_values: Any) -> None:
    """Store the rows of ``tables`` the row store lacks, and their membership lists (:mod:`..core.versions.row_store`:
    rows packed as row format 2, keys read in one scan)."""
    psycopg2 = _psycopg2()
    sql = psycopg2.sql
    snaps, store = pg_table(schema, VERSION_SNAPSHOTS.name), pg_table(schema, VERSION_ROW_STORE.name)
    todo = []
    for table in tables:
        cur.execute(sql.SQL("SELECT 1 FROM {} WHERE {} = %s").format(snaps, sql.Identifier("snapshot")),
                    (table.snapshot,))
        if cur.fetchone() is None:
            todo.append(table)
    if not todo:
        return
    known: dict[str, dict[bytes, int]] = {t.name: {} for t in todo}
    cur.execute(sql.SQL("SELECT {}, {}, {} FROM {} WHERE {} = ANY(%s)").format(
        sql.Identifier("table_name"), sql.Identifier("row_key"), sql.Identifier("fid"), store,
        sql.Identifier("table_name")), (sorted(known),))
    for name, key, fid in cur.fetchall():
        if key is not None:
            known[str(name)][known_key(bytes(key))] = int(fid)
    insert = sql.SQL("INSERT INTO {} ({}, {}, {}, {}, {}) VALUES %s RETURNING {}, {}").format(
        store, *(sql.Identifier(c) for c in ("table_name", "row_key", "row_fid", "geom_wkb", "attributes")),
        sql.Identifier("row_key"), sql.Identifier("fid"))
    for table in todo:
        keys = known[table.name]
        row_keys = [row_key(table.name, r) for r in table.rows]
        missing = {k: r for k, r in zip(row_keys, table.rows) if k not in keys}
        values = []
        for k, r in missing.items():
            data, attributes = store_values(r)
            values.append((table.name, psycopg2.Binary(k), r.fid, None if data is None else psycopg2.Binary(data),
                           attributes))
        if values:
            returned = execute_values(cur, insert.as_string(cur), values, page_size=500, fetch=True)
            keys.update({bytes(k): int(f) for k, f in returned})
        cur.execute(sql.SQL("INSERT INTO {} ({}, {}, {}, {}) VALUES (%s, %s, %s, %s)").format(
            snaps, *(sql.Identifier(c) for c in VERSION_SNAPSHOTS.column_names)),
            (table.snapshot, table.name, len(table.rows), psycopg2.Binary(encode_members(keys[k] for k in row_keys))))


def _read_snapshot(cur: Any, schema: str, tables: set[str], name: str, snapshot: str) -> list[FrozenRow]:
    """The frozen rows of one snapshot: from the row store, or from an older pack's ``pack_version_rows``."""
    sql = _sql()
    member = None
    if VERSION_SNAPSHOTS.name in tables:
        cur.execute(sql.SQL("SELECT {}, {} FROM {} WHERE {} = %s").format(
            sql.Identifier("row_ids"), sql.Identifier("row_count"), pg_table(schema, VERSION_SNAPSHOTS.name),
            sql.Identifier("snapshot")), (snapshot,))
        member = cur.fetchone()
    if member is not None:
        wanted = decode_members(None if member[0] is None else bytes(member[0]), snapshot)
        cur.execute(sql.SQL("SELECT {}, {}, {}, {} FROM {} WHERE {} = ANY(%s)").format(
            *(sql.Identifier(c) for c in ("fid", "row_fid", "geom_wkb", "attributes")),
            pg_table(schema, VERSION_ROW_STORE.name), sql.Identifier("fid")), (wanted,))
        found = {int(f): stored_row(int(r), None if w is None else bytes(w), a, name) for f, r, w, a in cur.fetchall()}
        return check_members(snapshot, wanted, found, int(member[1] or 0))
    if VERSION_ROWS.name not in tables:
        return []
    cur.execute(sql.SQL("SELECT {}, {}, {} FROM {} WHERE {} = %s ORDER BY {}").format(
        sql.Identifier("row_fid"), sql.Identifier("geom_wkb"), sql.Identifier("attributes"),
        pg_table(schema, VERSION_ROWS.name), sql.Identifier("snapshot"), sql.Identifier("row_fid")), (snapshot,))
    return [stored_row(int(f), None if w is None else bytes(w), a, name) for f, w, a in cur.fetchall()]


def _refusal(exc: Exception, schema: str, what: str) -> PackError:
    psycopg2 = _psycopg2()
    if isinstance(exc, psycopg2.errors.LockNotAvailable):
        return PackError(tr("Another user is saving to the pack in schema '{0}'; try again in a moment. Nothing was "
                            "changed.").format(schema))
    if timed_out(exc):
        return PackError(timeout_sentence(tables_in_schema(schema)))
    if getattr(exc, "pgcode", None) == PERMISSION_DENIED:
        return PackError(permission_problem(what, tr("in schema '{0}'").format(schema)))
    return PackError(tr("The database refused to {0} in schema '{1}': {2}").format(what, schema, _scrub(str(exc))))


def publish_postgis_version(connection_name: str, schema: str, note: str, published_by: str = "",
                            now: datetime | None = None) -> PublishedVersion:
    """Freeze the pack in ``schema`` as its next version (one transaction; nothing changes on failure)."""
    _check_schema(schema)
    psycopg2 = _psycopg2()
    with pg_connect(connection_name) as conn:
        try:
            with conn.cursor() as cur:
                tables = pg_tables(cur, schema)
                require_pack_schema(tables, connection_name, schema)
                content = [s.name for s in TABLES if s is not METADATA and s.name in tables]
                _lock(cur, schema, content)
                pairs = pg_read_metadata(cur, schema)
                metadata = PackMetadata.from_pairs(pairs)
                check_schema_version(metadata)
                layers = {spec.name: pg_read_layer(cur, schema, spec) for spec in TABLES if spec.name in content}
                source = str(PackSource.postgis(connection_name, schema))
                pack = checked_for_publication(PackData(layers, metadata, source,
                                                        measures_from_layer(layers.get("measures"))))
                publication = prepare_publication(pack, pairs, _read_versions(cur, schema, tables), note,
                                                  published_by or _session_user(cur), now)
                _ensure_history(cur, schema)
                _write(cur, schema, publication)
            conn.commit()
        except psycopg2.Error as exc:
            conn.rollback()
            raise _refusal(exc, schema, tr("publish a version")) from None
        except BaseException:
            conn.rollback()
            raise
    return publication.version


def _session_user(cur: Any) -> str:
    cur.execute("SELECT session_user")
    row = cur.fetchone()
    return str(row[0]) if row else ""


def list_postgis_versions(connection_name: str, schema: str) -> list[PublishedVersion]:
    _check_schema(schema)
    psycopg2 = _psycopg2()
    with pg_connect(connection_name) as conn:
        try:
            with conn.cursor() as cur:
                tables = pg_tables(cur, schema)
                require_pack_schema(tables, connection_name, schema)
                return _read_versions(cur, schema, tables)
        except psycopg2.Error as exc:
            raise _refusal(exc, schema, tr("read the versions")) from None
        finally:
            conn.rollback()


def load_postgis_version(connection_name: str, schema: str, number: int) -> PackData:
    """Published version ``number`` of the pack in ``schema``, as it was frozen (hash checked)."""
    _check_schema(schema)
    psycopg2 = _psycopg2()
    sql = psycopg2.sql
    with pg_connect(connection_name) as conn:
        try:
            with conn.cursor() as cur:
                tables = pg_tables(cur, schema)
                require_pack_schema(tables, connection_name, schema)
                versions = _read_versions(cur, schema, tables)
                record = next((v for v in versions if v.version == number), None)
                if record is None:
                    raise unknown_version(number, versions)
                cur.execute(sql.SQL("SELECT {}, {} FROM {} WHERE {} = %s").format(
                    sql.Identifier("table_name"), sql.Identifier("snapshot"), pg_table(schema, VERSION_TABLES.name),
                    sql.Identifier("version")), (number,))
                frozen: dict[str, list[FrozenRow]] = {}
                for name, snapshot in cur.fetchall():
                    with conn.cursor() as rows:
                        frozen[str(name)] = _read_snapshot(rows, schema, tables, str(name), str(snapshot))
        except psycopg2.Error as exc:
            raise _refusal(exc, schema, tr("read version {0}").format(number)) from None
        finally:
            conn.rollback()
    source = f"{PackSource.postgis(connection_name, schema)} (version {number})"
    return check_thawed(thaw_pack(frozen, source), record)
