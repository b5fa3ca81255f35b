"""Several editors of one pack in PostGIS (issue 7): two editing sessions as two database roles, each with its own
working copy, against a real PostgreSQL + PostGIS. Edits to different features both land; the same feature is a
conflict told to the second editor (what changed, who, when, why), resolved without losing either edit; concurrent
check-ins are serialised; a check-in killed before its commit loses nothing (issue 8)."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import pytest
import shapely
from lnrs_toolkit.plugin.adapters.pack_source import PackSource, load_postgis_pack, publish_pack_to_postgis
from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore
from lnrs_toolkit.plugin.core.editing.checkin import EditConflict, save_edits
from lnrs_toolkit.plugin.core.editing.opportunity_feature import geometry_sha256
from lnrs_toolkit.plugin.core.editing.working_copy import check_out
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.tests.unit.edit_packs import (
    AREA_GEOMS,
    X0,
    Y0,
    add_row,
    build_edit_pack,
    delete_row,
    row_fid,
    set_row,
)
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"
EDITOR2 = "lnrs_editor2"
EDITOR2_PASSWORD = "editor2-test-password"  # a throwaway role on the throwaway test server
EDITOR2_CONNECTION = "lnrs-test-postgis-editor2"

pytestmark = pytest.mark.postgis


@pytest.fixture(scope="module")
def editor2_role(server):
    exists = server.run_sql(f"SELECT count(*) FROM pg_roles WHERE rolname = '{EDITOR2}'")
    if exists == "0":
        server.run_sql(f"CREATE ROLE {EDITOR2} LOGIN PASSWORD '{EDITOR2_PASSWORD}'")
    return EDITOR2


@pytest.fixture()
def editor2(qgis_app, server, editor2_role):
    from lnrs_toolkit.tests.qgis.conftest import drop_pg_connection, save_pg_connection

    authcfg = save_pg_connection(server, EDITOR2_CONNECTION, user=editor2_role, password=EDITOR2_PASSWORD)
    yield EDITOR2_CONNECTION
    drop_pg_connection(EDITOR2_CONNECTION, authcfg)


@pytest.fixture()
def pg_pack(connection, server, editor2_role, tmp_path):
    """A pack published to a fresh schema; the owner creates the audit table, editor2 may edit."""
    gpkg = tmp_path / "lhm.gpkg"
    build_edit_pack(gpkg)
    schema = f"edit_{uuid.uuid4().hex[:10]}"
    publish_pack_to_postgis(gpkg, connection, schema)
    PostgisOpportunityStore(connection, schema).ensure_audit_table()
    server.run_sql(f"GRANT USAGE ON SCHEMA {schema} TO {editor2_role}; "
                   f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {editor2_role}")
    return schema, gpkg


def session(connection_name, schema, path):
    """One editor: a working copy checked out through their own saved connection, and their store."""
    pack = load_postgis_pack(connection_name, schema)
    copy = check_out(pack, str(PackSource.postgis(connection_name, schema)), path)
    return copy, PostgisOpportunityStore(connection_name, schema)


def check_in(connection_name, schema, copy, store, user, reason, **kw):
    result = save_edits(store, copy.edits(), reason=reason, user=user, pack=load_postgis_pack(connection_name, schema),
                        **kw)
    copy.after_save(result)
    return result


def areas(connection_name, schema):
    layer = load_postgis_pack(connection_name, schema).layers["opportunity_areas"]
    return {int(f): (layer.columns["measures"][i], layer.columns["name"][i], layer.geoms[i])
            for i, f in enumerate(layer.fids)}


def assert_hash_is_current(connection_name, schema):
    pack = load_postgis_pack(connection_name, schema)
    # load_postgis_pack recomputes the hash and notes a stale stored one in 'published_content_sha256' extra;
    # after a check-in the stored hash is exact
    stored = dict(pack.metadata.extra).get("published_content_sha256")
    assert pack.metadata.content_sha256 == content_hash(pack)
    return stored


def stored_meta(server, schema):
    rows = server.run_sql(f"SELECT key || '=' || coalesce(value, '') FROM {schema}.pack_metadata").splitlines()
    return dict(r.split("=", 1) for r in rows)


def test_two_editors_on_different_features_both_land(connection, editor2, server, pg_pack, tmp_path):
    schema, _ = pg_pack
    published = stored_meta(server, schema)["content_sha256"]
    alice, alice_store = session(connection, schema, tmp_path / "alice.gpkg")
    bob, bob_store = session(editor2, schema, tmp_path / "bob.gpkg")
    set_row(alice.path, row_fid(alice.path, 1), measures="{WD001,GR002}")
    alice_new = add_row(alice.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "Alice's meadow")
    moved = box(X0 + 1000, Y0 + 50, X0 + 1400, Y0 + 350)
    set_row(bob.path, row_fid(bob.path, 2), geom=shapely.multipolygons([moved]))
    delete_row(bob.path, row_fid(bob.path, 3))
    bob_new = add_row(bob.path, box(X0, Y0 + 4000, X0 + 200, Y0 + 4200), "{WD001}", "Bob's wood")

    ra = check_in(connection, schema, alice, alice_store, "Alice", "Survey 2025")
    rb = check_in(editor2, schema, bob, bob_store, "Bob", "River realigned")

    assert ra.new_fids == {str(alice_new): 4} and rb.new_fids == {str(bob_new): 5}
    now = areas(connection, schema)
    assert sorted(now) == [1, 2, 4, 5]
    assert now[1][0] == "WD001;GR002" and now[2][2].equals(moved) and now[2][0] == "GR002;FW012"
    assert now[4][:2] == ("GR002", "Alice's meadow") and now[5][:2] == ("WD001", "Bob's wood")
    audit = alice_store.audit_records()
    assert [(r.fid, r.action, r.edited_by, r.reason) for r in audit] == [
        (1, "update", f"{server.user} (Alice)", "Survey 2025"), (4, "insert", f"{server.user} (Alice)", "Survey 2025"),
        (2, "update", f"{EDITOR2} (Bob)", "River realigned"), (3, "delete", f"{EDITOR2} (Bob)", "River realigned"),
        (5, "insert", f"{EDITOR2} (Bob)", "River realigned")]
    assert audit[2].new_geom_sha256 == geometry_sha256(moved) != audit[2].old_geom_sha256
    assert audit[3].old_measures == "WD001;GR002" and audit[3].new_measures == ""
    assert len({r.session for r in audit}) == 2 and all(r.edited_at.endswith("Z") for r in audit)
    # the stored hash is the hash of what is there; the published one is kept
    meta = stored_meta(server, schema)
    assert meta["content_sha256"] == rb.content_sha256
    assert meta["published_content_sha256"] == published
    assert load_postgis_pack(connection, schema).metadata.content_sha256 == rb.content_sha256
    assert alice.edits() == [] and bob.edits() == []


def test_same_feature_conflict_is_told_to_the_second_editor_and_resolved(connection, editor2, server, pg_pack,
                                                                         tmp_path):
    schema, _ = pg_pack
    alice, alice_store = session(connection, schema, tmp_path / "alice.gpkg")
    bob, bob_store = session(editor2, schema, tmp_path / "bob.gpkg")
    set_row(alice.path, row_fid(alice.path, 1), measures="{WD001,GR002}")
    set_row(alice.path, row_fid(alice.path, 2), name="River corridor (Alice)")
    check_in(connection, schema, alice, alice_store, "Alice", "Hedgerow survey")
    after_alice = stored_meta(server, schema)["content_sha256"]

    set_row(bob.path, row_fid(bob.path, 1), measures="{FW012}")
    set_row(bob.path, row_fid(bob.path, 2), name="River corridor (Bob)")  # the same field as Alice: asked
    set_row(bob.path, row_fid(bob.path, 3), name="Hill wood (Bob)")  # no conflict here
    with pytest.raises(EditConflict) as info:
        check_in(editor2, schema, bob, bob_store, "Bob", "Wet woodland")
    # nothing of Bob's was written, not even the feature without conflict
    assert stored_meta(server, schema)["content_sha256"] == after_alice
    assert areas(connection, schema)[3][1] == "Hill wood"
    conflicts = {c.edit.fid: c for c in info.value.conflicts}
    assert sorted(conflicts) == [1, 2]
    first = conflicts[1].message
    assert "Opportunity area 1 ‘Bath meadows’" in first
    assert "measures went from WD001 to WD001;GR002" in first and "geometry did not change" in first
    assert f"by {server.user} (Alice)" in first and "Hedgerow survey" in first
    assert "name went from ‘River corridor’ to ‘River corridor (Alice)’" in conflicts[2].message
    assert len(bob.edits()) == 3  # Bob's working copy still holds all three

    # Bob keeps his measures on area 1 and takes Alice's version of area 2
    result = check_in(editor2, schema, bob, bob_store, "Bob", "Wet woodland",
                      resolutions={conflicts[1].edit.key: "mine", conflicts[2].edit.key: "theirs"})
    assert result.applied == 2
    bob.take_theirs(2, conflicts[2].current)
    assert bob.edits() == []
    now = areas(connection, schema)
    assert now[1][0] == "FW012" and now[2][1] == "River corridor (Alice)" and now[3][1] == "Hill wood (Bob)"
    audit = bob_store.audit_records(1)
    assert [(r.edited_by, r.old_measures, r.new_measures) for r in audit] == [
        (f"{server.user} (Alice)", "WD001", "WD001;GR002"), (f"{EDITOR2} (Bob)", "WD001;GR002", "FW012")]
    # nothing lost: Alice's change to area 2 stands, and both her and Bob's changes are in the audit trail
    assert [r.fid for r in bob_store.audit_records()] == [1, 2, 1, 3]
    assert_hash_is_current(connection, schema)
    assert stored_meta(server, schema)["content_sha256"] == result.content_sha256


class StallingStore(PostgisOpportunityStore):
    """Holds its transaction open after reading (and locking) the edited rows until told to go on."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.locked = threading.Event()
        self.go_on = threading.Event()

    @contextlib.contextmanager
    def transaction(self):
        with super().transaction() as tx:
            real = tx.lock_features

            def lock_features(fids):
                out = real(fids)
                self.locked.set()
                assert self.go_on.wait(60)
                return out

            tx.lock_features = lock_features
            yield tx


def test_concurrent_check_ins_are_serialised_and_lose_no_update(connection, editor2, server, pg_pack, tmp_path):
    schema, _ = pg_pack
    alice, _ = session(connection, schema, tmp_path / "alice.gpkg")
    bob, bob_store = session(editor2, schema, tmp_path / "bob.gpkg")
    carol, carol_store = session(editor2, schema, tmp_path / "carol.gpkg")
    set_row(alice.path, row_fid(alice.path, 1), measures="{WD001,GR002}")
    add_row(alice.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "Alice's meadow")
    set_row(bob.path, row_fid(bob.path, 1), measures="{FW012}")  # the same feature, from the same base
    set_row(carol.path, row_fid(carol.path, 3), name="Hill wood (Carol)")  # another feature
    add_row(carol.path, box(X0, Y0 + 4000, X0 + 200, Y0 + 4200), "{WD001}", "Carol's wood")
    pack = load_postgis_pack(connection, schema)
    alice_store = StallingStore(connection, schema)
    outcome: dict[str, object] = {}

    def run(name, store, copy, user):
        try:
            outcome[name] = save_edits(store, copy.edits(), reason=f"{name} at once", user=user, pack=pack)
        except Exception as exc:  # noqa: BLE001 - checked below
            outcome[name] = exc

    threads = {"alice": threading.Thread(target=run, args=("alice", alice_store, alice, "Alice"))}
    threads["alice"].start()
    assert alice_store.locked.wait(60)  # Alice's check-in holds its locks
    threads["bob"] = threading.Thread(target=run, args=("bob", bob_store, bob, "Bob"))
    threads["carol"] = threading.Thread(target=run, args=("carol", carol_store, carol, "Carol"))
    threads["bob"].start()
    threads["carol"].start()
    threads["bob"].join(1.0)
    assert threads["bob"].is_alive() and threads["carol"].is_alive()  # both wait for Alice's commit
    alice_store.go_on.set()
    for t in threads.values():
        t.join(90)
    assert not any(t.is_alive() for t in threads.values())
    assert not isinstance(outcome["alice"], Exception), outcome["alice"]
    assert not isinstance(outcome["carol"], Exception), outcome["carol"]
    # Bob started from the state Alice changed: his save is a conflict, not a lost update
    assert isinstance(outcome["bob"], EditConflict), outcome["bob"]
    assert "measures went from WD001 to WD001;GR002" in str(outcome["bob"])
    now = areas(connection, schema)
    assert now[1][0] == "WD001;GR002" and now[3][1] == "Hill wood (Carol)"
    new_fids = sorted([*outcome["alice"].new_fids.values(), *outcome["carol"].new_fids.values()])
    assert new_fids == [4, 5] and sorted(now) == [1, 2, 3, 4, 5]
    assert len(bob_store.audit_records()) == 4
    assert_hash_is_current(connection, schema)
    assert stored_meta(server, schema)["content_sha256"] == load_postgis_pack(connection, schema).metadata\
        .content_sha256


def test_editor_without_privileges_is_refused_with_a_sentence(connection, editor2, server, pg_pack, tmp_path):
    schema, _ = pg_pack
    server.run_sql(f"REVOKE UPDATE, INSERT, DELETE ON ALL TABLES IN SCHEMA {schema} FROM {EDITOR2}")
    bob, bob_store = session(editor2, schema, tmp_path / "bob.gpkg")
    set_row(bob.path, row_fid(bob.path, 1), measures="{GR002}")
    before = stored_meta(server, schema)
    with pytest.raises(PackError, match="Nothing was saved. You cannot save .*lnrs:setuppostgisroles") as info:
        check_in(editor2, schema, bob, bob_store, "Bob", "r")
    assert EDITOR2_PASSWORD not in str(info.value)
    assert stored_meta(server, schema) == before
    assert len(bob.edits()) == 1


def test_a_schema_that_is_not_a_pack_is_refused(connection, server, tmp_path, pg_pack):
    schema, _ = pg_pack
    server.run_sql("CREATE SCHEMA IF NOT EXISTS not_a_pack")
    copy, _ = session(connection, schema, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    with pytest.raises(PackError, match="not an LNRS Local Habitat Map pack"):
        save_edits(PostgisOpportunityStore(connection, "not_a_pack"), copy.edits(), reason="r", user="u",
                   pack=load_postgis_pack(connection, schema))


CRASH_SCRIPT = textwrap.dedent("""
    import contextlib, json, sys, time
    sys.path.insert(0, {pkgroot!r})
    import psycopg2
    from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.editing.checkin import save_edits
    from lnrs_toolkit.plugin.core.editing.working_copy import WorkingCopy

    params = json.loads(sys.stdin.readline())

    @contextlib.contextmanager
    def connect(_name):
        conn = psycopg2.connect(**params)
        try:
            yield conn
        finally:
            conn.close()

    class Stalling(PostgisOpportunityStore):
        @contextlib.contextmanager
        def transaction(self):
            with super().transaction() as tx:
                real = tx.add_audit
                def add_audit(records):
                    out = real(records)
                    print("audited", flush=True)  # audit rows written, transaction open
                    time.sleep(600)
                    return out
                tx.add_audit = add_audit
                yield tx

    copy = WorkingCopy.open({copy!r})
    save_edits(Stalling("child", {schema!r}, connect=connect), copy.edits(), reason="never committed",
               user="crash", pack=read_pack({gpkg!r}))
""")


def test_a_check_in_killed_before_commit_loses_no_committed_edit(connection, server, pg_pack, tmp_path):
    schema, gpkg = pg_pack
    copy, store = session(connection, schema, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    committed = check_in(connection, schema, copy, store, "Alice", "committed before the crash")
    set_row(copy.path, row_fid(copy.path, 2), measures="{WD001}")
    delete_row(copy.path, row_fid(copy.path, 3))
    add_row(copy.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "Unsaved new area")
    unsaved = [(e.kind, e.fid) for e in copy.edits()]
    assert len(unsaved) == 3
    proc = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT.format(pkgroot=str(PKGROOT), copy=str(copy.path),
                                                                       schema=schema, gpkg=str(gpkg))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write(json.dumps({"host": server.host, "port": server.port, "dbname": server.dbname,
                                     "user": server.user, "password": server.password}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline().strip()
        assert line == "audited", proc.stderr.read()
        # the child's uncommitted rows are invisible to everyone else
        assert server.run_sql(f"SELECT count(*) FROM {schema}.opportunity_audit") == "1"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    # the server rolled the dead session back: the pack holds exactly what was committed
    pack = load_postgis_pack(connection, schema)
    assert pack.metadata.content_sha256 == committed.content_sha256 == stored_meta(server, schema)["content_sha256"]
    now = areas(connection, schema)
    assert sorted(now) == [1, 2, 3] and now[1][0] == "GR002" and now[2][0] == "GR002;FW012"
    audit = store.audit_records()
    assert [(r.fid, r.action, r.new_measures) for r in audit] == [(1, "update", "GR002")]
    assert audit[0].new_geom_sha256 == geometry_sha256(now[1][2]) == geometry_sha256(AREA_GEOMS[0])
    # the working copy still holds every unsaved edit, and they save now (the dead session's locks are gone)
    assert [(e.kind, e.fid) for e in copy.edits()] == unsaved
    result = check_in(connection, schema, copy, store, "Alice", "after the crash")
    assert result.applied == 3 and sorted(areas(connection, schema)) == [1, 2, 4]


COMMIT_THEN_DIE_SCRIPT = textwrap.dedent("""
    import contextlib, json, sys, time
    sys.path.insert(0, {pkgroot!r})
    import psycopg2
    from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.editing.checkin import save_edits
    from lnrs_toolkit.plugin.core.editing.working_copy import WorkingCopy

    params = json.loads(sys.stdin.readline())

    @contextlib.contextmanager
    def connect(_name):
        conn = psycopg2.connect(**params)
        try:
            yield conn
        finally:
            conn.close()

    copy = WorkingCopy.open({copy!r})
    result = save_edits(PostgisOpportunityStore("child", {schema!r}, connect=connect), copy.edits(), reason="landed",
                        user="crash", pack=read_pack({gpkg!r}), session=copy.checkin_session())
    print("committed", result.applied, flush=True)
    time.sleep(600)  # killed here: the working copy is never rebased
    copy.after_save(result)
""")


def test_a_check_in_killed_between_commit_and_rebase_is_not_saved_twice(connection, server, pg_pack, tmp_path):
    """Issue 20, defect 1: the resumed copy recognises its landed check-in by the session in the audit rows."""
    schema, gpkg = pg_pack
    copy, store = session(connection, schema, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 2), measures="{WD001}")
    new_area = box(X0, Y0 + 2000, X0 + 200, Y0 + 2200)
    add_row(copy.path, new_area, "{GR002}", "New meadow")
    proc = subprocess.Popen([sys.executable, "-c", COMMIT_THEN_DIE_SCRIPT.format(
        pkgroot=str(PKGROOT), copy=str(copy.path), schema=schema, gpkg=str(gpkg))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write(json.dumps({"host": server.host, "port": server.port, "dbname": server.dbname,
                                     "user": server.user, "password": server.password}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline().strip()
        assert line == "committed 2", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    landed = store.audit_records()
    assert [(r.fid, r.action) for r in landed] == [(2, "update"), (4, "insert")]
    assert sorted(areas(connection, schema)) == [1, 2, 3, 4]
    # the resumed copy still lists both edits; saving again writes nothing and maps the new row to fid 4
    assert sorted(e.kind for e in copy.edits()) == ["insert", "update"]
    assert copy.checkin_session() == landed[0].session
    result = check_in(connection, schema, copy, store, "Alice", "again", session=copy.checkin_session())
    assert result.applied == 0 and result.already_saved == 2 and list(result.new_fids.values()) == [4]
    assert copy.edits() == [] and row_fid(copy.path, 4) is not None
    assert sorted(areas(connection, schema)) == [1, 2, 3, 4]
    assert store.audit_records() == landed
    assert geometry_sha256(areas(connection, schema)[4][2]) == geometry_sha256(new_area)


def test_the_audit_records_name_and_reference_changes(connection, editor2, server, pg_pack, tmp_path):
    """Issue 20, defect 9, on PostGIS: names, references and geometries are audited, also in an audit table made
    before: an editor who may not alter it writes what it holds, the owner's next check-in adds the columns."""
    schema, _gpkg = pg_pack
    server.run_sql(f"ALTER TABLE {schema}.opportunity_audit DROP COLUMN old_name, DROP COLUMN new_name, "
                   f"DROP COLUMN old_ref, DROP COLUMN new_ref, DROP COLUMN old_geom_wkb, DROP COLUMN new_geom_wkb")
    copy, store = session(editor2, schema, tmp_path / "w2.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    check_in(editor2, schema, copy, store, "Bob", "before the owner updates the table")
    assert [(r.fid, r.new_measures, r.new_name, r.new_geom_wkb) for r in store.audit_records()] == \
        [(1, "GR002", "", None)]
    copy, store = session(connection, schema, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 2), name="River corridor (east)", ref="A2-2026")
    check_in(connection, schema, copy, store, "Alice", "renamed")  # the owner's check-in adds the columns
    last = store.audit_records()[-1]
    assert (last.fid, last.old_name, last.new_name, last.old_ref, last.new_ref) == \
        (2, "River corridor", "River corridor (east)", "A2", "A2-2026")
    assert shapely.from_wkb(last.old_geom_wkb).equals(AREA_GEOMS[1]) and last.new_geom_wkb == last.old_geom_wkb


def test_an_area_is_restored_from_its_audit_and_from_a_version(connection, server, pg_pack, tmp_path):
    """Issue 20, history you can restore, on PostGIS: the audit keeps the shapes; a restore is an audited check-in."""
    from lnrs_toolkit.plugin.adapters.postgis_versions import load_postgis_version, publish_postgis_version
    from lnrs_toolkit.plugin.core.editing.history import (
        area_states,
        current_feature,
        restore_area,
        state_at_version,
    )

    schema, _gpkg = pg_pack
    version = publish_postgis_version(connection, schema, "first", "Ann").version
    copy, store = session(connection, schema, tmp_path / "w.gpkg")
    wider = box(X0, Y0, X0 + 450, Y0 + 300)
    set_row(copy.path, row_fid(copy.path, 1), geom=shapely.multipolygons([wider]), measures="{GR002}")
    first = check_in(connection, schema, copy, store, "Alice", "widened").audit[0]
    record = store.audit_records(1)[-1]
    assert shapely.from_wkb(record.old_geom_wkb).equals(AREA_GEOMS[0])
    assert shapely.from_wkb(record.new_geom_wkb).equals(wider)
    before = area_states(store.audit_records(), 1)[-1]
    assert before.source == f"before audit row {first.audit_id}"
    saved = restore_area(store, load_postgis_pack(connection, schema), before, user="Carol", note="too wide")
    assert saved.audit[0].reason == f"restored from before audit row {first.audit_id}: too wide"
    now = current_feature(load_postgis_pack(connection, schema), 1)
    assert now.geometry.equals(AREA_GEOMS[0]) and now.measures == "WD001"
    assert_hash_is_current(connection, schema)
    delete_row(copy.path, row_fid(copy.path, 3))
    check_in(connection, schema, copy, store, "Alice", "removed")
    target = state_at_version(load_postgis_version(connection, schema, version), 3, version)
    saved = restore_area(store, load_postgis_pack(connection, schema), target, user="Carol")
    assert (saved.audit[0].action, saved.audit[0].fid, saved.audit[0].reason) == \
        ("insert", 3, f"restored from version {version}")
    assert current_feature(load_postgis_pack(connection, schema), 3).geometry.equals(AREA_GEOMS[2])
