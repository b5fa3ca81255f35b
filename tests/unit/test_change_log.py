"""The working copy's change log (issue 20, defect 5): pending edits read from what the triggers logged are exactly
the full diff's (``WorkingCopy.full_edits``, kept as the reference), whatever the writes; and a check-in that hashes
only the rows it wrote stores the whole pack's content hash."""

from __future__ import annotations

import random

import shapely
from lnrs_toolkit.plugin.core.editing import change_log
from lnrs_toolkit.plugin.core.editing.checkin import save_edits
from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
from lnrs_toolkit.plugin.core.editing.working_copy import WorkingCopy, check_out
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import encode_blobs, read_pack
from lnrs_toolkit.tests.unit.edit_packs import (
    AREA_GEOMS,
    X0,
    Y0,
    add_row,
    connect,
    delete_row,
    row_fid,
    set_row,
)
from shapely.geometry import box


def kinds(copy: WorkingCopy) -> list[tuple[str, int | None]]:
    edits = copy.edits()
    assert edits == copy.full_edits(), "the change log and the full diff disagree"
    return [(e.kind, e.fid) for e in edits]


def logged(copy: WorkingCopy) -> tuple[set[int], set[int]]:
    conn = connect(copy.path)
    try:
        return change_log.logged(conn)
    finally:
        conn.close()


def test_a_fresh_copy_logs_nothing_and_one_change_logs_one_feature(copy):
    assert logged(copy) == (set(), set())
    set_row(copy.path, row_fid(copy.path, 2), name="Renamed")
    assert kinds(copy) == [("update", 2)]
    assert logged(copy) == ({2}, {row_fid(copy.path, 2)})


def test_a_change_undone_gives_no_edit(copy):
    row = row_fid(copy.path, 1)
    set_row(copy.path, row, measures="{GR002}", geom=box(X0, Y0, X0 + 50, Y0 + 50))
    assert kinds(copy) == [("update", 1)]
    set_row(copy.path, row, measures="{WD001}", geom=AREA_GEOMS[0])  # back as it was checked out
    assert kinds(copy) == []


def test_delete_and_insert_of_the_same_shape_is_a_delete_and_an_insert(copy):
    delete_row(copy.path, row_fid(copy.path, 3))
    add_row(copy.path, AREA_GEOMS[2], "{WD001,GR002}", "Hill wood", "A3")
    assert kinds(copy) == [("delete", 3), ("insert", None)]


def test_a_deletion_undone_by_inserting_the_row_again_gives_no_edit(copy):
    delete_row(copy.path, row_fid(copy.path, 3))
    assert kinds(copy) == [("delete", 3)]
    add_row(copy.path, AREA_GEOMS[2], "{WD001,GR002}", "Hill wood", "A3", pack_fid=3)  # QGIS's undo of a delete
    assert kinds(copy) == []


def test_a_split_keeps_the_first_part_as_the_feature_and_inserts_the_others(copy):
    row = row_fid(copy.path, 2)
    set_row(copy.path, row, geom=box(X0 + 1000, Y0, X0 + 1050, Y0 + 100))
    add_row(copy.path, box(X0 + 1050, Y0, X0 + 1100, Y0 + 100), "{GR002,FW012}", "River corridor", "A2", pack_fid=2)
    assert kinds(copy) == [("update", 2), ("insert", None)]


def test_rows_that_swap_pack_fids_are_diffed_like_the_full_diff(copy):
    a, b = row_fid(copy.path, 1), row_fid(copy.path, 2)
    set_row(copy.path, a, pack_fid=2)
    set_row(copy.path, b, pack_fid=1)
    assert set(kinds(copy)) == {("update", 1), ("update", 2)}
    set_row(copy.path, a, pack_fid=None)
    assert kinds(copy) == [("update", 1), ("delete", 2), ("insert", None)]


def test_after_a_save_the_log_is_compacted_to_what_still_differs(pack_path, copy):
    set_row(copy.path, row_fid(copy.path, 1), measures="{WD001,GR002}")
    new_row = add_row(copy.path, box(X0 + 3000, Y0 + 3000, X0 + 3100, Y0 + 3100), "{GR002}", "New meadow")
    result = save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="r", user="u",
                        pack=read_pack(pack_path))
    copy.after_save(result)
    assert kinds(copy) == []
    assert logged(copy) == (set(), set())
    set_row(copy.path, new_row, name="New meadow (renamed)")  # the saved insert is a feature of the pack now
    assert kinds(copy) == [("update", result.new_fids[str(new_row)])]


def test_refresh_keeps_the_log_true(pack_path, copy, tmp_path):
    other = check_out(read_pack(pack_path), str(pack_path), tmp_path / "other.gpkg")
    set_row(other.path, row_fid(other.path, 2), name="Theirs")
    delete_row(other.path, row_fid(other.path, 3))
    save_edits(GpkgOpportunityStore(pack_path), other.edits(), reason="r", user="other", pack=read_pack(pack_path))
    set_row(copy.path, row_fid(copy.path, 1), measures="{FW012}")
    result = copy.refresh(read_pack(pack_path))
    assert (result.updated, result.removed) == ((2,), (3,))
    assert kinds(copy) == [("update", 1)]
    assert logged(copy)[0] == {1}


def test_a_copy_made_before_the_log_gets_one_when_opened(copy):
    set_row(copy.path, row_fid(copy.path, 2), measures="{FW012}")
    conn = connect(copy.path)
    try:  # as a copy checked out by an earlier version: no log tables, no triggers
        for name, kind in conn.execute("SELECT name, type FROM sqlite_master WHERE name LIKE 'lnrs_log_%' "
                                       "OR name IN ('changed_rows', 'changed_pack_fids')").fetchall():
            conn.execute(f'DROP {kind.upper()} "{name}"')
    finally:
        conn.close()
    reopened = WorkingCopy.open(copy.path)
    assert logged(reopened) == ({2}, {row_fid(copy.path, 2)})
    assert kinds(reopened) == [("update", 2)]


def test_random_writes_always_give_the_full_diff(copy):
    rng = random.Random(20)
    codes = ["{WD001}", "{GR002}", "{FW012}", "{WD001,GR002}", "WD001;FW012"]
    for step in range(120):
        conn = connect(copy.path)
        try:
            rows = [r[0] for r in conn.execute("SELECT fid FROM opportunity_edits")]
            op = rng.choice(["measures", "geom", "name", "delete", "add", "pack_fid", "restore"])
            fid = rng.choice(rows) if rows else None
            x = X0 + rng.randrange(0, 4000, 100)
            if op == "add" or fid is None:
                conn.execute("INSERT INTO opportunity_edits (geom, pack_fid, measures) VALUES (?, ?, ?)", (
                    _blob(box(x, Y0, x + 80, Y0 + 80)), rng.choice([None, 1, 2, 3, 7]), rng.choice(codes)))
            elif op == "delete":
                conn.execute("DELETE FROM opportunity_edits WHERE fid = ?", (fid,))
            elif op == "pack_fid":
                conn.execute("UPDATE opportunity_edits SET pack_fid = ? WHERE fid = ?",
                             (rng.choice([None, 1, 2, 3]), fid))
            elif op == "restore":  # a feature set back to its base (QGIS's undo)
                pack_fid = rng.choice([1, 2, 3])
                conn.execute("UPDATE opportunity_edits SET geom = ?, measures = (SELECT base_measures FROM "
                             "checked_out_fids WHERE pack_fid = ?), name = (SELECT base_name FROM checked_out_fids "
                             "WHERE pack_fid = ?), ref = (SELECT base_ref FROM checked_out_fids WHERE pack_fid = ?) "
                             "WHERE fid = ?", (_blob(AREA_GEOMS[pack_fid - 1]), pack_fid, pack_fid, pack_fid, fid))
            else:
                value = {"measures": rng.choice(codes), "name": rng.choice([None, "A", "B"]),
                         "geom": _blob(box(x, Y0, x + 60, Y0 + 60))}[op]
                conn.execute(f'UPDATE opportunity_edits SET "{op}" = ? WHERE fid = ?', (value, fid))
        finally:
            conn.close()
        assert copy.edits() == copy.full_edits(), f"step {step}: {op}"


def _blob(geom):
    return encode_blobs([shapely.multipolygons([geom])])[0]


def test_a_check_in_stores_the_whole_packs_content_hash(pack_path, copy):
    pack = read_pack(pack_path)
    set_row(copy.path, row_fid(copy.path, 1), measures="{WD001,GR002}", geom=box(X0, Y0, X0 + 120, Y0 + 90))
    delete_row(copy.path, row_fid(copy.path, 3))
    add_row(copy.path, box(X0 + 3000, Y0 + 3000, X0 + 3100, Y0 + 3100), "{GR002}", "New meadow")
    result = save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="r", user="u", pack=pack)
    assert result.content_sha256 == content_hash(read_pack(pack_path))
    assert result.previous_content_sha256 == pack.metadata.content_sha256


def test_a_check_in_against_a_pack_changed_since_it_was_loaded_hashes_every_row(pack_path, copy):
    stale = read_pack(pack_path)
    conn = connect(pack_path)
    try:  # another writer changed the pack after it was loaded here, and stored its new hash (as every writer does)
        conn.execute("UPDATE designated_sites SET name = 'Far Fen (renamed)'")
        conn.execute("UPDATE pack_metadata SET value = ? WHERE key = 'content_sha256'",
                     (content_hash(read_pack(pack_path)),))
    finally:
        conn.close()
    set_row(copy.path, row_fid(copy.path, 2), name="Renamed")
    result = save_edits(GpkgOpportunityStore(pack_path), copy.edits(), reason="r", user="u", pack=stale)
    assert result.content_sha256 == content_hash(read_pack(pack_path))
