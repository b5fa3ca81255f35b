"""History you can restore (issue 20): the audit keeps old and new geometry and attributes; an area's state at any
audit row or published version can be read, and restoring it is a validated, audited, conflict-checked check-in."""

from __future__ import annotations

import sqlite3

import pytest
import shapely
from lnrs_toolkit.plugin.core.editing.audit import audit_record
from lnrs_toolkit.plugin.core.editing.checkin import EditConflict, EditRefused, save_edits
from lnrs_toolkit.plugin.core.editing.edits import Edit, FeatureState
from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
from lnrs_toolkit.plugin.core.editing.history import (
    area_states,
    current_feature,
    restore_area,
    restore_edit,
    state_at_audit,
    state_at_version,
)
from lnrs_toolkit.plugin.core.editing.opportunity_feature import geometry_sha256
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.versions.publish import load_version, publish_version
from shapely.geometry import box

from .edit_packs import AREA_GEOMS, X0, Y0, build_edit_pack

WIDER = box(X0, Y0, X0 + 450, Y0 + 300)


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "lhm.gpkg"
    build_edit_pack(path)
    return path


def change(path, fid, reason, user="alice", **values):
    """One check-in changing area ``fid`` from what the pack holds now."""
    pack = read_pack(path)
    cur = current_feature(pack, fid)
    new = cur.__class__(fid, values.get("measures", cur.measures), values.get("geometry", cur.geometry),
                        values.get("name", cur.name), values.get("ref", cur.ref), str(fid))
    return save_edits(GpkgOpportunityStore(path), [Edit("update", fid, str(fid), cur, new)], reason=reason, user=user,
                      pack=pack)


def delete(path, fid, reason):
    pack = read_pack(path)
    return save_edits(GpkgOpportunityStore(path), [Edit("delete", fid, str(fid), current_feature(pack, fid), None)],
                      reason=reason, user="bob", pack=pack)


def test_the_audit_keeps_old_and_new_geometry_and_attributes(pack):
    saved = change(pack, 1, "widen", geometry=WIDER, measures="WD001;GR002", name="Bath meadows east")
    record = GpkgOpportunityStore(pack).audit_records(1)[-1]
    assert record == saved.audit[0]
    assert geometry_sha256(shapely.from_wkb(record.old_geom_wkb)) == record.old_geom_sha256
    assert shapely.from_wkb(record.old_geom_wkb).equals(AREA_GEOMS[0])
    assert shapely.from_wkb(record.new_geom_wkb).equals(WIDER)
    assert (record.old_measures, record.new_measures, record.old_name, record.new_name) == \
        ("WD001", "WD001;GR002", "Bath meadows", "Bath meadows east")
    delete(pack, 2, "merged into 3")
    gone = GpkgOpportunityStore(pack).audit_records(2)[-1]
    assert gone.old_geom_wkb is not None and gone.new_geom_wkb is None


def test_state_at_an_audit_row_and_before_the_first(pack):
    first = change(pack, 1, "widen", geometry=WIDER).audit[0]
    second = change(pack, 1, "recode", measures="GR002").audit[0]
    records = GpkgOpportunityStore(pack).audit_records()
    at_first = state_at_audit(records, first.audit_id)
    assert at_first.feature.geometry.equals(WIDER) and at_first.feature.measures == "WD001"
    assert at_first.restore_reason == f"restored from audit row {first.audit_id}"
    states = area_states(records, 1)
    assert [s.source for s in states] == [f"audit row {second.audit_id}", f"audit row {first.audit_id}",
                                          f"before audit row {first.audit_id}"]
    assert states[-1].feature.geometry.equals(AREA_GEOMS[0]) and states[-1].feature.name == "Bath meadows"
    with pytest.raises(InputError, match="no audit row 99"):
        state_at_audit(records, 99)


def test_restore_from_an_audit_row_is_an_audited_check_in(pack):
    first = change(pack, 1, "widen", geometry=WIDER).audit[0]
    change(pack, 1, "recode and rename", measures="GR002", name="Renamed")
    records = GpkgOpportunityStore(pack).audit_records()
    target = state_at_audit(records, first.audit_id)
    saved = restore_area(GpkgOpportunityStore(pack), read_pack(pack), target, user="carol", note="undo the rename")
    now = current_feature(read_pack(pack), 1)
    assert FeatureState.of(now) == FeatureState.of(target.feature)
    assert now.name == "Bath meadows" and now.measures == "WD001" and now.geometry.equals(WIDER)
    audit = saved.audit[0]
    assert (audit.action, audit.edited_by, audit.reason) == (
        "update", "carol", f"restored from audit row {first.audit_id}: undo the rename")
    assert read_pack(pack).metadata.content_sha256 == saved.content_sha256
    with pytest.raises(InputError, match="already as it was in audit row"):
        restore_area(GpkgOpportunityStore(pack), read_pack(pack), target, user="carol")


def test_restore_edit_for_each_case(pack):
    change(pack, 1, "widen", geometry=WIDER)
    records = GpkgOpportunityStore(pack).audit_records()
    before = area_states(records, 1)[-1]
    cur = current_feature(read_pack(pack), 1)
    edit, resolutions = restore_edit(cur, before)
    assert (edit.kind, edit.fid, resolutions) == ("update", 1, {})
    assert edit.base == cur and edit.new.geometry.equals(AREA_GEOMS[0])
    edit, resolutions = restore_edit(None, before)  # deleted since: back under its own fid
    assert (edit.kind, edit.fid, resolutions) == ("update", 1, {"restore-1": "mine"})
    absent = state_at_version(read_pack(pack), 99, 2)
    with pytest.raises(InputError, match="already absent"):
        restore_edit(None, absent)


def test_a_deleted_area_comes_back_under_its_fid(pack):
    delete(pack, 2, "mistake")
    records = GpkgOpportunityStore(pack).audit_records()
    before = area_states(records, 2)[-1]
    assert before.source.startswith("before audit row") and before.feature.name == "River corridor"
    saved = restore_area(GpkgOpportunityStore(pack), read_pack(pack), before, user="alice")
    back = current_feature(read_pack(pack), 2)
    assert back is not None and back.geometry.equals(AREA_GEOMS[1]) and back.measures == "GR002;FW012"
    assert saved.audit[0].action == "insert" and saved.audit[0].fid == 2


def test_restore_at_a_version_and_to_a_state_without_the_area(pack):
    v = publish_version(pack, "first", "ann")
    change(pack, 3, "move", geometry=box(X0 + 2000, Y0 + 500, X0 + 2300, Y0 + 800), measures="WD001")
    target = state_at_version(load_version(pack, v.version), 3, v.version)
    saved = restore_area(GpkgOpportunityStore(pack), read_pack(pack), target, user="ann")
    assert saved.audit[0].reason == f"restored from version {v.version}"
    assert current_feature(read_pack(pack), 3).geometry.equals(AREA_GEOMS[2])
    inserted = save_edits(GpkgOpportunityStore(pack), [Edit("insert", None, "n", None, current_feature(
        read_pack(pack), 3).__class__(None, "WD001", box(X0 + 5000, Y0, X0 + 5300, Y0 + 300), "New", "", "n"))],
        reason="new area", user="ann", pack=read_pack(pack))
    fid = inserted.new_fids["n"]
    absent = state_at_version(load_version(pack, v.version), fid, v.version)  # not in version 1: restoring deletes
    assert not absent.exists
    restored = restore_area(GpkgOpportunityStore(pack), read_pack(pack), absent, user="ann")
    assert restored.audit[0].action == "delete" and current_feature(read_pack(pack), fid) is None


def test_restore_is_conflict_checked_and_validated(pack):
    change(pack, 1, "widen", geometry=WIDER)
    target = area_states(GpkgOpportunityStore(pack).audit_records(), 1)[-1]  # as it was before
    shown = read_pack(pack)
    change(pack, 1, "someone else reshapes", user="bob", geometry=box(X0, Y0, X0 + 500, Y0 + 300))  # after the look
    with pytest.raises(EditConflict, match="changed in the Local Habitat Map after"):
        restore_area(GpkgOpportunityStore(pack), shown, target, user="alice")
    assert current_feature(read_pack(pack), 1).geometry.equals(box(X0, Y0, X0 + 500, Y0 + 300))
    shown = read_pack(pack)
    change(pack, 1, "someone else recodes", user="bob", measures="GR002")  # another field: merged, not reverted
    saved = restore_area(GpkgOpportunityStore(pack), shown, target, user="alice")
    now = current_feature(read_pack(pack), 1)
    assert saved.merged == (1,) and now.geometry.equals(AREA_GEOMS[0]) and now.measures == "GR002"
    delete(pack, 2, "gone")
    conn = sqlite3.connect(pack)
    with conn:  # FW012 leaves the catalogue: area 2 as it was would now be refused
        conn.execute("DELETE FROM measures WHERE code = 'FW012'")
    conn.close()
    before = area_states(GpkgOpportunityStore(pack).audit_records(), 2)[-1]
    with pytest.raises(EditRefused, match="not in the pack's measures catalogue"):
        restore_area(GpkgOpportunityStore(pack), read_pack(pack), before, user="alice")
    assert current_feature(read_pack(pack), 2) is None


def test_an_old_audit_row_without_geometry_uses_another_record_or_is_refused(pack):
    first = change(pack, 1, "widen", geometry=WIDER).audit[0]
    change(pack, 1, "recode", measures="GR002")
    conn = sqlite3.connect(pack)
    with conn:  # as an audit table written before geometries were kept
        conn.execute("UPDATE opportunity_audit SET old_geom_wkb = NULL, new_geom_wkb = NULL WHERE fid = ?",
                     (first.audit_id,))
    conn.close()
    records = GpkgOpportunityStore(pack).audit_records()
    assert records[0].new_geom_wkb is None
    assert state_at_audit(records, first.audit_id).feature.geometry.equals(WIDER)  # the later row's old shape
    before = area_states(records, 1)[-1]
    assert before.problem.startswith("Before audit row") and "cannot be shown or restored" in before.problem
    with pytest.raises(InputError, match="cannot be shown or restored"):
        restore_edit(current_feature(read_pack(pack), 1), before)


def test_an_audit_row_of_an_older_table_reads_without_geometries():
    record = audit_record((5, 2, "update", "ann", "2025-01-01T00:00:00Z", "A", "B", "h1", "h2", "why", "s"))
    assert (record.audit_id, record.old_geom_wkb, record.new_geom_wkb, record.new_ref) == (5, None, None, "")


def test_an_audit_table_from_before_gains_the_geometry_columns(pack):
    change(pack, 1, "widen", geometry=WIDER)
    conn = sqlite3.connect(pack)
    with conn:
        conn.execute("ALTER TABLE opportunity_audit DROP COLUMN old_geom_wkb")
        conn.execute("ALTER TABLE opportunity_audit DROP COLUMN new_geom_wkb")
    conn.close()
    assert GpkgOpportunityStore(pack).audit_records()[0].old_geom_wkb is None
    saved = change(pack, 1, "recode", measures="GR002")
    assert GpkgOpportunityStore(pack).audit_records()[-1].old_geom_wkb == saved.audit[0].old_geom_wkb is not None
