"""Plain-text summary of a screening result, for a committee report or the terminal."""

from __future__ import annotations

from ..metric.vocabulary import habitat_label
from ..screening.results import ScreeningResult, SiteError
from ..screening.verdict_rules import NOT_SCREENED

CHECK_WORDS = {"found": "found", "clear": "clear", "not_checked": "not checked"}
VERDICT_WORDS = {"red": "RED", "amber": "AMBER", "green": "GREEN", NOT_SCREENED: "NOT SCREENED"}


def summary_text(result: ScreeningResult | SiteError) -> str:
    if isinstance(result, SiteError):
        return f"Site {result.site_ref}: could not be screened. {result.message}"
    r = result
    hm = r.habitat_map
    lines = [
        f"LNRS screening of site {r.site_ref} ({r.site_area_m2 / 10000:,.4f} ha)",
        f"Local Habitat Map: {hm.citation()}",
        f"Verdict: {VERDICT_WORDS.get(r.verdict, r.verdict.upper())}",
    ]
    lines += [f"  - {reason}" for reason in r.reasons]
    lines.append(f"Irreplaceable habitats ({CHECK_WORDS[r.checks.irreplaceable]}):")
    for f in r.irreplaceable:
        label = habitat_label(f.habitat, f.status)
        name = f.name or f.ref or "unnamed"
        buf = f"buffer {f.buffer_m:g} m{' (assumed)' if f.buffer_assumed else ''}"
        lines.append(f"  - {label} {name}: {f.relation}, overlap {f.overlap_m2:,.1f} m², "
                     f"distance {f.distance_m:,.1f} m, {buf}{', inside buffer' if f.in_buffer else ''}")
    lines.append(f"Designated sites ({CHECK_WORDS[r.checks.designated]}):")
    for d in r.designated_sites:
        lines.append(f"  - {d.designation} {d.name or d.ref or 'unnamed'}: {d.relation}, "
                     f"overlap {d.overlap_m2:,.1f} m², distance {d.distance_m:,.1f} m")
    ss = r.strategic_significance
    lines.append(f"Strategic significance ({CHECK_WORDS[r.checks.opportunity]}): "
                 + (f"{ss.category} ({ss.multiplier:g}) \u2013 \u201c{ss.metric_text}\u201d"
                    if ss.category else "not assessed"))
    if ss.proposed_habitat:
        lines.append(f"  Proposed habitat: {ss.proposed_habitat} (broad habitat {ss.proposed_broad_habitat})")
    lines.append(f"  {ss.basis}")
    if r.measures:
        lines.append("Measures mapped on the site:")
        for m in r.measures:
            flag = "" if m.in_catalogue else " [not in the catalogue]"
            text = f" \u2013 {m.text}" if m.text else ""
            lines.append(f"  - {m.code}{flag}: {m.overlap_m2:,.1f} m² ({m.pct_of_site:.1f}% of site){text}")
    if r.notes:
        lines.append("Notes:")
        lines += [f"  - {n}" for n in r.notes]
    return "\n".join(lines)
