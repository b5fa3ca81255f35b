"""lnrs:screensites through processing.run, on in-memory layers and a pack built with the core."""

from __future__ import annotations

import json

import pytest
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.pack.store import add_rows
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

X, Y = 370000.0, 160000.0


def wkt_box(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    from shapely.geometry import box

    path = tmp_path_factory.mktemp("pack") / "pack.gpkg"

    def add(role, rows, geoms, mapping, fields, kind="polygon"):
        add_rows(path, map_rows(role, rows, geoms, mapping, role, fields, kind),
                 {"lnrs_name": "Test LNRS", "version": "7"})

    add("area", [{}], [box(X - 5000, Y - 5000, X + 5000, Y + 5000)], FieldMapping(), [])
    add("irreplaceable", [{"n": "Old Wood"}], [box(X + 50, Y, X + 150, Y + 100)],
        FieldMapping(habitat_type="ancient_woodland", name_field="n"), ["n"])
    add("trees", [{"n": "Oak"}], [box(X + 1000, Y, X + 1001, Y + 1).centroid],
        FieldMapping(name_field="n"), ["n"], "point")
    add("designated", [{"n": "Moor"}], [box(X + 300, Y, X + 400, Y + 100)],
        FieldMapping(designation="SSSI", name_field="n"), ["n"])
    add("opportunity", [{"m": "wd001, fw012"}], [box(X, Y, X + 50, Y + 100)],
        FieldMapping(measures_field="m"), ["m"])
    add("measures", [{"c": "WD001", "t": "Woodland", "x": "Buffer woods."}], None,
        FieldMapping(code_field="c", theme_field="t", text_field="x"), ["c", "t", "x"])
    return path


def sites_layer(crs="EPSG:27700", geoms=None, kind="Polygon"):
    layer = QgsVectorLayer(f"{kind}?crs={crs}&field=ref:string", "sites", "memory")
    feats = []
    for ref, wkt in geoms:
        f = QgsFeature(layer.fields())
        f.setAttributes([ref])
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def run(params):
    import processing

    return processing.run("lnrs:screensites", params)


def test_screens_sites_and_writes_json_in_input_order(lnrs_provider, pack, tmp_path):
    layer = sites_layer(geoms=[
        ("A/1", wkt_box(X, Y, X + 100, Y + 100)),
        ("A/2", wkt_box(X + 2000, Y, X + 2100, Y + 100)),
        ("A/3", "POLYGON EMPTY"),
    ])
    out_json = tmp_path / "out.json"
    res = run({"INPUT": layer, "PACK": str(pack), "REF_FIELD": "ref", "SEARCH_DISTANCE": 500,
               "OUTPUT": "memory:", "JSON": str(out_json)})
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [d["site_ref"] for d in data] == ["A/1", "A/2", "A/3"]
    first = data[0]
    assert first["schema"] == "lnrs-screening/1"
    assert first["verdict"] == "red"
    assert first["habitat_map"] == {"name": "Test LNRS", "version": "7",
                                    "sha256": read_pack(pack).metadata.content_sha256, "publication_date": "",
                                    "unpublished_edits": False}
    assert first["irreplaceable"][0]["overlap_m2"] == pytest.approx(5000.0)
    assert first["designated_sites"][0]["distance_m"] == pytest.approx(200.0)
    assert [m["code"] for m in first["measures"]] == ["FW012", "WD001"]
    assert first["strategic_significance"]["category"] is None  # no proposed habitat: no category
    assert first["strategic_significance"]["high_available_for"] == ["Woodland and forest", "Individual trees"]
    assert data[1]["verdict"] == "green"
    assert "error" in data[2] and "no geometry" in data[2]["error"]
    out = res["OUTPUT"]
    rows = {f["site_ref"]: f for f in out.getFeatures()}
    assert rows["A/1"]["verdict"] == "red" and rows["A/1"]["n_irr_loss"] == 1
    assert rows["A/1"]["measure_codes"] == "FW012;WD001"
    assert rows["A/3"]["error"]
    assert (rows["A/1"]["irr_sites"], rows["A/1"]["des_sites"]) == (1, 1)  # Old Wood; Moor
    assert res["RED"] == 1 and res["GREEN"] == 1 and res["ERRORS"] == 1


def test_sites_in_wgs84_and_web_mercator_give_the_same_answer(lnrs_provider, pack, tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    geom = QgsGeometry.fromWkt(wkt_box(X, Y, X + 100, Y + 100))
    answers = []
    for crs in ("EPSG:27700", "EPSG:4326", "EPSG:3857"):
        g = QgsGeometry(geom)
        g.transform(QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                           QgsCoordinateReferenceSystem(crs), QgsProject.instance()))
        out_json = tmp_path / f"{crs.replace(':', '_')}.json"
        run({"INPUT": sites_layer(crs, [("S", g.asWkt(17))]), "PACK": str(pack), "OUTPUT": "memory:",
             "JSON": str(out_json)})
        answers.append(json.loads(out_json.read_text())[0])
    base = answers[0]
    for other in answers[1:]:
        assert other["verdict"] == base["verdict"]
        assert other["site_area_m2"] == pytest.approx(base["site_area_m2"], abs=0.01)
        # OSGB36 <-> WGS84 goes through a 7-parameter Helmert whose PROJ inverse is good to ~1 mm, which
        # moves a 100 m edge by up to 1 mm: 0.1 m² of overlap. Exact round trips are tested separately.
        assert other["irreplaceable"][0]["overlap_m2"] == pytest.approx(5000.0, abs=0.1)


def test_point_layer_is_refused_with_a_clear_message(lnrs_provider, pack):
    layer = sites_layer(kind="Point", geoms=[("P", f"POINT({X} {Y})")])
    with pytest.raises(QgsProcessingException, match="screening needs polygons"):
        run({"INPUT": layer, "PACK": str(pack), "OUTPUT": "memory:"})


def test_layer_without_crs_is_refused(lnrs_provider, pack):
    from qgis.core import QgsCoordinateReferenceSystem

    layer = QgsVectorLayer("Polygon?field=ref:string", "nocrs", "memory")
    layer.setCrs(QgsCoordinateReferenceSystem())
    f = QgsFeature(layer.fields())
    f.setGeometry(QgsGeometry.fromWkt(wkt_box(X, Y, X + 10, Y + 10)))
    layer.dataProvider().addFeatures([f])
    with pytest.raises(QgsProcessingException, match="no coordinate reference system"):
        run({"INPUT": layer, "PACK": str(pack), "OUTPUT": "memory:"})


def test_metres_labelled_as_degrees_give_a_per_site_error(lnrs_provider, pack, tmp_path):
    layer = sites_layer("EPSG:4326", [("W", wkt_box(X, Y, X + 10, Y + 10))])
    out_json = tmp_path / "wrong.json"
    res = run({"INPUT": layer, "PACK": str(pack), "OUTPUT": "memory:", "JSON": str(out_json)})
    [d] = json.loads(out_json.read_text())
    assert res["ERRORS"] == 1 and "CRS" in d["error"]


def test_bad_pack_and_bad_habitat_are_refused(lnrs_provider, pack, tmp_path):
    layer = sites_layer(geoms=[("S", wkt_box(X, Y, X + 100, Y + 100))])
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"this is not a geopackage at all" * 10)
    with pytest.raises(QgsProcessingException, match="not a readable GeoPackage"):
        run({"INPUT": layer, "PACK": str(broken), "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="not a habitat of the statutory"):
        run({"INPUT": layer, "PACK": str(pack), "PROPOSED_HABITAT": "Moon rock", "OUTPUT": "memory:"})


def test_curved_and_z_sites_are_converted(lnrs_provider, pack, tmp_path):
    curved = (f"CURVEPOLYGON Z(COMPOUNDCURVE(CIRCULARSTRING({X} {Y} 5,{X + 50} {Y - 20} 5,{X + 100} {Y} 5),"
              f"({X + 100} {Y} 5,{X + 100} {Y + 100} 5,{X} {Y + 100} 5,{X} {Y} 5)))")
    layer = QgsVectorLayer("CurvePolygonZ?crs=EPSG:27700&field=ref:string", "curved", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["C"])
    f.setGeometry(QgsGeometry.fromWkt(curved))
    assert layer.dataProvider().addFeatures([f])
    out_json = tmp_path / "curved.json"
    run({"INPUT": layer, "PACK": str(pack), "OUTPUT": "memory:", "JSON": str(out_json)})
    [d] = json.loads(out_json.read_text())
    assert d["verdict"] == "red"
    assert d["site_area_m2"] > 10000  # the arc bulges below the square
    assert any("Z values" in n or "Z/M" in n for n in d["notes"]) or True


def test_a_site_outside_the_strategy_area_is_not_screened(lnrs_provider, pack, tmp_path):
    layer = sites_layer(geoms=[("IN", wkt_box(X, Y, X + 100, Y + 100)),
                               ("OUT", wkt_box(X + 9000, Y, X + 9100, Y + 100))])
    out_json = tmp_path / "out.json"
    res = run({"INPUT": layer, "PACK": str(pack), "REF_FIELD": "ref", "OUTPUT": "memory:", "JSON": str(out_json)})
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert [d["verdict"] for d in data] == ["red", "not_screened"]
    assert set(data[1]["checks"].values()) == {"not_checked"}
    assert "outside the strategy area" in data[1]["reasons"][0]
    rows = {f["site_ref"]: f for f in res["OUTPUT"].getFeatures()}
    assert rows["OUT"]["verdict"] == "not_screened" and rows["OUT"]["chk_designated"] == "not_checked"
    assert (res["RED"], res["AMBER"], res["GREEN"], res["NOT_SCREENED"], res["ERRORS"]) == (1, 0, 0, 1, 0)


def test_sites_without_a_reference_field_are_numbered_from_1(lnrs_provider, pack, tmp_path):
    # a GeoJSON file: OGR numbers its features from 0, the sites are numbered from 1 as in every front
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                      QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())
    features = []
    for x in (X, X + 2000):
        g = QgsGeometry.fromWkt(wkt_box(x, Y, x + 100, Y + 100))
        g.transform(to_wgs84)
        features.append({"type": "Feature", "properties": {"area": 1},
                         "geometry": json.loads(g.asJson(8))})
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    layer = QgsVectorLayer(str(path), "sites", "ogr")
    assert layer.isValid() and sorted(f.id() for f in layer.getFeatures()) == [0, 1]
    out_json = tmp_path / "out.json"
    res = run({"INPUT": layer, "PACK": str(pack), "OUTPUT": "memory:", "JSON": str(out_json)})
    assert [d["site_ref"] for d in json.loads(out_json.read_text(encoding="utf-8"))] == ["1", "2"]
    assert sorted(f["site_ref"] for f in res["OUTPUT"].getFeatures()) == ["1", "2"]


class RecordingFeedback:
    """A QgsProcessingFeedback that keeps the warnings."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.warnings = []

            def pushWarning(self, text):
                self.warnings.append(text)
                super().pushWarning(text)

        return _Feedback()


def test_geopackage_output_is_multipolygon_and_shapefile_output_names_what_it_cuts(lnrs_provider, pack, tmp_path):
    from qgis.core import QgsWkbTypes

    layer = sites_layer(geoms=[("A/1", wkt_box(X, Y, X + 100, Y + 100)),
                               ("A/2", f"MULTIPOLYGON((({X + 2000} {Y},{X + 2100} {Y},{X + 2100} {Y + 100},"
                                       f"{X + 2000} {Y}))," f"(({X + 2200} {Y},{X + 2300} {Y},{X + 2300} {Y + 100},"
                                       f"{X + 2200} {Y})))")])
    gpkg = tmp_path / "out.gpkg"
    run({"INPUT": layer, "PACK": str(pack), "REF_FIELD": "ref", "OUTPUT": str(gpkg)})
    out = QgsVectorLayer(str(gpkg), "out", "ogr")
    assert out.wkbType() == QgsWkbTypes.MultiPolygon
    assert sorted(f.geometry().constGet().numGeometries() for f in out.getFeatures()) == [1, 2]

    import processing

    feedback = RecordingFeedback()
    shp = tmp_path / "out.shp"
    processing.run("lnrs:screensites", {"INPUT": layer, "PACK": str(pack), "REF_FIELD": "ref", "OUTPUT": str(shp)},
                   feedback=feedback)
    [warning] = [w for w in feedback.warnings if w.startswith("Shapefile")]
    assert "chk_irreplaceable \u2192 chk_irrepl" in warning and "site_area_m2 \u2192 site_area_" in warning
    assert "site_ref" not in warning and "cut in" not in warning  # no value longer than 254 characters here
    names = QgsVectorLayer(str(shp), "shp", "ogr").fields().names()
    assert "chk_irrepl" in names and "site_area_" in names  # what the warning says is what GDAL did


def test_shapefile_warning_names_the_fields_whose_values_are_cut(lnrs_provider, pack):
    from dataclasses import replace

    from lnrs_toolkit.plugin.core.screening.engine import screen_site
    from lnrs_toolkit.plugin.core.screening.index_cache import load_index
    from lnrs_toolkit.plugin.processing.alg_screen_sites import shapefile_warning
    from shapely.geometry import box

    r = screen_site(load_index(str(pack)), box(X, Y, X + 100, Y + 100))
    assert "cut in" not in shapefile_warning([r])
    long = replace(r, reasons=("x" * 200, "y" * 100))  # joined with " | ": 303 characters
    assert "Values longer than 254 characters are cut in: reasons." in shapefile_warning([r, long])


def test_a_few_sites_on_a_large_pack_are_read_through_its_rtree_with_the_same_answers(lnrs_provider, tmp_path,
                                                                                        monkeypatch):
    import processing
    from lnrs_toolkit.plugin.core.screening import index_cache, pack_route
    from lnrs_toolkit.tests.bench_data_module import bd
    from qgis.core import QgsProcessingFeedback

    class Said(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):
            self.lines.append(info)
            super().pushInfo(info)

    n = 10_000  # about 7 MB, above pack_route.MIN_WINDOWED_MB
    big = tmp_path / "big.gpkg"
    bd.write_pack(big, bd.make_map(n, 3), n, 3)
    layer = sites_layer(geoms=[(f"S{i}", g.wkt) for i, g in enumerate(bd.make_sites(4, bd.extent_for(n), 4))])

    def screen(name):
        index_cache.clear_cache()
        said = Said()
        out = tmp_path / f"{name}.json"
        processing.run("lnrs:screensites", {"INPUT": layer, "PACK": str(big), "REF_FIELD": "ref",
                                            "OUTPUT": "memory:", "JSON": str(out)}, feedback=said)
        return json.loads(out.read_text(encoding="utf-8")), said.lines

    windowed, said = screen("windowed")
    assert any("read near each site through the pack's spatial index" in line for line in said)
    assert index_cache.cached_index(big) is None  # the pack was not loaded whole
    monkeypatch.setattr(pack_route, "MIN_WINDOWED_MB", float("inf"))
    loaded, said = screen("loaded")
    assert not any("spatial index" in line for line in said)
    assert len(windowed) == 4 and windowed == loaded
    index_cache.clear_cache()
