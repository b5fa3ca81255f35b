"""Priority habitats as every front shows them: one row per main habitat (its parts' total overlap and share of
the site, the nearest distance, the additional habitats and confidences named by its parts), then, where a main
habitat has several polygons, one row per polygon. The text, HTML and PDF reports, the dock and Processing
all word them from here."""

from __future__ import annotations

from dataclasses import dataclass

from ..screening.finding_types import PriorityHabitatFinding
from ..screening.results import ScreeningResult

#: How a priority habitat stands to the site, in words.
RELATION_WORDS = {"overlap": "on the site", "adjoins": "adjoins the site", "nearby": "near the site"}


@dataclass(frozen=True)
class PriorityRow:
    """One main habitat (``part`` 0) or one of its polygons (``part`` 1, 2 ...)."""

    main_habitat: str
    relation: str  # overlap | adjoins | nearby
    overlap_m2: float
    pct_of_site: float
    distance_m: float
    additional: str  # additional habitats named by the polygons, "; "-joined ("" when none)
    confidence: str  # the confidences given, "; "-joined ("" when not given)
    parts: int
    part: int = 0

    @property
    def title(self) -> str:
        name = self.main_habitat or "main habitat not given"
        return f"{name}, part {self.part}" if self.part else name

    def where(self) -> str:
        """"overlap 3,000.0 m² (30.0% of the site)", "adjoins the site" or "40.0 m away"."""
        if self.relation == "overlap":
            return f"overlap {self.overlap_m2:,.1f} m² ({self.pct_of_site:.1f}% of the site)"
        if self.relation == "adjoins":
            return f"adjoins the site (overlap {self.overlap_m2:,.1f} m², below the sliver tolerance)"
        return f"{self.distance_m:,.1f} m away"

    def line(self) -> str:
        """The row in one line, for the text report and logs."""
        text = f"{self.title}: {self.where()}"
        if self.additional:
            text += f"; also {self.additional}"
        if self.confidence:
            text += f"; confidence {self.confidence}"
        if self.parts > 1 and not self.part:
            text += f" ({self.parts} parts)"
        return text


def _joined(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def _row(parts: tuple[PriorityHabitatFinding, ...], part: int = 0) -> PriorityRow:
    first = parts[0]
    return PriorityRow(first.main_habitat, first.relation if part else min(
        (p.relation for p in parts), key=("overlap", "adjoins", "nearby").index),
        sum(p.overlap_m2 for p in parts), sum(p.pct_of_site for p in parts), min(p.distance_m for p in parts),
        _joined([p.additional_habitats for p in parts]), _joined([p.confidence for p in parts]), len(parts), part)


def priority_rows(result: ScreeningResult, with_parts: bool = True) -> list[PriorityRow]:
    """The result's priority habitats: a row per main habitat, nearest first, each followed (``with_parts``)
    by a row per polygon when it has several."""
    rows: list[PriorityRow] = []
    for g in result.priority_habitat_groups:
        parts = g.parts
        rows.append(_row(parts))
        if with_parts and len(parts) > 1:
            rows += [_row((p,), n) for n, p in enumerate(parts, start=1)]
    return rows
