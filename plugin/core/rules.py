"""The rule tables the engine applies. Every default is documented here and configurable.

Sources (see docs/rules.md):
- Natural England and Forestry Commission standing advice on ancient woodland, ancient trees
  and veteran trees: a buffer of at least 15 m from ancient woodland; around an ancient or
  veteran tree at least 15 x the stem diameter, or 5 m beyond the edge of the canopy if larger.
- The statutory biodiversity metric's strategic significance categories and wording.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .vocabulary import DESIGNATIONS, IRREPLACEABLE_TYPES


@dataclass(frozen=True)
class BufferRules:
    """Buffers around irreplaceable habitats, in metres."""

    #: Minimum buffer per irreplaceable polygon type (standing advice: ancient woodland >= 15 m).
    habitat_buffer_m: tuple[tuple[str, float], ...] = (
        ("ancient_woodland", 15.0),
        ("blanket_bog", 0.0),
        ("lowland_fen", 0.0),
        ("limestone_pavement", 0.0),
        ("coastal_sand_dunes", 0.0),
        ("spartina_saltmarsh_swards", 0.0),
        ("mediterranean_saltmarsh_scrub", 0.0),
    )
    #: Tree buffer = max(stem_multiplier x stem diameter, crown radius + canopy_margin_m).
    stem_multiplier: float = 15.0
    canopy_margin_m: float = 5.0
    #: Used when neither stem diameter nor crown radius is known (15 x an assumed 1 m stem).
    assumed_tree_buffer_m: float = 15.0

    def for_habitat(self, habitat_type: str) -> float:
        return dict(self.habitat_buffer_m).get(habitat_type, 0.0)

    def for_tree(self, stem_diameter_m: float | None, crown_radius_m: float | None) -> tuple[float, bool]:
        """The buffer for one tree and whether it had to be assumed."""
        candidates = []
        if _known(stem_diameter_m):
            candidates.append(self.stem_multiplier * float(stem_diameter_m))  # type: ignore[arg-type]
        if _known(crown_radius_m):
            candidates.append(float(crown_radius_m) + self.canopy_margin_m)  # type: ignore[arg-type]
        if not candidates:
            return self.assumed_tree_buffer_m, True
        return max(candidates), False


def _known(value: float | None) -> bool:
    return value is not None and not math.isnan(value) and value > 0


@dataclass(frozen=True)
class SignificanceCategory:
    category: str
    multiplier: float
    metric_text: str


#: The statutory metric's strategic significance categories, wording exactly as in the metric.
HIGH = SignificanceCategory("High", 1.15, "Formally identified in local strategy")
MEDIUM = SignificanceCategory("Medium", 1.10, "Location ecologically desirable but not in local strategy")
LOW = SignificanceCategory("Low", 1.0, "Area/compensation not in local strategy/ no local strategy")
SIGNIFICANCE_CATEGORIES: tuple[SignificanceCategory, ...] = (HIGH, MEDIUM, LOW)


def significance_by_name(name: str) -> SignificanceCategory:
    for cat in SIGNIFICANCE_CATEGORIES:
        if cat.category.lower() == name.strip().lower() or cat.metric_text == name.strip():
            return cat
    raise KeyError(name)


@dataclass(frozen=True)
class VerdictRule:
    """If a finding of ``kind`` with ``relation`` (and designation, when given) exists: ``verdict``.

    kind: ``irreplaceable`` or ``designated``; relation: ``overlap`` (real overlap above the sliver
    tolerance), ``buffer`` (inside the habitat's buffer zone), ``nearby`` (within search distance),
    ``adjoins`` (touching, overlap below the sliver tolerance).
    """

    kind: str
    relation: str
    verdict: str
    designations: tuple[str, ...] = ()


VERDICT_ORDER: tuple[str, ...] = ("red", "amber", "green")
NATIONAL = ("SSSI", "SAC", "SPA", "Ramsar", "NNR")
LOCAL = ("LNR", "LWS")

DEFAULT_VERDICT_RULES: tuple[VerdictRule, ...] = (
    VerdictRule("irreplaceable", "overlap", "red"),
    VerdictRule("irreplaceable", "buffer", "red"),
    VerdictRule("designated", "overlap", "red", NATIONAL),
    VerdictRule("designated", "overlap", "amber", LOCAL),
    VerdictRule("irreplaceable", "adjoins", "amber"),
    VerdictRule("irreplaceable", "nearby", "amber"),
    VerdictRule("designated", "adjoins", "amber", tuple(DESIGNATIONS)),
    VerdictRule("designated", "nearby", "amber", tuple(DESIGNATIONS)),
)


@dataclass(frozen=True)
class ScreeningOptions:
    """Everything a screening run can be told. Defaults are the documented policy."""

    search_distance_m: float = 500.0
    sliver_tolerance_m2: float = 1.0
    buffers: BufferRules = field(default_factory=BufferRules)
    verdict_rules: tuple[VerdictRule, ...] = DEFAULT_VERDICT_RULES

    def with_search_distance(self, metres: float) -> ScreeningOptions:
        return replace(self, search_distance_m=metres)


assert set(dict(BufferRules().habitat_buffer_m)) == set(IRREPLACEABLE_TYPES)
