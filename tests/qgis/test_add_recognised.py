"""``lnrs:addtohabitatmap`` with PACK and INPUT alone: national datasets and LNRS maps recognised, whole downloads."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.qgis.feedback_log import FeedbackLog
from lnrs_toolkit.tests.qgis.qgis_process_helper import available, run_algorithm
from qgis.core import QgsProcessingException, QgsVectorFileWriter, QgsVectorLayer

DATA = Path(__file__).resolve().parents[1] / "data" / "recognition"
ALG = "lnrs:addtohabitatmap"


def run(params: dict, log: FeedbackLog | None = None) -> dict:
    import processing

    return processing.run(ALG, params, feedback=log or FeedbackLog())


def refused(params: dict) -> str:
    with pytest.raises(QgsProcessingException) as err:
        run(params)
    return str(err.value)


# fixture -> (table, rows added, a column, its values)
SINGLE = {
    "natural_england_2016_ne_sssi.geojson": ("designated_sites", 3, "designation", ["SSSI"] * 3),
    "natural_england_current_sssi.geojson": ("designated_sites", 3, "designation", ["SSSI"] * 3),
    "natural_england_2016_ne_special_areas_conservation.geojson": ("designated_sites", 3, "designation",
                                                                   ["SAC"] * 3),
    "natural_england_ramsar.geojson": ("designated_sites", 2, "ref", ["UK11991", "UK11992"]),
    "natural_england_ancient_woodland_legacy.geojson": ("irreplaceable_habitats", 5, "status",
                                                        ["ASNW", "ASNW", "ASNW", "PAWS", "PAWS"]),
    "natural_england_ancient_woodland_revised.geojson": ("irreplaceable_habitats", 3, "status",
                                                         ["ASNW", "PAWS", "wood_pasture"]),
    "natural_england_priority_habitats.geojson": ("priority_habitats", 2, "main_habitat",
                                                  ["Deciduous woodland", "Lowland calcareous grassland"]),
    "planning_data_special-protection-area.geojson": ("designated_sites", 2, "designation", ["SPA"] * 2),
    "planning_data_ancient-woodland.geojson": ("irreplaceable_habitats", 2, "status", ["ASNW", "PAWS"]),
    "planning_data_local-nature-reserve.csv": ("designated_sites", 2, "name",
                                               ["Fixture csv nature reserve 1", "Fixture csv nature reserve 2"]),
    "planning_data_local-planning-authority.geojson": ("lpa_boundaries", 1, "name",
                                                       ["Bath and North East Somerset"]),
    "planning_data_local-nature-recovery-strategy.geojson": ("strategy_area", 1, "name",
                                                             ["Fixture strategy area (North East region outline)"]),
    "lnrs_codes_column.geojson": ("opportunity_areas", 3, "measures", ["WD001;WD006", "GL001;FW012", "GL002"]),
    "lnrs_one_row_per_measure.geojson": ("opportunity_areas", 3, "measures",
                                         ["WD001;WD006", "GL001;FW012", "GL002"]),
    "lnrs_flag_columns.geojson": ("opportunity_areas", 3, "measures", ["WD001;WD006", "GL001;FW012", "GL002"]),
}


@pytest.mark.parametrize("fname", sorted(SINGLE))
def test_pack_and_input_alone(lnrs_provider, tmp_path, fname):
    table, added, column, values = SINGLE[fname]
    log = FeedbackLog()
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(DATA / fname)}, log)
    assert (res["TABLE"], res["ROWS_ADDED"]) == (table, added)
    assert read_pack(res["PACK"]).layers[table].columns[column] == values
    assert f"'{fname}' " in log.text() and ("recognised as" in log.text() or "read as an LNRS" in log.text())
    assert res["RECOGNISED"].startswith(fname)


def test_log_says_which_field_went_where_and_counts_end_dated_rows(lnrs_provider, tmp_path):
    log = FeedbackLog()
    run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(DATA / "planning_data_ramsar.geojson")}, log)
    text = log.text()
    assert "recognised as Ramsar site (planning.data.gov.uk, told by its 'dataset' column) as role 'designated': " \
           "NAME_FIELD = 'name', REF_FIELD = 'reference'; DESIGNATION = Ramsar" in text
    assert "1 row(s) of 'planning_data_ramsar.geojson' have an 'end-date' in the past and were left out" in text


def test_a_layer_object_is_recognised_too(lnrs_provider, tmp_path):
    lyr = QgsVectorLayer(str(DATA / "natural_england_2016_ne_special_protection_areas.geojson"), "spa", "ogr")
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": lyr})
    assert read_pack(res["PACK"]).layers["designated_sites"].columns["ref"] == ["UK9010041"]


def test_measures_table_and_area_id_field(lnrs_provider, tmp_path):
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(DATA / "lnrs_area_polygons.geojson"),
               "MEASURES_TABLE": str(DATA / "lnrs_area_measures.csv"), "AREA_ID_FIELD": "area_id"})
    cols = read_pack(res["PACK"]).layers["opportunity_areas"].columns
    assert dict(zip(cols["ref"], cols["measures"])) == {"A1": "WD001;WD006", "A2": "GL001;FW012", "A3": "GL002"}


def test_a_table_whose_ids_match_no_polygon_is_refused_and_nothing_written(lnrs_provider, tmp_path):
    table = tmp_path / "measures.csv"
    table.write_text("area_id,measure_code\nZ1,WD001\nZ2,GL001\n")
    pack = tmp_path / "p.gpkg"
    msg = refused({"PACK": str(pack), "INPUT": str(DATA / "lnrs_area_polygons.geojson"),
                   "MEASURES_TABLE": str(table), "AREA_ID_FIELD": "area_id"})
    assert "None of the area ids in 'measures.csv' (field 'area_id'" in msg
    assert "'area_id' in 'lnrs_area_polygons.geojson'" in msg
    assert not pack.exists()


def folder(tmp_path: Path, names: list[str]) -> Path:
    d = tmp_path / "download"
    d.mkdir()
    for n in names:
        shutil.copy(DATA / n, d / n)
    return d


BUNDLE = ["planning_data_ramsar.geojson", "natural_england_2016_ne_sssi.geojson",
          "natural_england_priority_habitats.geojson", "lnrs_codes_column.geojson"]


def test_a_folder_in_one_atomic_write_with_the_rest_skipped(lnrs_provider, tmp_path):
    d = folder(tmp_path, BUNDLE)
    (d / "readme.csv").write_text("what,where\nnotes,here\n")
    log = FeedbackLog()
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(d)}, log)
    data = read_pack(res["PACK"])
    assert res["ROWS_ADDED"] == 2 + 3 + 2 + 3
    assert set(res["TABLE"].split(", ")) == {"designated_sites", "priority_habitats", "opportunity_areas"}
    assert len(data.layers["designated_sites"]) == 5
    assert res["SKIPPED"] == "readme.csv: not a recognised dataset (fields: what, where)"
    assert "Skipped readme.csv: not a recognised dataset" in log.text()
    assert "different coordinate reference systems" in log.text()  # WGS 84 downloads + a BNG opportunity map
    assert "EPSG:27700: lnrs_codes_column.geojson" in log.text()


def test_a_zip_and_a_multi_layer_geopackage(lnrs_provider, tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for n in BUNDLE[:2]:
            z.write(DATA / n, f"data/{n}")
    res = run({"PACK": str(tmp_path / "z.gpkg"), "INPUT": str(archive)})
    assert res["ROWS_ADDED"] == 5 and res["RECOGNISED"].count("\n") == 1

    gpkg = tmp_path / "download.gpkg"
    for i, n in enumerate(BUNDLE[:3]):
        lyr = QgsVectorLayer(str(DATA / n), n, "ogr")
        opts = QgsVectorFileWriter.SaveVectorOptions()
        opts.driverName = "GPKG"
        opts.layerName = Path(n).stem.replace("-", "_")
        if i:
            opts.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
        err = QgsVectorFileWriter.writeAsVectorFormatV3(lyr, str(gpkg), lyr.transformContext(), opts)
        assert err[0] == QgsVectorFileWriter.NoError, err
    res = run({"PACK": str(tmp_path / "g.gpkg"), "INPUT": str(gpkg)})
    assert res["ROWS_ADDED"] == 7
    assert "download.gpkg|planning_data_ramsar: Ramsar site" in res["RECOGNISED"]


def test_duplicate_downloads_are_refused_naming_both(lnrs_provider, tmp_path):
    d = folder(tmp_path, BUNDLE[:2])
    shutil.copy(DATA / BUNDLE[0], d / "ramsar (1).geojson")
    pack = tmp_path / "p.gpkg"
    msg = refused({"PACK": str(pack), "INPUT": str(d)})
    assert "'planning_data_ramsar.geojson' and 'ramsar (1).geojson' are both Ramsar site" in msg \
        or "'ramsar (1).geojson' and 'planning_data_ramsar.geojson' are both Ramsar site" in msg
    assert not pack.exists()


def test_a_known_dataset_missing_a_field_in_a_folder_writes_nothing(lnrs_provider, tmp_path):
    d = folder(tmp_path, BUNDLE[:2])
    lyr = QgsVectorLayer(str(DATA / "planning_data_ancient-woodland.geojson"), "aw", "ogr")
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "GeoJSON"
    opts.attributes = [i for i, f in enumerate(lyr.fields()) if f.name() != "ancient-woodland-status"]
    QgsVectorFileWriter.writeAsVectorFormatV3(lyr, str(d / "aw.geojson"), lyr.transformContext(), opts)
    pack = tmp_path / "p.gpkg"
    run({"PACK": str(pack), "INPUT": str(DATA / "lnrs_codes_column.geojson")})
    before = pack.read_bytes()
    msg = refused({"PACK": str(pack), "INPUT": str(d)})
    assert "'aw.geojson' looks like Ancient woodland (planning.data.gov.uk) but has no field for STATUS_FIELD" in msg
    assert pack.read_bytes() == before


def test_unrecognised_single_layer_and_fields_without_role(lnrs_provider, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    msg = refused({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(other)})
    assert "'other.csv' is not a dataset LNRS Toolkit recognises (fields: a, b); give its ROLE" in msg
    msg = refused({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(DATA / "natural_england_current_sssi.geojson"),
                   "NAME_FIELD": "SSSI_NAME"})
    assert "NAME_FIELD given without ROLE" in msg


def test_revised_and_legacy_ancient_woodland_in_one_download(lnrs_provider, tmp_path):
    d = folder(tmp_path, ["natural_england_ancient_woodland_legacy.geojson",
                          "natural_england_ancient_woodland_revised.geojson"])
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(d)})
    data = read_pack(res["PACK"])
    inventory = data.layers["irreplaceable_habitats"].columns["inventory"]
    assert inventory.count("revised") == 3 and 0 < inventory.count("legacy") < 5
    extra = dict(data.metadata.extra)
    assert extra["ancient_woodland_revised_coverage"].startswith("EPSG:27700;POLYGON")


def test_priority_habitats_mapped_explicitly(lnrs_provider, tmp_path):
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(DATA / "natural_england_priority_habitats.geojson"),
               "ROLE": "priority_habitats", "MAIN_HABITAT_FIELD": "HabCodes", "CONFIDENCE_FIELD": "Confidence"})
    cols = read_pack(res["PACK"]).layers["priority_habitats"].columns
    assert cols["main_habitat"] == ["DWOOD", "LCGRA,DWOOD"] and cols["confidence"] == ["High", "Medium"]
    assert cols["additional_habitats"] == [None, None]
    msg = refused({"PACK": str(tmp_path / "q.gpkg"), "INPUT": str(DATA / "natural_england_priority_habitats.geojson"),
                   "ROLE": "priority_habitats"})
    assert "Role 'priority_habitats' needs MAIN_HABITAT_FIELD" in msg


def test_role_with_a_folder_is_refused_and_a_csv_with_wkt_works_with_a_role(lnrs_provider, tmp_path):
    d = folder(tmp_path, BUNDLE[:2])
    msg = refused({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(d), "ROLE": "designated"})
    assert "'download' holds several layers, which are added by recognition only: leave ROLE empty" in msg
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(DATA / "planning_data_local-nature-reserve.csv"),
               "ROLE": "designated", "DESIGNATION": "LNR", "NAME_FIELD": "name"})
    assert res["ROWS_ADDED"] == 2 and len(read_pack(res["PACK"]).layers["designated_sites"].geoms) == 2


@pytest.mark.slow
def test_qgis_process_with_a_folder(tmp_path):
    reason = available()
    if reason:
        pytest.skip(reason)
    d = folder(tmp_path, BUNDLE)
    pack = tmp_path / "p.gpkg"
    proc, out = run_algorithm(ALG, {"PACK": str(pack), "INPUT": str(d)}, tmp_path / "qgis-config")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert out["results"]["ROWS_ADDED"] == 10
    assert "natural_england_2016_ne_sssi.geojson: Sites of Special Scientific Interest (England)" in \
        out["results"]["RECOGNISED"]


def test_a_later_download_of_the_same_dataset_replaces_the_earlier(lnrs_provider, tmp_path):
    pack = tmp_path / "p.gpkg"
    run({"PACK": str(pack), "INPUT": str(DATA / "natural_england_current_sssi.geojson")})
    run({"PACK": str(pack), "INPUT": str(DATA / "planning_data_ramsar.geojson")})
    newer = tmp_path / "sssi-2026-06.geojson"
    shutil.copy(DATA / "natural_england_2016_ne_sssi.geojson", newer)
    log = FeedbackLog()
    run({"PACK": str(pack), "INPUT": str(newer)}, log)
    data = read_pack(pack)
    sites = data.layers["designated_sites"].columns
    assert sorted(set(sites["source_layer"])) == ["planning_data_ramsar.geojson", "sssi-2026-06.geojson"]
    assert sites["designation"].count("SSSI") == 3
    assert "'sssi-2026-06.geojson' is Sites of Special Scientific Interest (England), which the pack already holds " \
           "from 'natural_england_current_sssi.geojson'" in log.text()
    assert dict(data.metadata.extra)["dataset_source:natural-england:sssi"] == "sssi-2026-06.geojson"


def test_a_layer_without_a_crs_in_a_folder_writes_nothing(lnrs_provider, tmp_path):
    d = folder(tmp_path, BUNDLE[:1])
    lyr = QgsVectorLayer(str(DATA / "natural_england_2016_ne_sssi.geojson"), "sssi", "ogr")
    opts = QgsVectorFileWriter.SaveVectorOptions()
    opts.driverName = "ESRI Shapefile"
    err = QgsVectorFileWriter.writeAsVectorFormatV3(lyr, str(d / "sssi.shp"), lyr.transformContext(), opts)
    assert err[0] == QgsVectorFileWriter.NoError, err
    (d / "sssi.prj").unlink()
    pack = tmp_path / "p.gpkg"
    msg = refused({"PACK": str(pack), "INPUT": str(d)})
    assert "The layer 'sssi.shp' has no coordinate reference system (CRS)" in msg
    assert not pack.exists()
