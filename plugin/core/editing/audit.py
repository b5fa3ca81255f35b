"""The audit trail of a pack's opportunity areas: one :class:`AuditRecord` per changed feature, and its wording.

The stores write the records in the same transaction as the change (:mod:`.checkin`); the table is
``opportunity_audit`` (:data:`..pack.schema.OPPORTUNITY_AUDIT`). Each record keeps the area's codes, name,
reference and geometry (2D WKB) before and after, so any state can be shown and restored (:mod:`.history`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import shapely

from .edits import as_multi


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
    old_name: str = ""
    new_name: str = ""
    old_ref: str = ""
    new_ref: str = ""
    old_geom_wkb: bytes | None = None  # the geometry itself (2D WKB), kept so a state can be shown and restored
    new_geom_wkb: bytes | None = None

    def values(self) -> tuple[str | int | bytes | None, ...]:
        """The columns of ``opportunity_audit`` in the schema's order (its ``fid``, the audit id, left out)."""
        return (self.fid, self.action, self.edited_by, self.edited_at, self.old_measures, self.new_measures,
                self.old_geom_sha256, self.new_geom_sha256, self.reason, self.session, self.old_name, self.new_name,
                self.old_ref, self.new_ref, self.old_geom_wkb, self.new_geom_wkb)


_TEXTS = 13  # text columns after the feature fid, in the schema's order; the two WKB columns follow


def audit_record(row: Sequence[Any]) -> AuditRecord:
    """A record from a row ``(audit id, feature fid, *the other columns in the schema's order)``; a column an older
    table lacks reads as ``""`` (a geometry as ``None``)."""
    texts = ["" if v is None else str(v) for v in row[2:2 + _TEXTS]]
    texts += [""] * (_TEXTS - len(texts))
    wkbs = [None if v is None else bytes(v) for v in row[2 + _TEXTS:4 + _TEXTS]]
    wkbs += [None] * (2 - len(wkbs))
    (action, edited_by, edited_at, old_measures, new_measures, old_sha, new_sha, reason, session, old_name, new_name,
     old_ref, new_ref) = texts
    return AuditRecord(int(row[0]), int(row[1]), action, edited_by, edited_at, old_measures, new_measures, old_sha,
                       new_sha, reason, session, old_name, new_name, old_ref, new_ref, wkbs[0], wkbs[1])


def geometry_wkb(geometry: Any) -> bytes | None:
    """The geometry as the audit keeps it: 2D WKB (little-endian) of its stored, multi-part form."""
    if geometry is None or geometry.is_empty:
        return None
    return bytes(shapely.to_wkb(as_multi(geometry), output_dimension=2, byte_order=1))


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe_audit(record: AuditRecord | None) -> str:
    if record is None:
        return ("No audit record says who made that change (it was made outside LNRS Toolkit's check-in, e.g. by "
                "editing the table directly).")
    when = record.edited_at.replace("T", " ").replace("Z", " UTC")
    reason = f", reason: ‘{record.reason}’" if record.reason else ""
    verb = {"insert": "Added", "delete": "Deleted"}.get(record.action, "Last changed")
    return f"{verb} by {record.edited_by} on {when}{reason}."
