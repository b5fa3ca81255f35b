"""Check-in of opportunity edits to a pack in PostGIS: one psycopg2 transaction per save, row locks, audit rows.

:class:`PostgisOpportunityStore` implements :class:`..core.editing.opportunity_store.OpportunityStore` for a pack
schema reached through one of QGIS's saved PostgreSQL connections (credentials only from QGIS's
authentication manager, through :func:`.pg_connection.pg_connect`). Each transaction

- takes ``SHARE ROW EXCLUSIVE`` on the schema's ``pack_metadata`` (check-ins to one pack run one after the
  other, so the content hash and new fids are computed on everything committed before; readers are never
  blocked) and waits at most ``lock_timeout`` seconds for another editor's check-in;
- reads the edited rows with ``SELECT ... FOR UPDATE``;
- creates ``opportunity_audit`` on first use, gives inserted features fids above every fid the table or its
  audit trail ever held (a deleted feature's fid is never reused), writes the rows and the audit and the
  new content hash, queues a notice to the docks listening (:mod:`.postgis_notify`), and commits, or rolls
  everything back.

Every value is a query parameter; every identifier goes through ``psycopg2.sql.Identifier``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import shapely
from qgis.PyQt.QtCore import QCoreApplication

from ..core.editing.audit import AuditRecord, audit_record
from ..core.editing.edits import EDIT_SOURCE, as_multi, canonical_measures
from ..core.editing.opportunity_feature import OpportunityFeature
from ..core.editing.opportunity_store import StoreTransaction
from ..core.errors import PackError
from ..core.pack.content_hash import content_hash
from ..core.pack.model import PackData, PackLayer, PackMetadata, measures_from_layer
from ..core.pack.schema import METADATA, OPPORTUNITY, OPPORTUNITY_AUDIT, PACK_CRS_EPSG, TABLES
from .pack_source import PackSource, _check_schema, _scrub, require_pack_schema
from .pg_connection import (
    PERMISSION_DENIED,
    _psycopg2,
    permission_problem,
    pg_columns,
    pg_connect,
    pg_read_layer,
    pg_read_metadata,
    pg_table,
    pg_tables,
)
from .postgis_notify import announce_checkin

_SQL_TYPES = {"TEXT": "text", "REAL": "double precision", "INTEGER": "bigint", "BLOB": "bytea"}
_AUDIT_COLUMNS = ("fid", *OPPORTUNITY_AUDIT.column_names)
_EDITABLE = ("measures", "name", "ref", "geom")


def tr(message: str) -> str:
    return str(QCoreApplication.translate("PostgisOpportunityStore", message))


def _wkb(geometry: Any) -> bytes | None:
    g = as_multi(geometry)
    if g is None or g.is_empty:
        return None
    return bytes(shapely.to_wkb(g, output_dimension=2, byte_order=1))


def _geometry(data: Any) -> Any:
    return None if data is None else shapely.force_2d(shapely.from_wkb(bytes(data)))


_record = audit_record


class _PgTransaction:
    def __init__(self, conn: Any, schema: str) -> None:
        self.conn = conn
        self.schema = schema
        self.cur = conn.cursor()
        self.sql = _psycopg2().sql
        self._deleted_max = 0  # fids deleted in this transaction are never handed out again either
        self.written: list[AuditRecord] = []  # this check-in's audit rows and new hash: its notice to listeners
        self.new_sha256 = ""

    # ------------------------------------------------------------ helpers
    def table(self, name: str) -> Any:
        return pg_table(self.schema, name)

    def run(self, query: Any, params: Sequence[Any] | None = None) -> Any:
        self.cur.execute(query, params)
        return self.cur

    def exists(self, name: str) -> bool:
        return name in pg_tables(self.cur, self.schema)

    def audit_columns(self) -> set[str]:
        return pg_columns(self.cur, self.schema, OPPORTUNITY_AUDIT.name)

    def audit_select(self) -> Any:
        """The audit columns to select; those an older audit table lacks (names, references) read as NULL."""
        present = self.audit_columns()
        return self.sql.SQL(", ").join(
            self.sql.Identifier(c) if c in present else self.sql.SQL("NULL") for c in _AUDIT_COLUMNS)

    def _add_missing_audit_columns(self) -> None:
        """An audit table from an older version gains the columns it lacks (names, references, geometries) when
        this role may alter it (the owner); another role writes what the table holds, as before."""
        if set(OPPORTUNITY_AUDIT.column_names) <= self.audit_columns():
            return
        self.run("SAVEPOINT lnrs_audit_columns")
        try:
            self.ensure_audit_table()
        except _psycopg2().Error:
            self.run("ROLLBACK TO SAVEPOINT lnrs_audit_columns")
        else:
            self.run("RELEASE SAVEPOINT lnrs_audit_columns")

    def ensure_audit_table(self) -> None:
        if self.exists(OPPORTUNITY_AUDIT.name):
            present = self.audit_columns()  # an older table: add the columns it lacks (the owner can)
            for c in OPPORTUNITY_AUDIT.columns:
                if c.name not in present:
                    self.run(self.sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                        self.table(OPPORTUNITY_AUDIT.name), self.sql.Identifier(c.name),
                        self.sql.SQL(_SQL_TYPES[c.sql_type])))
            return
        cols = [self.sql.SQL("{} {}").format(self.sql.Identifier(c.name), self.sql.SQL(_SQL_TYPES[c.sql_type]))
                for c in OPPORTUNITY_AUDIT.columns]
        self.run(self.sql.SQL("CREATE TABLE {} (fid bigint PRIMARY KEY, {})").format(
            self.table(OPPORTUNITY_AUDIT.name), self.sql.SQL(", ").join(cols)))
        self.run(self.sql.SQL("CREATE INDEX ON {} (feature_fid)").format(self.table(OPPORTUNITY_AUDIT.name)))

    # ------------------------------------------------------------ StoreTransaction
    def timestamp(self) -> str:
        row = self.run("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')").fetchone()
        return str(row[0])

    def attribute(self, user: str) -> str:
        role = str(self.run("SELECT current_user").fetchone()[0])
        name = (user or "").strip()
        return role if not name or name == role else f"{role} ({name})"

    def lock_features(self, fids: Sequence[int]) -> dict[int, OpportunityFeature]:
        ids = sorted({int(f) for f in fids})
        if not ids:
            return {}
        rows = self.run(self.sql.SQL("SELECT fid, ST_AsBinary(geom), measures, name, ref FROM {} "
                                     "WHERE fid = ANY(%s) ORDER BY fid FOR UPDATE").format(
            self.table(OPPORTUNITY.name)), (ids,)).fetchall()
        return {int(r[0]): OpportunityFeature(int(r[0]), str(r[2] or ""), _geometry(r[1]), str(r[3] or ""),
                                              str(r[4] or ""), str(r[0])) for r in rows}

    def last_changes(self, fids: Sequence[int]) -> dict[int, AuditRecord]:
        ids = sorted({int(f) for f in fids})
        if not ids or not self.exists(OPPORTUNITY_AUDIT.name):
            return {}
        cols = self.audit_select()
        rows = self.run(self.sql.SQL("SELECT DISTINCT ON (feature_fid) {} FROM {} WHERE feature_fid = ANY(%s) "
                                     "ORDER BY feature_fid, fid DESC").format(
            cols, self.table(OPPORTUNITY_AUDIT.name)), (ids,)).fetchall()
        return {int(r[1]): _record(r) for r in rows}

    def session_changes(self, session: str) -> list[AuditRecord]:
        if not session or not self.exists(OPPORTUNITY_AUDIT.name):
            return []
        cols = self.audit_select()
        rows = self.run(self.sql.SQL("SELECT {} FROM {} WHERE session = %s ORDER BY fid").format(
            cols, self.table(OPPORTUNITY_AUDIT.name)), (session,)).fetchall()
        return [_record(r) for r in rows]

    def _next_fid(self) -> int:
        audit_max = self.sql.SQL("(SELECT max(feature_fid) FROM {})").format(self.table(OPPORTUNITY_AUDIT.name)) \
            if self.exists(OPPORTUNITY_AUDIT.name) else self.sql.SQL("NULL::bigint")
        row = self.run(self.sql.SQL("SELECT greatest(coalesce((SELECT max(fid) FROM {}), 0), coalesce({}, 0)) + 1")
                       .format(self.table(OPPORTUNITY.name), audit_max)).fetchone()
        return max(int(row[0]), self._deleted_max + 1)

    def insert_feature(self, feature: OpportunityFeature, fid: int | None = None) -> int:
        new_fid = int(fid) if fid is not None else self._next_fid()
        self.run(self.sql.SQL("INSERT INTO {} (fid, geom, measures, name, ref, source_layer) VALUES "
                              "(%s, ST_GeomFromWKB(%s, %s), %s, %s, %s, %s)").format(self.table(OPPORTUNITY.name)),
                 (new_fid, _psycopg2().Binary(_wkb(feature.geometry)), PACK_CRS_EPSG,
                  canonical_measures(feature.measures), (feature.name or "").strip() or None,
                  (feature.ref or "").strip() or None, EDIT_SOURCE))
        return new_fid

    def update_feature(self, fid: int, values: Mapping[str, Any]) -> None:
        if not values:
            return
        sets = []
        params: list[Any] = []
        for name, value in values.items():
            if name not in _EDITABLE:
                raise ValueError(f"unknown column {name}")
            if name == "geom":
                sets.append(self.sql.SQL("geom = ST_GeomFromWKB(%s, %s)"))
                params.extend([_psycopg2().Binary(_wkb(value)), PACK_CRS_EPSG])
            else:
                sets.append(self.sql.SQL("{} = %s").format(self.sql.Identifier(name)))
                params.append(value)
        self.run(self.sql.SQL("UPDATE {} SET {} WHERE fid = %s").format(
            self.table(OPPORTUNITY.name), self.sql.SQL(", ").join(sets)), (*params, int(fid)))

    def delete_feature(self, fid: int) -> None:
        self._deleted_max = max(self._deleted_max, int(fid))
        self.run(self.sql.SQL("DELETE FROM {} WHERE fid = %s").format(self.table(OPPORTUNITY.name)), (int(fid),))

    def add_audit(self, records: Sequence[AuditRecord]) -> tuple[AuditRecord, ...]:
        if not self.exists(OPPORTUNITY_AUDIT.name):
            self.ensure_audit_table()
        else:
            self._add_missing_audit_columns()
        t = self.table(OPPORTUNITY_AUDIT.name)
        next_id = int(self.run(self.sql.SQL("SELECT coalesce(max(fid), 0) + 1 FROM {}").format(t)).fetchone()[0])
        present = self.audit_columns()  # an older table without names and references: write what it holds
        keep = [i for i, c in enumerate(_AUDIT_COLUMNS) if c in present]
        cols = self.sql.SQL(", ").join(self.sql.Identifier(_AUDIT_COLUMNS[i]) for i in keep)
        marks = self.sql.SQL(", ").join(self.sql.Placeholder() for _ in keep)
        out = []
        for i, r in enumerate(records):
            row = (next_id + i, *r.values())
            self.run(self.sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(t, cols, marks), [row[k] for k in keep])
            out.append(_record(row))
        self.written.extend(out)
        return tuple(out)

    def metadata(self) -> dict[str, str]:
        return pg_read_metadata(self.cur, self.schema)

    def set_metadata(self, key: str, value: str) -> None:
        if key == "content_sha256":
            self.new_sha256 = value
        t = self.table(METADATA.name)
        if self.run(self.sql.SQL("UPDATE {} SET value = %s WHERE key = %s").format(t), (value, key)).rowcount == 0:
            self.run(self.sql.SQL("INSERT INTO {} (fid, key, value) SELECT coalesce(max(fid), 0) + 1, %s, %s "
                                  "FROM {}").format(t, t), (key, value))

    def read_features(self, fids: Sequence[int]) -> PackLayer:
        """The opportunity areas with these fids, as the schema holds them now (for the content hash)."""
        return pg_read_layer(self.cur, self.schema, OPPORTUNITY, self.sql.SQL("{} = ANY(%s)").format(
            self.sql.Identifier("fid")), (sorted({int(f) for f in fids}),))

    def content_sha256(self) -> str:
        present = pg_tables(self.cur, self.schema)
        layers = {spec.name: pg_read_layer(self.cur, self.schema, spec) for spec in TABLES
                  if spec is not METADATA and spec.name in present}
        pack = PackData(layers, PackMetadata.from_pairs(self.metadata()), self.schema,
                        measures_from_layer(layers.get("measures")))
        return content_hash(pack)


class PostgisOpportunityStore:
    """The opportunity areas of the pack in ``schema``, through the saved QGIS connection ``connection_name``.

    ``connect`` (a context manager factory taking the connection name, default :func:`.pg_connect`) is there
    for tests that run outside QGIS.
    """

    def __init__(self, connection_name: str, schema: str, *, lock_timeout: float = 30.0,
                 connect: Callable[[str], contextlib.AbstractContextManager[Any]] | None = None) -> None:
        self.connection_name = connection_name
        self.schema = _check_schema(schema)
        self.lock_timeout = lock_timeout
        self._connect = connect or pg_connect

    def __str__(self) -> str:
        return str(PackSource.postgis(self.connection_name, self.schema))

    def _failed(self, exc: Exception) -> PackError:
        psycopg2 = _psycopg2()
        message = _scrub(str(getattr(exc, "pgerror", None) or exc))
        code = getattr(exc, "pgcode", None)
        if code == "55P03":  # lock_not_available
            return PackError(tr("Another editor has been saving to the pack {0} for more than {1:g} s; nothing was "
                                "saved and your edits are still in your working copy. Save again in a moment.").format(
                self, self.lock_timeout))
        if code == PERMISSION_DENIED:
            return PackError(tr("Nothing was saved. {0} (The database said: {1})").format(
                permission_problem(tr("save opportunity areas and their audit rows to the tables"), str(self)),
                message))
        if isinstance(exc, psycopg2.OperationalError):
            return PackError(tr("The connection to the database was lost while saving to {0} ({1}); nothing was "
                                "saved and your edits are still in your working copy.").format(self, message))
        return PackError(tr("Saving to the pack {0} failed: {1}. Nothing was saved; your edits are still in your "
                            "working copy.").format(self, message))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        psycopg2 = _psycopg2()
        with self._connect(self.connection_name) as conn:
            try:
                tx = _PgTransaction(conn, self.schema)
                tx.run("SELECT set_config('lock_timeout', %s, true)", (f"{int(self.lock_timeout * 1000)}ms",))
                require_pack_schema({METADATA.name} if tx.exists(METADATA.name) else set(), self.connection_name,
                                    self.schema)
                if not tx.exists(OPPORTUNITY.name):
                    raise PackError(tr("The pack {0} has no '{1}' table to save opportunity areas into; publish a "
                                       "pack with opportunity areas first.").format(self, OPPORTUNITY.name))
                tx.run(tx.sql.SQL("LOCK TABLE {} IN SHARE ROW EXCLUSIVE MODE").format(tx.table(METADATA.name)))
                yield tx
                if tx.written:  # told to every dock listening once (and only if) the check-in commits
                    announce_checkin(tx.cur, self.schema, tx.written[0].session, tx.written[0].edited_by,
                                     [r.fid for r in tx.written], tx.new_sha256)
                conn.commit()
            except psycopg2.Error as exc:
                with contextlib.suppress(Exception):
                    conn.rollback()
                raise self._failed(exc) from None
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.rollback()
                raise

    def ensure_audit_table(self) -> None:
        """Create ``opportunity_audit`` now (e.g. when publishing, so editors need no CREATE privilege)."""
        with self.transaction() as tx:
            assert isinstance(tx, _PgTransaction)
            tx.ensure_audit_table()

    def audit_records(self, fid: int | None = None) -> list[AuditRecord]:
        psycopg2 = _psycopg2()
        with self._connect(self.connection_name) as conn:
            try:
                tx = _PgTransaction(conn, self.schema)
                if not tx.exists(OPPORTUNITY_AUDIT.name):
                    return []
                query = tx.sql.SQL("SELECT {} FROM {}").format(tx.audit_select(), tx.table(OPPORTUNITY_AUDIT.name))
                if fid is None:
                    rows = tx.run(query + tx.sql.SQL(" ORDER BY fid")).fetchall()
                else:
                    rows = tx.run(query + tx.sql.SQL(" WHERE feature_fid = %s ORDER BY fid"), (int(fid),)).fetchall()
                return [_record(r) for r in rows]
            except psycopg2.Error as exc:
                if getattr(exc, "pgcode", None) == PERMISSION_DENIED:
                    raise PackError(permission_problem(tr("read the audit table"), str(self))) from None
                raise PackError(tr("The audit trail of {0} cannot be read: {1}").format(
                    self, _scrub(str(exc)))) from None
            finally:
                with contextlib.suppress(Exception):
                    conn.rollback()
