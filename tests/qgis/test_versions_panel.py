"""The dock's Versions tab, driven like a user: Publish…, the versions list, Compare… with screened sites."""

from __future__ import annotations

import time

import pytest
from lnrs_toolkit.plugin.adapters.pack_source import publish_pack_to_postgis
from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw, read_pack
from lnrs_toolkit.tests.unit.version_packs import (
    EXPECTED_CHANGES,
    EXPECTED_SITE_CHANGES,
    SCREENED_SITES,
    build_v1_pack,
    edit_gpkg_for_v2,
    refresh_hash,
)
from qgis.core import QgsCoordinateReferenceSystem, QgsFeature, QgsGeometry, QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QInputDialog


@pytest.fixture()
def dock(qgis_app, qgis_iface, recording_iface):
    from lnrs_toolkit.plugin.gui.dock import LnrsDockWidget

    store = QgsSettings("lnrs_toolkit_tests", "versions_panel")
    store.clear()
    store.setValue("lnrs_toolkit/last_pack", "none")  # no demo pack at start
    widget = LnrsDockWidget(recording_iface, recording_iface.window, settings_store=store)
    widget.settings.officer_name = "Ann Editor"
    recording_iface.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, widget)
    widget.show()
    yield widget
    widget.close_down()
    widget.deleteLater()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()
    QCoreApplication.processEvents()


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "lhm.gpkg"
    build_v1_pack(path)
    return path


def versions_tab(dock):
    tabs = dock.tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert "&Versions" in titles
    tabs.setCurrentIndex(titles.index("&Versions"))
    QCoreApplication.processEvents()
    return dock.versions_panel


def answer_note(monkeypatch, text, ok=True):
    monkeypatch.setattr(QInputDialog, "getMultiLineText", staticmethod(lambda *a, **k: (text, ok)))


def table_rows(panel):
    t = panel.versions_table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def screened_layer():
    layer = QgsVectorLayer("Polygon?crs=EPSG:27700&field=site_ref:string", "screened sites", "memory")
    feats = []
    for ref, geom in SCREENED_SITES.items():
        f = QgsFeature(layer.fields())
        f.setAttributes([ref])
        f.setGeometry(QgsGeometry.fromWkt(geom.wkt))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    return layer


def layer_changes(layer):
    return {f["pack_fid"]: (f["change"], tuple(filter(None, f["codes_added"].split(";"))),
                            tuple(filter(None, f["codes_removed"].split(";"))), bool(f["geom_changed"]),
                            round(f["area_diff_m2"], 6)) for f in layer.getFeatures()}


def layer_sites(layer):
    def codes(text):
        return tuple(filter(None, (text or "").split(";")))

    return {f["site_ref"]: (tuple(f["changed"].split(", ")), (f["old_verdict"], f["new_verdict"]),
                            (f["old_category"], f["new_category"]), (codes(f["old_codes"]), codes(f["new_codes"])))
            for f in layer.getFeatures()}


def test_publish_list_and_refusals(dock, pack, monkeypatch):
    assert dock.set_pack_path(str(pack))
    panel = versions_tab(dock)
    assert table_rows(panel) == []
    assert "version 1" in panel.state_label.text()
    assert panel.publish_button.isEnabled() and not panel.compare_button.isEnabled()

    answer_note(monkeypatch, "First publication <b>")
    assert panel.publish(synchronous=True)
    rows = table_rows(panel)
    assert len(rows) == 1
    sha = read_pack(pack).metadata.content_sha256
    assert rows[0][0] == "2" and rows[0][2] == sha[:12] + "\u2026" and rows[0][3:] == ["Ann Editor",
                                                                                      "First publication <b>"]
    assert panel.versions_table.item(0, 2).toolTip().find(sha) >= 0
    assert dock.index.pack.metadata.version == "2"  # the dock reloaded the pack: screening cites version 2
    assert "version 2" in dock.pack_chooser.pack_info.text() and "version 2, published" in panel.state_label.text()
    assert panel.compare_button.isEnabled()

    before = pack.read_bytes()
    answer_note(monkeypatch, "again")
    panel.publish(synchronous=True)
    assert "Nothing has changed since version 2 was published" in dock.last_message
    answer_note(monkeypatch, "   ")
    assert not panel.publish(synchronous=True)
    assert "Give a note" in dock.last_message
    answer_note(monkeypatch, "cancelled", ok=False)
    assert not panel.publish(synchronous=True)
    assert pack.read_bytes() == before and len(table_rows(panel)) == 1


def test_compare_two_versions_with_screened_sites(dock, pack, monkeypatch):
    assert dock.set_pack_path(str(pack))
    panel = versions_tab(dock)
    panel.publish("First publication", synchronous=True)
    edit_gpkg_for_v2(pack)
    assert dock.refresh_pack()
    panel.refresh()
    assert "unpublished edits since version 2" in panel.state_label.text()
    panel.publish("Review: woodland and grassland", synchronous=True)
    assert [r[0] for r in table_rows(panel)] == ["3", "2"]

    panel.from_combo.setCurrentIndex(panel.from_combo.findData(2))
    panel.to_combo.setCurrentIndex(panel.to_combo.findData(3))
    sites = screened_layer()
    panel.sites_combo.setLayer(sites)
    assert panel.compare(synchronous=True)
    comparison = panel.comparison
    assert comparison is not None and (comparison.from_label, comparison.to_label) == ("version 2", "version 3")
    changes_layer, sites_out = panel.added_layers[1], panel.added_layers[0]
    assert layer_changes(changes_layer) == EXPECTED_CHANGES
    assert layer_sites(sites_out) == EXPECTED_SITE_CHANGES
    root = QgsProject.instance().layerTreeRoot()
    group = root.findGroup("Changes version 2 \u2192 version 3")
    assert group is not None and len(group.findLayers()) == 2
    text = panel.summary.toPlainText()
    assert "matched by their feature id (fid)" in text
    assert "1 added, 1 removed, 2 changed, 0 unchanged opportunity area(s)" in text
    assert "4 would change" in text
    assert "1 added, 1 removed, 2 changed" in dock.last_message

    panel.to_combo.setCurrentIndex(panel.to_combo.findData(2))
    assert panel.compare(synchronous=True)
    assert "Choose two different versions" in dock.last_message


def test_screening_after_publishing_cites_the_version_and_unpublished_edits(dock, pack):
    assert dock.set_pack_path(str(pack))
    panel = versions_tab(dock)
    panel.publish("First publication", synchronous=True)
    site = QgsGeometry.fromWkt(SCREENED_SITES["S-A"].wkt)
    assert dock.site_panel.set_site_geometry(site, QgsCoordinateReferenceSystem("EPSG:27700"))
    dock.site_panel.check(synchronous=True)
    assert dock.results_panel.results[0].habitat_map.version == "2"
    report = dock.results_panel.report_text()
    assert "version 2 (published " in report and "unpublished" not in report
    conn = connect_rw(pack)
    conn.execute("UPDATE opportunity_areas SET measures = 'WD001' WHERE fid = 1")
    refresh_hash(conn, pack)
    conn.close()
    assert dock.refresh_pack()
    assert dock.results_panel.results, "reloading the pack keeps the results on show"
    dock.site_panel.check(synchronous=True)
    assert "unpublished edits since version 2" in dock.results_panel.report_text()
    panel.refresh()
    panel.to_combo.setCurrentIndex(0)  # the current state
    panel.compare(synchronous=True)
    assert panel.comparison.to_label == "current state (unpublished edits since version 2)"
    assert [c.fid for c in panel.comparison.changes] == [1]


def test_compare_in_the_background(dock, pack):
    assert dock.set_pack_path(str(pack))
    panel = versions_tab(dock)
    panel.publish("First", synchronous=True)
    edit_gpkg_for_v2(pack)
    dock.refresh_pack()
    panel.refresh()
    assert panel.compare()
    assert not panel.compare_button.isEnabled() and panel.cancel_button.isEnabled()
    deadline = time.monotonic() + 60
    while panel.task is not None and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert panel.task is None
    assert panel.comparison is not None and panel.comparison.to_label.startswith("current state")
    assert {c.fid for c in panel.comparison.changes} == set(EXPECTED_CHANGES)
    assert panel.compare_button.isEnabled()


def test_without_a_pack_the_tab_says_what_to_do(dock):
    panel = versions_tab(dock)
    assert "Load a Local Habitat Map pack" in panel.state_label.text()
    assert not panel.publish_button.isEnabled() and not panel.compare_button.isEnabled()
    assert not panel.publish("x", synchronous=True)
    assert "Load a Local Habitat Map pack first" in dock.last_message


@pytest.mark.postgis
def test_publish_and_compare_a_postgis_pack(dock, connection, tmp_path):
    gpkg = tmp_path / "lhm.gpkg"
    build_v1_pack(gpkg)
    publish_pack_to_postgis(gpkg, connection, "panel_versions")
    assert dock.set_pack_path(f"postgis:{connection}/panel_versions")
    panel = versions_tab(dock)
    panel.publish("First publication", synchronous=True)
    assert [r[0] for r in table_rows(panel)] == ["2"]
    assert dock.index.pack.metadata.version == "2"
    panel.compare(synchronous=True)
    assert panel.comparison is not None and panel.comparison.identical
    assert "No differences between version 2 and version 2." in panel.summary.toPlainText()
