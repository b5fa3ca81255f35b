"""Priority habitats and the ancient woodland inventory through Processing: a pack built from the recognised
Natural England fixtures (PACK + INPUT alone), then lnrs:screensites on a site inside a priority habitat."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

DATA = Path(__file__).resolve().parents[1] / "data" / "recognition"


def _run(alg: str, params: dict) -> dict:
    import processing

    return processing.run(alg, params)


def _site_layer(geom) -> QgsVectorLayer:
    layer = QgsVectorLayer("Polygon?crs=EPSG:27700&field=ref:string", "sites", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["S1"])
    f.setGeometry(QgsGeometry.fromWkt(geom.wkt))
    layer.dataProvider().addFeatures([f])
    return layer


@pytest.fixture
def pack(tmp_path, lnrs_provider) -> Path:
    path = tmp_path / "pack.gpkg"
    for name in ("natural_england_priority_habitats.geojson", "natural_england_ancient_woodland_revised.geojson"):
        _run("lnrs:addtohabitatmap", {"PACK": str(path), "INPUT": str(DATA / name)})
    return path


def test_a_site_on_priority_habitat_is_amber_and_every_output_says_so(pack, tmp_path):
    data = read_pack(pack)
    phi = data.layer("priority_habitats")
    assert phi is not None
    k = phi.columns["main_habitat"].index("Deciduous woodland")
    site = shapely.buffer(phi.geoms[k], 2.0)  # the (small) priority habitat polygon and 2 m around it
    expected = phi.geoms[k].area
    out_json = tmp_path / "out.json"
    res = _run("lnrs:screensites", {"INPUT": _site_layer(site), "PACK": str(pack), "REF_FIELD": "ref",
                                    "SEARCH_DISTANCE": 50, "OUTPUT": "memory:", "JSON": str(out_json)})
    [result] = json.loads(out_json.read_text(encoding="utf-8"))
    assert result["checks"]["priority_habitats"] == "found"
    on_site = [f for f in result["priority_habitats"] if f["relation"] == "overlap"]
    assert on_site[0]["main_habitat"] == "Deciduous woodland" and on_site[0]["confidence"] == "High"
    assert on_site[0]["overlap_m2"] == pytest.approx(expected, rel=1e-4)
    assert on_site[0]["pct_of_site"] == pytest.approx(100.0 * expected / result["site_area_m2"], rel=1e-4)
    assert result["verdict"] == "amber"
    assert any(r.startswith("The site overlaps priority habitat 'Deciduous woodland'") for r in result["reasons"])
    assert res["PRIORITY_ON_SITE"] == 1
    [feat] = list(res["OUTPUT"].getFeatures())
    assert feat["chk_priority"] == "found" and feat["n_prio_on_site"] == 1
    assert feat["priority_on_site"] == "Deciduous woodland"


def test_a_pack_without_the_inventory_says_not_checked(lnrs_provider, tmp_path):
    path = tmp_path / "pack.gpkg"
    _run("lnrs:addtohabitatmap", {"PACK": str(path),
                                  "INPUT": str(DATA / "natural_england_ancient_woodland_revised.geojson")})
    wood = read_pack(path).layer("irreplaceable_habitats")
    centre = shapely.point_on_surface(wood.geoms[0])
    site = shapely.box(centre.x - 5, centre.y - 5, centre.x + 5, centre.y + 5)
    out_json = tmp_path / "out.json"
    res = _run("lnrs:screensites", {"INPUT": _site_layer(site), "PACK": str(path), "OUTPUT": "memory:",
                                    "JSON": str(out_json)})
    [result] = json.loads(out_json.read_text(encoding="utf-8"))
    assert result["checks"]["priority_habitats"] == "not_checked" and result["priority_habitats"] == []
    assert any("the pack holds no Priority Habitats Inventory" in n for n in result["notes"])
    assert result["irreplaceable"][0]["inventory"] == "revised"
    [feat] = list(res["OUTPUT"].getFeatures())
    assert feat["chk_priority"] == "not_checked" and feat["n_priority"] == 0
