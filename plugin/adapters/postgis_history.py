"""The history tables of a pack in PostGIS (the audit trail and the published versions), created with the pack.

A pack published to PostGIS gets every table at once (:func:`history_tables_ddl`), so editors granted rights on
the schema's tables have rights on these too and never need ``CREATE`` (issue 20, defect 3); updating a pack's
layers moves the existing history tables into the new schema (:func:`.pack_source.publish_pack_to_postgis`), so
no audit row or version is lost unless the caller asks for it (defect 4).
"""

from __future__ import annotations

from ..core.pack.schema import (
    OPPORTUNITY_AUDIT,
    VERSION_HISTORY_TABLES,
    VERSION_ROW_STORE,
    VERSION_ROWS,
    VERSION_SNAPSHOTS,
    VERSION_TABLES,
    VERSIONS,
)

PG_TYPES = {"TEXT": "text", "REAL": "double precision", "INTEGER": "bigint", "BLOB": "bytea"}
#: Unique keys of the version tables (besides their fid). The row store has none: its rows are read by fid and a
#: publication reads the keys it shares rows by in one scan (an index on them cost more than 10 % of the rows).
UNIQUE = {VERSIONS.name: ("version",), VERSION_TABLES.name: ("version", "table_name"),
          VERSION_ROWS.name: ("snapshot", "row_fid"), VERSION_ROW_STORE.name: (), VERSION_SNAPSHOTS.name: ("snapshot",)}
#: Every history table, by name.
HISTORY_TABLE_NAMES: tuple[str, ...] = (OPPORTUNITY_AUDIT.name, *(t.name for t in VERSION_HISTORY_TABLES))


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def history_tables_ddl(schema: str) -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` statements (plain SQL, identifiers quoted) for every history table."""
    qs = quote_ident(schema)
    audit = f"{qs}.{quote_ident(OPPORTUNITY_AUDIT.name)}"
    cols = ", ".join(f"{quote_ident(c.name)} {PG_TYPES[c.sql_type]}" for c in OPPORTUNITY_AUDIT.columns)
    out = [f"CREATE TABLE IF NOT EXISTS {audit} (fid bigint PRIMARY KEY, {cols})",
           f"CREATE INDEX IF NOT EXISTS {quote_ident(OPPORTUNITY_AUDIT.name + '_feature_fid_idx')} ON {audit} "
           "(feature_fid)",
           # an audit table kept from an older version gains the columns added since (old and new geometries)
           f"ALTER TABLE {audit} " + ", ".join(f"ADD COLUMN IF NOT EXISTS {quote_ident(c.name)} {PG_TYPES[c.sql_type]}"
                                               for c in OPPORTUNITY_AUDIT.columns)]
    for spec in VERSION_HISTORY_TABLES:
        cols = ", ".join(f"{quote_ident(c.name)} {PG_TYPES[c.sql_type]}" for c in spec.columns)
        unique = ", ".join(quote_ident(c) for c in UNIQUE[spec.name])
        out.append(f"CREATE TABLE IF NOT EXISTS {qs}.{quote_ident(spec.name)} (fid bigserial PRIMARY KEY, {cols}"
                   + (f", UNIQUE ({unique}))" if unique else ")"))
    return out
