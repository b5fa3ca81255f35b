"""The statutory biodiversity metric's strategic significance categories, multipliers and wording."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SignificanceCategory:
    category: str
    multiplier: float
    metric_text: str


#: The statutory metric's strategic significance categories, wording exactly as in the metric.
HIGH = SignificanceCategory("High", 1.15, "Formally identified in local strategy")
MEDIUM = SignificanceCategory("Medium", 1.10, "Location ecologically desirable but not in local strategy")
LOW = SignificanceCategory("Low", 1.0, "Area/compensation not in local strategy/ no local strategy")
#: Individual trees in a mapped area: the metric's tree helper words High this way.
TREE_HIGH = SignificanceCategory("High", 1.15, "Within area formally identified in local strategy")
SIGNIFICANCE_CATEGORIES: tuple[SignificanceCategory, ...] = (HIGH, MEDIUM, LOW)


def significance_by_name(name: str) -> SignificanceCategory:
    for cat in SIGNIFICANCE_CATEGORIES:
        if cat.category.lower() == name.strip().lower() or cat.metric_text == name.strip():
            return cat
    if name.strip() == TREE_HIGH.metric_text:
        return TREE_HIGH
    raise KeyError(name)
