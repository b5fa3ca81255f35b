"""The verdict of a site and the wording of its reasons, from its findings and the verdict table.

The table itself is data (:mod:`.verdict_rules`, ``ScreeningOptions.verdict_rules``): each finding takes the
most severe rule it matches, the site takes the most severe of its findings (and amber when a check could
not be made), and each named site (:mod:`.grouping`) whose findings reach that verdict gives one reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..metric.vocabulary import IRREPLACEABLE_TYPES, TREE_HABITAT, TREE_STATUSES
from .grouping import group_key
from .options import ScreeningOptions
from .results import NOT_CHECKED, Checks, DesignatedFinding, IrreplaceableFinding, PriorityHabitatFinding
from .verdict_rules import REQUIRED_FOR_GREEN, VERDICT_ORDER

#: (kind, designation, relation, in_buffer) -> (rank, relation the reason is worded for), or None
RuleKey = tuple[str, str | None, str, bool]
RuleCache = dict[RuleKey, tuple[int, str] | None]


def _label(f: IrreplaceableFinding) -> str:
    if f.habitat == TREE_HABITAT:
        return TREE_STATUSES.get(f.status, "Ancient or veteran tree")
    return IRREPLACEABLE_TYPES.get(f.habitat, f.habitat)


def _named(name: str, ref: str) -> str:
    return f"'{name}'" if name else (f"ref {ref}" if ref else "(unnamed)")


def _finding_reason(kind: str, f: Any, relation: str, tol: float, n: int = 1) -> str:
    """The reason a finding (or ``n`` parts of one named site, ``f`` carrying their totals) gives."""
    if kind == "irreplaceable":
        what = f"{_label(f)} {_named(f.name, f.ref)}"
        assumed = " (buffer assumed: no stem diameter or crown radius recorded)" if f.buffer_assumed else ""
        if relation == "overlap":
            if f.habitat == TREE_HABITAT:
                return f"{what} stands within the site: loss of irreplaceable habitat."
            return (f"The site overlaps {what} ({f.overlap_m2:,.1f} m²{_parts(n, 'in')}): loss of irreplaceable "
                    "habitat.")
        if relation == "buffer":
            return (f"The site enters the {f.buffer_m:g} m buffer of {what}{assumed} "
                    f"({f.buffer_intrusion_m2:,.1f} m² of the site within it{_parts(n, 'of')}).")
        if relation == "adjoins":
            return f"The site adjoins {what} (overlap below {tol:g} m², not counted as loss{_parts(n, 'in')})."
        return f"{what} lies {f.distance_m:,.1f} m from the site{_parts(n, 'nearest of')}."
    if kind == "priority_habitat":
        what = f"priority habitat {_named(f.main_habitat, '')}"
        if relation == "overlap":
            return (f"The site overlaps {what} ({f.overlap_m2:,.1f} m², {f.pct_of_site:.1f}% of the site"
                    f"{_parts(n, 'in')}): the Small Sites Metric is ruled out (save some hedgerows and arable "
                    "margins).")
        if relation == "adjoins":
            return f"The site adjoins {what} (overlap below {tol:g} m²{_parts(n, 'in')})."
        return f"{what[0].upper()}{what[1:]} lies {f.distance_m:,.1f} m from the site{_parts(n, 'nearest of')}."
    what = f"{f.designation} {_named(f.name, f.ref)}"
    if relation == "overlap":
        return f"The site overlaps {what} ({f.overlap_m2:,.1f} m²{_parts(n, 'in')})."
    if relation == "adjoins":
        return f"The site adjoins {what} (overlap below {tol:g} m²{_parts(n, 'in')})."
    return f"{what} lies {f.distance_m:,.1f} m from the site{_parts(n, 'nearest of')}."


def _parts(n: int, how: str) -> str:
    if n <= 1:
        return ""
    return f" ({how} {n} parts)" if how == "nearest of" else f" {how} {n} parts"


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
                        cache: RuleCache | None = None,
                        phi: Sequence[PriorityHabitatFinding] = ()) -> tuple[str, tuple[str, ...]]:
    """The verdict and the reasons that drive it: one per named site (its parts' totals) whose findings
    reach the verdict's severity, then a missing check when that alone is as severe. Findings less severe
    than the verdict (a wood 300 m away beside an overlapped SSSI) are not reasons; they stay findings.
    ``cache`` keeps rule matches between sites screened with ``opt``. ``phi``: the priority habitat findings
    (grouped by main habitat for the reasons)."""
    green = VERDICT_ORDER.index("green")
    rules: RuleCache = {} if cache is None else cache
    #: (rank, position in its list, worded relation, finding), in the order irreplaceable, designated, priority
    ranked: list[tuple[int, int, str, Any]] = []
    lists: tuple[tuple[str, Sequence[Any]], ...] = (("irreplaceable", irr), ("designated", des),
                                                    ("priority_habitat", phi))
    for kind, findings in lists:
        for i, f in enumerate(findings):
            key: RuleKey = (kind, f.designation if kind == "designated" else None, f.relation,
                            f.in_buffer if kind == "irreplaceable" else False)
            best = rules[key] if key in rules else rules.setdefault(key, _best_rule(opt, *key))
            if best is not None and best[0] < green:
                ranked.append((best[0], i, best[1], f))
    unchecked = [name for name, state in checks.to_dict().items()
                 if state == NOT_CHECKED and name in REQUIRED_FOR_GREEN]
    amber = VERDICT_ORDER.index("amber")
    top = min([r[0] for r in ranked] + ([amber] if unchecked else []), default=green)
    if top == green:
        return "green", ("No irreplaceable habitat or designated site on or near the site.",)
    #: (group key, worded relation) -> the named site's parts that reach the verdict that way (group keys are
    #: worked out only for findings at the verdict's severity: the others give no reason)
    merged: dict[tuple[tuple[str, str, str], str], list[Any]] = {}
    for rank, i, relation, f in ranked:
        if rank == top:
            merged.setdefault((group_key(f, i), relation), []).append(f)
    reasons = [_finding_reason(gkey[0], _totals(parts), relation, opt.sliver_tolerance_m2, len(parts))
               for (gkey, relation), parts in merged.items()]
    if unchecked and top == amber:
        reasons.append(f"Not checked: {', '.join(unchecked)} (see notes); the site cannot be called clear.")
    return VERDICT_ORDER[top], tuple(dict.fromkeys(reasons))


def _totals(parts: list[Any]) -> Any:
    """The nearest part, carrying the parts' total overlap and buffer intrusion and the nearest distance."""
    first = parts[0]
    if len(parts) == 1:
        return first
    changes: dict[str, float] = {"overlap_m2": sum(p.overlap_m2 for p in parts),
                                 "distance_m": min(p.distance_m for p in parts)}
    if isinstance(first, IrreplaceableFinding):
        changes["buffer_intrusion_m2"] = sum(p.buffer_intrusion_m2 for p in parts)
    if isinstance(first, PriorityHabitatFinding):
        changes["pct_of_site"] = sum(p.pct_of_site for p in parts)
    return replace(first, **changes)
