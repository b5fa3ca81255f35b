"""Plain-text summary of a screening result, for a committee report or the terminal."""

from __future__ import annotations

from ..screening.results import IrreplaceableFinding, ScreeningResult, SiteError
from ..screening.verdict_rules import NOT_SCREENED
from .priority_rows import priority_rows
from .terminal_text import safe_lines, terminal_safe

CHECK_WORDS = {"found": "found", "clear": "clear", "not_checked": "not checked"}
#: the opportunity check is about measures mapped on the site (never "clear": that is no significance category)
MEASURE_WORDS = {"found": "mapped", "clear": "none mapped", "not_checked": "not checked"}
VERDICT_WORDS = {"red": "RED", "amber": "AMBER", "green": "GREEN", NOT_SCREENED: "NOT SCREENED"}


def _parts(n: int) -> str:
    return f" ({n} parts)" if n > 1 else ""


def summary_text(result: ScreeningResult | SiteError) -> str:
    if isinstance(result, SiteError):
        return terminal_safe(f"Site {result.site_ref}: could not be screened. {result.message}")
    r = result
    hm = r.habitat_map
    lines = [
        f"LNRS screening of site {r.site_ref} ({r.site_area_m2 / 10000:,.4f} ha)",
        f"Local Habitat Map: {hm.citation()}",
        f"Verdict: {VERDICT_WORDS.get(r.verdict, r.verdict.upper())}",
    ]
    lines += [f"  - {reason}" for reason in r.reasons]
    lines.append(f"Irreplaceable habitats ({CHECK_WORDS[r.checks.irreplaceable]}):")
    for g in r.irreplaceable_groups:  # one line per named habitat: its parts' total overlap, nearest distance
        f = g.parts[0]
        buf = f"buffer {f.buffer_m:g} m{' (assumed)' if f.buffer_assumed else ''}" \
            if isinstance(f, IrreplaceableFinding) else ""
        if isinstance(f, IrreplaceableFinding) and f.inventory:
            buf = f"{f.inventory_title}, {buf}"
        lines.append(f"  - {g.label} {g.name or 'unnamed'}: {g.relation}, overlap {g.overlap_m2:,.1f} m², "
                     f"distance {g.distance_m:,.1f} m, {buf}{', inside buffer' if g.in_buffer else ''}"
                     f"{_parts(g.n_parts)}")
    lines.append(f"Designated sites ({CHECK_WORDS[r.checks.designated]}):")
    for dg in r.designated_groups:
        lines.append(f"  - {dg.label} {dg.name or 'unnamed'}: {dg.relation}, "
                     f"overlap {dg.overlap_m2:,.1f} m², distance {dg.distance_m:,.1f} m{_parts(dg.n_parts)}")
    lines.append(f"Priority habitats ({CHECK_WORDS[r.checks.priority_habitats]}):")
    lines += [f"  - {row.line()}" for row in priority_rows(r, with_parts=False)]
    ss = r.strategic_significance
    lines.append(f"Strategic significance: {ss.headline(r.checks.opportunity)}")
    if ss.proposed_habitat:
        lines.append(f"  Proposed habitat: {ss.proposed_habitat} (broad habitat {ss.proposed_broad_habitat})")
    lines.append(f"  {ss.basis}")
    lines.append(f"LNRS measures on the site ({MEASURE_WORDS[r.checks.opportunity]}):")
    for m in r.measures:
        flag = "" if m.in_catalogue else " [not in the catalogue]"
        text = f" \u2013 {m.text}" if m.text else ""
        lines.append(f"  - {m.code}{flag}: {m.overlap_m2:,.1f} m² ({m.pct_of_site:.1f}% of site){text}")
    if r.notes:
        lines.append("Notes:")
        lines += [f"  - {n}" for n in r.notes]
    return safe_lines(lines)  # a value holding a newline or an escape sequence cannot forge or hide a line
