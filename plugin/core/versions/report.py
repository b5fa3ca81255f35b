"""The summary of a version comparison, as plain text and as a self-contained HTML page."""

from __future__ import annotations

from html import escape

from ..reports.terminal_text import safe_lines
from .compare import ADDED, CHANGED, REMOVED, VersionComparison

MATCHING_NOTE = ("Opportunity areas are matched by their feature id (fid) in the pack; measure codes are compared "
                 "as sets.")


def _rows(n: int | None) -> str:
    return "absent" if n is None else f"{n} row{'s' if n != 1 else ''}"


def headline(c: VersionComparison) -> str:
    """One line: the counts."""
    if c.identical:
        return f"No differences between {c.from_label} and {c.to_label}."
    parts = [f"{c.count(ADDED)} added, {c.count(REMOVED)} removed, {c.count(CHANGED)} changed, "
             f"{c.unchanged} unchanged opportunity area(s)"]
    if c.other_tables:
        parts.append(f"{len(c.other_tables)} other table(s) changed")
    if c.sites is not None:
        parts.append(f"{len(c.sites.changes)} of {c.sites.checked} screened site(s) would change")
    return "; ".join(parts) + "."


def summary_text(c: VersionComparison) -> str:
    lines = [f"Comparison of the Local Habitat Map {c.name or '(unnamed)'}",
             f"From: {c.from_label} (sha256 {c.from_sha256 or 'unknown'})",
             f"To:   {c.to_label} (sha256 {c.to_sha256 or 'unknown'})",
             MATCHING_NOTE, headline(c)]
    if not c.has_opportunity_layer:
        lines.append("Neither version has an opportunity layer.")
    if c.changes:
        lines.append("Opportunity areas:")
        lines += [f"  - {x.describe()}" for x in c.changes]
    if c.code_areas:
        lines.append("Area per measure code (gained / lost / net, m\u00b2):")
        for a in c.code_areas:
            text = f" \u2013 {a.text}" if a.text else " (not in the catalogue)"
            lines.append(f"  - {a.code}: +{a.gained_m2:,.1f} / -{a.lost_m2:,.1f} / {a.net_m2:+,.1f}{text}")
    if c.other_tables:
        lines.append("Other tables changed:")
        lines += [f"  - {t.title} ({t.name}): {_rows(t.old_rows)} \u2192 {_rows(t.new_rows)}" for t in c.other_tables]
    if c.metadata_changes:
        lines.append("Metadata changed:")
        lines += [f"  - {k}: \u201c{a}\u201d \u2192 \u201c{b}\u201d" for k, a, b in c.metadata_changes]
    if c.sites is not None:
        s = c.sites
        lines.append(f"Previously screened sites: {s.checked} re-screened against both versions with the same engine; "
                     f"{len(s.changes)} would change" + (f", {s.not_screened} could not be screened" if s.not_screened
                                                           else "") + ".")
        lines += [f"  - {x.describe()}" for x in s.changes]
    return safe_lines(lines) + "\n"


def summary_html(c: VersionComparison) -> str:
    e = escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>Comparison of {e(c.from_label)} and {e(c.to_label)}</title>",
           "<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}"
           "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#eee}"
           "code{word-break:break-all}</style></head><body>",
           f"<h1>Comparison of the Local Habitat Map {e(c.name or '(unnamed)')}</h1>",
           f"<p>From <strong>{e(c.from_label)}</strong> (sha256 <code>{e(c.from_sha256 or 'unknown')}</code>)<br>"
           f"to <strong>{e(c.to_label)}</strong> (sha256 <code>{e(c.to_sha256 or 'unknown')}</code>).</p>",
           f"<p>{e(MATCHING_NOTE)}</p>", f"<p><strong>{e(headline(c))}</strong></p>"]
    if c.changes:
        out += ["<h2>Opportunity areas</h2>",
                "<table><tr><th>fid</th><th>Change</th><th>Name</th><th>Old codes</th><th>New codes</th>"
                "<th>Area change (m\u00b2)</th><th>Details</th></tr>"]
        for x in c.changes:
            out.append(f"<tr><td>{x.fid}</td><td>{e(x.kind)}</td><td>{e(x.name or x.ref)}</td>"
                       f"<td>{e(';'.join(x.old_codes))}</td><td>{e(';'.join(x.new_codes))}</td>"
                       f"<td>{x.area_difference_m2:+,.1f}</td><td>{e(x.describe())}</td></tr>")
        out.append("</table>")
    if c.code_areas:
        out += ["<h2>Area per measure code</h2>",
                "<table><tr><th>Code</th><th>Gained (m\u00b2)</th><th>Lost (m\u00b2)</th><th>Net (m\u00b2)</th>"
                "<th>Measure</th></tr>"]
        out += [f"<tr><td>{e(a.code)}</td><td>{a.gained_m2:,.1f}</td><td>{a.lost_m2:,.1f}</td><td>{a.net_m2:+,.1f}"
                f"</td><td>{e(a.text or 'not in the catalogue')}</td></tr>" for a in c.code_areas]
        out.append("</table>")
    if c.other_tables:
        out += ["<h2>Other tables changed</h2>", "<ul>"]
        out += [f"<li>{e(t.title)} ({e(t.name)}): {e(_rows(t.old_rows))} \u2192 {e(_rows(t.new_rows))}</li>"
                for t in c.other_tables]
        out.append("</ul>")
    if c.metadata_changes:
        out += ["<h2>Metadata changed</h2>", "<ul>"]
        out += [f"<li>{e(k)}: \u201c{e(a)}\u201d \u2192 \u201c{e(b)}\u201d</li>" for k, a, b in c.metadata_changes]
        out.append("</ul>")
    if c.sites is not None:
        s = c.sites
        out += ["<h2>Previously screened sites</h2>",
                f"<p>{s.checked} site(s) re-screened against both versions with the same engine; "
                f"{len(s.changes)} would change"
                + (f", {s.not_screened} could not be screened" if s.not_screened else "") + ".</p>"]
        if s.changes:
            out.append("<table><tr><th>Site</th><th>Verdict</th><th>Strategic significance</th><th>Measures</th></tr>")
            for y in s.changes:
                out.append(f"<tr><td>{e(y.site_ref)}</td><td>{e(y.old_verdict)} \u2192 {e(y.new_verdict)}</td>"
                           f"<td>{e(y.old_category or 'not assessed')} \u2192 {e(y.new_category or 'not assessed')}"
                           f"</td><td>{e(';'.join(y.old_codes) or '(none)')} \u2192 "
                           f"{e(';'.join(y.new_codes) or '(none)')}</td></tr>")
            out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
