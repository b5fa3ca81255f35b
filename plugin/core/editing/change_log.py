"""The working copy's change log: which rows and pack features may differ from their base, kept by SQLite triggers.

Diffing a whole working copy (every row against its base, every geometry hashed) took 6 s at 50,000 polygons, and
the dock did it after every edit (issue 20, defect 5). Instead, triggers on the working copy's tables note what
each write touches, whoever writes it (QGIS saving the layer through OGR, a replayed edit buffer, a rebase):

- ``changed_rows``: the ``fid`` of every row of ``opportunity_edits`` inserted or updated;
- ``changed_pack_fids``: every pack fid a row of ``opportunity_edits`` had before or after an insert, an update or
  a delete, and every pack fid whose base (``checked_out_fids``) was written.

The log is a superset of what differs: a feature changed and changed back stays in it until the log is compacted
(:func:`keep_only`, after a save or an update from the map), and a feature outside it is exactly as it was checked
out or last saved. So :meth:`.working_copy.WorkingCopy.edits` diffs only the logged features, and its work grows with
the edits, not with the map. The full diff (:meth:`.working_copy.WorkingCopy.full_edits`) stays as the reference.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

ROWS = "changed_rows"
FIDS = "changed_pack_fids"
WORKING = "opportunity_edits"
BASES = "checked_out_fids"

_DDL = (
    f'CREATE TABLE IF NOT EXISTS "{ROWS}" (row_fid INTEGER PRIMARY KEY)',
    f'CREATE TABLE IF NOT EXISTS "{FIDS}" (pack_fid INTEGER PRIMARY KEY)',
    f'CREATE INDEX IF NOT EXISTS "lnrs_{WORKING}_pack_fid" ON "{WORKING}" (pack_fid)',
    f'CREATE INDEX IF NOT EXISTS "lnrs_{BASES}_pack_fid" ON "{BASES}" (pack_fid)',
    f'CREATE TRIGGER IF NOT EXISTS "lnrs_log_{WORKING}_insert" AFTER INSERT ON "{WORKING}" BEGIN '
    f'INSERT OR IGNORE INTO "{ROWS}" (row_fid) VALUES (NEW.fid); '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT NEW.pack_fid WHERE NEW.pack_fid IS NOT NULL; END',
    f'CREATE TRIGGER IF NOT EXISTS "lnrs_log_{WORKING}_update" AFTER UPDATE ON "{WORKING}" BEGIN '
    f'INSERT OR IGNORE INTO "{ROWS}" (row_fid) VALUES (NEW.fid); '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT NEW.pack_fid WHERE NEW.pack_fid IS NOT NULL; '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT OLD.pack_fid WHERE OLD.pack_fid IS NOT NULL; END',
    f'CREATE TRIGGER IF NOT EXISTS "lnrs_log_{WORKING}_delete" AFTER DELETE ON "{WORKING}" BEGIN '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT OLD.pack_fid WHERE OLD.pack_fid IS NOT NULL; END',
    f'CREATE TRIGGER IF NOT EXISTS "lnrs_log_{BASES}_insert" AFTER INSERT ON "{BASES}" BEGIN '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT NEW.pack_fid WHERE NEW.pack_fid IS NOT NULL; END',
    f'CREATE TRIGGER IF NOT EXISTS "lnrs_log_{BASES}_update" AFTER UPDATE ON "{BASES}" BEGIN '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT NEW.pack_fid WHERE NEW.pack_fid IS NOT NULL; '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT OLD.pack_fid WHERE OLD.pack_fid IS NOT NULL; END',
    f'CREATE TRIGGER IF NOT EXISTS "lnrs_log_{BASES}_delete" AFTER DELETE ON "{BASES}" BEGIN '
    f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT OLD.pack_fid WHERE OLD.pack_fid IS NOT NULL; END',
)
#: How many ids go into one ``IN (...)`` list (SQLite's default limit of bound parameters is far above it).
CHUNK = 500


def installed(conn: sqlite3.Connection) -> bool:
    """Whether the copy keeps a change log (copies checked out before it existed do not, until opened to write)."""
    names = {str(r[0]) for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN (?, ?, ?)",
        (ROWS, FIDS, f"lnrs_log_{WORKING}_update"))}
    return len(names) == 3


def install(conn: sqlite3.Connection, *, seed: bool) -> None:
    """Create the log's tables, indexes and triggers (inside the caller's transaction).

    ``seed``: log every row and pack feature (a copy that kept no log: everything may differ, until compacted).
    """
    for statement in _DDL:
        conn.execute(statement)
    if seed:
        conn.execute(f'INSERT OR IGNORE INTO "{ROWS}" (row_fid) SELECT fid FROM "{WORKING}"')
        conn.execute(f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT pack_fid FROM "{BASES}" '
                     "WHERE pack_fid IS NOT NULL")
        conn.execute(f'INSERT OR IGNORE INTO "{FIDS}" (pack_fid) SELECT pack_fid FROM "{WORKING}" '
                     "WHERE pack_fid IS NOT NULL")


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """Sorted ids in lists of at most :data:`CHUNK` (for ``IN (...)`` queries)."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def marks(ids: list[int]) -> str:
    return ", ".join("?" for _ in ids)


def logged(conn: sqlite3.Connection) -> tuple[set[int], set[int]]:
    """(pack fids, row fids) the log names: every pack fid whose feature may differ from its base, with the pack
    fids of the logged rows added, and every row that may be new or changed."""
    rows = {int(r[0]) for r in conn.execute(f'SELECT row_fid FROM "{ROWS}"')}
    fids = {int(r[0]) for r in conn.execute(f'SELECT pack_fid FROM "{FIDS}"')}
    for chunk in chunks(rows):
        fids.update(int(r[0]) for r in conn.execute(
            f'SELECT pack_fid FROM "{WORKING}" WHERE pack_fid IS NOT NULL AND fid IN ({marks(chunk)})', chunk))
    return fids, rows


def keep_only(conn: sqlite3.Connection, pack_fids: Iterable[int], row_fids: Iterable[int]) -> None:
    """Compact the log to what still differs (inside the caller's write transaction, after the diff was read in it)."""
    keep_fids, keep_rows = set(pack_fids), set(row_fids)
    for table, column, keep in ((FIDS, "pack_fid", keep_fids), (ROWS, "row_fid", keep_rows)):
        present = {int(r[0]) for r in conn.execute(f'SELECT {column} FROM "{table}"')}
        for chunk in chunks(present - keep):
            conn.execute(f'DELETE FROM "{table}" WHERE {column} IN ({marks(chunk)})', chunk)
