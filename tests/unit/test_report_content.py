"""The words of the committee report shared by the PDF and the HTML report (pure Python)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lnrs_toolkit.plugin.core.reports.report_content import (
    ReportFacts,
    SiteFacts,
    detail_rows,
    grid_reference,
    group_rows,
    local_time_words,
    site_grid_reference,
    site_lines,
)
from lnrs_toolkit.plugin.core.screening.finding_types import DesignatedFinding
from lnrs_toolkit.plugin.core.screening.grouping import group_findings
from lnrs_toolkit.plugin.core.screening.overrides import make_override
from lnrs_toolkit.plugin.core.screening.results import SiteError
from shapely.geometry import box


def test_os_grid_references():
    assert grid_reference(370050, 160050) == "ST 70050 60050"
    assert grid_reference(530080, 180000) == "TQ 30080 80000"
    assert grid_reference(325000, 673000) == "NT 25000 73000"
    assert grid_reference(445000, 1140000) == "HU 45000 40000"
    assert grid_reference(-1, 5) == "" and grid_reference(800000, 5) == ""
    assert site_grid_reference(box(370000, 160000, 370100, 160100)) == "ST 70050 60050 (E 370,050, N 160,050)"


def test_local_time_in_words():
    bst = timezone(timedelta(hours=1), "BST")
    assert local_time_words(datetime(2026, 6, 3, 14, 5, tzinfo=bst)) == "3 June 2026, 14:05 BST"


def test_provenance_rows_carry_attribution_licence_and_per_layer_keys():
    facts = ReportFacts("Jo Planner", "3 June 2026, 14:05 BST", "Somewhere Council", (
        ("responsible_authority", "Somewhere Council"), ("attribution", "(c) Natural England\n(c) Crown copyright"),
        ("licence", "OGL v3"), ("attribution.sssi", "SSSI: (c) NE 2024"), ("lnrs_name", "Map"), ("version", "4"),
        ("content_sha256", "ab" * 32)))
    rows = detail_rows(SiteError("A/1", "The site has no area."), (), facts, SiteFacts(transform="from EPSG:4326"))
    assert ("Notes", "The site has no area.") in rows
    assert ("Attribution", "(c) Natural England") in rows and ("Attribution", "(c) Crown copyright") in rows
    assert ("Licence", "OGL v3") in rows and ("attribution.sssi", "SSSI: (c) NE 2024") in rows
    assert ("Coordinates", "from EPSG:4326") in rows
    assert ("Local Habitat Map", f"Map, version 4, sha256 {'ab' * 32}") in rows  # cited even with no result
    assert "within the search distance," in dict(rows)["What this covers"]
    assert [h for h, _t in rows].count("attribution") == 0  # a known key is shown once, under its heading
    assert rows[-1] == ("Report", "Made by Jo Planner on 3 June 2026, 14:05 BST with LNRS Toolkit.")
    lines = site_lines(SiteError("A/1", "x"), facts, SiteFacts("1 High St", "ST 70050 60050"))
    assert lines[:3] == ["Application reference: A/1", "Address: 1 High St", "Grid reference: ST 70050 60050"]
    assert "not given" in site_lines(SiteError("A/1", "x"), ReportFacts("", "now"), SiteFacts())[-1]


def _sssi_parts(n):
    return [DesignatedFinding("SSSI", "Moor", "", 10.0 * (i == 0), 5.0 * i, "overlap" if i == 0 else "nearby",
                              "designated_sites", i + 1) for i in range(n)]


def test_a_site_of_many_parts_is_one_row_with_its_totals_then_its_parts():
    parts = [*_sssi_parts(3), DesignatedFinding("SAC", "Vale", "", 0.0, 40.0, "nearby", "designated_sites", 9)]
    rows = group_rows("A/1", group_findings(parts), [])
    assert [r.style for r in rows] == ["group", "part", "part", "part", "finding"]
    assert rows[0].cells == ("SSSI: Moor", "overlap", "10.0", "0.0", "3", "") and not rows[0].struck
    assert rows[2].cells[0] == "\u2013 part 2" and rows[2].cells[3] == "5.0"
    assert rows[4].cells[:5] == ("SAC: Vale", "nearby", "0.0", "40.0", "1")


def test_override_rows_strike_the_finding_and_a_site_only_when_every_part_is_marked():
    parts = _sssi_parts(2)
    first = make_override("A/1", parts[0], "Jo", "Unit destroyed in 1990.")
    rows = group_rows("A/1", group_findings(parts), [first])
    assert not rows[0].struck and rows[0].cells[-1] == "1 of 2 parts marked not applicable (reasons below)."
    assert rows[1].struck and "Unit destroyed in 1990." in rows[1].cells[-1] and not rows[2].struck
    both = [first, make_override("A/1", parts[1], "Jo", "Same.")]
    rows = group_rows("A/1", group_findings(parts), both)
    assert rows[0].struck and rows[0].cells[-1].startswith("All 2 parts")
    assert group_rows("B/2", group_findings(parts), both)[0].struck is False  # another site's overrides
