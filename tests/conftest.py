"""Shared test set-up: make the repository importable as the package ``lnrs_toolkit``.

The repository root *is* the plugin folder, whose installed name is ``lnrs_toolkit``;
a symlink under ``build/pkgroot`` gives tests that same import name.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKGROOT = ROOT / "build" / "pkgroot"
LINK = PKGROOT / "lnrs_toolkit"

PKGROOT.mkdir(parents=True, exist_ok=True)
if not LINK.exists():
    with contextlib.suppress(FileExistsError):  # another worker made it first
        LINK.symlink_to(ROOT, target_is_directory=True)
if str(PKGROOT) not in sys.path:
    sys.path.insert(0, str(PKGROOT))
