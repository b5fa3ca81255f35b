"""Reading a PostGIS pack through a saved QGIS connection, every read bounded in time.

A pack schema may hold what another tool or SQL typed by hand put there: a table locked by another program, a
query that never ends, a geometry nested thousands of collections deep. So every read here runs with a
``statement_timeout`` (:data:`READ_TIMEOUT_S`, ``SET LOCAL`` in the statement's own transaction, so nothing else
on QGIS's shared connection is limited), a read that runs out of time is one sentence naming the table
(:func:`timeout_sentence`), and the pack's geometries are fetched as WKB and walked
(:func:`..core.pack.integrity.decoded_wkbs`) before QGIS or GEOS decode them.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import shapely
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import PackError
from ..core.pack.integrity import decoded_wkbs, geometry_problem
from ..core.pack.model import PackLayer
from ..core.pack.schema import TableSpec
from .layer_rows import plain

#: Longest a single read of a pack may take (seconds) before it is stopped with a sentence. A module setting so
#: the tests can shorten it.
READ_TIMEOUT_S = 120.0
#: What PostgreSQL says when it stops a statement at its ``statement_timeout`` (SQLSTATE 57014).
_TIMED_OUT = "canceling statement due to statement timeout"


def tr(message: str) -> str:
    return str(QCoreApplication.translate("PostgisReads", message))


def scrub(message: str) -> str:
    """Drop anything that looks like a password from a server/provider message."""
    return re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", message, flags=re.IGNORECASE).strip()


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def timeout_ms() -> int:
    return max(1, int(READ_TIMEOUT_S * 1000))


def table_name(schema: str, name: str) -> str:
    """How a sentence names one table of a pack."""
    return tr("table '{0}.{1}'").format(schema, name)


def tables_in_schema(schema: str) -> str:
    """How a sentence names the tables of a pack read at once."""
    return tr("tables in schema '{0}'").format(schema)


def timeout_sentence(table: str) -> str:
    """The sentence for a read of ``table`` (:func:`table_name`) that PostgreSQL stopped at the time limit."""
    return tr("Reading the pack's {0} took longer than {1:g} s and was stopped, so the pack was not used: the "
              "table may be locked by another program, or be a view or a function that does not end. Ask the "
              "pack's owner to check it (or republish the pack), then try again.").format(table, READ_TIMEOUT_S)


def timed_out(exc: BaseException) -> bool:
    """True when ``exc`` (QGIS's or psycopg2's) is PostgreSQL stopping a statement at its time limit."""
    return getattr(exc, "pgcode", None) == "57014" or _TIMED_OUT in str(exc)


def execute(conn: Any, sql: str, what: str) -> list[list[Any]]:
    """Run ``sql`` on a QGIS provider connection (no time limit: writes); a refusal is a :class:`PackError`."""
    try:
        return list(conn.executeSql(sql))
    except Exception as exc:  # QgsProviderConnectionException carries the server's message
        raise PackError(tr("The database refused to {0}: {1}").format(what, scrub(str(exc)))) from exc


def read(conn: Any, sql: str, what: str, table: str) -> list[list[Any]]:
    """Run the query ``sql`` within :data:`READ_TIMEOUT_S`; running out of time is a sentence naming ``table``
    (as :func:`table_name` gives it)."""
    try:
        return list(conn.executeSql(f"SET LOCAL statement_timeout = {timeout_ms()}; {sql}"))
    except Exception as exc:
        if timed_out(exc):
            raise PackError(timeout_sentence(table)) from None
        raise PackError(tr("The database refused to {0}: {1}").format(what, scrub(str(exc)))) from exc


def table_columns(conn: Any, schema: str, table: str) -> set[str]:
    """The columns of ``schema.table`` from the catalogue."""
    rows = read(conn, "SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = "
                "a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                f"{literal(schema)} AND c.relname = {literal(table)} AND a.attnum > 0 AND NOT a.attisdropped",
                tr("list the columns of {0}.{1}").format(schema, table), table_name(schema, table))
    return {str(plain(r[0])) for r in rows}


def require_columns(schema: str, spec: TableSpec, present: set[str]) -> None:
    """Refuse a pack table that lacks a column the plugin needs (optional columns are NULL in older packs)."""
    required = [c.name for c in spec.columns if not c.optional]
    missing = [c for c in ("fid", *(["geom"] if spec.is_spatial else []), *required) if c not in present]
    if missing:
        raise PackError(tr("The table {0}.{1} lacks the column(s) {2}; republish the pack.").format(
            schema, spec.name, ", ".join(missing)))


def read_postgis_layer(conn: Any, schema: str, spec: TableSpec) -> PackLayer:
    """One pack table of ``schema`` (ordered by fid; geometries 2D), read within the time limit; geometries that
    cannot be decoded (damaged, nested too deep) leave the layer with its reason in ``problems``."""
    present = table_columns(conn, schema, spec.name)
    require_columns(schema, spec, present)
    geom = "encode(ST_AsBinary(geom), 'hex')" if spec.is_spatial else "NULL"
    cols = ", ".join(quote_ident(c) if c in present else "NULL" for c in spec.column_names)
    rows = read(conn, f"SELECT fid, {geom}, {cols} FROM {quote_ident(schema)}.{quote_ident(spec.name)} ORDER BY fid",
                tr("read the table {0}.{1}").format(schema, spec.name), table_name(schema, spec.name))
    columns = {c: [plain(r[2 + i]) for r in rows] for i, c in enumerate(spec.column_names)}
    fids = np.array([int(plain(r[0])) for r in rows], dtype=np.int64)
    if not spec.is_spatial:
        return PackLayer(spec, fids, None, columns)
    wkbs = [None if plain(r[1]) is None else bytes.fromhex(str(plain(r[1]))) for r in rows]
    geoms, undecodable = decoded_wkbs(wkbs)
    geoms = shapely.force_2d(geoms) if len(geoms) else geoms
    geoms[shapely.is_empty(geoms)] = None  # as QGIS's provider gave them: an empty geometry is no geometry
    problem = geometry_problem(spec, geoms, undecodable, len(rows))
    return PackLayer(spec, fids, geoms, columns, () if problem is None else (problem,))
