"""Opportunity areas keep their fids across re-imports (issue 20, defect 2): re-adding a source never renumbers
other rows, never reuses a deleted feature's fid, keeps the fid of an area by the source's own id (ref) or, without
one, by its geometry, and replaces an earlier source (the same layer under another file name) when told to."""

from __future__ import annotations

import numpy as np
from lnrs_toolkit.plugin.core.editing.checkin import save_edits
from lnrs_toolkit.plugin.core.editing.edits import EDIT_SOURCE
from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
from lnrs_toolkit.plugin.core.editing.working_copy import check_out
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.tests.unit.edit_packs import (
    AREA_GEOMS,
    AREAS,
    X0,
    Y0,
    add_row,
    build_edit_pack,
    connect,
    delete_row,
    row_fid,
)
from shapely.geometry import box

NEW_GEOM = box(X0 + 5000, Y0, X0 + 5300, Y0 + 300)


def _add(pack, rows, geoms, source="acb", ref=True, replaces=()):
    mapping = FieldMapping(measures_field="codes", name_field="name", ref_field="ref" if ref else "")
    mapped = map_rows("opportunity", rows, np.asarray(geoms, dtype=object), mapping, source,
                      ["codes", "name", "ref"], "polygon")
    return add_rows(pack, mapped, replaces=replaces)


def _areas(pack):
    layer = read_pack(pack).layers["opportunity_areas"]
    return {int(f): (layer.columns["name"][i], layer.columns["source_layer"][i], layer.geoms[i])
            for i, f in enumerate(layer.fids)}


def _delete_by_check_in(pack, tmp_path, fid):
    copy = check_out(read_pack(pack), str(pack), tmp_path / f"w{fid}.gpkg")
    delete_row(copy.path, row_fid(copy.path, fid))
    copy.after_save(save_edits(GpkgOpportunityStore(pack), copy.edits(), reason="gone", user="alice",
                               pack=read_pack(pack)))


def _insert_by_check_in(pack, tmp_path):
    copy = check_out(read_pack(pack), str(pack), tmp_path / "wi.gpkg")
    add_row(copy.path, box(X0, Y0 + 3000, X0 + 200, Y0 + 3200), "{GR002}", "Drawn by an editor")
    result = save_edits(GpkgOpportunityStore(pack), copy.edits(), reason="new", user="alice", pack=read_pack(pack))
    return next(iter(result.new_fids.values()))


def test_re_adding_a_source_keeps_fids_and_never_reuses_a_deleted_one(tmp_path):
    pack = tmp_path / "lhm.gpkg"
    build_edit_pack(pack)
    drawn = _insert_by_check_in(pack, tmp_path)   # an editor's area after the source's three
    assert drawn == 4
    _delete_by_check_in(pack, tmp_path, 2)        # the audit trail names fid 2
    # the source again, in another order, area A2 still in it, one new area, A1 moved
    moved = box(X0 + 10, Y0, X0 + 310, Y0 + 300)
    rows = [AREAS[2], AREAS[1], AREAS[0], {"codes": "GR002", "name": "New fen", "ref": "A9"}]
    report = _add(pack, rows, [AREA_GEOMS[2], AREA_GEOMS[1], moved, NEW_GEOM])
    now = _areas(pack)
    by_name = {v[0]: k for k, v in now.items()}
    # A1 (moved, same ref) and A3 keep theirs; the editor's area keeps 4; A2 (deleted by a check-in) and the new
    # area get fids never used before, not 2 and not 3
    assert by_name["Bath meadows"] == 1 and by_name["Hill wood"] == 3 and by_name["Drawn by an editor"] == 4
    assert now[4][1] == EDIT_SOURCE
    assert sorted([by_name["River corridor"], by_name["New fen"]]) == [5, 6]
    assert (report.rows_replaced, report.fids_kept) == (2, 2)
    assert read_pack(pack).metadata.content_sha256 == content_hash(read_pack(pack))
    # the same again changes nothing at all
    again = _add(pack, rows, [AREA_GEOMS[2], AREA_GEOMS[1], moved, NEW_GEOM])
    assert _areas(pack).keys() == now.keys() and again.content_sha256 == report.content_sha256
    assert again.fids_kept == 4


def test_without_a_reference_unchanged_areas_are_matched_by_geometry(tmp_path):
    pack = tmp_path / "lhm.gpkg"
    _add(pack, AREAS, AREA_GEOMS, ref=False)
    assert {v[0]: k for k, v in _areas(pack).items()} == {"Bath meadows": 1, "River corridor": 2, "Hill wood": 3}
    reshaped = box(X0 + 1000, Y0, X0 + 1400, Y0 + 300)
    _add(pack, [AREAS[2], AREAS[0], AREAS[1]], [AREA_GEOMS[2], AREA_GEOMS[0], reshaped], ref=False)
    by_name = {v[0]: k for k, v in _areas(pack).items()}
    # unchanged areas keep their fids; the reshaped one, with nothing to know it by, is a new area
    assert by_name == {"Bath meadows": 1, "Hill wood": 3, "River corridor": 4}


def test_the_same_source_from_another_file_replaces_only_when_told(tmp_path):
    pack = tmp_path / "lhm.gpkg"
    _add(pack, AREAS, AREA_GEOMS, source="acb_2025.gpkg")
    appended = tmp_path / "appended.gpkg"
    appended.write_bytes(pack.read_bytes())
    _add(appended, AREAS, AREA_GEOMS, source="acb_2026.gpkg")
    assert len(_areas(appended)) == 6  # another source: added beside the first
    report = _add(pack, AREAS, AREA_GEOMS, source="acb_2026.gpkg", replaces=["acb_2025.gpkg"])
    now = _areas(pack)
    assert sorted(now) == [1, 2, 3] and {v[1] for v in now.values()} == {"acb_2026.gpkg"}
    assert (report.rows_replaced, report.fids_kept, report.rows_in_table) == (3, 3, 3)


def test_a_fid_named_by_the_audit_trail_is_never_handed_out_again(tmp_path):
    pack = tmp_path / "lhm.gpkg"
    build_edit_pack(pack)
    drawn = _insert_by_check_in(pack, tmp_path)
    _delete_by_check_in(pack, tmp_path, drawn)
    conn = connect(pack)  # a tool that rewrote the table would have lost SQLite's sequence: the audit still counts
    try:
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'opportunity_areas'")
    finally:
        conn.close()
    _add(pack, [*AREAS, {"codes": "GR002", "name": "New fen", "ref": "A9"}], [*AREA_GEOMS, NEW_GEOM])
    assert sorted(_areas(pack)) == [1, 2, 3, 5]
