"""The working copy of a pack's opportunity areas: what an editor changes between check-out and check-in.

:func:`check_out` writes a scratch GeoPackage (the GUI keeps it in the QGIS profile, so a crash loses
nothing) with four tables:

- ``opportunity_edits`` (MULTIPOLYGON, EPSG:27700): the features, editable in QGIS with the OGR provider
  and every editing tool. ``pack_fid`` is the feature's fid in the pack (NULL for a new feature),
  ``measures`` the codes as QGIS's multi-select writes them (``{A,B}``; ``A;B`` is read too), ``name``,
  ``ref``; ``base_measures`` and ``base_geom_sha256`` show the state the feature started from.
- ``checked_out_fids``: the base state of every pack feature checked out (measures, name, reference,
  geometry and its hash). The diff's source of truth, out of the editor's reach.
- ``measure_choices``: the pack's catalogue (``code``, ``label`` = "CODE — measure text", ``theme``) for
  the form's multi-select.
- ``working_copy_info``: key/value: pack source, when checked out, the pack's content hash then, last save.

:meth:`WorkingCopy.edits` diffs the features against their base (:mod:`.working_diff`; only those the change log,
:mod:`.change_log`, names, so the work grows with the edits, not with the map; :meth:`WorkingCopy.full_edits` diffs
every feature): a row without a (known) pack fid is an insert (several rows with the same pack fid, as after
*Split Features*: the first is the feature, the others are inserts), a changed row an update, a checked-out
feature with no row left a delete.
After a check-in, :meth:`WorkingCopy.after_save` rebases (the saved state becomes the base; inserted rows
get their pack fids); :meth:`WorkingCopy.take_theirs` replaces a feature with the pack's current state;
:meth:`WorkingCopy.refresh` brings in what others saved since, for every feature the copy has not changed.
"""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..errors import InputError, PackError
from ..pack.content_hash import geometry_sha256s
from ..pack.gpkg import connect_rw, encode_blobs, immediate_transaction, register_functions
from ..pack.gpkg_writer import init_geopackage, write_table
from ..pack.model import PackData
from ..pack.schema import OPPORTUNITY, Column, TableSpec
from ..pack.store import atomic_copy
from . import change_log
from .audit import utc_now
from .checkin import SaveResult
from .edits import Edit, as_multi, canonical_measures, feature_states, form_measures
from .opportunity_feature import OpportunityFeature, geometry_sha256, opportunity_features
from .working_diff import base_states, diff
from .working_diff import bases as read_bases
from .working_diff import rows as read_rows

FORMAT = "lnrs-working-copy/1"
WORKING = TableSpec("opportunity_edits", "working", "Opportunity areas (working copy)", "MULTIPOLYGON", (
    Column("pack_fid", "INTEGER", "fid of the feature in the pack; NULL for a new feature"),
    Column("measures", "TEXT", "measure codes, {A,B} as QGIS's multi-select writes them"),
    Column("name", "TEXT"), Column("ref", "TEXT"),
    Column("base_measures", "TEXT", "the measures at check-out or last save"),
    Column("base_geom_sha256", "TEXT", "the geometry hash at check-out or last save")))
CHECKED_OUT = TableSpec("checked_out_fids", "checked_out", "Pack features checked out (base state)", None, (
    Column("pack_fid", "INTEGER"), Column("base_measures", "TEXT"), Column("base_name", "TEXT"),
    Column("base_ref", "TEXT"), Column("base_geom_sha256", "TEXT"),
    Column("base_geom", "BLOB", "2D WKB of the geometry at check-out or last save")))
CHOICES = TableSpec("measure_choices", "choices", "Measures catalogue (for the form)", None, (
    Column("code", "TEXT"), Column("label", "TEXT", "CODE — measure text"), Column("theme", "TEXT")))
INFO = TableSpec("working_copy_info", "info", "Working copy", None, (Column("key", "TEXT"), Column("value", "TEXT")))
TABLES: tuple[TableSpec, ...] = (WORKING, CHECKED_OUT, CHOICES, INFO)


@dataclass(frozen=True)
class WorkingCopyInfo:
    pack_source: str
    pack_name: str
    checked_out_at: str
    pack_content_sha256: str  # at check-out
    copy_id: str
    last_saved_at: str = ""
    last_saved_content_sha256: str = ""


def choice_label(code: str, text: str) -> str:
    return f"{code} — {text}" if text else code


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _wkb(geometry: Any) -> bytes | None:
    if geometry is None or shapely.is_empty(geometry):
        return None
    return bytes(shapely.to_wkb(geometry, output_dimension=2, byte_order=1))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def opportunity_refusal(pack: PackData) -> str | None:
    """Why the pack's opportunity areas cannot be edited although the pack holds them (its checks refused the
    layer, :mod:`..pack.integrity`), or None: editing without those rows would lose them at check-in."""
    reason = pack.unchecked.get(OPPORTUNITY.name)
    if reason is None:
        return None
    return (f"The opportunity areas of the pack {pack.metadata.lnrs_name or pack.source} cannot be edited: the pack "
            f"holds them, but its checks refused that layer. {reason}")


def _refuse_unreadable_opportunity(pack: PackData) -> None:
    refusal = opportunity_refusal(pack)
    if refusal is not None:
        raise PackError(refusal)


def _as_multis(geometries: Sequence[Any]) -> Any:
    """:func:`.edits.as_multi` of every geometry at once."""
    geoms = np.empty(len(geometries), dtype=object)
    geoms[:] = list(geometries)
    geoms = shapely.force_2d(geoms)
    single = np.flatnonzero((shapely.get_type_id(geoms) == 3) & ~shapely.is_empty(geoms))
    if len(single):
        geoms[single] = shapely.multipolygons(geoms[single].reshape(-1, 1))
    return geoms


def _wkbs(geoms: Any) -> list[bytes | None]:
    """:func:`_wkb` of every geometry at once."""
    out: list[bytes | None] = [None] * len(geoms)
    present = np.flatnonzero(~shapely.is_missing(geoms))
    present = present[~shapely.is_empty(geoms[present])]
    for i, wkb in zip(present.tolist(), shapely.to_wkb(geoms[present], output_dimension=2, byte_order=1)):
        out[i] = bytes(wkb)
    return out


def check_out(pack: PackData, store_id: str, path: str | Path) -> WorkingCopy:
    """Write a new working copy of ``pack``'s opportunity areas at ``path`` (which must not exist yet).

    ``store_id`` says where the pack lives (``str(PackSource)``), so the copy is checked in to the same place.
    """
    path = Path(path)
    if path.exists():
        raise InputError(f"A working copy already exists at {path}: open it to go on editing (nothing in it is "
                         "lost), or discard it before checking out again.")
    _refuse_unreadable_opportunity(pack)
    if pack.layer(OPPORTUNITY.name) is None:
        raise PackError(f"The pack {pack.metadata.lnrs_name or pack.source} has no opportunity areas layer to edit; "
                        "add one with Add layer to Local Habitat Map pack (role opportunity) first.")
    features = opportunity_features(pack)
    geoms = _as_multis([f.geometry for f in features])
    canonical: dict[str, str] = {}  # measure texts repeat: each is parsed once
    for f in features:
        if f.measures not in canonical:
            canonical[f.measures] = canonical_measures(f.measures)
    measures = [canonical[f.measures] for f in features]
    in_form = {m: form_measures(m) for m in set(measures)}
    hashes = geometry_sha256s(geoms)
    fids = [f.fid for f in features]
    names = [f.name or None for f in features]
    refs = [f.ref or None for f in features]
    catalogue = sorted(pack.measures.values(), key=lambda m: m.code)
    info = {
        "format": FORMAT, "pack_source": str(store_id), "pack_name": pack.metadata.lnrs_name,
        "checked_out_at": utc_now(), "pack_content_sha256": pack.metadata.content_sha256,
        "copy_id": uuid.uuid4().hex, "last_saved_at": "", "last_saved_content_sha256": "",
    }
    with atomic_copy(path) as tmp:
        conn = connect_rw(tmp)
        try:
            init_geopackage(conn)
            conn.execute("BEGIN")
            write_table(conn, WORKING, {
                "pack_fid": fids, "measures": [in_form[m] for m in measures], "name": names, "ref": refs,
                "base_measures": measures, "base_geom_sha256": hashes}, geoms)
            write_table(conn, CHECKED_OUT, {
                "pack_fid": fids, "base_measures": measures, "base_name": names, "base_ref": refs,
                "base_geom_sha256": hashes, "base_geom": _wkbs(geoms)})
            write_table(conn, CHOICES, {"code": [m.code for m in catalogue],
                                        "label": [choice_label(m.code, m.text) for m in catalogue],
                                        "theme": [m.theme for m in catalogue]})
            write_table(conn, INFO, {"key": list(info), "value": list(info.values())})
            change_log.install(conn, seed=False)  # from now on, every write notes what it touched
            conn.execute("COMMIT")
        finally:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            conn.close()
    return WorkingCopy.open(path)


@dataclass(frozen=True)
class RefreshResult:
    """Pack fids brought up to date by :meth:`WorkingCopy.refresh`; ``kept``: changed here, left as they are."""

    updated: tuple[int, ...]
    added: tuple[int, ...]
    removed: tuple[int, ...]
    kept: tuple[int, ...]


class WorkingCopy:
    """An open working copy (a GeoPackage file); every method reads or writes the file at once."""

    def __init__(self, path: Path, info: WorkingCopyInfo) -> None:
        self.path = path
        self.info = info

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path) -> WorkingCopy:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"There is no working copy at {p}.")
        conn = cls._connect_path(p)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if any(t.name not in tables for t in TABLES):
                raise InputError(f"{p.name} is not an LNRS Toolkit working copy (it lacks the tables "
                                 f"{', '.join(t.name for t in TABLES if t.name not in tables)}).")
            pairs = {str(k): _text(v) for k, v in conn.execute(f"SELECT key, value FROM {_q(INFO.name)}")}
        except sqlite3.DatabaseError as exc:
            raise InputError(f"The working copy {p} cannot be read ({exc}).") from exc
        finally:
            conn.close()
        if pairs.get("format") != FORMAT:
            raise InputError(f"The working copy {p.name} was written by another version of LNRS Toolkit "
                             f"({pairs.get('format') or 'unknown format'}); check out the pack again.")
        copy = cls(p, WorkingCopyInfo(pairs.get("pack_source", ""), pairs.get("pack_name", ""),
                                      pairs.get("checked_out_at", ""), pairs.get("pack_content_sha256", ""),
                                      pairs.get("copy_id", ""), pairs.get("last_saved_at", ""),
                                      pairs.get("last_saved_content_sha256", "")))
        copy._ensure_log()
        return copy

    def _ensure_log(self) -> None:
        """A copy checked out before the change log existed gets one, compacted by one full diff."""
        conn = self._connect_path(self.path)
        try:
            if change_log.installed(conn):
                return
        finally:
            conn.close()
        with self._write() as conn:
            change_log.install(conn, seed=True)
            self._compact(conn)

    @property
    def layer_uri(self) -> str:
        """The OGR data source of the editable layer: ``path|layername=opportunity_edits``."""
        return f"{self.path}|layername={WORKING.name}"

    @property
    def choices_uri(self) -> str:
        return f"{self.path}|layername={CHOICES.name}"

    @staticmethod
    def _connect_path(path: Path) -> sqlite3.Connection:
        # no journal-mode change: QGIS may hold the file open (in WAL mode) while we read or write it
        conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)
        register_functions(conn)
        return conn

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return immediate_transaction(self._connect_path(self.path), lambda exc: InputError(
            f"The working copy {self.path} cannot be written ({exc}); if QGIS is saving edits to it, wait and try "
            "again."))

    def edits(self) -> list[Edit]:
        """What changed since check-out (or the last save): inserts, updates and deletes.

        Only the features the change log names are read and compared (:mod:`.change_log`); the result is the
        full diff's (:meth:`full_edits`).
        """
        conn = self._connect_path(self.path)
        try:
            return self._logged_edits(conn)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"The working copy {self.path} cannot be read ({exc}).") from exc
        finally:
            conn.close()

    def _logged_edits(self, conn: sqlite3.Connection) -> list[Edit]:
        if not change_log.installed(conn):
            return diff(read_bases(conn), read_rows(conn))
        pack_fids, row_fids = change_log.logged(conn)
        return diff(read_bases(conn, pack_fids), read_rows(conn, pack_fids, row_fids))

    def full_edits(self) -> list[Edit]:
        """:meth:`edits` by comparing every feature with its base (the reference the change log is tested on)."""
        conn = self._connect_path(self.path)
        try:
            bases = read_bases(conn)
            rows = read_rows(conn)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"The working copy {self.path} cannot be read ({exc}).") from exc
        finally:
            conn.close()
        return diff(bases, rows)

    def _compact(self, conn: sqlite3.Connection) -> None:
        """Shrink the change log to what still differs (in a write transaction)."""
        edits = self._logged_edits(conn)
        change_log.keep_only(conn, {e.fid for e in edits if e.fid is not None},
                             {int(e.key) for e in edits if e.kind != "delete" and e.key.isdigit()})
        # an insert carrying a pack fid (a split part) keeps that fid logged: the pack fid's primary row is its twin
        conn.execute(f"INSERT OR IGNORE INTO {_q(change_log.FIDS)} (pack_fid) SELECT pack_fid FROM "
                     f"{_q(WORKING.name)} WHERE pack_fid IS NOT NULL AND fid IN (SELECT row_fid FROM "
                     f"{_q(change_log.ROWS)})")

    def feature_count(self) -> int:
        conn = self._connect_path(self.path)
        try:
            return int(conn.execute(f"SELECT count(*) FROM {_q(WORKING.name)}").fetchone()[0])
        finally:
            conn.close()

    # ---------------------------------------------------------------- rebasing
    @staticmethod
    def _set_base(conn: sqlite3.Connection, pack_fid: int, feature: OpportunityFeature) -> None:
        measures = canonical_measures(feature.measures)
        geom = as_multi(feature.geometry)
        digest = geometry_sha256(geom)
        conn.execute(f"DELETE FROM {_q(CHECKED_OUT.name)} WHERE pack_fid = ?", (pack_fid,))
        conn.execute(f"INSERT INTO {_q(CHECKED_OUT.name)} (pack_fid, base_measures, base_name, base_ref, "
                     "base_geom_sha256, base_geom) VALUES (?, ?, ?, ?, ?, ?)",
                     (pack_fid, measures, (feature.name or "").strip() or None, (feature.ref or "").strip() or None,
                      digest, _wkb(geom)))

    @staticmethod
    def _primary_fid(conn: sqlite3.Connection, pack_fid: int) -> int | None:
        row = conn.execute(f"SELECT min(fid) FROM {_q(WORKING.name)} WHERE pack_fid = ?", (pack_fid,)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def _set_info(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        if conn.execute(f"UPDATE {_q(INFO.name)} SET value = ? WHERE key = ?", (value, key)).rowcount == 0:
            conn.execute(f"INSERT INTO {_q(INFO.name)} (key, value) VALUES (?, ?)", (key, value))

    def known_map_sha256(self) -> str:
        """The content hash of the map as this copy last took it in (refresh, save or check-out)."""
        conn = self._connect_path(self.path)
        try:
            pairs = {str(k): _text(v) for k, v in conn.execute(f"SELECT key, value FROM {_q(INFO.name)}")}
        finally:
            conn.close()
        return (pairs.get("refreshed_content_sha256") or pairs.get("last_saved_content_sha256")
                or pairs.get("pack_content_sha256", ""))

    def checkin_session(self) -> str:
        """The id of the check-in about to be sent, written into the copy BEFORE it is sent (``checkin_session``).

        Pass it to :func:`~.checkin.save_edits` (its audit rows carry it). :meth:`after_save` clears it; while it is
        set (the process died between the check-in's commit and the rebase, or the check-in failed) the next
        check-in reuses it, so what already landed is recognised and not saved twice.
        """
        conn = self._connect_path(self.path)
        try:
            row = conn.execute(f"SELECT value FROM {_q(INFO.name)} WHERE key = 'checkin_session'").fetchone()
        finally:
            conn.close()
        if row is not None and row[0]:
            return str(row[0])
        session = uuid.uuid4().hex
        with self._write() as conn:
            self._set_info(conn, "checkin_session", session)
        return session

    def after_save(self, result: SaveResult) -> None:
        """Rebase on a check-in: what it saved becomes the base; inserted rows get their pack fids.

        Edits the check-in skipped (conflicts resolved as "theirs") are left alone: call :meth:`take_theirs`.
        When nobody else saved to the map since this copy last took it in (``result.previous_content_sha256``), the
        copy now holds the map as it is, and :meth:`refresh` has nothing to compare.
        """
        known = self.known_map_sha256()
        with self._write() as conn:
            for e in result.edits:
                if e.kind == "delete":
                    if e.fid is not None:
                        conn.execute(f"DELETE FROM {_q(CHECKED_OUT.name)} WHERE pack_fid = ?", (e.fid,))
                    continue
                assert e.new is not None
                pack_fid = result.new_fids.get(e.key) if e.kind == "insert" else e.fid
                if pack_fid is None:
                    continue
                if pack_fid in result.merged:  # saved merged with a colleague's change: the copy takes the merge
                    self._take(conn, pack_fid, e.new)
                    continue
                self._set_base(conn, pack_fid, e.new)
                row_fid = int(e.key) if e.key.isdigit() else None
                if row_fid is not None:
                    conn.execute(f"UPDATE {_q(WORKING.name)} SET pack_fid = ?, base_measures = ?, "
                                 "base_geom_sha256 = ? WHERE fid = ?",
                                 (pack_fid, canonical_measures(e.new.measures), geometry_sha256(e.new.geometry),
                                  row_fid))
            self._set_info(conn, "last_saved_at", utc_now())
            self._set_info(conn, "last_saved_content_sha256", result.content_sha256)
            self._set_info(conn, "checkin_session", "")
            current = bool(known) and result.previous_content_sha256 == known
            self._set_info(conn, "refreshed_content_sha256", result.content_sha256 if current else known or "unknown")
            self._compact(conn)
        self.info = WorkingCopy.open(self.path).info

    def take_theirs(self, fid: int, current: OpportunityFeature | None) -> None:
        """Replace pack feature ``fid`` in the copy with the pack's ``current`` state (None: it was deleted)."""
        with self._write() as conn:
            self._take(conn, fid, current)

    def _take(self, conn: sqlite3.Connection, fid: int, current: OpportunityFeature | None) -> None:
        row_fid = self._primary_fid(conn, fid)
        if current is None:
            conn.execute(f"DELETE FROM {_q(CHECKED_OUT.name)} WHERE pack_fid = ?", (fid,))
            if row_fid is not None:
                conn.execute(f"DELETE FROM {_q(WORKING.name)} WHERE fid = ?", (row_fid,))
            # other parts of a split feature stay, as new features
            conn.execute(f"UPDATE {_q(WORKING.name)} SET pack_fid = NULL WHERE pack_fid = ?", (fid,))
            return
        self._set_base(conn, fid, current)
        geom = as_multi(current.geometry)
        values = (encode_blobs([geom])[0], form_measures(current.measures), (current.name or "").strip() or None,
                  (current.ref or "").strip() or None, canonical_measures(current.measures),
                  geometry_sha256(geom))
        if row_fid is None:
            conn.execute(f"INSERT INTO {_q(WORKING.name)} (geom, measures, name, ref, base_measures, "
                         "base_geom_sha256, pack_fid) VALUES (?, ?, ?, ?, ?, ?, ?)", (*values, fid))
        else:
            conn.execute(f"UPDATE {_q(WORKING.name)} SET geom = ?, measures = ?, name = ?, ref = ?, "
                         "base_measures = ?, base_geom_sha256 = ? WHERE fid = ?", (*values, row_fid))

    def refresh(self, pack: PackData) -> RefreshResult:
        """Bring in what others saved since check-out, for every feature this copy has not changed.

        ``pack`` is the pack as it is now. Features changed here are left as they are (if the pack changed
        them too, the check-in reports the conflict); every other feature takes the pack's state, features
        new in the pack are added and features deleted from it are removed.
        """
        _refuse_unreadable_opportunity(pack)
        if pack.layer(OPPORTUNITY.name) is None:
            raise PackError(f"The pack {pack.metadata.lnrs_name or pack.source} has no opportunity areas layer.")
        updated: list[int] = []
        added: list[int] = []
        removed: list[int] = []
        kept: list[int] = []
        edited = {e.fid for e in self.edits() if e.fid is not None}
        digest = pack.metadata.content_sha256
        if digest and digest == self.known_map_sha256():
            # nobody saved since this copy took the map in: only the areas changed here are compared (both changed?)
            states = feature_states(opportunity_features(pack, edited))
            conn = self._connect_path(self.path)
            try:
                bases = base_states(conn, {int(f) for f in edited if f is not None})
            finally:
                conn.close()
            kept = [fid for fid in sorted(edited) if fid in bases and states.get(fid) != bases[fid]]
            return RefreshResult((), (), (), tuple(kept))
        current = {int(f.fid): f for f in opportunity_features(pack) if f.fid is not None}
        states = feature_states(list(current.values()))  # hashed at once
        with self._write() as conn:
            bases = base_states(conn)
            for fid in sorted(set(current) | set(bases)):
                base = bases.get(fid)
                now = current.get(fid)
                if base is not None and now is not None and states[fid] == base:
                    continue
                if fid in edited:
                    kept.append(fid)
                    continue
                if base is None:  # new in the pack: a row of this copy that claims its fid is a new feature
                    conn.execute(f"UPDATE {_q(WORKING.name)} SET pack_fid = NULL WHERE pack_fid = ?", (fid,))
                self._take(conn, fid, now)
                (removed if now is None else updated if base is not None else added).append(fid)
            self._set_info(conn, "refreshed_at", utc_now())
            self._set_info(conn, "refreshed_content_sha256", pack.metadata.content_sha256)
            self._compact(conn)
        return RefreshResult(tuple(updated), tuple(added), tuple(removed), tuple(kept))

    def take_theirs_all(self, conflicts: Sequence[Any]) -> None:
        """:meth:`take_theirs` for each :class:`~.checkin.Conflict` (its edit's fid, its current)."""
        for c in conflicts:
            if c.edit.fid is not None:
                self.take_theirs(int(c.edit.fid), c.current)
