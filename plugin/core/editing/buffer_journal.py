"""QGIS's edit buffer, kept in the working copy as it changes, so a crash loses nothing drawn (issue 20, defect 8).

Edits made with QGIS's tools live in the layer's edit buffer until the layer is saved; a crash used to lose them.
The dock writes a snapshot of the buffer into the working copy's table ``edit_buffer`` a moment after every change
(:func:`save_buffer`; the layer, its undo history included, is left alone) and empties it when the layer is saved
or its edits are rolled back (:func:`clear_buffer`). When a working copy is resumed, :func:`replay_buffer` applies
what is left there to ``opportunity_edits``, so those edits come back as changes of the working copy.

One row per buffered feature: ``kind`` is ``add`` (a new feature: every column), ``change`` (a feature of the
table: the columns set, as JSON, and the geometry when it changed) or ``delete``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely

from ..errors import InputError
from ..pack.gpkg import encode_blobs, immediate_transaction, register_functions
from .edits import as_multi

TABLE = "edit_buffer"
WORKING_TABLE = "opportunity_edits"
#: The working-copy columns a buffered edit may set.
COLUMNS = ("pack_fid", "measures", "name", "ref")


@dataclass(frozen=True)
class BufferedFeature:
    """One feature of the edit buffer: ``fid`` is the table's (negative for a new feature), ``wkb`` 2D WKB."""

    kind: str                                   # "add" | "change" | "delete"
    fid: int
    values: Mapping[str, Any] = field(default_factory=dict)
    wkb: bytes | None = None


def _q(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)
    register_functions(conn)  # the GeoPackage R-tree triggers of opportunity_edits call ST_* functions
    return conn


def _ensure(conn: sqlite3.Connection) -> None:
    conn.execute(f"CREATE TABLE IF NOT EXISTS {_q(TABLE)} (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, "
                 "row_fid INTEGER NOT NULL, row_values TEXT, wkb BLOB)")


def save_buffer(path: str | Path, features: Sequence[BufferedFeature]) -> None:
    """Replace the journal of the working copy at ``path`` with ``features`` (one transaction)."""
    with immediate_transaction(_connect(Path(path)), lambda exc: InputError(
            f"Your edits could not be kept in the working copy {path} ({exc}); save the layer to keep them.")) as conn:
        _ensure(conn)
        conn.execute(f"DELETE FROM {_q(TABLE)}")
        conn.executemany(f"INSERT INTO {_q(TABLE)} (kind, row_fid, row_values, wkb) VALUES (?, ?, ?, ?)",
                         [(f.kind, int(f.fid), json.dumps({k: v for k, v in f.values.items() if k in COLUMNS}),
                           f.wkb) for f in features])


def clear_buffer(path: str | Path) -> None:
    """Empty the journal (the layer was saved or its edits rolled back)."""
    save_buffer(path, ())


def buffered(path: str | Path) -> list[BufferedFeature]:
    """What the journal holds."""
    conn = _connect(Path(path))
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone() is None:
            return []
        return [BufferedFeature(str(kind), int(fid), json.loads(values or "{}"), None if wkb is None else bytes(wkb))
                for kind, fid, values, wkb in conn.execute(
                    f"SELECT kind, row_fid, row_values, wkb FROM {_q(TABLE)} ORDER BY id")]
    finally:
        conn.close()


def _blob(wkb: bytes | None) -> bytes | None:
    if wkb is None:
        return None
    return encode_blobs([as_multi(shapely.from_wkb(wkb))])[0]


def replay_buffer(path: str | Path) -> int:
    """Apply the journal to the working copy's table and empty it (one transaction); returns the features applied."""
    features = buffered(path)
    if not features:
        return 0
    with immediate_transaction(_connect(Path(path)), lambda exc: InputError(
            f"The edits kept in the working copy {path} could not be brought back ({exc}).")) as conn:
        for f in features:
            values = {k: v for k, v in f.values.items() if k in COLUMNS}
            if f.kind == "delete":
                conn.execute(f"DELETE FROM {_q(WORKING_TABLE)} WHERE fid = ?", (f.fid,))
            elif f.kind == "add":
                cols = ["geom", *values]
                conn.execute(f"INSERT INTO {_q(WORKING_TABLE)} ({', '.join(_q(c) for c in cols)}) VALUES "
                             f"({', '.join('?' for _ in cols)})", (_blob(f.wkb), *values.values()))
            else:
                sets = {**values, **({"geom": _blob(f.wkb)} if f.wkb is not None else {})}
                if sets:
                    conn.execute(f"UPDATE {_q(WORKING_TABLE)} SET {', '.join(f'{_q(c)} = ?' for c in sets)} "
                                 "WHERE fid = ?", (*sets.values(), f.fid))
        conn.execute(f"DELETE FROM {_q(TABLE)}")
    return len(features)
