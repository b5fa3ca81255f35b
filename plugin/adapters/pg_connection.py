"""A psycopg2 connection for a saved QGIS PostgreSQL connection, for writes that need real transactions.

Reading a pack goes through QGIS's providers (:mod:`.pack_source`). Writing edits, audit rows and
versions needs parameterised SQL inside one transaction with row locks, which QGIS 3.22's
connection API does not offer; this module opens a psycopg2 connection instead.

Credentials come only from QGIS's authentication manager: the saved connection's ``authcfg`` is
expanded in memory for the duration of ``connect`` and never logged, stored or put in a message.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import shapely
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsDataSourceUri
from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import PackError
from ..core.pack.integrity import decoded_wkbs, geometry_problem
from ..core.pack.model import PackLayer
from ..core.pack.schema import METADATA, TableSpec
from .pack_source import _scrub, postgres_connection
from .postgis_reads import require_columns, table_name, timed_out, timeout_ms, timeout_sentence


def tr(message: str) -> str:
    return str(QCoreApplication.translate("PgConnection", message))


def _psycopg2() -> Any:
    try:
        import psycopg2
        import psycopg2.sql  # makes psycopg2.sql available
    except ImportError as exc:  # pragma: no cover - Debian's python3-psycopg2 is a setup requirement
        raise PackError(tr("Editing a PostGIS pack needs the Python module psycopg2 (Debian/Ubuntu: "
                           "apt install python3-psycopg2; the OSGeo4W and macOS QGIS installers include it)."))\
            from exc
    return psycopg2


#: QGIS's provider registry and auth manager are not safe to call from several threads at once (check-ins run
#: in QgsTasks; a segfault was seen with three at a time), so looking up a saved connection is serialised.
_QGIS_LOOKUP = threading.Lock()


def connection_parameters(connection_name: str) -> dict[str, Any]:
    """libpq keyword parameters of the saved connection, credentials expanded from its authcfg in memory."""
    with _QGIS_LOOKUP:
        return _connection_parameters(connection_name)


def _connection_parameters(connection_name: str) -> dict[str, Any]:
    saved = postgres_connection(connection_name)
    uri = QgsDataSourceUri(saved.uri())
    if uri.authConfigId():
        expanded = _expand_authcfg(uri)
        if expanded is None:
            raise PackError(tr("The authentication configuration of the connection '{0}' cannot be read; unlock "
                               "QGIS's authentication database (master password) and try again.").format(
                connection_name))
        uri = expanded
    # every statement bounded in time (a read of a locked table or an endless view stops with a sentence)
    params: dict[str, Any] = {"connect_timeout": 10, "application_name": "LNRS Toolkit",
                              "options": f"-c statement_timeout={timeout_ms()}"}
    if uri.service():
        params["service"] = uri.service()
    for key, value in (("host", uri.host()), ("port", uri.port()), ("dbname", uri.database()),
                       ("user", uri.username()), ("password", uri.password())):
        if value:
            params[key] = value
    mode = uri.sslMode()
    ssl = {QgsDataSourceUri.SslMode.SslDisable: "disable", QgsDataSourceUri.SslMode.SslAllow: "allow",
           QgsDataSourceUri.SslMode.SslPrefer: "prefer", QgsDataSourceUri.SslMode.SslRequire: "require",
           QgsDataSourceUri.SslMode.SslVerifyCa: "verify-ca",
           QgsDataSourceUri.SslMode.SslVerifyFull: "verify-full"}.get(mode)
    if ssl:
        params["sslmode"] = ssl
    return params


def _expand_authcfg(uri: QgsDataSourceUri) -> QgsDataSourceUri | None:
    """A copy of ``uri`` with the user name and password of its auth configuration filled in."""
    cfg = QgsAuthMethodConfig()
    if not QgsApplication.authManager().loadAuthenticationConfig(uri.authConfigId(), cfg, True):
        return None
    user, password = cfg.config("username"), cfg.config("password")
    if not user and not password:
        return None
    out = QgsDataSourceUri(uri.uri(False))
    out.setAuthConfigId("")
    out.setUsername(user)
    out.setPassword(password)
    return out


def pg_open(connection_name: str, **extra: Any) -> Any:
    """A new psycopg2 connection (autocommit off) for the saved connection; the caller closes it. ``extra``: more
    libpq parameters (e.g. keepalives)."""
    psycopg2 = _psycopg2()
    params = {**connection_parameters(connection_name), **extra}
    try:
        return psycopg2.connect(**params)
    except psycopg2.Error as exc:
        raise PackError(tr("Cannot connect to the database of connection '{0}': {1}").format(
            connection_name, _scrub(str(exc)).replace(str(params.get("password", "\0")), "***"))) from None


@contextlib.contextmanager
def pg_connect(connection_name: str) -> Iterator[Any]:
    """A psycopg2 connection (autocommit off) for the saved connection; closed on exit."""
    conn = pg_open(connection_name)
    try:
        yield conn
    finally:
        with contextlib.suppress(Exception):
            conn.close()


def quote_ident(name: str) -> Any:
    """A psycopg2 ``sql.Identifier`` (compose statements with ``psycopg2.sql.SQL(...).format``)."""
    return _psycopg2().sql.Identifier(name)


# --------------------------------------------------------------------------- pack tables read inside a transaction
def pg_table(schema: str, name: str) -> Any:
    """``"schema"."name"`` as a composable psycopg2 identifier."""
    sql = _psycopg2().sql
    return sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(name))


#: Every table of a schema from the catalogue, whatever the role may read (information_schema hides the tables a
#: role has no privilege on, which would turn "you may not read it" into "it does not exist").
_TABLES_SQL = ("SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
               "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')")

#: Insufficient privilege: the role may not read or write a table.
PERMISSION_DENIED = "42501"


def pg_tables(cur: Any, schema: str) -> set[str]:
    cur.execute(_TABLES_SQL, (schema,))
    return {str(r[0]) for r in cur.fetchall()}


def pg_columns(cur: Any, schema: str, table: str) -> set[str]:
    """The columns of ``schema.table`` from the catalogue (whatever the role may read)."""
    cur.execute("SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s "
                "AND a.attnum > 0 AND NOT a.attisdropped", (schema, table))
    return {str(r[0]) for r in cur.fetchall()}


def permission_problem(what: str, source: str) -> str:
    """A permission problem worded as one, with who can fix it and how."""
    return tr("You cannot {0} of the pack {1}: your database role has no privilege on it. Ask the pack's owner to run "
              "LNRS Toolkit ▸ Local Habitat Map packs ▸ Set up PostGIS roles for a pack "
              "(lnrs:setuppostgisroles) for your role.").format(what, source)


def pg_read_metadata(cur: Any, schema: str) -> dict[str, str]:
    psycopg2 = _psycopg2()
    sql = psycopg2.sql
    try:
        cur.execute(sql.SQL("SELECT {}, {} FROM {}").format(sql.Identifier("key"), sql.Identifier("value"),
                                                              pg_table(schema, METADATA.name)))
        rows = cur.fetchall()
    except psycopg2.Error as exc:
        if timed_out(exc):
            raise PackError(timeout_sentence(table_name(schema, METADATA.name))) from None
        raise
    return {str(k): "" if v is None else str(v) for k, v in rows}


def pg_read_layer(cur: Any, schema: str, spec: TableSpec, where: Any = None, params: tuple[Any, ...] = ()) -> PackLayer:
    """One pack table of ``schema`` as a :class:`PackLayer` (2D geometries, ordered by fid); ``where``: a
    psycopg2 ``sql`` condition (with ``params``) selecting some rows."""
    sql = _psycopg2().sql
    present = pg_columns(cur, schema, spec.name)
    require_columns(schema, spec, present)
    geom = sql.SQL("ST_AsBinary({})").format(sql.Identifier("geom")) if spec.is_spatial else sql.SQL("NULL")
    try:
        cur.execute(sql.SQL("SELECT {}, {}, {} FROM {} WHERE {} ORDER BY {}").format(
            sql.Identifier("fid"), geom, sql.SQL(", ").join(sql.Identifier(c) if c in present else sql.SQL("NULL")
                                                for c in spec.column_names),
            pg_table(schema, spec.name), where if where is not None else sql.SQL("TRUE"), sql.Identifier("fid")),
            params)
        rows = cur.fetchall()
    except _psycopg2().Error as exc:
        if timed_out(exc):
            raise PackError(timeout_sentence(table_name(schema, spec.name))) from None
        raise
    columns = {c: [r[2 + i] for r in rows] for i, c in enumerate(spec.column_names)}
    fids = np.array([int(r[0]) for r in rows], dtype=np.int64)
    if not spec.is_spatial:
        return PackLayer(spec, fids, None, columns)
    # walked before GEOS decodes them (a geometry nested thousands of collections deep crashes GEOS), made 2D here
    geoms, undecodable = decoded_wkbs([None if r[1] is None else bytes(r[1]) for r in rows])
    geoms = shapely.force_2d(geoms) if len(geoms) else geoms
    problem = geometry_problem(spec, geoms, undecodable, len(rows))
    return PackLayer(spec, fids, geoms, columns, () if problem is None else (problem,))
