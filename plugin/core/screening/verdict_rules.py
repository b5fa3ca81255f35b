"""The verdict table: which finding makes a site red, amber or green. Documented in docs/rules.md."""

from __future__ import annotations

from dataclasses import dataclass

from ..metric.vocabulary import DESIGNATIONS


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


NOT_SCREENED = "not_screened"
#: Verdicts, most severe first. ``not_screened`` is no rule's verdict: a site wholly outside the pack's area
#: (its strategy area, or its layers' extent when it has none) gets it, never amber and never green.
VERDICT_ORDER: tuple[str, ...] = ("red", "amber", "green", NOT_SCREENED)
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
