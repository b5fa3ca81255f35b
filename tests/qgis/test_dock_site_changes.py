"""Results belong to the site that was checked: a new site stales them (and exports refuse them), the map goes to
the new site, and a new site starts with its own reference and no proposed habitat."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
from qgis.PyQt.QtWidgets import QApplication

_spec = importlib.util.spec_from_file_location("dock_fixtures", Path(__file__).with_name("test_dock.py"))
assert _spec is not None and _spec.loader is not None
_dock_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_dock_tests)
X, Y, click_check, site_geometry = _dock_tests.X, _dock_tests.Y, _dock_tests.click_check, _dock_tests.site_geometry
dock, pack = _dock_tests.dock, _dock_tests.pack  # the fixtures

BNG = QgsCoordinateReferenceSystem("EPSG:27700")


def _check_site_a(dock, pack):
    dock.set_pack_path(str(pack))
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), BNG)
    dock.site_panel.ref_edit.setText("A/1")
    click_check(dock)
    assert dock.results_panel.results and not dock.results_panel.stale


def test_a_new_site_stales_the_results_and_exports_refuse_them(dock, pack, tmp_path, qgis_iface):
    _check_site_a(dock, pack)
    panel = dock.results_panel
    QApplication.clipboard().setText("before")
    canvas = qgis_iface.mapCanvas()
    canvas.setExtent(QgsRectangle(0, 0, 10, 10))
    dock.site_panel.set_site_geometry(site_geometry(X + 3000, Y, X + 3100, Y + 100), BNG)
    assert panel.stale and panel.stale_label.isVisible() and not panel.stale_label.isHidden()
    assert "Stale" in panel.stale_label.text() and "A/1" in panel.stale_label.text()
    assert not panel.results_view.isEnabled() and not panel.override_button.isEnabled()
    shots = os.environ.get("LNRS_SHOTS")  # a folder: keep a picture of the stale results for the docs
    if shots:
        dock.tabs.setCurrentWidget(panel)
        dock.setFloating(True)
        dock.resize(470, 640)
        dock.show()  # laid out as on screen (a widget never shown is laid out only when grabbed)
        from qgis.PyQt.QtTest import QTest

        QTest.qWait(200)  # the message re-wraps to the new width, then the layout settles
        dock.grab().save(str(Path(shots) / "dock_stale_results.png"), "PNG")
    for export in (panel.export_json, panel.export_html, panel.export_pdf):
        out = tmp_path / "out.any"
        assert export(str(out)) == ""
        assert not out.exists()
        assert "stale" in dock.last_message and "Check the new site" in dock.last_message
    panel.copy_summary()
    assert QApplication.clipboard().text() == "before"
    # the map went to the new site (the canvas is in EPSG:3857: compare in the canvas's CRS)
    extent = canvas.extent()
    new_site = site_geometry(X + 3000, Y, X + 3100, Y + 100, canvas.mapSettings().destinationCrs().authid())
    assert extent.contains(new_site.boundingBox()) and extent.width() < 5000
    # checking the new site gives fresh results that export again
    click_check(dock)
    assert not panel.stale and panel.stale_label.isHidden() and panel.results_view.isEnabled()
    out = tmp_path / "b.json"
    assert panel.export_json(str(out)) == str(out)
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"] == "green"


def test_the_same_site_again_is_not_stale(dock, pack):
    _check_site_a(dock, pack)
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), BNG)
    assert not dock.results_panel.stale


def _one_site_file(tmp_path, name, properties):
    lon, lat = -2.43205, 51.33829
    ring = [[lon, lat], [lon + 0.0007, lat], [lon + 0.0007, lat + 0.00045], [lon, lat + 0.00045], [lon, lat]]
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}),
        encoding="utf-8")
    return str(path)


def test_a_new_site_brings_its_own_reference_and_no_proposed_habitat(dock, pack, tmp_path):
    panel = dock.site_panel
    _check_site_a(dock, pack)
    panel.habitat_combo.setEditText("Woodland and forest")
    panel.address_edit.setText("1 Old Street")
    assert panel.import_sites_file(_one_site_file(tmp_path, "b.geojson", {"name": "24/00777/HOU"}))
    assert panel.ref_edit.text() == "24/00777/HOU" and panel.address_edit.text() == ""
    assert panel.habitat_combo.currentText() == ""
    assert panel.screening_inputs()[1] is None
    # a file without a reference: the field is empty and the officer is asked for one
    panel.ref_edit.setText("24/00777/HOU")
    panel.habitat_combo.setEditText("Grassland")
    assert panel.import_sites_file(_one_site_file(tmp_path, "c.geojson", {}))
    assert panel.ref_edit.text() == "" and panel.habitat_combo.currentText() == ""
    assert "application reference" in dock.last_message
    # a drawn site too
    panel.ref_edit.setText("old/ref")
    panel.habitat_combo.setEditText("Grassland")
    panel.set_site_geometry(site_geometry(X, Y, X + 50, Y + 50), BNG)
    assert panel.ref_edit.text() == "" and panel.screening_inputs()[1] is None
    # checked without a typed reference, the result says which site it was, not the previous reference
    click_check(dock)
    assert dock.results_panel.results[0].site_ref == "Drawn site"
