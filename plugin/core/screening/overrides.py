"""An officer's decision that a finding does not apply, kept next to the original finding.

Overrides never change the engine's verdict: reports show the verdict as computed, the finding as
found, and who marked it not applicable, when and why.

An override belongs to a site (its reference and the hash of its geometry) and to the pack content it was made
against (the pack's content sha256). The officer's log of overrides (kept in the QGIS project and beside exported
reports, schema ``lnrs-overrides/1``) is reapplied when the same site is screened against the same pack content,
and flagged for review when the pack changed. A withdrawn override stays in the log with who withdrew it, when
and why.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

import shapely

from ..errors import InputError
from ..metric.vocabulary import habitat_label
from .results import DesignatedFinding, IrreplaceableFinding, ScreeningResult, SiteError

IRREPLACEABLE_SECTION = "irreplaceable"
DESIGNATED_SECTION = "designated_sites"

Finding = IrreplaceableFinding | DesignatedFinding
LOG_SCHEMA = "lnrs-overrides/1"
#: Coordinates are compared to the millimetre when a site's geometry is hashed.
GEOMETRY_GRID_M = 0.001


@dataclass(frozen=True)
class Override:
    """One finding marked not applicable, with the original finding kept as it was."""

    site_ref: str
    section: str  # irreplaceable | designated_sites
    layer: str
    fid: int
    label: str
    finding: tuple[tuple[str, Any], ...]  # the original finding's to_dict() items
    who: str
    when: str  # ISO 8601, UTC
    why: str
    geometry_hash: str = ""  # the site's geometry (site_geometry_hash)
    pack_sha256: str = ""  # the pack content it was made against
    pack_version: str = ""
    withdrawn_by: str = ""
    withdrawn_when: str = ""
    withdrawn_why: str = ""

    @property
    def withdrawn(self) -> bool:
        return bool(self.withdrawn_when)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "site_ref": self.site_ref, "section": self.section, "layer": self.layer, "fid": self.fid,
            "finding_label": self.label, "finding": dict(self.finding),
            "status": "withdrawn" if self.withdrawn else "not_applicable",
            "who": self.who, "when": self.when, "why": self.why,
            "site_geometry_hash": self.geometry_hash,
            "pack": {"sha256": self.pack_sha256, "version": self.pack_version}}
        if self.withdrawn:
            data["withdrawn"] = {"who": self.withdrawn_by, "when": self.withdrawn_when, "why": self.withdrawn_why}
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Override:
        """One entry of a log; raises :class:`InputError` when it is not an override."""
        try:
            finding = data["finding"]
            pack = data.get("pack") or {}
            withdrawn = data.get("withdrawn") or {}
            return cls(str(data["site_ref"]), str(data["section"]), str(data["layer"]), int(data["fid"]),
                       str(data["finding_label"]), tuple(finding.items()), str(data["who"]), str(data["when"]),
                       str(data["why"]), str(data.get("site_geometry_hash", "")), str(pack.get("sha256", "")),
                       str(pack.get("version", "")), str(withdrawn.get("who", "")), str(withdrawn.get("when", "")),
                       str(withdrawn.get("why", "")))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"an override in the log cannot be read ({exc!r}).") from exc

    def matches(self, site_ref: str, finding: Finding) -> bool:
        return self.site_ref == site_ref and self.layer == finding.layer and self.fid == finding.fid

    def same_entry(self, other: Override) -> bool:
        """The same decision (perhaps withdrawn since): same site, finding, officer and time."""
        return (self.site_ref, self.geometry_hash, self.layer, self.fid, self.who, self.when) == (
            other.site_ref, other.geometry_hash, other.layer, other.fid, other.who, other.when)


def site_geometry_hash(geometry: Any) -> str:
    """The sha256 of a site's geometry (EPSG:27700), to the millimetre and independent of ring order and start."""
    if geometry is None or geometry.is_empty:
        return ""
    snapped = shapely.normalize(shapely.set_precision(geometry, GEOMETRY_GRID_M))
    return hashlib.sha256(shapely.to_wkb(snapped, hex=False, output_dimension=2)).hexdigest()


def finding_section(finding: Finding) -> str:
    return IRREPLACEABLE_SECTION if isinstance(finding, IrreplaceableFinding) else DESIGNATED_SECTION


def finding_label(finding: Finding) -> str:
    """A short human label: "Ancient woodland Old Wood", "SSSI Moor"."""
    if isinstance(finding, IrreplaceableFinding):
        kind = habitat_label(finding.habitat, finding.status)
    else:
        kind = finding.designation
    return f"{kind} {finding.name or finding.ref or 'unnamed'}"


def _reason(why: str, what: str) -> str:
    reason = " ".join(str(why or "").split())
    if not reason:
        raise InputError(f"a finding can only be {what} with a reason; give one.")
    return reason


def _stamp(when: datetime | None) -> str:
    return (when or datetime.now(timezone.utc)).replace(microsecond=0).isoformat()


def make_override(site_ref: str, finding: Finding, who: str, why: str, when: datetime | None = None,
                  geometry_hash: str = "", pack_sha256: str = "", pack_version: str = "") -> Override:
    """Refuses an empty reason: an override must say why."""
    reason = _reason(why, "marked not applicable")
    return Override(site_ref, finding_section(finding), finding.layer, int(finding.fid), finding_label(finding),
                    tuple(finding.to_dict().items()), str(who or "unknown"), _stamp(when), reason,
                    geometry_hash, pack_sha256, pack_version)


def override_for(result: ScreeningResult, finding: Finding, who: str, why: str, geometry_hash: str,
                 when: datetime | None = None) -> Override:
    """An override of ``finding`` of ``result``, bound to the site's geometry and the pack content screened."""
    hm = result.habitat_map
    return make_override(result.site_ref, finding, who, why, when, geometry_hash, hm.sha256, hm.version)


def withdraw(override: Override, who: str, why: str, when: datetime | None = None) -> Override:
    """The override withdrawn (it stays in the log: who marked it, who withdrew it, when and why)."""
    if override.withdrawn:
        raise InputError(f"the override of {override.label} was already withdrawn on {override.withdrawn_when}.")
    return replace(override, withdrawn_by=str(who or "unknown"), withdrawn_when=_stamp(when),
                   withdrawn_why=_reason(why, "restored (the override withdrawn)"))


def record(log: Sequence[Override], override: Override) -> list[Override]:
    """The log with ``override`` in it: it replaces the same entry (withdrawn since), or is added at the end."""
    out = [override if o.same_entry(override) else o for o in log]
    if not any(o.same_entry(override) for o in log):
        out.append(override)
    return out


@dataclass(frozen=True)
class Reapplied:
    """What a log says about one screened site: the overrides that hold, and those made against other pack content
    (the finding is still there, but the pack changed: the officer reviews them)."""

    active: tuple[Override, ...] = ()
    for_review: tuple[Override, ...] = ()


def reapply(log: Iterable[Override], result: ScreeningResult | SiteError, geometry_hash: str) -> Reapplied:
    """The logged overrides of this site (same reference and geometry) whose finding the screening found again;
    the latest decision per finding counts, and a withdrawn one is not reapplied."""
    if isinstance(result, SiteError) or not geometry_hash:
        return Reapplied()
    findings: list[Finding] = [*result.irreplaceable, *result.designated_sites]
    latest: dict[tuple[str, int], Override] = {}
    for o in log:
        if o.site_ref != result.site_ref or o.geometry_hash != geometry_hash:
            continue
        if not any(o.matches(result.site_ref, f) for f in findings):
            continue
        key = (o.layer, o.fid)
        if key not in latest or (latest[key].withdrawn_when or latest[key].when) <= (o.withdrawn_when or o.when):
            latest[key] = o
    live = [o for o in latest.values() if not o.withdrawn]
    same_pack = tuple(o for o in live if o.pack_sha256 == result.habitat_map.sha256)
    return Reapplied(same_pack, tuple(o for o in live if o.pack_sha256 != result.habitat_map.sha256))


def dumps_log(log: Iterable[Override]) -> str:
    """The log as JSON text (schema ``lnrs-overrides/1``)."""
    return json.dumps({"schema": LOG_SCHEMA, "overrides": [o.to_dict() for o in log]}, ensure_ascii=False,
                      indent=1)


def loads_log(text: str) -> list[Override]:
    """The overrides of a log written by :func:`dumps_log`; "" is an empty log. Raises :class:`InputError` with a
    sentence when the text is not such a log."""
    if not text.strip():
        return []
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"the overrides log is not JSON ({exc}).") from exc
    if not isinstance(data, dict) or data.get("schema") != LOG_SCHEMA or not isinstance(data.get("overrides"), list):
        raise InputError(f"the overrides log is not an {LOG_SCHEMA} document.")
    return [Override.from_dict(item) for item in data["overrides"]]


def for_site_geometry(log: Iterable[Override], site_ref: str, geometry_hash: str) -> list[Override]:
    """Every entry of the log (withdrawn ones too) made for this site: its reference and its geometry."""
    return [o for o in log if o.site_ref == site_ref and o.geometry_hash == geometry_hash]


def for_site(overrides: Iterable[Override], site_ref: str) -> list[Override]:
    return [o for o in overrides if o.site_ref == site_ref]


def find_override(overrides: Iterable[Override], site_ref: str, finding: Finding) -> Override | None:
    return next((o for o in overrides if o.matches(site_ref, finding)), None)


def overrides_text(overrides: Sequence[Override]) -> str:
    """Plain-text lines for the copied summary (empty when there are none)."""
    if not overrides:
        return ""
    lines = ["Findings marked not applicable by the officer (the verdict above is unchanged):"]
    for o in overrides:
        lines.append(f"  - {o.label}: marked not applicable by {o.who} on {o.when}. Reason: {o.why}")
    return "\n".join(lines)


def result_payload(result: ScreeningResult | SiteError, overrides: Iterable[Override],
                   for_review: Iterable[Override] = ()) -> dict[str, Any]:
    """The JSON object of one site: the engine's result plus its overrides (and those to review, made against other
    pack content)."""
    data = result.to_dict()
    data["overrides"] = [o.to_dict() for o in for_site(overrides, result.site_ref)]
    review = [o.to_dict() for o in for_site(for_review, result.site_ref)]
    if review:
        data["overrides_for_review"] = review
    return data
