"""History you can restore, in the dock (issue 20): from the audit trail, an area's states (audit rows, published
versions) are listed, shown on the map as a temporary layer and restored as an audited, validated check-in."""

from __future__ import annotations

import os
import sqlite3

import pytest
import shapely
from lnrs_toolkit.plugin.core.versions.publish import publish_version
from lnrs_toolkit.tests.qgis import test_editing_panel as editing
from lnrs_toolkit.tests.qgis.test_editing_panel import (
    Recorder,
    close_dock,
    feature_by_pack_fid,
    geometry,
    make_dock,
    pack_rows,
    set_measures,
)
from lnrs_toolkit.tests.unit.edit_packs import AREA_GEOMS, X0, Y0
from qgis.core import QgsProject

# the Edit map tab's fixtures: a small pack, the dock on it, its panel and the dialogs' recorded answers
pack, answers, dock, panel = editing.pack, editing.answers, editing.dock, editing.panel
WIDER = shapely.box(X0, Y0, X0 + 450, Y0 + 300)


def widen_and_recode(panel, layer_fid=1):
    layer = panel.layer
    feature = feature_by_pack_fid(layer, layer_fid)
    assert layer.changeGeometry(feature.id(), geometry(WIDER))
    set_measures(layer, layer_fid, "{GR002}")
    assert panel.save_to_map()


def open_history_from_audit(panel, row=0):
    from lnrs_toolkit.plugin.gui.history_dialog import HistoryDialog

    audit = panel.show_audit_trail()
    audit.table.selectRow(row)
    assert audit.history_button is not None and audit.chosen_fid() == 1
    audit.history_button.click()
    dialogs = panel.findChildren(HistoryDialog)
    assert dialogs, "the history dialog opened"
    return audit, dialogs[-1]


def stored_geometry(pack, fid):
    conn = sqlite3.connect(pack)
    try:
        from lnrs_toolkit.plugin.core.pack.gpkg import decode_blob

        blob = conn.execute("SELECT geom FROM opportunity_areas WHERE fid = ?", (fid,)).fetchone()[0]
        return shapely.from_wkb(decode_blob(blob))
    finally:
        conn.close()


def last_audit(pack):
    conn = sqlite3.connect(pack)
    try:
        return conn.execute("SELECT feature_fid, action, edited_by, new_measures, reason FROM opportunity_audit "
                            "ORDER BY fid DESC LIMIT 1").fetchone()
    finally:
        conn.close()


def test_an_area_is_shown_as_it_was_and_restored_from_the_audit(panel, pack, answers):
    panel.start_editing()
    widen_and_recode(panel)
    audit, dialog = open_history_from_audit(panel)
    try:
        table = dialog.table
        assert table.rowCount() == 2
        assert [table.item(r, 0).text() for r in range(2)] == ["Audit row 1", "Before audit row 1"]
        assert table.item(0, 3).text() == "GR002" and table.item(1, 3).text() == "WD001"
        assert table.item(1, 1).text().startswith("until 20") and not table.item(0, 1).text().endswith("Z")
        assert table.item(1, 4).text() == "Bath meadows" and table.item(1, 6).text() == "90,000"
        assert "Now: opportunity area 1 ‘Bath meadows’, measures GR002" in dialog.now_label.text()
        assert not dialog.restore_button.isEnabled()
        table.selectRow(1)
        assert dialog.restore_button.isEnabled() and dialog.show_button.isEnabled()
        layer = dialog.show_on_map()
        assert QgsProject.instance().mapLayer(layer.id()) is layer and layer.featureCount() == 1
        shown = next(layer.getFeatures())
        assert shapely.from_wkt(shown.geometry().asWkt()).equals(AREA_GEOMS[0])
        assert (shown["state"], shown["measures"]) == ("before audit row 1", "WD001")
        answers.reasons = ["the survey was wrong"]
        answers.summaries.clear()
        assert dialog.restore()
        assert "restored from before audit row 1" in answers.summaries[0]
        assert pack_rows(pack)[1][0] == "WD001" and stored_geometry(pack, 1).equals(AREA_GEOMS[0])
        assert last_audit(pack) == (1, "update", "Ada Editor", "WD001",
                                    "restored from before audit row 1: the survey was wrong")
        assert "Restored: opportunity area 1" in dialog.status_label.text()
        assert table.rowCount() == 3 and table.item(0, 0).text() == "Audit row 2"  # read again
    finally:
        dialog.close()
        audit.close()


def test_a_version_state_is_read_when_selected_and_a_refusal_is_told(panel, pack, answers):
    version = publish_version(pack, "first", "Ann").version
    panel.start_editing()
    widen_and_recode(panel)
    audit, dialog = open_history_from_audit(panel)
    try:
        table = dialog.table
        assert table.item(2, 0).text() == f"Version {version}" and table.item(2, 3).text() == "(select to read)"
        table.selectRow(2)
        assert table.item(2, 3).text() == "WD001" and table.item(2, 2).text() == "Ann"
        answers.reasons = [None]  # cancelled: nothing saved
        assert not dialog.restore()
        assert pack_rows(pack)[1][0] == "GR002"
        conn = sqlite3.connect(pack)
        with conn:  # WD001 leaves the catalogue: the old state is refused by validation, in the dialog
            conn.execute("DELETE FROM measures WHERE code = 'WD001'")
        conn.close()
        answers.reasons = ["back to the published one"]
        table.selectRow(2)
        assert not dialog.restore()
        assert "Nothing was saved" in dialog.status_label.text() and "catalogue" in dialog.status_label.text()
        assert pack_rows(pack)[1][0] == "GR002"
    finally:
        dialog.close()
        audit.close()


# ---------------------------------------------------------------------------- the documentation's screenshot
@pytest.mark.skipif(not os.environ.get("LNRS_HISTORY_SCREENSHOT"), reason="set LNRS_HISTORY_SCREENSHOT=path.png")
def test_screenshot(recording_iface, tmp_path, qgis_app):
    """docs/editing_restore.png: a copy of the demo pack, one area recoded twice after version 1, its history."""
    import shutil

    from lnrs_toolkit.plugin.gui.pack_chooser import DEMO_PACK
    from qgis.PyQt.QtTest import QTest

    demo = tmp_path / "demo_lnrs_pack.gpkg"
    shutil.copyfile(DEMO_PACK, demo)
    publish_version(demo, "Published for consultation", "Ann Officer")
    answers = Recorder()
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        assert dock.set_pack_path(str(demo))
        dock.tabs.setCurrentWidget(panel)
        assert panel.start_editing()
        layer = panel.layer
        feature = feature_by_pack_fid(layer, 18)
        assert layer.changeGeometry(feature.id(), feature.geometry().buffer(40, 4))
        assert panel.save_to_map()
        answers.reasons = ["Codes corrected after the site visit"]
        set_measures(layer, 18, "{GL001}")
        assert panel.save_to_map()
        audit = panel.show_audit_trail()
        audit.filter_edit.setText("18")
        audit.table.selectRow(0)
        audit.history_button.click()
        from lnrs_toolkit.plugin.gui.history_dialog import HistoryDialog

        dialog = panel.findChildren(HistoryDialog)[-1]
        dialog.resize(1250, 330)
        dialog.table.selectRow(2)
        dialog.show_on_map()
        QTest.qWait(300)
        assert dialog.grab().save(os.environ["LNRS_HISTORY_SCREENSHOT"], "PNG")
        dialog.close()
        audit.close()
    finally:
        close_dock(dock)
        QgsProject.instance().removeAllMapLayers()
