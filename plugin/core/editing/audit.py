"""The audit trail of a pack's opportunity areas: one :class:`AuditRecord` per changed feature, and its wording.

The stores write the records in the same transaction as the change (:mod:`.checkin`); the table is
``opportunity_audit`` (:data:`..pack.schema.OPPORTUNITY_AUDIT`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


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
