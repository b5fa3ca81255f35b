"""What LNRS teams missed in the Edit map tab (issue 20): *Save to my working copy* keeps edits without sending them
(pending, kept across a restart), and the *PostGIS* menu opens the set-up algorithms' dialogs filled in from the
dock's pack."""

from __future__ import annotations

import os

import pytest
from lnrs_toolkit.plugin.adapters.pack_source import PackSource
from lnrs_toolkit.tests.qgis import test_editing_panel as panel_tests
from lnrs_toolkit.tests.qgis.test_editing_panel import close_dock, file_sha, make_dock, pack_rows, set_measures
from qgis.core import QgsApplication, QgsProject

pack, answers, dock, panel = panel_tests.pack, panel_tests.answers, panel_tests.dock, panel_tests.panel  # fixtures


def test_save_to_my_working_copy_leaves_the_map_alone_and_survives_a_restart(recording_iface, dock, panel, pack,
                                                                              tmp_path, answers):
    before, rows = file_sha(pack), pack_rows(pack)
    assert not panel.local_save.button.isEnabled()  # nothing to keep before editing
    assert panel.start_editing()
    layer = panel.layer
    set_measures(layer, 2, "{FW012}")
    set_measures(layer, 3, "{GR002}")
    panel.refresh()
    assert panel.local_save.button.isEnabled()
    assert "not saved in the working copy yet" in panel.pending_label.text()
    panel.local_save.button.click()
    assert not layer.isModified() and layer.isEditable()  # still editing
    assert len(panel.pending) == 2
    assert panel.pending_label.text() == "Pending changes: 2 (0 new, 2 changed, 0 deleted)"
    assert "Saved in your working copy: 2 change(s)" in panel.context.last_message
    assert file_sha(pack) == before and pack_rows(pack) == rows  # the map is not touched, no check-in asked
    assert answers.summaries == []
    assert not panel.local_save.button.isEnabled()
    # QGIS closes; the next session shows the changes before and after resuming
    QgsProject.instance().removeAllMapLayers()
    dock.close_down()
    second, panel2 = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        assert second.set_pack_path(str(pack))
        second.tabs.setCurrentWidget(panel2)
        assert panel2.pending_label.text() == "Pending changes: 2 (0 new, 2 changed, 0 deleted)"
        assert panel2.start_editing()
        assert len(panel2.pending) == 2
        assert panel2.save_to_map()
        assert pack_rows(pack)[2][0] == "FW012" and pack_rows(pack)[3][0] == "GR002"
    finally:
        close_dock(second)


def test_postgis_menu_opens_the_set_up_dialogs_filled_in(recording_iface, panel, pack, tmp_path, answers,
                                                         lnrs_provider):
    opened = []
    menu = panel.postgis_menu
    menu.open_dialog = lambda algorithm, parameters: opened.append((algorithm, parameters))
    assert menu.button.isEnabled() and menu.publish_action.isEnabled() and not menu.roles_action.isEnabled()
    menu.publish_action.trigger()
    menu.update_action.trigger()
    address = PackSource.gpkg(pack).path
    assert opened == [("lnrs:publishpacktopostgis", {"PACK": address}),
                      ("lnrs:publishpacktopostgis", {"REPLACE": True, "DISCARD_HISTORY": False, "PACK": address})]
    # a PostGIS pack: update and roles are filled in with its connection and schema
    opened.clear()
    panel.dock_source = lambda: PackSource.postgis("team-db", "lhm_2026")
    panel._update_buttons()
    assert not menu.publish_action.isEnabled() and menu.roles_action.isEnabled()
    menu.update_action.trigger()
    menu.roles_action.trigger()
    assert opened == [("lnrs:publishpacktopostgis", {"REPLACE": True, "DISCARD_HISTORY": False,
                                                     "CONNECTION": "team-db", "SCHEMA": "lhm_2026"}),
                      ("lnrs:setuppostgisroles", {"PACK": "postgis:team-db/lhm_2026"})]
    # every parameter given is one the algorithm has
    registry = QgsApplication.processingRegistry()
    for algorithm, parameters in opened:
        alg = registry.algorithmById(algorithm)
        assert alg is not None
        assert set(parameters) <= {p.name() for p in alg.parameterDefinitions()}


def test_postgis_menu_says_when_processing_is_missing(panel, monkeypatch):
    def missing(algorithm, parameters):
        raise ImportError("No module named 'processing'")

    panel.postgis_menu.open_dialog = missing
    assert not panel.postgis_menu.publish()
    assert "could not be opened" in panel.context.last_message


# ---------------------------------------------------------------------------- the merge, shown before it is chosen
def _colleague_saves(pack, tmp_path, pack_fid, **values):
    """Bob checks out, changes ``pack_fid`` and saves through the engine."""
    from lnrs_toolkit.plugin.core.editing.checkin import save_edits
    from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
    from lnrs_toolkit.plugin.core.editing.working_copy import check_out
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
    from lnrs_toolkit.tests.unit.edit_packs import row_fid, set_row

    other = tmp_path / f"bob_{pack_fid}.gpkg"
    working = check_out(read_pack(pack), str(pack), other)
    set_row(other, row_fid(other, pack_fid), **values)
    save_edits(GpkgOpportunityStore(pack), working.edits(), reason="Hedgerow survey, spring 2026",
               user="Bob Colleague", pack=read_pack(pack))


def _set(layer, pack_fid: int, **values) -> None:
    from lnrs_toolkit.tests.qgis.test_editing_panel import feature_by_pack_fid

    feature = feature_by_pack_fid(layer, pack_fid)
    for name, value in values.items():
        assert layer.changeAttributeValue(feature.id(), layer.fields().indexOf(name), value)


def test_conflict_dialog_shows_what_keeping_mine_saves(panel, pack, tmp_path, answers):
    """Same field (measures) changed by both: asked; the name only I changed and the reference only Bob changed are
    merged, and the dialog's last column shows exactly what Keep mine writes."""
    from lnrs_toolkit.plugin.core.editing.opportunity_feature import geometry_sha256
    from lnrs_toolkit.plugin.gui.conflict_dialog import ConflictDialog
    from lnrs_toolkit.plugin.gui.edit_store import measures_text

    assert panel.start_editing()
    _set(panel.layer, 1, measures="{GR002}", name="Bath water meadows")
    _colleague_saves(pack, tmp_path, 1, measures="{FW012}", ref="LNRS-0001")
    answers.resolution = None
    assert not panel.save_to_map()
    dialog = ConflictDialog(answers.conflicts[0], measures_text, geometry_sha256, "1 of 1")
    try:
        table = dialog.table
        assert [table.horizontalHeaderItem(c).text() for c in range(4)][3] == "If you keep yours"
        cells = {table.verticalHeaderItem(r).text(): [table.item(r, c).text() for c in range(4)]
                 for r in range(table.rowCount())}
        assert cells["Measures"][1:] == ["GR002", "FW012", "GR002"]
        assert cells["Name"][1:] == ["Bath water meadows", cells["Name"][0], "Bath water meadows"]
        assert cells["Reference"][2:] == ["LNRS-0001", "LNRS-0001"]  # Bob's change of another field stays
    finally:
        dialog.deleteLater()
    answers.resolution = "mine"
    assert panel.save_to_map()
    assert pack_rows(pack)[1][0] == "GR002"
    from lnrs_toolkit.plugin.core.pack.gpkg import read_pack

    layer = read_pack(pack).layers["opportunity_areas"]
    i = list(layer.fids).index(1)
    assert (layer.columns["name"][i], layer.columns["ref"][i]) == ("Bath water meadows", "LNRS-0001")


@pytest.mark.skipif(not os.environ.get("LNRS_MERGE_SCREENSHOT"), reason="set LNRS_MERGE_SCREENSHOT=path.png")
def test_merge_screenshot(recording_iface, tmp_path, answers, qgis_app):
    """docs/editing_merge.png: the conflict dialog over the Edit map tab, on a copy of the demo pack: both changed an
    area's measures (asked), only I renamed it, only Bob gave it a reference (merged)."""
    import shutil

    from lnrs_toolkit.plugin.core.editing.opportunity_feature import geometry_sha256
    from lnrs_toolkit.plugin.gui.conflict_dialog import ConflictDialog
    from lnrs_toolkit.plugin.gui.edit_store import measures_text
    from lnrs_toolkit.plugin.gui.pack_chooser import DEMO_PACK
    from qgis.PyQt.QtCore import QPoint, QRect
    from qgis.PyQt.QtGui import QColor, QPainter, QPixmap
    from qgis.PyQt.QtTest import QTest

    demo = tmp_path / "demo_lnrs_pack.gpkg"
    shutil.copyfile(DEMO_PACK, demo)
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    shots = []

    def capture(conflict, position):
        dialog = ConflictDialog(conflict, measures_text, geometry_sha256, position, panel)
        dialog.show()
        QTest.qWait(300)
        shots.append((dialog.windowTitle(), dialog.grab(), dock.grab()))
        dialog.close()
        dialog.deleteLater()
        return None

    try:
        dock.setFloating(True)
        dock.resize(480, 760)
        assert dock.set_pack_path(str(demo))
        dock.tabs.setCurrentWidget(panel)
        assert panel.start_editing()
        _set(panel.layer, 18, measures="{GL001,GL003}", name="Lansdown grassland (west)")
        _colleague_saves(demo, tmp_path, 18, measures="{GL001,WD001}", ref="BNES-LNRS-018")
        panel.conflict_resolver = capture
        assert not panel.save_to_map()
        QTest.qWait(300)
        title, dialog, back = shots[0]
        bar = 30
        top = QPoint(120, 130)
        width = max(back.width(), top.x() + dialog.width() + 20)
        height = max(back.height(), top.y() + bar + dialog.height() + 20)
        out = QPixmap(width, height)
        out.fill(QColor("#d9d9d9"))
        painter = QPainter(out)
        painter.drawPixmap(0, 0, back)
        painter.fillRect(QRect(0, 0, back.width(), back.height()), QColor(0, 0, 0, 70))  # the tab behind a modal
        painter.fillRect(QRect(top.x() - 1, top.y() - 1, dialog.width() + 2, bar + dialog.height() + 2),
                         QColor("#5a5a5a"))
        painter.fillRect(QRect(top.x(), top.y(), dialog.width(), bar), QColor("#ececec"))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#202020"))
        painter.drawText(QRect(top.x() + 10, top.y(), dialog.width() - 20, bar), 0x0001 | 0x0080, title)
        painter.drawPixmap(top.x(), top.y() + bar, dialog)
        painter.end()
        assert out.save(os.environ["LNRS_MERGE_SCREENSHOT"], "PNG")
    finally:
        close_dock(dock)
        QgsProject.instance().removeAllMapLayers()
