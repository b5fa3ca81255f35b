"""Issue 15 through Processing: bad numbers, hostile packs and outputs that would clobber the pack."""

from __future__ import annotations

import math

import pytest
from lnrs_toolkit.plugin.core.pack.schema import DESIGNATED
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


HOSTILE_TEXT = "[% env('HOME') %] [% 6172 + 1 %] [%] %]"


def _hostile_result(pack):
    from dataclasses import replace

    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site
    from shapely.geometry import box

    site = box(0, 200, 50, 250)  # on the small pack's WD001 opportunity area
    result = screen_site(PackIndex.build(read_pack(pack)), site, "S1")
    assert result.measures
    return replace(result, site_ref=HOSTILE_TEXT,
                   measures=tuple(replace(m, text=HOSTILE_TEXT) for m in result.measures)), site


def test_pdf_labels_print_user_and_pack_text_literally(qgis_app, pack, tmp_path):
    """A site reference, officer or measure text holding [% %] is printed as written, never evaluated (real
    layout: the site block, the running header and the tables)."""
    import os
    import subprocess

    from lnrs_toolkit.plugin.core.reports.report_content import ReportFacts
    from lnrs_toolkit.plugin.gui.report_export import ReportSite, export_pdf, fill_layout, load_layout
    from qgis.core import QgsProject

    result, site = _hostile_result(pack)
    facts = ReportFacts(officer=HOSTILE_TEXT, generated="now", authority=HOSTILE_TEXT)
    layout = load_layout(QgsProject.instance())
    keep = fill_layout(layout, ReportSite(result, (), site), facts)
    for item_id in ("site", "authority", "header"):
        shown = layout.itemById(item_id).currentText()
        assert HOSTILE_TEXT in shown, (item_id, shown)
        assert "6173" not in shown and os.path.expanduser("~") not in shown
    del keep
    out = tmp_path / "report.pdf"
    assert export_pdf(str(out), [ReportSite(result, (), site)], facts) == ""
    text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "[% env('HOME') %]" in text and "6173" not in text


def test_a_report_never_overwrites_the_pack(qgis_app, pack):
    from lnrs_toolkit.plugin.core.reports.report_content import ReportFacts
    from lnrs_toolkit.plugin.gui.report_export import ReportSite, export_pdf
    from qgis.core import QgsProject  # noqa: F401 - the layout needs the QGIS application

    result, site = _hostile_result(pack)
    before = pack.read_bytes()
    message = export_pdf(str(pack), [ReportSite(result, (), site)], ReportFacts(officer="officer", generated="now"))
    assert "is a database" in message and pack.read_bytes() == before


@pytest.mark.parametrize("output", ["OUTPUT", "JSON"])
def test_processing_screen_refuses_an_output_that_is_the_pack(lnrs_provider, pack, output):
    before = pack.read_bytes()
    params = {"INPUT": sites_layer(), "PACK": str(pack), "OUTPUT": "memory:", "JSON": None, output: str(pack)}
    with pytest.raises(QgsProcessingException, match="is the pack"):
        run("screensites", params)
    assert pack.read_bytes() == before


def test_processing_screen_refuses_a_json_output_linking_to_the_input(lnrs_provider, pack, tmp_path):
    sites = tmp_path / "sites.geojson"
    sites.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"ref":"A"},'
                     '"geometry":{"type":"Polygon","coordinates":[[[10,10],[60,10],[60,60],[10,60],[10,10]]]}}]}')
    link = tmp_path / "out.json"
    link.symlink_to(sites)
    before = sites.read_bytes()
    with pytest.raises(QgsProcessingException, match="is the input layer"):
        run("screensites", {"INPUT": str(sites), "PACK": str(pack), "OUTPUT": "memory:", "JSON": str(link)})
    assert sites.read_bytes() == before


@pytest.mark.parametrize(("alg", "params"), [
    ("validateopportunities", {"OUTPUT": "{pack}"}),
    ("compareversions", {"FROM_VERSION": 1, "OUTPUT": "memory:", "SUMMARY": "{pack}"}),
])
def test_processing_outputs_that_are_the_pack_are_refused(lnrs_provider, pack, alg, params):
    before = pack.read_bytes()
    filled = {k: (str(pack) if v == "{pack}" else v) for k, v in params.items()}
    with pytest.raises(QgsProcessingException, match="is the pack"):
        run(alg, {"PACK": str(pack), **filled})
    assert pack.read_bytes() == before


@pytest.mark.parametrize("stored", ["nan", "inf", "-3", "1e999"])
def test_a_stored_distance_or_tolerance_that_is_not_finite_falls_back_to_the_default(qgis_app, stored):
    """The dock's only numbers not typed into a bounded spin box come from the settings."""
    from lnrs_toolkit.plugin.settings import PluginSettings
    from qgis.core import QgsSettings

    store = QgsSettings("lnrs_toolkit_tests", "settings_nan")
    store.clear()
    store.setValue("lnrs_toolkit/search_distance_m", stored)
    store.setValue("lnrs_toolkit/sliver_tolerance_m2", stored)
    loaded = PluginSettings.load(store)
    assert (loaded.search_distance_m, loaded.sliver_tolerance_m2) == (500.0, 1.0)
    store.clear()


def test_processing_add_refuses_an_infinite_vertex_with_a_sentence(lnrs_provider, pack):
    from qgis.core import QgsLineString, QgsPoint, QgsPolygon

    layer = QgsVectorLayer("Polygon?crs=EPSG:27700&field=n:string", "bad", "memory")
    f = QgsFeature(layer.fields())
    f.setAttributes(["x"])
    ring = QgsLineString([QgsPoint(0, 0), QgsPoint(10, 0), QgsPoint(math.inf, 10), QgsPoint(0, 0)])
    polygon = QgsPolygon()
    polygon.setExteriorRing(ring)
    f.setGeometry(QgsGeometry(polygon))
    layer.dataProvider().addFeatures([f])
    before = pack.read_bytes()
    with pytest.raises(QgsProcessingException, match="infinite or undefined coordinate"):
        run("addtohabitatmap", {"INPUT": layer, "PACK": str(pack), "ROLE": "interim"})
    assert pack.read_bytes() == before


@pytest.mark.parametrize("form", ["vrt", "disguised vrt", "vsicurl", "https"])
@pytest.mark.parametrize(("alg", "name", "params"), [
    ("screensites", "INPUT", {"OUTPUT": "memory:"}),
    ("compareversions", "SITES", {"FROM_VERSION": 1, "OUTPUT": "memory:"}),
    ("parcelsignificance", "INPUT", {"OUTPUT": "memory:", "ISSUES": "memory:"}),
    ("parcelsignificance", "RED_LINE", {"INPUT": "{sites}", "OUTPUT": "memory:", "ISSUES": "memory:"}),
])
def test_processing_refuses_a_sites_layer_that_comes_over_the_network(lnrs_provider, pack, tmp_path, listener, form,
                                                                       alg, name, params):
    """As the command line: a sites or parcel layer behind a URL, a network file system or a VRT is refused with a
    sentence before anything opens it; the server sees no connection."""
    from lnrs_toolkit.plugin.core.versions.publish import publish_version

    publish_version(pack, "first")
    port, hits = listener
    url = f"http://127.0.0.1:{port}/sites.geojson"
    vrt = (f'<OGRVRTDataSource><OGRVRTLayer name="sites"><SrcDataSource>/vsicurl/{url}</SrcDataSource>'
           "</OGRVRTLayer></OGRVRTDataSource>")
    (tmp_path / "sites.vrt").write_text(vrt)
    (tmp_path / "sites.xml").write_text(vrt)
    value = {"vrt": str(tmp_path / "sites.vrt"), "disguised vrt": str(tmp_path / "sites.xml"),
             "vsicurl": f"/vsicurl/{url}", "https": url.replace("http:", "https:")}[form]
    local = sites_layer()
    filled = {k: (local if v == "{sites}" else v) for k, v in params.items()}
    with pytest.raises(QgsProcessingException, match="is not a local layer") as refused:
        run(alg, {"PACK": str(pack), **filled, name: value})
    assert "Download the data to a local file first" in str(refused.value)
    assert hits == []


@pytest.fixture()
def short_reads(monkeypatch):
    """PostGIS reads limited to 2 s (the plugin allows 120 s)."""
    from lnrs_toolkit.plugin.adapters import postgis_reads

    monkeypatch.setattr(postgis_reads, "READ_TIMEOUT_S", 2.0)
    return 2.0


def _in_time(work, limit: float):
    """Run ``work`` in a thread: (finished within ``limit`` s, its exception or None)."""
    import threading

    outcome: list[BaseException | None] = []

    def run_it() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run_it, daemon=True)
    thread.start()
    thread.join(limit)
    return bool(outcome), (outcome[0] if outcome else None), thread


@pytest.mark.postgis
def test_a_postgis_read_that_does_not_end_is_stopped_with_a_sentence(connection, server, tmp_path, short_reads):
    """A table locked by another program, an endless recursive view: every read of the pack (whole, windowed, its
    version) stops at the time limit with a sentence naming the table, never a hang."""
    import psycopg2
    from lnrs_toolkit.plugin.adapters.pack_source import PackCache, load_postgis_pack, publish_pack_to_postgis
    from lnrs_toolkit.plugin.adapters.postgis_versions import list_postgis_versions
    from lnrs_toolkit.plugin.adapters.postgis_windows import PostgisWindows
    from lnrs_toolkit.plugin.core.errors import PackError

    gpkg = tmp_path / "small.gpkg"
    build_small_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "slow_pack")
    holder = psycopg2.connect(host=server.host, port=server.port, user=server.user, password=server.password,
                              dbname=server.dbname)
    try:
        holder.cursor().execute("LOCK TABLE slow_pack.designated_sites, slow_pack.pack_versions IN ACCESS EXCLUSIVE "
                                "MODE")  # held: no commit
        table = "table 'slow_pack.designated_sites'"
        for read, named in ((lambda: load_postgis_pack(connection, "slow_pack"), table),
                            (lambda: PostgisWindows(connection, "slow_pack").read_all(None, DESIGNATED), table),
                            (lambda: list_postgis_versions(connection, "slow_pack"), "tables in schema 'slow_pack'")):
            done, error, thread = _in_time(read, 30)
            assert done, "the read did not end"
            assert isinstance(error, PackError), error
            assert f"Reading the pack's {named} took longer than 2 s" in str(error)
            assert "locked by another program" in str(error)
    finally:
        holder.close()
        thread.join(30)

    server.run_sql("ALTER TABLE slow_pack.measures RENAME TO measures_old; CREATE VIEW slow_pack.measures AS WITH "
                   "RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n::bigint AS fid, "
                   "'WD' || n AS code, 'woodland' AS habitat_theme, '' AS priority, '' AS measure, '' AS habitats, "
                   "'' AS source_layer FROM r")
    windows = PostgisWindows(connection, "slow_pack")
    for read, said in ((lambda: PackCache().get(f"postgis:{connection}/slow_pack"), "is a view, not a table"),
                       (windows.outline, "took longer than 2 s")):
        done, error, thread = _in_time(read, 30)
        assert done, "the read did not end"
        assert isinstance(error, PackError) and said in str(error), error
    windows.close()


@pytest.mark.postgis
def test_a_postgis_geometry_nested_deep_is_not_checked_before_geos_sees_it(connection, server, tmp_path):
    """A geometry nested 3,000 collections deep (PostGIS refuses such WKB, but ST_Collect builds it): fetched as WKB and
    walked before QGIS or GEOS decode it (20,000 levels crash GEOS), so designated sites are not checked, with why."""
    from lnrs_toolkit.plugin.adapters.pack_source import load_postgis_pack, publish_pack_to_postgis
    from lnrs_toolkit.plugin.adapters.postgis_windows import PostgisWindows
    from lnrs_toolkit.plugin.core.pack.integrity import MAX_NESTING, wkb_problem

    gpkg = tmp_path / "small.gpkg"
    build_small_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "deep_pack")
    server.run_sql("ALTER TABLE deep_pack.designated_sites ALTER COLUMN geom TYPE geometry(Geometry, 27700); "
                   "DO $$ DECLARE g geometry := ST_SetSRID(ST_MakePoint(20, 20), 27700); BEGIN FOR i IN 1..3000 LOOP "
                   "g := ST_Collect(ARRAY[g]); END LOOP; UPDATE deep_pack.designated_sites SET geom = g WHERE fid = 1; "
                   "END $$")
    wkb = bytes.fromhex(server.run_sql("SELECT encode(ST_AsBinary(geom), 'hex') FROM deep_pack.designated_sites "
                                       "WHERE fid = 1").strip())
    assert wkb_problem(wkb) == f"the geometry nests collections more than {MAX_NESTING} deep"
    pack = load_postgis_pack(connection, "deep_pack")
    assert "designated_sites" not in pack.layers
    assert "cannot be decoded (damaged, truncated or nested too deep)" in pack.unchecked["designated_sites"]
    windows = PostgisWindows(connection, "deep_pack")
    try:
        layer = windows.read_all(windows.outline(), DESIGNATED)
    finally:
        windows.close()
    assert layer.problems and "nested too deep" in layer.problems[0]
