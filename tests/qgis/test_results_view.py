"""The dock's results view renders a frozen result: named sites grouped, not-screened grey, significance."""

from __future__ import annotations

from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site
from shapely.geometry import box

X, Y = 370000.0, 160000.0
SITE = box(X, Y, X + 100, Y + 100)


def b(x0, y0, x1, y1):
    return box(X + x0, Y + y0, X + x1, Y + y1)


def grouped_index():
    moor = [b(50, 0, 150, 100), b(-20, 0, 10, 100), b(0, 100, 100, 150), b(0, 300, 100, 400)]
    des = memory_layer("designated_sites", [*moor, b(-300, 0, -250, 100)], designation=["SSSI"] * 4 + ["LWS"],
                       name=["Moor"] * 4 + ["Brook"], ref=["R1", "R2", "R3", "R4", "L1"])
    woods = memory_layer("irreplaceable_habitats", [b(307, 0, 350, 100), b(-400, 0, -348, 100)],
                         habitat_type=["ancient_woodland"] * 2, status=["ASNW"] * 2, name=["Old Wood"] * 2,
                         ref=["AW1", "AW2"])
    return PackIndex.build(memory_pack([
        memory_layer("strategy_area", [b(-5000, -5000, 5000, 5000)], name=["County"]), des, woods,
        memory_layer("ancient_trees", []), memory_layer("opportunity_areas", [])]))


def test_findings_are_grouped_by_named_site_and_the_banner_lists_only_what_drives_it(qgis_app):
    from lnrs_toolkit.plugin.gui.results_view import ResultsView

    view = ResultsView()
    view.resize(500, 700)
    r = screen_site(grouped_index(), SITE, site_ref="G/1")
    view.set_result(r)
    sections = view.section_items()
    des = sections["designated_sites"]
    assert [des.child(i).text(0) for i in range(des.childCount())] == ["SSSI: Moor (4 parts)", "LWS: Brook"]
    moor = des.child(0)
    assert moor.text(1) == "on the site" and moor.childCount() == 4 and not moor.isExpanded()
    assert [moor.child(i).text(0) for i in range(4)] == ["part 1", "part 2", "part 3", "part 4"]
    assert moor.child(3).text(1) == "200 m away"
    irr = sections["irreplaceable"]
    assert irr.childCount() == 1 and irr.child(0).text(0) == "Ancient woodland: Old Wood (2 parts)"
    assert irr.child(0).text(1) == "207 m away"
    assert len(view.finding_items()) == 7 and len(view.group_items()) == 2
    # the banner: red, one reason (the SSSI), not the woods 207 m and 348 m away
    assert view.banner.text().count("<li>") == 1 and "Moor" in view.banner.text()
    assert "Old Wood" not in view.banner.text()
    emitted = []
    view.finding_activated.connect(emitted.append)
    view._on_clicked(moor)
    assert emitted == [r.designated_sites[0]]
    view.tree.setCurrentItem(moor)
    detail = view.detail.toPlainText()
    assert "6,000.0 m²" in detail and "Parts" in detail and "4" in detail


def test_strategic_significance_has_no_category_without_a_proposed_habitat(qgis_app):
    from lnrs_toolkit.plugin.gui.results_view import ResultsView

    opp = memory_layer("opportunity_areas", [b(0, 0, 40, 100)], measures=["WD001"])
    cat = memory_layer("measures", None, code=["WD001"], habitat_theme=["Woodland"], priority=["P1"],
                       measure=["Woodland."], habitats=["Woodland and forest"])
    idx = PackIndex.build(memory_pack([
        memory_layer("strategy_area", [b(-5000, -5000, 5000, 5000)], name=["County"]), opp, cat,
        memory_layer("designated_sites", []), memory_layer("irreplaceable_habitats", []),
        memory_layer("ancient_trees", [])], {"publication_date": "2025-11-04"}))
    view = ResultsView()
    view.set_result(screen_site(idx, SITE, site_ref="S"))
    sec = view.section_items()["opportunity"]
    assert sec.text(1) == "1 measure(s) mapped"
    view.tree.setCurrentItem(sec)
    detail = view.detail.toPlainText()
    assert "no category is stated" in detail and "WD001 on 40.0%" in detail and "Woodland and forest" in detail
    assert "Medium cannot be applied" in detail
    view.set_result(screen_site(idx, SITE, site_ref="S", proposed_habitat="Woodland and forest"))
    assert view.section_items()["opportunity"].text(1) == "High (1.15)"
    view.set_result(screen_site(idx, b(1000, 1000, 1100, 1100), site_ref="T"))
    assert view.section_items()["opportunity"].text(1) == "no measures mapped"


def test_priority_habitats_have_their_own_section_grouped_by_main_habitat(qgis_app):
    from lnrs_toolkit.plugin.gui.results_view import ResultsView

    phi = memory_layer("priority_habitats", [b(0, 0, 10, 100), b(80, 0, 100, 100), b(-50, 0, -20, 100)],
                       main_habitat=["Deciduous woodland", "Deciduous woodland", "Lowland meadows"],
                       additional_habitats=["", "Traditional orchard", ""], habitat_codes=["", "", ""],
                       confidence=["High", "", ""], name=[None] * 3, ref=[None] * 3)
    woods = memory_layer("irreplaceable_habitats", [b(200, 0, 300, 100)], habitat_type=["ancient_woodland"],
                         status=["ASNW"], name=["Far Wood"], ref=["AW9"], inventory=["legacy"])
    index = PackIndex.build(memory_pack([
        memory_layer("strategy_area", [b(-5000, -5000, 5000, 5000)], name=["County"]), phi, woods,
        memory_layer("designated_sites", []), memory_layer("ancient_trees", []),
        memory_layer("opportunity_areas", [])]))
    r = screen_site(index, SITE, site_ref="P/1")
    view = ResultsView()
    view.set_result(r)
    sections = view.section_items()
    sec = sections["priority_habitats"]
    assert sec.text(1) == "found"
    assert [sec.child(i).text(0) for i in range(sec.childCount())] == ["Deciduous woodland (2 parts)",
                                                                       "Lowland meadows"]
    woodland, meadow = sec.child(0), sec.child(1)
    assert woodland.text(1) == "on the site" and meadow.text(1) == "20 m away"
    assert woodland.child(0).text(1) == "20.0% of the site"  # the larger part first: 2,000 m² of 10,000 m²
    view.tree.setCurrentItem(woodland.child(0))
    detail = view.detail.toPlainText()
    assert "Traditional orchard" in detail and "2,000.0 m² (20.0%)" in detail
    emitted = []
    view.finding_activated.connect(emitted.append)
    view._on_clicked(meadow)  # zooms to the polygon, like any finding
    assert emitted == [r.priority_habitats[2]]
    assert view.current_finding() is None  # no "not applicable" mark for priority habitats
    view.tree.setCurrentItem(sections["irreplaceable"].child(0))
    assert "legacy Ancient Woodland Inventory" in view.detail.toPlainText()
