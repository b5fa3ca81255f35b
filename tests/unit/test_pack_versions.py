"""Publishing and comparing pack versions (GeoPackage): freeze, refuse, roll back, read back, compare, re-screen."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.errors import InputError, PackError
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw, read_pack
from lnrs_toolkit.plugin.core.reports.html_report import render_html
from lnrs_toolkit.plugin.core.reports.text_report import summary_text
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site
from lnrs_toolkit.plugin.core.versions import publish as pack_versions
from lnrs_toolkit.plugin.core.versions.compare import compare_packs, compare_sites, comparison_json
from lnrs_toolkit.plugin.core.versions.publish import (
    has_unpublished_edits,
    list_versions,
    load_version,
    publish_version,
    state_label,
)
from lnrs_toolkit.plugin.core.versions.report import summary_html
from lnrs_toolkit.plugin.core.versions.report import summary_text as comparison_text
from lnrs_toolkit.tests.unit.version_packs import (
    EXPECTED_CHANGES,
    EXPECTED_CODE_AREAS,
    EXPECTED_SITE_CHANGES,
    SCREENED_SITES,
    build_v1_pack,
    edit_gpkg_for_v2,
    refresh_hash,
)
from shapely.geometry import box

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _table_count(path, table):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()


@pytest.fixture()
def v1(tmp_path):
    path = tmp_path / "lhm.gpkg"
    build_v1_pack(path)
    return path


@pytest.fixture()
def v2(v1):
    """The pack published as version 1, edited on purpose, published as version 2."""
    publish_version(v1, "First publication", "Ann Editor", now=WHEN)
    edit_gpkg_for_v2(v1)
    publish_version(v1, "Review 2026: woodland and grassland changes", "Bob Reviewer", now=WHEN)
    return v1


# --------------------------------------------------------------------------- publish
def test_publish_freezes_the_state_as_version_n_plus_1(v1):
    before = read_pack(v1)
    assert before.metadata.version == "1"  # the small pack says version 1 but was never published
    record = publish_version(v1, "  First publication  ", "Ann Editor", now=WHEN)
    assert record.version == 2  # numbers never go back below an integer version the pack carried
    assert record.publication_date == "2026-03-01"
    assert record.published_at == "2026-03-01T09:30:00Z"
    assert record.published_by == "Ann Editor" and record.note == "First publication"
    after = read_pack(v1)
    meta = after.metadata
    assert meta.version == "2" and meta.publication_date == "2026-03-01"
    assert meta.content_sha256 == record.content_sha256 == content_hash(after)
    assert dict(meta.extra)["published_content_sha256"] == record.content_sha256
    assert not has_unpublished_edits(meta)
    assert state_label(meta) == "version 2"
    # the content is the same apart from the publication metadata
    for name, layer in before.layers.items():
        assert after.layers[name].columns == layer.columns
    assert list_versions(v1) == [record]


def test_first_publication_of_a_pack_without_an_integer_version_is_1(tmp_path):
    from lnrs_toolkit.tests.unit.packs import add_sites

    path = tmp_path / "p.gpkg"
    add_sites(path, version="2026.1-draft")
    assert publish_version(path, "first", "me", now=WHEN).version == 1
    assert read_pack(path).metadata.version == "1"


def test_republishing_unchanged_content_is_refused_and_changes_nothing(v1):
    publish_version(v1, "First publication", "Ann", now=WHEN)
    digest = sha(v1)
    with pytest.raises(InputError, match="Nothing has changed since version 2 was published"):
        publish_version(v1, "again", "Ann", now=WHEN)
    assert sha(v1) == digest


def test_a_note_is_required(v1):
    digest = sha(v1)
    with pytest.raises(InputError, match="Give a note"):
        publish_version(v1, "   ", "Ann")
    assert sha(v1) == digest


def test_a_failure_while_writing_leaves_the_pack_as_it_was(v1, monkeypatch):
    publish_version(v1, "First publication", "Ann", now=WHEN)
    edit_gpkg_for_v2(v1)
    digest = sha(v1)
    rows_before = _table_count(v1, "pack_version_row_store")
    real = pack_versions._write_publication

    def write_then_fail(conn, publication):
        real(conn, publication)  # every row and the new metadata are written ...
        assert conn.execute("SELECT count(*) FROM pack_version_row_store").fetchone()[0] > rows_before
        raise OSError("disk full")  # ... then the commit never happens

    monkeypatch.setattr(pack_versions, "_write_publication", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        publish_version(v1, "Second", "Ann", now=WHEN)
    assert sha(v1) == digest
    assert [v.version for v in list_versions(v1)] == [2]
    assert read_pack(v1).metadata.version == "2"
    monkeypatch.setattr(pack_versions, "_write_publication", real)
    assert publish_version(v1, "Second", "Ann", now=WHEN).version == 3


CRASH_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {pkgroot!r})
    from lnrs_toolkit.plugin.core.versions import publish as pack_versions

    real = pack_versions._write_publication
    def stall(conn, publication):
        real(conn, publication)
        print("written", flush=True)  # every row and the metadata are written, the transaction is open
        time.sleep(600)
    pack_versions._write_publication = stall
    pack_versions.publish_version({pack!r}, "never committed", "crash")
""")


def test_a_process_killed_while_publishing_leaves_the_pack_as_it_was(v1):
    publish_version(v1, "First publication", "Ann", now=WHEN)
    edit_gpkg_for_v2(v1)
    digest = sha(v1)
    pkgroot = Path(__file__).resolve().parents[2] / "build" / "pkgroot"
    proc = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT.format(pkgroot=str(pkgroot), pack=str(v1))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line == "written", proc.stderr.read()
        assert Path(f"{v1}-journal").exists()  # killed with the transaction open
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    pack = read_pack(v1)  # the next reader rolls the dead writer's journal back
    assert sha(v1) == digest
    assert pack.metadata.version == "2" and [v.version for v in list_versions(v1)] == [2]
    assert publish_version(v1, "Second", "Ann", now=WHEN).version == 3


def test_a_locked_pack_is_a_sentence_and_stays_unchanged(v1):
    digest = sha(v1)
    other = sqlite3.connect(v1, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(PackError, match="could not be published .*left unchanged"):
            publish_version(v1, "first", "Ann")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert sha(v1) == digest


def test_missing_or_foreign_files_are_refused(tmp_path):
    with pytest.raises(PackError, match="does not exist"):
        publish_version(tmp_path / "none.gpkg", "x")
    assert not (tmp_path / "none.gpkg").exists()
    foreign = tmp_path / "foreign.gpkg"
    sqlite3.connect(foreign).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(PackError, match="not an LNRS Local Habitat Map pack"):
        publish_version(foreign, "x")


def test_history_tables_stay_out_of_the_content_and_its_hash(v2):
    pack = read_pack(v2)
    assert not {"pack_versions", "pack_version_tables", "pack_version_rows", "pack_version_row_store",
                "pack_version_snapshots"} & set(pack.layers)
    assert content_hash(pack) == pack.metadata.content_sha256


def test_unchanged_tables_are_stored_once(v2):
    conn = sqlite3.connect(v2)
    try:
        snapshots = dict(conn.execute("SELECT table_name, count(DISTINCT snapshot) FROM pack_version_tables "
                                      "GROUP BY table_name"))
        stored = dict(conn.execute("SELECT table_name, count(*) FROM pack_version_row_store GROUP BY table_name"))
    finally:
        conn.close()
    assert snapshots == {"designated_sites": 2, "ancient_trees": 1, "opportunity_areas": 2, "measures": 1,
                         "pack_metadata": 2}
    assert stored["ancient_trees"] == 2 and stored["measures"] == 4
    assert stored["opportunity_areas"] == 3 + 3  # v2 stores its two changed areas and the new one, not fid 1..3 again
    assert stored["designated_sites"] == 3 + 1  # the three unchanged sites are shared by both versions


# --------------------------------------------------------------------------- read back
def test_every_version_reads_back_whole_and_screens(v2):
    versions = list_versions(v2)
    assert [(v.version, v.published_by, v.note) for v in versions] == [
        (2, "Ann Editor", "First publication"), (3, "Bob Reviewer", "Review 2026: woodland and grassland changes")]
    first, second = load_version(v2, 2), load_version(v2, 3)
    assert first.metadata.version == "2" and second.metadata.version == "3"
    assert content_hash(first) == first.metadata.content_sha256 == versions[0].content_sha256
    assert content_hash(second) == versions[1].content_sha256 == read_pack(v2).metadata.content_sha256
    assert list(first.layers["opportunity_areas"].fids) == [1, 2, 3]
    assert list(second.layers["opportunity_areas"].fids) == [1, 2, 4]
    assert first.layers["opportunity_areas"].columns["measures"][0] == "WD001;WD006;FW012"
    assert len(first.layers["designated_sites"]) == 3 and len(second.layers["designated_sites"]) == 4
    assert sorted(first.measures) == ["FW012", "GL001", "WD001", "WD006"]
    assert "(version 2)" in first.source
    result = screen_site(PackIndex.build(first), box(410, 210, 460, 260), "S-C")
    assert result.habitat_map.version == "2"
    assert result.strategic_significance.category is None and result.measure_codes == ("FW012",)


def test_unknown_versions_and_altered_history_are_refused(v2, tmp_path):
    with pytest.raises(PackError, match="version 7 was not published in this pack; published versions: 2, 3"):
        load_version(v2, 7)
    fresh = tmp_path / "fresh.gpkg"
    build_v1_pack(fresh)
    assert list_versions(fresh) == []
    with pytest.raises(PackError, match="no version of this pack has been published"):
        load_version(fresh, 1)
    conn = sqlite3.connect(v2)
    with conn:
        # every stored opportunity row given the content of the first one (fids kept): valid rows, other content
        conn.execute("UPDATE pack_version_row_store SET geom_wkb = (SELECT geom_wkb FROM pack_version_row_store "
                     "WHERE table_name = 'opportunity_areas' ORDER BY fid LIMIT 1) "
                     "WHERE table_name = 'opportunity_areas'")
    conn.close()
    with pytest.raises(PackError, match="history has been altered"):
        load_version(v2, 3)


# --------------------------------------------------------------------------- reports cite the version
def test_reports_cite_version_date_hash_and_unpublished_edits(v2):
    site = box(10, 210, 60, 260)
    published = screen_site(PackIndex.build(read_pack(v2)), site, "S-A")
    assert not published.habitat_map.unpublished_edits
    text = summary_text(published)
    assert "version 3 (published 2026-03-01), sha256 " + read_pack(v2).metadata.content_sha256 in text
    assert "unpublished" not in text
    assert published.to_dict()["habitat_map"]["publication_date"] == "2026-03-01"
    conn = connect_rw(v2)
    conn.execute("UPDATE opportunity_areas SET measures = 'WD001' WHERE fid = 1")
    refresh_hash(conn, v2)  # the hash in the metadata follows the content, as a check-in does
    conn.close()
    edited = read_pack(v2)
    assert has_unpublished_edits(edited.metadata)
    assert state_label(edited.metadata) == "current state (unpublished edits since version 3)"
    result = screen_site(PackIndex.build(edited), site, "S-A")
    assert result.habitat_map.unpublished_edits
    assert "unpublished edits since version 3" in summary_text(result)
    assert "unpublished edits since version 3" in render_html([result])
    assert result.to_dict()["habitat_map"]["unpublished_edits"] is True


# --------------------------------------------------------------------------- compare
def test_compare_versions_finds_exactly_the_edits(v2):
    comparison = compare_packs(load_version(v2, 2), load_version(v2, 3), "version 2", "version 3")
    got = {c.fid: (c.kind, c.codes_added, c.codes_removed, c.geometry_changed, round(c.area_difference_m2, 6))
           for c in comparison.changes}
    assert got == EXPECTED_CHANGES
    assert comparison.unchanged == 0
    assert {a.code: (round(a.gained_m2, 6), round(a.lost_m2, 6)) for a in comparison.code_areas} == \
        EXPECTED_CODE_AREAS
    assert [t.name for t in comparison.other_tables] == ["designated_sites"]
    assert (comparison.other_tables[0].old_rows, comparison.other_tables[0].new_rows) == (3, 4)
    assert comparison.metadata_changes == ()
    assert comparison.count("added") == comparison.count("removed") == 1 and comparison.count("changed") == 2
    by_fid = {c.fid: c for c in comparison.changes}
    assert by_fid[2].old_area_m2 == pytest.approx(10000) and by_fid[2].new_area_m2 == pytest.approx(15000)
    assert by_fid[4].geometry.equals(box(600, 200, 700, 300)) and by_fid[3].geometry.equals(box(400, 200, 500, 300))
    text = comparison_text(comparison)
    assert "matched by their feature id (fid)" in text
    assert "1 added, 1 removed, 2 changed, 0 unchanged" in text
    assert "opportunity area 1 \u2018Woodland buffer\u2019: codes added GL001; codes removed FW012." in text
    assert "GL001: +15,000.0 / -0.0 / +15,000.0" in text
    assert "Designated sites (designated_sites): 3 rows \u2192 4 rows" in text
    data = json.loads(comparison_json(comparison))
    assert data["matched_by"] == "fid" and data["counts"] == {"added": 1, "removed": 1, "changed": 2}


def test_compare_with_the_current_unpublished_state_and_same_version(v2):
    current = read_pack(v2)
    same = compare_packs(load_version(v2, 3), current, "version 3", state_label(current.metadata))
    assert same.identical and same.changes == () and same.unchanged == 3
    assert "No differences between version 3 and version 3." in comparison_text(same)
    back = compare_packs(load_version(v2, 3), load_version(v2, 2), "version 3", "version 2")
    assert {c.fid: c.kind for c in back.changes} == {1: "changed", 2: "changed", 3: "added", 4: "removed"}


def test_screened_sites_whose_answers_change_are_exactly_those_expected(v2):
    old, new = PackIndex.build(load_version(v2, 2)), PackIndex.build(load_version(v2, 3))
    refs = list(SCREENED_SITES)
    sites = compare_sites(old, new, list(SCREENED_SITES.values()), refs)
    assert sites.checked == 6 and sites.not_screened == 0
    got = {s.site_ref: (s.changed, (s.old_verdict, s.new_verdict), (s.old_category, s.new_category),
                        (s.old_codes, s.new_codes)) for s in sites.changes}
    assert got == EXPECTED_SITE_CHANGES
    by_ref = {s.site_ref: s for s in sites.changes}
    assert by_ref["S-F"].describe() == "Site S-F: verdict amber \u2192 red."
    assert by_ref["S-C"].describe() == "Site S-C: measures FW012 \u2192 (none)."


def test_summary_html_escapes_and_lists_sites(v2):
    from dataclasses import replace

    old, new = load_version(v2, 2), load_version(v2, 3)
    comparison = compare_packs(old, new, "version 2 <b>", "version 3")
    sites = compare_sites(PackIndex.build(old), PackIndex.build(new), [box(610, 410, 620, 420), None],
                          ["<script>x</script>", "empty"])
    html = summary_html(replace(comparison, sites=sites))
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "version 2 &lt;b&gt;" in html
    assert "2 site(s) re-screened against both versions with the same engine; 1 would change, 1 could not be " \
           "screened" in html


# --------------------------------------------------------------------------- command line (same engine, no QGIS)
def test_command_line_publish_versions_and_compare(v1, tmp_path, capsys):
    from lnrs_toolkit.plugin.cli import main

    assert main(["publish", "--pack", str(v1), "--note", "First publication", "--by", "Ann"]) == 0
    assert "Published version 2" in capsys.readouterr().out
    assert main(["publish", "--pack", str(v1), "--note", "again"]) == 2
    assert "Nothing has changed since version 2" in capsys.readouterr().err
    edit_gpkg_for_v2(v1)
    assert main(["versions", "--pack", str(v1)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("version 2\t") and "\tAnn\tFirst publication" in out
    assert "current: current state (unpublished edits since version 2)" in out
    sites = tmp_path / "screened.geojson"
    sites.write_text(json.dumps({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [{"type": "Feature", "properties": {"site_ref": ref, "verdict": "amber"},
                      "geometry": json.loads(json.dumps(geom.__geo_interface__))}
                     for ref, geom in SCREENED_SITES.items()]}), encoding="utf-8")
    summary = tmp_path / "summary.json"
    assert main(["compare", "--pack", str(v1), "--from", "2", "--sites", str(sites), "--summary", str(summary)]) == 0
    out = capsys.readouterr().out
    assert "From: version 2" in out and "To:   current state (unpublished edits since version 2)" in out
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert {c["fid"]: c["kind"] for c in data["changes"]} == {k: v[0] for k, v in EXPECTED_CHANGES.items()}
    assert {s["site_ref"] for s in data["sites"]["changes"]} == set(EXPECTED_SITE_CHANGES)
    assert main(["compare", "--pack", str(v1), "--from", "2", "--to", "2"]) == 2
    assert "two different versions" in capsys.readouterr().err
