"""Everything a screening run can be told: search distance, sliver tolerance, buffers, verdict table."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..metric.buffers import BufferRules
from .verdict_rules import DEFAULT_VERDICT_RULES, VerdictRule


@dataclass(frozen=True)
class ScreeningOptions:
    """Everything a screening run can be told. Defaults are the documented policy."""

    search_distance_m: float = 500.0
    sliver_tolerance_m2: float = 1.0
    buffers: BufferRules = field(default_factory=BufferRules)
    verdict_rules: tuple[VerdictRule, ...] = DEFAULT_VERDICT_RULES

    def with_search_distance(self, metres: float) -> ScreeningOptions:
        return replace(self, search_distance_m=metres)
