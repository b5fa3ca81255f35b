"""PostGIS set-up in the plugin (issue 20, what teams miss): lnrs:publishpacktopostgis publishes a GeoPackage pack,
updates its layers keeping the audit trail and the versions, gives the roles their privileges again, discards the
history only when told (saying what was lost) and never replaces a schema that holds no pack; run through
processing.run against the real PostGIS server."""

from __future__ import annotations

import uuid

import pytest
from lnrs_toolkit.plugin.adapters.pack_source import load_postgis_pack
from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore
from lnrs_toolkit.plugin.adapters.postgis_versions import list_postgis_versions, publish_postgis_version
from lnrs_toolkit.tests.qgis import test_postgis_roles
from lnrs_toolkit.tests.qgis.test_postgis_roles import ALICE, _check_in
from lnrs_toolkit.tests.unit.edit_packs import build_edit_pack

pytestmark = pytest.mark.postgis
roles, alice = test_postgis_roles.roles, test_postgis_roles.alice  # the owner's editor role and its connection


def _publish(connection, gpkg, schema, **extra):
    import processing

    return processing.run("lnrs:publishpacktopostgis", {"PACK": str(gpkg), "CONNECTION": connection,
                                                        "SCHEMA": schema, **extra})


def test_publish_update_keeping_history_and_regrant_roles(lnrs_provider, connection, server, alice, tmp_path):
    from qgis.core import QgsProcessingException

    gpkg = tmp_path / "lhm.gpkg"
    build_edit_pack(gpkg)
    schema = f"setup_{uuid.uuid4().hex[:10]}"
    out = _publish(connection, gpkg, schema, EDITORS=ALICE)
    pack = load_postgis_pack(connection, schema)
    assert out["CONTENT_SHA256"] == pack.metadata.content_sha256 and out["TABLES"] >= 7
    alice_conn, _reader = alice
    _check_in(alice_conn, schema, tmp_path, "Alice", "GR002", "Alice's survey")
    first = publish_postgis_version(connection, schema, "first", "Owner").version
    audit = PostgisOpportunityStore(connection, schema).audit_records()
    # a second publication to the same schema is refused unless replacing is asked for
    with pytest.raises(QgsProcessingException, match="already exists"):
        _publish(connection, gpkg, schema)
    # update the layers: history kept, Alice given her privileges again and still able to save
    out = _publish(connection, gpkg, schema, REPLACE=True, EDITORS=ALICE)
    assert out["DISCARDED"] == ""
    assert PostgisOpportunityStore(connection, schema).audit_records() == audit
    assert [v.version for v in list_postgis_versions(alice_conn, schema)] == [first]
    _check_in(alice_conn, schema, tmp_path, "Alice", "FW012", "after the update")
    # discarding is asked for only with replacing, and says what it deletes
    with pytest.raises(QgsProcessingException, match="only applies when replacing"):
        _publish(connection, gpkg, schema, DISCARD_HISTORY=True)
    assert len(PostgisOpportunityStore(connection, schema).audit_records()) == 2
    out = _publish(connection, gpkg, schema, REPLACE=True, DISCARD_HISTORY=True)
    assert out["DISCARDED"] == f"Discarding the history of the pack in schema '{schema}' deletes 2 audit rows and 1 " \
                              "published versions for good."
    assert PostgisOpportunityStore(connection, schema).audit_records() == []
    assert list_postgis_versions(connection, schema) == []


def test_a_schema_that_holds_no_pack_is_never_replaced(lnrs_provider, connection, server, tmp_path):
    from qgis.core import QgsProcessingException

    gpkg = tmp_path / "lhm.gpkg"
    build_edit_pack(gpkg)
    schema = f"mine_{uuid.uuid4().hex[:10]}"
    server.run_sql(f"CREATE SCHEMA {schema}; CREATE TABLE {schema}.my_work (id int); "
                   f"INSERT INTO {schema}.my_work VALUES (7)")
    with pytest.raises(QgsProcessingException, match="holds no Local Habitat Map pack"):
        _publish(connection, gpkg, schema, REPLACE=True)
    assert server.run_sql(f"SELECT id FROM {schema}.my_work") == "7"
