"""Issue 15 through Processing: bad numbers, hostile packs and outputs that would clobber the pack."""

from __future__ import annotations

import math

import pytest
from lnrs_toolkit.plugin.core.screening.index_cache import clear_cache
from lnrs_toolkit.tests.unit.packs import build_small_pack
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "pack.gpkg"
    build_small_pack(path)
    clear_cache()
    return path


def sites_layer():
    layer = QgsVectorLayer("Polygon?crs=EPSG:27700&field=ref:string", "sites", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["A"])
    f.setGeometry(QgsGeometry.fromWkt("POLYGON((10 10,60 10,60 60,10 60,10 10))"))
    layer.dataProvider().addFeatures([f])
    return layer


def run(alg, params):
    import processing

    return processing.run(f"lnrs:{alg}", params)


@pytest.mark.parametrize("value", [math.nan, "nan", math.inf, -5.0, 1e9])
def test_processing_screen_refuses_a_bad_search_distance(lnrs_provider, pack, tmp_path, value):
    out = tmp_path / "out.json"
    with pytest.raises(QgsProcessingException):
        run("screensites", {"INPUT": sites_layer(), "PACK": str(pack), "SEARCH_DISTANCE": value,
                            "OUTPUT": "memory:", "JSON": str(out)})
    assert not out.exists()


@pytest.mark.parametrize("value", [2.7, "2.7", math.nan, 0])
def test_processing_compare_refuses_a_version_that_is_not_a_whole_number(lnrs_provider, pack, value):
    with pytest.raises(QgsProcessingException, match="whole number|finite|FROM_VERSION"):
        run("compareversions", {"PACK": str(pack), "FROM_VERSION": value, "OUTPUT": "memory:"})
