"""Findings grouped by named site: one group per designated site or named irreplaceable habitat.

A designated site or a wood is often mapped as many polygons (an SAC's units, a wood split by a road);
officers read one row per named site, with the total overlap, the nearest distance and the number of
parts, and open the parts when they need them. The per-polygon findings stay in the result (and in JSON):
a group only points at them.

Parts are grouped by kind, designation (or habitat type) and name; a polygon without a name is grouped by
its reference, and one with neither stands alone. Priority habitat polygons are grouped by main habitat
(the inventory names none of them): "Priority habitat: Deciduous woodland", 12 parts. Groups come in the
order of their nearest part (the findings are nearest first already), so the first group is the nearest site.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..metric.vocabulary import habitat_label
from .finding_types import DesignatedFinding, IrreplaceableFinding, PriorityHabitatFinding

#: Relations from the closest to the farthest: a group takes its closest part's relation.
RELATION_ORDER: tuple[str, ...] = ("overlap", "adjoins", "buffer", "nearby")

Finding = IrreplaceableFinding | DesignatedFinding | PriorityHabitatFinding
#: The kind of finding a group holds (every part of a group is of one kind).
F = TypeVar("F", IrreplaceableFinding, DesignatedFinding, PriorityHabitatFinding)
#: The label of a priority habitat group (its name is the main habitat).
PRIORITY_LABEL = "Priority habitat"


@dataclass(frozen=True)
class FindingGroup(Generic[F]):
    """One named site (or named habitat) and the findings that are its parts."""

    kind: str  # irreplaceable | designated | priority_habitat
    label: str  # the designation ("SSSI"), the habitat's label ("Ancient woodland") or "Priority habitat"
    name: str  # the name, else the reference, else "" (unnamed: a group of one); a priority habitat's main habitat
    relation: str  # the closest relation among the parts (RELATION_ORDER)
    overlap_m2: float  # total overlap of the parts with the site
    distance_m: float  # the nearest part's distance
    in_buffer: bool  # any part's buffer zone reaches the site
    buffer_intrusion_m2: float  # total site area inside the parts' buffer zones (an upper bound if they overlap)
    part_indexes: tuple[int, ...]  # positions of the parts in the result's per-polygon list
    parts: tuple[F, ...]

    @property
    def n_parts(self) -> int:
        return len(self.parts)

    def title(self, unnamed: str = "unnamed") -> str:
        """"SSSI: Moor" or "Ancient woodland: Old Wood"."""
        return f"{self.label}: {self.name or unnamed}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "name": self.name, "relation": self.relation,
                "overlap_m2": round(self.overlap_m2, 4), "distance_m": round(self.distance_m, 3),
                "in_buffer": self.in_buffer, "buffer_intrusion_m2": round(self.buffer_intrusion_m2, 4),
                "parts": self.n_parts, "part_indexes": list(self.part_indexes)}


def group_key(f: Finding, position: int) -> tuple[str, str, str]:
    """What makes two findings parts of one named site (``position`` keeps an unnamed, unreferenced one alone)."""
    if isinstance(f, PriorityHabitatFinding):
        return "priority_habitat", PRIORITY_LABEL, f"name:{f.main_habitat}" if f.main_habitat else f"#{position}"
    if isinstance(f, DesignatedFinding):
        kind, label = "designated", f.designation
    else:
        kind, label = "irreplaceable", habitat_label(f.habitat, f.status)
    return kind, label, f"name:{f.name}" if f.name else f"ref:{f.ref}" if f.ref else f"#{position}"


def _group_name(f: Finding) -> str:
    if isinstance(f, PriorityHabitatFinding):
        return f.main_habitat
    return f.name or f.ref


def group_findings(findings: Sequence[F]) -> tuple[FindingGroup[F], ...]:
    """The findings (nearest first) grouped by named site, groups in the order of their nearest part."""
    members: dict[tuple[str, str, str], list[int]] = {}
    for i, f in enumerate(findings):
        members.setdefault(group_key(f, i), []).append(i)
    groups = []
    for (kind, label, _), idx in members.items():
        parts = tuple(findings[i] for i in idx)
        irr = [p for p in parts if isinstance(p, IrreplaceableFinding)]
        first = parts[0]
        groups.append(FindingGroup(
            kind, label, _group_name(first),
            min((p.relation for p in parts), key=RELATION_ORDER.index),
            sum(p.overlap_m2 for p in parts), min(p.distance_m for p in parts),
            any(p.in_buffer for p in irr), sum(p.buffer_intrusion_m2 for p in irr), tuple(idx), parts))
    return tuple(groups)
