"""Screening results: frozen dataclasses, and their JSON form (schema ``lnrs-screening/1``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .finding_types import DesignatedFinding, IrreplaceableFinding, rounded
from .grouping import FindingGroup, group_findings
from .verdict_rules import NOT_SCREENED, VERDICT_ORDER

__all__ = ["CLEAR", "FOUND", "NOT_CHECKED", "SCHEMA", "Checks", "DesignatedFinding", "FindingGroup",
           "HabitatMapRef", "IrreplaceableFinding", "MeasureFinding", "ScreeningResult", "SiteError",
           "StrategicSignificance", "counts_sentence", "verdict_counts"]

SCHEMA = "lnrs-screening/1"
FOUND, CLEAR, NOT_CHECKED = "found", "clear", "not_checked"


_r = rounded


@dataclass(frozen=True)
class HabitatMapRef:
    name: str
    version: str  # the last published version
    sha256: str  # the hash of the content screened
    source: str = ""
    publication_date: str = ""
    published_sha256: str = ""  # the hash at the last publication ("" if never published with LNRS Toolkit)

    @property
    def unpublished_edits(self) -> bool:
        """The pack was edited since version ``version`` was published."""
        return bool(self.published_sha256) and self.published_sha256 != self.sha256

    def citation(self) -> str:
        """"NAME, version N (published DATE), sha256 H", plus "; unpublished edits since version N"."""
        text = f"{self.name}, version {self.version or 'unknown'}"
        if self.publication_date:
            text += f" (published {self.publication_date})"
        text += f", sha256 {self.sha256 or 'unknown'}"
        if self.unpublished_edits:
            text += f"; unpublished edits since version {self.version or 'unknown'}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "sha256": self.sha256,
                "publication_date": self.publication_date, "unpublished_edits": self.unpublished_edits}


@dataclass(frozen=True)
class StrategicSignificance:
    category: str | None  # High | Medium | Low, None when it cannot be decided
    multiplier: float | None
    metric_text: str | None
    mapped_area_m2: float
    mapped_pct: float
    proposed_habitat: str | None
    proposed_broad_habitat: str | None
    justifying_codes: tuple[str, ...]  # with a proposed habitat: the codes it delivers; without: the mapped codes
    basis: str  # the officer's statement (no category without a proposed habitat)
    lnrs_published: bool = False  # the pack has a publication date: the metric guide's Table 7 applies
    baseline_category: str | None = None  # "Low" where the LNRS is published; else it depends on other documents
    high_available_for: tuple[str, ...] = ()  # broad habitats that deliver the mapped measures (catalogue)

    def headline(self, measures_state: str) -> str:
        """The category with the metric's wording for a proposed habitat; never a category without one.

        ``measures_state``: the result's ``checks.opportunity``."""
        if self.category:
            return f"{self.category} ({self.multiplier:g}) \u2013 \u201c{self.metric_text}\u201d"
        if measures_state != NOT_CHECKED and self.proposed_habitat is None:
            return "no category without a proposed habitat"
        return "not assessed"

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "multiplier": self.multiplier, "metric_text": self.metric_text,
                "mapped_area_m2": _r(self.mapped_area_m2), "mapped_pct": _r(self.mapped_pct, 3),
                "proposed_habitat": self.proposed_habitat, "proposed_broad_habitat": self.proposed_broad_habitat,
                "justifying_codes": list(self.justifying_codes), "basis": self.basis,
                "lnrs_published": self.lnrs_published, "baseline_category": self.baseline_category,
                "high_available_for": list(self.high_available_for)}


@dataclass(frozen=True)
class MeasureFinding:
    code: str
    theme: str
    priority: str
    text: str
    overlap_m2: float
    pct_of_site: float
    in_catalogue: bool
    delivered_by_proposed: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "theme": self.theme, "priority": self.priority, "text": self.text,
                "overlap_m2": _r(self.overlap_m2), "pct_of_site": _r(self.pct_of_site, 3),
                "in_catalogue": self.in_catalogue, "delivered_by_proposed": self.delivered_by_proposed}


@dataclass(frozen=True)
class Checks:
    irreplaceable: str
    designated: str
    opportunity: str

    def to_dict(self) -> dict[str, str]:
        return {"irreplaceable": self.irreplaceable, "designated": self.designated, "opportunity": self.opportunity}


@dataclass(frozen=True)
class ScreeningResult:
    site_ref: str
    site_area_m2: float
    habitat_map: HabitatMapRef
    verdict: str  # red | amber | green | not_screened (wholly outside the pack's area)
    reasons: tuple[str, ...]
    checks: Checks
    irreplaceable: tuple[IrreplaceableFinding, ...]
    designated_sites: tuple[DesignatedFinding, ...]
    strategic_significance: StrategicSignificance
    measures: tuple[MeasureFinding, ...]
    notes: tuple[str, ...]
    search_distance_m: float
    sliver_tolerance_m2: float
    index: int = 0  # position in the input

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "site_ref": self.site_ref,
            "site_area_m2": _r(self.site_area_m2),
            "habitat_map": self.habitat_map.to_dict(),
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "checks": self.checks.to_dict(),
            "irreplaceable": [f.to_dict() for f in self.irreplaceable],
            "designated_sites": [f.to_dict() for f in self.designated_sites],
            "irreplaceable_groups": [g.to_dict() for g in self.irreplaceable_groups],
            "designated_groups": [g.to_dict() for g in self.designated_groups],
            "strategic_significance": self.strategic_significance.to_dict(),
            "measures": [m.to_dict() for m in self.measures],
            "notes": list(self.notes),
            "search_distance_m": self.search_distance_m,
            "sliver_tolerance_m2": self.sliver_tolerance_m2,
        }

    @cached_property
    def irreplaceable_groups(self) -> tuple[FindingGroup, ...]:
        """The irreplaceable findings grouped by named habitat (:mod:`.grouping`)."""
        return group_findings(self.irreplaceable)

    @cached_property
    def designated_groups(self) -> tuple[FindingGroup, ...]:
        """The designated-site findings grouped by named site (:mod:`.grouping`)."""
        return group_findings(self.designated_sites)

    @property
    def measure_codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.measures)


@dataclass(frozen=True)
class SiteError:
    """A site that could not be screened, with the message to show."""

    site_ref: str
    message: str
    index: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "site_ref": self.site_ref, "error": self.message}


def verdict_counts(results: Sequence[ScreeningResult | SiteError]) -> dict[str, int]:
    """How many sites got each verdict (every verdict of ``VERDICT_ORDER``), and ``error`` for sites that could
    not be screened at all."""
    counts = dict.fromkeys((*VERDICT_ORDER, "error"), 0)
    for r in results:
        counts["error" if isinstance(r, SiteError) else r.verdict] += 1
    return counts


def counts_sentence(counts: dict[str, int]) -> str:
    """"Screened N site(s): a red, b amber, c green, d not screened (outside the map), e could not be screened"."""
    return (f"Screened {sum(counts.values())} site(s): {counts['red']} red, {counts['amber']} amber, "
            f"{counts['green']} green, {counts[NOT_SCREENED]} not screened (outside the map), "
            f"{counts['error']} could not be screened (errors).")
