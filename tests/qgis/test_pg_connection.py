"""psycopg2 connections from a saved QGIS connection: credentials only from the auth manager."""

from __future__ import annotations

import pytest
from lnrs_toolkit.plugin.adapters.pg_connection import connection_parameters, pg_connect
from lnrs_toolkit.plugin.core.errors import PackError


@pytest.mark.postgis
def test_connects_with_credentials_from_the_auth_manager(connection, server):
    params = connection_parameters(connection)
    assert params["user"] == server.user and params["password"] == server.password
    with pg_connect(connection) as conn, conn.cursor() as cur:
        cur.execute("SELECT current_user, PostGIS_Version() IS NOT NULL")
        assert cur.fetchone() == (server.user, True)


@pytest.mark.postgis
def test_unknown_connection_and_wrong_password_are_clear(qgis_app, server):
    from lnrs_toolkit.tests.qgis.conftest import drop_pg_connection, save_pg_connection

    with pytest.raises(PackError, match="no saved PostgreSQL connection called 'nope'"):
        connection_parameters("nope")
    authcfg = save_pg_connection(server, "lnrs-bad-password", password="not-the-password")
    try:
        with pytest.raises(PackError, match="Cannot connect") as info, pg_connect("lnrs-bad-password"):
            pass
        assert "not-the-password" not in str(info.value)
    finally:
        drop_pg_connection("lnrs-bad-password", authcfg)
