"""The officer's panel, driven like a user: pack, site, Check, results, override, reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import pytest
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QFileDialog, QInputDialog

X, Y = 370000.0, 160000.0
HOSTILE = "<script>alert(1)</script>"


def wkt_box(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    from shapely.geometry import box

    path = tmp_path_factory.mktemp("pack") / "dock_pack.gpkg"

    def add(role, rows, geoms, mapping, fields, kind="polygon"):
        add_rows(path, map_rows(role, rows, geoms, mapping, role, fields, kind),
                 {"lnrs_name": f"Dock Test LNRS {HOSTILE}", "version": "3", "publication_date": "2025-06-30"})

    add("area", [{}], [box(X - 5000, Y - 5000, X + 5000, Y + 5000)], FieldMapping(), [])
    add("irreplaceable", [{"n": HOSTILE}], [box(X + 50, Y, X + 150, Y + 100)],
        FieldMapping(habitat_type="ancient_woodland", name_field="n"), ["n"])
    add("trees", [{"n": "Oak"}], [box(X + 1000, Y, X + 1001, Y + 1).centroid],
        FieldMapping(name_field="n"), ["n"], "point")
    add("designated", [{"n": "Moor"}], [box(X + 300, Y, X + 400, Y + 100)],
        FieldMapping(designation="SSSI", name_field="n"), ["n"])
    add("opportunity", [{"m": "wd001, fw012"}], [box(X, Y, X + 50, Y + 100)],
        FieldMapping(measures_field="m"), ["m"])
    add("measures", [{"c": "WD001", "t": "Woodland", "x": "Buffer and link ancient woods."},
                     {"c": "FW012", "t": "Freshwater", "x": "Restore river corridors."}], None,
        FieldMapping(code_field="c", theme_field="t", text_field="x"), ["c", "t", "x"])
    return path


@pytest.fixture()
def dock(qgis_app, qgis_iface, recording_iface):
    from lnrs_toolkit.plugin.gui.dock import LnrsDockWidget

    store = QgsSettings("lnrs_toolkit_tests", "dock")
    store.clear()
    QgsProject.instance().removeEntry("lnrs_toolkit", "overrides")  # officers' overrides kept by an earlier test
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    widget = LnrsDockWidget(recording_iface, recording_iface.window, settings_store=store)
    recording_iface.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, widget)
    widget.show()
    yield widget
    widget.close_down()
    widget.deleteLater()
    QCoreApplication.processEvents()


def site_geometry(x0, y0, x1, y1, crs="EPSG:27700"):
    from qgis.core import QgsCoordinateTransform

    g = QgsGeometry.fromWkt(wkt_box(x0, y0, x1, y1))
    if crs != "EPSG:27700":
        g.transform(QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                           QgsCoordinateReferenceSystem(crs), QgsProject.instance()))
    return g


def wait_for_task(dock, timeout=30.0):
    end = time.monotonic() + timeout
    while dock.site_panel.task is not None and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert dock.site_panel.task is None, "the screening task did not finish"


def click_check(dock):
    QTest.mouseClick(dock.site_panel.check_button, Qt.MouseButton.LeftButton)
    wait_for_task(dock)


def test_pack_info_shows_name_version_date_and_hash(dock, pack):
    assert dock.set_pack_path(str(pack))
    text = dock.pack_chooser.pack_info.text()
    sha = dock.index.pack.metadata.content_sha256
    assert "Dock Test LNRS &lt;script&gt;" in text and "<script>" not in text
    assert "version 3" in text and "2025-06-30" in text
    assert sha[:12] in text and sha[12:20] not in text
    assert sha in dock.pack_chooser.pack_info.toolTip()
    assert str(pack) in dock.pack_chooser.pack_info.toolTip()
    assert dock.settings.recent_packs[0] == str(pack)


def test_tabs_follow_the_pack_chosen_above_them(dock, pack, tmp_path):
    emitted = []
    dock.pack_changed.connect(lambda: emitted.append(dock.pack_path))
    dock.tabs.setCurrentWidget(dock.parcels_panel)  # Versions and Edit map stay hidden: no showEvent reaches them
    assert dock.set_pack_path(str(pack))
    assert emitted == [str(pack)]
    assert dock.versions_panel.source == str(pack)
    assert dock.versions_panel._shown_for is not None and dock.versions_panel._shown_for[0] == str(pack)
    assert dock.parcels_panel.run_button.isEnabled() or not dock.parcels_panel.gpkg_path
    assert "Rule: metric Table" in dock.parcels_panel.rule_label.text()
    assert dock.refresh_pack()
    assert emitted == [str(pack), str(pack)]
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"not a geopackage" * 20)
    assert not dock.set_pack_path(str(bad))
    assert len(emitted) == 2  # a pack that fails to load changes nothing


def test_bad_pack_gives_a_sentence(dock, tmp_path):
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"not a geopackage" * 20)
    assert not dock.set_pack_path(str(bad))
    assert dock.last_message.startswith("The habitat map could not be loaded:")
    assert "Traceback" not in dock.last_message
    assert dock.index is None


def test_check_without_pack_or_site_says_what_to_do(dock, pack):
    dock.site_panel.check()
    assert "Choose a Local Habitat Map pack" in dock.last_message
    dock.set_pack_path(str(pack))
    dock.site_panel.check()
    assert "Give a site first" in dock.last_message


def test_drawn_site_is_checked_and_results_shown(dock, pack):
    dock.set_pack_path(str(pack))
    # what the map tool emits: a polygon in the canvas CRS (here Web Mercator)
    assert dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100, "EPSG:3857"),
                                  QgsCoordinateReferenceSystem("EPSG:3857"))
    dock.site_panel.ref_edit.setText("24/0001/FUL")
    dock.site_panel.habitat_combo.setEditText("Woodland and forest")
    click_check(dock)
    view = dock.results_panel.results_view
    assert view.result is not None and view.result.site_ref == "24/0001/FUL"
    assert view.banner.text().startswith("<b>RED</b>")
    assert "#c62828" in view.banner.styleSheet()
    sections = view.section_items()
    assert sections["irreplaceable"].text(1) == "found"
    assert sections["designated_sites"].text(1) == "found"
    assert sections["opportunity"].text(1).startswith("High")
    measures = [sections["opportunity"].child(i).text(0) for i in range(sections["opportunity"].childCount())]
    assert any(m.startswith("WD001") and "Buffer and link ancient woods." in m for m in measures)
    assert not dock.results_panel.summary_table.isVisible()
    # clicking a finding zooms to it and flashes it (no error)
    item = view.finding_items()[0]
    view.tree.setCurrentItem(item)
    view._on_clicked(item)
    assert "&lt;script&gt;" in view.detail.toHtml() or HOSTILE not in view.detail.toHtml()


def test_a_site_outside_the_map_is_not_screened_and_grey(dock, pack, tmp_path):
    dock.set_pack_path(str(pack))
    assert dock.site_panel.set_site_geometry(site_geometry(X + 9000, Y, X + 9100, Y + 100),
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
    dock.site_panel.ref_edit.setText("FAR/1")
    click_check(dock)
    view = dock.results_panel.results_view
    assert view.result.verdict == "not_screened"
    assert view.banner.text().startswith("<b>NOT SCREENED</b>")
    assert "#616161" in view.banner.styleSheet()
    assert "outside the strategy area" in view.banner.text()
    sections = view.section_items()
    assert {sections[k].text(1) for k in ("irreplaceable", "designated_sites", "opportunity")} == {"not checked"}
    out = tmp_path / "far.pdf"
    assert dock.results_panel.export_pdf(str(out)) == str(out), dock.last_message
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Verdict: NOT SCREENED" in text and "clear" not in text


def test_bad_proposed_habitat_is_reported(dock, pack):
    dock.set_pack_path(str(pack))
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), QgsCoordinateReferenceSystem("EPSG:27700"))
    dock.site_panel.habitat_combo.setEditText("Moon rock")
    click_check(dock)
    assert dock.last_message.startswith("The check could not run:")
    assert "not a habitat of the statutory" in dock.last_message


def _polygon_layer(boxes, crs="EPSG:27700"):
    layer = QgsVectorLayer(f"Polygon?crs={crs}&field=app:string", "applications", "memory")
    feats = []
    for ref, b in boxes:
        f = QgsFeature(layer.fields())
        f.setAttributes([ref])
        f.setGeometry(site_geometry(*b))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.setDisplayExpression('"app"')
    QgsProject.instance().addMapLayer(layer, False)
    return layer


def test_selected_features_make_a_batch_with_a_summary_table(dock, pack, qgis_iface):
    dock.set_pack_path(str(pack))
    layer = _polygon_layer([("A/1", (X, Y, X + 100, Y + 100)), ("A/2", (X + 3000, Y, X + 3100, Y + 100)),
                            ("A/3", (X - 9000, Y, X - 8900, Y + 100))])
    layer.selectAll()
    qgis_iface.setActiveLayer(layer)
    assert dock.site_panel.use_selected_features()
    click_check(dock)
    table = dock.results_panel.summary_table
    assert table.isVisibleTo(dock) and table.rowCount() == 3
    rows = [[table.item(r, c).text() for c in range(4)] for r in range(3)]
    assert rows[0][:2] == ["A/1", "RED"] and "FW012" in rows[0][3]
    assert rows[1][:2] == ["A/2", "GREEN"]
    assert rows[2][0] == "A/3" and rows[2][1] == "NOT SCREENED"  # wholly outside the strategy area
    table.setCurrentCell(1, 0)
    assert dock.results_panel.results_view.result.site_ref == "A/2"


def test_selected_features_need_a_polygon_layer_and_a_selection(dock, pack, qgis_iface):
    layer = _polygon_layer([("A/1", (X, Y, X + 100, Y + 100))])
    qgis_iface.setActiveLayer(layer)
    assert not dock.site_panel.use_selected_features()
    assert "No features are selected" in dock.last_message


def test_cancelling_a_running_batch_keeps_nothing(dock, pack):
    from lnrs_toolkit.plugin.gui.site_sources import Site
    from shapely.geometry import box

    dock.set_pack_path(str(pack))
    dock.site_panel.set_sites([Site(str(i), box(X + (i % 100) * 20, Y + (i // 100) * 20, X + (i % 100) * 20 + 15,
                                     Y + (i // 100) * 20 + 15)) for i in range(6000)])
    QTest.mouseClick(dock.site_panel.check_button, Qt.MouseButton.LeftButton)
    assert dock.site_panel.task is not None and dock.site_panel.cancel_button.isEnabled()
    QTest.mouseClick(dock.site_panel.cancel_button, Qt.MouseButton.LeftButton)
    wait_for_task(dock)
    assert dock.results_panel.results == []
    assert "cancelled" in dock.last_message
    assert dock.site_panel.check_button.isEnabled() and not dock.site_panel.cancel_button.isEnabled()


@pytest.fixture()
def checked(dock, pack):
    dock.set_pack_path(str(pack))
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), QgsCoordinateReferenceSystem("EPSG:27700"))
    dock.site_panel.ref_edit.setText(f"ref {HOSTILE}")
    click_check(dock)
    return dock


def test_override_needs_a_reason_and_is_kept(checked, monkeypatch):
    dock = checked
    dock.site_panel.officer_edit.setText("A.  Officer")
    dock.site_panel.officer_edit.editingFinished.emit()
    assert dock.settings.officer_name == "A. Officer"
    view = dock.results_panel.results_view
    item = view.finding_items()[0]
    view.tree.setCurrentItem(item)
    assert dock.results_panel.override_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("   ", True)))
    QTest.mouseClick(dock.results_panel.override_button, Qt.MouseButton.LeftButton)
    assert dock.results_panel.overrides == [] and "reason is required" in dock.last_message
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Wood was felled in 1950", True)))
    QTest.mouseClick(dock.results_panel.override_button, Qt.MouseButton.LeftButton)
    [ov] = dock.results_panel.overrides
    assert ov.why == "Wood was felled in 1950" and ov.who == "A. Officer" and ov.when[:2] == "20"
    assert view.finding_items()[0].text(1) == "not applicable"
    assert "<script>" not in view.finding_items()[0].toolTip(0)
    assert HOSTILE not in dock.message_bar.currentItem().text()
    assert dock.results_panel.results_view.result.verdict == "red"  # the engine's verdict is kept
    QTest.mouseClick(dock.results_panel.copy_button, Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    assert "Verdict: RED" in text and "Wood was felled in 1950" in text


def test_export_json_and_html(checked, tmp_path, monkeypatch):
    dock = checked
    view = dock.results_panel.results_view
    view.tree.setCurrentItem(view.finding_items()[0])
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (f"reason {HOSTILE}", True)))
    dock.results_panel.override_current_finding()
    out_json = tmp_path / "r.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out_json), "")))
    QTest.mouseClick(dock.results_panel.json_button, Qt.MouseButton.LeftButton)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["verdict"] == "red" and data["overrides"][0]["why"] == f"reason {HOSTILE}"
    out_html = tmp_path / "r.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "r"), "")))
    QTest.mouseClick(dock.results_panel.html_button, Qt.MouseButton.LeftButton)
    html = out_html.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Verdict: RED" in html


def test_export_pdf(checked, tmp_path):
    dock = checked
    out = tmp_path / "report.pdf"
    assert dock.results_panel.export_pdf(str(out)) == str(out), dock.last_message
    assert out.read_bytes()[:4] == b"%PDF"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Dock Test LNRS" in text
        assert dock.index.pack.metadata.content_sha256[:12] in text
        assert "WD001" in text


def test_keyboard_mnemonics_and_tab_order(dock):
    site, results = dock.site_panel, dock.results_panel
    for button in (site.draw_button, site.selected_button, site.check_button, results.copy_button,
                   results.json_button, results.html_button, results.pdf_button, results.override_button):
        assert "&" in button.text()
    chain, widget = [], site.draw_button
    for _ in range(500):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is site.draw_button:
            break
    order = [site.draw_button, site.selected_button, site.ref_edit, site.habitat_combo, site.distance_spin,
             site.officer_edit, site.check_button, site.cancel_button, results.override_button, results.copy_button,
             results.json_button, results.html_button, results.pdf_button]
    positions = [chain.index(w) for w in order]
    assert positions == sorted(positions)


def test_task_is_registered_with_the_task_manager(dock, pack):
    from lnrs_toolkit.plugin.gui.site_sources import Site
    from shapely.geometry import box

    dock.set_pack_path(str(pack))
    dock.site_panel.set_sites([Site(str(i), box(X + i, Y, X + i + 10, Y + 10)) for i in range(3000)])
    dock.site_panel.check()
    assert dock.site_panel.task in QgsApplication.taskManager().tasks()
    wait_for_task(dock)
    assert len(dock.results_panel.results) == 3000


def test_map_tool_draws_with_backspace_escape_and_right_click(dock, pack, qgis_iface):
    from qgis.core import QgsPointXY
    from qgis.PyQt.QtCore import QEvent
    from qgis.PyQt.QtGui import QKeyEvent

    dock.set_pack_path(str(pack))
    canvas = qgis_iface.mapCanvas()
    QTest.mouseClick(dock.site_panel.draw_button, Qt.MouseButton.LeftButton)
    tool = dock.site_panel._map_tool
    assert tool is not None and canvas.mapTool() is tool
    g = site_geometry(X, Y, X + 100, Y + 100, "EPSG:3857").asPolygon()[0]

    def key(k):
        tool.keyPressEvent(QKeyEvent(QEvent.Type.KeyPress, k, Qt.KeyboardModifier.NoModifier))

    for p in g[:4]:
        tool.add_point(QgsPointXY(p))
    tool.add_point(QgsPointXY(g[0].x() + 5000, g[0].y() + 5000))  # a wrong corner ...
    key(Qt.Key.Key_Backspace)  # ... taken back
    assert len(tool.points) == 4
    key(Qt.Key.Key_Escape)
    assert tool.points == [] and not dock.site_panel.draw_button.isChecked()
    QTest.mouseClick(dock.site_panel.draw_button, Qt.MouseButton.LeftButton)
    for p in g[:4]:
        tool.add_point(QgsPointXY(p))
    tool.finish()  # what a right click does
    assert not dock.site_panel.draw_button.isChecked()
    assert len(dock.site_panel.sites) == 1
    assert dock.site_panel.sites[0].geometry.area == pytest.approx(10000.0, rel=1e-3)
    dock.site_panel.check(synchronous=True)
    assert dock.results_panel.results_view.result.verdict == "red"


def test_clicking_a_finding_zooms_the_canvas_to_it(checked, qgis_iface):
    from qgis.core import QgsCoordinateTransform, QgsRectangle

    dock = checked
    canvas = qgis_iface.mapCanvas()
    canvas.resize(600, 400)
    canvas.setExtent(QgsRectangle(0, 0, 10, 10))
    view = dock.results_panel.results_view
    item = view.finding_items()[-1]  # the SSSI, 200 m away
    view.tree.setCurrentItem(item)
    QTest.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.tree.visualItemRect(item).center())
    to_pack = QgsCoordinateTransform(canvas.mapSettings().destinationCrs(),
                                     QgsCoordinateReferenceSystem("EPSG:27700"), QgsProject.instance())
    extent = to_pack.transformBoundingBox(canvas.extent())
    assert extent.contains(QgsRectangle(X + 300, Y, X + 400, Y + 100))


def test_demo_pack_is_preselected_the_first_time(qgis_app, qgis_iface, recording_iface):
    from lnrs_toolkit.plugin.gui.dock import LnrsDockWidget
    from lnrs_toolkit.plugin.gui.pack_chooser import DEMO_PACK

    if not DEMO_PACK.is_file():
        pytest.skip("no bundled demo pack")
    store = QgsSettings("lnrs_toolkit_tests", "dock_first")
    store.clear()
    widget = LnrsDockWidget(recording_iface, recording_iface.window, settings_store=store)
    try:
        assert widget.pack_chooser.pack_file.filePath() == str(DEMO_PACK)
        widget.show()
        end = time.monotonic() + 30
        while widget.index is None and time.monotonic() < end:
            QCoreApplication.processEvents()
        assert widget.index is not None
        assert widget.index.pack.metadata.version in widget.pack_chooser.pack_info.text()
        assert _last_pack(store) == str(DEMO_PACK)
    finally:
        widget.close_down()
        widget.deleteLater()


def _last_pack(store):
    from lnrs_toolkit.plugin.settings import PluginSettings

    return PluginSettings.load(store).last_pack


def test_unusable_selected_site_is_listed_as_not_screened(dock, pack, qgis_iface):
    dock.set_pack_path(str(pack))
    layer = QgsVectorLayer("Polygon?crs=EPSG:27700&field=app:string", "apps", "memory")
    feats = []
    for ref, wkt in (("OK", wkt_box(X, Y, X + 100, Y + 100)), ("FLAT", f"POLYGON(({X} {Y},{X + 10} {Y},{X} {Y}))")):
        f = QgsFeature(layer.fields())
        f.setAttributes([ref])
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    layer.setDisplayExpression('"app"')
    QgsProject.instance().addMapLayer(layer, False)
    layer.selectAll()
    qgis_iface.setActiveLayer(layer)
    assert dock.site_panel.use_selected_features()
    dock.site_panel.check(synchronous=True)
    table = dock.results_panel.summary_table
    assert table.rowCount() == 2
    assert table.item(1, 0).text() == "FLAT" and table.item(1, 1).text() == "could not be screened"
    table.setCurrentCell(1, 0)
    assert "could not be screened" in dock.results_panel.results_view.banner.text()


def test_batch_pdf_has_a_page_per_site(dock, pack, qgis_iface, tmp_path):
    dock.set_pack_path(str(pack))
    layer = _polygon_layer([("B/1", (X, Y, X + 100, Y + 100)), ("B/2", (X + 3000, Y, X + 3100, Y + 100))])
    layer.selectAll()
    qgis_iface.setActiveLayer(layer)
    assert dock.site_panel.use_selected_features()
    dock.site_panel.check(synchronous=True)
    dock.results_panel.summary_table.setCurrentCell(1, 0)
    out = tmp_path / "batch.pdf"
    assert dock.results_panel.export_pdf(str(out)) == str(out), dock.last_message
    assert out.read_bytes()[:4] == b"%PDF"
    if shutil.which("pdfinfo") and shutil.which("pdftotext"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert text.count("Page 1 of ") == 2 and pages >= 2  # each site's report starts on its own page
        first = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                               text=True, check=True).stdout
        assert "site B/2" in first and "Verdict: GREEN" in first  # the site shown comes first
    assert [p.name for p in tmp_path.iterdir()] == ["batch.pdf"]


def test_import_sites_from_files(dock, tmp_path, monkeypatch):
    lon, lat = -2.43205, 51.33829
    ring = [[lon, lat], [lon + 0.0007, lat], [lon + 0.0007, lat + 0.00045], [lon, lat + 0.00045], [lon, lat]]
    geojson = tmp_path / "sites.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ref": "F1"}, "geometry": {"type": "Polygon", "coordinates": [ring]}},
        {"type": "Feature", "properties": {"ref": "F2"}, "geometry": {"type": "Polygon", "coordinates": [ring]}},
    ]}), encoding="utf-8")
    assert dock.site_panel.import_sites_file(str(geojson))
    assert len(dock.site_panel.sites) == 2
    areas = [s.geometry.area for s in dock.site_panel.sites]
    assert all(1500 < a < 4000 for a in areas), areas  # about 49 m x 50 m, now in EPSG:27700

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(geojson), "")))
    dock.site_panel.sites = []
    dock.site_panel.import_button.click()
    assert len(dock.site_panel.sites) == 2

    unnamed = tmp_path / "unnamed.geojson"  # no reference field: numbered from 1, as in every front
    unnamed.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}] * 2}),
        encoding="utf-8")
    assert dock.site_panel.import_sites_file(str(unnamed))
    assert [s.ref for s in dock.site_panel.sites] == ["1", "2"]

    points = tmp_path / "points.geojson"
    points.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [lon, lat]}}]}))
    assert not dock.site_panel.import_sites_file(str(points))
    assert not dock.site_panel.import_sites_file(str(tmp_path / "missing.geojson"))


def test_import_an_open_digital_planning_application(dock, tmp_path):
    from pathlib import Path

    example = Path(__file__).parents[1] / "data" / "odp_fullHouseholder_submission.json"
    assert dock.site_panel.import_sites_file(str(example))
    [site] = dock.site_panel.sites
    assert site.ref == "ABC-123-XYZ" and site.address == "40, STANSFIELD ROAD, LONDON, SW9 9RZ"
    assert dock.site_panel.ref_edit.text() == "ABC-123-XYZ"
    # the red line in EPSG:27700: 126.35 m² (the ellipsoidal area times the grid's areal scale there)
    assert abs(site.geometry.area - 126.346) < 0.05
    x, y = site.geometry.centroid.coords[0]
    assert abs(x - 530790) < 20 and abs(y - 175754) < 20  # beside the address point PlanX gives (530787, 175754)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"data": {"property": {"boundary": {"site": {
        "type": "Feature", "properties": None, "geometry": {"type": "Point", "coordinates": [-0.1, 51.4]}}}}}}),
        encoding="utf-8")
    assert not dock.site_panel.import_sites_file(str(bad))
    assert "not a polygon" in dock.last_message


def test_a_london_application_against_the_demo_map_is_not_screened(dock):
    """The Open Digital Planning example (London) checked against the demo map (Bath): NOT SCREENED in grey, every
    check not checked, the reason said; with LNRS_SHOTS set, docs/dock_not_screened.png is taken."""
    import os
    from pathlib import Path

    from lnrs_toolkit.plugin.gui.pack_chooser import DEMO_PACK

    assert dock.set_pack_path(str(DEMO_PACK))
    assert dock.site_panel.import_sites_file(str(Path(__file__).parents[1] / "data" /
                                                 "odp_fullHouseholder_submission.json"))
    click_check(dock)
    [result] = dock.results_panel.results
    assert result.verdict == "not_screened" and result.site_ref == "ABC-123-XYZ"
    assert "NOT SCREENED" in dock.results_panel.results_view.banner.text()
    assert "outside the strategy area" in " ".join(result.reasons)
    shots = os.environ.get("LNRS_SHOTS")
    if shots:
        from qgis.PyQt.QtTest import QTest

        dock.tabs.setCurrentWidget(dock.results_panel)
        dock.context.clear_messages()
        font = dock.font()
        font.setPointSizeF(10.0)  # QGIS desktop's default size (the offscreen test platform's is larger)
        dock.setFont(font)
        dock.setFloating(True)
        dock.resize(470, 640)
        dock.show()
        QTest.qWait(200)
        assert dock.grab().save(str(Path(shots) / "dock_not_screened.png"), "PNG")


def test_add_pack_layers_to_the_project(dock, pack):
    from qgis.core import QgsProject

    assert not dock.pack_chooser.add_layers_button.isEnabled()
    assert dock.set_pack_path(str(pack))
    assert dock.pack_chooser.add_layers_button.isEnabled()
    dock.pack_chooser.add_layers_button.click()
    root = QgsProject.instance().layerTreeRoot()
    names = [g.name() for g in root.children()]
    assert any(dock.index.ref.name in n for n in names)
    QgsProject.instance().clear()


# ---------------------------------------------------------------- large packs: first answer before the whole map
def wait_for_load(dock, timeout=30.0):
    end = time.monotonic() + timeout
    while dock.pack_chooser.load_task is not None and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert dock.pack_chooser.load_task is None, "the whole-map load did not finish"


@pytest.fixture()
def large(monkeypatch):
    from lnrs_toolkit.plugin.gui import dock_context, pack_chooser

    monkeypatch.setattr(pack_chooser, "BACKGROUND_FROM_BYTES", 0)  # every pack counts as large
    dock_context.PACKS.invalidate()


def test_first_answer_comes_before_the_whole_map_and_equals_it(large, dock, pack):
    assert dock.set_pack_path(str(pack))
    chooser = dock.pack_chooser
    assert dock.context.windowed is not None
    assert chooser.load_task is not None and chooser.load_task in QgsApplication.taskManager().tasks()
    assert "loading the whole map" in chooser.pack_info.text()
    assert "Dock Test LNRS &lt;script&gt;" in chooser.pack_info.text()
    # checked now, from the R-tree (the whole map may still be loading)
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), QgsCoordinateReferenceSystem("EPSG:27700"))
    dock.site_panel.ref_edit.setText("first")
    click_check(dock)
    first = dock.results_panel.results_view.result
    assert first is not None and first.verdict == "red"
    wait_for_load(dock)
    assert dock.context.index is not None and dock.context.windowed is None
    assert "loading the whole map" not in chooser.pack_info.text()
    assert len(dock.results_panel.results) == 1  # a reload of the same pack keeps the results on show
    click_check(dock)
    again = dock.results_panel.results_view.result
    assert again.to_dict() == first.to_dict()


def test_clicking_a_finding_works_before_the_whole_map_is_loaded(large, dock, pack, monkeypatch):
    from lnrs_toolkit.plugin.gui import pack_chooser

    started = []
    monkeypatch.setattr(pack_chooser, "start_task", lambda task, synchronous: started.append(task))  # never runs
    assert dock.set_pack_path(str(pack))
    assert started and dock.context.index is None
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), QgsCoordinateReferenceSystem("EPSG:27700"))
    click_check(dock)
    view = dock.results_panel.results_view
    finding = view.result.designated_sites[0]
    assert dock.results_panel._features_index(view.result) is not None
    dock.results_panel.show_finding(finding)
    assert "not in the loaded habitat map" not in dock.context.last_message
    # another pack chosen meanwhile: the old load's answer is dropped
    dock.pack_chooser.load_task = None
    monkeypatch.setattr(pack_chooser, "BACKGROUND_FROM_BYTES", 10**12)
    assert dock.set_pack_path(str(pack))
    assert dock.context.index is not None and dock.context.windowed is None
    started[0].finished(False)  # the abandoned load ends: nothing changes
    assert dock.context.index is not None


def test_a_wgs84_site_drawn_in_the_dock_says_it_went_through_ostn15(dock, pack):
    """The dock's results carry the transformation and the site as screened, as the other fronts' do."""
    dock.set_pack_path(str(pack))
    assert dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100, "EPSG:4326"),
                                             QgsCoordinateReferenceSystem("EPSG:4326"))
    dock.site_panel.ref_edit.setText("wgs84")
    click_check(dock)
    result = dock.results_panel.results_view.result
    assert result.transform is not None and result.transform.source_crs == "EPSG:4326"
    assert result.transform.grid, result.transform
    assert not any(n.startswith("Warning: the site was moved") for n in result.notes)
    payload = result.to_dict()
    assert payload["transform"]["grid"] is True and payload["site_geometry"]["type"] in ("Polygon", "MultiPolygon")
