"""Check-in of opportunity-area edits: validate, detect conflicts, apply with an audit trail, in one transaction.

An :class:`~.edits.Edit` says what a working copy changed (see :mod:`.working_copy`). :func:`save_edits` validates
the edits (:mod:`.validation`; errors refuse with :class:`EditRefused`), requires a reason,
then, inside ONE transaction of an :class:`~.opportunity_store.OpportunityStore`:

1. locks and reads the current rows of the features the edits touch;
2. compares each with the state the editor started from (measures, name, reference, geometry hash):
   a difference means someone else saved a change since, a :class:`Conflict` (an insert never conflicts;
   edits to different features never conflict), and nothing is written (:class:`EditConflict`) unless
   the caller resolved that feature: ``"mine"`` saves over it (audited), ``"theirs"`` drops the edit;
3. applies the inserts, updates and deletes and writes one :class:`~.audit.AuditRecord` per changed feature;
4. stores the pack's new content hash in its metadata (``content_sha256``; ``published_content_sha256``
   keeps the hash of the last publication and is set from the old hash when absent);
5. commits. Any failure rolls everything back.

A check-in is idempotent per ``session``: a working copy records the session before it sends
(:meth:`~.working_copy.WorkingCopy.checkin_session`) and every audit row carries it. If the process dies after
the commit and before the working copy is rebased, the resumed copy sends its edits again with the same
session; :func:`_landed` recognises from the audit rows what already landed (an insert by its geometry hash,
in order; an update or delete by its fid), so nothing is written twice.

:class:`~.gpkg_store.GpkgOpportunityStore` edits a GeoPackage pack in place with sqlite3 (``BEGIN IMMEDIATE``,
busy timeout, R-tree triggers kept); the PostGIS store lives in ``plugin/adapters/postgis_opportunity_store.py``.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError, LnrsError
from ..pack.content_hash import content_hash_after, remember_content_hash
from ..pack.model import PackData, PackMetadata
from ..pack.schema import OPPORTUNITY
from .audit import AuditRecord, describe_audit, geometry_wkb
from .edits import KINDS, Edit, FeatureState, as_multi, canonical_measures
from .opportunity_feature import OpportunityFeature, geometry_sha256
from .opportunity_store import OpportunityStore
from .validation import validate_features
from .validation_report import ValidationReport
from .validation_rules import OpportunityRules
from .validation_scope import only_what_changed

RESOLUTIONS = ("mine", "theirs")


# --------------------------------------------------------------------------- values
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
    already_saved: int = 0          # edits an earlier, interrupted check-in of the same session had landed
    merged: tuple[int, ...] = ()    # fids saved as a merge of yours and a colleague's change of other fields
    previous_content_sha256: str = ""  # the pack's content hash just before this check-in wrote (others' saves)


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


def _label(edit: Edit) -> str:
    feature = edit.base or edit.new
    return feature.label() if feature is not None else f"opportunity area {edit.fid}"


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


def _landed(edits: Sequence[Edit], records: Sequence[AuditRecord]) -> tuple[dict[str, int], set[str]]:
    """What an earlier check-in of the same session already saved: (insert key -> its pack fid, keys landed)."""
    if not records:
        return {}, set()
    touched = {e.fid for e in edits if e.kind != "insert" and e.fid is not None}
    by_fid = {r.fid for r in records}
    inserted: dict[str, list[int]] = {}
    for r in records:
        if r.action == "insert" and r.fid not in touched:
            inserted.setdefault(r.new_geom_sha256, []).append(r.fid)
    fids: dict[str, int] = {}
    keys: set[str] = set()
    for e in edits:
        if e.kind == "insert" and e.new is not None:
            queue = inserted.get(geometry_sha256(e.new.geometry))
            if queue:
                fids[e.key] = queue.pop(0)
                keys.add(e.key)
        elif e.fid in by_fid:
            keys.add(e.key)
    return fids, keys


#: The parts of an opportunity area a merge treats separately (FeatureState's fields).
FIELDS = ("measures", "name", "ref", "geom_sha256")


def changed_fields(before: OpportunityFeature, after: OpportunityFeature) -> frozenset[str]:
    """Which of :data:`FIELDS` differ between two states of an area."""
    b, a = FeatureState.of(before), FeatureState.of(after)
    return frozenset(f for f in FIELDS if getattr(b, f) != getattr(a, f))


def merge_fields(current: OpportunityFeature, mine: OpportunityFeature, fields: frozenset[str]) -> OpportunityFeature:
    """``current`` (what the pack holds) with ``fields`` taken from ``mine``: a colleague's other changes stay."""
    return OpportunityFeature(
        current.fid, mine.measures if "measures" in fields else current.measures,
        mine.geometry if "geom_sha256" in fields else current.geometry,
        mine.name if "name" in fields else current.name, mine.ref if "ref" in fields else current.ref, mine.key)


def validate_edits(edits: Sequence[Edit], pack: PackData, rules: OpportunityRules | None = None) -> ValidationReport:
    """The validation a check-in applies: the new state of every inserted or updated area, with the areas being
    deleted left out of the comparisons between polygons; an error an updated area already had before the edit
    is a warning (:mod:`.validation_scope`). Fronts call this to show problems before saving."""
    report = validate_features([e.new for e in edits if e.kind != "delete" and e.new is not None], pack, rules,
                               exclude_fids=[e.fid for e in edits if e.kind == "delete" and e.fid is not None])
    return only_what_changed(report, edits, pack, rules)  # an area's older errors do not block its edit


def _new_content_hash(tx: Any, pack: PackData, previous: str, meta: Mapping[str, str],
                      plan: Sequence[tuple[Edit, OpportunityFeature | None]], new_fids: Mapping[str, int]) -> str:
    """The pack's content hash after ``plan`` was written in ``tx``.

    When the hash the pack stored before this check-in is the hash of ``pack`` (the loaded pack the edits were
    validated against), the store held ``pack``: only the rows written are read back and hashed
    (:func:`~..pack.content_hash.content_hash_after`; a store offers ``read_features(fids)`` for it). Otherwise,
    or for a store without it, every row is read and hashed (``tx.content_sha256()``).
    """
    read_features = getattr(tx, "read_features", None)
    if previous and callable(read_features) and previous == remember_content_hash(pack):
        written = {int(e.fid) for e, _ in plan if e.kind == "update" and e.fid is not None}
        written |= {int(new_fids[e.key]) for e, _ in plan if e.kind == "insert" and e.key in new_fids}
        removed = {int(e.fid) for e, _ in plan if e.fid is not None}
        after = content_hash_after(pack, OPPORTUNITY, removed, read_features(sorted(written)),
                                   PackMetadata.from_pairs(dict(meta)))
        if after is not None:
            return after
    return str(tx.content_sha256())


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
        previous = tx.metadata().get("content_sha256", "")
        current = tx.lock_features([e.fid for e in edits if e.kind != "insert" and e.fid is not None])
        plan: list[tuple[Edit, OpportunityFeature | None]] = []
        done: list[Edit] = []
        conflicts: list[tuple[Edit, OpportunityFeature | None]] = []
        new_fids, landed = _landed(edits, tx.session_changes(session))
        merged: list[Edit] = []
        for e in edits:
            if e.key in landed:
                done.append(e)  # an earlier, interrupted check-in of this session saved it
                continue
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
            if e.kind == "update" and cur is not None and e.new is not None:
                mine = changed_fields(e.base, e.new)
                if choice == "mine" or not mine & changed_fields(e.base, cur):
                    # a colleague changed other fields (merged without asking), or the same ones and this editor
                    # keeps theirs: only the fields this editor changed are written, the colleague's others stay
                    both = dataclasses.replace(e, new=merge_fields(cur, e.new, mine))
                    merged.append(both)
                    plan.append((both, cur))
                    continue
            if choice == "theirs":
                continue
            if choice == "mine":
                plan.append((e, cur))
                continue
            conflicts.append((e, cur))
        if merged:  # the merged states were never validated as a whole: check them before writing
            check = validate_edits(merged, pack, rules)
            if not check.ok:
                raise EditRefused(check)
        if conflicts:
            last = tx.last_changes([e.fid for e, _ in conflicts if e.fid is not None])
            raise EditConflict([Conflict(e, cur, last.get(e.fid) if e.fid is not None else None,
                                         conflict_message(e, cur, last.get(e.fid) if e.fid is not None else None))
                                for e, cur in conflicts])
        if not plan:
            meta = tx.metadata()
            return SaveResult(0, (), new_fids, meta.get("content_sha256", ""), tuple(done), session, report,
                              len(landed), previous_content_sha256=previous)
        when = tx.timestamp()
        who = tx.attribute(user)
        pending: list[AuditRecord] = []

        def audit(fid: int, action: str, old: OpportunityFeature | None, new: OpportunityFeature | None) -> None:
            pending.append(AuditRecord(
                None, fid, action, who, when,
                canonical_measures(old.measures) if old is not None else "",
                canonical_measures(new.measures) if new is not None else "",
                geometry_sha256(old.geometry) if old is not None else "",
                geometry_sha256(new.geometry) if new is not None else "",
                why, session,
                (old.name or "").strip() if old is not None else "",
                (new.name or "").strip() if new is not None else "",
                (old.ref or "").strip() if old is not None else "",
                (new.ref or "").strip() if new is not None else "",
                geometry_wkb(old.geometry) if old is not None else None,
                geometry_wkb(new.geometry) if new is not None else None))

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
        digest = _new_content_hash(tx, pack, previous, meta, plan, new_fids)
        if "published_content_sha256" not in meta:
            tx.set_metadata("published_content_sha256", meta.get("content_sha256", ""))
        tx.set_metadata("content_sha256", digest)
    return SaveResult(len(plan), records, new_fids, digest, (*done, *(e for e, _ in plan)), session, report,
                      len(landed), tuple(e.fid for e in merged if e.fid is not None), previous)
