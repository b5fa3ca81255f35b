"""Headless command line: the same engine as the dock and Processing, without QGIS.

    python -m lnrs_toolkit.plugin.cli screen --pack PACK.gpkg --sites SITES.geojson [--json OUT.json]
    python -m lnrs_toolkit.plugin.cli info --pack PACK.gpkg [--verify]
    python -m lnrs_toolkit.plugin.cli validate --pack PACK.gpkg [--json OUT.json] [--limit N]
    python -m lnrs_toolkit.plugin.cli publish --pack PACK.gpkg --note TEXT [--by NAME]
    python -m lnrs_toolkit.plugin.cli versions --pack PACK.gpkg
    python -m lnrs_toolkit.plugin.cli compare --pack PACK.gpkg --from N [--to M] [--sites SITES] [--summary OUT]

Exit status: 0 done, 1 the check failed (``info --verify``: hash differs; ``validate``: errors
found), 2 bad input or a refusal (the message says what to change; ``publish``: nothing changed since the
last version).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .core.errors import LnrsError
from .core.pack.content_hash import content_hash
from .core.pack.gpkg import read_pack
from .core.reports.json_report import write_json_atomic
from .core.reports.text_report import summary_text
from .core.screening.engine import screen_sites
from .core.screening.index_cache import load_index
from .core.screening.options import ScreeningOptions
from .core.screening.results import SiteError, counts_sentence, verdict_counts


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="lnrs-toolkit", description="Screen sites against a Local Habitat Map pack.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("screen", help="screen polygon sites")
    s.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    s.add_argument("--sites", required=True, help="sites: any vector file GDAL reads (GeoJSON, GPKG, SHP, KML...), "
                   "or an Open Digital Planning (PlanX) application JSON")
    s.add_argument("--layer", help="layer name inside --sites (default: the first)")
    s.add_argument("--ref-field", help="field holding the site reference (default: a 'ref' or 'site_ref' field "
                   "when there is one, else sites are numbered from 1)")
    s.add_argument("--proposed-habitat", help="statutory metric habitat or broad habitat")
    s.add_argument("--search-distance", type=float, default=500.0, help="metres (default 500)")
    s.add_argument("--json", help="write the results here (schema lnrs-screening/1); '-' for stdout")
    s.add_argument("--quiet", action="store_true", help="no text summary")
    i = sub.add_parser("info", help="show a pack's metadata")
    i.add_argument("--pack", required=True)
    i.add_argument("--verify", action="store_true", help="recompute the content hash and compare")
    v = sub.add_parser("validate", help="check a pack's opportunity areas (the rules of docs/editing.md)")
    v.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    v.add_argument("--json", help="write every issue here; '-' for stdout")
    v.add_argument("--limit", type=int, default=50, help="issues printed (default 50; --json holds all)")
    pub = sub.add_parser("publish", help="freeze the pack's current state as its next version")
    pub.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    pub.add_argument("--note", required=True, help="what this version changes (kept with the version)")
    pub.add_argument("--by", default="", help="who publishes (default: the system user)")
    lst = sub.add_parser("versions", help="list the pack's published versions")
    lst.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    c = sub.add_parser("compare", help="what changed between two versions, and whose screening answers change")
    c.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    c.add_argument("--from", dest="from_version", type=int, required=True, help="published version number")
    c.add_argument("--to", dest="to_version", type=int, help="published version number (default: the current state)")
    c.add_argument("--sites", help="previously screened sites (any vector file GDAL reads) to re-screen")
    c.add_argument("--layer", help="layer name inside --sites (default: the first)")
    c.add_argument("--ref-field", help="field holding the site reference (default: site_ref if present)")
    c.add_argument("--proposed-habitat", help="the proposed habitat the sites were screened with")
    c.add_argument("--search-distance", type=float, default=500.0, help="metres (default 500)")
    c.add_argument("--summary", help="write the summary here: .html, .json or text")
    return p


def _screen(args: argparse.Namespace) -> int:
    from .adapters.ogr_sites import read_sites

    index = load_index(args.pack)
    sites = read_sites(args.sites, args.layer, args.ref_field)
    results = screen_sites(index, sites.geometries, sites.refs,
                           ScreeningOptions(search_distance_m=args.search_distance), args.proposed_habitat)
    payload = [r.to_dict() for r in results]
    if args.json == "-":
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.json:
        write_json_atomic(args.json, payload)
    if not args.quiet and args.json != "-":
        for note in [*index.load_notes, *sites.notes]:
            print(f"note: {note}")
        for r in results:
            print(summary_text(r))
            print()
        print(counts_sentence(verdict_counts(results)))
    return 2 if all(isinstance(r, SiteError) for r in results) and results else 0


def _info(args: argparse.Namespace) -> int:
    pack = read_pack(args.pack)
    for key, value in pack.metadata.as_pairs().items():
        print(f"{key}: {value}")
    for name, layer in pack.layers.items():
        print(f"table {name}: {len(layer)} row(s)")
    if args.verify:
        actual = content_hash(pack)
        ok = actual == pack.metadata.content_sha256
        print(f"content hash {'matches' if ok else 'DIFFERS: ' + actual}")
        return 0 if ok else 1
    return 0


def _validate(args: argparse.Namespace) -> int:
    import shapely

    from .core.editing.validation import validate_pack

    report = validate_pack(read_pack(args.pack))
    issues = [*report.errors, *report.warnings]
    payload = {"checked": report.checked, "errors": len(report.errors), "warnings": len(report.warnings),
               "notes": list(report.notes),
               "issues": [{"fid": i.fid, "feature": i.feature, "rule": i.rule, "severity": i.severity,
                           "message": i.message,
                           "location_wkt": None if i.location is None else
                           shapely.to_wkt(i.location, rounding_precision=3, output_dimension=2)}
                          for i in issues]}
    if args.json == "-":
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        if args.json:
            write_json_atomic(args.json, payload)
        print(report.summary(args.limit))
    return 0 if report.ok else 1


def _publish(args: argparse.Namespace) -> int:
    from .core.versions.publish import publish_version

    v = publish_version(args.pack, args.note, args.by)
    print(f"Published version {v.version} on {v.publication_date} by {v.published_by}: sha256 {v.content_sha256}")
    return 0


def _versions(args: argparse.Namespace) -> int:
    from .core.versions.publish import list_versions, state_label

    records = list_versions(args.pack)
    for v in records:
        print(f"version {v.version}\t{v.publication_date}\t{v.content_sha256}\t{v.published_by}\t{v.note}")
    if not records:
        print("no version published yet")
    print(f"current: {state_label(read_pack(args.pack).metadata)}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .core.reports.json_report import write_text_atomic
    from .core.versions.compare import SitesToCheck, check_version_pair, compare_versions, comparison_json
    from .core.versions.publish import load_state
    from .core.versions.report import summary_html
    from .core.versions.report import summary_text as comparison_text

    check_version_pair(args.from_version, args.to_version)
    old, old_label = load_state(args.pack, args.from_version)
    new, new_label = load_state(args.pack, args.to_version)
    sites = None
    if args.sites:
        from .adapters.ogr_sites import read_sites

        read = read_sites(args.sites, args.layer, args.ref_field, fallback_ref_field="site_ref")
        sites = SitesToCheck(tuple(read.refs), tuple(read.geometries),
                             ScreeningOptions(search_distance_m=args.search_distance), args.proposed_habitat)
    comparison = compare_versions(old, old_label, new, new_label, sites)
    text = comparison_text(comparison)
    if args.summary:
        suffix = Path(args.summary).suffix.lower()
        write_text_atomic(args.summary, summary_html(comparison) if suffix in (".html", ".htm") else
                          comparison_json(comparison) + "\n" if suffix == ".json" else text)
    print(text, end="")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"screen": _screen, "info": _info, "validate": _validate, "publish": _publish,
                "versions": _versions, "compare": _compare}
    try:
        return commands[args.command](args)
    except LnrsError as exc:
        print(f"lnrs-toolkit: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"lnrs-toolkit: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
