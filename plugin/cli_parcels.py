"""``parcels``: a Defra metric GeoPackage (either template) in, QA and strategic significance out, without QGIS.

    python -m lnrs_toolkit.plugin.cli parcels --pack PACK.gpkg --geopackage IN.gpkg [--phase baseline|proposed]
        [--output OUT.gpkg] [--json ISSUES.json]

Exit status: 0 no errors, 1 Defra would refuse the file (errors found; the filled copy and the JSON are
still written), 2 bad input (the message says what to change).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from .adapters.defra_file import assess_defra_file, read_defra_file, result_json, write_defra_file
from .core.metric.significance_rules import PHASES
from .core.reports.json_report import write_json_atomic
from .core.reports.output_guard import check_output
from .core.reports.terminal_text import terminal_safe
from .core.screening.index_cache import load_index


def add_parser(sub: Any) -> None:
    p = sub.add_parser("parcels", help="check a Defra metric GeoPackage and fill its strategic significance")
    p.add_argument("--pack", required=True, help="Local Habitat Map pack (.gpkg)")
    p.add_argument("--geopackage", required=True, help="Defra metric GeoPackage (Natural England or BNG service "
                                                       "template)")
    p.add_argument("--phase", choices=PHASES, default="baseline", help="baseline (default) or proposed")
    p.add_argument("--output", help="write the filled copy here (a new .gpkg)")
    p.add_argument("--json", help="write the template, issues and features here; '-' for stdout")


def run(args: argparse.Namespace) -> int:
    inputs = {"pack": args.pack, "input GeoPackage": args.geopackage}
    for output in (args.output, args.json):  # refused before any work: outputs never clobber inputs
        check_output(output, inputs)
    index = load_index(args.pack)
    dfile = read_defra_file(args.geopackage, args.phase)
    result = assess_defra_file(index, dfile)
    if args.output:
        write_defra_file(dfile, result, args.output, {"pack": args.pack})
    payload = result_json(dfile, result)
    if args.json == "-":
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        if args.json:
            write_json_atomic(args.json, payload)
        # the file's layer names, references and habitats are shown, never obeyed (escape sequences, newlines)
        print(terminal_safe(f"{dfile.title}: {len(dfile.parcels)} feature(s) in "
                            f"{', '.join(n for _, n in dfile.layers)}; {len(result.pieces)} piece(s)."))
        for note in result.notes:
            print(terminal_safe(f"note: {note}"))
        counts = Counter((p.module, p.category) for p in result.pieces)
        for (module, category), n in sorted(counts.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
            print(f"{module}: {n} piece(s) {category or 'not assessed'}")
        for issue in result.issues:
            print(terminal_safe(f"{issue.severity} {issue.code} [{issue.layer}{' ' + issue.ref if issue.ref else ''}]"
                                f": {issue.message} Fix: {issue.fix}"))
        if args.output:
            print(terminal_safe(f"Wrote {args.output}."))
    return 1 if result.errors else 0
