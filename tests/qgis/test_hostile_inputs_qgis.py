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


@pytest.mark.postgis
def test_postgis_pack_is_validated_when_opened(connection, server, tmp_path):
    """SQL typed into a PostGIS pack: lower case is normalised; an unknown value, a WGS84 table and a view are not
    trusted (the layer is not checked, or the pack refused), never read as they stand."""
    from lnrs_toolkit.plugin.adapters.pack_source import load_postgis_pack, publish_pack_to_postgis
    from lnrs_toolkit.plugin.core.errors import PackError

    gpkg = tmp_path / "small.gpkg"
    build_small_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "hostile_pack")
    server.run_sql("UPDATE hostile_pack.designated_sites SET designation = 'sssi' WHERE designation = 'SSSI'")
    pack = load_postgis_pack(connection, "hostile_pack")
    assert "SSSI" in pack.layers["designated_sites"].columns["designation"] and not pack.unchecked

    server.run_sql("UPDATE hostile_pack.designated_sites SET designation = 'Sort of SSSI' WHERE designation = 'sssi'")
    server.run_sql("ALTER TABLE hostile_pack.opportunity_areas ALTER COLUMN geom TYPE geometry(MultiPolygon, 4326) "
                   "USING ST_SetSRID(geom, 4326)")
    pack = load_postgis_pack(connection, "hostile_pack")
    assert "designated_sites" not in pack.layers and "'Sort of SSSI'" in pack.unchecked["designated_sites"]
    assert "opportunity_areas" not in pack.layers and "EPSG:4326" in pack.unchecked["opportunity_areas"]

    server.run_sql("ALTER TABLE hostile_pack.measures RENAME TO measures_old; CREATE VIEW hostile_pack.measures AS "
                   "SELECT * FROM hostile_pack.measures_old")
    with pytest.raises(PackError, match="is a view, not a table"):
        load_postgis_pack(connection, "hostile_pack")
