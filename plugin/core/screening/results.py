"""Screening results: frozen dataclasses, and their JSON form (schema ``lnrs-screening/1``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from .finding_types import DesignatedFinding, IrreplaceableFinding, PriorityHabitatFinding, rounded
from .grouping import FindingGroup, group_findings
from .verdict_rules import NOT_SCREENED, VERDICT_ORDER

__all__ = ["CLEAR", "FOUND", "NOT_CHECKED", "SCHEMA", "Checks", "DesignatedFinding", "FindingGroup",
           "HabitatMapRef", "IrreplaceableFinding", "MeasureFinding", "PriorityHabitatFinding", "ScreeningResult",
           "SiteError", "StrategicSignificance", "counts_sentence", "verdict_counts"]

SCHEMA = "lnrs-screening/1"
FOUND, CLEAR, NOT_CHECKED = "found", "clear", "not_checked"


NO_OSTN15_WARNING = (
    "Warning: the site was moved from {source} to British National Grid without Ordnance Survey's OSTN15 "
    "transformation ({operation}), so its position may be out by 1-5 m; distances to irreplaceable habitats "
    "and designated sites and small overlaps are not reliable. Install the OSTN15 grid (see the plugin's "
    "docs/coordinates.md) and screen again.")


def site_geometry_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """GeoJSON of a (multi)polygon in EPSG:27700, at full precision, naming its CRS (GeoJSON 2008 ``crs``).

    Built from shapely's vectorised getters, not ``__geo_interface__``, which crashes when shapely answers
    through an older GEOS inside QGIS (see :mod:`...shapely_import`).
    """
    if geometry.geom_type == "Polygon":
        body: dict[str, Any] = {"type": "Polygon", "coordinates": _polygon_rings(geometry)}
    else:
        body = {"type": "MultiPolygon",
                "coordinates": [_polygon_rings(p) for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]}
    body["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    return body


def _ring_coordinates(ring: Any) -> list[list[float]]:
    return [[float(x), float(y)] for x, y in shapely.get_coordinates(ring)]


def _polygon_rings(polygon: Any) -> list[list[list[float]]]:
    rings = [shapely.get_exterior_ring(polygon)]
    rings += [shapely.get_interior_ring(polygon, i) for i in range(int(shapely.get_num_interior_rings(polygon)))]
    return [_ring_coordinates(r) for r in rings]


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
    lnrs_published: bool = False  # the pack's LNRS is published (metadata lnrs_status): the guide's Table 7 applies
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
    priority_habitats: str = NOT_CHECKED

    def to_dict(self) -> dict[str, str]:
        return {"irreplaceable": self.irreplaceable, "designated": self.designated, "opportunity": self.opportunity,
                "priority_habitats": self.priority_habitats}


@dataclass(frozen=True)
class SiteTransform:
    """The transformation that moved a site to EPSG:27700."""

    source_crs: str  # "EPSG:4326", or the CRS's name when it has no authority code
    operation: str  # what PROJ/QGIS used, in words
    grid: bool  # True when OS's OSTN15 grid was applied
    needs_ostn15: bool = True  # False when the source is on OSGB36 already (no datum change)

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.source_crs, "operation": self.operation, "grid": self.grid}

    @property
    def warning(self) -> str | None:
        """The note for a site transformed without OSTN15 (None when OSTN15 was used or is not needed)."""
        if self.grid or not self.needs_ostn15:
            return None
        return NO_OSTN15_WARNING.format(source=self.source_crs, operation=self.operation)

    def citation(self) -> str:
        """One line for a report's provenance section."""
        if not self.needs_ostn15:
            return f"Coordinates: {self.source_crs}, {self.operation}."
        used = "Ordnance Survey OSTN15" if self.grid else "without OSTN15"
        return f"Coordinates: from {self.source_crs} to EPSG:27700 {used} ({self.operation})."


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
    transform: SiteTransform | None = None  # set by the front that moved the site to EPSG:27700
    site_geometry: Any = None  # the site as screened (shapely, EPSG:27700), set with ``transform``
    #: Priority Habitats Inventory polygons on or near the site, nearest first
    priority_habitats: tuple[PriorityHabitatFinding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = {
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
            "priority_habitats": [f.to_dict() for f in self.priority_habitats],
            "priority_habitat_groups": [g.to_dict() for g in self.priority_habitat_groups],
            "strategic_significance": self.strategic_significance.to_dict(),
            "measures": [m.to_dict() for m in self.measures],
            "notes": list(self.notes),
            "search_distance_m": self.search_distance_m,
            "sliver_tolerance_m2": self.sliver_tolerance_m2,
        }
        if self.transform is not None:
            data["transform"] = self.transform.to_dict()
        if self.site_geometry is not None:
            data["site_geometry"] = site_geometry_geojson(self.site_geometry)
        return data

    @cached_property
    def irreplaceable_groups(self) -> tuple[FindingGroup[IrreplaceableFinding], ...]:
        """The irreplaceable findings grouped by named habitat (:mod:`.grouping`)."""
        return group_findings(self.irreplaceable)

    @cached_property
    def designated_groups(self) -> tuple[FindingGroup[DesignatedFinding], ...]:
        """The designated-site findings grouped by named site (:mod:`.grouping`)."""
        return group_findings(self.designated_sites)

    @cached_property
    def priority_habitat_groups(self) -> tuple[FindingGroup[PriorityHabitatFinding], ...]:
        """The priority habitat findings grouped by main habitat (:mod:`.grouping`)."""
        return group_findings(self.priority_habitats)

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
