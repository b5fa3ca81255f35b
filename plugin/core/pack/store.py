"""Atomic pack files: every change is made on a copy that replaces the pack only when complete."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, PackError
from .ancient_woodland import prefer_revised
from .builder import MappedRows
from .content_hash import content_hash
from .gpkg import connect_rw, read_layer, read_metadata_pairs, read_pack
from .gpkg_writer import init_geopackage, write_metadata, write_table
from .identity import merge_keeping_ids
from .schema import IRREPLACEABLE, OPPORTUNITY, OPPORTUNITY_AUDIT, SCHEMA_VERSION
from .write_lock import pack_write_lock, real_path, scratch_paths


class Cancelled(Exception):  # noqa: N818 - reads better at call sites
    """The user cancelled; nothing was changed."""


@dataclass(frozen=True)
class BuildReport:
    pack: str
    table: str
    rows_added: int
    rows_in_table: int
    content_sha256: str
    notes: tuple[str, ...]
    rows_replaced: int = 0     # rows of the table the added rows replaced
    fids_kept: int = 0         # added rows that kept the fid of the row they replaced


@contextlib.contextmanager
def _sqlite_write_lock(path: Path) -> Iterator[None]:
    """Hold SQLite's own write lock on the pack, so no other SQLite writer (QGIS editing it, say) commits into
    the file that is about to be replaced."""
    if not path.is_file() or path.stat().st_size == 0:
        yield
        return
    conn = sqlite3.connect(str(path), timeout=5.0, isolation_level=None)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise PackError(f"the pack {path.name} cannot be written ({exc}); another program may be writing to "
                            "it: nothing was changed, try again when it has finished.") from exc
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        conn.close()


@contextlib.contextmanager
def atomic_copy(path: Path) -> Iterator[Path]:
    """Yield a scratch copy of ``path`` (or a fresh name) that replaces ``path`` on success.

    The pack's write lock (:mod:`.write_lock`) is held throughout, on the file a symbolic link leads to, and
    SQLite's own write lock on the pack until it is replaced (POSIX; Windows cannot replace an open file).
    """
    path = real_path(path)
    if path.exists() and not os.access(path, os.R_OK):
        raise PackError(f"the pack {path} cannot be read (permission denied).")
    if not path.parent.exists():
        raise InputError(f"the folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK):
        raise InputError(f"the folder {path.parent} is not writable; choose another place for the pack.")
    scratch = scratch_paths(path, os.getpid())
    tmp = scratch[0]
    with pack_write_lock(path), contextlib.ExitStack() as held:
        held.enter_context(_sqlite_write_lock(path))
        try:
            if path.exists():
                shutil.copy2(path, tmp)
            yield tmp
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            if sys.platform == "win32":  # pragma: no cover
                held.close()
            os.replace(tmp, path)
            with contextlib.suppress(OSError):
                dir_fd = os.open(path.parent, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
        finally:
            for leftover in scratch:
                with contextlib.suppress(OSError):
                    leftover.unlink()


def _audit_high_water(conn: sqlite3.Connection, table: str, tables: set[str]) -> int:
    """The highest opportunity-area fid the audit trail names: never handed out again."""
    if table != OPPORTUNITY.name or OPPORTUNITY_AUDIT.name not in tables:
        return 0
    row = conn.execute(f'SELECT max(feature_fid) FROM "{OPPORTUNITY_AUDIT.name}"').fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def add_rows(pack_path: str | Path, rows: MappedRows, metadata_updates: Mapping[str, str] | None = None,
             is_cancelled: Callable[[], bool] = lambda: False, replaces: Sequence[str] = ()) -> BuildReport:
    """Add ``rows`` to the pack at ``pack_path`` (created if missing), atomically; return what happened.

    Rows of the same source, and of the sources named in ``replaces``, are replaced; fids stay stable
    (:mod:`.identity`)."""
    return add_many(pack_path, [rows], metadata_updates, is_cancelled, replaces)[0]


def add_many(pack_path: str | Path, batches: Sequence[MappedRows], metadata_updates: Mapping[str, str] | None = None,
             is_cancelled: Callable[[], bool] = lambda: False, replaces: Sequence[str] = ()) -> list[BuildReport]:
    """Add every batch to the pack in one atomic write: all of them, or (on any error) none. ``replaces``: other
    sources (source_layer names) whose rows the batches replace."""
    path = Path(pack_path)
    if not batches:
        raise InputError("nothing to add to the pack.")
    if path.exists():
        read_pack(path)  # refuse to touch anything that is not a readable pack
    counts: list[tuple[int, int, int, int]] = []
    with atomic_copy(path) as tmp:
        conn = connect_rw(tmp)
        try:
            init_geopackage(conn)  # idempotent; runs its own statements before the transaction
            conn.execute("BEGIN")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            pairs = read_metadata_pairs(conn) if "pack_metadata" in tables else {}
            pairs.setdefault("schema_version", str(SCHEMA_VERSION))
            for rows in batches:
                added = total = replaced = kept = 0
                if rows.role != "metadata":
                    existing = read_layer(conn, rows.spec) if rows.spec.name in tables else None
                    if existing is not None and existing.problems:  # merging would drop or reinterpret its rows
                        raise PackError(f"Nothing was added: {existing.problems[0]}")
                    if is_cancelled():
                        raise Cancelled
                    keyed = merge_keeping_ids(existing, rows, replaces)
                    cols, geoms, fids = keyed.columns, keyed.geoms, keyed.fids
                    if rows.spec.name == IRREPLACEABLE.name:  # legacy polygons cut where the revised inventory covers
                        cols, geoms, coverage, kept_rows = prefer_revised(cols, geoms)
                        fids = [fids[i] for i in kept_rows]
                        pairs.update(coverage)
                    total = write_table(conn, rows.spec, cols, geoms, fids,
                                        _audit_high_water(conn, rows.spec.name, tables))
                    tables.add(rows.spec.name)
                    added, replaced, kept = len(rows), keyed.replaced, keyed.kept_fids
                counts.append((added, total, replaced, kept))
                pairs.update(rows.metadata)
            pairs.update({k: v for k, v in (metadata_updates or {}).items() if v})
            pairs["content_sha256"] = ""
            write_metadata(conn, pairs)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            conn.close()
            raise
        try:
            if is_cancelled():
                raise Cancelled
            digest = content_hash(read_pack(tmp))
            conn.execute("UPDATE pack_metadata SET value = ? WHERE key = 'content_sha256'", (digest,))
        finally:
            conn.close()
    return [BuildReport(str(path), rows.spec.name, added, total, digest, rows.notes, replaced, kept)
            for rows, (added, total, replaced, kept) in zip(batches, counts)]
