"""Told when a colleague saves, on PostGIS (issue 20, what teams miss): a check-in sends NOTIFY on the pack's
channel in its own transaction; Alice's dock listens on a separate connection watched by a QSocketNotifier and shows
the notice with "Update from the map" within a second or two of Bob's commit. Her own check-ins are not news, a
check-in that rolls back tells nobody, and closing the dock closes the listening connection. Against the real
PostgreSQL + PostGIS of the QGIS tier, with the owner and two editor roles."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from lnrs_toolkit.plugin.adapters.pack_source import PackSource, load_postgis_pack, publish_pack_to_postgis
from lnrs_toolkit.plugin.adapters.postgis_notify import checkin_channel, notice_payload, parse_notice
from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore
from lnrs_toolkit.plugin.adapters.postgis_roles import grant_pack_roles
from lnrs_toolkit.plugin.core.editing.checkin import EditConflict, save_edits
from lnrs_toolkit.plugin.core.editing.working_copy import check_out
from lnrs_toolkit.tests.qgis import test_editing_panel as panel_tests
from lnrs_toolkit.tests.qgis import test_postgis_editing, test_postgis_roles
from lnrs_toolkit.tests.qgis.test_editing_panel import close_dock, feature_by_pack_fid, make_dock, set_measures
from lnrs_toolkit.tests.unit.edit_packs import build_edit_pack, row_fid, set_row
from qgis.core import QgsProject
from qgis.PyQt.QtCore import QCoreApplication

pytestmark = pytest.mark.postgis
# fixtures: Alice (lnrs_alice) from the roles tests, Bob (lnrs_editor2) from the editing tests
roles, alice, editor2_role, editor2 = (test_postgis_roles.roles, test_postgis_roles.alice,
                                       test_postgis_editing.editor2_role, test_postgis_editing.editor2)
answers = panel_tests.answers
NOTICE = "area(s) of the Local Habitat Map"


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _listening(server) -> int:
    return int(server.run_sql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' "
                              "AND application_name = 'LNRS Toolkit'"))


def test_payload_and_channel_stay_within_postgresql_limits():
    long_schema = "s" * 63
    assert len(checkin_channel(long_schema)) <= 63
    assert checkin_channel(long_schema) != checkin_channel("s" * 62 + "t")
    assert checkin_channel("lhm_2026") == "lnrs_lhm_2026"
    payload = notice_payload("lhm", "abc", "lnrs_bob (Bob)", range(1, 5001), "f" * 64)
    assert len(payload.encode("utf-8")) < 8000
    notice = parse_notice(payload)
    assert notice is not None and notice.count == 5000 and notice.fids[:3] == (1, 2, 3)
    assert parse_notice("not json") is None and parse_notice(json.dumps({"fids": [1]})) is None


def test_a_colleagues_check_in_is_told_within_seconds(recording_iface, connection, server, alice, editor2,
                                                      tmp_path, answers, qgis_app):
    gpkg = tmp_path / "lhm.gpkg"
    build_edit_pack(gpkg)
    schema = f"notify_{uuid.uuid4().hex[:10]}"
    publish_pack_to_postgis(gpkg, connection, schema)
    grant_pack_roles(connection, schema, editors=[test_postgis_roles.ALICE, test_postgis_editing.EDITOR2])
    alice_conn, _reader = alice
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        assert dock.set_pack_path(str(PackSource.postgis(alice_conn, schema)))
        dock.tabs.setCurrentWidget(panel)
        assert panel.start_editing()
        assert panel.map_notice.listen.listening()
        assert _listening(server) == 1
        # Alice's own check-in is not news
        set_measures(panel.layer, 1, "{GR002}")
        assert panel.save_to_map()
        assert not _wait_for(lambda: NOTICE in panel.context.last_message, 1.5)
        # Bob saves through his own role and connection: Alice is told within a second or two
        bob = check_out(load_postgis_pack(editor2, schema), str(PackSource.postgis(editor2, schema)),
                        tmp_path / "bob.gpkg")
        set_row(bob.path, row_fid(bob.path, 2), measures="{FW012}")
        save_edits(PostgisOpportunityStore(editor2, schema), bob.edits(), reason="Bob's survey", user="Bob",
                   pack=load_postgis_pack(editor2, schema))
        committed = time.monotonic()
        assert _wait_for(lambda: NOTICE in panel.context.last_message, 2.0)
        assert time.monotonic() - committed < 2.0
        assert panel.context.last_message.startswith(f"{test_postgis_editing.EDITOR2} (Bob) saved changes to 1 area")
        # a check-in that rolls back (a conflict on area 1, which Alice changed) tells nobody
        panel.context.last_message = ""
        stale = check_out(load_postgis_pack(connection, schema), str(PackSource.postgis(connection, schema)),
                          tmp_path / "stale.gpkg")
        server.run_sql(f"UPDATE {schema}.opportunity_areas SET measures = 'WD001' WHERE fid = 3")
        set_row(stale.path, row_fid(stale.path, 3), measures="{GR002}")
        with pytest.raises(EditConflict):
            save_edits(PostgisOpportunityStore(connection, schema), stale.edits(), reason="stale", user="Owner",
                       pack=load_postgis_pack(connection, schema))
        assert not _wait_for(lambda: NOTICE in panel.context.last_message, 1.0)
        # the notice's button brings Bob's change into Alice's working copy
        panel.map_notice.show("Someone saved changes to 1 area(s) of the Local Habitat Map.")
        panel.map_notice.button.click()
        assert feature_by_pack_fid(panel.layer, 2)["measures"] == "{FW012}"
    finally:
        close_dock(dock)
        QgsProject.instance().removeAllMapLayers()
    assert _wait_for(lambda: _listening(server) == 0, 5.0)  # closing the dock closed the listening connection


def test_the_listener_connects_in_a_task_and_hears_only_others(connection, server, qgis_app):
    """The dock's path outside tests: the listening connection is made in a QgsTask (the main thread never waits for
    the server), then notices arrive through the QSocketNotifier; this dock's own sessions are skipped."""
    from lnrs_toolkit.plugin.gui.map_listen import MapListen

    schema = f"listen_{uuid.uuid4().hex[:10]}"
    heard = []
    listen = MapListen(None, {"mine"}.__contains__, heard.append)
    try:
        listen.listen(connection, schema)
        assert listen.task is not None and not listen.listening()  # connecting in the background
        assert _wait_for(listen.listening, 10.0)
        channel = checkin_channel(schema)
        for session in ("mine", "theirs"):
            payload = notice_payload(schema, session, "lnrs_bob (Bob)", [4, 5], "a" * 64).replace("'", "''")
            server.run_sql(f"SELECT pg_notify('{channel}', '{payload}')")
        server.run_sql(f"SELECT pg_notify('{channel}', 'not ours')")
        assert _wait_for(lambda: len(heard) == 1, 2.0)
        assert not _wait_for(lambda: len(heard) > 1, 0.5)
        assert (heard[0].session, heard[0].fids, heard[0].edited_by) == ("theirs", (4, 5), "lnrs_bob (Bob)")
    finally:
        listen.stop()
        listen.deleteLater()
    assert _wait_for(lambda: _listening(server) == 0, 5.0)


def test_a_lost_listening_connection_is_made_again(connection, server, qgis_app):
    from lnrs_toolkit.plugin.gui.map_listen import MapListen

    schema = f"listen_{uuid.uuid4().hex[:10]}"
    heard = []
    listen = MapListen(None, lambda _s: False, heard.append, lambda: True)
    listen.retry.setInterval(200)
    try:
        listen.listen(connection, schema)
        assert listen.listening()
        pid = listen.listener.conn.get_backend_pid()
        server.run_sql(f"SELECT pg_terminate_backend({pid})")  # the server drops the connection
        assert _wait_for(lambda: not listen.listening(), 5.0)
        assert _wait_for(lambda: listen.listening() and listen.listener.conn.get_backend_pid() != pid, 5.0)
        payload = notice_payload(schema, "s1", "bob", [1], "b" * 64)
        server.run_sql(f"SELECT pg_notify('{checkin_channel(schema)}', '{payload}')")
        assert _wait_for(lambda: len(heard) == 1, 2.0)
    finally:
        listen.stop()
        listen.deleteLater()
