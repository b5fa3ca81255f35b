"""Findings grouped by named site, and the verdict's reasons limited to what drives it (hand-computed)."""

from __future__ import annotations

import json

import pytest
from lnrs_toolkit.plugin.core.pack.memory import memory_layer
from lnrs_toolkit.plugin.core.screening.engine import screen_site

from .test_screening import CATALOGUE, SITE, area_layer, b, index_of, no_trees

# The site is the 100 m square b(0, 0, 100, 100).
MOOR = [b(50, 0, 150, 100),    # overlaps 50 x 100 = 5,000 m²
        b(-20, 0, 10, 100),    # overlaps 10 x 100 = 1,000 m²
        b(0, 100, 100, 150),   # touches the site's north edge: adjoins
        b(0, 300, 100, 400)]   # 200 m north
BROOK = b(-300, 0, -250, 100)  # 250 m west
OLD_WOOD = [b(307, 0, 350, 100), b(-400, 0, -348, 100)]  # 207 m east, 348 m west


def designated(*parts):
    return memory_layer("designated_sites", [g for _, _, g in parts], designation=[d for d, _, _ in parts],
                        name=[n for _, n, _ in parts], ref=[f"R{i}" for i in range(len(parts))])


def old_wood(*geoms, name="Old Wood"):
    n = len(geoms)
    return memory_layer("irreplaceable_habitats", list(geoms), habitat_type=["ancient_woodland"] * n,
                        status=["ASNW"] * n, name=[name] * n, ref=[f"AW{i}" for i in range(n)])


def test_parts_of_one_named_site_make_one_group_with_totals():
    idx = index_of(area_layer(), old_wood(*OLD_WOOD), no_trees(), CATALOGUE,
                   designated(*[("SSSI", "Moor", g) for g in MOOR], ("LWS", "Brook", BROOK)))
    r = screen_site(idx, SITE)
    assert len(r.designated_sites) == 5  # the per-polygon findings stay
    moor, brook = r.designated_groups
    assert (moor.label, moor.name, moor.relation, moor.n_parts) == ("SSSI", "Moor", "overlap", 4)
    assert moor.overlap_m2 == pytest.approx(6000.0) and moor.distance_m == 0.0
    assert moor.part_indexes == (0, 1, 2, 3) and moor.parts == r.designated_sites[:4]
    assert (brook.name, brook.n_parts, brook.relation) == ("Brook", 1, "nearby")
    assert brook.distance_m == pytest.approx(250.0)
    [wood] = r.irreplaceable_groups
    assert (wood.label, wood.name, wood.n_parts, wood.relation) == ("Ancient woodland", "Old Wood", 2, "nearby")
    assert wood.distance_m == pytest.approx(207.0) and wood.overlap_m2 == 0.0

    # the reasons: only what makes it red, one per named site, with the parts' total
    assert r.verdict == "red"
    assert r.reasons == ("The site overlaps SSSI 'Moor' (6,000.0 m² in 2 parts).",)

    d = json.loads(json.dumps(r.to_dict()))
    assert len(d["designated_sites"]) == 5 and len(d["irreplaceable"]) == 2
    assert d["designated_groups"][0] == {"kind": "designated", "label": "SSSI", "name": "Moor",
                                         "relation": "overlap", "overlap_m2": 6000.0, "distance_m": 0.0,
                                         "in_buffer": False, "buffer_intrusion_m2": 0.0, "parts": 4,
                                         "part_indexes": [0, 1, 2, 3]}
    assert d["irreplaceable_groups"][0]["parts"] == 2 and d["irreplaceable_groups"][0]["distance_m"] == 207.0


def test_woods_away_from_the_site_are_amber_reasons_only_when_nothing_is_worse():
    idx = index_of(area_layer(), old_wood(*OLD_WOOD), no_trees(), CATALOGUE, designated(),
                   memory_layer("opportunity_areas", []))
    r = screen_site(idx, SITE)
    assert r.verdict == "amber"
    assert r.reasons == ("Ancient woodland 'Old Wood' lies 207.0 m from the site (nearest of 2 parts).",)


def test_unnamed_parts_are_grouped_by_reference_and_otherwise_stand_alone():
    layer = memory_layer("designated_sites", [b(200, 0, 210, 10), b(220, 0, 230, 10), b(240, 0, 250, 10)],
                         designation=["LWS"] * 3, name=["", "", ""], ref=["L1", "L1", ""])
    r = screen_site(index_of(area_layer(), old_wood(), no_trees(), CATALOGUE, layer), SITE)
    assert [(g.name, g.n_parts) for g in r.designated_groups] == [("L1", 2), ("", 1)]


def test_html_and_text_show_one_row_per_named_site_then_its_parts():
    from lnrs_toolkit.plugin.core.reports.html_report import render_html
    from lnrs_toolkit.plugin.core.reports.text_report import summary_text
    from lnrs_toolkit.plugin.core.screening.overrides import make_override

    idx = index_of(area_layer(), old_wood(*OLD_WOOD), no_trees(), CATALOGUE,
                   designated(*[("SSSI", "Moor", g) for g in MOOR], ("LWS", "Brook", BROOK)))
    r = screen_site(idx, SITE, site_ref="S1")
    ov = make_override("S1", r.designated_sites[3], "Officer", "Beyond the road; no pathway.")
    html = render_html([r], [ov])
    assert ('<tr class="group"><td>SSSI</td><td>Moor</td><td>overlap</td><td>6,000.0</td><td>0.0</td>'
            '<td>4</td><td></td></tr>') in html
    assert html.count('<tr class="part">') == 3 + 2  # Moor's three others, Old Wood's two
    assert '<tr class="part overridden"><td>SSSI</td><td>Moor, part 4</td><td>nearby</td>' in html
    assert "<td>Brook</td><td>nearby</td><td>0.0</td><td>250.0</td><td>1</td>" in html
    text = summary_text(r)
    assert "  - SSSI Moor: overlap, overlap 6,000.0 m², distance 0.0 m (4 parts)" in text
    assert "  - Ancient woodland Old Wood: nearby, overlap 0.0 m², distance 207.0 m, buffer 15 m (2 parts)" in text


def test_a_name_and_another_site_s_reference_never_merge():
    layer = memory_layer("designated_sites", [b(200, 0, 210, 10), b(220, 0, 230, 10)], designation=["LWS"] * 2,
                         name=["Brook", ""], ref=["L1", "Brook"])
    r = screen_site(index_of(area_layer(), old_wood(), no_trees(), CATALOGUE, layer), SITE)
    assert [(g.name, g.n_parts) for g in r.designated_groups] == [("Brook", 1), ("Brook", 1)]
