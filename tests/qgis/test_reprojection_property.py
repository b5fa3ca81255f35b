"""Results are invariant under a reprojection round trip (within 0.01 m²): hypothesis, fixed seed."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lnrs_toolkit.plugin.adapters.qgis_geometry import to_shapely, transform_to_pack
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsGeometry, QgsProject
from shapely.geometry import box

X, Y = 370000.0, 160000.0
INDEX = PackIndex.build(memory_pack([
    memory_layer("irreplaceable_habitats", [box(X, Y, X + 120, Y + 80)], habitat_type=["ancient_woodland"]),
    memory_layer("ancient_trees", []),
    memory_layer("designated_sites", [box(X - 100, Y + 100, X + 100, Y + 300)], designation=["SSSI"]),
    memory_layer("opportunity_areas", [box(X - 50, Y - 50, X + 150, Y + 150)], measures=["WD001"]),
]))


@settings(derandomize=True, max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(-80, 200), st.floats(-80, 250), st.floats(10, 200), st.floats(10, 200))
@pytest.mark.parametrize("via", ["EPSG:4277", "EPSG:27700"])
def test_round_trip_through_another_crs(qgis_app, via, x, y, w, h):
    bng = QgsCoordinateReferenceSystem("EPSG:27700")
    other = QgsCoordinateReferenceSystem(via)
    site = QgsGeometry.fromWkt(box(X + x, Y + y, X + x + w, Y + y + h).wkt)
    moved = QgsGeometry(site)
    moved.transform(QgsCoordinateTransform(bng, other, QgsProject.instance()))
    back = to_shapely(moved, transform_to_pack(other, QgsProject.instance().transformContext(), "site")).geometry
    direct = to_shapely(site, None).geometry
    a, b = screen_site(INDEX, direct), screen_site(INDEX, back)
    assert a.verdict == b.verdict and a.measure_codes == b.measure_codes
    assert b.site_area_m2 == pytest.approx(a.site_area_m2, abs=0.01)
    for fa, fb in zip(a.irreplaceable + a.designated_sites, b.irreplaceable + b.designated_sites):
        assert fb.overlap_m2 == pytest.approx(fa.overlap_m2, abs=0.01)
    assert b.strategic_significance.mapped_area_m2 == pytest.approx(a.strategic_significance.mapped_area_m2,
                                                                     abs=0.01)
