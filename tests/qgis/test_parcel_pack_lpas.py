"""lnrs:parcelsignificance without LPA_BOUNDARIES splits by the pack's own lpa_boundaries table and logs it."""

from __future__ import annotations

from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.tests.qgis.feedback_log import FeedbackLog
from lnrs_toolkit.tests.unit.packs import SPLIT_X, build_split_pack
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer
from shapely.geometry import box


def parcels_layer() -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:27700&field=hab:string&field=cond:string", "parcels", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["Grassland - Modified grassland", "3. Moderate"])
    x = SPLIT_X
    f.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({x - 50} 430000,{x + 50} 430000,{x + 50} 430100,{x - 50} 430100,"
                                      f"{x - 50} 430000))"))
    layer.dataProvider().addFeatures([f])
    return layer


def test_the_pack_lpa_boundaries_split_parcels_when_none_are_given(lnrs_provider, tmp_path):
    import processing

    pack = build_split_pack(tmp_path / "pack.gpkg")
    x = SPLIT_X
    add_rows(pack, map_rows("lpa", [{"n": "West District", "r": "E07000001"}, {"n": "", "r": "E07000002"}],
                            [box(x - 1000, 429000, x + 20, 431000), box(x + 20, 429000, x + 1000, 431000)],
                            FieldMapping(name_field="n", ref_field="r"), "lpa", ["n", "r"], "polygon"))
    log = FeedbackLog()
    res = processing.run("lnrs:parcelsignificance", {
        "INPUT": parcels_layer(), "PACK": str(pack), "HABITAT_FIELD": "hab", "PHASE": "proposed",
        "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT"}, feedback=log)
    pieces = sorted((f["piece_ref"], f["lpa"], round(f.geometry().area(), 3)) for f in res["OUTPUT"].getFeatures())
    # the parcel runs 50 m either side of SPLIT_X; the authorities meet 20 m east of it; High ends at SPLIT_X
    assert pieces == [("P1-a", "West District", 5000.0), ("P1-b", "West District", 2000.0),
                      ("P1-c", "E07000002", 3000.0)]
    assert any("no LPA_BOUNDARIES layer was given, so the pack's own 'lpa_boundaries' table was used (2 authorities: "
               "West District, E07000002)" in line for line in log.lines), log.lines
