"""Check-in of opportunity edits to a GeoPackage pack: each path, the audit trail, refusals, conflicts and their
resolution, rollback on failure, concurrent savers and a process killed in the middle of a check-in (issue 8)."""

from __future__ import annotations

import contextlib
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import shapely
from lnrs_toolkit.plugin.core.editing.checkin import EditConflict, EditRefused, save_edits
from lnrs_toolkit.plugin.core.editing.edits import EDIT_SOURCE, Edit
from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
from lnrs_toolkit.plugin.core.editing.opportunity_feature import OpportunityFeature, geometry_sha256
from lnrs_toolkit.plugin.core.editing.working_copy import check_out
from lnrs_toolkit.plugin.core.errors import InputError, PackError
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.unit.edit_packs import (
    AREA_GEOMS,
    X0,
    Y0,
    add_row,
    connect,
    delete_row,
    row_fid,
    rtree_matches,
    set_row,
    sha,
)
from shapely.geometry import Polygon, box

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def checkout(pack_path, path):
    return check_out(read_pack(pack_path), str(pack_path), path)


def save(pack_path, copy, user="alice", reason="Survey 2025", **kw):
    result = save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason=reason, user=user,
                        pack=read_pack(pack_path), **kw)
    copy.after_save(result)
    return result


def audit_rows(pack_path):
    conn = connect(pack_path)
    try:
        return conn.execute("SELECT fid, feature_fid, action, edited_by, edited_at, old_measures, new_measures, "
                            "old_geom_sha256, new_geom_sha256, reason, session FROM opportunity_audit "
                            "ORDER BY fid").fetchall()
    finally:
        conn.close()


def areas(pack_path):
    layer = read_pack(pack_path).layers["opportunity_areas"]
    return {int(f): (layer.columns["measures"][i], layer.columns["name"][i], layer.columns["ref"][i], layer.geoms[i])
            for i, f in enumerate(layer.fids)}


def meta(pack_path):
    conn = connect(pack_path)
    try:
        return dict(conn.execute("SELECT key, value FROM pack_metadata").fetchall())
    finally:
        conn.close()


def assert_content_hash_is_current(pack_path):
    pack = read_pack(pack_path)
    assert pack.metadata.content_sha256 == content_hash(pack)


# --------------------------------------------------------------------------- each path
def test_update_of_measures_is_saved_with_an_exact_audit_record(pack_path, tmp_path):
    old_hash = read_pack(pack_path).metadata.content_sha256
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{WD001,fw012}")
    result = save(pack_path, copy, reason="  Ecologist survey 2025 found wet woodland  ")
    assert result.applied == 1 and result.new_fids == {}
    assert areas(pack_path)[1][:3] == ("WD001;FW012", "Bath meadows", "A1")
    assert areas(pack_path)[2][0] == "GR002;FW012"  # untouched
    (audit_id, fid, action, who, when, old_m, new_m, old_g, new_g, reason, session), = audit_rows(pack_path)
    assert (fid, action, who, old_m, new_m, reason) == (1, "update", "alice", "WD001", "WD001;FW012",
                                                        "Ecologist survey 2025 found wet woodland")
    assert old_g == new_g == geometry_sha256(AREA_GEOMS[0])
    assert ISO_UTC.match(when) and session == result.session and len(session) == 32
    assert result.audit[0].audit_id == audit_id and result.audit[0].edited_at == when
    assert_content_hash_is_current(pack_path)
    m = meta(pack_path)
    assert m["content_sha256"] == result.content_sha256 != old_hash
    assert m["published_content_sha256"] == old_hash
    assert rtree_matches(pack_path, "opportunity_areas")


def test_geometry_update_insert_and_delete_in_one_check_in(pack_path, tmp_path):
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    moved = box(X0 + 1000, Y0 + 50, X0 + 1400, Y0 + 350)
    set_row(copy.path, row_fid(copy.path, 2), geom=shapely.multipolygons([moved]))
    delete_row(copy.path, row_fid(copy.path, 3))
    new_geom = box(X0, Y0 + 2000, X0 + 200, Y0 + 2200)
    new_row = add_row(copy.path, new_geom, "{GR002}", "New meadow", "N1")
    result = save(pack_path, copy)
    assert result.applied == 3 and result.new_fids == {str(new_row): 4}
    now = areas(pack_path)
    assert sorted(now) == [1, 2, 4]
    assert now[2][3].equals(moved) and now[2][0] == "GR002;FW012"
    assert now[4][:3] == ("GR002", "New meadow", "N1") and now[4][3].equals(new_geom)
    assert now[4][3].geom_type == "MultiPolygon"
    rows = {(r[1], r[2]): r for r in audit_rows(pack_path)}
    assert set(rows) == {(2, "update"), (3, "delete"), (4, "insert")}
    assert rows[2, "update"][7:9] == (geometry_sha256(AREA_GEOMS[1]), geometry_sha256(moved))
    assert rows[2, "update"][5:7] == ("GR002;FW012", "GR002;FW012")
    assert rows[3, "delete"][5:9] == ("WD001;GR002", "", geometry_sha256(AREA_GEOMS[2]), "")
    assert rows[4, "insert"][5:9] == ("", "GR002", "", geometry_sha256(new_geom))
    assert len({r[10] for r in rows.values()}) == 1  # one session
    conn = connect(pack_path)
    try:
        assert conn.execute("SELECT source_layer FROM opportunity_areas WHERE fid = 4").fetchone() == (EDIT_SOURCE,)
        assert conn.execute("SELECT source_layer FROM opportunity_areas WHERE fid = 2").fetchone() == ("acb",)
        extent = conn.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents "
                              "WHERE table_name = 'opportunity_areas'").fetchone()
        registered = conn.execute("SELECT data_type FROM gpkg_contents WHERE table_name = 'opportunity_audit'")\
            .fetchone()
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert extent[3] >= Y0 + 2200  # the layer's extent grew with the new area
    assert registered == ("attributes",)
    assert rtree_matches(pack_path, "opportunity_areas")
    assert_content_hash_is_current(pack_path)
    # a second check-in: fids never reused, audit appended
    delete_row(copy.path, row_fid(copy.path, 4))
    again = add_row(copy.path, box(X0, Y0 + 4000, X0 + 200, Y0 + 4200), "{WD001}", "Later")
    result2 = save(pack_path, copy, user="bob", reason="Second pass")
    assert result2.new_fids == {str(again): 5}
    assert [(r[1], r[2], r[3]) for r in audit_rows(pack_path)][-2:] == [(4, "delete", "bob"), (5, "insert", "bob")]
    assert copy.edits() == []


def test_published_content_hash_is_kept_when_present(pack_path, tmp_path):
    conn = connect(pack_path)
    conn.execute("INSERT INTO pack_metadata (key, value) VALUES ('published_content_sha256', 'published-hash')")
    conn.close()
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    save(pack_path, copy)
    assert meta(pack_path)["published_content_sha256"] == "published-hash"
    assert_content_hash_is_current(pack_path)


# --------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(("measures", "geom", "rule_words"), [
    ("{ZZ999}", None, "not in the pack's measures catalogue"),
    ("{}", None, "has no measure codes"),
    ("{WD001}", Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)]), "invalid geometry"),
])
def test_invalid_edits_are_refused_and_the_pack_is_byte_identical(pack_path, tmp_path, measures, geom, rule_words):
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 2), name="Fine change")  # a valid edit alongside
    values = {"measures": measures}
    if geom is not None:
        values["geom"] = shapely.multipolygons([geom])
    set_row(copy.path, row_fid(copy.path, 1), **values)
    before = sha(pack_path)
    with pytest.raises(EditRefused) as info:
        save(pack_path, copy)
    assert sha(pack_path) == before
    assert "Opportunity area 1 ‘Bath meadows’" in str(info.value)
    assert rule_words in str(info.value)
    errors = info.value.report.errors
    assert errors and all(e.key == str(row_fid(copy.path, 1)) for e in errors)
    assert len(copy.edits()) == 2  # nothing lost from the working copy


def test_warnings_do_not_block_and_a_deleted_feature_is_left_out_of_comparisons(pack_path, tmp_path):
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    twin = add_row(copy.path, AREA_GEOMS[0], "{WD001}", "Twin of Bath meadows")
    result = save(pack_path, copy)
    assert result.applied == 1
    assert [(w.rule, w.key) for w in result.report.warnings] == [("duplicate_geometry", str(twin))]
    # replacing a feature by a new one in its place: the deleted feature is not a duplicate of its successor
    copy2 = checkout(pack_path, tmp_path / "w2.gpkg")
    delete_row(copy2.path, row_fid(copy2.path, 2))
    add_row(copy2.path, AREA_GEOMS[1], "{GR002}", "River corridor (redrawn)")
    result2 = save(pack_path, copy2)
    assert result2.applied == 2 and result2.report.warnings == ()


def test_a_blank_reason_is_refused_and_the_pack_is_byte_identical(pack_path, tmp_path):
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    before = sha(pack_path)
    for reason in ("", "   \n\t"):
        with pytest.raises(InputError, match="Give a reason"):
            save(pack_path, copy, reason=reason)
    assert sha(pack_path) == before


def test_nothing_to_save_and_bad_resolutions_are_sentences(pack_path, tmp_path):
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    with pytest.raises(InputError, match="nothing to save"):
        save(pack_path, copy)
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    with pytest.raises(InputError, match="'maybe' is not a way to resolve"):
        save(pack_path, copy, resolutions={"1": "maybe"})


def test_malformed_edits_are_refused(pack_path):
    pack = read_pack(pack_path)
    store = GpkgOpportunityStore(pack_path)
    feature = OpportunityFeature(1, "WD001", AREA_GEOMS[0], key="1")
    for edits, words in [
        ([Edit("rename", 1, "1", feature, feature)], "not a kind of edit"),
        ([Edit("update", None, "1", None, feature)], "does not say which pack feature"),
        ([Edit("update", 1, "1", feature, feature), Edit("delete", 1, "2", feature, None)], "Two edits change"),
        ([Edit("insert", None, "1", None, feature), Edit("insert", None, "1", None, feature)], "same key"),
    ]:
        with pytest.raises(InputError, match=words):
            save_edits(store, edits, reason="r", user="u", pack=pack)


def test_a_file_that_is_not_a_pack_is_refused(tmp_path, pack_path):
    other = tmp_path / "other.gpkg"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    with pytest.raises(PackError, match="not an LNRS Local Habitat Map pack"):
        save_edits(GpkgOpportunityStore(other), copy.edits(), reason="r", user="u", pack=read_pack(pack_path))
    with pytest.raises(PackError, match="does not exist"):
        save_edits(GpkgOpportunityStore(tmp_path / "gone.gpkg"), copy.edits(), reason="r", user="u",
                   pack=read_pack(pack_path))


# --------------------------------------------------------------------------- conflicts
def test_edits_to_different_features_both_land(pack_path, tmp_path):
    a = checkout(pack_path, tmp_path / "a.gpkg")
    b = checkout(pack_path, tmp_path / "b.gpkg")
    set_row(a.path, row_fid(a.path, 1), measures="{WD001,GR002}")
    set_row(b.path, row_fid(b.path, 2), measures="{FW012}")
    b_new = add_row(b.path, box(X0, Y0 + 3000, X0 + 100, Y0 + 3100), "{WD001}", "B's new area")
    a_new = add_row(a.path, box(X0, Y0 + 6000, X0 + 100, Y0 + 6100), "{GR002}", "A's new area")
    save(pack_path, a, user="alice")
    result_b = save(pack_path, b, user="bob")
    now = areas(pack_path)
    assert now[1][0] == "WD001;GR002" and now[2][0] == "FW012"
    assert {now[f][1] for f in (4, 5)} == {"A's new area", "B's new area"}
    assert result_b.new_fids == {str(b_new): 5}
    assert [(r[1], r[2], r[3]) for r in audit_rows(pack_path)] == [
        (1, "update", "alice"), (4, "insert", "alice"), (2, "update", "bob"), (5, "insert", "bob")]
    assert a_new  # A's insert went in first (fid 4)
    assert_content_hash_is_current(pack_path)


def test_same_feature_conflict_names_what_changed_and_who_and_keeps_the_pack(pack_path, tmp_path):
    a = checkout(pack_path, tmp_path / "a.gpkg")
    b = checkout(pack_path, tmp_path / "b.gpkg")
    set_row(a.path, row_fid(a.path, 1), measures="{WD001,GR002}",
            geom=shapely.multipolygons([box(X0, Y0, X0 + 350, Y0 + 300)]))
    save(pack_path, a, user="alice", reason="Hedge line moved")
    set_row(b.path, row_fid(b.path, 1), measures="{FW012}")
    set_row(b.path, row_fid(b.path, 2), name="River corridor (upper)")  # no conflict on this one
    before = sha(pack_path)
    with pytest.raises(EditConflict) as info:
        save(pack_path, b, user="bob", reason="Wet area")
    assert sha(pack_path) == before  # nothing saved, not even the edit without conflict
    (conflict,) = info.value.conflicts
    assert conflict.edit.fid == 1 and conflict.edit.key == str(row_fid(b.path, 1))
    assert conflict.current.measures == "WD001;GR002"
    assert conflict.last_change.edited_by == "alice" and conflict.last_change.reason == "Hedge line moved"
    message = conflict.message
    assert "Opportunity area 1 ‘Bath meadows’" in message
    assert "measures went from WD001 to WD001;GR002" in message
    assert "geometry changed" in message
    assert "Last changed by alice on " in message and "reason: ‘Hedge line moved’" in message
    assert conflict.message in str(info.value)
    assert len(b.edits()) == 2  # the working copy still holds both edits


def test_conflict_resolved_mine_overwrites_and_is_audited(pack_path, tmp_path):
    a = checkout(pack_path, tmp_path / "a.gpkg")
    b = checkout(pack_path, tmp_path / "b.gpkg")
    set_row(a.path, row_fid(a.path, 1), measures="{WD001,GR002}")
    save(pack_path, a, user="alice", reason="first")
    set_row(b.path, row_fid(b.path, 1), measures="{FW012}")
    with pytest.raises(EditConflict) as info:
        save(pack_path, b, user="bob", reason="second")
    key = info.value.conflicts[0].edit.key
    result = save(pack_path, b, user="bob", reason="second", resolutions={key: "mine"})
    assert result.applied == 1
    assert areas(pack_path)[1][0] == "FW012"
    audit = audit_rows(pack_path)
    assert [(r[2], r[3], r[5], r[6]) for r in audit] == [("update", "alice", "WD001", "WD001;GR002"),
                                                         ("update", "bob", "WD001;GR002", "FW012")]
    assert b.edits() == []
    assert_content_hash_is_current(pack_path)


def test_conflict_resolved_theirs_drops_my_edit_and_take_theirs_updates_the_copy(pack_path, tmp_path):
    a = checkout(pack_path, tmp_path / "a.gpkg")
    b = checkout(pack_path, tmp_path / "b.gpkg")
    set_row(a.path, row_fid(a.path, 1), measures="{WD001,GR002}")
    save(pack_path, a, user="alice", reason="first")
    set_row(b.path, row_fid(b.path, 1), measures="{FW012}")
    set_row(b.path, row_fid(b.path, 3), ref="A3-b")
    with pytest.raises(EditConflict) as info:
        save(pack_path, b, user="bob", reason="second")
    conflict = info.value.conflicts[0]
    result = save(pack_path, b, user="bob", reason="second", resolutions={conflict.edit.key: "theirs"})
    assert result.applied == 1  # only fid 3
    assert areas(pack_path)[1][0] == "WD001;GR002" and areas(pack_path)[3][2] == "A3-b"
    assert [e.fid for e in b.edits()] == [1]  # my skipped edit is still in the copy until I take theirs
    b.take_theirs(1, conflict.current)
    assert b.edits() == []


def test_delete_of_a_feature_someone_changed_conflicts(pack_path, tmp_path):
    a = checkout(pack_path, tmp_path / "a.gpkg")
    b = checkout(pack_path, tmp_path / "b.gpkg")
    set_row(a.path, row_fid(a.path, 2), measures="{FW012}")
    save(pack_path, a, user="alice", reason="first")
    delete_row(b.path, row_fid(b.path, 2))
    with pytest.raises(EditConflict, match="measures went from GR002;FW012 to FW012"):
        save(pack_path, b, user="bob", reason="remove")
    save(pack_path, b, user="bob", reason="remove", resolutions={"deleted:2": "mine"})
    assert 2 not in areas(pack_path)
    assert audit_rows(pack_path)[-1][1:3] == (2, "delete")
    assert audit_rows(pack_path)[-1][5] == "FW012"  # the audit records what was really deleted


def test_update_of_a_feature_someone_deleted_conflicts_and_mine_restores_it(pack_path, tmp_path):
    a = checkout(pack_path, tmp_path / "a.gpkg")
    b = checkout(pack_path, tmp_path / "b.gpkg")
    delete_row(a.path, row_fid(a.path, 3))
    save(pack_path, a, user="alice", reason="gone")
    set_row(b.path, row_fid(b.path, 3), measures="{GR002}")
    with pytest.raises(EditConflict) as info:
        save(pack_path, b, user="bob", reason="keep")
    conflict = info.value.conflicts[0]
    assert conflict.current is None and "it was deleted" in conflict.message
    assert "Deleted by alice on " in conflict.message
    save(pack_path, b, user="bob", reason="keep", resolutions={conflict.edit.key: "mine"})
    assert areas(pack_path)[3][:2] == ("GR002", "Hill wood")
    assert audit_rows(pack_path)[-1][1:4] == (3, "insert", "bob")
    assert rtree_matches(pack_path, "opportunity_areas")


def test_both_deleting_the_same_feature_is_no_conflict(pack_path, tmp_path):
    a = checkout(pack_path, tmp_path / "a.gpkg")
    b = checkout(pack_path, tmp_path / "b.gpkg")
    delete_row(a.path, row_fid(a.path, 3))
    delete_row(b.path, row_fid(b.path, 3))
    save(pack_path, a, user="alice")
    result = save(pack_path, b, user="bob")
    assert result.applied == 0 and b.edits() == []
    assert [r[3] for r in audit_rows(pack_path)] == ["alice"]


def test_a_change_made_outside_the_plugin_is_a_conflict_without_audit(pack_path, tmp_path):
    b = checkout(pack_path, tmp_path / "b.gpkg")
    conn = connect(pack_path)
    conn.execute("UPDATE opportunity_areas SET name = 'Renamed in QGIS' WHERE fid = 1")
    conn.close()
    set_row(b.path, row_fid(b.path, 1), measures="{GR002}", name="Renamed by Bob")  # the same field: asked
    with pytest.raises(EditConflict) as info:
        save(pack_path, b, user="bob")
    message = info.value.conflicts[0].message
    assert "its name went from ‘Bath meadows’ to ‘Renamed in QGIS’" in message
    assert "geometry did not change" in message
    assert "No audit record says who" in message


# --------------------------------------------------------------------------- failure, concurrency, crash
class FailingAfterAudit(GpkgOpportunityStore):
    """A store whose transaction fails right after the audit rows are written."""

    @contextlib.contextmanager
    def transaction(self):
        with super().transaction() as tx:
            real = tx.add_audit

            def add_audit(records):
                real(records)
                raise OSError(28, "No space left on device")

            tx.add_audit = add_audit
            yield tx


def test_a_failure_after_the_audit_insert_rolls_everything_back(pack_path, tmp_path):
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    delete_row(copy.path, row_fid(copy.path, 2))
    add_row(copy.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "New")
    before = sha(pack_path)
    with pytest.raises(OSError, match="No space left"):
        save_edits(FailingAfterAudit(pack_path), copy.edits(), reason="r", user="u", pack=read_pack(pack_path))
    assert sha(pack_path) == before
    assert not Path(f"{pack_path}-journal").exists()
    assert len(copy.edits()) == 3
    # and the same edits then save normally
    save(pack_path, copy)
    assert len(audit_rows(pack_path)) == 3


def test_concurrent_savers_of_different_features_both_land(pack_path, tmp_path):
    copies = [checkout(pack_path, tmp_path / f"w{i}.gpkg") for i in range(3)]
    for i, copy in enumerate(copies):
        set_row(copy.path, row_fid(copy.path, i + 1), name=f"Edited by editor {i}")
        add_row(copy.path, box(X0 + i * 1000, Y0 + 5000, X0 + i * 1000 + 100, Y0 + 5100), "{WD001}", f"New {i}")
    barrier = threading.Barrier(len(copies))
    errors = []
    results = {}

    def run(i):
        try:
            edits = copies[i].edits()
            pack = read_pack(pack_path)
            barrier.wait()
            results[i] = save_edits(GpkgOpportunityStore(pack_path), edits, reason="parallel", user=f"editor{i}",
                                    pack=pack)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(copies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    now = areas(pack_path)
    assert [now[i + 1][1] for i in range(3)] == [f"Edited by editor {i}" for i in range(3)]
    assert sorted(now) == [1, 2, 3, 4, 5, 6]
    new_fids = sorted(f for r in results.values() for f in r.new_fids.values())
    assert new_fids == [4, 5, 6]
    assert len(audit_rows(pack_path)) == 6
    assert_content_hash_is_current(pack_path)  # the last saver hashed what all three left


CRASH_SCRIPT = textwrap.dedent("""
    import contextlib, sys, time
    sys.path.insert(0, {pkgroot!r})
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.editing.checkin import save_edits
    from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
    from lnrs_toolkit.plugin.core.editing.working_copy import WorkingCopy

    class Stalling(GpkgOpportunityStore):
        @contextlib.contextmanager
        def transaction(self):
            with super().transaction() as tx:
                real = tx.add_audit
                def add_audit(records):
                    out = real(records)
                    print("audited", flush=True)  # the audit rows are written, the transaction is open
                    time.sleep(600)
                    return out
                tx.add_audit = add_audit
                yield tx

    copy = WorkingCopy.open({copy!r})
    save_edits(Stalling({pack!r}), copy.edits(), reason="never committed", user="crash", pack=read_pack({pack!r}))
""")


def test_a_process_killed_during_a_check_in_loses_no_committed_edit(pack_path, tmp_path):
    copy = checkout(pack_path, tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    committed = save(pack_path, copy, user="alice", reason="committed before the crash")
    after_commit = sha(pack_path)
    # unsaved edits, then a check-in killed between the audit insert and the commit
    set_row(copy.path, row_fid(copy.path, 2), measures="{WD001}")
    delete_row(copy.path, row_fid(copy.path, 3))
    add_row(copy.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "Unsaved new area")
    unsaved = copy.edits()
    proc = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT.format(pkgroot=str(PKGROOT), copy=str(copy.path),
                                                                       pack=str(pack_path))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line == "audited", proc.stderr.read()
        assert Path(f"{pack_path}-journal").exists()  # killed with the transaction open
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    # the pack opens (the dead writer's journal is rolled back) and holds exactly what was committed
    pack = read_pack(pack_path)
    assert pack.metadata.content_sha256 == committed.content_sha256 == content_hash(pack)
    assert sha(pack_path) == after_commit
    now = areas(pack_path)
    assert sorted(now) == [1, 2, 3] and now[1][0] == "GR002" and now[2][0] == "GR002;FW012"
    audit = audit_rows(pack_path)
    assert [(r[1], r[2], r[6], r[9]) for r in audit] == [(1, "update", "GR002", "committed before the crash")]
    # the audit matches the data: the last record of each feature is what the pack holds
    assert audit[-1][8] == geometry_sha256(now[1][3])
    # the working copy still holds every unsaved edit
    assert [(e.kind, e.fid) for e in copy.edits()] == [(e.kind, e.fid) for e in unsaved]
    assert len(unsaved) == 3
    # and they can be saved now
    save(pack_path, copy, user="alice", reason="after the crash")
    assert sorted(areas(pack_path)) == [1, 2, 4]
    assert_content_hash_is_current(pack_path)
