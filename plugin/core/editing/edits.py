"""Check-in of opportunity-area edits: validate, detect conflicts, apply with an audit trail, in one transaction.

An :class:`Edit` says what a working copy changed (see :mod:`.working_copy`). :func:`save_edits` validates
the edits (:mod:`.opportunity_validation`; errors refuse with :class:`EditRefused`), requires a reason,
then, inside ONE transaction of an :class:`OpportunityStore`:

1. locks and reads the current rows of the features the edits touch;
2. compares each with the state the editor started from (measures, name, reference, geometry hash):
   a difference means someone else saved a change since, a :class:`Conflict` (an insert never conflicts;
   edits to different features never conflict), and nothing is written (:class:`EditConflict`) unless
   the caller resolved that feature: ``"mine"`` saves over it (audited), ``"theirs"`` drops the edit;
3. applies the inserts, updates and deletes and writes one :class:`AuditRecord` per changed feature;
4. stores the pack's new content hash in its metadata (``content_sha256``; ``published_content_sha256``
   keeps the hash of the last publication and is set from the old hash when absent);
5. commits. Any failure rolls everything back.

:class:`GpkgOpportunityStore` edits a GeoPackage pack in place with sqlite3 (``BEGIN IMMEDIATE``, busy
timeout, R-tree triggers kept); the PostGIS store lives in ``plugin/adapters/postgis_opportunity_store.py``.
"""

from __future__ import annotations

import contextlib
import getpass
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import shapely

from ..errors import InputError, LnrsError, PackError
from ..pack.content_hash import content_hash
from ..pack.gpkg import decode_blob, encode_blobs, read_layer, read_metadata_pairs, register_functions, write_table
from ..pack.measure_codes import join_codes
from ..pack.model import PackData, PackMetadata, measures_from_layer
from ..pack.schema import METADATA, OPPORTUNITY, OPPORTUNITY_AUDIT, TABLES
from ..pack.write_lock import pack_write_lock
from .validation import (
    OpportunityFeature,
    OpportunityRules,
    ValidationReport,
    feature_codes,
    geometry_sha256,
    validate_features,
)

KINDS = ("insert", "update", "delete")
RESOLUTIONS = ("mine", "theirs")
#: ``source_layer`` of the areas drawn by editors (re-adding a source layer never replaces them).
EDIT_SOURCE = "lnrs_toolkit:edits"
DEFAULT_BUSY_TIMEOUT_S = 30.0


# --------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Edit:
    """One change of a working copy: ``base`` is the pack state it started from (``None`` for an insert),
    ``new`` what it should become (``None`` for a delete); ``key`` is the working copy's id for it."""

    kind: str
    fid: int | None
    key: str
    base: OpportunityFeature | None
    new: OpportunityFeature | None


@dataclass(frozen=True)
class AuditRecord:
    audit_id: int | None
    fid: int
    action: str
    edited_by: str
    edited_at: str  # ISO 8601 UTC, e.g. 2025-03-01T09:30:00Z
    old_measures: str
    new_measures: str
    old_geom_sha256: str
    new_geom_sha256: str
    reason: str
    session: str


@dataclass(frozen=True)
class Conflict:
    edit: Edit
    current: OpportunityFeature | None  # what the pack holds now (None: deleted)
    last_change: AuditRecord | None
    message: str


@dataclass(frozen=True)
class SaveResult:
    applied: int                    # features written (inserted, updated or deleted)
    audit: tuple[AuditRecord, ...]
    new_fids: Mapping[str, int]     # edit key -> pack fid of each inserted feature
    content_sha256: str             # the pack's content hash after the save
    edits: tuple[Edit, ...] = ()    # the edits now in the pack (applied, or already there): the new base
    session: str = ""
    report: ValidationReport | None = None  # the validation that let the save through (its warnings)


class EditRefused(LnrsError):  # noqa: N818 - the name is the API the GUI builds on
    """Validation found errors: nothing was saved."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        n = len(report.errors)
        head = (f"Nothing was saved: {n} problem{'s' if n != 1 else ''} must be fixed first "
                "(the features stay in your working copy).")
        super().__init__(f"{head}\n{report.summary()}")


class EditConflict(LnrsError):  # noqa: N818 - the name is the API the GUI builds on
    """Someone else saved changes to features this check-in also changes: nothing was saved."""

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = tuple(conflicts)
        n = len(self.conflicts)
        head = (f"Nothing was saved: {n} feature{'s were' if n != 1 else ' was'} changed by someone else since "
                "you checked {0} out. For each, keep your version or take theirs, then save again.".format(
                    "them" if n != 1 else "it"))
        super().__init__("\n".join([head, *(c.message for c in self.conflicts)]))


# --------------------------------------------------------------------------- feature state
def canonical_measures(text: object) -> str:
    """The stored form of measure codes as edited: ``{A,B}`` (QGIS multi-select), ``A;B``, ``A, B`` ... ->
    ``A;B`` (trimmed, upper-cased, de-duplicated, in order)."""
    return join_codes(feature_codes(text))


def form_measures(text: object) -> str:
    """Measure codes in the form QGIS's multi-select ``ValueRelation`` widget reads and writes: ``{A,B}``."""
    return "{" + ",".join(feature_codes(text)) + "}"


def as_multi(geometry: Any) -> Any:
    """Polygons become one-part MultiPolygons (the pack's type), 2D; ``None`` stays ``None``."""
    if geometry is None:
        return None
    g = shapely.force_2d(geometry)
    if g.geom_type == "Polygon" and not g.is_empty:
        return shapely.MultiPolygon([g])
    return g


@dataclass(frozen=True)
class FeatureState:
    """What conflict detection compares: a difference in any part is a change."""

    measures: str
    name: str
    ref: str
    geom_sha256: str

    @classmethod
    def of(cls, feature: OpportunityFeature) -> FeatureState:
        return cls(canonical_measures(feature.measures), (feature.name or "").strip(), (feature.ref or "").strip(),
                   geometry_sha256(feature.geometry))


def _label(edit: Edit) -> str:
    feature = edit.base or edit.new
    return feature.label() if feature is not None else f"opportunity area {edit.fid}"


# --------------------------------------------------------------------------- stores
class StoreTransaction(Protocol):
    """One open transaction on a pack: every method runs inside it."""

    def timestamp(self) -> str:
        """Now, ISO 8601 UTC (the store's clock: the database server's for PostGIS)."""

    def attribute(self, user: str) -> str:
        """Who the audit names for ``user`` (a database store adds its login role)."""

    def lock_features(self, fids: Sequence[int]) -> dict[int, OpportunityFeature]:
        """Lock and read the current rows with these fids (absent fids: deleted)."""

    def last_changes(self, fids: Sequence[int]) -> dict[int, AuditRecord]:
        """The latest audit record of each fid that has one."""

    def insert_feature(self, feature: OpportunityFeature, fid: int | None = None) -> int:
        """Insert (measures canonical, geometry multi); returns the new fid (``fid`` if given)."""

    def update_feature(self, fid: int, values: Mapping[str, Any]) -> None:
        """Set these columns (``measures``, ``name``, ``ref``, ``geom``: a shapely geometry) of row ``fid``."""

    def delete_feature(self, fid: int) -> None: ...

    def add_audit(self, records: Sequence[AuditRecord]) -> tuple[AuditRecord, ...]:
        """Append audit rows; returns them with their audit ids."""

    def metadata(self) -> dict[str, str]: ...

    def set_metadata(self, key: str, value: str) -> None: ...

    def content_sha256(self) -> str:
        """The content hash of the pack as this transaction sees it."""


class OpportunityStore(Protocol):
    """Where a pack's opportunity areas are saved: one transaction at a time, rolled back on any error."""

    def transaction(self) -> contextlib.AbstractContextManager[StoreTransaction]: ...

    def audit_records(self, fid: int | None = None) -> list[AuditRecord]:
        """The audit trail (of one feature, or all), oldest first."""


# --------------------------------------------------------------------------- save_edits
def _check_edits(edits: Sequence[Edit]) -> None:
    keys: set[str] = set()
    fids: set[int] = set()
    for e in edits:
        if e.kind not in KINDS:
            raise InputError(f"'{e.kind}' is not a kind of edit; use insert, update or delete.")
        if e.key in keys:
            raise InputError(f"Two edits have the same key '{e.key}'; each edited feature must have its own key.")
        keys.add(e.key)
        if e.kind == "insert":
            if e.new is None:
                raise InputError(f"The insert '{e.key}' has no feature to insert.")
            continue
        if e.fid is None or e.base is None:
            raise InputError(f"The {e.kind} '{e.key}' does not say which pack feature it changes and from what; "
                             "check the feature out again.")
        if e.kind == "update" and e.new is None:
            raise InputError(f"The update '{e.key}' has no new state.")
        if e.fid in fids:
            raise InputError(f"Two edits change opportunity area {e.fid}; a check-in changes each feature once.")
        fids.add(e.fid)


def _quote_text(text: str) -> str:
    return f"‘{text}’"


def describe_change(base: OpportunityFeature, current: OpportunityFeature | None) -> str:
    """What changed between ``base`` and ``current``, in words (``current`` None: deleted)."""
    if current is None:
        return "it was deleted"
    b, c = FeatureState.of(base), FeatureState.of(current)
    parts = []
    if b.measures != c.measures:
        parts.append(f"its measures went from {b.measures or '(none)'} to {c.measures or '(none)'}")
    if b.geom_sha256 != c.geom_sha256:
        parts.append("its geometry changed")
    else:
        parts.append("its geometry did not change")
    if b.name != c.name:
        parts.append(f"its name went from {_quote_text(b.name)} to {_quote_text(c.name)}")
    if b.ref != c.ref:
        parts.append(f"its reference went from {_quote_text(b.ref)} to {_quote_text(c.ref)}")
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def describe_audit(record: AuditRecord | None) -> str:
    if record is None:
        return ("No audit record says who made that change (it was made outside LNRS Toolkit's check-in, e.g. by "
                "editing the table directly).")
    when = record.edited_at.replace("T", " ").replace("Z", " UTC")
    reason = f", reason: {_quote_text(record.reason)}" if record.reason else ""
    verb = {"insert": "Added", "delete": "Deleted"}.get(record.action, "Last changed")
    return f"{verb} by {record.edited_by} on {when}{reason}."


def conflict_message(edit: Edit, current: OpportunityFeature | None, last: AuditRecord | None) -> str:
    assert edit.base is not None
    label = _label(edit)
    yours = {"update": "Your change", "delete": "Your deletion"}.get(edit.kind, "Your edit")
    return (f"{label[:1].upper()}{label[1:]} was changed in the Local Habitat Map after you checked it out: "
            f"{describe_change(edit.base, current)}. {describe_audit(last)} {yours} was not saved: keep yours to "
            "save it over theirs, or take theirs to replace your edit with what is saved now.")


def _resolutions(resolutions: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (resolutions or {}).items():
        choice = str(value).strip().lower()
        if choice not in RESOLUTIONS:
            raise InputError(f"'{value}' is not a way to resolve a conflict; use 'mine' (keep your version) or "
                             "'theirs' (take the saved version).")
        out[str(key)] = choice
    return out


def _stored(feature: OpportunityFeature) -> OpportunityFeature:
    return OpportunityFeature(feature.fid, canonical_measures(feature.measures), as_multi(feature.geometry),
                              (feature.name or "").strip(), (feature.ref or "").strip(), feature.key)


def _changed_values(current: OpportunityFeature, new: OpportunityFeature) -> dict[str, Any]:
    c, n = FeatureState.of(current), FeatureState.of(new)
    values: dict[str, Any] = {}
    if c.measures != n.measures:
        values["measures"] = n.measures
    if c.name != n.name:
        values["name"] = n.name or None
    if c.ref != n.ref:
        values["ref"] = n.ref or None
    if c.geom_sha256 != n.geom_sha256:
        values["geom"] = as_multi(new.geometry)
    return values


def validate_edits(edits: Sequence[Edit], pack: PackData, rules: OpportunityRules | None = None) -> ValidationReport:
    """The validation a check-in applies: the new state of every inserted or updated area, with the areas being
    deleted left out of the comparisons between polygons. Fronts call this to show problems before saving."""
    return validate_features([e.new for e in edits if e.kind != "delete" and e.new is not None], pack, rules,
                             exclude_fids=[e.fid for e in edits if e.kind == "delete" and e.fid is not None])


def save_edits(store: OpportunityStore, edits: Sequence[Edit], *, reason: str, user: str, pack: PackData,
               rules: OpportunityRules | None = None, resolutions: Mapping[str, str] | None = None,
               session: str | None = None) -> SaveResult:
    """Validate ``edits`` against ``pack`` and save them to ``store`` in one transaction with their audit rows.

    Raises :class:`EditRefused` (validation errors), :class:`~.errors.InputError` (no edits, blank reason),
    :class:`EditConflict` (features changed by someone else and not resolved in ``resolutions``: edit key ->
    ``"mine"`` | ``"theirs"``) or :class:`~.errors.PackError` (the store failed); in every case nothing is saved.
    """
    edits = list(edits)
    if not edits:
        raise InputError("There is nothing to save: the working copy has no changes since it was checked out or "
                         "last saved.")
    _check_edits(edits)
    choices = _resolutions(resolutions)
    report = validate_edits(edits, pack, rules)
    if not report.ok:
        raise EditRefused(report)
    why = (reason or "").strip()
    if not why:
        raise InputError("Give a reason for these changes (it is kept in the audit trail with your name); nothing "
                         "was saved.")
    session = session or uuid.uuid4().hex
    with store.transaction() as tx:
        current = tx.lock_features([e.fid for e in edits if e.kind != "insert" and e.fid is not None])
        plan: list[tuple[Edit, OpportunityFeature | None]] = []
        done: list[Edit] = []
        conflicts: list[tuple[Edit, OpportunityFeature | None]] = []
        for e in edits:
            if e.kind == "insert":
                plan.append((e, None))
                continue
            assert e.fid is not None and e.base is not None
            cur = current.get(e.fid)
            if e.kind == "delete" and cur is None:
                done.append(e)  # already gone: nothing to write
                continue
            if e.kind == "update" and cur is not None and e.new is not None \
                    and FeatureState.of(cur) == FeatureState.of(e.new):
                done.append(e)  # the pack already holds exactly this
                continue
            if cur is not None and FeatureState.of(cur) == FeatureState.of(e.base):
                plan.append((e, cur))
                continue
            choice = choices.get(e.key)
            if choice == "theirs":
                continue
            if choice == "mine":
                plan.append((e, cur))
                continue
            conflicts.append((e, cur))
        if conflicts:
            last = tx.last_changes([e.fid for e, _ in conflicts if e.fid is not None])
            raise EditConflict([Conflict(e, cur, last.get(e.fid) if e.fid is not None else None,
                                         conflict_message(e, cur, last.get(e.fid) if e.fid is not None else None))
                                for e, cur in conflicts])
        if not plan:
            meta = tx.metadata()
            return SaveResult(0, (), {}, meta.get("content_sha256", ""), tuple(done), session, report)
        when = tx.timestamp()
        who = tx.attribute(user)
        pending: list[AuditRecord] = []
        new_fids: dict[str, int] = {}

        def audit(fid: int, action: str, old: OpportunityFeature | None, new: OpportunityFeature | None) -> None:
            pending.append(AuditRecord(
                None, fid, action, who, when,
                canonical_measures(old.measures) if old is not None else "",
                canonical_measures(new.measures) if new is not None else "",
                geometry_sha256(old.geometry) if old is not None else "",
                geometry_sha256(new.geometry) if new is not None else "",
                why, session))

        for e, cur in plan:
            if e.kind == "insert":
                assert e.new is not None
                fid = tx.insert_feature(_stored(e.new))
                new_fids[e.key] = fid
                audit(fid, "insert", None, e.new)
            elif e.kind == "update":
                assert e.fid is not None and e.new is not None
                if cur is None:  # deleted by someone else, kept by this editor: restored under its fid
                    tx.insert_feature(_stored(e.new), e.fid)
                    audit(e.fid, "insert", None, e.new)
                else:
                    tx.update_feature(e.fid, _changed_values(cur, e.new))
                    audit(e.fid, "update", cur, e.new)
            else:
                assert e.fid is not None and cur is not None
                tx.delete_feature(e.fid)
                audit(e.fid, "delete", cur, None)
        records = tx.add_audit(pending)
        meta = tx.metadata()
        digest = tx.content_sha256()
        if "published_content_sha256" not in meta:
            tx.set_metadata("published_content_sha256", meta.get("content_sha256", ""))
        tx.set_metadata("content_sha256", digest)
    return SaveResult(len(plan), records, new_fids, digest, (*done, *(e for e, _ in plan)), session, report)


# --------------------------------------------------------------------------- GeoPackage store
def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _geometry(blob: Any) -> Any:
    wkb = decode_blob(blob)
    return None if wkb is None else shapely.force_2d(shapely.from_wkb(wkb))


def _audit_record(row: Sequence[Any]) -> AuditRecord:
    return AuditRecord(int(row[0]), int(row[1]), str(row[2] or ""), str(row[3] or ""), str(row[4] or ""),
                       str(row[5] or ""), str(row[6] or ""), str(row[7] or ""), str(row[8] or ""),
                       str(row[9] or ""), str(row[10] or ""))


_AUDIT_SELECT = ", ".join(["fid", *(_q(c) for c in OPPORTUNITY_AUDIT.column_names)])


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
        for fid in sorted({int(f) for f in fids}):
            row = self.conn.execute(f"SELECT {_AUDIT_SELECT} FROM {_q(OPPORTUNITY_AUDIT.name)} WHERE feature_fid = ? "
                                    "ORDER BY fid DESC LIMIT 1", (fid,)).fetchone()
            if row is not None:
                out[fid] = _audit_record(row)
        return out

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
        names = ", ".join(_q(c) for c in OPPORTUNITY_AUDIT.column_names)
        marks = ", ".join("?" for _ in OPPORTUNITY_AUDIT.columns)
        out = []
        for r in records:
            cur = self.conn.execute(
                f"INSERT INTO {_q(OPPORTUNITY_AUDIT.name)} ({names}) VALUES ({marks})",
                (r.fid, r.action, r.edited_by, r.edited_at, r.old_measures, r.new_measures, r.old_geom_sha256,
                 r.new_geom_sha256, r.reason, r.session))
            out.append(AuditRecord(int(cur.lastrowid or 0), r.fid, r.action, r.edited_by, r.edited_at,
                                   r.old_measures, r.new_measures, r.old_geom_sha256, r.new_geom_sha256, r.reason,
                                   r.session))
        return tuple(out)

    def metadata(self) -> dict[str, str]:
        return read_metadata_pairs(self.conn)

    def set_metadata(self, key: str, value: str) -> None:
        t = _q(METADATA.name)
        if self.conn.execute(f"UPDATE {t} SET value = ? WHERE key = ?", (value, key)).rowcount == 0:
            self.conn.execute(f"INSERT INTO {t} (key, value) VALUES (?, ?)", (key, value))

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
            sql = f"SELECT {_AUDIT_SELECT} FROM {_q(OPPORTUNITY_AUDIT.name)}"
            rows = (conn.execute(sql + " WHERE feature_fid = ? ORDER BY fid", (fid,)) if fid is not None
                    else conn.execute(sql + " ORDER BY fid"))
            return [_audit_record(r) for r in rows]
        finally:
            conn.close()
