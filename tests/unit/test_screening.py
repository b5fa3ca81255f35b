"""Screening engine: hand-computed answers for each check, the verdict and bad input."""

from __future__ import annotations

import math

import pytest
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site, screen_sites
from lnrs_toolkit.plugin.core.screening.options import ScreeningOptions
from lnrs_toolkit.plugin.core.screening.results import SiteError
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

# British National Grid coordinates somewhere in Somerset; the site is a 100 m square.
X, Y = 370000.0, 160000.0
SITE = box(X, Y, X + 100, Y + 100)
WOODLAND = "Woodland and forest - Lowland mixed deciduous woodland"
CATALOGUE = memory_layer(
    "measures", None,
    code=["WD001", "FW012"], habitat_theme=["Woodland", "Freshwater"], priority=["P1", "P2"],
    measure=["Buffer and connect ancient woodland.", "Restore river corridors."],
    habitats=["Woodland and forest;Individual trees", "Lakes;Wetland;Watercourse footprint"],
)


def b(x0, y0, x1, y1):
    return box(X + x0, Y + y0, X + x1, Y + y1)


def area_layer():
    return memory_layer("strategy_area", [b(-5000, -5000, 5000, 5000)], name=["Test county"])


def index_of(*layers, metadata=None):
    return PackIndex.build(memory_pack([area_layer(), *layers], metadata))


def woods(*geoms, status="ASNW"):
    n = len(geoms)
    return memory_layer("irreplaceable_habitats", list(geoms), habitat_type=["ancient_woodland"] * n,
                        status=[status] * n, name=[f"Wood {i}" for i in range(n)], ref=[f"AW{i}" for i in range(n)])


def no_trees():
    return memory_layer("ancient_trees", [])


def sites_layer(*designations_and_geoms):
    designations = [d for d, _ in designations_and_geoms]
    return memory_layer("designated_sites", [g for _, g in designations_and_geoms], designation=designations,
                        name=[f"{d} site" for d in designations], ref=[f"R{i}" for i in range(len(designations))])


def full_index(*extra, metadata=None):
    base = {"irreplaceable_habitats": woods(), "ancient_trees": no_trees(), "designated_sites": sites_layer(),
            "opportunity_areas": memory_layer("opportunity_areas", []), "measures": CATALOGUE}
    for layer in extra:
        base[layer.spec.name] = layer
    return index_of(*base.values(), metadata=metadata)


# --------------------------------------------------------------------------- irreplaceable
def test_adjoining_ancient_woodland_is_not_loss_but_enters_its_15m_buffer():
    r = screen_site(full_index(woods(b(100, 0, 200, 100))), SITE)
    [f] = r.irreplaceable
    assert f.relation == "adjoins" and f.overlap_m2 == 0 and f.distance_m == 0
    assert f.buffer_m == 15 and f.in_buffer and not f.buffer_assumed
    assert f.buffer_intrusion_m2 == pytest.approx(1500.0, abs=0.01)  # a 15 m x 100 m strip
    assert r.verdict == "red"
    assert r.checks.irreplaceable == "found"


def test_overlap_is_loss_with_exact_area():
    r = screen_site(full_index(woods(b(50, 0, 150, 100))), SITE)
    [f] = r.irreplaceable
    assert f.relation == "overlap" and f.overlap_m2 == pytest.approx(5000.0) and f.distance_m == 0
    assert r.verdict == "red"
    assert "loss of irreplaceable habitat" in r.reasons[0]


def test_sliver_overlap_below_tolerance_reports_adjoins():
    r = screen_site(full_index(woods(b(99.995, 0, 200, 100))), SITE)
    [f] = r.irreplaceable
    assert f.overlap_m2 == pytest.approx(0.5, abs=1e-6)
    assert f.relation == "adjoins"


def test_within_buffer_and_nearby_distances():
    r = screen_site(full_index(woods(b(110, 0, 200, 100), b(-300, 0, -120, 100))), SITE)
    near, far = r.irreplaceable
    assert near.relation == "buffer" and near.distance_m == pytest.approx(10.0)
    assert near.buffer_intrusion_m2 == pytest.approx(500.0, abs=0.01)
    assert far.relation == "nearby" and far.distance_m == pytest.approx(120.0) and not far.in_buffer
    assert r.verdict == "red"


def test_woodland_only_nearby_is_amber_and_beyond_search_distance_is_ignored():
    r = screen_site(full_index(woods(b(130, 0, 200, 100), b(700, 0, 800, 100))), SITE)
    assert [f.distance_m for f in r.irreplaceable] == [pytest.approx(30.0)]
    assert r.verdict == "amber"


def test_tree_buffers_follow_standing_advice():
    trees = memory_layer(
        "ancient_trees",
        [Point(X + 150, Y + 50), Point(X + 110, Y + 50), Point(X + 50, Y + 50), Point(X + 125, Y + 50)],
        status=["veteran", "ancient", "veteran", "veteran"], name=["Oak", "Yew", "Ash", "Elm"],
        stem_diameter_m=[1.0, None, None, 2.0], crown_radius_m=[12.0, None, 6.0, None],
    )
    r = screen_site(full_index(trees), SITE)
    by_name = {f.name: f for f in r.irreplaceable}
    assert by_name["Oak"].buffer_m == pytest.approx(17.0)  # max(15 x 1.0, 12 + 5)
    assert by_name["Oak"].relation == "nearby" and by_name["Oak"].distance_m == pytest.approx(50.0)
    assert by_name["Yew"].buffer_assumed and by_name["Yew"].buffer_m == 15.0
    assert by_name["Yew"].in_buffer and by_name["Yew"].relation == "buffer"
    assert by_name["Ash"].relation == "overlap" and by_name["Ash"].buffer_m == pytest.approx(11.0)
    assert by_name["Elm"].buffer_m == pytest.approx(30.0) and by_name["Elm"].in_buffer
    assert all(f.habitat == "ancient_veteran_tree" for f in r.irreplaceable)
    assert r.verdict == "red"


def test_buffer_rules_are_configurable():
    from lnrs_toolkit.plugin.core.metric.buffers import BufferRules

    rules = BufferRules(habitat_buffer_m=(("ancient_woodland", 50.0),))
    r = screen_site(full_index(woods(b(130, 0, 200, 100))), SITE, options=ScreeningOptions(buffers=rules))
    assert r.irreplaceable[0].relation == "buffer" and r.irreplaceable[0].buffer_m == 50.0


# --------------------------------------------------------------------------- designated
@pytest.mark.parametrize(("designation", "verdict"), [("SSSI", "red"), ("SAC", "red"), ("SPA", "red"),
                                                      ("Ramsar", "red"), ("NNR", "red"), ("LNR", "amber"),
                                                      ("LWS", "amber")])
def test_overlap_with_designated_site(designation, verdict):
    r = screen_site(full_index(sites_layer((designation, b(60, 60, 160, 160)))), SITE)
    [f] = r.designated_sites
    assert f.overlap_m2 == pytest.approx(1600.0) and f.distance_m == 0 and f.relation == "overlap"
    assert r.verdict == verdict


def test_designated_distance_and_search_distance():
    idx = full_index(sites_layer(("SSSI", b(400, 0, 500, 100)), ("SAC", b(700, 0, 800, 100))))
    r = screen_site(idx, SITE)
    assert [(f.designation, round(f.distance_m, 6)) for f in r.designated_sites] == [("SSSI", 300.0)]
    assert r.verdict == "amber"
    r2 = screen_site(idx, SITE, options=ScreeningOptions(search_distance_m=1000))
    assert [f.designation for f in r2.designated_sites] == ["SSSI", "SAC"]
    r3 = screen_site(idx, SITE, options=ScreeningOptions(search_distance_m=100))
    assert r3.designated_sites == () and r3.verdict == "green"


def test_clear_site_is_green_with_all_checks_clear():
    r = screen_site(full_index(), SITE)
    assert r.verdict == "green"
    assert r.checks.to_dict() == {"irreplaceable": "clear", "designated": "clear", "opportunity": "clear",
                                  "priority_habitats": "not_checked"}  # no inventory in this pack: not amber
    ss = r.strategic_significance
    assert (ss.category, ss.multiplier, ss.metric_text) == (None, None, None)  # no proposed habitat: no category
    assert ss.basis == ("No proposed habitat was given, so no category is stated. No part of the site lies in an "
                        "area the LNRS maps for measures, so High is not available here. Baseline strategic "
                        "significance is Low: the LNRS is published, so Medium cannot be applied.")
    low = screen_site(full_index(), SITE, proposed_habitat=WOODLAND).strategic_significance
    assert low.metric_text == "Area/compensation not in local strategy/ no local strategy"


# --------------------------------------------------------------------------- opportunity
def opp_layer():
    return memory_layer("opportunity_areas", [b(0, 0, 50, 100), b(25, 0, 100, 100), b(0, 0, 10, 10)],
                        measures=["WD001;FW012", "WD001", "XX999"])


def test_measures_areas_union_and_catalogue_flags():
    r = screen_site(full_index(opp_layer()), SITE)
    m = {x.code: x for x in r.measures}
    assert m["WD001"].overlap_m2 == pytest.approx(10000.0) and m["WD001"].pct_of_site == pytest.approx(100.0)
    assert m["FW012"].overlap_m2 == pytest.approx(5000.0) and m["FW012"].pct_of_site == pytest.approx(50.0)
    assert m["WD001"].text == "Buffer and connect ancient woodland." and m["WD001"].in_catalogue
    assert m["XX999"].in_catalogue is False and m["XX999"].overlap_m2 == pytest.approx(100.0)
    assert any("XX999" in n for n in r.notes)
    ss = r.strategic_significance
    assert ss.mapped_area_m2 == pytest.approx(10000.0) and ss.mapped_pct == pytest.approx(100.0)
    assert (ss.category, ss.multiplier, ss.metric_text) == (None, None, None)
    assert ss.high_available_for == ("Woodland and forest", "Individual trees", "Lakes", "Wetland",
                                     "Watercourse footprint")
    assert ss.basis == ("No proposed habitat was given, so no category is stated. The LNRS maps measures on 100.0% "
                        "of the site (10,000.0 m²): WD001 on 100.0%, FW012 on 50.0%, XX999 on 1.0%. High (1.15) is "
                        "available only for post-development habitat consistent with these measures, which Woodland "
                        "and forest; Individual trees; Lakes; Wetland; Watercourse footprint habitat delivers. "
                        "Baseline strategic significance is Low: the LNRS is published, so Medium cannot be "
                        "applied.")
    assert r.checks.opportunity == "found"


def test_proposed_habitat_must_deliver_a_mapped_measure():
    idx = full_index(opp_layer())
    high = screen_site(idx, SITE, proposed_habitat=WOODLAND).strategic_significance
    assert high.category == "High" and high.justifying_codes == ("WD001",)
    assert high.proposed_broad_habitat == "Woodland and forest"
    low = screen_site(idx, SITE, proposed_habitat="Grassland - Other neutral grassland").strategic_significance
    assert low.category == "Low" and low.multiplier == 1.0 and low.justifying_codes == ()
    broad = screen_site(idx, SITE, proposed_habitat="wetland").strategic_significance
    assert broad.category == "High" and broad.justifying_codes == ("FW012",)


def test_partly_mapped_site_without_proposed_habitat_states_the_share_not_a_category():
    opp = memory_layer("opportunity_areas", [b(90, 0, 300, 100)], measures=["WD001"])
    r = screen_site(full_index(opp), SITE)
    ss = r.strategic_significance
    assert ss.category is None and ss.mapped_pct == pytest.approx(10.0)
    assert "The LNRS maps measures on 10.0% of the site (1,000.0 m²): WD001 on 10.0%." in ss.basis
    assert ss.justifying_codes == ("WD001",) and ss.high_available_for == ("Woodland and forest", "Individual trees")
    assert screen_site(full_index(opp), SITE, proposed_habitat=WOODLAND).strategic_significance.category == "High"


def test_medium_only_from_interim_layer_and_never_once_the_lnrs_is_published():
    interim = memory_layer("interim_strategy", [b(0, 0, 100, 100)], name=["Interim"])
    grass = "Grassland - Other neutral grassland"
    draft = {"lnrs_status": "not_published"}  # the metric guide's Table 8: Medium may be used
    ss = screen_site(full_index(interim, metadata=draft), SITE, proposed_habitat=grass).strategic_significance
    assert (ss.category, ss.multiplier) == ("Medium", 1.10)
    assert ss.metric_text == "Location ecologically desirable but not in local strategy"
    assert not ss.lnrs_published and ss.baseline_category is None
    bare = screen_site(full_index(interim, metadata=draft), SITE).strategic_significance
    assert bare.category is None and "10,000.0 m² lies in an interim strategy area" in bare.basis
    # a published LNRS (the pack says so, or does not say otherwise): baseline Low, Medium cannot be applied
    layers = [area_layer(), woods(), no_trees(), sites_layer(), memory_layer("opportunity_areas", []), CATALOGUE,
              interim]
    published = index_of(*layers[1:], metadata={"lnrs_status": "published", "lnrs_published_date": "2025-11-04"})
    ss = screen_site(published, SITE, proposed_habitat=grass).strategic_significance
    assert (ss.category, ss.multiplier) == ("Low", 1.0)
    assert ss.lnrs_published and ss.baseline_category == "Low"
    assert ss.basis.endswith("Baseline strategic significance is Low: the LNRS is published, so Medium cannot be "
                             "applied.")
    assert screen_site(published, SITE).to_dict()["strategic_significance"]["baseline_category"] == "Low"


def test_unknown_proposed_habitat_is_refused_with_suggestions():
    with pytest.raises(InputError, match="Did you mean"):
        screen_site(full_index(opp_layer()), SITE, proposed_habitat="Lowland mixed deciduous woodlnd")


def test_missing_catalogue_flags_codes_and_cannot_test_alignment():
    idx = index_of(woods(), no_trees(), sites_layer(), opp_layer())
    r = screen_site(idx, SITE)
    assert {m.code for m in r.measures} == {"WD001", "FW012", "XX999"}
    assert not any(m.in_catalogue for m in r.measures)
    assert r.strategic_significance.category is None
    assert "the pack's catalogue names no habitat that delivers them." in r.strategic_significance.basis
    r2 = screen_site(idx, SITE, proposed_habitat=WOODLAND)
    assert r2.strategic_significance.category is None
    assert "catalogue" in r2.strategic_significance.basis


# --------------------------------------------------------------------------- not checked
def test_missing_layers_are_not_checked_and_never_green():
    idx = index_of(CATALOGUE)
    r = screen_site(idx, SITE)
    assert r.checks.to_dict() == {"irreplaceable": "not_checked", "designated": "not_checked",
                                  "opportunity": "not_checked", "priority_habitats": "not_checked"}
    assert r.verdict == "amber"
    assert r.reasons[-1].startswith("Not checked: irreplaceable, designated, opportunity (see notes)")
    assert r.strategic_significance.category is None


def test_missing_tree_layer_makes_irreplaceable_not_checked_unless_found():
    idx = index_of(woods(), sites_layer(), opp_layer(), CATALOGUE)
    assert screen_site(idx, SITE).checks.irreplaceable == "not_checked"
    idx2 = index_of(woods(b(50, 0, 150, 100)), sites_layer(), opp_layer(), CATALOGUE)
    assert screen_site(idx2, SITE).checks.irreplaceable == "found"


def test_site_outside_strategy_area_is_not_screened():
    far = box(X + 20000, Y, X + 20100, Y + 100)
    r = screen_site(full_index(woods(b(20100, 0, 20200, 100))), far)
    assert set(r.checks.to_dict().values()) == {"not_checked"}
    assert r.irreplaceable == () and r.verdict == "not_screened"
    assert r.reasons == ("Not screened: The site lies outside the strategy area this Local Habitat Map covers; use "
                         "the map of the strategy that covers it.",)
    assert r.reasons[0].removeprefix("Not screened: ") in r.notes
    assert r.strategic_significance.category is None
    d = r.to_dict()
    assert d["verdict"] == "not_screened" and set(d["checks"].values()) == {"not_checked"}


def test_site_outside_the_layers_extent_without_strategy_area_is_not_screened():
    # no strategy area: the map's extent (its layers' bounds widened by the search distance) decides
    idx = PackIndex.build(memory_pack([woods(b(0, 0, 100, 100)), no_trees(), sites_layer(), CATALOGUE]))
    near = screen_site(idx, b(550, 0, 650, 100))  # 450 m east of the wood: inside extent + 500 m
    far = screen_site(idx, b(700, 0, 800, 100))  # 600 m east: outside
    assert near.verdict == "amber" and far.verdict == "not_screened"
    assert "extent" in far.reasons[0]


def test_a_partly_covered_batch_counts_each_verdict():
    from lnrs_toolkit.plugin.core.screening.results import counts_sentence, verdict_counts

    idx = full_index(woods(b(0, 0, 100, 100)))
    results = screen_sites(idx, [SITE, b(1000, 1000, 1100, 1100), b(20000, 0, 20100, 100), None],
                           ["on", "clear", "outside", "empty"])
    assert [getattr(r, "verdict", "error") for r in results] == ["red", "green", "not_screened", "error"]
    counts = verdict_counts(results)
    assert counts == {"red": 1, "amber": 0, "green": 1, "not_screened": 1, "error": 1}
    assert counts_sentence(counts) == ("Screened 4 site(s): 1 red, 0 amber, 1 green, 1 not screened (outside the "
                                       "map), 1 could not be screened (errors).")


def test_site_partly_outside_strategy_area_is_noted():
    edge = b(4950, 0, 5050, 100)
    r = screen_site(full_index(), edge)
    assert any("outside the strategy area" in n for n in r.notes)
    assert r.checks.designated == "clear"


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(("geom", "message"), [
    (None, "no geometry"),
    (Polygon(), "empty"),
    (Point(X, Y), "point"),
    (LineString([(X, Y), (X + 10, Y)]), "line"),
    (box(-1.5, 51.0, -1.4, 51.1), "degrees"),
    (box(5_000_000, 5_000_000, 5_000_100, 5_000_100), "outside Great Britain"),
    (Polygon([(X, Y), (X + 10, Y), (X + 20, Y)]), "no area"),
])
def test_unusable_sites_give_a_clear_error_and_do_not_stop_the_batch(geom, message):
    results = screen_sites(full_index(), [geom, SITE], ["bad", "good"])
    assert isinstance(results[0], SiteError) and message in results[0].message
    assert results[0].site_ref == "bad"
    assert results[1].verdict == "green"


def test_self_intersecting_site_is_repaired_and_reported():
    bowtie = Polygon([(X, Y), (X + 100, Y + 100), (X + 100, Y), (X, Y + 100)])
    r = screen_site(full_index(woods(b(50, 0, 150, 100))), bowtie)
    assert r.site_area_m2 == pytest.approx(5000.0)
    assert any("invalid" in n and "repaired" in n for n in r.notes)
    assert r.irreplaceable[0].overlap_m2 == pytest.approx(2500.0)


def test_multipart_site_with_holes():
    hole = [(X + 25, Y + 25), (X + 75, Y + 25), (X + 75, Y + 75), (X + 25, Y + 75)]
    ring = Polygon(SITE.exterior.coords, [hole])
    site = MultiPolygon([ring, b(300, 0, 400, 100)])
    wood = woods(b(40, 40, 60, 60))  # wholly inside the hole: not loss, but adjoins? no: 15 m away
    r = screen_site(full_index(wood), site)
    assert r.site_area_m2 == pytest.approx(10000 - 2500 + 10000)
    [f] = r.irreplaceable
    assert f.overlap_m2 == 0 and f.distance_m == pytest.approx(15.0) and f.relation == "nearby"


def test_z_values_and_duplicate_vertices_are_handled():
    coords = [(X, Y, 5), (X, Y, 5), (X + 100, Y, 5), (X + 100, Y + 100, 5), (X, Y + 100, 5), (X, Y, 5)]
    r = screen_site(full_index(woods(b(50, 0, 150, 100))), Polygon(coords))
    assert r.site_area_m2 == pytest.approx(10000.0)
    assert r.irreplaceable[0].overlap_m2 == pytest.approx(5000.0)
    assert any("Z values" in n for n in r.notes)


def test_one_square_metre_site():
    tiny = b(10, 10, 11, 11)
    opp = memory_layer("opportunity_areas", [b(0, 0, 50, 100)], measures=["WD001"])
    r = screen_site(full_index(opp), tiny)
    assert r.site_area_m2 == pytest.approx(1.0)
    assert r.strategic_significance.mapped_pct == pytest.approx(100.0)
    assert r.measures[0].pct_of_site == pytest.approx(100.0)


def test_county_sized_site():
    county = b(-4000, -4000, 4000, 4000)
    idx = full_index(woods(b(100, 0, 200, 100)), opp_layer())
    r = screen_site(idx, county)
    assert r.site_area_m2 == pytest.approx(64e6)
    assert r.irreplaceable[0].overlap_m2 == pytest.approx(10000.0)


def test_invalid_pack_polygons_are_repaired_on_load():
    bow = Polygon([(X + 50, Y), (X + 150, Y + 100), (X + 150, Y), (X + 50, Y + 100)])
    idx = full_index(woods(bow))
    assert any("repaired" in n for n in idx.load_notes)
    r = screen_site(idx, SITE)
    assert r.irreplaceable[0].overlap_m2 == pytest.approx(2500.0)  # the left triangle of the bow tie


def test_negative_search_distance_refused():
    with pytest.raises(InputError):
        screen_sites(full_index(), [SITE], options=ScreeningOptions(search_distance_m=-1))


def test_json_shape():
    r = screen_site(full_index(opp_layer(), woods(b(100, 0, 200, 100))), SITE, site_ref="APP/1")
    d = r.to_dict()
    assert d["schema"] == "lnrs-screening/1" and d["site_ref"] == "APP/1"
    assert set(d) >= {"site_area_m2", "habitat_map", "verdict", "checks", "irreplaceable", "designated_sites",
                      "strategic_significance", "measures"}
    assert set(d["habitat_map"]) == {"name", "version", "sha256", "publication_date", "unpublished_edits"}
    assert set(d["irreplaceable"][0]) >= {"habitat", "name", "ref", "overlap_m2", "distance_m", "buffer_m",
                                          "buffer_assumed", "in_buffer"}
    assert set(d["strategic_significance"]) >= {"category", "multiplier", "metric_text", "mapped_area_m2",
                                                "mapped_pct"}
    assert set(d["measures"][0]) >= {"code", "theme", "priority", "text", "overlap_m2", "pct_of_site",
                                     "in_catalogue"}
    assert not math.isnan(d["site_area_m2"])


def test_batch_keeps_input_order_and_cancels():
    idx = full_index(opp_layer())
    sites = [b(i * 200, 0, i * 200 + 100, 100) for i in range(600)]
    results = screen_sites(idx, sites, [f"S{i}" for i in range(600)])
    assert [r.site_ref for r in results] == [f"S{i}" for i in range(600)]
    assert results[0].measure_codes == ("WD001", "FW012", "XX999")
    calls = []
    partial = screen_sites(idx, sites, is_cancelled=lambda: len(calls) > 0, progress=calls.append)
    assert len(partial) < len(sites)
