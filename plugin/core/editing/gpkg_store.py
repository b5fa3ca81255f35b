"""The opportunity areas of a GeoPackage pack, saved in place with sqlite3: :class:`GpkgOpportunityStore`.

Each check-in (:mod:`.checkin`) is one ``BEGIN IMMEDIATE`` transaction with a busy timeout; the
R-tree triggers of the layer are kept (the SQL functions they call are registered), the layer's
extent in ``gpkg_contents`` grows with the edits, and the audit table is created on first use.
"""

from __future__ import annotations

import contextlib
import dataclasses
import getpass
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import shapely

from ..errors import PackError
from ..pack.content_hash import content_hash
from ..pack.gpkg import decode_blob, encode_blobs, read_layer, read_metadata_pairs, register_functions
from ..pack.gpkg_writer import write_table
from ..pack.model import PackData, PackLayer, PackMetadata, measures_from_layer
from ..pack.schema import METADATA, OPPORTUNITY, OPPORTUNITY_AUDIT, TABLES
from ..pack.write_lock import pack_write_lock
from .audit import AuditRecord, audit_record, utc_now
from .edits import EDIT_SOURCE, as_multi, canonical_measures
from .opportunity_feature import OpportunityFeature
from .opportunity_store import StoreTransaction

DEFAULT_BUSY_TIMEOUT_S = 30.0


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _geometry(blob: Any) -> Any:
    wkb = decode_blob(blob)
    return None if wkb is None else shapely.force_2d(shapely.from_wkb(wkb))


def _audit_columns(conn: sqlite3.Connection) -> set[str]:
    return {str(r[1]) for r in conn.execute(f"PRAGMA table_info({_q(OPPORTUNITY_AUDIT.name)})")}


def _audit_select(conn: sqlite3.Connection) -> str:
    """The audit columns to select; those an older audit table lacks (names, references) read as NULL."""
    present = _audit_columns(conn)
    return ", ".join(["fid", *(_q(c) if c in present else f"NULL AS {_q(c)}"
                               for c in OPPORTUNITY_AUDIT.column_names)])


@dataclass
class _GpkgTransaction:
    conn: sqlite3.Connection
    path: Path
    _audit_ready: bool = field(default=False)

    def timestamp(self) -> str:
        return utc_now()

    def attribute(self, user: str) -> str:
        name = (user or "").strip()
        if name:
            return name
        with contextlib.suppress(Exception):
            return getpass.getuser()
        return "unknown user"

    def lock_features(self, fids: Sequence[int]) -> dict[int, OpportunityFeature]:
        # BEGIN IMMEDIATE already holds the write lock on the whole file
        out: dict[int, OpportunityFeature] = {}
        ids = sorted({int(f) for f in fids})
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for fid, blob, measures, name, ref in self.conn.execute(
                    f"SELECT fid, geom, measures, name, ref FROM {_q(OPPORTUNITY.name)} WHERE fid IN ({marks})",
                    chunk):
                out[int(fid)] = OpportunityFeature(int(fid), str(measures or ""), _geometry(blob), str(name or ""),
                                                   str(ref or ""), str(fid))
        return out

    def _has_audit(self) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (OPPORTUNITY_AUDIT.name,)).fetchone() is not None

    def last_changes(self, fids: Sequence[int]) -> dict[int, AuditRecord]:
        if not self._has_audit():
            return {}
        out: dict[int, AuditRecord] = {}
        select = _audit_select(self.conn)
        for fid in sorted({int(f) for f in fids}):
            row = self.conn.execute(f"SELECT {select} FROM {_q(OPPORTUNITY_AUDIT.name)} WHERE feature_fid = ? "
                                    "ORDER BY fid DESC LIMIT 1", (fid,)).fetchone()
            if row is not None:
                out[fid] = audit_record(row)
        return out

    def session_changes(self, session: str) -> list[AuditRecord]:
        if not session or not self._has_audit():
            return []
        select = _audit_select(self.conn)
        rows = self.conn.execute(f"SELECT {select} FROM {_q(OPPORTUNITY_AUDIT.name)} WHERE session = ? ORDER BY fid",
                                 (session,))
        return [audit_record(r) for r in rows]

    def _extend_extent(self, geometry: Any) -> None:
        if geometry is None or geometry.is_empty:
            return
        minx, miny, maxx, maxy = (float(v) for v in geometry.bounds)
        self.conn.execute(
            "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?), "
            "max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?), last_change = ? "
            "WHERE table_name = ?",
            (minx, minx, miny, miny, maxx, maxx, maxy, maxy, _gpkg_now(), OPPORTUNITY.name))

    def insert_feature(self, feature: OpportunityFeature, fid: int | None = None) -> int:
        geom = as_multi(feature.geometry)
        blob = encode_blobs([geom])[0]
        cur = self.conn.execute(
            f"INSERT INTO {_q(OPPORTUNITY.name)} (fid, geom, measures, name, ref, source_layer) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (fid, blob, canonical_measures(feature.measures), (feature.name or "").strip() or None,
             (feature.ref or "").strip() or None, EDIT_SOURCE))
        self._extend_extent(geom)
        return int(fid if fid is not None else cur.lastrowid or 0)

    def update_feature(self, fid: int, values: Mapping[str, Any]) -> None:
        if not values:
            return
        cols = []
        params: list[Any] = []
        for name, value in values.items():
            if name not in ("measures", "name", "ref", "geom"):
                raise ValueError(f"unknown column {name}")
            cols.append(f"{_q(name)} = ?")
            params.append(encode_blobs([as_multi(value)])[0] if name == "geom" else value)
        self.conn.execute(f"UPDATE {_q(OPPORTUNITY.name)} SET {', '.join(cols)} WHERE fid = ?", (*params, fid))
        if "geom" in values:
            self._extend_extent(as_multi(values["geom"]))

    def delete_feature(self, fid: int) -> None:
        self.conn.execute(f"DELETE FROM {_q(OPPORTUNITY.name)} WHERE fid = ?", (fid,))

    def add_audit(self, records: Sequence[AuditRecord]) -> tuple[AuditRecord, ...]:
        if not self._has_audit():
            write_table(self.conn, OPPORTUNITY_AUDIT, {c: [] for c in OPPORTUNITY_AUDIT.column_names})
        present = _audit_columns(self.conn)
        for column in OPPORTUNITY_AUDIT.columns:  # an audit table from an older version: names and references
            if column.name not in present:
                self.conn.execute(f"ALTER TABLE {_q(OPPORTUNITY_AUDIT.name)} ADD COLUMN {_q(column.name)} "
                                  f"{column.sql_type}")
        names = ", ".join(_q(c) for c in OPPORTUNITY_AUDIT.column_names)
        marks = ", ".join("?" for _ in OPPORTUNITY_AUDIT.columns)
        out = []
        for r in records:
            cur = self.conn.execute(f"INSERT INTO {_q(OPPORTUNITY_AUDIT.name)} ({names}) VALUES ({marks})", r.values())
            out.append(dataclasses.replace(r, audit_id=int(cur.lastrowid or 0)))
        return tuple(out)

    def metadata(self) -> dict[str, str]:
        return read_metadata_pairs(self.conn)

    def set_metadata(self, key: str, value: str) -> None:
        t = _q(METADATA.name)
        if self.conn.execute(f"UPDATE {t} SET value = ? WHERE key = ?", (value, key)).rowcount == 0:
            self.conn.execute(f"INSERT INTO {t} (key, value) VALUES (?, ?)", (key, value))

    def read_features(self, fids: Sequence[int]) -> PackLayer:
        """The opportunity areas with these fids, as the pack holds them now (for the content hash)."""
        ids = sorted({int(f) for f in fids})
        return read_layer(self.conn, OPPORTUNITY, "{fid} IN (" + ", ".join("?" for _ in ids) + ")", ids) \
            if len(ids) <= 10_000 else read_layer(self.conn, OPPORTUNITY)

    def content_sha256(self) -> str:
        present = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}
        layers = {spec.name: read_layer(self.conn, spec) for spec in TABLES
                  if spec is not METADATA and spec.name in present}
        pack = PackData(layers, PackMetadata.from_pairs(self.metadata()), str(self.path),
                        measures_from_layer(layers.get("measures")))
        return content_hash(pack)


def _gpkg_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class GpkgOpportunityStore:
    """The opportunity areas of a GeoPackage pack, edited in place (other editors may hold the file open).

    Each transaction is ``BEGIN IMMEDIATE`` (one writer at a time; readers go on reading the committed state)
    and waits up to ``busy_timeout`` seconds for another writer to finish.
    """

    def __init__(self, path: str | Path, busy_timeout: float = DEFAULT_BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout

    def __str__(self) -> str:
        return str(self.path)

    def _connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise PackError(f"The pack file {self.path} does not exist; open the pack again or choose another.")
        try:
            conn = sqlite3.connect(str(self.path), timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise PackError(f"The pack {self.path.name} cannot be opened for saving ({exc}).") from exc
        register_functions(conn)  # the R-tree triggers call ST_MinX & co.
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[StoreTransaction]:
        # the pack's write lock first: an add replacing the file meanwhile would erase this check-in
        with pack_write_lock(self.path, self.busy_timeout), self._locked_transaction() as tx:
            yield tx

    @contextlib.contextmanager
    def _locked_transaction(self) -> Iterator[StoreTransaction]:
        conn = self._connect()
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise PackError(f"The pack {self.path.name} is busy ({exc}): another program has been writing to it "
                                f"for more than {self.busy_timeout:g} s. Close it there and save again; your edits "
                                "are still in your working copy.") from exc
            try:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if METADATA.name not in tables:
                    raise PackError(f"{self.path.name} is not an LNRS Local Habitat Map pack: it has no "
                                    "'pack_metadata' table.")
                if OPPORTUNITY.name not in tables:
                    raise PackError(f"The pack {self.path.name} has no '{OPPORTUNITY.name}' table to save opportunity "
                                    "areas into; add an opportunity layer to the pack first.")
                yield _GpkgTransaction(conn, self.path)
                conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise PackError(f"Saving to the pack {self.path.name} failed ({exc}); nothing was saved and your "
                                "edits are still in your working copy.") from exc
            finally:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
        finally:
            conn.close()

    def audit_records(self, fid: int | None = None) -> list[AuditRecord]:
        conn = self._connect()
        try:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            (OPPORTUNITY_AUDIT.name,)).fetchone() is None:
                return []
            sql = f"SELECT {_audit_select(conn)} FROM {_q(OPPORTUNITY_AUDIT.name)}"
            rows = (conn.execute(sql + " WHERE feature_fid = ? ORDER BY fid", (fid,)) if fid is not None
                    else conn.execute(sql + " ORDER BY fid"))
            return [audit_record(r) for r in rows]
        finally:
            conn.close()
