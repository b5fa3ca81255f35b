"""Outputs never clobber inputs: an output path that is (or links to) the pack or an input is refused first."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError

_SQLITE_HEADER = b"SQLite format 3\x00"


def _file_part(source: str | Path) -> str:
    """``/a/b.gpkg|layername=x`` -> ``/a/b.gpkg`` (QGIS layer sources carry options after ``|``)."""
    return str(source).split("|", 1)[0].strip()


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when ``a`` and ``b`` name the same file (through symbolic and hard links)."""
    pa, pb = _file_part(a), _file_part(b)
    if not pa or not pb:
        return False
    try:
        return os.path.samefile(pa, pb)
    except OSError:
        return os.path.realpath(pa) == os.path.realpath(pb)


def check_output(output: str | Path | None, inputs: Mapping[str, str | Path | None]) -> None:
    """Refuse (:class:`InputError`) writing ``output`` when it is one of ``inputs`` (what -> path)."""
    if output is None or not _file_part(output) or _file_part(output) == "-":
        return
    for what, source in inputs.items():
        if source is not None and same_file(output, source):
            raise InputError(f"the output {_file_part(output)} is the {what}; writing there would destroy it. "
                             "Choose another file name; nothing was written.")


def refuse_overwriting_a_database(path: str | Path) -> None:
    """A report never replaces an SQLite database (a pack, a working copy, a Defra metric GeoPackage)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_SQLITE_HEADER))
    except OSError:
        return
    if head == _SQLITE_HEADER:
        raise InputError(f"{Path(path).name} is a database (a GeoPackage such as a pack), not a report; writing the "
                         "report there would destroy it. Choose another file name; nothing was written.")
