"""lnrs:parcelsignificance with GEOPACKAGE: both Defra templates through processing.run and qgis_process."""

from __future__ import annotations

from pathlib import Path

import pytest
from lnrs_toolkit.tests.qgis.qgis_process_helper import available, run_algorithm
from lnrs_toolkit.tests.unit.defra_files import make_bng_gpkg
from lnrs_toolkit.tests.unit.packs import build_split_pack
from osgeo import ogr
from qgis.core import QgsProcessingException

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_rlb_baseline_hedgerows_rivers.gpkg"
ALG = "lnrs:parcelsignificance"
HIGH_TEXT = "Formally identified in local strategy"
LOW_TEXT = "Area/compensation not in local strategy/ no local strategy"


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    d = tmp_path_factory.mktemp("packs")
    return {"draft": build_split_pack(d / "draft.gpkg", "not_published", True),
            "published": build_split_pack(d / "published.gpkg", "published", True)}


def run(params):
    import processing

    return processing.run(ALG, params)


def significance(path, layer, field):
    ds = ogr.Open(str(path))
    return sorted((f.GetField(0), f.GetField(field)) for f in ds.GetLayerByName(layer))


def test_natural_england_geopackage_every_module_filled(lnrs_provider, packs, tmp_path):
    out = tmp_path / "filled.gpkg"
    res = run({"GEOPACKAGE": str(EXAMPLE), "PACK": str(packs["draft"]), "PHASE": "baseline",
               "OUTPUT_GEOPACKAGE": str(out), "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT"})
    assert (res["TEMPLATE"], res["N_ERRORS"], res["OUTPUT_GEOPACKAGE"]) == ("natural_england", 0, str(out))
    sig = "Baseline Strategic Significance"
    assert significance(out, "Rivers", sig) == [("R1-a", HIGH_TEXT), ("R1-b", LOW_TEXT)]
    assert significance(out, "Hedgerows", sig) == [("H1", HIGH_TEXT), ("H2-a", HIGH_TEXT), ("H2-b", LOW_TEXT)]
    assert sorted(f["piece_ref"] for f in res["OUTPUT"].getFeatures()) == ["P1", "P2-a", "P2-b", "P3"]
    issues = [(f["code"], f["severity"], f["layer"], f["ref"]) for f in res["ISSUES"].getFeatures()]
    assert issues == [("AREA_FIELD_MISMATCH", "warning", "Habitats", "P2")]


def test_published_strategy_baseline_is_all_low(lnrs_provider, packs, tmp_path):
    out = tmp_path / "filled.gpkg"
    run({"GEOPACKAGE": str(EXAMPLE), "PACK": str(packs["published"]), "PHASE": "baseline",
         "OUTPUT_GEOPACKAGE": str(out), "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT"})
    for layer in ("Habitats", "Hedgerows", "Rivers"):
        assert {v for _, v in significance(out, layer, "Baseline Strategic Significance")} == {LOW_TEXT}


def test_bng_service_geopackage_post_intervention(lnrs_provider, packs, tmp_path):
    src, out = make_bng_gpkg(tmp_path / "bng.gpkg"), tmp_path / "filled.gpkg"
    res = run({"GEOPACKAGE": str(src), "PACK": str(packs["published"]), "PHASE": "proposed",
               "OUTPUT_GEOPACKAGE": str(out), "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT"})
    assert res["TEMPLATE"] == "bng_service"
    sig = "Proposed Strategic Significance"
    assert significance(out, "Area Habitats Post-Intervention", sig) == [("PI1-a", HIGH_TEXT), ("PI1-b", LOW_TEXT)]
    assert significance(out, "Hedgerows Post-Intervention", sig) == [("PH1-a", HIGH_TEXT), ("PH1-b", LOW_TEXT)]


@pytest.mark.parametrize(("extra", "words"), [
    ({}, "Give INPUT (a habitat parcel layer) or GEOPACKAGE"),
    ({"GEOPACKAGE": str(EXAMPLE), "INPUT": f"{EXAMPLE}|layername=Habitats"}, "not both"),
    ({"GEOPACKAGE": "not.gpkg"}, "cannot be opened as a GeoPackage"),
])
def test_refusals_are_sentences(lnrs_provider, packs, tmp_path, extra, words):
    if extra.get("GEOPACKAGE") == "not.gpkg":
        (tmp_path / "not.gpkg").write_text("not a GeoPackage", encoding="utf-8")
        extra = {"GEOPACKAGE": str(tmp_path / "not.gpkg")}
    with pytest.raises(QgsProcessingException) as err:
        run({"PACK": str(packs["draft"]), "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT", **extra})
    assert words in str(err.value) and "Traceback" not in str(err.value)


def test_qgis_process_geopackage(packs, tmp_path):
    reason = available()
    if reason:
        pytest.skip(reason)
    out = tmp_path / "filled.gpkg"
    proc, result = run_algorithm(ALG, {"GEOPACKAGE": EXAMPLE, "PACK": packs["draft"], "PHASE": "baseline",
                                       "OUTPUT_GEOPACKAGE": out, "OUTPUT": "TEMPORARY_OUTPUT",
                                       "ISSUES": "TEMPORARY_OUTPUT"}, tmp_path / "qgis-config")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert result["results"]["TEMPLATE"] == "natural_england" and result["results"]["N_ERRORS"] == 0
    assert significance(out, "Rivers", "Baseline Strategic Significance") == [("R1-a", HIGH_TEXT),
                                                                              ("R1-b", LOW_TEXT)]
