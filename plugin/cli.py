"""Headless command line: the same engine as the dock and Processing, without QGIS.

    python -m lnrs_toolkit.plugin.cli screen --pack PACK.gpkg --sites SITES.geojson [--json OUT.json]
    python -m lnrs_toolkit.plugin.cli info --pack PACK.gpkg [--verify]
    python -m lnrs_toolkit.plugin.cli validate --pack PACK.gpkg [--json OUT.json] [--limit N]
    python -m lnrs_toolkit.plugin.cli publish --pack PACK.gpkg --note TEXT [--by NAME]
    python -m lnrs_toolkit.plugin.cli versions --pack PACK.gpkg
    python -m lnrs_toolkit.plugin.cli compare --pack PACK.gpkg --from N [--to M] [--sites SITES] [--summary OUT]
    python -m lnrs_toolkit.plugin.cli parcels --pack PACK.gpkg --geopackage IN.gpkg [--output OUT.gpkg] (cli_parcels.py)

Exit status: 0 done, 1 the check failed (``info --verify``: hash differs or a table is not usable; ``validate``:
errors found), 2 bad input or a refusal (the message says what to change; ``publish``: nothing changed since the
last version), 3 an unexpected error (one sentence; the traceback goes to the log file it names). No traceback is
ever printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import cli_parcels
from .core.errors import LnrsError
from .core.pack.content_hash import content_hash
from .core.pack.gpkg import read_pack
from .core.pack.window import file_version
from .core.reports.json_report import write_json_atomic
from .core.reports.output_guard import check_output
from .core.reports.terminal_text import safe_lines, terminal_safe
from .core.reports.text_report import summary_text
from .core.screening.options import MAX_SEARCH_DISTANCE_M, ScreeningOptions, checked_number
from .core.screening.pack_route import WINDOWED, PackScreening
from .core.screening.results import SiteError, counts_sentence, verdict_counts
from .core.screening.site_provenance import with_provenance


def _number(what: str, low: float, high: float, integer: bool = False) -> Callable[[str], Any]:
    """An argparse type: a finite number in ``[low, high]`` (whole when ``integer``), else a usage error."""
    def parse(text: str) -> Any:
        try:
            value = checked_number(text, what, low, high, integer)
        except LnrsError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return int(value) if integer else value
    return parse


_DISTANCE = _number("search distance (metres)", 0.0, MAX_SEARCH_DISTANCE_M)
_VERSION = _number("version number", 1, 2**31 - 1, integer=True)


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
    s.add_argument("--search-distance", type=_DISTANCE, default=500.0, help="metres (default 500)")
    s.add_argument("--json", help="write the results here (schema lnrs-screening/1); '-' for stdout")
    s.add_argument("--quiet", action="store_true", help="no text summary")
    i = sub.add_parser("info", help="show a pack's metadata")
    i.add_argument("--pack", required=True)
    i.add_argument("--verify", action="store_true", help="recompute the content hash and compare")
    v = sub.add_parser("validate", help="check a pack's opportunity areas (the rules of docs/editing.md)")
    v.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    v.add_argument("--json", help="write every issue here; '-' for stdout")
    v.add_argument("--limit", type=_number("limit", 0, 10**9, integer=True), default=50,
                   help="issues printed (default 50; --json holds all)")
    pub = sub.add_parser("publish", help="freeze the pack's current state as its next version")
    pub.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    pub.add_argument("--note", required=True, help="what this version changes (kept with the version)")
    pub.add_argument("--by", default="", help="who publishes (default: the system user)")
    lst = sub.add_parser("versions", help="list the pack's published versions")
    lst.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    c = sub.add_parser("compare", help="what changed between two versions, and whose screening answers change")
    c.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    c.add_argument("--from", dest="from_version", type=_VERSION, required=True, help="published version number")
    c.add_argument("--to", dest="to_version", type=_VERSION,
                   help="published version number (default: the current state)")
    c.add_argument("--sites", help="previously screened sites (any vector file GDAL reads) to re-screen")
    c.add_argument("--layer", help="layer name inside --sites (default: the first)")
    c.add_argument("--ref-field", help="field holding the site reference (default: site_ref if present)")
    c.add_argument("--proposed-habitat", help="the proposed habitat the sites were screened with")
    c.add_argument("--search-distance", type=_DISTANCE, default=500.0, help="metres (default 500)")
    c.add_argument("--summary", help="write the summary here: .html, .json or text")
    cli_parcels.add_parser(sub)
    return p


def _screen(args: argparse.Namespace) -> int:
    from .adapters.ogr_sites import read_sites

    check_output(args.json, {"pack": args.pack, "sites file": args.sites})
    file_version(args.pack)  # a missing pack is refused before the sites are read
    sites = read_sites(args.sites, args.layer, args.ref_field)
    pack = PackScreening(args.pack, len(sites.geometries))  # a small batch on a large pack: through its R-tree
    results = pack.screen_sites(sites.geometries, sites.refs, ScreeningOptions(search_distance_m=args.search_distance),
                                args.proposed_habitat)
    for position, message in sites.errors.items():  # GDAL's reason beats "no geometry"
        results[position] = SiteError(sites.refs[position], message, position)
    results = with_provenance(results, sites.geometries, sites.transforms)
    payload = [r.to_dict() for r in results]
    if args.json == "-":
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.json:
        write_json_atomic(args.json, payload)
    if not args.quiet and args.json != "-":
        if pack.route.how == WINDOWED:
            print(terminal_safe(f"note: {pack.route.sentence()}"))
        for note in [*pack.route.load_notes, *sites.notes]:
            print(terminal_safe(f"note: {note}"))
        for r in results:
            print(summary_text(r))
            print()
        print(counts_sentence(verdict_counts(results)))
    return 2 if all(isinstance(r, SiteError) for r in results) and results else 0


def _info(args: argparse.Namespace) -> int:
    pack = read_pack(args.pack)
    for key, value in pack.metadata.as_pairs().items():
        print(terminal_safe(f"{key}: {value}"))
    for name, layer in pack.layers.items():
        print(f"table {name}: {len(layer)} row(s)")
    for name, reason in pack.unchecked.items():
        print(terminal_safe(f"table {name}: NOT USABLE: {reason}"))
    if args.verify and pack.unchecked:
        print("content hash not verified: some tables cannot be read as they are (see above)")
        return 1
    if args.verify:
        actual = content_hash(pack)
        ok = actual == pack.metadata.content_sha256
        print(f"content hash {'matches' if ok else 'DIFFERS: ' + actual}")
        return 0 if ok else 1
    return 0


def _validate(args: argparse.Namespace) -> int:
    import shapely

    from .core.editing.validation import validate_pack

    check_output(args.json, {"pack": args.pack})
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
        print(safe_lines(report.summary_lines(args.limit)))
    return 0 if report.ok else 1


def _publish(args: argparse.Namespace) -> int:
    from .core.versions.publish import publish_version

    v = publish_version(args.pack, args.note, args.by)
    print(terminal_safe(f"Published version {v.version} on {v.publication_date} by {v.published_by}: sha256 "
                        f"{v.content_sha256}"))
    return 0


def _versions(args: argparse.Namespace) -> int:
    from .core.versions.publish import list_versions, state_label

    records = list_versions(args.pack)
    for v in records:
        print("\t".join(terminal_safe(x) for x in (f"version {v.version}", v.publication_date, v.content_sha256,
                                                     v.published_by, v.note)))
    if not records:
        print("no version published yet")
    print(terminal_safe(f"current: {state_label(read_pack(args.pack).metadata)}"))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .core.reports.json_report import write_text_atomic
    from .core.versions.compare import SitesToCheck, check_version_pair, compare_versions, comparison_json
    from .core.versions.publish import load_state
    from .core.versions.report import summary_html
    from .core.versions.report import summary_text as comparison_text

    check_version_pair(args.from_version, args.to_version)
    check_output(args.summary, {"pack": args.pack, "sites file": args.sites})
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


def _log_traceback() -> str:
    """Write the current traceback to a new log file; return its path."""
    import os
    import tempfile
    import traceback

    fd, path = tempfile.mkstemp(prefix="lnrs-toolkit-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(traceback.format_exc())
    return path


def _complain(message: str) -> None:
    print(terminal_safe(f"lnrs-toolkit: {message}"), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Never a traceback: a known failure is one sentence and exit 2; anything unexpected is one
    sentence naming the log file the traceback went to, and exit 3."""
    import sqlite3

    args = _parser().parse_args(argv)
    commands = {"screen": _screen, "info": _info, "validate": _validate, "publish": _publish,
                "versions": _versions, "compare": _compare, "parcels": cli_parcels.run}
    try:
        return commands[args.command](args)
    except LnrsError as exc:
        _complain(str(exc))
        return 2
    except OSError as exc:
        _complain(f"{exc.strerror or exc}: {exc.filename or ''}")
        return 2
    except sqlite3.Error as exc:
        _complain(f"the pack {args.pack} could not be read or written ({exc}); nothing was changed.")
        return 2
    except KeyboardInterrupt:
        _complain("interrupted; nothing more was done.")
        return 130
    except Exception as exc:  # noqa: BLE001 - one sentence for the user, the traceback in a log file
        try:
            where = f"the details are in {_log_traceback()}"
        except OSError:
            where = "the details could not be logged"
        _complain(f"an unexpected error ({type(exc).__name__}) stopped the command; {where}. Please report it.")
        return 3


if __name__ == "__main__":
    sys.exit(main())
