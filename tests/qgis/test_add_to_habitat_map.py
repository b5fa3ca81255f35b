"""``lnrs:addtohabitatmap`` through Processing: every role, refusals, repair, atomic writes, qgis_process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.pack.content_hash import content_hash
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.qgis.qgis_process_helper import available, run_algorithm
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "resources" / "data" / "leicestershire_leicester_rutland_measures.csv"
ALG = "lnrs:addtohabitatmap"

# Bath: the same square in British National Grid and in WGS 84 (approximately)
BNG_SQUARE = "POLYGON((375000 165000, 375100 165000, 375100 165100, 375000 165100, 375000 165000))"
WGS_SQUARE = "POLYGON((-2.36 51.38, -2.359 51.38, -2.359 51.381, -2.36 51.381, -2.36 51.38))"
BOWTIE = "POLYGON((375000 165000, 375100 165100, 375100 165000, 375000 165100, 375000 165000))"


class RecordingFeedback(QgsProcessingFeedback):
    """Keeps what the algorithm logs; cancels itself on the ``cancel_at``-th isCanceled() call."""

    def __init__(self, cancel_at: int | None = None) -> None:
        super().__init__()
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.calls = 0
        self.cancel_at = cancel_at

    def pushInfo(self, info: str) -> None:
        self.infos.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning: str) -> None:
        self.warnings.append(warning)
        super().pushWarning(warning)

    def isCanceled(self) -> bool:
        self.calls += 1
        if self.cancel_at is not None and self.calls >= self.cancel_at:
            self.cancel()
        return super().isCanceled()


def layer(geometry: str, crs: str | None, fields: dict[str, str], features: list[tuple[str | None, list]],
          name: str = "input") -> QgsVectorLayer:
    """A memory layer: ``geometry`` like 'Polygon' or 'None', fields name -> 'string'/'double'/'integer'."""
    uri = geometry + (f"?crs={crs}" if crs else "?")
    uri += "".join(f"&field={k}:{v}" for k, v in fields.items())
    lyr = QgsVectorLayer(uri, name, "memory")
    assert lyr.isValid(), uri
    if geometry != "None" and not crs:
        lyr.setCrs(QgsCoordinateReferenceSystem())  # memory layers otherwise fall back to a default CRS
    feats = []
    for wkt, attrs in features:
        f = QgsFeature(lyr.fields())
        f.setAttributes(attrs)
        if wkt:
            f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    assert lyr.dataProvider().addFeatures(feats)[0]
    return lyr


def run(params: dict, feedback: QgsProcessingFeedback | None = None) -> dict:
    import processing

    return processing.run(ALG, params, feedback=feedback or QgsProcessingFeedback())


def sites_layer(crs: str = "EPSG:27700", name: str = "sites") -> QgsVectorLayer:
    square = WGS_SQUARE if crs == "EPSG:4326" else BNG_SQUARE
    other = "POLYGON((375200 165000, 375300 165000, 375300 165100, 375200 165000))"
    if crs == "EPSG:4326":
        other = "POLYGON((-2.357 51.38, -2.356 51.38, -2.356 51.381, -2.357 51.38))"
    return layer("Polygon", crs, {"site_name": "string", "desig": "string", "code": "string"},
                 [(square, ["Alpha SSSI", "sssi", "S1"]), (other, ["Beta SAC", "Special Area of Conservation", "S2"])],
                 name)


# --------------------------------------------------------------------------- roles
def test_designated_from_wgs84_is_reprojected(lnrs_provider, tmp_path):
    pack = tmp_path / "pack.gpkg"
    fb = RecordingFeedback()
    res = run({"PACK": str(pack), "INPUT": sites_layer("EPSG:4326"), "ROLE": "designated",
               "DESIGNATION_FIELD": "desig", "NAME_FIELD": "site_name", "REF_FIELD": "code",
               "LNRS_NAME": "Test LHM", "VERSION": "1", "AUTHORITY": "Test Council"}, fb)
    assert res["PACK"] == str(pack)
    assert (res["TABLE"], res["ROWS_ADDED"], res["ROWS_IN_TABLE"], res["REPAIRED"]) == ("designated_sites", 2, 2, 0)
    data = read_pack(pack)
    sites = data.layers["designated_sites"]
    assert sites.columns["designation"] == ["SSSI", "SAC"]
    assert sites.columns["name"] == ["Alpha SSSI", "Beta SAC"]
    assert sites.columns["ref"] == ["S1", "S2"]
    minx, miny, maxx, maxy = sites.geoms[0].bounds
    assert 370000 < minx < 380000 and 160000 < miny < 170000  # metres in British National Grid
    assert 60 < maxx - minx < 80  # 0.001 degree of longitude at 51.4 N is about 70 m
    assert (data.metadata.lnrs_name, data.metadata.version, data.metadata.responsible_authority) == \
        ("Test LHM", "1", "Test Council")
    assert res["CONTENT_SHA256"] == data.metadata.content_sha256 == content_hash(data)
    assert any("EPSG:4326 to EPSG:27700" in m for m in fb.infos)


def test_irreplaceable_ancient_woodland_with_status(lnrs_provider, tmp_path):
    wood = layer("MultiPolygon", "EPSG:27700", {"status": "string", "name": "string"},
                 [(BNG_SQUARE, ["ASNW", "Old Wood"]), (BNG_SQUARE, ["Ancient Replanted Woodland", None])])
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": wood, "ROLE": "irreplaceable",
               "HABITAT_TYPE": "ancient woodland", "STATUS_FIELD": "status", "NAME_FIELD": "name"})
    cols = read_pack(res["PACK"]).layers["irreplaceable_habitats"].columns
    assert cols["habitat_type"] == ["ancient_woodland"] * 2
    assert cols["status"] == ["ASNW", "PAWS"]
    assert cols["name"] == ["Old Wood", None]


def test_trees_points_with_measurements_and_multipoints(lnrs_provider, tmp_path):
    trees = layer("MultiPoint", "EPSG:27700", {"status": "string", "dbh": "double", "crown": "string"},
                  [("MULTIPOINT((375050 165050))", ["veteran", 1.2, "6"]),
                   ("MULTIPOINT((375060 165050),(375070 165050))", ["Ancient tree", None, None])])
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": trees, "ROLE": "trees", "STATUS_FIELD": "status",
               "STEM_DIAMETER_FIELD": "dbh", "CROWN_RADIUS_FIELD": "crown"})
    assert res["ROWS_ADDED"] == 3  # the two-point feature becomes two trees
    t = read_pack(res["PACK"]).layers["ancient_trees"]
    assert t.columns["status"] == ["veteran", "ancient", "ancient"]
    assert t.columns["stem_diameter_m"] == [1.2, None, None]
    assert t.columns["crown_radius_m"] == [6.0, None, None]
    assert [g.geom_type for g in t.geoms] == ["Point"] * 3


def test_opportunity_codes_split_trimmed_upper_cased(lnrs_provider, tmp_path):
    opp = layer("Polygon", "EPSG:4326", {"codes": "string", "label": "string"},
                [(WGS_SQUARE, [" wd001 ; Wd006|fw012 ", "Buffer"]), (WGS_SQUARE, ["gl001 xx999", "Meadow"])])
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": opp, "ROLE": "opportunity", "MEASURES_FIELD": "codes",
               "NAME_FIELD": "label"})
    cols = read_pack(res["PACK"]).layers["opportunity_areas"].columns
    assert cols["measures"] == ["WD001;WD006;FW012", "GL001;XX999"]
    opp2 = layer("Polygon", "EPSG:27700", {"codes": "string"}, [(BNG_SQUARE, ["wd001 + gl001"])], "opp2")
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": opp2, "ROLE": "opportunity", "MEASURES_FIELD": "codes",
               "MEASURES_SEPARATOR": "+"})
    assert read_pack(res["PACK"]).layers["opportunity_areas"].columns["measures"][-1] == "WD001;GL001"


def test_measures_catalogue_from_csv_file(lnrs_provider, tmp_path):
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(CATALOGUE), "ROLE": "measures", "CODE_FIELD": "code",
               "THEME_FIELD": "habitat_theme", "PRIORITY_FIELD": "priority", "TEXT_FIELD": "measure"})
    data = read_pack(res["PACK"])
    assert res["ROWS_ADDED"] == 81
    assert data.measures["WD001"].theme == "Woodland"
    assert data.measures["WD001"].habitats == ("Woodland and forest", "Individual trees")
    assert "FW012" in data.measures
    assert data.layers["measures"].columns["source_layer"][0] == CATALOGUE.name


def test_metadata_table_area_and_interim(lnrs_provider, tmp_path):
    pack = str(tmp_path / "p.gpkg")
    meta = layer("None", None, {"key": "string", "value": "string"},
                 [(None, ["licence", "OGL v3"]), (None, ["provenance", "Hand-made test data"])], "meta")
    run({"PACK": pack, "INPUT": meta, "ROLE": "metadata", "LNRS_NAME": "Test"})
    area = layer("Polygon", "EPSG:27700", {"name": "string"}, [(BNG_SQUARE, ["Bath"])], "area")
    res = run({"PACK": pack, "INPUT": area, "ROLE": "area", "NAME_FIELD": "name"})
    interim = layer("Polygon", "EPSG:4326", {"ref": "string"}, [(WGS_SQUARE, ["I-1"])], "interim")
    run({"PACK": pack, "INPUT": interim, "ROLE": "Interim", "REF_FIELD": "ref"})
    data = read_pack(pack)
    assert data.layers["interim_strategy"].columns["ref"] == ["I-1"]
    assert (data.metadata.licence, data.metadata.provenance, data.metadata.lnrs_name) == \
        ("OGL v3", "Hand-made test data", "Test")
    assert data.layers["strategy_area"].columns["name"] == ["Bath"]
    assert res["TABLE"] == "strategy_area"


def test_empty_layer_is_fine(lnrs_provider, tmp_path):
    empty = layer("Polygon", "EPSG:27700", {"name": "string"}, [])
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": empty, "ROLE": "designated", "DESIGNATION": "LNR"})
    assert (res["ROWS_ADDED"], res["ROWS_IN_TABLE"]) == (0, 0)
    assert len(read_pack(res["PACK"]).layers["designated_sites"]) == 0


# --------------------------------------------------------------------------- refusals
REFUSALS = {
    "unknown role": ({"ROLE": "sites"}, "'sites' is not a known role; use one of: designated"),
    "unknown designation value": ({"ROLE": "designated", "DESIGNATION_FIELD": "code"},
                                  "row 1: 'S1' is not a known designation; use one of: SAC"),
    "unknown fixed designation": ({"ROLE": "designated", "DESIGNATION": "Nature park"},
                                  "'Nature park' is not a known designation"),
    "missing field": ({"ROLE": "designated", "DESIGNATION": "SSSI", "NAME_FIELD": "sssi_name"},
                      "has no field(s) NAME_FIELD = 'sssi_name'. Its fields are: site_name, desig, code"),
    "polygons for trees": ({"ROLE": "trees"}, "Role 'trees' needs a point layer, but 'sites' holds polygon"),
    "no designation at all": ({"ROLE": "designated"}, "needs DESIGNATION"),
    "no measures field": ({"ROLE": "opportunity"}, "needs MEASURES_FIELD"),
    "not a gpkg": ({"ROLE": "designated", "DESIGNATION": "SSSI", "PACK": "pack.sqlite"}, "must be a GeoPackage"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_are_sentences(lnrs_provider, tmp_path, case):
    params, expected = REFUSALS[case]
    pack = tmp_path / params.pop("PACK", "pack.gpkg")
    with pytest.raises(QgsProcessingException) as err:
        run({"PACK": str(pack), "INPUT": sites_layer(), **params})
    assert expected in str(err.value)
    assert "Traceback" not in str(err.value)
    assert not pack.exists()


def test_point_layer_for_polygon_role_is_refused(lnrs_provider, tmp_path):
    pts = layer("Point", "EPSG:27700", {"n": "string"}, [("POINT(375000 165000)", ["a"])], "points")
    with pytest.raises(QgsProcessingException, match="needs a polygon layer, but 'points' holds point geometries"):
        run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": pts, "ROLE": "opportunity", "MEASURES_FIELD": "n"})


def test_layer_without_crs_is_refused(lnrs_provider, tmp_path):
    no_crs = layer("Polygon", None, {"n": "string"}, [(BNG_SQUARE, ["a"])], "nocrs")
    assert not no_crs.crs().isValid()
    with pytest.raises(QgsProcessingException, match="'nocrs' has no coordinate reference system"):
        run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": no_crs, "ROLE": "designated", "DESIGNATION": "SSSI"})


def test_table_for_spatial_role_is_refused(lnrs_provider, tmp_path):
    with pytest.raises(QgsProcessingException, match="is a table without geometry"):
        run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(CATALOGUE), "ROLE": "designated",
             "DESIGNATION": "SSSI"})


def test_csv_with_wrong_delimiter_names_the_fields(lnrs_provider, tmp_path):
    csv = tmp_path / "semicolons.csv"
    csv.write_text("code;habitat_theme;measure\nWD001;Woodland;Buffer\n", encoding="utf-8")
    table = QgsVectorLayer(f"{csv.as_uri()}?delimiter=,&geomType=none", "semicolons", "delimitedtext")
    assert table.isValid()
    with pytest.raises(QgsProcessingException) as err:
        run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": table, "ROLE": "measures", "CODE_FIELD": "code"})
    msg = str(err.value)
    assert "Its fields are: code;habitat_theme;measure" in msg
    assert "separated by ';'" in msg


def test_csv_with_wrong_encoding_is_refused(lnrs_provider, tmp_path):
    csv = tmp_path / "latin1.csv"
    csv.write_bytes("code,measure\nWD001,Café woods\n".encode("latin-1"))
    with pytest.raises(QgsProcessingException, match=r"not in the encoding.*UTF-8.*Fields found: code, measure"):
        run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": str(csv), "ROLE": "measures", "CODE_FIELD": "code",
             "TEXT_FIELD": "measure"})


# --------------------------------------------------------------------------- repair, replace
def test_invalid_geometry_is_repaired_and_counted(lnrs_provider, tmp_path):
    lyr = layer("Polygon", "EPSG:27700", {"n": "string"},
                [(BNG_SQUARE, ["ok"]), (BOWTIE, ["bowtie"]),
                 ("POLYGON((375000 165000, 375050 165050, 375100 165100, 375000 165000))", ["flat"]),
                 (None, ["no geometry"])], "messy")
    fb = RecordingFeedback()
    res = run({"PACK": str(tmp_path / "p.gpkg"), "INPUT": lyr, "ROLE": "designated", "DESIGNATION": "LWS",
               "NAME_FIELD": "n"}, fb)
    assert res["REPAIRED"] == 2
    assert res["DROPPED"] == 2
    assert res["ROWS_ADDED"] == 2
    assert any("Repaired 2 invalid geometries in 'messy'" in w for w in fb.warnings)
    assert any("Dropped 2 features" in w for w in fb.warnings)
    sites = read_pack(res["PACK"]).layers["designated_sites"]
    assert sites.columns["name"] == ["ok", "bowtie"]
    assert all(g.is_valid and g.geom_type == "MultiPolygon" for g in sites.geoms)


def test_re_adding_the_same_source_replaces(lnrs_provider, tmp_path):
    pack = str(tmp_path / "p.gpkg")
    sites = sites_layer()
    params = {"PACK": pack, "INPUT": sites, "ROLE": "designated", "DESIGNATION_FIELD": "desig"}
    first = run(params)
    second = run(params)
    assert (second["ROWS_ADDED"], second["ROWS_IN_TABLE"]) == (2, 2)
    assert second["CONTENT_SHA256"] == first["CONTENT_SHA256"]
    other = run({**params, "INPUT": sites_layer(name="other sites")})
    assert other["ROWS_IN_TABLE"] == 4


# --------------------------------------------------------------------------- atomic writes
@pytest.fixture()
def existing_pack(lnrs_provider, tmp_path):
    pack = tmp_path / "pack.gpkg"
    run({"PACK": str(pack), "INPUT": sites_layer(), "ROLE": "designated", "DESIGNATION_FIELD": "desig",
         "LNRS_NAME": "Before"})
    return pack


def _params(pack: Path) -> dict:
    opp = layer("Polygon", "EPSG:27700", {"codes": "string"}, [(BNG_SQUARE, ["WD001"])] * 3, "opp")
    return {"PACK": str(pack), "INPUT": opp, "ROLE": "opportunity", "MEASURES_FIELD": "codes", "LNRS_NAME": "After"}


def test_cancelled_run_leaves_pack_byte_identical(existing_pack):
    before = existing_pack.read_bytes()
    probe = RecordingFeedback()
    run(_params(existing_pack.with_name("scratch.gpkg")), probe)  # how often a full run asks
    assert probe.calls >= 3
    for cancel_at in range(1, probe.calls + 1):
        fb = RecordingFeedback(cancel_at=cancel_at)
        with pytest.raises(QgsProcessingException, match="Cancelled: the pack was left unchanged"):
            run(_params(existing_pack), fb)
        assert existing_pack.read_bytes() == before, f"cancel at call {cancel_at} changed the pack"
    leftovers = [p.name for p in existing_pack.parent.iterdir() if p.name not in ("pack.gpkg", "scratch.gpkg")]
    assert leftovers == []


def test_failing_run_leaves_pack_byte_identical(existing_pack, monkeypatch):
    before = existing_pack.read_bytes()
    bad = layer("Polygon", "EPSG:27700", {"d": "string"}, [(BNG_SQUARE, ["SSSI"]), (BNG_SQUARE, ["Park"])], "bad")
    with pytest.raises(QgsProcessingException, match="row 2"):
        run({"PACK": str(existing_pack), "INPUT": bad, "ROLE": "designated", "DESIGNATION_FIELD": "d"})
    assert existing_pack.read_bytes() == before

    from lnrs_toolkit.plugin.core.pack import store as pack_store

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pack_store, "content_hash", disk_full)
    with pytest.raises((QgsProcessingException, OSError)):
        run(_params(existing_pack))
    assert existing_pack.read_bytes() == before
    assert [p.name for p in existing_pack.parent.iterdir()] == ["pack.gpkg"]


def test_non_pack_file_is_not_overwritten(lnrs_provider, tmp_path):
    target = tmp_path / "someone_elses.gpkg"
    target.write_bytes(b"not a pack")
    with pytest.raises(QgsProcessingException, match="not a readable GeoPackage"):
        run({"PACK": str(target), "INPUT": sites_layer(), "ROLE": "designated", "DESIGNATION": "SSSI"})
    assert target.read_bytes() == b"not a pack"


# --------------------------------------------------------------------------- headless
@pytest.mark.slow
def test_qgis_process_headless(tmp_path):
    reason = available()
    if reason:
        pytest.skip(reason)
    geojson = tmp_path / "opportunity.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"codes": "wd001; WD006", "label": "Buffer"},
         "geometry": {"type": "Polygon", "coordinates": [[[-2.36, 51.38], [-2.359, 51.38], [-2.359, 51.381],
                                                          [-2.36, 51.381], [-2.36, 51.38]]]}}]}), encoding="utf-8")
    pack = tmp_path / "headless.gpkg"
    proc, out = run_algorithm(ALG, {"PACK": pack, "INPUT": geojson, "ROLE": "opportunity",
                                    "MEASURES_FIELD": "codes", "NAME_FIELD": "label", "LNRS_NAME": "Headless"},
                              tmp_path / "qgis-config")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert out is not None, proc.stdout[-3000:]
    assert out["results"]["ROWS_ADDED"] == 1
    data = read_pack(pack)
    assert data.layers["opportunity_areas"].columns["measures"] == ["WD001;WD006"]
    assert out["results"]["CONTENT_SHA256"] == data.metadata.content_sha256

    proc, _ = run_algorithm(ALG, {"PACK": pack, "INPUT": geojson, "ROLE": "woodland"}, tmp_path / "qgis-config")
    assert proc.returncode != 0
    assert "'woodland' is not a known role" in proc.stdout + proc.stderr


def test_re_adding_keeps_feature_ids_and_replaces_another_file_when_told(lnrs_provider, tmp_path):
    """Issue 20, defect 2: the fids of unchanged features survive a re-import; REPLACES swaps a source."""
    pack = str(tmp_path / "p.gpkg")
    params = {"PACK": pack, "INPUT": sites_layer(), "ROLE": "designated", "DESIGNATION_FIELD": "desig",
              "NAME_FIELD": "site_name"}
    run(params)
    run({**params, "INPUT": sites_layer(name="other sites")})
    run({**params, "INPUT": sites_layer(name="other sites")})
    before = _fids(pack)
    run(params)  # the first source again: nothing renumbered
    assert _fids(pack) == before == [(1, "sites", "Alpha SSSI"), (2, "sites", "Beta SAC"),
                                     (3, "other sites", "Alpha SSSI"), (4, "other sites", "Beta SAC")]
    out = run({**params, "INPUT": sites_layer(name="sites 2026"), "REPLACES": "sites"})
    assert (out["ROWS_REPLACED"], out["IDS_KEPT"], out["ROWS_IN_TABLE"]) == (2, 2, 4)
    assert _fids(pack) == [(1, "sites 2026", "Alpha SSSI"), (2, "sites 2026", "Beta SAC"), *before[2:]]


def _fids(pack: str) -> list[tuple[int, str, str]]:
    import sqlite3

    conn = sqlite3.connect(pack)
    try:
        return list(conn.execute("SELECT fid, source_layer, name FROM designated_sites ORDER BY fid"))
    finally:
        conn.close()
