"""The verdict of a site and the wording of its reasons, from its findings and the verdict table.

The table itself is data (:mod:`.verdict_rules`, ``ScreeningOptions.verdict_rules``): each finding takes the
most severe rule it matches, the site takes the most severe of its findings (and amber when a check could
not be made), and each finding that raises the verdict above green gives one reason, most severe first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..metric.vocabulary import IRREPLACEABLE_TYPES, TREE_HABITAT, TREE_STATUSES
from .options import ScreeningOptions
from .results import NOT_CHECKED, Checks, DesignatedFinding, IrreplaceableFinding
from .verdict_rules import VERDICT_ORDER

#: (kind, designation, relation, in_buffer) -> (rank, relation the reason is worded for), or None
RuleKey = tuple[str, str | None, str, bool]
RuleCache = dict[RuleKey, tuple[int, str] | None]


def _label(f: IrreplaceableFinding) -> str:
    if f.habitat == TREE_HABITAT:
        return TREE_STATUSES.get(f.status, "Ancient or veteran tree")
    return IRREPLACEABLE_TYPES.get(f.habitat, f.habitat)


def _named(name: str, ref: str) -> str:
    return f"'{name}'" if name else (f"ref {ref}" if ref else "(unnamed)")


def _finding_reason(kind: str, f: Any, relation: str, tol: float) -> str:
    if kind == "irreplaceable":
        what = f"{_label(f)} {_named(f.name, f.ref)}"
        assumed = " (buffer assumed: no stem diameter or crown radius recorded)" if f.buffer_assumed else ""
        if relation == "overlap":
            if f.habitat == TREE_HABITAT:
                return f"{what} stands within the site: loss of irreplaceable habitat."
            return f"The site overlaps {what} ({f.overlap_m2:,.1f} m²): loss of irreplaceable habitat."
        if relation == "buffer":
            return (f"The site enters the {f.buffer_m:g} m buffer of {what}{assumed} "
                    f"({f.buffer_intrusion_m2:,.1f} m² of the site within it).")
        if relation == "adjoins":
            return f"The site adjoins {what} (overlap below {tol:g} m², not counted as loss)."
        return f"{what} lies {f.distance_m:,.1f} m from the site."
    what = f"{f.designation} {_named(f.name, f.ref)}"
    if relation == "overlap":
        return f"The site overlaps {what} ({f.overlap_m2:,.1f} m²)."
    if relation == "adjoins":
        return f"The site adjoins {what} (overlap below {tol:g} m²)."
    return f"{what} lies {f.distance_m:,.1f} m from the site."


def _best_rule(opt: ScreeningOptions, kind: str, designation: str | None, relation: str,
               in_buffer: bool) -> tuple[int, str] | None:
    """The first matching (most severe) verdict rule for a finding: its rank and the relation to word."""
    best: tuple[int, str] | None = None
    for rule in opt.verdict_rules:
        if rule.kind != kind or (rule.designations and designation not in rule.designations):
            continue
        rank = VERDICT_ORDER.index(rule.verdict)
        hit = (in_buffer and relation != "overlap") if rule.relation == "buffer" else relation == rule.relation
        if hit and (best is None or rank < best[0]):
            best = (rank, "buffer" if rule.relation == "buffer" else relation)
    return best


def verdict_and_reasons(opt: ScreeningOptions, irr: Sequence[IrreplaceableFinding],
                        des: Sequence[DesignatedFinding], checks: Checks,
                        cache: RuleCache | None = None) -> tuple[str, tuple[str, ...]]:
    """The verdict and its reasons. ``cache`` keeps rule matches between sites screened with ``opt``."""
    ranked: list[tuple[int, str]] = []
    green = VERDICT_ORDER.index("green")
    rules: RuleCache = {} if cache is None else cache
    tol = opt.sliver_tolerance_m2
    for f in irr:
        key: RuleKey = ("irreplaceable", None, f.relation, f.in_buffer)
        best = rules[key] if key in rules else rules.setdefault(key, _best_rule(opt, *key))
        if best is not None and best[0] < green:
            ranked.append((best[0], _finding_reason("irreplaceable", f, best[1], tol)))
    for d in des:
        key = ("designated", d.designation, d.relation, False)
        best = rules[key] if key in rules else rules.setdefault(key, _best_rule(opt, *key))
        if best is not None and best[0] < green:
            ranked.append((best[0], _finding_reason("designated", d, best[1], tol)))
    unchecked = [name for name, state in checks.to_dict().items() if state == NOT_CHECKED]
    if unchecked:
        ranked.append((VERDICT_ORDER.index("amber"),
                       f"Not checked: {', '.join(unchecked)} (see notes); the site cannot be called clear."))
    if not ranked:
        return "green", ("No irreplaceable habitat or designated site on or near the site.",)
    ranked.sort(key=lambda r: r[0])
    return VERDICT_ORDER[ranked[0][0]], tuple(dict.fromkeys(r[1] for r in ranked))

