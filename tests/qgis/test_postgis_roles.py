"""PostGIS packs for several roles (issue 20, defects 3 and 4), against a real PostgreSQL + PostGIS with an owner,
an editor and a reader: every table exists once the pack is published, lnrs:setuppostgisroles gives the roles
their privileges (tables made later included), a missing privilege is told as one (never as missing data), and
updating the pack's layers keeps the audit trail and the versions unless the owner asks to discard them."""

from __future__ import annotations

import uuid

import pytest
from lnrs_toolkit.plugin.adapters.pack_source import (
    PackSource,
    load_postgis_pack,
    postgis_history_summary,
    publish_pack_to_postgis,
)
from lnrs_toolkit.plugin.adapters.postgis_history import HISTORY_TABLE_NAMES
from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore
from lnrs_toolkit.plugin.adapters.postgis_versions import list_postgis_versions, publish_postgis_version
from lnrs_toolkit.plugin.core.editing.checkin import save_edits
from lnrs_toolkit.plugin.core.editing.working_copy import check_out
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.tests.unit.edit_packs import build_edit_pack, row_fid, set_row

pytestmark = pytest.mark.postgis

ALICE, READER = "lnrs_alice", "lnrs_reader"
PASSWORDS = {ALICE: "alice-test-password", READER: "reader-test-password"}  # throwaway roles, throwaway server


@pytest.fixture(scope="module")
def roles(server):
    for role, password in PASSWORDS.items():
        if server.run_sql(f"SELECT count(*) FROM pg_roles WHERE rolname = '{role}'") == "0":
            server.run_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    return ALICE, READER


@pytest.fixture()
def alice(qgis_app, server, roles):
    from lnrs_toolkit.tests.qgis.conftest import drop_pg_connection, save_pg_connection

    authcfgs = {name: save_pg_connection(server, f"lnrs-test-{name}", user=name, password=PASSWORDS[name])
                for name in (ALICE, READER)}
    yield f"lnrs-test-{ALICE}", f"lnrs-test-{READER}"
    for name, cfg in authcfgs.items():
        drop_pg_connection(f"lnrs-test-{name}", cfg)


@pytest.fixture()
def published(connection, server, tmp_path):
    gpkg = tmp_path / "lhm.gpkg"
    build_edit_pack(gpkg)
    schema = f"roles_{uuid.uuid4().hex[:10]}"
    publish_pack_to_postgis(gpkg, connection, schema)
    return schema, gpkg


def _check_in(connection_name, schema, tmp_path, name, measures, reason):
    copy = check_out(load_postgis_pack(connection_name, schema), str(PackSource.postgis(connection_name, schema)),
                     tmp_path / f"{uuid.uuid4().hex}.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures=measures)
    result = save_edits(PostgisOpportunityStore(connection_name, schema), copy.edits(), reason=reason, user=name,
                        pack=load_postgis_pack(connection_name, schema))
    copy.after_save(result)
    return result


def test_publishing_creates_every_table(server, published):
    schema, _ = published
    tables = set(server.run_sql(f"SELECT tablename FROM pg_tables WHERE schemaname = '{schema}'").split())
    assert set(HISTORY_TABLE_NAMES) <= tables


def test_roles_set_up_by_the_owner_let_editors_edit_and_readers_read(lnrs_provider, connection, server, alice,
                                                                     published, tmp_path):
    import processing

    schema, _ = published
    alice_conn, reader_conn = alice
    # before the owner grants anything: a permission problem, worded as one
    with pytest.raises(PackError, match="You cannot read the audit table of the pack .*lnrs:setuppostgisroles"):
        PostgisOpportunityStore(alice_conn, schema).audit_records()
    out = processing.run("lnrs:setuppostgisroles", {"PACK": f"postgis:{connection}/{schema}",
                                                    "EDITORS": ALICE, "READERS": READER})
    assert out["TABLES"] >= 7
    # the owner's check-in and version; then Alice sees both and saves over the owner's change
    _check_in(connection, schema, tmp_path, "Owner", "GR002", "owner's survey")
    first = publish_postgis_version(connection, schema, "first", "Owner").version
    assert [v.version for v in list_postgis_versions(alice_conn, schema)] == [first]
    records = PostgisOpportunityStore(alice_conn, schema).audit_records()
    assert [(r.fid, r.reason) for r in records] == [(1, "owner's survey")]
    _check_in(alice_conn, schema, tmp_path, "Alice", "FW012", "Alice's survey")
    assert [r.edited_by for r in PostgisOpportunityStore(connection, schema).audit_records()][-1] == ALICE + " (Alice)"
    # a table the owner creates later is covered by the default privileges
    server.run_sql(f"CREATE TABLE {schema}.later (id int); INSERT INTO {schema}.later VALUES (1)")
    # the reader reads but cannot save: told as a permission problem
    assert [v.version for v in list_postgis_versions(reader_conn, schema)] == [first]
    with pytest.raises(PackError, match="Nothing was saved. You cannot save .*lnrs:setuppostgisroles"):
        _check_in(reader_conn, schema, tmp_path, "Reader", "WD001", "not allowed")
    privileges = server.run_sql(f"SELECT has_table_privilege('{ALICE}', '{schema}.later', 'UPDATE')::text || "
                                f"has_table_privilege('{READER}', '{schema}.later', 'SELECT')::text || "
                                f"has_table_privilege('{READER}', '{schema}.later', 'UPDATE')::text")
    assert privileges == "truetruefalse"


def test_updating_a_pack_keeps_its_history_unless_told_to_discard_it(connection, server, published, tmp_path):
    schema, gpkg = published
    _check_in(connection, schema, tmp_path, "Owner", "GR002", "first survey")
    _check_in(connection, schema, tmp_path, "Owner", "FW012", "second survey")
    first = publish_postgis_version(connection, schema, "first", "Owner").version
    audit = PostgisOpportunityStore(connection, schema).audit_records()
    assert len(audit) == 2
    # update the layers from the GeoPackage: the audit rows and the version stay
    publish_pack_to_postgis(gpkg, connection, schema, replace_existing=True)
    assert PostgisOpportunityStore(connection, schema).audit_records() == audit
    assert [v.version for v in list_postgis_versions(connection, schema)] == [first]
    assert load_postgis_pack(connection, schema).metadata.content_sha256
    # discarding is explicit and says what it loses
    lost = postgis_history_summary(connection, schema)
    assert lost == f"Discarding the history of the pack in schema '{schema}' deletes 2 audit rows and 1 published " \
                  "versions for good."
    publish_pack_to_postgis(gpkg, connection, schema, replace_existing=True, discard_history=True)
    assert PostgisOpportunityStore(connection, schema).audit_records() == []
    assert list_postgis_versions(connection, schema) == []
    assert postgis_history_summary(connection, schema) == ""
