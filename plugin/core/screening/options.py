"""Everything a screening run can be told: search distance, sliver tolerance, buffers, verdict table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import InputError
from ..metric.buffers import BufferRules
from .verdict_rules import DEFAULT_VERDICT_RULES, VerdictRule

#: The largest search distance any front accepts (the dock's spin box stops here too).
MAX_SEARCH_DISTANCE_M = 10000.0
#: The largest sliver tolerance accepted (a hectare: anything larger hides real overlaps).
MAX_SLIVER_TOLERANCE_M2 = 10000.0


def checked_number(value: Any, what: str, low: float, high: float, integer: bool = False) -> float:
    """``value`` as a finite number in ``[low, high]`` (a whole number when ``integer``), or InputError.

    Every front passes what the user typed through here (or through :class:`ScreeningOptions`), so a
    ``nan``, ``inf``, ``-5`` or ``2.7`` is refused with a sentence instead of giving a quiet wrong answer.
    """
    if isinstance(value, bool):
        raise InputError(f"the {what} must be a number, not {value!r}.")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"the {what} must be a number, not {str(value)[:40]!r}.") from None
    if not math.isfinite(number):
        raise InputError(f"the {what} must be a finite number, not {str(value)[:40]!r}.")
    if integer and number != int(number):
        raise InputError(f"the {what} must be a whole number, not {str(value)[:40]!r}.")
    if not low <= number <= high:
        raise InputError(f"the {what} must be between {low:g} and {high:g}, not {number:g}.")
    return number


@dataclass(frozen=True)
class ScreeningOptions:
    """Everything a screening run can be told. Defaults are the documented policy.

    Refuses (:class:`InputError`) a search distance or sliver tolerance that is not finite, negative or
    absurdly large, whichever front built it.
    """

    search_distance_m: float = 500.0
    sliver_tolerance_m2: float = 1.0
    buffers: BufferRules = field(default_factory=BufferRules)
    verdict_rules: tuple[VerdictRule, ...] = DEFAULT_VERDICT_RULES

    def __post_init__(self) -> None:
        checked_number(self.search_distance_m, "search distance (metres)", 0.0, MAX_SEARCH_DISTANCE_M)
        checked_number(self.sliver_tolerance_m2, "sliver tolerance (square metres)", 0.0, MAX_SLIVER_TOLERANCE_M2)

    def with_search_distance(self, metres: float) -> ScreeningOptions:
        return replace(self, search_distance_m=metres)
