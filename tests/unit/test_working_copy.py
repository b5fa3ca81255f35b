"""The working copy: check-out layout, the diff (insert / update / delete / split), rebasing and take-theirs."""

from __future__ import annotations

import sqlite3

import pytest
import shapely
from lnrs_toolkit.plugin.core.editing.checkin import SaveResult, save_edits
from lnrs_toolkit.plugin.core.editing.edits import canonical_measures, form_measures
from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
from lnrs_toolkit.plugin.core.editing.opportunity_feature import OpportunityFeature, geometry_sha256
from lnrs_toolkit.plugin.core.editing.working_copy import FORMAT, WorkingCopy, check_out
from lnrs_toolkit.plugin.core.errors import InputError, PackError
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
)
from lnrs_toolkit.tests.unit.packs import add_sites
from shapely.geometry import box


def test_check_out_writes_a_geopackage_with_features_base_catalogue_and_info(pack_path, copy):
    pack = read_pack(pack_path)
    conn = connect(copy.path)
    try:
        contents = dict(conn.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
        geometry = conn.execute("SELECT table_name, geometry_type_name, srs_id FROM gpkg_geometry_columns").fetchall()
        rows = conn.execute("SELECT pack_fid, measures, name, ref, base_measures, base_geom_sha256 "
                            "FROM opportunity_edits ORDER BY pack_fid").fetchall()
        base = conn.execute("SELECT pack_fid, base_measures, base_name, base_ref, base_geom_sha256 "
                            "FROM checked_out_fids ORDER BY pack_fid").fetchall()
        choices = conn.execute("SELECT code, label, theme FROM measure_choices ORDER BY code").fetchall()
        info = dict(conn.execute("SELECT key, value FROM working_copy_info").fetchall())
        autoincrement = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'opportunity_edits'").fetchone()[0]
    finally:
        conn.close()
    assert contents == {"opportunity_edits": "features", "checked_out_fids": "attributes",
                        "measure_choices": "attributes", "working_copy_info": "attributes"}
    assert geometry == [("opportunity_edits", "MULTIPOLYGON", 27700)]
    assert "fid INTEGER PRIMARY KEY AUTOINCREMENT" in autoincrement
    hashes = [geometry_sha256(g) for g in AREA_GEOMS]
    assert rows == [(1, "{WD001}", "Bath meadows", "A1", "WD001", hashes[0]),
                    (2, "{GR002,FW012}", "River corridor", "A2", "GR002;FW012", hashes[1]),
                    (3, "{WD001,GR002}", "Hill wood", "A3", "WD001;GR002", hashes[2])]
    assert base == [(1, "WD001", "Bath meadows", "A1", hashes[0]), (2, "GR002;FW012", "River corridor", "A2",
                                                                    hashes[1]),
                    (3, "WD001;GR002", "Hill wood", "A3", hashes[2])]
    assert choices == [("FW012", "FW012 — Re-naturalise river corridors.", "Freshwater"),
                       ("GR002", "GR002 — Restore species-rich grassland.", "Grassland"),
                       ("WD001", "WD001 — Create new broadleaved woodland.", "Woodland")]
    assert info["format"] == FORMAT
    assert info["pack_source"] == str(pack_path)
    assert info["pack_content_sha256"] == pack.metadata.content_sha256
    assert info["checked_out_at"].endswith("Z")
    assert copy.info.pack_name == "Edit Test LNRS"
    assert copy.layer_uri == f"{copy.path}|layername=opportunity_edits"
    assert rtree_matches(copy.path, "opportunity_edits")
    assert copy.edits() == []
    assert copy.feature_count() == 3


def test_check_out_refuses_to_overwrite_a_working_copy(pack_path, copy):
    before = copy.path.read_bytes()
    with pytest.raises(InputError, match="already exists"):
        check_out(read_pack(pack_path), str(pack_path), copy.path)
    assert copy.path.read_bytes() == before


def test_check_out_of_a_pack_without_opportunity_areas_is_refused(tmp_path):
    path = tmp_path / "sites_only.gpkg"
    add_sites(path)
    with pytest.raises(PackError, match="no opportunity areas layer"):
        check_out(read_pack(path), str(path), tmp_path / "w.gpkg")
    assert not (tmp_path / "w.gpkg").exists()


def test_open_refuses_what_is_not_a_working_copy(pack_path, tmp_path):
    with pytest.raises(InputError, match="not an LNRS Toolkit working copy"):
        WorkingCopy.open(pack_path)
    with pytest.raises(InputError, match="no working copy"):
        WorkingCopy.open(tmp_path / "missing.gpkg")


def test_measures_in_either_form_are_no_change(copy):
    set_row(copy.path, row_fid(copy.path, 1), measures="wd001")
    set_row(copy.path, row_fid(copy.path, 2), measures=" GR002 ; FW012 ")
    set_row(copy.path, row_fid(copy.path, 3), measures='{"WD001",GR002}')
    assert copy.edits() == []
    assert canonical_measures("{gr002, wd001,GR002}") == "GR002;WD001"
    assert form_measures("GR002;WD001") == "{GR002,WD001}"


def test_edits_are_inserts_updates_and_deletes(copy):
    set_row(copy.path, row_fid(copy.path, 1), measures="{WD001,FW012}")
    set_row(copy.path, row_fid(copy.path, 2), geom=shapely.multipolygons([box(X0 + 1000, Y0, X0 + 1400, Y0 + 300)]))
    set_row(copy.path, row_fid(copy.path, 3), name="Hill wood (east)")
    new_row = add_row(copy.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "New meadow")
    edits = copy.edits()
    assert [(e.kind, e.fid, e.key) for e in edits] == [
        ("update", 1, str(row_fid(copy.path, 1))), ("update", 2, str(row_fid(copy.path, 2))),
        ("update", 3, str(row_fid(copy.path, 3))), ("insert", None, str(new_row))]
    first = edits[0]
    assert first.base.measures == "WD001" and first.new.measures == "{WD001,FW012}"
    assert first.base.geometry.equals(AREA_GEOMS[0]) and first.new.fid == 1
    assert edits[1].new.geometry.equals(box(X0 + 1000, Y0, X0 + 1400, Y0 + 300))
    assert edits[3].new.fid is None and edits[3].new.name == "New meadow" and edits[3].base is None
    delete_row(copy.path, row_fid(copy.path, 2))
    kinds = {(e.kind, e.fid) for e in copy.edits()}
    assert ("delete", 2) in kinds and ("update", 2) not in kinds
    deletion = next(e for e in copy.edits() if e.kind == "delete")
    assert deletion.key == "deleted:2" and deletion.new is None and deletion.base.name == "River corridor"
    assert rtree_matches(copy.path, "opportunity_edits")


def test_a_split_feature_is_an_update_and_an_insert(copy):
    first = row_fid(copy.path, 1)
    set_row(copy.path, first, geom=shapely.multipolygons([box(X0, Y0, X0 + 150, Y0 + 300)]))
    extra = add_row(copy.path, box(X0 + 150, Y0, X0 + 300, Y0 + 300), "{WD001}", "Bath meadows", "A1", pack_fid=1)
    edits = copy.edits()
    assert [(e.kind, e.fid, e.key) for e in edits] == [("update", 1, str(first)), ("insert", None, str(extra))]


def test_a_row_with_an_unknown_pack_fid_is_an_insert(copy):
    row = add_row(copy.path, box(X0, Y0 + 5000, X0 + 100, Y0 + 5100), "WD001", pack_fid=999)
    assert [(e.kind, e.fid, e.key) for e in copy.edits()] == [("insert", None, str(row))]


def test_after_save_rebases_and_gives_inserted_rows_their_pack_fids(pack_path, copy):
    set_row(copy.path, row_fid(copy.path, 1), measures="{WD001,FW012}")
    delete_row(copy.path, row_fid(copy.path, 3))
    new_row = add_row(copy.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "New meadow")
    store = GpkgOpportunityStore(pack_path)
    result = save_edits(store, copy.edits(), reason="Survey 2025", user="alice", pack=read_pack(pack_path))
    assert result.new_fids == {str(new_row): 4}
    copy.after_save(result)
    assert copy.edits() == []
    conn = connect(copy.path)
    try:
        assert conn.execute("SELECT pack_fid, base_measures FROM opportunity_edits WHERE fid = ?",
                            (new_row,)).fetchone() == (4, "GR002")
        assert conn.execute("SELECT pack_fid FROM checked_out_fids ORDER BY pack_fid").fetchall() == [(1,), (2,), (4,)]
        assert conn.execute("SELECT base_measures FROM checked_out_fids WHERE pack_fid = 1").fetchone() == (
            "WD001;FW012",)
    finally:
        conn.close()
    assert copy.info.last_saved_content_sha256 == result.content_sha256 == read_pack(pack_path).metadata.content_sha256
    # a later change to the inserted feature is an update of pack fid 4
    set_row(copy.path, new_row, name="New meadow (north)")
    assert [(e.kind, e.fid) for e in copy.edits()] == [("update", 4)]


def test_after_save_keeps_a_change_made_after_the_diff(pack_path, copy):
    row = row_fid(copy.path, 1)
    set_row(copy.path, row, measures="{WD001,FW012}")
    edits = copy.edits()
    set_row(copy.path, row, name="Renamed while saving")  # the editor went on editing
    result = save_edits(GpkgOpportunityStore(pack_path), edits, reason="r", user="u", pack=read_pack(pack_path))
    copy.after_save(result)
    remaining = copy.edits()
    assert [(e.kind, e.fid) for e in remaining] == [("update", 1)]
    assert remaining[0].base.measures == "WD001;FW012" and remaining[0].new.name == "Renamed while saving"


def test_take_theirs_replaces_the_feature_with_the_pack_state(copy):
    row = row_fid(copy.path, 2)
    set_row(copy.path, row, measures="{FW012}")
    theirs = OpportunityFeature(2, "GR002", box(X0 + 1000, Y0, X0 + 1500, Y0 + 300), "River corridor", "A2b")
    copy.take_theirs(2, theirs)
    assert copy.edits() == []
    conn = connect(copy.path)
    try:
        assert conn.execute("SELECT measures, ref, base_measures FROM opportunity_edits WHERE fid = ?",
                            (row,)).fetchone() == ("{GR002}", "A2b", "GR002")
    finally:
        conn.close()
    assert rtree_matches(copy.path, "opportunity_edits")


def test_take_theirs_of_a_deleted_feature_removes_it(copy):
    set_row(copy.path, row_fid(copy.path, 3), measures="{GR002}")
    copy.take_theirs(3, None)
    assert copy.edits() == []
    assert copy.feature_count() == 2


def test_take_theirs_restores_a_feature_i_deleted(copy):
    delete_row(copy.path, row_fid(copy.path, 1))
    copy.take_theirs(1, OpportunityFeature(1, "WD001;GR002", AREA_GEOMS[0], "Bath meadows", "A1"))
    assert copy.edits() == []
    assert copy.feature_count() == 3


def test_after_save_with_nothing_saved_leaves_the_copy(copy):
    set_row(copy.path, row_fid(copy.path, 1), measures="{GR002}")
    copy.after_save(SaveResult(0, (), {}, "abc"))
    assert [(e.kind, e.fid) for e in copy.edits()] == [("update", 1)]


def test_a_copy_locked_by_another_writer_is_a_sentence(copy):
    other = sqlite3.connect(str(copy.path), isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        copy_fast = WorkingCopy(copy.path, copy.info)
        with pytest.MonkeyPatch.context() as mp:
            real = WorkingCopy._connect_path

            def quick(path):
                conn = real(path)
                conn.execute("PRAGMA busy_timeout = 100")
                return conn

            mp.setattr(WorkingCopy, "_connect_path", staticmethod(quick))
            with pytest.raises(InputError, match="cannot be (read|written)"):
                copy_fast.take_theirs(1, None)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_refresh_brings_in_what_others_saved_and_keeps_my_changes(pack_path, tmp_path):
    mine = check_out(read_pack(pack_path), str(pack_path), tmp_path / "mine.gpkg")
    other = check_out(read_pack(pack_path), str(pack_path), tmp_path / "other.gpkg")
    set_row(other.path, row_fid(other.path, 1), measures="{WD001,GR002}")  # I changed it too: kept
    set_row(other.path, row_fid(other.path, 2), name="River corridor (other)")  # only they changed it
    delete_row(other.path, row_fid(other.path, 3))
    add_row(other.path, box(X0, Y0 + 2000, X0 + 200, Y0 + 2200), "{GR002}", "Their new area")
    save_edits(GpkgOpportunityStore(pack_path), other.edits(), reason="r", user="other", pack=read_pack(pack_path))
    set_row(mine.path, row_fid(mine.path, 1), measures="{FW012}")
    result = mine.refresh(read_pack(pack_path))
    assert (result.updated, result.added, result.removed, result.kept) == ((2,), (4,), (3,), (1,))
    assert [(e.kind, e.fid, e.new.measures) for e in mine.edits()] == [("update", 1, "{FW012}")]
    conn = connect(mine.path)
    try:
        rows = dict(conn.execute("SELECT pack_fid, name FROM opportunity_edits").fetchall())
    finally:
        conn.close()
    assert rows == {1: "Bath meadows", 2: "River corridor (other)", 4: "Their new area"}
    assert rtree_matches(mine.path, "opportunity_edits")
    assert mine.refresh(read_pack(pack_path)) == type(result)((), (), (), (1,))
