"""What a committee report says besides the findings, in words, once for every rendering (the PDF layout and the
HTML report): who made it and when, where the site is (OS grid reference), the sections after the findings
(strategic significance, measures, every note, the officer's overrides) and the data and provenance (the pack,
its attribution and licence texts, the coordinate transformation, what the screening does and does not cover).

Plain Python: the fronts fill :class:`ReportFacts` and render the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..screening.grouping import FindingGroup
from ..screening.overrides import Override, find_override, for_site
from ..screening.results import NOT_CHECKED, DesignatedFinding, IrreplaceableFinding, ScreeningResult, SiteError
from .priority_rows import priority_rows

Result = ScreeningResult | SiteError
#: (section heading, text): one row of a report's details.
Row = tuple[str, str]

#: Pack metadata keys shown as data and provenance, in order, with their heading.
PROVENANCE_KEYS: tuple[tuple[str, str], ...] = (
    ("responsible_authority", "Responsible authority"), ("source", "Source"), ("attribution", "Attribution"),
    ("licence", "Licence"), ("provenance", "Provenance"))
#: Extra metadata keys (per source layer) shown too: any key starting with one of these, e.g.
#: "attribution.ancient_woodland", "licence.sssi", "vintage.sssi".
PER_LAYER_PREFIXES: tuple[str, ...] = ("attribution", "licence", "license", "vintage", "source_")

COVERAGE = (
    "This screening compares the site's red line boundary with the Local Habitat Map named above: irreplaceable "
    "habitats (with the standing-advice buffers), statutory designated sites {within}, and the areas the Local "
    "Nature Recovery Strategy maps for its measures, which decide strategic significance. It does not cover "
    "protected species, priority habitats or local wildlife sites the map does not hold, hedgerows and rivers, "
    "features {beyond}, or changes on the ground since the map's data were made. It does not replace an "
    "ecologist's survey, the statutory biodiversity metric, or consultation with Natural England.")


@dataclass(frozen=True)
class ReportFacts:
    """What a report says beyond one result: filled in by the front."""

    officer: str  # the officer's name from the plugin settings ("" when not set)
    generated: str  # local date and time, in words (see :func:`local_time_words`)
    authority: str = ""
    metadata: tuple[tuple[str, str], ...] = ()  # the pack's metadata pairs
    tool: str = "LNRS Toolkit"

    def meta(self, key: str) -> str:
        return dict(self.metadata).get(key, "").strip()


@dataclass(frozen=True)
class SiteFacts:
    """Where one site is: as given by the officer or its file, and its grid reference."""

    address: str = ""
    grid_reference: str = ""
    transform: str = ""  # the coordinate transformation that moved the site to EPSG:27700, in words


def local_time_words(moment: datetime) -> str:
    """"7 December 2026, 14:05 GMT" (the moment in its own time zone)."""
    zone = moment.tzname() or ""
    return f"{moment.day} {moment:%B %Y, %H:%M}" + (f" {zone}" if zone else "")


def grid_reference(easting: float, northing: float) -> str:
    """The Ordnance Survey grid reference to the metre ("ST 70050 60050"); "" outside the grid."""
    e100k, n100k = int(easting // 100000), int(northing // 100000)
    if not (0 <= e100k < 7 and 0 <= n100k < 13):
        return ""
    first = (19 - n100k) - (19 - n100k) % 5 + (e100k + 10) // 5
    second = (19 - n100k) * 5 % 25 + e100k % 5
    letters = "".join(chr(65 + (i + 1 if i > 7 else i)) for i in (first, second))  # the grid skips I
    return f"{letters} {int(easting % 100000):05d} {int(northing % 100000):05d}"


def site_grid_reference(geometry: Any) -> str:
    """The grid reference of a point on the site (its representative point), with the easting and northing."""
    if geometry is None or geometry.is_empty:
        return ""
    point = geometry.representative_point()
    ref = grid_reference(point.x, point.y)
    return f"{ref} (E {point.x:,.0f}, N {point.y:,.0f})" if ref else f"E {point.x:,.0f}, N {point.y:,.0f}"


def authority_of(metadata: Mapping[str, str]) -> str:
    return (metadata.get("responsible_authority") or "").strip()


def verdict_words(result: Result) -> str:
    if isinstance(result, SiteError) or result.verdict == "not_screened":
        return "NOT SCREENED"
    return result.verdict.upper()


#: The detail sections that are data and provenance rather than the result.
PROVENANCE_SECTIONS = frozenset({"Local Habitat Map", *(h for _k, h in PROVENANCE_KEYS), "Coordinates",
                                 "What this covers", "Report"})


def marked_reasons(result: ScreeningResult, overrides: Sequence[Override]) -> list[str]:
    """The verdict's reasons, and when the officer marked findings of this site not applicable a last line saying
    so: the verdict is the screening's, made before those marks (every front that shows the reasons uses this)."""
    active = [o for o in overrides if not o.withdrawn]
    findings: list[IrreplaceableFinding | DesignatedFinding] = [*result.irreplaceable, *result.designated_sites]
    marked = sum(1 for f in findings if find_override(active, result.site_ref, f) is not None)
    if not marked:
        return list(result.reasons)
    return [*result.reasons, f"The officer marked {marked} finding(s) not applicable (struck through in the findings, "
                             "with the reasons); the verdict above is the screening's, made before those marks."]


def override_words(override: Override) -> str:
    return f"Not applicable ({override.who}, {override.when[:10]}): {override.why}"


#: A table row's style: a finding (or a named site of one part), a named site of several parts (its totals, in bold),
#: one of its parts (listed below it), or a sentence across the whole table.
ROW_STYLES = ("finding", "group", "part", "note")


@dataclass(frozen=True)
class TableRow:
    """One row of a report's table: its cells and how it is drawn. A finding marked not applicable is ``struck``:
    every cell but the last (the officer's reason) is struck through."""

    cells: tuple[str, ...]
    struck: bool = False
    style: str = "finding"  # one of ROW_STYLES


def _decision_words(marks: Sequence[Override | None]) -> str:
    """The officer's decision on a named site of several parts (each part's own reason is on its row)."""
    marked = sum(1 for m in marks if m is not None)
    if not marked:
        return ""
    if marked == len(marks):
        return f"All {len(marks)} parts marked not applicable (reasons below)."
    return f"{marked} of {len(marks)} parts marked not applicable (reasons below)."


def _inventory_words(parts: Sequence[object]) -> str:
    """" (revised Ancient Woodland Inventory)": the inventories a named wood's parts came from, if the pack says."""
    titles = sorted({p.inventory_title for p in parts if isinstance(p, IrreplaceableFinding) and p.inventory})
    return f" ({'; '.join(titles)})" if titles else ""


def group_rows(site_ref: str, groups: Sequence[FindingGroup[Any]], overrides: Sequence[Override]) -> list[TableRow]:
    """One row per named site (designated site or named habitat, whatever kind of group): the total overlap, the
    nearest distance and the number of parts; a site of several parts is followed by a row per part. A row marked
    not applicable is struck through (a named site when every part is)."""
    rows: list[TableRow] = []
    for g in groups:
        marks = [find_override(overrides, site_ref, p) for p in g.parts]
        relation = g.relation + (", inside buffer" if g.in_buffer and g.relation != "buffer" else "")
        title = g.title() + _inventory_words(g.parts)
        if g.n_parts == 1:
            mark = marks[0]
            rows.append(TableRow((title, relation, f"{g.overlap_m2:,.1f}", f"{g.distance_m:,.1f}", "1",
                                  override_words(mark) if mark else ""), mark is not None))
            continue
        rows.append(TableRow((title, relation, f"{g.overlap_m2:,.1f}", f"{g.distance_m:,.1f}", str(g.n_parts),
                              _decision_words(marks)), all(marks), "group"))
        for n, (part, mark) in enumerate(zip(g.parts, marks), start=1):
            inside = isinstance(part, IrreplaceableFinding) and part.in_buffer and part.relation != "buffer"
            ref = f" ({part.ref})" if part.ref and part.ref != g.name else ""
            rows.append(TableRow((f"\u2013 part {n}{ref}", part.relation + (", inside buffer" if inside else ""),
                                  f"{part.overlap_m2:,.1f}", f"{part.distance_m:,.1f}", "",
                                  override_words(mark) if mark else ""), mark is not None, "part"))
    return rows


def finding_rows(result: Result, overrides: Sequence[Override]) -> list[TableRow]:
    """The findings table, grouped by named site: the irreplaceable habitats, then the designated sites."""
    if isinstance(result, SiteError):
        return []
    return [*group_rows(result.site_ref, result.irreplaceable_groups, overrides),
            *group_rows(result.site_ref, result.designated_groups, overrides)]


#: The details section of the priority habitats (the PDF's details table; the HTML report has its own table).
PRIORITY_SECTION = "Priority habitats"


def priority_detail_rows(result: ScreeningResult) -> list[Row]:
    """One row per main habitat on or near the site, or why there is none."""
    rows = [(PRIORITY_SECTION, row.line()) for row in priority_rows(result, with_parts=False)]
    if rows:
        return rows
    if result.checks.priority_habitats == NOT_CHECKED:
        return [(PRIORITY_SECTION, "Not checked: the pack holds no Priority Habitats Inventory.")]
    return [(PRIORITY_SECTION, f"No priority habitat within {result.search_distance_m:,.0f} m of the site.")]


def _significance_rows(result: ScreeningResult) -> list[Row]:
    ss = result.strategic_significance
    head = "Strategic significance"
    rows: list[Row] = []
    if ss.category:
        text = f"{ss.category}" + (f" ({ss.multiplier:g})" if ss.multiplier is not None else "")
        rows.append((head, text + (f" \u2013 {ss.metric_text}" if ss.metric_text else "")))
    if ss.proposed_habitat:
        rows.append((head, f"Proposed habitat: {ss.proposed_habitat}"
                     + (f" (broad habitat {ss.proposed_broad_habitat})" if ss.proposed_broad_habitat else "")))
    if ss.basis:
        rows.append((head, ss.basis))
    return rows or [(head, "Not assessed.")]


def detail_rows(result: Result, overrides: Sequence[Override], facts: ReportFacts, site: SiteFacts,
                habitat_map_citation: str = "", for_review: Sequence[Override] = ()) -> list[Row]:
    """Everything after the findings, section by section: significance, measures, every note, the officer's
    overrides (and those to review: made against other pack content, not applied), then data and provenance."""
    rows: list[Row] = []
    if isinstance(result, ScreeningResult):
        rows += _significance_rows(result)
        head = "Measures mapped on the site"
        for m in result.measures:
            text = m.text if m.in_catalogue else "not in the pack's measures catalogue"
            rows.append((head, f"{m.code} ({m.pct_of_site:.1f}% of the site): {text}"))
        if not result.measures:
            rows.append((head, "No LNRS measure is mapped on the site."))
        rows += priority_detail_rows(result)
        rows += [("Notes", note) for note in result.notes]
        for o in for_site(overrides, result.site_ref):
            rows.append(("Marked not applicable", f"{o.label}: by {o.who} on {o.when}. Reason: {o.why}"))
        for o in for_site(for_review, result.site_ref):
            rows.append(("To review", f"{o.label}: marked not applicable by {o.who} on {o.when} against another "
                                      f"version of the habitat map (sha256 {o.pack_sha256[:12] or 'unknown'}), so "
                                      f"not applied. Reason given: {o.why}"))
        citation = habitat_map_citation or result.habitat_map.citation()
        within = f"within {result.search_distance_m:,.0f} m"
        beyond = f"further than {result.search_distance_m:,.0f} m away"
    else:
        rows.append(("Notes", result.message))
        citation = habitat_map_citation or _citation_of(facts)
        within, beyond = "within the search distance", "beyond the search distance"
    if citation:
        rows.append(("Local Habitat Map", citation))
    for key, heading in PROVENANCE_KEYS:
        value = facts.meta(key)
        if value:
            rows += [(heading, line.strip()) for line in value.splitlines() if line.strip()]
    known = {k for k, _h in PROVENANCE_KEYS}
    for key, value in facts.metadata:
        if key not in known and key.lower().startswith(PER_LAYER_PREFIXES) and value.strip():
            rows.append((key, value.strip()))
    rows.append(("Coordinates", site.transform or "The site was screened in British National Grid (EPSG:27700)."))
    rows.append(("What this covers", COVERAGE.format(within=within, beyond=beyond)))
    rows.append(("Report", f"Made by {facts.officer or 'an officer who did not give a name'} on {facts.generated} "
                           f"with {facts.tool}."))
    return rows


def _citation_of(facts: ReportFacts) -> str:
    """The pack's citation from its metadata (for a site with no result to cite it)."""
    name = facts.meta("lnrs_name")
    if not name:
        return ""
    text = f"{name}, version {facts.meta('version') or 'unknown'}"
    if facts.meta("publication_date"):
        text += f" (published {facts.meta('publication_date')})"
    return text + f", sha256 {facts.meta('content_sha256') or 'unknown'}"


def site_lines(result: Result, facts: ReportFacts, site: SiteFacts) -> list[str]:
    """The site block at the head of a report."""
    lines = [f"Application reference: {result.site_ref}", f"Address: {site.address or 'not given'}"]
    where = f"Grid reference: {site.grid_reference or 'not known'}"
    if isinstance(result, ScreeningResult):
        where += f"; site area {result.site_area_m2 / 10000:,.4f} ha"
    lines.append(where)
    lines.append(f"Officer: {facts.officer or 'not given (set your name in the Site tab)'}; {facts.generated}")
    return lines
