"""Where the frozen rows of published versions live: one shared row store plus a membership list per table.

Why this design (issue 20, defect 6): a version used to store every row of each changed table again
(a one-polygon edit of a 36.5 MB pack added 40 MB). Now every distinct frozen row is stored once in
``pack_version_row_store``, keyed by ``row_key`` (sha256 of table, fid, attributes and WKB), and each
frozen table (a *snapshot*, as before: the sha256 of its rows) is a row of ``pack_version_snapshots``
holding the row-store fids of its rows as ascending gaps, little-endian int64, zlib-compressed. Rows
unchanged since a previous version are not stored again and their fids are mostly consecutive, so the
list of a 50,000-row table compresses to a few hundred bytes: a version after a one-polygon edit
stores that polygon, a membership list and the version's metadata rows.

Chosen over per-version deltas (added/removed rows against the previous version) because every version
reads back directly from its own list, with no chain of deltas to replay and no version whose damage
spoils the later ones; deleting nothing, the store never needs rewriting. The same tables and encoding
serve GeoPackage (here) and PostGIS (``plugin/adapters/postgis_versions.py``).

Packs published before keep their frozen tables in ``pack_version_rows`` (one full copy per snapshot);
they are read as they are (:func:`read_snapshot` falls back to them) and their next publication stores
its changed tables in the row store.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..errors import PackError
from ..pack.schema import VERSION_ROW_STORE, VERSION_ROWS, VERSION_SNAPSHOTS
from .snapshot import FrozenRow, FrozenTable

_FORMAT = b"\x01"


def row_key(table: str, row: FrozenRow) -> bytes:
    """The sha256 digest a frozen row is stored under (equal rows of one table share it)."""
    h = hashlib.sha256(b"lnrs-version-row/1\n" + table.encode("utf-8") + b"\n")
    h.update(f"{row.fid}\n".encode("ascii"))
    h.update(row.attributes.encode("utf-8") + b"\n")
    h.update(b"-" if row.wkb is None else b"+" + row.wkb)
    return h.digest()


def encode_members(ids: Iterable[int]) -> bytes:
    """Row-store fids as the compact blob ``pack_version_snapshots.row_ids`` holds."""
    ordered = np.array(sorted(int(i) for i in ids), dtype="<i8")
    gaps = np.diff(ordered, prepend=np.int64(0)).astype("<i8")
    return _FORMAT + zlib.compress(gaps.tobytes(), 9)


def decode_members(blob: bytes | None, snapshot: str) -> list[int]:
    """The row-store fids of a membership blob; PackError when it is damaged."""
    data = b"" if blob is None else bytes(blob)
    try:
        if data[:1] != _FORMAT:
            raise ValueError("unknown format")
        raw = zlib.decompress(data[1:])
        if len(raw) % 8:
            raise ValueError("truncated")
        gaps = np.frombuffer(raw, dtype="<i8")
    except (ValueError, zlib.error) as exc:
        raise PackError(f"the list of rows of frozen table {snapshot[:12]} in the pack's version history is damaged "
                        f"({exc}); the version cannot be read.") from exc
    return [int(v) for v in np.cumsum(gaps)]


def check_members(snapshot: str, wanted: Sequence[int], found: Mapping[int, FrozenRow],
                  row_count: int) -> list[FrozenRow]:
    """The rows of a snapshot in list order; PackError when a listed row is missing or the count differs."""
    if len(wanted) != row_count or any(i not in found for i in wanted):
        raise PackError(f"rows of frozen table {snapshot[:12]} are missing from the pack's version history; the "
                        "history has been altered and the version cannot be read.")
    return [found[i] for i in wanted]


# --------------------------------------------------------------------------- GeoPackage
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_indexes(conn: sqlite3.Connection) -> None:
    store, snaps = _q(VERSION_ROW_STORE.name), _q(VERSION_SNAPSHOTS.name)
    conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS {_q(VERSION_ROW_STORE.name + "_key")} ON {store} '
                 '("table_name", "row_key")')
    conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS {_q(VERSION_SNAPSHOTS.name + "_snapshot")} ON {snaps} '
                 '("snapshot")')


def store_table(conn: sqlite3.Connection, table: FrozenTable) -> None:
    """Store ``table``'s rows the store lacks and its membership list (nothing when the snapshot is stored)."""
    snaps = _q(VERSION_SNAPSHOTS.name)
    if conn.execute(f'SELECT 1 FROM {snaps} WHERE "snapshot" = ?', (table.snapshot,)).fetchone() is not None:
        return
    store = _q(VERSION_ROW_STORE.name)
    known = {bytes(k): int(f) for k, f in conn.execute(f'SELECT "row_key", "fid" FROM {store} WHERE "table_name" = ?',
                                                       (table.name,))}
    ids: list[int] = []
    for row in table.rows:
        key = row_key(table.name, row)
        fid = known.get(key)
        if fid is None:
            cur = conn.execute(f'INSERT INTO {store} ("table_name", "row_key", "row_fid", "geom_wkb", "attributes") '
                               "VALUES (?, ?, ?, ?, ?)", (table.name, key, row.fid, row.wkb, row.attributes))
            fid = known[key] = int(cur.lastrowid or 0)
        ids.append(fid)
    conn.execute(f'INSERT INTO {snaps} ("snapshot", "table_name", "row_count", "row_ids") VALUES (?, ?, ?, ?)',
                 (table.snapshot, table.name, len(table.rows), encode_members(ids)))


def _present(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def read_snapshot(conn: sqlite3.Connection, name: str, snapshot: str) -> list[FrozenRow]:
    """The frozen rows of one snapshot: from the row store, or from an older pack's ``pack_version_rows``."""
    present = _present(conn)
    member = None
    if VERSION_SNAPSHOTS.name in present:
        member = conn.execute(f'SELECT "row_ids", "row_count" FROM {_q(VERSION_SNAPSHOTS.name)} WHERE "snapshot" = ?',
                              (snapshot,)).fetchone()
    if member is not None:
        wanted = decode_members(member[0], snapshot)
        ids = set(wanted)
        found = {int(f): FrozenRow(int(r), None if w is None else bytes(w), str(a))
                 for f, r, w, a in conn.execute(f'SELECT "fid", "row_fid", "geom_wkb", "attributes" FROM '
                                                f'{_q(VERSION_ROW_STORE.name)} WHERE "table_name" = ?', (name,))
                 if int(f) in ids}
        return check_members(snapshot, wanted, found, int(member[1] or 0))
    if VERSION_ROWS.name not in present:
        return []
    rows = conn.execute(f'SELECT "row_fid", "geom_wkb", "attributes" FROM {_q(VERSION_ROWS.name)} '
                        'WHERE "snapshot" = ? ORDER BY "row_fid"', (snapshot,)).fetchall()
    return [FrozenRow(int(f), None if w is None else bytes(w), str(a)) for f, w, a in rows]
