"""The dock's Parcels tab driven like an ecologist: open a Defra GeoPackage of either template, run, read every
module and both severities, zoom, add to map, save the filled copy in the template it came in."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest
from lnrs_toolkit.tests.unit.defra_files import BNG_LAYERS, make_bng_gpkg
from lnrs_toolkit.tests.unit.packs import SPLIT_X, build_split_pack
from osgeo import ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSettings,
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
ISSUE_COLS = ["Severity", "Code", "Layer", "Ref", "Message", "Fix"]
PIECE_COLS = ["Ref", "Module", "Significance", "Area (ha)", "Length (km)", "Multiplier", "Habitat", "Metric wording",
              "Measures", "Irreplaceable", "Split from", "Layer"]


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
def packs(tmp_path_factory):
    d = tmp_path_factory.mktemp("pack")
    return {"draft": build_split_pack(d / "draft.gpkg", "not_published", True),
            "published": build_split_pack(d / "published.gpkg", "published", True)}


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rows(path, layer):
    ds = ogr.Open(str(path))
    out = []
    for f in ds.GetLayerByName(layer):
        g = f.GetGeometryRef()
        out.append((f.GetFID(), f.items(), None if g is None else g.ExportToWkt()))
    return out


def headers(table):
    return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]


def table_rows(table):
    cols = headers(table)
    return [dict(zip(cols, (table.item(r, c).text() for c in range(table.columnCount()))))
            for r in range(table.rowCount())]


def canvas_extent_bng(canvas):
    transform = QgsCoordinateTransform(canvas.mapSettings().destinationCrs(), BNG, QgsProject.instance())
    return transform.transformBoundingBox(canvas.extent())


def click_row(table, row, col=0):
    table.scrollToItem(table.item(row, col))
    rect = table.visualItemRect(table.item(row, col))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())


def run_file(dock, panel, path, pack, phase=0):
    assert dock.set_pack_path(str(pack))
    assert panel.open_defra_gpkg(str(path))
    panel.phase_combo.setCurrentIndex(phase)
    assert panel.run(synchronous=True)
    assert panel.run_result is not None, dock.last_message


def big_bng(path, n=3000):
    """A BNG service file with ``n`` small baseline parcels (for the background and cancel tests)."""
    name, kind, fields, _ = BNG_LAYERS[1]
    feats = [(f"POLYGON(({425000 + i * 3} 430000,{425002 + i * 3} 430000,{425002 + i * 3} 430002,"
              f"{425000 + i * 3} 430002,{425000 + i * 3} 430000))",
              [f"A{i}", "Grassland", "Modified grassland", "Poor", None, 0.0004]) for i in range(n)]
    return make_bng_gpkg(path, [BNG_LAYERS[0], (name, kind, fields, feats)])


# --------------------------------------------------------------------------- the tab and its state
def test_tab_is_in_the_dock_and_run_needs_a_pack_and_a_file(dock, panel, example, packs):
    assert dock.tabs.tabText(dock.tabs.indexOf(panel)).replace("&", "") == "Parcels"
    assert headers(panel.issues_table) == ISSUE_COLS and headers(panel.pieces_table) == PIECE_COLS
    assert not panel.run_button.isEnabled() and "Habitat map" in panel.run_button.toolTip()
    assert "Rule: load a Local Habitat Map pack" in panel.rule_label.text()
    assert panel.open_defra_gpkg(str(example))
    assert not panel.run(synchronous=True)
    assert "Load a Local Habitat Map pack" in dock.last_message
    assert not panel.add_map_button.isEnabled() and not panel.save_button.isEnabled()
    dock.set_pack_path(str(packs["draft"]))
    QTest.qWait(300)
    assert panel.run_button.isEnabled()


def test_the_rule_line_and_the_pack_info_follow_the_lnrs_status(dock, panel, packs):
    dock.set_pack_path(str(packs["draft"]))
    assert "Rule: metric Table 8" in panel.rule_label.text() and "LNRS not yet published" in panel.rule_label.text()
    assert "LNRS not yet published (metric Table 8)" in dock.pack_chooser.pack_info.text()
    assert "Medium may be used" in panel.rule_label.toolTip()
    dock.set_pack_path(str(packs["published"]))
    assert "Rule: metric Table 7" in panel.rule_label.text() and "LNRS published" in panel.rule_label.text()
    assert "baseline strategic significance" in panel.rule_label.toolTip()  # the guide's words, baseline
    panel.phase_combo.setCurrentIndex(1)
    assert "consistent with that measure" in panel.rule_label.toolTip()
    assert "LNRS published (metric Table 7)" in dock.pack_chooser.pack_info.text()


def test_open_either_template_shows_it_and_adds_its_layers_once(dock, panel, example, tmp_path, project):
    assert panel.open_defra_gpkg(str(example))
    assert panel.input_group.template_label.text() == \
        "Natural England template (Red Line Boundary, Habitats, Hedgerows, Rivers)"
    assert sorted(lyr.name() for lyr in project.mapLayers().values()) == \
        ["Habitats", "Hedgerows", "Red Line Boundary", "Rivers"]
    assert project.layerTreeRoot().findGroup("metric") is not None
    assert panel.open_defra_gpkg(str(example))  # again: nothing added twice
    assert len(project.mapLayers()) == 4
    bng = make_bng_gpkg(tmp_path / "bng.gpkg")
    assert panel.open_defra_gpkg(str(bng))
    assert panel.input_group.template_label.text().startswith("BNG Metric service template (Red Line Boundary, "
                                                              "Area Habitats Baseline, Area Habitats Post-Intervention")
    assert panel.input_group.path_edit.text() == str(bng)


def test_a_file_of_neither_template_is_refused_in_a_sentence(dock, panel, tmp_path):
    other = tmp_path / "other.gpkg"
    shutil.copyfile(DEMO_PACK, other)
    assert not panel.open_defra_gpkg(str(other))
    assert dock.last_message.startswith("other.gpkg: the GeoPackage is not a Defra metric GeoPackage")
    assert "Traceback" not in dock.last_message and panel.gpkg_path == ""
    text = tmp_path / "text.gpkg"
    text.write_text("not a GeoPackage", encoding="utf-8")
    assert not panel.open_defra_gpkg(str(text))
    assert "cannot be opened as a GeoPackage" in dock.last_message


# --------------------------------------------------------------------------- results
def test_natural_england_file_every_module_and_a_click_zooms(dock, panel, example, packs, qgis_iface):
    run_file(dock, panel, example, packs["draft"])
    pieces = {p["Ref"]: p for p in table_rows(panel.pieces_table)}
    assert {p["Module"] for p in pieces.values()} == {"Area habitat", "Hedgerow", "Watercourse"}
    assert pieces["P2-a"]["Split from"] == "P2" and pieces["P2-a"]["Layer"] == "Habitats"
    assert pieces["P2-a"]["Area (ha)"] and not pieces["P2-a"]["Length (km)"]
    assert pieces["R1-a"]["Length (km)"] and not pieces["R1-a"]["Area (ha)"] and pieces["R1-a"]["Layer"] == "Rivers"
    assert {pieces["H2-a"]["Significance"], pieces["H2-b"]["Significance"]} == {"High", "Low"}
    high = [p for p in pieces.values() if p["Significance"] == "High"]
    assert high and all(p["Metric wording"] == HIGH_TEXT and p["Multiplier"] == "1.15" for p in high)
    (issue,) = table_rows(panel.issues_table)
    assert (issue["Severity"], issue["Code"], issue["Layer"], issue["Ref"]) == \
        ("warning", "AREA_FIELD_MISMATCH", "Habitats", "P2")
    assert "$area" in issue["Fix"]
    summary = panel.summary.text()
    assert "Natural England template" in summary and "Hedgerow: 2 (3 pieces" in summary and "errors: 0" in summary
    assert panel.issues_label.text() == "Issues (0 errors, 1 warnings)"
    assert panel.add_map_button.isEnabled() and panel.save_button.isEnabled()

    canvas = qgis_iface.mapCanvas()
    canvas.setExtent(QgsRectangle(0, 0, 1000, 1000))  # far away (Web Mercator metres near 0, 0)
    click_row(panel.issues_table, 0, 4)
    assert "<b>AREA_FIELD_MISMATCH</b> (warning)" in panel.detail.text()
    p2 = next(p.geometry for p in panel.run_result.parcels if p.ref == "P2")
    x0, y0, x1, y1 = p2.bounds
    assert canvas_extent_bng(canvas).contains(QgsRectangle(x0, y0, x1, y1))
    assert canvas_extent_bng(canvas).width() < 2000
    canvas.setExtent(QgsRectangle(0, 0, 1000, 1000))
    row = [p["Ref"] for p in table_rows(panel.pieces_table)].index("R1-a")
    click_row(panel.pieces_table, row)
    assert "Split from R1" in panel.detail.text() and " km" in panel.detail.text()
    river = next(p.geometry for p in panel.run_result.result.pieces if p.ref == "R1-a")
    assert canvas_extent_bng(canvas).contains(QgsPointXY(*river.representative_point().coords[0]))


def test_bng_service_file_post_intervention_saved_in_its_own_template(dock, panel, packs, tmp_path):
    src = make_bng_gpkg(tmp_path / "bng.gpkg")
    before = sha(src)
    run_file(dock, panel, src, packs["published"], phase=1)
    assert "Rule: metric Table 7" in panel.rule_label.text()
    pieces = {p["Ref"]: p for p in table_rows(panel.pieces_table)}
    assert pieces["PI1-a"]["Significance"] == "High" and pieces["PI1-b"]["Significance"] == "Low"
    assert pieces["PI1-a"]["Area (ha)"] == "1.0000" and pieces["PI1-a"]["Layer"] == "Area Habitats Post-Intervention"
    assert pieces["PH1-a"]["Module"] == "Hedgerow" and pieces["PH1-a"]["Measures"] == "HW001"
    assert "BNG Metric service template" in panel.summary.text()
    out = tmp_path / "filled.gpkg"
    assert panel.save_filled_gpkg(str(out)) == str(out)
    assert dock.last_message.startswith("Saved the filled GeoPackage")
    assert sha(src) == before
    ds = ogr.Open(str(out))
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    ds = None
    assert "Area Habitats Post-Intervention" in names and "Habitats" not in names
    filled = sorted((items["Habitat Ref"], items["Proposed Strategic Significance"])
                    for _, items, _ in rows(out, "Area Habitats Post-Intervention"))
    assert filled == [("PI1-a", HIGH_TEXT), ("PI1-b", LOW_TEXT)]
    assert rows(out, "Area Habitats Baseline") == rows(src, "Area Habitats Baseline")  # the other phase untouched
    # the input is never the output
    assert panel.save_filled_gpkg(str(src)) == ""
    assert dock.last_message.startswith("The GeoPackage was not saved:") and "new file" in dock.last_message
    assert sha(src) == before
    # nor the Local Habitat Map pack the check ran against
    pack_before = sha(packs["published"])
    assert panel.save_filled_gpkg(str(packs["published"])) == ""
    assert "is the Local Habitat Map pack" in dock.last_message and "nothing was written" in dock.last_message
    assert sha(packs["published"]) == pack_before


def test_defra_errors_and_our_warnings_show_both_severities(dock, panel, packs, tmp_path):
    layers = [(n, k, f, [] if n == "Red Line Boundary" else feats) for n, k, f, feats in BNG_LAYERS]
    name, kind, fields, ((wkt, values),) = layers[1]
    layers[1] = (name, kind, fields, [(wkt, [*values[:-1], 3.0])])  # records 3 ha for a 2 ha parcel
    run_file(dock, panel, make_bng_gpkg(tmp_path / "bng.gpkg", layers), packs["draft"])
    issues = table_rows(panel.issues_table)
    (red,) = (i for i in issues if i["Code"] == "NO_REDLINE")
    assert red["Severity"] == "error" and red["Layer"] == "Red Line Boundary"
    assert "not checked against the red line" in red["Message"]
    (area,) = (i for i in issues if i["Code"] == "AREA_FIELD_MISMATCH")
    assert area["Severity"] == "warning" and area["Ref"] == "A1"  # the stored Area is advice only
    severity = panel.issues_table.item(0, 0)
    assert severity.text() == "error" and severity.foreground().color().name() == "#c62828"
    assert "errors: 1" in panel.summary.text() and "refuse" in panel.summary.text()


def test_same_answer_as_the_processing_algorithm(dock, panel, example, packs, lnrs_provider):
    import processing

    run_file(dock, panel, example, packs["draft"])
    res = processing.run("lnrs:parcelsignificance", {
        "GEOPACKAGE": str(example), "PACK": str(packs["draft"]), "PHASE": "baseline",
        "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT"})
    alg = sorted((f["piece_ref"], f["significance"]) for f in res["OUTPUT"].getFeatures())
    panel_area = sorted((p["Ref"], p["Metric wording"]) for p in table_rows(panel.pieces_table)
                        if p["Module"] == "Area habitat")
    assert alg == panel_area
    alg_issues = sorted((f["code"], f["severity"], f["ref"]) for f in res["ISSUES"].getFeatures())
    assert alg_issues == sorted((i["Code"], i["Severity"], i["Ref"]) for i in table_rows(panel.issues_table))


def test_add_results_to_map_adds_one_layer_per_module(dock, panel, example, packs, project):
    run_file(dock, panel, example, packs["draft"])
    assert panel.add_results_to_map()
    group = project.layerTreeRoot().children()[0]
    assert group.name() == "Parcel significance: metric (baseline)"
    layers = [node.layer() for node in group.findLayers()]
    assert [lyr.name() for lyr in layers] == ["Parcel issues", "Watercourses with strategic significance",
                                              "Hedgerows with strategic significance",
                                              "Area habitats with strategic significance"]
    issues, rivers, hedges, areas = layers
    assert issues.featureCount() == panel.issues_table.rowCount()
    assert rivers.featureCount() + hedges.featureCount() + areas.featureCount() == panel.pieces_table.rowCount()
    assert rivers.geometryType() != areas.geometryType() and areas.crs().authid() == "EPSG:27700"
    assert areas.renderer().classAttribute() == "category"
    lengths = {f["piece_ref"]: f["length_km"] for f in rivers.getFeatures()}
    assert set(lengths) == {"R1-a", "R1-b"} and all(v > 0 for v in lengths.values())


# --------------------------------------------------------------------------- the task
def wait_for(panel, timeout=60.0):
    end = time.monotonic() + timeout
    while panel.task is not None and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert panel.task is None, "the parcel task did not finish"


def test_background_run_and_cancel(dock, panel, example, packs, tmp_path):
    run_file(dock, panel, example, packs["draft"])
    panel.run_result = None
    assert panel.run()
    assert panel.cancel_button.isEnabled() and not panel.run_button.isEnabled()
    wait_for(panel)
    assert panel.run_result is not None and panel.pieces_table.rowCount() == 9
    # many parcels, cancelled at once: the message says so and the shown results stay those of the last run
    assert panel.open_defra_gpkg(str(big_bng(tmp_path / "big.gpkg")))
    kept = panel.run_result
    assert panel.run()
    panel.cancel()
    wait_for(panel)
    assert dock.last_message == "The parcel check was cancelled; nothing was changed."
    assert panel.run_result is kept


def test_closing_the_panel_cancels_its_run(dock, packs, tmp_path):
    from lnrs_toolkit.plugin.gui.parcels_panel import ParcelsPanel
    from qgis.core import QgsApplication
    from qgis.PyQt import sip

    dock.set_pack_path(str(packs["draft"]))
    panel = ParcelsPanel(dock.context)
    assert panel.open_defra_gpkg(str(big_bng(tmp_path / "big.gpkg")))
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
def test_screenshot(dock, panel, example, packs, recording_iface, tmp_path):
    """The screenshot of docs/parcels_panel.png: Defra's example GeoPackage (Natural England template) against a
    pack whose LNRS is not yet published (Table 8): parcels, hedgerows and a river split at the opportunity area."""
    dock.setFloating(True)
    dock.resize(540, 700)
    run_file(dock, panel, example, packs["draft"])
    QTest.qWait(300)
    assert dock.grab().save(os.environ["LNRS_PARCELS_SCREENSHOT"], "PNG")


def test_split_x_is_inside_the_example():  # the fixtures above rely on it: the pack's edge crosses the file
    ds = ogr.Open(str(EXAMPLE))
    x0, x1, _, _ = ds.GetLayerByName("Red Line Boundary").GetExtent()
    assert x0 < SPLIT_X < x1


# --------------------------------------------------------------------------- layers in this project
TREE_XY = (425860.0, 431440.0)  # inside the red line, on the High side of SPLIT_X


def with_tree(path):
    """``path`` (a copy of the example) with an Urban Trees layer holding one tree; returns ``path``."""
    from osgeo import osr

    ds = ogr.Open(str(path), 1)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    layer = ds.CreateLayer("Urban Trees", srs, ogr.wkbPoint)
    for name in ("Tree Ref", "Baseline Tree Type"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    feat = ogr.Feature(layer.GetLayerDefn())
    feat.SetField("Tree Ref", "T1")
    feat.SetField("Baseline Tree Type", "Medium")
    feat.SetGeometry(ogr.CreateGeometryFromWkt("POINT ({} {})".format(*TREE_XY)))
    layer.CreateFeature(feat)
    ds = None
    return path


def memory_copy(path, layer_name, title, geometry, crs="EPSG:27700", renames=None, project=None):
    """A memory layer in ``crs`` holding the features of a GeoPackage layer (fields renamed by ``renames``)."""
    from qgis.core import QgsCoordinateTransform, QgsFeature, QgsField, QgsVectorLayer
    from qgis.PyQt.QtCore import QMetaType

    src = QgsVectorLayer(f"{path}|layername={layer_name}", layer_name, "ogr")
    assert src.isValid()
    renames = renames or {}
    uri = f"{geometry}?crs={crs}" if crs else geometry
    out = QgsVectorLayer(uri, title, "memory")
    names = [renames.get(f.name(), f.name()) for f in src.fields() if f.name() != "fid"]
    out.dataProvider().addAttributes([QgsField(n, QMetaType.Type.QString if n != "Area" else QMetaType.Type.Double)
                                      for n in names])
    out.updateFields()
    transform = QgsCoordinateTransform(src.crs(), out.crs(), QgsProject.instance()) if crs else None
    feats = []
    for f in src.getFeatures():
        g = f.geometry()
        if transform is not None:
            g.transform(transform)
        new = QgsFeature(out.fields())
        new.setGeometry(g)
        new.setAttributes([f[n] for n in src.fields().names() if n != "fid"])
        feats.append(new)
    assert out.dataProvider().addFeatures(feats)[0]
    (project or QgsProject.instance()).addMapLayer(out)
    return out


def survey_layers(path, crs_area="EPSG:3857"):
    """The example's modules as project memory layers: the parcels in Web Mercator with the habitat in a field
    named 'habitat', hedgerows, rivers (type in 'type'), the tree and the red line in British National Grid."""
    return {
        "area": memory_copy(path, "Habitats", "Survey parcels", "MultiPolygon", crs_area,
                            {"Baseline Habitat Type": "habitat"}),
        "hedgerows": memory_copy(path, "Hedgerows", "Hedges", "MultiLineString"),
        "rivers": memory_copy(path, "Rivers", "Streams", "MultiLineString", renames={"Baseline River Type": "type"}),
        "trees": memory_copy(path, "Urban Trees", "Trees", "Point"),
        "red": memory_copy(path, "Red Line Boundary", "Site boundary", "MultiPolygon"),
    }


def choose_layers(panel, layers, habitat_field="habitat"):
    inputs = panel.input_group.layer_inputs
    panel.input_group.source_combo.setCurrentIndex(1)
    inputs.area_combo.setLayer(layers["area"])
    inputs.habitat_field_combo.setField(habitat_field)
    for combo, key in ((inputs.hedgerow_combo, "hedgerows"), (inputs.watercourse_combo, "rivers"),
                       (inputs.tree_combo, "trees"), (inputs.red_line_combo, "red")):
        combo.setLayer(layers.get(key))


def comparable(table):
    """Rows keyed by ref without the Layer column (the layer route names the project layers)."""
    return {r["Ref"]: {k: v for k, v in r.items() if k != "Layer"} for r in table_rows(table)}


def test_project_layers_give_the_same_answer_as_the_geopackage(dock, panel, example, packs, project):
    survey = with_tree(example)
    run_file(dock, panel, survey, packs["draft"])
    from_file = comparable(panel.pieces_table)
    file_issues = sorted((i["Severity"], i["Code"], i["Ref"]) for i in table_rows(panel.issues_table))
    assert {p["Module"] for p in from_file.values()} == {"Area habitat", "Hedgerow", "Watercourse", "Tree"}

    layers = survey_layers(survey)
    panel.run_result = None
    choose_layers(panel, layers)
    assert panel.run_button.isEnabled() and "Layers in this project" in panel.input_group.source_combo.currentText()
    for collapsed in (True, False):  # expanding the group keeps the other source's rows hidden
        panel.input_group.setCollapsed(collapsed)
    assert not panel.input_group.gpkg_box.isVisibleTo(panel) and panel.input_group.layer_inputs.isVisibleTo(panel)
    panel.input_group.source_combo.setCurrentIndex(0)
    assert panel.input_group.gpkg_box.isVisibleTo(panel) and not panel.input_group.layer_inputs.isVisibleTo(panel)
    panel.input_group.source_combo.setCurrentIndex(1)
    assert panel.run(synchronous=True)
    assert panel.run_result is not None, dock.last_message
    from_layers = comparable(panel.pieces_table)
    assert from_layers == from_file  # categories, multipliers, wording, areas (ha) and lengths (km), splits
    assert {from_layers["H2-a"]["Significance"], from_layers["H2-b"]["Significance"]} == {"High", "Low"}
    assert from_layers["T1"]["Module"] == "Tree" and from_layers["T1"]["Significance"] == "High"
    layer_of = {r["Ref"]: r["Layer"] for r in table_rows(panel.pieces_table)}
    assert (layer_of["P2-a"], layer_of["H2-a"], layer_of["R1-a"], layer_of["T1"]) == \
        ("Survey parcels", "Hedges", "Streams", "Trees")
    assert sorted((i["Severity"], i["Code"], i["Ref"]) for i in table_rows(panel.issues_table)) == file_issues
    summary = panel.summary.text()
    assert "Layers in this project (saved in the Natural England template)" in summary
    assert "Survey parcels, Hedges, Streams, Trees" in summary and "Tree: 1" in summary
    assert "Rule: metric Table 8" in panel.rule_label.text()


def test_a_layer_with_an_unknown_crs_is_refused_in_a_sentence(dock, panel, example, packs, project):
    from qgis.core import QgsCoordinateReferenceSystem

    dock.set_pack_path(str(packs["draft"]))
    layers = survey_layers(with_tree(example))
    layers["hedgerows"].setCrs(QgsCoordinateReferenceSystem())
    choose_layers(panel, layers)
    assert not panel.run(synchronous=True)
    assert dock.last_message.startswith("The layers were not checked: Hedges has an unknown coordinate reference "
                                        "system")
    assert "Traceback" not in dock.last_message and panel.run_result is None
    # a field that is not there, and a red line that is not a polygon layer, are refused too
    from lnrs_toolkit.plugin.adapters.parcel_layers import LayerInput
    from lnrs_toolkit.plugin.adapters.project_survey import survey_request
    from lnrs_toolkit.plugin.core.errors import InputError

    with pytest.raises(InputError, match="^Hedges does not hold polygons; choose a layer of polygons as the red line"):
        survey_request("baseline", LayerInput.from_layer(layers["area"]), "habitat",
                       red_line=LayerInput.from_layer(layers["hedgerows"]))
    layers["hedgerows"].setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    choose_layers(panel, layers, habitat_field="")
    assert not panel.run(synchronous=True)
    assert "Survey parcels has no field 'Baseline Habitat Type'" in dock.last_message
    # a layer with the phase's habitat field has it chosen by itself, for either phase
    inputs = panel.input_group.layer_inputs
    inputs.area_combo.setLayer(memory_copy(example, "Habitats", "Digitised", "MultiPolygon"))
    assert inputs.habitat_field_combo.currentField() == "Baseline Habitat Type"
    panel.phase_combo.setCurrentIndex(1)
    assert inputs.habitat_field_combo.currentField() == "Proposed Habitat Type"
    layers["trees"].setCrs(QgsCoordinateReferenceSystem())
    inputs.tree_combo.setLayer(layers["trees"])
    assert not panel.run(synchronous=True) and "Trees has an unknown coordinate reference system" in \
        dock.last_message


def test_the_layers_saved_as_a_geopackage_open_with_every_module(dock, panel, example, packs, project, tmp_path):
    from lnrs_toolkit.plugin.adapters.defra_file import peek_defra_file, read_defra_file

    survey = with_tree(example)
    dock.set_pack_path(str(packs["draft"]))
    layers = survey_layers(survey)
    before = {name: [(f.id(), f.attributes(), f.geometry().asWkt()) for f in lyr.getFeatures()]
              for name, lyr in layers.items()}
    choose_layers(panel, layers)
    assert panel.run(synchronous=True) and panel.run_result is not None
    shown = comparable(panel.pieces_table)
    out = tmp_path / "saved.gpkg"
    assert panel.save_filled_gpkg(str(out)) == str(out)
    assert "in the Natural England template" in dock.last_message
    template, names = peek_defra_file(out)
    assert template == "natural_england"
    assert {"Red Line Boundary", "Habitats", "Hedgerows", "Rivers", "Urban Trees"} <= set(names)
    dfile = read_defra_file(out, "baseline")
    assert {p.module for p in dfile.parcels} == {"area", "hedgerow", "watercourse", "tree"}
    assert len(dfile.red_line.geoms) == 1
    filled = {items["Parcel Ref"]: items[SIG] for _, items, _ in rows(out, "Hedgerows")}
    assert {filled["H2-a"], filled["H2-b"]} == {HIGH_TEXT, LOW_TEXT}
    assert rows(out, "Urban Trees")[0][1][SIG] == "Within area formally identified in local strategy"
    # the saved file checked as a GeoPackage gives what the layers gave, and the layers are unchanged
    assert {name: [(f.id(), f.attributes(), f.geometry().asWkt()) for f in lyr.getFeatures()]
            for name, lyr in layers.items()} == before
    assert not any(lyr.isModified() for lyr in layers.values())
    run_file(dock, panel, out, packs["draft"])
    assert panel.input_group.source() == "geopackage" and panel.run_result.file.path == out
    again = comparable(panel.pieces_table)
    assert {ref: row["Significance"] for ref, row in again.items()} == \
        {ref: row["Significance"] for ref, row in shown.items()}


def test_layers_without_a_red_line_are_checked_and_the_run_says_so(dock, panel, example, packs, project, tmp_path):
    dock.set_pack_path(str(packs["draft"]))
    layers = survey_layers(with_tree(example))
    del layers["red"], layers["rivers"]
    choose_layers(panel, layers)
    messages = []
    dock.context.show_message = lambda text, *_a: messages.append(text)
    assert panel.run(synchronous=True) and panel.run_result is not None
    assert any("No red line layer was chosen" in m for m in messages)
    assert not any(i["Code"].endswith("OUTSIDE_REDLINE") or i["Code"] == "NO_REDLINE"
                   for i in table_rows(panel.issues_table))
    assert {r["Module"] for r in table_rows(panel.pieces_table)} == {"Area habitat", "Hedgerow", "Tree"}
    out = tmp_path / "no_red_line.gpkg"
    assert panel.save_filled_gpkg(str(out)) == str(out)
    assert rows(out, "Red Line Boundary") == [] and rows(out, "Rivers") == []  # every layer of the template
    assert panel.add_results_to_map()  # the same map layers as for a GeoPackage
    group = project.layerTreeRoot().children()[0]
    assert group.name() == "Parcel significance: Survey parcels (baseline)"
    assert [node.layer().name() for node in group.findLayers()] == [
        "Parcel issues", "Trees with strategic significance", "Hedgerows with strategic significance",
        "Area habitats with strategic significance"]
