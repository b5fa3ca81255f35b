"""Priority Habitats Inventory in screening: hand-computed overlaps, shares and distances, the default verdict
rule (on the site: amber; near it: a finding, not a reason), not_checked without the inventory."""

from __future__ import annotations

import json

import pytest
from lnrs_toolkit.plugin.core.pack.integrity import validated
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.reports.html_report import render_html
from lnrs_toolkit.plugin.core.reports.text_report import summary_text
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site
from lnrs_toolkit.plugin.core.screening.options import ScreeningOptions
from lnrs_toolkit.plugin.core.screening.priority_findings import NO_PRIORITY_HABITATS
from lnrs_toolkit.plugin.core.screening.verdict_rules import DEFAULT_VERDICT_RULES, VerdictRule
from shapely.geometry import box

from .test_screening import CATALOGUE, SITE, area_layer, b, full_index, no_trees, sites_layer


def checked_index(*layers):
    """An index over ``layers`` read as a pack reader reads them: validated (:mod:`...pack.integrity`)."""
    return PackIndex.build(validated(memory_pack([area_layer(), no_trees(), sites_layer(),
                                                  memory_layer("opportunity_areas", []), CATALOGUE, *layers])))


def phi(*rows):
    """Priority habitat polygons: (geometry, main habitat, additional habitats, confidence)."""
    return memory_layer("priority_habitats", [g for g, *_ in rows], main_habitat=[m for _, m, *_ in rows],
                        additional_habitats=[a for _, _, a, _ in rows], habitat_codes=["" for _ in rows],
                        confidence=[c for *_, c in rows], name=[None] * len(rows), ref=[None] * len(rows))


def test_a_site_overlapping_priority_habitat_is_amber_with_its_main_habitat():
    # the site is 100 m x 100 m; the habitat covers its eastern 30 m: 3,000 m², 30% of the site
    r = screen_site(full_index(phi((b(70, 0, 170, 100), "Deciduous woodland", "Traditional orchard", "High"))),
                    SITE)
    [f] = r.priority_habitats
    assert f.main_habitat == "Deciduous woodland" and f.additional_habitats == "Traditional orchard"
    assert f.confidence == "High" and f.relation == "overlap" and f.distance_m == 0
    assert f.overlap_m2 == pytest.approx(3000.0) and f.pct_of_site == pytest.approx(30.0)
    assert r.checks.priority_habitats == "found"
    assert r.verdict == "amber"
    assert r.reasons == ("The site overlaps priority habitat 'Deciduous woodland' (3,000.0 m², 30.0% of the site): "
                         "the Small Sites Metric is ruled out (save some hedgerows and arable margins).",)


def test_priority_habitat_near_only_is_found_but_leaves_the_site_green():
    # 40 m east of the site, inside the 500 m default search distance
    r = screen_site(full_index(phi((b(140, 0, 200, 100), "Lowland meadows", "", ""))), SITE)
    [f] = r.priority_habitats
    assert f.relation == "nearby" and f.distance_m == pytest.approx(40.0) and f.overlap_m2 == 0
    assert f.pct_of_site == 0
    assert r.checks.priority_habitats == "found"
    assert r.verdict == "green"
    # beyond the search distance: clear
    far = screen_site(full_index(phi((b(160, 0, 200, 100), "Lowland meadows", "", ""))), SITE,
                      options=ScreeningOptions(search_distance_m=50.0))
    assert far.priority_habitats == () and far.checks.priority_habitats == "clear" and far.verdict == "green"


def test_a_pack_without_the_inventory_is_not_checked_and_says_why():
    r = screen_site(full_index(), SITE)
    assert r.checks.priority_habitats == "not_checked"
    assert NO_PRIORITY_HABITATS in r.notes
    assert "the pack holds no Priority Habitats Inventory" in NO_PRIORITY_HABITATS
    assert r.verdict == "green"  # the inventory is not required for green (verdict_rules.REQUIRED_FOR_GREEN)


def test_parts_of_one_main_habitat_give_one_reason_with_their_total():
    # two woodland polygons on the site (1,000 m² + 2,000 m²), a meadow 10 m away
    r = screen_site(full_index(phi((b(0, 0, 10, 100), "Deciduous woodland", "", "Low"),
                                   (b(80, 0, 100, 100), "Deciduous woodland", "", ""),
                                   (b(-20, 0, -10, 100), "Lowland meadows", "", ""))), SITE)
    assert [f.main_habitat for f in r.priority_habitats] == ["Deciduous woodland", "Deciduous woodland",
                                                             "Lowland meadows"]
    assert [f.overlap_m2 for f in r.priority_habitats] == pytest.approx([2000.0, 1000.0, 0.0])  # larger first
    [woodland, meadow] = r.priority_habitat_groups
    assert (woodland.title(), woodland.n_parts, woodland.overlap_m2) == ("Priority habitat: Deciduous woodland", 2,
                                                                         pytest.approx(3000.0))
    assert (meadow.relation, meadow.distance_m) == ("nearby", pytest.approx(10.0))
    assert r.reasons == ("The site overlaps priority habitat 'Deciduous woodland' (3,000.0 m², 30.0% of the site "
                         "in 2 parts): the Small Sites Metric is ruled out (save some hedgerows and arable "
                         "margins).",)


def test_the_rule_is_data_near_priority_habitat_can_be_made_amber_and_on_site_green():
    near = full_index(phi((b(140, 0, 200, 100), "Lowland meadows", "", "")))
    stricter = ScreeningOptions(verdict_rules=(*DEFAULT_VERDICT_RULES, VerdictRule("priority_habitat", "nearby",
                                                                                   "amber")))
    r = screen_site(near, SITE, options=stricter)
    assert r.verdict == "amber" and r.reasons == ("Priority habitat 'Lowland meadows' lies 40.0 m from the site.",)
    without = ScreeningOptions(verdict_rules=tuple(v for v in DEFAULT_VERDICT_RULES if v.kind != "priority_habitat"))
    on = full_index(phi((b(70, 0, 170, 100), "Deciduous woodland", "", "")))
    assert screen_site(on, SITE, options=without).verdict == "green"


def test_a_sliver_of_priority_habitat_adjoins_and_is_not_amber():
    # 0.5 m² inside the site, below the 1 m² sliver tolerance
    r = screen_site(full_index(phi((b(99.5, 0, 150, 1), "Deciduous woodland", "", ""))), SITE)
    [f] = r.priority_habitats
    assert f.relation == "adjoins" and f.overlap_m2 == pytest.approx(0.5)
    assert r.verdict == "green"


def test_json_and_reports_carry_the_priority_habitats():
    r = screen_site(full_index(phi((b(70, 0, 170, 100), "Deciduous woodland", "Traditional orchard", "High"))),
                    SITE)
    data = r.to_dict()
    assert data["checks"]["priority_habitats"] == "found"
    assert data["priority_habitats"] == [{
        "main_habitat": "Deciduous woodland", "additional_habitats": "Traditional orchard", "habitat_codes": "",
        "confidence": "High", "overlap_m2": 3000.0, "pct_of_site": 30.0, "distance_m": 0.0, "relation": "overlap"}]
    assert data["priority_habitat_groups"][0]["name"] == "Deciduous woodland"
    assert json.loads(json.dumps(data))["priority_habitats"][0]["main_habitat"] == "Deciduous woodland"
    text = summary_text(r)
    assert "Priority habitats (found):" in text
    assert "Deciduous woodland: overlap 3,000.0 m² (30.0% of the site); also Traditional orchard; confidence High" \
        in text
    html = render_html([r])
    assert "Priority habitats" in html and "Deciduous woodland" in html and "Traditional orchard" in html


def woods_with_inventory(*rows):
    """Ancient woodland polygons: (geometry, inventory)."""
    return memory_layer("irreplaceable_habitats", [g for g, _ in rows], habitat_type=["ancient_woodland"] * len(rows),
                        status=["ASNW"] * len(rows), name=[f"Wood {i}" for i in range(len(rows))],
                        ref=[None] * len(rows), inventory=[inv for _, inv in rows])


def test_each_ancient_woodland_finding_names_its_inventory():
    r = screen_site(checked_index(woods_with_inventory((b(50, 0, 150, 100), "Revised"), (b(300, 0, 400, 100), None))),
                    SITE)
    assert [(f.name, f.inventory) for f in r.irreplaceable] == [("Wood 0", "revised"), ("Wood 1", "")]
    assert [f["inventory"] for f in r.to_dict()["irreplaceable"]] == ["revised", ""]
    assert r.irreplaceable[0].inventory_title == "revised Ancient Woodland Inventory"
    assert "revised Ancient Woodland Inventory, buffer 15 m" in summary_text(r)
    assert "Ancient woodland (revised Ancient Woodland Inventory)" in render_html([r])


def test_an_unknown_inventory_refuses_the_layer_with_a_sentence():
    r = screen_site(checked_index(woods_with_inventory((b(50, 0, 150, 100), "provisional"))), SITE)
    assert r.checks.irreplaceable == "not_checked"
    assert any("have a inventory that is not known ('provisional')" in n for n in r.notes), r.notes


def test_the_command_line_reports_priority_habitats(tmp_path, capsys):
    from lnrs_toolkit.plugin.cli import main
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
    from lnrs_toolkit.plugin.core.pack.store import add_rows

    from .test_cli import X, Y, write_sites

    pack = tmp_path / "pack.gpkg"
    add_rows(pack, map_rows("priority_habitats", [{"m": "Lowland meadows", "c": "Medium"}],
                            [box(X - 1000, Y - 1000, X + 1000, Y + 1000)],
                            FieldMapping(main_habitat_field="m", confidence_field="c"), "phi", ["m", "c"], "polygon"),
             {"lnrs_name": "CLI PHI", "version": "1"})
    lon, lat = -2.43205, 51.33829  # inside the meadow
    ring = [[lon, lat], [lon + 0.0007, lat], [lon + 0.0007, lat + 0.00045], [lon, lat + 0.00045], [lon, lat]]
    sites = tmp_path / "sites.geojson"
    write_sites(sites, [("APP-1", ring)])
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--ref-field", "ref", "--json", str(out)]) == 0
    [d] = json.loads(out.read_text(encoding="utf-8"))
    assert d["checks"]["priority_habitats"] == "found"
    assert d["priority_habitats"][0]["main_habitat"] == "Lowland meadows"
    assert d["priority_habitats"][0]["pct_of_site"] == pytest.approx(100.0)
    text = capsys.readouterr().out
    assert "Priority habitats (found):" in text and "Lowland meadows: overlap" in text and "confidence Medium" in text
