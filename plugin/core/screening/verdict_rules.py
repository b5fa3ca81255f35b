"""The verdict table: which finding makes a site red, amber or green. Documented in docs/rules.md."""

from __future__ import annotations

from dataclasses import dataclass

from ..metric.vocabulary import DESIGNATIONS


@dataclass(frozen=True)
class VerdictRule:
    """If a finding of ``kind`` with ``relation`` (and designation, when given) exists: ``verdict``.

    kind: ``irreplaceable``, ``designated`` or ``priority_habitat``; relation: ``overlap`` (real overlap above
    the sliver tolerance), ``buffer`` (inside the habitat's buffer zone), ``nearby`` (within search distance),
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
    # priority habitat on the site rules out the Small Sites Metric and raises distinctiveness: amber; near the
    # site it is a finding, not a reason (add a rule to make it one)
    VerdictRule("priority_habitat", "overlap", "amber"),
)

#: The checks that must have been made for a site to be green: one of them not checked makes it amber. The
#: Priority Habitats Inventory is not among them: a pack without it says so (``not_checked`` and a note) but
#: does not hold every site at amber.
REQUIRED_FOR_GREEN: tuple[str, ...] = ("irreplaceable", "designated", "opportunity")
