"""The dock's Parcels tab driven like an ecologist: open the Defra GeoPackage, run, read, zoom, save."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.errors import LnrsError
from lnrs_toolkit.tests.unit.packs import SPLIT_X, build_split_pack
from osgeo import ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtTest import QTest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "data" / "example_rlb_baseline_hedgerows_rivers.gpkg"
DEMO_PACK = ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg"
LOW_TEXT = "Area/compensation not in local strategy/ no local strategy"
HIGH_TEXT = "Formally identified in local strategy"
SIG = "Baseline Strategic Significance"
BNG = QgsCoordinateReferenceSystem("EPSG:27700")


@pytest.fixture()
def project():
    yield QgsProject.instance()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


@pytest.fixture()
def dock(qgis_app, qgis_iface, recording_iface, project):
    from lnrs_toolkit.plugin.gui.dock import LnrsDockWidget

    store = QgsSettings("lnrs_toolkit_tests", "parcels_panel")
    store.clear()
    store.setValue("lnrs_toolkit/last_pack", str(ROOT / "no-such-pack.gpkg"))  # no pack loads by itself
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    widget = LnrsDockWidget(recording_iface, recording_iface.window, settings_store=store)
    widget.pack_chooser._pending_pack = ""
    recording_iface.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, widget)
    widget.show()
    widget.tabs.setCurrentWidget(widget.parcels_panel)
    yield widget
    widget.parcels_panel.close_down()
    widget.close_down()
    widget.deleteLater()
    QCoreApplication.processEvents()


@pytest.fixture()
def panel(dock):
    return dock.parcels_panel


@pytest.fixture()
def example(tmp_path):
    path = tmp_path / "metric.gpkg"
    shutil.copyfile(EXAMPLE, path)
    return path


@pytest.fixture(scope="module")
def split_pack(tmp_path_factory):
    return build_split_pack(tmp_path_factory.mktemp("pack") / "split_pack.gpkg")


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rows(path, layer):
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer)
    out = []
    for f in lyr:
        g = f.GetGeometryRef()
        out.append((f.GetFID(), f.items(), None if g is None else g.ExportToWkt()))
    return out


def table_rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def wkt_box(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def memory_layer(kind, fields, feats, crs="EPSG:27700", name="parcels"):
    layer = QgsVectorLayer(f"{kind}?crs={crs}&" + "&".join(f"field={f}" for f in fields), name, "memory")
    out = []
    for attrs, wkt in feats:
        f = QgsFeature(layer.fields())
        f.setAttributes(attrs)
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        out.append(f)
    layer.dataProvider().addFeatures(out)
    QgsProject.instance().addMapLayer(layer)
    return layer


def canvas_extent_bng(canvas):
    transform = QgsCoordinateTransform(canvas.mapSettings().destinationCrs(), BNG, QgsProject.instance())
    return transform.transformBoundingBox(canvas.extent())


def click_row(table, row, col=0):
    table.scrollToItem(table.item(row, col))
    rect = table.visualItemRect(table.item(row, col))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def run_example(dock, panel, example, pack=DEMO_PACK):
    assert dock.set_pack_path(str(pack))
    assert panel.open_defra_gpkg(str(example))
    assert panel.run(synchronous=True)
    assert panel.run_result is not None, dock.last_message


# --------------------------------------------------------------------------- the tab and its state
def test_tab_is_in_the_dock_and_run_needs_a_pack(dock, panel, example):
    assert dock.tabs.tabText(dock.tabs.indexOf(panel)).replace("&", "") == "Parcels"
    assert dock.index is None
    assert panel.open_defra_gpkg(str(example))
    panel._update_buttons()
    assert not panel.run_button.isEnabled()
    assert "Habitat map" in panel.run_button.toolTip()
    assert not panel.run(synchronous=True)
    assert "Load a Local Habitat Map pack" in dock.last_message
    assert not panel.add_map_button.isEnabled() and not panel.save_button.isEnabled()
    dock.set_pack_path(str(DEMO_PACK))
    QTest.qWait(900)  # the panel re-reads the dock's pack while it is shown
    assert panel.run_button.isEnabled()


def test_panel_builds_with_polygon_layers_already_in_the_project(qgis_app, recording_iface, project, example):
    from lnrs_toolkit.plugin.gui.dock import LnrsDockWidget

    layer = QgsVectorLayer(f"{example}|layername=Habitats", "Habitats", "ogr")
    project.addMapLayer(layer)
    widget = LnrsDockWidget(recording_iface, recording_iface.window,
                            settings_store=QgsSettings("lnrs_toolkit_tests", "parcels_panel_prebuilt"))
    try:
        panel = widget.parcels_panel
        assert panel.layer_combo.currentLayer() is None  # nothing chosen for the user
        panel.layer_combo.setLayer(layer)
        assert panel.field_combo.currentField() == "Baseline Habitat Type"
    finally:
        widget.parcels_panel.close_down()
        widget.close_down()
        widget.deleteLater()
        QCoreApplication.processEvents()


def test_open_defra_gpkg_adds_its_layers_and_picks_defaults(dock, panel, example, project):
    assert panel.open_defra_gpkg(str(example))
    layer = panel.layer_combo.currentLayer()
    assert layer is not None and layer.name() == "Habitats"
    assert panel.field_combo.currentField() == "Baseline Habitat Type"
    assert panel.red_line_combo.currentLayer() is None
    assert panel.red_line_combo.currentText() == "GeoPackage's red line"
    names = sorted(lyr.name() for lyr in project.mapLayers().values())
    assert names == ["Habitats", "Red Line Boundary"]
    assert project.layerTreeRoot().findGroup("metric") is not None
    panel.phase_combo.setCurrentIndex(1)
    assert panel.field_combo.currentField() == "Proposed Habitat Type"
    panel.field_combo.setField("Comment")  # the user's own choice survives a phase change
    panel.phase_combo.setCurrentIndex(0)
    assert panel.field_combo.currentField() == "Comment"
    # opening it again reuses the layer already in the project
    assert panel.open_defra_gpkg(str(example))
    assert len(project.mapLayers()) == 2


# --------------------------------------------------------------------------- results
def test_defra_example_fills_the_tables_and_a_click_zooms_to_the_issue(dock, panel, example, qgis_iface):
    run_example(dock, panel, example)
    issues = table_rows(panel.issues_table)
    assert len(issues) == 1
    kind, ref, message, hint = issues[0]
    assert (kind, ref) == ("Area mismatch", "P2")
    assert "records 2,460.00 m²" in message and "$area" in hint
    pieces = table_rows(panel.pieces_table)
    assert [p[0] for p in pieces] == ["P1", "P2", "P3"]
    for p in pieces:
        assert p[1] == "Low" and p[4] == "1" and p[5] == LOW_TEXT and p[8] == ""
    p2 = next(p for p in pieces if p[0] == "P2")
    assert p2[2] == "Grassland - Modified grassland" and p2[3] == "1.3608"
    assert "Parcels: 3</b> → pieces: 3" in panel.summary.text() and "issues: 1" in panel.summary.text()
    assert "Red Line Boundary" in panel.summary.text()
    assert panel.issues_label.text() == "Issues (1)" and panel.pieces_label.text() == "Parcels (3 pieces)"
    assert panel.add_map_button.isEnabled() and panel.save_button.isEnabled()
    # the run keeps no provider feature source alive (freeing one after QGIS exits crashes it)
    request = panel.run_result.request
    assert request.parcels.keep is None and request.red_line.keep is None
    with pytest.raises(LnrsError):
        request.parcels.features()

    canvas = qgis_iface.mapCanvas()
    canvas.setExtent(QgsRectangle(0, 0, 1000, 1000))  # far away (Web Mercator metres near 0, 0)
    parcel_p2 = next(p.geometry for p in panel.run_result.parcels if p.ref == "P2")
    assert not canvas_extent_bng(canvas).contains(QgsPointXY(*parcel_p2.centroid.coords[0]))
    click_row(panel.issues_table, 0, 2)
    assert "<b>Area mismatch</b> Parcel P2 records" in panel.detail.text() and "$area" in panel.detail.text()
    extent = canvas_extent_bng(canvas)
    x0, y0, x1, y1 = parcel_p2.bounds
    assert extent.contains(QgsRectangle(x0, y0, x1, y1))
    assert extent.width() < 2000  # zoomed to the parcel, not the county
    # the parcels table zooms too
    canvas.setExtent(QgsRectangle(0, 0, 1000, 1000))
    click_row(panel.pieces_table, 0)
    first = panel.run_result.result.pieces[0].geometry
    assert canvas_extent_bng(canvas).contains(QgsPointXY(*first.representative_point().coords[0]))


def test_save_filled_gpkg_writes_a_new_file_with_every_layer(dock, panel, example, tmp_path):
    run_example(dock, panel, example)
    before = sha(example)
    out = tmp_path / "filled.gpkg"
    assert panel.save_filled_gpkg(str(out)) == str(out)
    assert str(out) in dock.last_message and dock.last_message.startswith("Saved the filled GeoPackage")
    assert sha(example) == before
    src, dst = ogr.Open(str(example)), ogr.Open(str(out))
    assert [dst.GetLayer(i).GetName() for i in range(dst.GetLayerCount())] == \
        [src.GetLayer(i).GetName() for i in range(src.GetLayerCount())]
    for name in ("Red Line Boundary", "Hedgerows", "Rivers", "layer_styles"):
        assert rows(out, name) == rows(example, name)
    after = rows(out, "Habitats")
    assert len(after) == 3 and all(items[SIG] == LOW_TEXT for _, items, _ in after)
    assert [wkt for *_, wkt in after] == [wkt for *_, wkt in rows(example, "Habitats")]
    # the input is never the output
    assert panel.save_filled_gpkg(str(example)) == ""
    assert dock.last_message.startswith("The GeoPackage was not saved:") and "new file" in dock.last_message
    assert sha(example) == before


def test_split_parcels_show_their_parent_and_measures_and_save_split(dock, panel, example, split_pack, tmp_path):
    run_example(dock, panel, example, split_pack)
    pieces = {p[0]: p for p in table_rows(panel.pieces_table)}
    assert {"P2-a", "P2-b"} <= set(pieces)
    assert pieces["P2-a"][8] == pieces["P2-b"][8] == "P2"
    high = [p for p in pieces.values() if p[1] == "High"]
    assert high and all(p[5] == HIGH_TEXT and p[6] == "GL001" and p[4] == "1.15" for p in high)
    assert "(parcels split: 1)" in panel.summary.text()
    click_row(panel.pieces_table, [p[0] for p in table_rows(panel.pieces_table)].index(high[0][0]), 1)
    assert "GL001" in panel.detail.text() and "Split from P2" in panel.detail.text()
    out = tmp_path / "split.gpkg"
    assert panel.save_filled_gpkg(str(out))
    refs = sorted(str(items["Parcel Ref"]) for _, items, _ in rows(out, "Habitats"))
    assert refs == ["Null", "Null", "P2-a", "P2-b"]  # unsplit parcels keep their own (empty) reference
    assert len(pieces) == 4


def test_same_answer_as_the_processing_algorithm(dock, panel, example, split_pack, lnrs_provider):
    import processing

    run_example(dock, panel, example, split_pack)
    res = processing.run("lnrs:parcelsignificance", {
        "INPUT": panel.layer_combo.currentLayer(), "PACK": str(split_pack), "PHASE": "baseline",
        "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT"})
    alg = QgsVectorLayer(res["OUTPUT"], "out", "ogr")
    alg_sig = sorted((f"P{f.id()}" if f["Parcel Ref"] == "Null" else str(f["Parcel Ref"]), f[SIG])
                     for f in alg.getFeatures())
    panel_sig = sorted((p[0], p[5]) for p in table_rows(panel.pieces_table))
    assert alg_sig == panel_sig
    alg_issues = sorted((f["code"], f["ref"]) for f in res["ISSUES"].getFeatures())
    assert alg_issues == sorted((i.kind, i.parcel_ref) for i in panel.run_result.result.issues)


def test_add_results_to_map_adds_styled_temporary_layers(dock, panel, example, split_pack, project):
    run_example(dock, panel, example, split_pack)
    assert panel.add_results_to_map()
    group = project.layerTreeRoot().children()[0]
    assert group.name() == "Parcel significance: Habitats (baseline)"
    layers = [node.layer() for node in group.findLayers()]
    assert [lyr.name() for lyr in layers] == ["Parcel issues", "Parcels with strategic significance"]
    issues, pieces = layers
    assert issues.providerType() == pieces.providerType() == "memory"
    assert issues.featureCount() == len(panel.run_result.result.issues)
    assert pieces.featureCount() == panel.pieces_table.rowCount()
    assert pieces.crs().authid() == "EPSG:27700"
    renderer = pieces.renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "category"
    assert {c.value() for c in renderer.categories()} >= {"High", "Low"}
    values = {f["piece_ref"]: (f["category"], f["significance"], f["Parcel Ref"]) for f in pieces.getFeatures()}
    assert values["P2-a"][0] in ("High", "Low") and values["P2-a"][2] == "Null"  # parent's attributes kept


def test_output_fields_never_overwrite_the_inputs_own(dock, panel, split_pack, project):
    x = SPLIT_X
    parcels = memory_layer("Polygon", ["hab:string", "category:string"], [
        (["Grassland - Modified grassland", "mine"], wkt_box(x - 50, 430000, x + 50, 430100))], name="own fields")
    dock.set_pack_path(str(split_pack))
    assert panel.set_parcels_layer(parcels)
    panel.field_combo.setField("hab")
    assert panel.run(synchronous=True)
    assert panel.add_results_to_map()
    pieces = next(lyr for lyr in project.mapLayers().values() if lyr.name() == "Parcels with strategic significance")
    names = pieces.fields().names()
    assert names[:2] == ["hab", "category"] and "lnrs_category" in names and "piece_ref" in names
    assert sorted((f["piece_ref"], f["category"], f["lnrs_category"]) for f in pieces.getFeatures()) == \
        [("P1-a", "mine", "High"), ("P1-b", "mine", "Low")]
    assert pieces.renderer().classAttribute() == "lnrs_category"


# --------------------------------------------------------------------------- other layers and bad input
def test_reprojected_plain_layer_with_red_line_and_lpas(dock, panel, split_pack):
    x = SPLIT_X
    to_wgs = QgsCoordinateTransform(BNG, QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance())

    def wgs(wkt):
        g = QgsGeometry.fromWkt(wkt)
        g.densifyByCount(20)
        g.transform(to_wgs)
        return g.asWkt(12)

    parcels = memory_layer("Polygon", ["hab:string", "cond:string"], [
        (["Grassland - Modified grassland", "3. Moderate"], wgs(wkt_box(x - 50, 430000, x + 50, 430100))),
        (["Grassland - Lowland meedows", "3. Moderate"], wgs(wkt_box(x + 60, 430000, x + 80, 430050))),
    ], crs="EPSG:4326", name="survey")
    red = memory_layer("Polygon", ["n:string"], [(["site"], wkt_box(x - 50, 430000, x + 150, 430100))], name="red")
    lpas = memory_layer("Polygon", ["name:string"], [(["West"], wkt_box(x - 1000, 429000, x + 20, 431000)),
                                                     (["East"], wkt_box(x + 20, 429000, x + 1000, 431000))],
                        name="lpas")
    dock.set_pack_path(str(split_pack))
    assert panel.set_parcels_layer(parcels)
    assert panel.field_combo.currentField() == ""  # no Baseline Habitat Type field: the user must choose
    assert not panel.run(synchronous=True)
    assert "has no field 'Baseline Habitat Type'" in dock.last_message
    panel.field_combo.setField("hab")
    panel.red_line_combo.setLayer(red)
    panel.lpa_combo.setLayer(lpas)
    assert panel.run(synchronous=True)
    pieces = {p[0]: p for p in table_rows(panel.pieces_table)}
    assert [pieces[r][1] for r in ("P1-a", "P1-b", "P1-c")] == ["High", "Low", "Low"]
    total = sum(p.area_m2 for p in panel.run_result.result.pieces_of(0))
    assert abs(total - 100 * 100) < 1.0  # reprojected back to British National Grid
    kinds = sorted((i[0], i[1]) for i in table_rows(panel.issues_table))
    assert kinds == [("Gap in red line", ""), ("Unknown habitat", "P2")]
    unknown = next(i for i in table_rows(panel.issues_table) if i[0] == "Unknown habitat")
    assert "Grassland - Lowland meadows" in unknown[3]
    assert not panel.save_button.isEnabled() and "Defra" in panel.save_button.toolTip()
    assert panel.save_filled_gpkg("/tmp/never.gpkg") == ""
    assert "not the Habitats layer of a Defra metric GeoPackage" in dock.last_message


def test_bad_layers_get_a_sentence(dock, panel, tmp_path):
    dock.set_pack_path(str(DEMO_PACK))
    points = memory_layer("Point", ["a:string"], [(["x"], "POINT(425000 430000)")], name="trees")
    assert not panel.set_parcels_layer(points)
    assert "trees holds no polygons" in dock.last_message
    empty = memory_layer("Polygon", ["Baseline Habitat Type:string"], [], name="empty parcels")
    assert panel.set_parcels_layer(empty)
    assert not panel.run(synchronous=True)
    assert dock.last_message == "empty parcels has no features: there are no parcels to check."
    no_crs = memory_layer("Polygon", ["Baseline Habitat Type:string"],
                          [(["Grassland - Modified grassland"], wkt_box(0, 0, 10, 10))], crs="", name="no crs")
    no_crs.setCrs(QgsCoordinateReferenceSystem())
    assert panel.set_parcels_layer(no_crs)
    assert not panel.run_result
    panel.run(synchronous=True)
    assert dock.last_message.startswith("The parcels could not be checked:")
    assert "coordinate reference system" in dock.last_message
    other = tmp_path / "other.gpkg"
    shutil.copyfile(DEMO_PACK, other)
    assert not panel.open_defra_gpkg(str(other))
    assert "has no Habitats layer of the statutory biodiversity metric" in dock.last_message
    assert "Traceback" not in dock.last_message


def test_unsaved_edits_block_saving_the_geopackage(dock, panel, example, tmp_path):
    run_example(dock, panel, example)
    layer = panel.layer_combo.currentLayer()
    assert layer.startEditing()
    fid = next(layer.getFeatures()).id()
    assert layer.changeAttributeValue(fid, layer.fields().indexOf("Comment"), "edited")
    assert panel.run(synchronous=True)
    assert panel.save_filled_gpkg(str(tmp_path / "x.gpkg")) == ""
    assert "unsaved edits" in dock.last_message
    assert not (tmp_path / "x.gpkg").exists()
    layer.rollBack()


# --------------------------------------------------------------------------- the task
def wait_for(panel, timeout=60.0):
    end = time.monotonic() + timeout
    while panel.task is not None and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert panel.task is None, "the parcel task did not finish"


def test_background_run_and_cancel(dock, panel, example, split_pack):
    run_example(dock, panel, example)  # loads the example (synchronously once)
    panel.run_result = None
    assert panel.run()
    assert panel.cancel_button.isEnabled() and not panel.run_button.isEnabled()
    wait_for(panel)
    assert panel.run_result is not None and panel.pieces_table.rowCount() == 3
    # many parcels, cancelled at once: the message says so and the shown results stay those of the last run
    feats = [(["Grassland - Modified grassland"], wkt_box(425000 + i * 3, 430000, 425002 + i * 3, 430002))
             for i in range(3000)]
    big = memory_layer("Polygon", ["Baseline Habitat Type:string"], feats, name="many")
    dock.set_pack_path(str(split_pack))
    assert panel.set_parcels_layer(big)
    kept = panel.run_result
    assert panel.run()
    panel.cancel()
    wait_for(panel)
    assert dock.last_message == "The parcel check was cancelled; nothing was changed."
    assert panel.run_result is kept


def test_closing_the_panel_cancels_its_run(dock, split_pack):
    from lnrs_toolkit.plugin.gui.parcels_panel import ParcelsPanel
    from qgis.core import QgsApplication
    from qgis.PyQt import sip

    dock.set_pack_path(str(split_pack))
    feats = [(["Grassland - Modified grassland"], wkt_box(425000 + i * 3, 430000, 425002 + i * 3, 430002))
             for i in range(3000)]
    big = memory_layer("Polygon", ["Baseline Habitat Type:string"], feats, name="many")
    panel = ParcelsPanel(dock.context)
    assert panel.set_parcels_layer(big)
    assert panel.run()
    outcome = []
    panel.task.taskTerminated.connect(lambda: outcome.append("terminated"))
    panel.task.taskCompleted.connect(lambda: outcome.append("completed"))
    sip.delete(panel)
    end = time.monotonic() + 60
    while not outcome and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert outcome == ["terminated"]
    assert QgsApplication.taskManager().countActiveTasks() == 0


@pytest.mark.skipif(not os.environ.get("LNRS_PARCELS_SCREENSHOT"), reason="set LNRS_PARCELS_SCREENSHOT=path.png")
def test_screenshot(dock, panel, example, recording_iface):
    """The screenshot of docs/parcels_panel.png: the demo pack and the Defra example GeoPackage."""
    dock.setFloating(True)
    dock.resize(460, 780)
    run_example(dock, panel, example)
    click_row(panel.issues_table, 0)
    QTest.qWait(300)
    assert dock.grab().save(os.environ["LNRS_PARCELS_SCREENSHOT"], "PNG")
