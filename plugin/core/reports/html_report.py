"""A self-contained HTML report of screening results (no Qt: every value is HTML-escaped here)."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from ..metric.vocabulary import habitat_label
from ..screening.grouping import Finding, FindingGroup
from ..screening.overrides import Override, find_override, for_site
from ..screening.results import DesignatedFinding, IrreplaceableFinding, ScreeningResult, SiteError
from ..screening.verdict_rules import NOT_SCREENED
from .priority_rows import RELATION_WORDS, priority_rows
from .report_content import (
    PRIORITY_SECTION,
    PROVENANCE_SECTIONS,
    ReportFacts,
    SiteFacts,
    detail_rows,
    marked_reasons,
    override_words,
    site_lines,
)
from .text_report import CHECK_WORDS, MEASURE_WORDS, VERDICT_WORDS

VERDICT_COLOURS = {"red": "#c62828", "amber": "#ef8f00", "green": "#2e7d32", NOT_SCREENED: "#616161"}

_STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 1.5em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
.verdict { color: #fff; padding: 0.5em 1em; font-weight: bold; font-size: 1.2em; }
.overridden td:not(:last-child) { text-decoration: line-through; color: #777; }
tr.group td { font-weight: bold; } tr.part td { font-size: 0.9em; } tr.part td:nth-child(2) { padding-left: 1.5em; }
.map-figure { display: inline-block; max-width: 100%; margin: 0.5em 0; }
.site-map { display: block; width: 100%; border: 1px solid #999; }
.map-figure figcaption { font-size: 0.9em; }
.scalebar { display: inline-block; height: 0.5em; border: 1px solid #222; border-top: none; vertical-align: middle; }
.provenance { font-size: 0.9em; color: #444; }
code { word-break: break-all; }
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _num(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def _relation(relation: str, in_buffer: bool) -> str:
    return relation + (", inside buffer" if in_buffer and relation != "buffer" else "")


def _finding_cells(f: Finding, name: str, ov: Override | None, parts: str) -> str:
    officer = f"<td>{_e(override_words(ov)) if ov else ''}</td>"
    if isinstance(f, IrreplaceableFinding):
        buf = _num(f.buffer_m) + (" (assumed)" if f.buffer_assumed else "")
        label = habitat_label(f.habitat, f.status) + (f" ({f.inventory_title})" if f.inventory else "")
        return (f"<td>{_e(label)}</td><td>{_e(name)}</td>"
                f"<td>{_e(_relation(f.relation, f.in_buffer))}</td><td>{_e(_num(f.overlap_m2))}</td>"
                f"<td>{_e(_num(f.distance_m))}</td><td>{_e(buf)}</td><td>{_e(parts)}</td>{officer}")
    assert isinstance(f, DesignatedFinding)  # priority habitats have their own table (_priority_html)
    return (f"<td>{_e(f.designation)}</td><td>{_e(name)}</td><td>{_e(f.relation)}</td>"
            f"<td>{_e(_num(f.overlap_m2))}</td><td>{_e(_num(f.distance_m))}</td><td>{_e(parts)}</td>{officer}")


def _group_rows(r: ScreeningResult, groups: Sequence[FindingGroup[IrreplaceableFinding]]
                | Sequence[FindingGroup[DesignatedFinding]], overrides: Sequence[Override]) -> list[str]:
    """One row per named site (total overlap, nearest distance, parts); a site of several parts is followed
    by a row per part. A row marked not applicable is struck through (the reason is not)."""
    rows = []
    for g in groups:
        marks = [find_override(overrides, r.site_ref, p) for p in g.parts]
        name = g.name or "unnamed"
        if g.n_parts == 1:
            cls = ' class="overridden"' if marks[0] else ""
            rows.append(f"<tr{cls}>{_finding_cells(g.parts[0], name, marks[0], '1')}</tr>")
            continue
        cls = ' class="group overridden"' if all(marks) else ' class="group"'
        buf = "" if g.kind == "designated" else "<td></td>"
        rows.append(f"<tr{cls}><td>{_e(g.label)}</td><td>{_e(name)}</td><td>{_e(_relation(g.relation, g.in_buffer))}"
                    f"</td><td>{_e(_num(g.overlap_m2))}</td><td>{_e(_num(g.distance_m))}</td>{buf}"
                    f"<td>{g.n_parts}</td><td></td></tr>")
        for n in range(1, g.n_parts + 1):
            part, ov = g.parts[n - 1], marks[n - 1]
            cls = ' class="part overridden"' if ov else ' class="part"'
            rows.append(f"<tr{cls}>{_finding_cells(part, f'{name}, part {n}', ov, '')}</tr>")
    return rows


def _priority_html(r: ScreeningResult) -> list[str]:
    """The priority habitats table: a row per main habitat, then its polygons when it has several."""
    rows = priority_rows(r)
    if not rows:
        return []
    out = ["<h3>Priority habitats</h3>",
           "<table><tr><th>Main habitat</th><th>Where</th><th>Overlap (m²)</th><th>% of site</th><th>Distance (m)</th>"
           "<th>Additional habitats</th><th>Confidence</th><th>Parts</th></tr>"]
    for row in rows:
        cls = ' class="part"' if row.part else (' class="group"' if row.parts > 1 else "")
        out.append(f"<tr{cls}><td>{_e(row.title)}</td><td>{_e(RELATION_WORDS.get(row.relation, row.relation))}</td>"
                   f"<td>{_e(_num(row.overlap_m2))}</td><td>{_e(_num(row.pct_of_site))}</td>"
                   f"<td>{_e(_num(row.distance_m))}</td><td>{_e(row.additional)}</td><td>{_e(row.confidence)}</td>"
                   f"<td>{'' if row.part else row.parts}</td></tr>")
    out.append("</table>")
    return out
@dataclass(frozen=True)
class MapImage:
    """The report's map as an image: the PNG, the scale it is drawn at (the PDF map's, on A4) and how many metres
    of ground it shows across; north is up (the map is drawn in British National Grid)."""

    png: bytes
    scale: int  # 1:scale, as stated on the PDF map
    width_m: float  # the ground the image shows, west to east
    paper_width_mm: float = 0.0  # the PDF map's width on A4


def scale_bar_m(width_m: float) -> float:
    """A round length for a scale bar about a fifth of the map's width (1, 2, 2.5 or 5 times a power of ten)."""
    target = max(width_m / 5.0, 1e-6)
    power = 10.0 ** math.floor(math.log10(target))
    return max((f * power for f in (1.0, 2.0, 2.5, 5.0, 10.0) if f * power <= target), default=power)


def map_caption(image: MapImage) -> str:
    """"Scale 1:10,000 on A4 (the PDF report's map, 125 mm wide); north is up; the map is 1,250 m across." """
    paper = f" (the PDF report's map, {image.paper_width_mm:,.0f} mm wide)" if image.paper_width_mm else ""
    return (f"Scale 1:{image.scale:,} on A4{paper}; north is up; the map is {image.width_m:,.0f} m across "
            "from west to east.")


def _map_html(site_ref: str, image: MapImage) -> str:
    data = base64.b64encode(image.png).decode("ascii")
    bar = scale_bar_m(image.width_m)
    share = 100.0 * bar / image.width_m if image.width_m > 0 else 0.0
    return (f'<figure class="map-figure"><img class="site-map" alt="Map of site {_e(site_ref)} and its findings" '
            f'src="data:image/png;base64,{data}"><figcaption>'
            f'<span class="north" title="north">&#8593; N</span> &nbsp; '
            f'<span class="scalebar" style="width:{share:.2f}%"></span> {_e(f"{bar:,g} m")} &nbsp; '
            f"{_e(map_caption(image))}</figcaption></figure>")


def _head_html(result: ScreeningResult | SiteError, facts: ReportFacts | None, site: SiteFacts | None,
               map_image: MapImage | None) -> list[str]:
    """The site block (reference, address, grid reference, officer and time) and the map with its scale, north and
    a scale bar, as in the PDF."""
    if facts is None:
        return []
    out = ["<p>" + "<br>".join(_e(line) for line in site_lines(result, facts, site or SiteFacts())) + "</p>"]
    if map_image is not None and map_image.png:
        out.append(_map_html(result.site_ref, map_image))
    return out


def _provenance_html(result: ScreeningResult | SiteError, overrides: Sequence[Override], facts: ReportFacts | None,
                     site: SiteFacts | None, for_review: Sequence[Override] = ()) -> list[str]:
    if facts is None:
        return []
    rows = [(h, t) for h, t in detail_rows(result, overrides, facts, site or SiteFacts(), for_review=for_review)
            if h in PROVENANCE_SECTIONS or h not in _RESULT_SECTIONS]
    out = ['<h3>Data and provenance</h3>', '<table class="provenance"><tr><th>Section</th><th>Details</th></tr>']
    out += [f"<tr><td>{_e(h)}</td><td>{_e(t)}</td></tr>" for h, t in rows]
    out.append("</table>")
    return out


#: The detail sections the HTML report shows in its own sections (the rest go under data and provenance).
_RESULT_SECTIONS = frozenset({"Strategic significance", "Measures mapped on the site", "Notes",
                              "Marked not applicable", PRIORITY_SECTION})


def _site_html(result: ScreeningResult | SiteError, overrides: Sequence[Override], facts: ReportFacts | None = None,
               site: SiteFacts | None = None, map_image: MapImage | None = None,
               for_review: Sequence[Override] = ()) -> list[str]:
    if isinstance(result, SiteError):
        return [f"<h2>Site {_e(result.site_ref)}</h2>", *_head_html(result, facts, site, map_image),
                f"<p><strong>Could not be screened.</strong> {_e(result.message)}</p>",
                *_provenance_html(result, overrides, facts, site)]
    r = result
    hm = r.habitat_map
    colour = VERDICT_COLOURS.get(r.verdict, "#555")
    out = [
        f"<h2>Site {_e(r.site_ref)} ({_e(_num(r.site_area_m2 / 10000, 4))} ha)</h2>",
        *_head_html(r, facts, site, map_image),
        f'<p class="provenance">Local Habitat Map: {_e(hm.name)}, version {_e(hm.version or "unknown")}'
        f"{_e(f' (published {hm.publication_date})' if hm.publication_date else '')}, "
        f"sha256 <code>{_e(hm.sha256 or 'unknown')}</code>"
        f"{_e(f'; unpublished edits since version {hm.version}') if hm.unpublished_edits else ''}. "
        f"Search distance {_e(_num(r.search_distance_m, 0))} m.</p>",
        f'<div class="verdict" style="background:{colour}">Verdict: {_e(VERDICT_WORDS.get(r.verdict, r.verdict))}'
        "</div>",
        "<ul>", *[f"<li>{_e(reason)}</li>" for reason in marked_reasons(r, overrides)], "</ul>",
        "<h3>Checks</h3>", "<table><tr><th>Check</th><th>Result</th></tr>",
        f"<tr><td>Irreplaceable habitats</td><td>{_e(CHECK_WORDS[r.checks.irreplaceable])}</td></tr>",
        f"<tr><td>Designated sites</td><td>{_e(CHECK_WORDS[r.checks.designated])}</td></tr>",
        f"<tr><td>LNRS measures on the site</td><td>{_e(MEASURE_WORDS[r.checks.opportunity])}</td></tr>",
        f"<tr><td>Priority habitats</td><td>{_e(CHECK_WORDS[r.checks.priority_habitats])}</td></tr>",
        "</table>",
    ]
    if r.irreplaceable:
        out += ["<h3>Irreplaceable habitats</h3>",
                "<table><tr><th>Habitat</th><th>Name</th><th>Relation</th><th>Overlap (m²)</th>"
                "<th>Distance (m)</th><th>Buffer (m)</th><th>Parts</th><th>Officer</th></tr>"]
        out += _group_rows(r, r.irreplaceable_groups, overrides)
        out.append("</table>")
    if r.designated_sites:
        out += ["<h3>Designated sites</h3>",
                "<table><tr><th>Designation</th><th>Name</th><th>Relation</th><th>Overlap (m²)</th>"
                "<th>Distance (m)</th><th>Parts</th><th>Officer</th></tr>"]
        out += _group_rows(r, r.designated_groups, overrides)
        out.append("</table>")
    out += _priority_html(r)
    ss = r.strategic_significance
    out.append("<h3>Strategic significance</h3>")
    if ss.category:
        out.append(f"<p><strong>{_e(ss.category)}</strong> (multiplier {_e(f'{ss.multiplier:g}')}) "
                   f"&ndash; &ldquo;{_e(ss.metric_text)}&rdquo;</p>")
    else:
        out.append(f"<p><strong>{_e(ss.headline(r.checks.opportunity).capitalize())}.</strong></p>")
    if ss.proposed_habitat:
        out.append(f"<p>Proposed habitat: {_e(ss.proposed_habitat)} (broad habitat {_e(ss.proposed_broad_habitat)})"
                   "</p>")
    out.append(f"<p>{_e(ss.basis)}</p>")
    if r.measures:
        out += ["<h3>LNRS measures mapped on the site</h3>",
                "<table><tr><th>Code</th><th>Theme</th><th>Area (m²)</th><th>% of site</th><th>Measure</th></tr>"]
        for m in r.measures:
            text = m.text if m.in_catalogue else "Not in the pack's measures catalogue."
            out.append(f"<tr><td>{_e(m.code)}</td><td>{_e(m.theme)}</td><td>{_e(_num(m.overlap_m2))}</td>"
                       f"<td>{_e(_num(m.pct_of_site))}</td><td>{_e(text)}</td></tr>")
        out.append("</table>")
    if r.notes:
        out += ["<h3>Notes</h3>", "<ul>", *[f"<li>{_e(n)}</li>" for n in r.notes], "</ul>"]
    mine = for_site(overrides, r.site_ref)
    if mine:
        out += ["<h3>Findings marked not applicable</h3>",
                "<p>The verdict above is the screening's own; the officer marked these findings not applicable.</p>",
                "<table><tr><th>Finding</th><th>Who</th><th>When</th><th>Why</th></tr>"]
        out += [f"<tr><td>{_e(o.label)}</td><td>{_e(o.who)}</td><td>{_e(o.when)}</td><td>{_e(o.why)}</td></tr>"
                for o in mine]
        out.append("</table>")
    out += _provenance_html(r, overrides, facts, site, for_review)
    return out


def render_html(results: Sequence[ScreeningResult | SiteError], overrides: Sequence[Override] = (),
                officer: str = "", generated_at: str = "", title: str = "LNRS screening report",
                facts: ReportFacts | None = None, sites: Mapping[int, SiteFacts] | None = None,
                maps: Mapping[int, MapImage] | None = None, for_review: Sequence[Override] = ()) -> str:
    """The whole report as one HTML document. With ``facts`` (and each result's ``sites`` and ``maps`` by its
    index) it carries what the PDF does: authority, site block, map (with its scale), data and provenance."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">', f"<title>{_e(title)}</title>",
             f"<style>{_STYLE}</style></head><body>"]
    if facts is not None and facts.authority:
        parts.append(f"<p><strong>{_e(facts.authority)}</strong></p>")
    parts += [f"<h1>{_e(title)}</h1>",
              f"<p>Officer: {_e(officer or 'not recorded')}. Generated: {_e(generated_at or 'not recorded')}.</p>"]
    if not results:
        parts.append("<p>No sites were screened.</p>")
    for result in results:
        parts += _site_html(result, overrides, facts, (sites or {}).get(result.index), (maps or {}).get(result.index),
                            for_review)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
