"""Versions share unchanged rows (issue 20, defect 6): a version after a one-polygon edit grows the pack by < 1 %.

Every version still reads back whole with the content hash it was published with, and a pack published before
(one full copy of each changed table in ``pack_version_rows``) reads back and publishes on.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.errors import PackError
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw, read_pack
from lnrs_toolkit.plugin.core.versions.compare import compare_packs
from lnrs_toolkit.plugin.core.versions.publish import list_versions, load_version, publish_version
from lnrs_toolkit.plugin.core.versions.row_store import decode_members, encode_members

from .version_packs import N_AREAS, big_pack, build_v1_pack, edit_gpkg_for_v2, move_one_polygon, refresh_hash

WHEN = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def vacuum(path: Path) -> int:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("VACUUM")
    conn.close()
    return path.stat().st_size


def test_members_round_trip_and_compress():
    ids = list(range(1, 50_001))
    blob = encode_members(reversed(ids))
    assert decode_members(blob, "s") == ids
    assert len(blob) < 2_000  # 50,000 consecutive ids: a few hundred bytes, not 400 kB
    with pytest.raises(PackError, match="damaged"):
        decode_members(blob[:-3], "s")


def test_a_version_after_a_one_polygon_edit_grows_the_pack_by_under_one_percent(tmp_path):
    pack = tmp_path / "big.gpkg"
    big_pack(pack)
    v1 = publish_version(pack, "First", "Ann", now=WHEN)
    move_one_polygon(pack, 100)
    before = vacuum(pack)  # the edit's own pages settled: what follows is the publication's growth alone
    v2 = publish_version(pack, "Moved one area", "Ann", now=WHEN)
    after = pack.stat().st_size  # not vacuumed: real growth, not space a VACUUM would give back
    growth = (after - before) / before
    print(f"pack {before} B -> {after} B after v2: +{after - before} B ({100 * growth:.3f} %)")
    assert growth < 0.01
    conn = sqlite3.connect(pack)
    try:
        stored = conn.execute("SELECT count(*) FROM pack_version_row_store WHERE table_name = 'opportunity_areas'"
                              ).fetchone()[0]
        legacy = conn.execute("SELECT count(*) FROM pack_version_rows").fetchone()[0]
    finally:
        conn.close()
    assert stored == N_AREAS + 2 + 1 and legacy == 0  # the first version's rows, and the moved one once more
    first, second = load_version(pack, v1.version), load_version(pack, v2.version)
    assert content_hash(first) == v1.content_sha256 and content_hash(second) == v2.content_sha256
    assert len(first.layers["opportunity_areas"]) == len(second.layers["opportunity_areas"]) == N_AREAS + 2
    comparison = compare_packs(first, second, "version 1", "version 2")
    assert [(c.fid, c.kind, c.geometry_changed) for c in comparison.changes] == [(100, "changed", True)]


def test_versions_share_rows_and_a_third_version_reads_back_every_one(tmp_path):
    pack = tmp_path / "v.gpkg"
    build_v1_pack(pack)
    records = [publish_version(pack, "First", "Ann", now=WHEN)]
    edit_gpkg_for_v2(pack)
    records.append(publish_version(pack, "Second", "Ann", now=WHEN))
    conn = connect_rw(pack)
    conn.execute("UPDATE opportunity_areas SET measures = 'WD001;WD006;FW012' WHERE fid = 1")  # back as in v1
    refresh_hash(conn, pack)
    conn.close()
    records.append(publish_version(pack, "Third", "Ann", now=WHEN))
    for record in records:
        assert content_hash(load_version(pack, record.version)) == record.content_sha256
    conn = sqlite3.connect(pack)
    try:
        n = conn.execute("SELECT count(*) FROM pack_version_row_store WHERE table_name = 'opportunity_areas'"
                         ).fetchone()[0]
    finally:
        conn.close()
    assert n == 3 + 3  # v1's three rows, v2's two changed and one new; v3's fid 1 is v1's row again


def _to_legacy(pack: Path) -> None:
    """Rewrite the history as a pack published before shared rows held it: one full copy per snapshot."""
    conn = sqlite3.connect(pack, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for snapshot, blob in conn.execute("SELECT snapshot, row_ids FROM pack_version_snapshots"
                                                 ).fetchall():
            for fid in decode_members(blob, snapshot):
                conn.execute("INSERT INTO pack_version_rows (snapshot, table_name, row_fid, geom_wkb, attributes) "
                             "SELECT ?, table_name, row_fid, geom_wkb, attributes FROM pack_version_row_store "
                             "WHERE fid = ?", (snapshot, fid))
        conn.execute("DELETE FROM pack_version_snapshots")
        conn.execute("DELETE FROM pack_version_row_store")
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_pack_with_full_copies_from_before_reads_back_and_publishes_on(tmp_path):
    pack = tmp_path / "old.gpkg"
    build_v1_pack(pack)
    first = publish_version(pack, "First", "Ann", now=WHEN)
    _to_legacy(pack)
    assert content_hash(load_version(pack, first.version)) == first.content_sha256
    edit_gpkg_for_v2(pack)
    second = publish_version(pack, "Second", "Ann", now=WHEN)
    assert [v.version for v in list_versions(pack)] == [first.version, second.version]
    assert content_hash(load_version(pack, first.version)) == first.content_sha256
    assert content_hash(load_version(pack, second.version)) == second.content_sha256 == \
        read_pack(pack).metadata.content_sha256


def test_a_missing_shared_row_is_refused(tmp_path):
    pack = tmp_path / "v.gpkg"
    build_v1_pack(pack)
    record = publish_version(pack, "First", "Ann", now=WHEN)
    conn = sqlite3.connect(pack)
    with conn:
        conn.execute("DELETE FROM pack_version_row_store WHERE fid = (SELECT max(fid) FROM pack_version_row_store "
                     "WHERE table_name = 'opportunity_areas')")
    conn.close()
    with pytest.raises(PackError, match="missing from the pack's version history"):
        load_version(pack, record.version)
