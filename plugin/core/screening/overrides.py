"""An officer's decision that a finding does not apply, kept next to the original finding.

Overrides never change the engine's verdict: reports show the verdict as computed, the finding as
found, and who marked it not applicable, when and why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..errors import InputError
from ..metric.vocabulary import habitat_label
from .results import DesignatedFinding, IrreplaceableFinding, ScreeningResult, SiteError

IRREPLACEABLE_SECTION = "irreplaceable"
DESIGNATED_SECTION = "designated_sites"

Finding = IrreplaceableFinding | DesignatedFinding


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

    def to_dict(self) -> dict[str, Any]:
        return {"site_ref": self.site_ref, "section": self.section, "finding_label": self.label,
                "finding": dict(self.finding), "status": "not_applicable",
                "who": self.who, "when": self.when, "why": self.why}

    def matches(self, site_ref: str, finding: Finding) -> bool:
        return self.site_ref == site_ref and self.layer == finding.layer and self.fid == finding.fid


def finding_section(finding: Finding) -> str:
    return IRREPLACEABLE_SECTION if isinstance(finding, IrreplaceableFinding) else DESIGNATED_SECTION


def finding_label(finding: Finding) -> str:
    """A short human label: "Ancient woodland Old Wood", "SSSI Moor"."""
    if isinstance(finding, IrreplaceableFinding):
        kind = habitat_label(finding.habitat, finding.status)
    else:
        kind = finding.designation
    return f"{kind} {finding.name or finding.ref or 'unnamed'}"


def make_override(site_ref: str, finding: Finding, who: str, why: str,
                  when: datetime | None = None) -> Override:
    """Refuses an empty reason: an override must say why."""
    reason = " ".join(str(why or "").split())
    if not reason:
        raise InputError("a finding can only be marked not applicable with a reason; give one.")
    stamp = (when or datetime.now(timezone.utc)).replace(microsecond=0).isoformat()
    return Override(site_ref, finding_section(finding), finding.layer, int(finding.fid), finding_label(finding),
                    tuple(finding.to_dict().items()), str(who or "unknown"), stamp, reason)


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


def result_payload(result: ScreeningResult | SiteError, overrides: Iterable[Override]) -> dict[str, Any]:
    """The JSON object of one site: the engine's result plus its overrides."""
    data = result.to_dict()
    data["overrides"] = [o.to_dict() for o in for_site(overrides, result.site_ref)]
    return data
