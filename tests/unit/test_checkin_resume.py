"""A check-in is idempotent (issue 20, defect 1): a process killed after the check-in committed and before the
working copy was rebased leaves the copy with its edits pending; the resumed copy sends them again with the same
check-in session and nothing is saved twice (no second fid for a new area, no second audit row)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.editing.checkin import EditConflict, save_edits
from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
from lnrs_toolkit.plugin.core.editing.opportunity_feature import geometry_sha256
from lnrs_toolkit.plugin.core.editing.working_copy import WorkingCopy, check_out
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.unit.edit_packs import X0, Y0, add_row, build_edit_pack, connect, delete_row, row_fid, set_row
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"
NEW_AREA = box(X0, Y0 + 2000, X0 + 200, Y0 + 2200)

# commits a check-in, then dies before WorkingCopy.after_save (the rebase)
COMMIT_THEN_DIE = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {pkgroot!r})
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.editing.checkin import save_edits
    from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
    from lnrs_toolkit.plugin.core.editing.working_copy import WorkingCopy

    copy = WorkingCopy.open({copy!r})
    result = save_edits(GpkgOpportunityStore({pack!r}), copy.edits(), reason="landed", user="alice",
                        pack=read_pack({pack!r}), session=copy.checkin_session())
    print("committed", result.applied, flush=True)
    time.sleep(600)
    copy.after_save(result)
""")


def _audit(pack_path):
    conn = connect(pack_path)
    try:
        rows = conn.execute("SELECT feature_fid, action, reason, session FROM opportunity_audit ORDER BY fid")
        return rows.fetchall()
    finally:
        conn.close()


def _areas(pack_path):
    layer = read_pack(pack_path).layers["opportunity_areas"]
    return {int(f): (layer.columns["measures"][i], layer.geoms[i]) for i, f in enumerate(layer.fids)}


def _commit_then_kill(copy, pack_path):
    proc = subprocess.Popen([sys.executable, "-c", COMMIT_THEN_DIE.format(pkgroot=str(PKGROOT), copy=str(copy.path),
                                                                          pack=str(pack_path))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line == "committed 3", proc.stderr.read()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def test_a_check_in_resumed_after_a_crash_between_commit_and_rebase_saves_nothing_twice(tmp_path):
    pack_path = tmp_path / "lhm.gpkg"
    build_edit_pack(pack_path)
    copy = check_out(read_pack(pack_path), str(pack_path), tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    delete_row(copy.path, row_fid(copy.path, 3))
    add_row(copy.path, NEW_AREA, "{GR002}", "New meadow")
    _commit_then_kill(copy, pack_path)
    landed = _audit(pack_path)
    assert [(r[0], r[1]) for r in landed] == [(1, "update"), (3, "delete"), (4, "insert")]
    session = landed[0][3]
    assert session and {r[3] for r in landed} == {session}
    # the resumed copy still lists its three edits and the session it sent
    copy = WorkingCopy.open(copy.path)
    assert sorted(e.kind for e in copy.edits()) == ["delete", "insert", "update"]
    assert copy.checkin_session() == session
    # saving again recognises what landed: no second insert, no audit row, the new row gets fid 4
    pack = read_pack(pack_path)
    result = save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="again", user="alice", pack=pack,
                        session=copy.checkin_session())
    inserted = [e.key for e in copy.edits() if e.kind == "insert"]
    assert result.applied == 0 and result.already_saved == 3 and result.new_fids == {inserted[0]: 4}
    copy.after_save(result)
    assert copy.edits() == []
    assert sorted(_areas(pack_path)) == [1, 2, 4]
    assert geometry_sha256(_areas(pack_path)[4][1]) == geometry_sha256(NEW_AREA)
    assert _audit(pack_path) == landed
    assert read_pack(pack_path).metadata.content_sha256 == content_hash(read_pack(pack_path))
    # the working-copy row of the new area now carries its pack fid, and the next check-in has a new session
    assert row_fid(copy.path, 4) is not None
    assert copy.checkin_session() != session


def test_a_session_that_never_landed_is_sent_again_in_full(tmp_path):
    pack_path = tmp_path / "lhm.gpkg"
    build_edit_pack(pack_path)
    copy = check_out(read_pack(pack_path), str(pack_path), tmp_path / "w.gpkg")
    add_row(copy.path, NEW_AREA, "{GR002}", "New meadow")
    first = copy.checkin_session()
    assert copy.checkin_session() == first  # kept in the copy until a check-in is rebased
    result = save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="r", user="alice",
                        pack=read_pack(pack_path), session=first)
    assert result.applied == 1 and result.already_saved == 0 and list(result.new_fids.values()) == [4]
    copy.after_save(result)
    # a second new area with the same shape, later, under a new session, is a new area (the duplicate warning)
    add_row(copy.path, NEW_AREA, "{GR002}", "Same shape again")
    second = copy.checkin_session()
    assert second != first
    result = save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="r", user="alice",
                        pack=read_pack(pack_path), session=second)
    assert result.applied == 1 and list(result.new_fids.values()) == [5]
    assert [w.rule for w in result.report.warnings] == ["duplicate_geometry"]


def test_the_audit_records_name_and_reference_changes(tmp_path):
    """Issue 20, defect 9: a change of name or reference is in the audit, not only measures and shape."""
    pack_path = tmp_path / "lhm.gpkg"
    build_edit_pack(pack_path)
    copy = check_out(read_pack(pack_path), str(pack_path), tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), name="Bath water meadows", ref="A1-2026")
    add_row(copy.path, NEW_AREA, "{GR002}", "New meadow", "N1")
    delete_row(copy.path, row_fid(copy.path, 3))
    copy.after_save(save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="renamed", user="alice",
                               pack=read_pack(pack_path), session=copy.checkin_session()))
    records = {r.fid: r for r in GpkgOpportunityStore(pack_path).audit_records()}
    assert (records[1].action, records[1].old_name, records[1].new_name, records[1].old_ref, records[1].new_ref) == \
        ("update", "Bath meadows", "Bath water meadows", "A1", "A1-2026")
    assert records[1].old_measures == records[1].new_measures == "WD001"
    assert (records[4].old_name, records[4].new_name, records[4].new_ref) == ("", "New meadow", "N1")
    assert (records[3].old_name, records[3].new_name, records[3].old_ref) == ("Hill wood", "", "A3")


def test_an_audit_table_from_an_older_version_is_read_and_extended(tmp_path):
    pack_path = tmp_path / "lhm.gpkg"
    build_edit_pack(pack_path)
    copy = check_out(read_pack(pack_path), str(pack_path), tmp_path / "w.gpkg")
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    copy.after_save(save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="first", user="alice",
                               pack=read_pack(pack_path)))
    conn = connect(pack_path)  # as an older LNRS Toolkit wrote it: no name or reference columns
    try:
        for column in ("old_name", "new_name", "old_ref", "new_ref"):
            conn.execute(f"ALTER TABLE opportunity_audit DROP COLUMN {column}")
    finally:
        conn.close()
    store = GpkgOpportunityStore(pack_path)
    assert [(r.fid, r.new_measures, r.new_name) for r in store.audit_records()] == [(1, "GR002", "")]
    set_row(copy.path, row_fid(copy.path, 2), name="River corridor (east)")
    copy.after_save(save_edits(store, copy.edits(), reason="second", user="alice", pack=read_pack(pack_path)))
    assert [(r.fid, r.old_name, r.new_name) for r in store.audit_records()] == \
        [(1, "", ""), (2, "River corridor", "River corridor (east)")]


def _colleague(pack_path, tmp_path, **values):
    other = check_out(read_pack(pack_path), str(pack_path), tmp_path / f"colleague{len(values)}.gpkg")
    set_row(other.path, row_fid(other.path, 1), **values)
    other.after_save(save_edits(GpkgOpportunityStore(pack_path), other.edits(), reason="colleague", user="bob",
                                pack=read_pack(pack_path)))


def test_changes_of_different_fields_are_merged_without_asking(tmp_path):
    """What teams miss (issue 20): Bob renamed the area, Alice changed its codes: both land, nobody is asked."""
    pack_path = tmp_path / "lhm.gpkg"
    build_edit_pack(pack_path)
    alice = check_out(read_pack(pack_path), str(pack_path), tmp_path / "alice.gpkg")
    _colleague(pack_path, tmp_path, name="Bath water meadows")
    set_row(alice.path, row_fid(alice.path, 1), measures="{GR002}")
    result = save_edits(GpkgOpportunityStore(pack_path), alice.edits(), reason="codes", user="alice",
                        pack=read_pack(pack_path))
    assert result.merged == (1,)
    alice.after_save(result)
    layer = read_pack(pack_path).layers["opportunity_areas"]
    i = list(layer.fids).index(1)
    assert (layer.columns["measures"][i], layer.columns["name"][i]) == ("GR002", "Bath water meadows")
    # Alice's working copy holds the merge and has nothing left to save (it would not revert Bob's name)
    assert alice.edits() == []
    last = GpkgOpportunityStore(pack_path).audit_records()[-1]
    assert (last.old_measures, last.new_measures, last.old_name, last.new_name) == \
        ("WD001", "GR002", "Bath water meadows", "Bath water meadows")


def test_keep_mine_on_the_same_field_keeps_a_colleagues_change_of_another(tmp_path):
    pack_path = tmp_path / "lhm.gpkg"
    build_edit_pack(pack_path)
    alice = check_out(read_pack(pack_path), str(pack_path), tmp_path / "alice.gpkg")
    _colleague(pack_path, tmp_path, measures="{FW012}", name="Bob's name")
    set_row(alice.path, row_fid(alice.path, 1), measures="{GR002}")
    with pytest.raises(EditConflict) as info:  # the same field (codes): asked, with both values
        save_edits(GpkgOpportunityStore(pack_path), alice.edits(), reason="codes", user="alice",
                   pack=read_pack(pack_path))
    assert "its measures went from WD001 to FW012" in info.value.conflicts[0].message
    key = info.value.conflicts[0].edit.key
    result = save_edits(GpkgOpportunityStore(pack_path), alice.edits(), reason="codes", user="alice",
                        pack=read_pack(pack_path), resolutions={key: "mine"})
    alice.after_save(result)
    layer = read_pack(pack_path).layers["opportunity_areas"]
    i = list(layer.fids).index(1)
    assert (layer.columns["measures"][i], layer.columns["name"][i]) == ("GR002", "Bob's name")
