"""Published versions of a pack: "Publish" freezes the current state as version N+1 inside the pack.

The rules (numbering, refusing to re-publish unchanged content, the metadata a publication sets)
are shared by the GeoPackage store here and the PostGIS store (``adapters.postgis_versions``):

- the new version is one more than the highest published so far (or than an integer ``version``
  the pack already carried), so version numbers never go back;
- publishing sets ``version``, ``publication_date`` (UTC ISO date), ``content_sha256`` and
  ``published_content_sha256`` (equal at publication; an edit afterwards changes only the first, and
  reports then say "unpublished edits since version N");
- the frozen content goes into the history tables (``pack_schema.VERSION_HISTORY_TABLES``) in the
  same transaction, so any version can be read back as a whole :class:`PackData` and screened; rows
  unchanged since an earlier version are shared, not stored again (:mod:`.row_store`).
"""

from __future__ import annotations

import contextlib
import getpass
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InputError, PackError
from ..pack.content_hash import content_hash
from ..pack.gpkg import check_schema_version, connect_rw, open_readonly, read_layer, read_metadata_pairs, read_pack
from ..pack.gpkg_writer import write_table
from ..pack.integrity import validated
from ..pack.model import PackData, PackMetadata, measures_from_layer
from ..pack.schema import METADATA, TABLES, VERSION_HISTORY_TABLES, VERSION_TABLES, VERSIONS
from ..pack.write_lock import pack_write_lock
from .row_store import create_indexes, read_snapshot, store_tables
from .snapshot import FrozenRow, FrozenTable, freeze_pack, thaw_pack

#: Metadata key holding the content hash at the last publication.
PUBLISHED_KEY = "published_content_sha256"
_INTEGER = re.compile(r"^\s*\d{1,9}\s*$")


@dataclass(frozen=True)
class PublishedVersion:
    version: int
    publication_date: str  # UTC ISO date
    published_at: str  # UTC ISO 8601 timestamp
    content_sha256: str
    published_by: str
    note: str


@dataclass(frozen=True)
class Publication:
    """What one publication writes: the version record, the pack's new metadata and the frozen tables."""

    version: PublishedVersion
    metadata: dict[str, str]
    tables: tuple[FrozenTable, ...]


# --------------------------------------------------------------------------- rules
def published_sha256(metadata: PackMetadata) -> str:
    """The content hash at the pack's last publication ("" when it was never published)."""
    return dict(metadata.extra).get(PUBLISHED_KEY, "")


def has_unpublished_edits(metadata: PackMetadata) -> bool:
    published = published_sha256(metadata)
    return bool(published) and published != metadata.content_sha256


def state_label(metadata: PackMetadata) -> str:
    """How to name a pack's state: "version 3", "version 3 with unpublished edits", or "unpublished"."""
    version = metadata.version.strip()
    if not version:
        return "unpublished state (never published)"
    if has_unpublished_edits(metadata):
        return f"current state (unpublished edits since version {version})"
    return f"version {version}"


def last_version_number(metadata: Mapping[str, str], versions: Sequence[PublishedVersion]) -> int:
    """The highest version number so far: the history's, or an integer ``version`` the pack carries."""
    highest = max((v.version for v in versions), default=0)
    current = metadata.get("version", "") or ""
    if _INTEGER.match(current):
        highest = max(highest, int(current))
    return highest


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def default_publisher() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def prepare_publication(pack: PackData, pairs: Mapping[str, str], versions: Sequence[PublishedVersion], note: str,
                        published_by: str, now: datetime | None = None) -> Publication:
    """Everything a publication of ``pack`` (read inside the writer's transaction) writes.

    Refuses (:class:`InputError`) a blank note and content unchanged since the last version.
    """
    note = (note or "").strip()
    if not note:
        raise InputError("Give a note saying what this version changes (it is kept with the version and shown in "
                         "the versions list).")
    current = content_hash(pack)
    last = max(versions, key=lambda v: v.version) if versions else None
    if (last is not None and current == last.content_sha256) or current == pairs.get(PUBLISHED_KEY):
        number = last.version if last is not None else pairs.get("version", "")
        raise InputError(f"Nothing has changed since version {number} was published, so there is nothing to "
                         "publish; edit the Local Habitat Map first.")
    when = (now or _utc_now()).astimezone(timezone.utc)
    number = last_version_number(pairs, versions) + 1
    new_pairs = dict(pairs)
    new_pairs.update({"version": str(number), "publication_date": when.date().isoformat(),
                      "content_sha256": "", PUBLISHED_KEY: ""})
    frozen_metadata = PackMetadata.from_pairs(new_pairs)
    digest = content_hash(replace(pack, metadata=frozen_metadata))
    new_pairs["content_sha256"] = new_pairs[PUBLISHED_KEY] = digest
    record = PublishedVersion(number, when.date().isoformat(), when.strftime("%Y-%m-%dT%H:%M:%SZ"), digest,
                              (published_by or "").strip() or default_publisher(), note)
    return Publication(record, new_pairs, tuple(freeze_pack(pack, new_pairs)))


def check_thawed(pack: PackData, record: PublishedVersion) -> PackData:
    """Refuse a version whose frozen content no longer gives its recorded hash."""
    if content_hash(pack) != record.content_sha256:
        raise PackError(f"the frozen content of version {record.version} no longer matches the hash recorded when "
                        "it was published; the pack's version history has been altered and cannot be trusted.")
    return pack


def unknown_version(number: int, versions: Sequence[PublishedVersion]) -> PackError:
    if not versions:
        return PackError(f"version {number} cannot be read: no version of this pack has been published with LNRS "
                         "Toolkit yet (use Publish first).")
    known = ", ".join(str(v.version) for v in versions)
    return PackError(f"version {number} was not published in this pack; published versions: {known}.")


# --------------------------------------------------------------------------- GeoPackage
def _present(conn: sqlite3.Connection) -> set[str]:
    return {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}


def _read_current(conn: sqlite3.Connection, source: str) -> tuple[PackData, dict[str, str]]:
    pairs = read_metadata_pairs(conn)
    metadata = PackMetadata.from_pairs(pairs)
    check_schema_version(metadata)
    present = _present(conn)
    layers = {spec.name: read_layer(conn, spec) for spec in TABLES if spec is not METADATA and spec.name in present}
    pack = PackData(layers, metadata, source, measures_from_layer(layers.get("measures")))
    return checked_for_publication(pack), pairs


def checked_for_publication(pack: PackData) -> PackData:
    """``pack`` as the pack checks normalise it (what is frozen, GeoPackage or PostGIS alike); PackError when a layer
    fails them: freezing a version without those rows would publish a different map than the pack's."""
    pack = validated(pack)
    if pack.unchecked:
        raise PackError(f"Nothing was published: {next(iter(pack.unchecked.values()))}")
    return pack


def version_number(value: Any) -> int:
    """A stored version number as an int; PackError (never a ValueError) when the history holds anything else."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    if isinstance(value, str) and _INTEGER.match(value) and int(value) >= 1:
        return int(value)
    raise PackError(f"the pack's version history holds a version number that is not a whole number "
                    f"({str(value)[:40]!r}); the history has been altered and cannot be trusted. Restore the pack "
                    "from a copy.")


def _version_row(row: Sequence[Any]) -> PublishedVersion:
    return PublishedVersion(version_number(row[0]), str(row[1] or ""), str(row[2] or ""), str(row[3] or ""),
                            str(row[4] or ""), str(row[5] or ""))


def _read_versions(conn: sqlite3.Connection) -> list[PublishedVersion]:
    if VERSIONS.name not in _present(conn):
        return []
    cols = ", ".join(f'"{c}"' for c in VERSIONS.column_names)
    return [_version_row(r) for r in conn.execute(f'SELECT {cols} FROM "{VERSIONS.name}" ORDER BY "version"')]


def _ensure_history(conn: sqlite3.Connection) -> None:
    present = _present(conn)
    for spec in VERSION_HISTORY_TABLES:
        if spec.name not in present:
            write_table(conn, spec, {c: [] for c in spec.column_names})
    conn.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS "{VERSIONS.name}_version" ON "{VERSIONS.name}" ("version")')
    conn.execute(f'CREATE INDEX IF NOT EXISTS "{VERSION_TABLES.name}_version" ON "{VERSION_TABLES.name}" '
                 '("version")')
    create_indexes(conn)


def _write_publication(conn: sqlite3.Connection, pub: Publication) -> None:
    v = pub.version
    conn.execute(f'INSERT INTO "{VERSIONS.name}" ("version", "publication_date", "published_at", "content_sha256", '
                 '"published_by", "note") VALUES (?, ?, ?, ?, ?, ?)',
                 (v.version, v.publication_date, v.published_at, v.content_sha256, v.published_by, v.note))
    # a table an earlier version froze as it is now is shared, not stored again
    store_tables(conn, [t for t in pub.tables if conn.execute(
        f'SELECT 1 FROM "{VERSION_TABLES.name}" WHERE "snapshot" = ? LIMIT 1', (t.snapshot,)).fetchone() is None])
    for table in pub.tables:
        conn.execute(f'INSERT INTO "{VERSION_TABLES.name}" ("version", "table_name", "snapshot", "row_count") '
                     "VALUES (?, ?, ?, ?)", (v.version, table.name, table.snapshot, len(table.rows)))
    for key, value in pub.metadata.items():
        updated = conn.execute(f'UPDATE "{METADATA.name}" SET "value" = ? WHERE "key" = ?', (value, key))
        if updated.rowcount == 0:
            conn.execute(f'INSERT INTO "{METADATA.name}" ("key", "value") VALUES (?, ?)', (key, value))


def publish_version(path: str | Path, note: str, published_by: str = "", now: datetime | None = None) -> \
        PublishedVersion:
    """Freeze the GeoPackage pack at ``path`` as its next version, in one SQLite transaction.

    Any failure rolls the transaction back: the pack is left exactly as it was.
    """
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:  # connecting would create a database
        raise PackError(f"the pack file {p} does not exist or is empty; choose an existing .gpkg pack.")
    with pack_write_lock(p) as real:  # an add replacing the file meanwhile would erase this version
        publication = _publish_locked(real, str(p), note, published_by, now)
    return publication.version


def _publish_locked(p: Path, source: str, note: str, published_by: str, now: datetime | None) -> Publication:
    conn: sqlite3.Connection | None = None
    try:
        conn = connect_rw(p)
        conn.execute("BEGIN IMMEDIATE")  # the write lock first: the content frozen is what is there at commit
        pack, pairs = _read_current(conn, source)
        publication = prepare_publication(pack, pairs, _read_versions(conn), note, published_by, now)
        _ensure_history(conn)
        _write_publication(conn, publication)
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise PackError(f"the pack {p.name} could not be published ({exc}); it was left unchanged. If another "
                            "program is writing to it, try again when it has finished.") from exc
        raise
    finally:
        if conn is not None:
            conn.close()
    return publication


def list_versions(path: str | Path) -> list[PublishedVersion]:
    """The versions published in the GeoPackage pack at ``path``, oldest first."""
    conn = open_readonly(path)
    try:
        return _read_versions(conn)
    except sqlite3.DatabaseError as exc:
        raise PackError(f"the version history of {Path(path).name} cannot be read ({exc}).") from exc
    finally:
        conn.close()


def load_version(path: str | Path, number: int) -> PackData:
    """Published version ``number`` of the GeoPackage pack at ``path``, as it was frozen (hash checked)."""
    conn = open_readonly(path)
    try:
        versions = _read_versions(conn)
        record = next((v for v in versions if v.version == number), None)
        if record is None:
            raise unknown_version(number, versions)
        tables: dict[str, list[FrozenRow]] = {}
        for name, snapshot in conn.execute(f'SELECT "table_name", "snapshot" FROM "{VERSION_TABLES.name}" '
                                           'WHERE "version" = ?', (number,)).fetchall():
            tables[str(name)] = read_snapshot(conn, str(name), str(snapshot))
    except sqlite3.DatabaseError as exc:
        raise PackError(f"version {number} of {Path(path).name} cannot be read ({exc}).") from exc
    finally:
        conn.close()
    return check_thawed(thaw_pack(tables, f"{path} (version {number})"), record)


def load_state(path: str | Path, number: int | None) -> tuple[PackData, str]:
    """Version ``number`` of the GeoPackage pack (``None``: its current state) and how to name it."""
    if number is None:
        pack = read_pack(path)
        return pack, state_label(pack.metadata)
    return load_version(path, number), f"version {number}"
