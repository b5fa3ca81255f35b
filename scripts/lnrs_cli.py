#!/usr/bin/env python3
"""Run the headless command line from a checkout: ``build/venv/bin/python scripts/lnrs_cli.py screen ...``."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKGROOT = ROOT / "build" / "pkgroot"
PKGROOT.mkdir(parents=True, exist_ok=True)
if not (PKGROOT / "lnrs_toolkit").exists():
    (PKGROOT / "lnrs_toolkit").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(PKGROOT))

from lnrs_toolkit.plugin.cli import main  # noqa: E402

sys.exit(main())
