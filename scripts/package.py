#!/usr/bin/env python3
"""Build the plugin zip for the QGIS plugin repository, or install the plugin into a profile.

The zip holds ``lnrs_toolkit/`` with metadata.txt, LICENSE, __init__.py, plugin/,
resources/ and compiled translations; no tests, scripts, build or dev files.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "lnrs_toolkit"
TOP_FILES = ("metadata.txt", "LICENSE", "README.md", "__init__.py")
TOP_DIRS = ("plugin", "resources", "i18n")
SKIP_SUFFIXES = {".pyc", ".pyo", ".ts", ".orig", ".rej"}
SKIP_DIRS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def package_files(root: Path = ROOT) -> list[Path]:
    """Paths (relative to ``root``) that belong in the released plugin."""
    files = [Path(name) for name in TOP_FILES if (root / name).is_file()]
    for top in TOP_DIRS:
        for path in sorted((root / top).rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or path.suffix in SKIP_SUFFIXES:
                continue
            if any(part in SKIP_DIRS for part in rel.parts):
                continue
            if path.name.endswith("-wal") or path.name.endswith("-shm"):
                continue
            files.append(rel)
    return files


def build_zip(output: Path, root: Path = ROOT) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in package_files(root):
            zf.write(root / rel, f"{SLUG}/{rel.as_posix()}")
    tmp.replace(output)
    return output


def install_into(plugins_dir: Path, root: Path = ROOT) -> Path:
    """Copy the plugin into ``plugins_dir/lnrs_toolkit`` (replacing what is there)."""
    target = plugins_dir / SLUG
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    for rel in package_files(root):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, dest)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--output", type=Path, help="zip file to write")
    group.add_argument("--install", type=Path, help="a profile's python/plugins folder")
    args = parser.parse_args(argv)
    if args.output:
        path = build_zip(args.output)
        print(f"package: wrote {path} ({len(package_files())} files)")
    else:
        path = install_into(args.install)
        print(f"package: installed into {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
