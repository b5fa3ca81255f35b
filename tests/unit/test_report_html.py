"""The HTML report and officer overrides (pure Python)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.reports.html_report import MapImage, map_caption, render_html, scale_bar_m
from lnrs_toolkit.plugin.core.reports.json_report import write_text_atomic
from lnrs_toolkit.plugin.core.reports.report_content import ReportFacts
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.plugin.core.screening.overrides import make_override, overrides_text, result_payload
from lnrs_toolkit.plugin.core.screening.results import SiteError
from shapely.geometry import box

from .packs import add_sites, build_small_pack

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture()
def result(tmp_path):
    pack = tmp_path / "p.gpkg"
    build_small_pack(pack)
    add_sites(pack, [{"name": HOSTILE, "desig": "SSSI", "ref": "H&1"}], [box(0, 0, 100, 100)], source="hostile",
              lnrs_name=f"Map {HOSTILE}")
    index = PackIndex.build(read_pack(pack))
    [res] = screen_sites(index, [box(10, 10, 90, 290)], [f"ref {HOSTILE}"], proposed_habitat="Woodland and forest")
    return res


def test_html_escapes_every_value(result):
    text = render_html([result], officer=HOSTILE, generated_at="2026-01-01T00:00:00+00:00")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert text.startswith("<!DOCTYPE html>")
    assert "Verdict: RED" in text
    assert result.habitat_map.sha256 in text
    for code in result.measure_codes:
        assert code in text
    assert "Buffer ancient woodland." in text  # measure full text


def test_override_needs_a_reason_and_is_reported(result):
    finding = result.designated_sites[0]
    with pytest.raises(InputError, match="reason"):
        make_override(result.site_ref, finding, "officer", "   ")
    when = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    ov = make_override(result.site_ref, finding, "A. Officer", f"Boundary error {HOSTILE}", when)
    assert ov.when == "2026-03-01T12:00:00+00:00"
    assert ov.matches(result.site_ref, finding)
    html = render_html([result], [ov])
    assert "Findings marked not applicable" in html and 'class="overridden"' in html
    assert HOSTILE not in html
    text = overrides_text([ov])
    assert "A. Officer" in text and "Boundary error" in text
    payload = result_payload(result, [ov])
    assert payload["verdict"] == result.verdict
    assert payload["overrides"][0]["finding"] == finding.to_dict()
    json.dumps(payload)


def test_site_error_and_empty_report(tmp_path):
    text = render_html([SiteError("X<1>", "no geometry")])
    assert "X&lt;1&gt;" in text and "Could not be screened" in text
    assert "No sites were screened" in render_html([])
    out = write_text_atomic(tmp_path / "r.html", "hello")
    assert out.read_text(encoding="utf-8") == "hello"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_not_screened_site_is_grey_in_html_and_text():
    from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
    from lnrs_toolkit.plugin.core.reports.text_report import summary_text

    area = memory_layer("strategy_area", [box(0, 0, 1000, 1000)], name=["County"])
    idx = PackIndex.build(memory_pack([area, memory_layer("designated_sites", [])]))
    [r] = screen_sites(idx, [box(5000, 5000, 5100, 5100)], ["FAR"])
    assert r.verdict == "not_screened"
    html = render_html([r])
    assert 'style="background:#616161">Verdict: NOT SCREENED</div>' in html
    assert "outside the strategy area" in html and "clear" not in html.lower()
    text = summary_text(r)
    assert "Verdict: NOT SCREENED" in text and "clear" not in text


def test_strategic_significance_never_reads_clear_and_states_no_category_without_a_proposed_habitat():
    from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
    from lnrs_toolkit.plugin.core.reports.text_report import summary_text

    area = memory_layer("strategy_area", [box(0, 0, 1000, 1000)], name=["County"])
    opp = memory_layer("opportunity_areas", [box(0, 0, 50, 100)], measures=["WD001"])
    cat = memory_layer("measures", None, code=["WD001"], habitat_theme=["Woodland"], priority=["P1"],
                       measure=["Woodland."], habitats=["Woodland and forest"])
    idx = PackIndex.build(memory_pack([area, opp, cat, memory_layer("designated_sites", []),
                                       memory_layer("irreplaceable_habitats", []), memory_layer("ancient_trees", [])],
                                      {"publication_date": "2025-11-04"}))
    [mapped, bare] = screen_sites(idx, [box(0, 0, 100, 100), box(500, 500, 600, 600)], ["M", "B"])
    text = summary_text(mapped)
    assert "Strategic significance: no category without a proposed habitat" in text
    assert ("The LNRS maps measures on 50.0% of the site (5,000.0 m²): WD001 on 50.0%. High (1.15) is available "
            "only for post-development habitat consistent with these measures, which Woodland and forest habitat "
            "delivers. Baseline strategic significance is Low: the LNRS is published, so Medium cannot be "
            "applied.") in text
    assert "LNRS measures on the site (mapped):" in text
    html = render_html([mapped, bare])
    assert "<tr><td>LNRS measures on the site</td><td>none mapped</td></tr>" in html
    assert "Strategic significance</td><td>clear" not in html and "Low (1)" not in html
    assert html.count("<p><strong>No category without a proposed habitat.</strong></p>") == 2


def test_scale_bars_are_round_and_about_a_fifth_of_the_map():
    assert scale_bar_m(1250.0) == 250.0
    assert scale_bar_m(62.5) == 10.0
    assert scale_bar_m(12500.0) == 2500.0
    assert scale_bar_m(4000.0) == 500.0


def test_the_html_map_states_its_scale_north_and_a_scale_bar(result):
    image = MapImage(b"\x89PNG fake", 10000, 1250.0, 125.0)
    assert map_caption(image) == ("Scale 1:10,000 on A4 (the PDF report's map, 125 mm wide); north is up; the map is "
                                  "1,250 m across from west to east.")
    html = render_html([result], facts=ReportFacts("Jo", "today"), maps={result.index: image})
    assert "Scale 1:10,000 on A4" in html and "north is up" in html and "&#8593; N" in html
    assert '<span class="scalebar" style="width:20.00%"></span> 250 m' in html  # 250 m of the 1,250 m across
    assert "Scale 1:" not in render_html([result], facts=ReportFacts("Jo", "today"))  # no map, no scale


def test_reasons_say_when_the_officer_marked_findings_not_applicable(result):
    """The verdict stays the screening's; the reasons (dock, PDF, HTML) then say findings were marked, and a
    withdrawn mark no longer counts."""
    from lnrs_toolkit.plugin.core.reports.report_content import marked_reasons
    from lnrs_toolkit.plugin.core.screening.overrides import make_override, withdraw

    assert marked_reasons(result, []) == list(result.reasons)
    mark = make_override(result.site_ref, result.designated_sites[0], "Jo", "Notified in error.")
    reasons = marked_reasons(result, [mark])
    assert reasons[:-1] == list(result.reasons)
    assert reasons[-1].startswith("The officer marked 1 finding(s) not applicable")
    assert "made before those marks" in reasons[-1]
    text = render_html([result], [mark], officer="Jo", generated_at="2026-01-01T00:00:00+00:00")
    assert "The officer marked 1 finding(s) not applicable" in text and "Verdict: RED" in text
    assert marked_reasons(result, [withdraw(mark, "Jo", "It applies.")]) == list(result.reasons)
