"""The words of the committee report shared by the PDF and the HTML report (pure Python)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from lnrs_toolkit.plugin.core.reports.report_content import (
    ReportFacts,
    SiteFacts,
    detail_rows,
    grid_reference,
    local_time_words,
    site_grid_reference,
    site_lines,
)
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
