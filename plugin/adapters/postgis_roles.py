"""Editor and reader roles of a pack in PostGIS: privileges on every table, now and later (issue 20, defect 3).

:func:`grant_pack_roles` (the Processing algorithm ``lnrs:setuppostgisroles``), run by the pack's owner:

- creates the history tables a pack published by an older version lacks (the audit trail, the versions), so no
  editor ever needs ``CREATE``;
- readers: ``USAGE`` on the schema and ``SELECT`` on every table;
- editors: also ``INSERT``, ``UPDATE``, ``DELETE`` on every table and ``USAGE``, ``SELECT`` on its sequences (the
  version tables number their rows), so they can check in, see the audit trail and publish versions;
- the same as default privileges of the owner in the schema, so tables the owner creates later are covered too.

Every identifier goes through ``psycopg2.sql.Identifier``; the roles must exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import InputError, PackError
from .pack_source import _check_schema, _scrub, require_pack_schema
from .pg_connection import _psycopg2, pg_connect, pg_tables
from .postgis_history import HISTORY_TABLE_NAMES, history_tables_ddl

EDITOR_TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"


def tr(message: str) -> str:
    return str(QCoreApplication.translate("PostgisRoles", message))


@dataclass(frozen=True)
class RoleGrants:
    schema: str
    editors: tuple[str, ...]
    readers: tuple[str, ...]
    tables: tuple[str, ...]          # the tables of the schema now covered
    created: tuple[str, ...] = ()    # history tables created now


def _roles(text: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.strip() for r in text if r and r.strip()))


def grant_pack_roles(connection_name: str, schema: str, editors: Sequence[str] = (),
                     readers: Sequence[str] = ()) -> RoleGrants:
    """Give ``editors`` and ``readers`` their privileges on the pack in ``schema`` (one transaction)."""
    _check_schema(schema)
    editors, readers = _roles(editors), _roles(readers)
    if not editors and not readers:
        raise InputError(tr("Name at least one editor or reader role."))
    psycopg2 = _psycopg2()
    sql = psycopg2.sql
    with pg_connect(connection_name) as conn:
        try:
            with conn.cursor() as cur:
                tables = pg_tables(cur, schema)
                require_pack_schema(tables, connection_name, schema)
                cur.execute("SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY(%s)",
                            (list({*editors, *readers}),))
                known = {str(r[0]) for r in cur.fetchall()}
                missing = [r for r in (*editors, *readers) if r not in known]
                if missing:
                    raise InputError(tr("The database has no role {0}; create it first (CREATE ROLE … LOGIN) or check "
                                        "the spelling.").format(", ".join(missing)))
                created = tuple(t for t in HISTORY_TABLE_NAMES if t not in tables)
                if created:
                    for statement in history_tables_ddl(schema):
                        cur.execute(statement)
                s = sql.Identifier(schema)
                for role, rights in [*((r, EDITOR_TABLE_RIGHTS) for r in editors), *((r, "SELECT") for r in readers)]:
                    who = sql.Identifier(role)
                    cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, who))
                    cur.execute(sql.SQL("GRANT " + rights + " ON ALL TABLES IN SCHEMA {} TO {}").format(s, who))
                    cur.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT " + rights
                                        + " ON TABLES TO {}").format(s, who))
                    if rights == EDITOR_TABLE_RIGHTS:
                        cur.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, who))
                        cur.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT USAGE, SELECT ON SEQUENCES "
                                            "TO {}").format(s, who))
                now = tuple(sorted(pg_tables(cur, schema)))
            conn.commit()
        except psycopg2.Error as exc:
            conn.rollback()
            raise PackError(tr("The roles of the pack in schema '{0}' could not be set up: {1}. Run this as the "
                               "pack's owner (the role that published it).").format(schema, _scrub(str(exc)))) from None
        except BaseException:
            conn.rollback()
            raise
    return RoleGrants(schema, editors, readers, now, created)
