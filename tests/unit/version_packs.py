"""A pack edited on purpose between two published versions, and the answers expected (unit and QGIS tiers).

Version 1 (after :func:`build_v1_pack`): the small pack of ``packs.py`` plus a third opportunity area.
Opportunity areas (fid: codes, geometry):
  1 'Woodland buffer': WD001;WD006;FW012, box(0, 200, 100, 300)
  2 'Grassland':       GL001;XX999,       box(200, 200, 300, 300)
  3 'River strip':     FW012,             box(400, 200, 500, 300)

The edits of :func:`edit_gpkg_for_v2` (the same in :data:`V2_EDITS_SQL` for PostGIS):
  fid 1: codes FW012 removed, GL001 added (geometry unchanged)
  fid 2: geometry widened to box(200, 200, 350, 300) (+5,000 m²), codes unchanged
  fid 3: deleted
  fid 4: inserted 'New wood', WD001, box(600, 200, 700, 300)
and one SSSI added to the designated sites at box(600, 400, 700, 500).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw, encode_blobs, read_pack
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.plugin.core.versions import row_store
from shapely.geometry import MultiPolygon, Point, box

from .packs import add_sites, build_small_pack

V2_OPPORTUNITY_FIDS = [1, 2, 4]
#: Opportunity areas of :func:`big_pack` (besides the small pack's two).
N_AREAS = 3000

#: Expected comparison v1 -> v2 (fid -> kind, codes added, codes removed, geometry changed, area difference).
EXPECTED_CHANGES = {
    1: ("changed", ("GL001",), ("FW012",), False, 0.0),
    2: ("changed", (), (), True, 5000.0),
    3: ("removed", (), ("FW012",), True, -10000.0),
    4: ("added", ("WD001",), (), True, 10000.0),
}
#: Expected area per code (gained, lost) in m².
EXPECTED_CODE_AREAS = {"FW012": (0.0, 20000.0), "GL001": (15000.0, 0.0), "WD001": (10000.0, 0.0),
                       "XX999": (5000.0, 0.0)}

#: Previously screened sites: ref -> geometry; and what changes from v1 to v2.
SCREENED_SITES = {
    "S-A": box(10, 210, 60, 260),     # inside fid 1: measures change (FW012 -> GL001)
    "S-B": box(310, 210, 340, 240),   # inside fid 2 only in v2: Low -> High, measures () -> GL001;XX999
    "S-C": box(410, 210, 460, 260),   # inside fid 3, deleted in v2: High -> Low, measures FW012 -> ()
    "S-D": box(10, 400, 60, 450),     # nothing changes near it
    "S-E": box(20, 20, 40, 40),       # inside the SSSI of v1 and v2: red both times
    "S-F": box(610, 410, 620, 420),   # inside the SSSI added in v2: amber -> red
}
# screened without a proposed habitat: no strategic significance category (only the measures mapped)
EXPECTED_SITE_CHANGES = {
    "S-A": (("measures",), ("amber", "amber"), ("", ""),
            (("FW012", "WD001", "WD006"), ("GL001", "WD001", "WD006"))),
    "S-B": (("measures",), ("amber", "amber"), ("", ""), ((), ("GL001", "XX999"))),
    "S-C": (("measures",), ("amber", "amber"), ("", ""), (("FW012",), ())),
    "S-F": (("verdict",), ("amber", "red"), ("", ""), ((), ())),
}


def multi(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    """Pack tables hold MultiPolygons."""
    return MultiPolygon([box(x0, y0, x1, y1)])


def refresh_hash(conn: sqlite3.Connection, path: Path) -> None:
    """What a check-in does last: the metadata hash becomes the hash of what is now in the pack."""
    conn.execute("UPDATE pack_metadata SET value = ? WHERE key = 'content_sha256'", (content_hash(read_pack(path)),))


def build_v1_pack(path: Path) -> None:
    build_small_pack(path)
    conn = connect_rw(path)
    try:
        conn.execute("INSERT INTO opportunity_areas (fid, geom, measures, name, ref, source_layer) VALUES "
                     "(3, ?, 'FW012', 'River strip', 'R3', 'opps')", (encode_blobs([multi(400, 200, 500, 300)])[0],))
        refresh_hash(conn, path)
    finally:
        conn.close()


def edit_gpkg_for_v2(path: Path) -> None:
    conn = connect_rw(path)
    try:
        conn.execute("BEGIN")
        conn.execute("UPDATE opportunity_areas SET measures = 'WD001;WD006;GL001' WHERE fid = 1")
        conn.execute("UPDATE opportunity_areas SET geom = ? WHERE fid = 2",
                     (encode_blobs([multi(200, 200, 350, 300)])[0],))
        conn.execute("DELETE FROM opportunity_areas WHERE fid = 3")
        conn.execute("INSERT INTO opportunity_areas (fid, geom, measures, name, ref, source_layer) VALUES "
                     "(4, ?, 'WD001', 'New wood', 'N4', 'edit')", (encode_blobs([multi(600, 200, 700, 300)])[0],))
        conn.execute("COMMIT")
        refresh_hash(conn, path)
    finally:
        conn.close()
    add_sites(path, rows=[{"name": "Delta Down", "desig": "sssi", "ref": "S4"}], geoms=[box(600, 400, 700, 500)],
              source="more_sites")


#: The same edits for a pack published into a PostGIS schema (format with the quoted schema name).
V2_EDITS_SQL = """
UPDATE {s}.opportunity_areas SET measures = 'WD001;WD006;GL001' WHERE fid = 1;
UPDATE {s}.opportunity_areas SET geom = ST_Multi(ST_MakeEnvelope(200, 200, 350, 300, 27700)) WHERE fid = 2;
DELETE FROM {s}.opportunity_areas WHERE fid = 3;
INSERT INTO {s}.opportunity_areas (fid, geom, measures, name, ref, source_layer)
  VALUES (4, ST_Multi(ST_MakeEnvelope(600, 200, 700, 300, 27700)), 'WD001', 'New wood', 'N4', 'edit');
INSERT INTO {s}.designated_sites (fid, geom, designation, name, ref, source_layer)
  VALUES (4, ST_Multi(ST_MakeEnvelope(600, 400, 700, 500, 27700)), 'SSSI', 'Delta Down', 'S4', 'more_sites');
"""


def big_pack(path: Path, n: int = N_AREAS) -> None:
    """The small pack plus ``n`` opportunity areas (40-vertex circles, 40 m across, on a 100 m grid)."""
    build_small_pack(path)
    rows = [{"codes": "WD001;GL001" if i % 3 else "FW012", "label": f"Area {i}"} for i in range(n)]
    geoms = np.array([Point(1000 + 100 * (i % 60), 1000 + 100 * (i // 60)).buffer(20, quad_segs=10)
                      for i in range(n)], dtype=object)
    mapped = map_rows("opportunity", rows, geoms, FieldMapping(measures_field="codes", name_field="label"),
                      "grid", ["codes", "label"], "polygon")
    add_rows(path, mapped)


def move_one_polygon(path: Path, fid: int) -> None:
    conn = connect_rw(path)
    try:
        moved = MultiPolygon([Point(5, 5).buffer(20, quad_segs=10)])
        conn.execute("UPDATE opportunity_areas SET geom = ? WHERE fid = ?", (encode_blobs([moved])[0], fid))
        refresh_hash(conn, path)
    finally:
        conn.close()


@contextlib.contextmanager
def rows_as_before(monkeypatch) -> Iterator[None]:
    """Publish as the row store did before row format 2: WKB and JSON as they are, under whole sha256 keys."""
    with monkeypatch.context() as m:
        m.setattr(row_store, "pack_row", lambda row: None)
        m.setattr(row_store, "KEY_BYTES", 32)
        yield
