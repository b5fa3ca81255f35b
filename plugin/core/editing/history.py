"""The history of one opportunity area, and restoring it as it was at an audit row or a published version.

The audit (:mod:`.audit`) keeps each change's codes, name, reference and geometry before and after, so
:func:`area_states` lists every state an area had, newest first: as each audit row left it, and as it was
before its first recorded change. A published version gives another state (:func:`state_at_version`).

Restoring is a normal check-in (:func:`restore_area` calls :func:`.checkin.save_edits`): the state is
validated against the pack as it is now, conflict-checked against the state the user was shown (someone
else's save since refuses with :class:`.checkin.EditConflict`), and audited with the reason
"restored from audit row N" or "restored from version V" (plus the user's note). An area deleted since
comes back under its own fid; restoring a state in which the area did not exist deletes it.

Audit rows written before geometries were kept hold only a geometry hash; such a state is still shown
when another record (or the area as it is now) holds a geometry with that hash, else it is refused
with a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import shapely

from ..errors import InputError
from ..pack.model import PackData
from ..pack.schema import OPPORTUNITY
from .audit import AuditRecord, geometry_wkb
from .checkin import SaveResult, save_edits
from .edits import Edit, FeatureState
from .opportunity_feature import OpportunityFeature, geometry_sha256, opportunity_features
from .opportunity_store import OpportunityStore
from .validation_rules import OpportunityRules


@dataclass(frozen=True)
class AreaState:
    """One state of an area: ``feature`` is None when the area did not exist then (or had been deleted)."""

    fid: int
    feature: OpportunityFeature | None
    source: str        # "audit row 12", "before audit row 3", "version 2"
    when: str          # ISO timestamp or date
    who: str = ""
    reason: str = ""   # the reason of the audit row that made this state
    restore_reason: str = ""  # what the audit of a restore says: "restored from audit row 12"
    problem: str = ""  # why it cannot be shown or restored ("" when it can)

    @property
    def exists(self) -> bool:
        return self.feature is not None


def area_records(records: Sequence[AuditRecord], fid: int) -> list[AuditRecord]:
    """The audit records of area ``fid``, oldest first."""
    return sorted((r for r in records if r.fid == fid), key=lambda r: int(r.audit_id or 0))


def _shape(wkb: bytes | None) -> object:
    return None if wkb is None else shapely.force_2d(shapely.from_wkb(wkb))


def _known_geometries(records: Sequence[AuditRecord], current: OpportunityFeature | None) -> dict[str, bytes]:
    """Geometry hash -> WKB, from every kept geometry of the area's records (and the area as it is now)."""
    out: dict[str, bytes] = {}
    for r in records:
        for digest, wkb in ((r.old_geom_sha256, r.old_geom_wkb), (r.new_geom_sha256, r.new_geom_wkb)):
            if digest and wkb is not None:
                out.setdefault(digest, wkb)
    now = geometry_wkb(current.geometry) if current is not None else None
    if current is not None and now is not None:
        out.setdefault(geometry_sha256(current.geometry), now)
    return out


def _state(record: AuditRecord, side: str, known: dict[str, bytes], source: str, restore: str) -> AreaState:
    new = side == "new"
    gone = record.action == ("delete" if new else "insert")
    base = AreaState(record.fid, None, source, record.edited_at, record.edited_by, record.reason, restore)
    if gone:
        return base
    digest = record.new_geom_sha256 if new else record.old_geom_sha256
    wkb = (record.new_geom_wkb if new else record.old_geom_wkb) or known.get(digest)
    if wkb is None:
        return replace(base, problem=f"{source[:1].upper()}{source[1:]} was saved before LNRS Toolkit kept the "
                                     "shapes in the audit trail, and no other record holds that shape: it cannot be "
                                     "shown or restored.")
    feature = OpportunityFeature(
        record.fid, record.new_measures if new else record.old_measures, _shape(wkb),
        record.new_name if new else record.old_name, record.new_ref if new else record.old_ref, str(record.fid))
    return replace(base, feature=feature)


def area_states(records: Sequence[AuditRecord], fid: int, current: OpportunityFeature | None = None) -> \
        list[AreaState]:
    """Every state of area ``fid`` the audit records, newest first: after each audit row, and before the first."""
    mine = area_records(records, fid)
    known = _known_geometries(mine, current)
    states = [_state(r, "new", known, f"audit row {r.audit_id}", f"restored from audit row {r.audit_id}")
              for r in mine]
    if mine and mine[0].action != "insert":  # the area as it was before LNRS Toolkit first recorded a change
        first = mine[0]
        states.insert(0, replace(_state(first, "old", known, f"before audit row {first.audit_id}",
                                        f"restored from before audit row {first.audit_id}"), who="", reason=""))
    return states[::-1]


def state_at_audit(records: Sequence[AuditRecord], audit_id: int, current: OpportunityFeature | None = None) -> \
        AreaState:
    """The area as audit row ``audit_id`` left it."""
    record = next((r for r in records if r.audit_id == audit_id), None)
    if record is None:
        raise InputError(f"There is no audit row {audit_id} in this pack's audit trail.")
    known = _known_geometries(area_records(records, record.fid), current)
    return _state(record, "new", known, f"audit row {audit_id}", f"restored from audit row {audit_id}")


def state_at_version(pack: PackData, fid: int, version: int) -> AreaState:
    """Area ``fid`` as published ``version`` (read back whole, e.g. with ``publish.load_version``) held it."""
    feature = current_feature(pack, fid)
    return AreaState(fid, feature, f"version {version}", pack.metadata.publication_date,
                     restore_reason=f"restored from version {version}")


def current_feature(pack: PackData, fid: int) -> OpportunityFeature | None:
    """Area ``fid`` as ``pack`` holds it (None: not there)."""
    layer = pack.layer(OPPORTUNITY.name)
    if layer is None or fid not in set(layer.fids.tolist()):
        return None
    return next(f for f in opportunity_features(pack) if f.fid == fid)


def restore_edit(current: OpportunityFeature | None, target: AreaState) -> tuple[Edit, dict[str, str]]:
    """The check-in edit that brings the area from ``current`` (as the user was shown it) back to ``target``,
    with the conflict resolutions it needs. Refuses a state that cannot be restored or is already there."""
    if target.problem:
        raise InputError(target.problem)
    key = f"restore-{target.fid}"
    if target.feature is None:
        if current is None:
            raise InputError(f"Opportunity area {target.fid} is already absent from the map, as in {target.source}; "
                             "there is nothing to restore.")
        return Edit("delete", target.fid, key, current, None), {}
    new = replace(target.feature, fid=target.fid, key=key)
    if current is None:  # deleted since: it comes back under its own fid, whatever was there before its deletion
        gone = OpportunityFeature(target.fid, "", None, "", "", key)
        return Edit("update", target.fid, key, gone, new), {key: "mine"}
    if FeatureState.of(current) == FeatureState.of(new):
        raise InputError(f"{current.label()[:1].upper()}{current.label()[1:]} is already as it was in "
                         f"{target.source}; there is nothing to restore.")
    return Edit("update", target.fid, key, current, new), {}


def restore_reason(target: AreaState, note: str = "") -> str:
    """The audit reason of a restore: "restored from audit row 12" (": the user's note")."""
    text = (note or "").strip()
    head = target.restore_reason or f"restored from {target.source}"
    return f"{head}: {text}" if text else head


def restore_area(store: OpportunityStore, pack: PackData, target: AreaState, *, user: str, note: str = "",
                 rules: OpportunityRules | None = None, seen: PackData | None = None) -> SaveResult:
    """Check in the area as it was in ``target``: validated against ``pack`` (the pack as it is now), conflict-checked
    against the area as the user was shown it (in ``seen``, default ``pack``: a save by someone else since is a
    conflict), audited with :func:`restore_reason`. Raises as :func:`.checkin.save_edits` does; nothing is saved
    then."""
    edit, resolutions = restore_edit(current_feature(seen if seen is not None else pack, target.fid), target)
    return save_edits(store, [edit], reason=restore_reason(target, note), user=user, pack=pack, rules=rules,
                      resolutions=resolutions)
