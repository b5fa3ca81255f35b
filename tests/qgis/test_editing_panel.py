"""The dock's "Edit map" tab, driven like an LNRS team's GIS officer would: check out, edit with QGIS's own
tools (edit buffer, attribute form), save to the pack, be refused, resolve a conflict, resume after a crash.

Dialogs are the panel's callable attributes, replaced here so everything runs synchronously."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
import shapely
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.unit.edit_packs import X0, Y0, build_edit_pack
from qgis.core import QgsFeature, QgsGeometry, QgsProject, QgsSettings, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QLabel, QTableWidget

REASON = "2026 review: river corridor widened"


def file_sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def pack_rows(path: Path) -> dict[int, tuple[str, str, str]]:
    conn = sqlite3.connect(str(path))
    try:
        return {int(r[0]): (r[1], r[2], r[3]) for r in
                conn.execute("SELECT fid, measures, name, ref FROM opportunity_areas ORDER BY fid")}
    finally:
        conn.close()


def audit_rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT feature_fid, action, edited_by, old_measures, new_measures, reason "
                            "FROM opportunity_audit ORDER BY fid").fetchall()
    finally:
        conn.close()


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "edit_pack.gpkg"
    build_edit_pack(path)
    return path


class Recorder:
    """Stands in for the dialogs: answers given in advance, questions kept."""

    def __init__(self) -> None:
        self.reasons: list[str | None] = [REASON]
        self.summaries: list[str] = []
        self.conflicts: list = []
        self.resolution: str | None = "mine"
        self.resume: str | None = "resume"
        self.resume_asked: list[str] = []
        self.confirm_answer = True
        self.confirm_asked: list[str] = []

    def reason(self, summary: str) -> str | None:
        self.summaries.append(summary)
        return self.reasons[min(len(self.summaries), len(self.reasons)) - 1]

    def conflict(self, conflict, position: str) -> str | None:
        self.conflicts.append(conflict)
        return self.resolution

    def resume_choice(self, text: str) -> str | None:
        self.resume_asked.append(text)
        return self.resume

    def confirm(self, title: str, text: str) -> bool:
        self.confirm_asked.append(text)
        return self.confirm_answer


def make_dock(recording_iface, working_dir: Path, answers: Recorder):
    from lnrs_toolkit.plugin.gui.dock import LnrsDockWidget

    store = QgsSettings("lnrs_toolkit_tests", "editing")
    store.clear()
    store.setValue("lnrs_toolkit/officer_name", "Ada Editor")
    dock = LnrsDockWidget(recording_iface, recording_iface.window, settings_store=store)
    recording_iface.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.show()
    panel = dock.editing_panel
    panel.working_dir = working_dir
    panel.synchronous = True
    panel.reason_provider = answers.reason
    panel.conflict_resolver = answers.conflict
    panel.resume_chooser = answers.resume_choice
    panel.confirm = answers.confirm
    return dock, panel


def close_dock(dock) -> None:
    dock.close_down()
    dock.deleteLater()
    QCoreApplication.processEvents()


@pytest.fixture()
def answers():
    return Recorder()


@pytest.fixture()
def dock(qgis_app, qgis_iface, recording_iface, tmp_path, pack, answers):
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    assert dock.set_pack_path(str(pack))
    dock.tabs.setCurrentWidget(dock.editing_panel)  # showing the tab reads the dock's pack
    yield dock
    close_dock(dock)
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()


@pytest.fixture()
def panel(dock):
    return dock.editing_panel


def feature_by_pack_fid(layer: QgsVectorLayer, pack_fid: int) -> QgsFeature:
    return next(f for f in layer.getFeatures() if f["pack_fid"] == pack_fid)


def geometry(shape) -> QgsGeometry:
    return QgsGeometry.fromWkt(shapely.to_wkt(shape))


def set_measures(layer: QgsVectorLayer, pack_fid: int, value: str) -> None:
    feature = feature_by_pack_fid(layer, pack_fid)
    assert layer.changeAttributeValue(feature.id(), layer.fields().indexOf("measures"), value)


# ---------------------------------------------------------------------------- the tab and the form
def test_tab_is_in_the_dock_and_says_what_to_do(dock, panel, pack):
    assert dock.tabs.tabText(dock.tabs.indexOf(panel)) == "Edit &map"
    assert "Start editing" in panel.status_label.text() and pack.name in panel.status_label.text()
    assert panel.start_button.isEnabled()
    assert not panel.save_button.isEnabled() and not panel.discard_button.isEnabled()
    assert panel.pending_label.text() == "Pending changes: 0"


def test_start_editing_checks_out_a_styled_layer_in_edit_mode(panel, pack, tmp_path):
    assert panel.start_editing()
    layer = panel.layer
    assert layer is not None and layer.isValid() and layer.isEditable()
    assert Path(panel.working.path).parent == tmp_path / "working"
    assert layer.featureCount() == 3
    assert layer.renderer().symbol().color().name() == "#ffb300"  # the pack's opportunity style
    assert QgsProject.instance().mapLayer(layer.id()) is layer
    assert QgsProject.instance().mapLayer(panel.choices_layer.id()) is panel.choices_layer
    labels = sorted(f["label"] for f in panel.choices_layer.getFeatures())
    assert labels == ["FW012 — Re-naturalise river corridors.", "GR002 — Restore species-rich grassland.",
                      "WD001 — Create new broadleaved woodland."]
    assert "Editing <b>edit_pack.gpkg</b> in the layer <i>Opportunity areas — my edits</i>" in panel.status_label.text()
    assert not panel.start_button.isEnabled(), "already editing"


def test_form_picks_measures_from_the_catalogue(panel):
    panel.start_editing()
    layer, choices = panel.layer, panel.choices_layer
    fields = layer.fields()
    setup = layer.editorWidgetSetup(fields.indexOf("measures"))
    config = setup.config()
    assert setup.type() == "ValueRelation"
    assert config["Layer"] == choices.id() and config["LayerName"] == choices.name()
    assert (config["Key"], config["Value"]) == ("code", "label")
    assert config["AllowMulti"] is True and config["NofColumns"] == 2 and config["OrderByValue"] is True
    for name in ("name", "ref"):
        assert layer.editorWidgetSetup(fields.indexOf(name)).type() == "TextEdit"
        assert not layer.editFormConfig().readOnly(fields.indexOf(name))
    assert layer.editFormConfig().readOnly(fields.indexOf("pack_fid"))
    for name in ("base_measures", "base_geom_sha256"):
        assert layer.editorWidgetSetup(fields.indexOf(name)).type() == "Hidden"
        assert layer.editFormConfig().readOnly(fields.indexOf(name))
    assert layer.attributeDisplayName(fields.indexOf("measures")) == "Measures"
    assert layer.attributeDisplayName(fields.indexOf("pack_fid")) == "Pack feature id"


def measure_table(form) -> QTableWidget:
    tables = form.findChildren(QTableWidget)
    assert len(tables) == 1, "the measures are one multi-select list"
    return tables[0]


def table_items(table: QTableWidget) -> dict[str, object]:
    return {table.item(r, c).text(): table.item(r, c) for r in range(table.rowCount())
            for c in range(table.columnCount()) if table.item(r, c) is not None}


def test_value_picked_in_the_form_is_saved_to_the_pack_joined_by_semicolons(panel, pack, answers):
    from qgis.gui import QgsAttributeForm

    panel.start_editing()
    layer = panel.layer
    feature = feature_by_pack_fid(layer, 1)  # WD001 "Bath meadows"
    form = QgsAttributeForm(layer, feature)
    items = table_items(measure_table(form))
    # the catalogue text is what the officer reads; the current code is ticked
    assert set(items) == {"FW012 — Re-naturalise river corridors.", "GR002 — Restore species-rich grassland.",
                          "WD001 — Create new broadleaved woodland."}
    assert items["WD001 — Create new broadleaved woodland."].checkState() == Qt.CheckState.Checked
    assert items["GR002 — Restore species-rich grassland."].checkState() == Qt.CheckState.Unchecked
    items["GR002 — Restore species-rich grassland."].setCheckState(Qt.CheckState.Checked)
    assert form.save()
    stored = feature_by_pack_fid(layer, 1)["measures"]
    assert stored.startswith("{") and "GR002" in stored and "WD001" in stored
    form.deleteLater()
    # QGIS's own Save Layer Edits: the working copy is saved, then the change goes to the pack
    assert layer.commitChanges(False)
    assert answers.summaries and "1 change(s)" in answers.summaries[0]
    assert pack_rows(pack)[1][0] == "GR002;WD001"
    assert audit_rows(pack) == [(1, "update", "Ada Editor", "WD001", "GR002;WD001", REASON)]
    assert panel.pending == [] and panel.pending_label.text() == "Pending changes: 0"
    assert "Saved 1 change(s)" in panel.context.last_message
    assert read_pack(pack).metadata.content_sha256[:12] in panel.context.last_message
    # the dock screens against the new content
    assert panel.context.index.pack.metadata.content_sha256 == read_pack(pack).metadata.content_sha256


def test_geometry_attribute_and_new_feature_through_the_edit_buffer(panel, pack):
    panel.start_editing()
    layer = panel.layer
    grown = shapely.box(X0, Y0, X0 + 400, Y0 + 300)
    assert layer.changeGeometry(feature_by_pack_fid(layer, 1).id(), geometry(grown))
    set_measures(layer, 2, "{FW012}")
    new = QgsFeature(layer.fields())
    new.setGeometry(geometry(shapely.box(X0, Y0 + 2000, X0 + 300, Y0 + 2300)))
    new["measures"] = "{WD001,FW012}"
    new["name"] = "New wet wood"
    assert layer.addFeature(new)
    assert panel.save_to_map()
    rows = pack_rows(pack)
    assert rows[2][0] == "FW012"
    new_fid = max(rows)
    assert rows[new_fid] == ("WD001;FW012", "New wet wood", None)
    saved = read_pack(pack).layer("opportunity_areas")
    index = list(saved.fids).index(1)
    assert shapely.equals(saved.geoms[index], grown)
    actions = sorted((r[0], r[1]) for r in audit_rows(pack))
    assert actions == [(1, "update"), (2, "update"), (new_fid, "insert")]
    # the working copy was rebased: the new feature knows its pack fid, nothing is pending
    assert feature_by_pack_fid(layer, new_fid)["name"] == "New wet wood"
    assert panel.pending == [] and not layer.isModified()


def test_delete_through_the_edit_buffer(panel, pack):
    panel.start_editing()
    layer = panel.layer
    assert layer.deleteFeature(feature_by_pack_fid(layer, 3).id())
    panel.refresh()
    assert panel.save_button.isEnabled()
    assert panel.save_to_map()
    assert sorted(pack_rows(pack)) == [1, 2]
    assert audit_rows(pack)[-1][:2] == (3, "delete")


# ---------------------------------------------------------------------------- refusals
def test_unknown_code_is_refused_and_listed(panel, pack, answers):
    before = file_sha(pack)
    panel.start_editing()
    set_measures(panel.layer, 2, "{GR002,XX999}")
    assert not panel.save_to_map()
    assert file_sha(pack) == before, "a refused save writes nothing to the pack"
    assert answers.summaries == [], "no reason is asked for a save that cannot happen"
    issues = panel.issues_list
    assert issues.count() >= 1
    item = issues.item(0)
    assert item.data(Qt.ItemDataRole.UserRole).severity == "error"
    assert "River corridor" in item.text() and "XX999" in item.text()
    assert "Error" in item.toolTip()
    assert panel.context.last_message.startswith("Nothing was saved to the Local Habitat Map")
    assert "XX999" in panel.context.last_message
    # the edit is still in the working copy, pending
    assert len(panel.pending) == 1 and panel.pending_label.text().startswith("Pending changes: 1")
    # clicking the problem selects the feature (and zooms; no error)
    panel.show_issue(item.data(Qt.ItemDataRole.UserRole))
    assert panel.layer.selectedFeatureIds() == [feature_by_pack_fid(panel.layer, 2).id()]


def test_no_codes_and_invalid_geometry_are_refused(panel, pack):
    before = file_sha(pack)
    panel.start_editing()
    layer = panel.layer
    set_measures(layer, 1, "{}")
    bowtie = QgsGeometry.fromWkt(f"POLYGON(({X0} {Y0},{X0 + 300} {Y0 + 300},{X0 + 300} {Y0},{X0} {Y0 + 300},"
                                 f"{X0} {Y0}))")
    assert layer.changeGeometry(feature_by_pack_fid(layer, 3).id(), bowtie)
    assert not panel.check_changes()
    problems = [panel.issues_list.item(i).text() for i in range(panel.issues_list.count())]
    assert any("Bath meadows" in p and "no measure" in p.lower() for p in problems), problems
    assert any("Hill wood" in p and "geometry" in p.lower() for p in problems), problems
    assert not panel.save_to_map()
    assert file_sha(pack) == before


def test_warnings_are_shown_but_do_not_block(panel, pack, answers):
    panel.start_editing()
    layer = panel.layer
    tiny = QgsFeature(layer.fields())
    tiny.setGeometry(geometry(shapely.box(X0 + 5000, Y0, X0 + 5005, Y0 + 5)))  # 25 m²
    tiny["measures"] = "{GR002}"
    assert layer.addFeature(tiny)
    assert panel.save_to_map()
    assert "warning" in answers.summaries[0]
    assert len(pack_rows(pack)) == 4


def test_a_blank_or_cancelled_reason_saves_nothing(panel, pack, answers):
    before = file_sha(pack)
    answers.reasons = [None]
    panel.start_editing()
    set_measures(panel.layer, 1, "{GR002}")
    assert not panel.save_to_map()
    assert file_sha(pack) == before
    assert "a reason is needed" in panel.context.last_message
    answers.reasons = ["   "]
    answers.summaries.clear()
    assert not panel.save_to_map()
    assert file_sha(pack) == before
    assert len(panel.pending) == 1


# ---------------------------------------------------------------------------- conflicts
def change_behind_the_panels_back(pack: Path, tmp_path: Path, pack_fid: int, measures: str) -> None:
    """Another editor checks out, changes ``pack_fid`` and saves, through the engine."""
    from lnrs_toolkit.plugin.core.editing.checkin import save_edits
    from lnrs_toolkit.plugin.core.editing.gpkg_store import GpkgOpportunityStore
    from lnrs_toolkit.plugin.core.editing.working_copy import check_out
    from lnrs_toolkit.tests.unit.edit_packs import row_fid, set_row

    other = tmp_path / "other_editor.gpkg"
    working = check_out(read_pack(pack), str(pack), other)
    set_row(other, row_fid(other, pack_fid), measures=measures)
    save_edits(GpkgOpportunityStore(pack), working.edits(), reason="Other team's survey", user="Bob Other",
               pack=read_pack(pack))


@pytest.mark.parametrize("choice", ["mine", "theirs"])
def test_conflict_is_resolved_per_feature(panel, pack, tmp_path, answers, choice):
    panel.start_editing()
    layer = panel.layer
    set_measures(layer, 1, "{GR002}")        # conflicts with the other editor
    set_measures(layer, 3, "{FW012}")        # nobody else touched it
    change_behind_the_panels_back(pack, tmp_path, 1, "FW012")
    answers.resolution = choice
    assert panel.save_to_map()
    assert len(answers.conflicts) == 1
    conflict = answers.conflicts[0]
    assert conflict.edit.fid == 1 and conflict.last_change.edited_by == "Bob Other"
    assert conflict.last_change.reason == "Other team's survey"
    rows = pack_rows(pack)
    assert rows[3][0] == "FW012", "the edit to another feature lands either way"
    audit = audit_rows(pack)
    if choice == "mine":
        assert rows[1][0] == "GR002"
        assert audit[-2:] == [(1, "update", "Ada Editor", "FW012", "GR002", REASON),
                              (3, "update", "Ada Editor", "WD001;GR002", "FW012", REASON)]
    else:
        assert rows[1][0] == "FW012"
        assert [a[0] for a in audit] == [1, 3]  # Bob's change, then only feature 3 of ours
        # the working copy now holds their version of feature 1, nothing is pending
        assert feature_by_pack_fid(layer, 1)["measures"] == "{FW012}"
    assert panel.pending == []


def test_update_from_the_map_brings_in_what_others_saved(panel, pack, tmp_path):
    panel.start_editing()
    layer = panel.layer
    set_measures(layer, 1, "{GR002}")                            # mine, not yet saved anywhere
    change_behind_the_panels_back(pack, tmp_path, 2, "WD001")   # theirs, on a feature I did not touch
    assert feature_by_pack_fid(layer, 2)["measures"] == "{GR002,FW012}"
    assert panel.update_from_map()
    assert feature_by_pack_fid(layer, 2)["measures"] == "{WD001}"
    assert feature_by_pack_fid(layer, 1)["measures"] == "{GR002}", "my change stays"
    assert "1 area(s) changed, 0 new, 0 deleted" in panel.context.last_message
    assert [e.fid for e in panel.pending] == [1]
    # and a save brings in later changes too
    (tmp_path / "other_editor.gpkg").unlink()
    change_behind_the_panels_back(pack, tmp_path, 3, "FW012")
    assert panel.save_to_map()
    assert feature_by_pack_fid(layer, 3)["measures"] == "{FW012}"
    assert "Brought in what others saved" in panel.context.last_message


def test_cancelling_a_conflict_saves_nothing(panel, pack, tmp_path, answers):
    panel.start_editing()
    set_measures(panel.layer, 1, "{GR002}")
    change_behind_the_panels_back(pack, tmp_path, 1, "FW012")
    before = file_sha(pack)
    answers.resolution = None
    assert not panel.save_to_map()
    assert file_sha(pack) == before
    assert len(panel.pending) == 1
    assert "Nothing was saved" in panel.context.last_message


def test_conflict_dialog_shows_mine_and_theirs(panel, pack, tmp_path, answers):
    from lnrs_toolkit.plugin.core.editing.opportunity_feature import geometry_sha256
    from lnrs_toolkit.plugin.gui.conflict_dialog import ConflictDialog
    from lnrs_toolkit.plugin.gui.edit_store import measures_text

    panel.start_editing()
    set_measures(panel.layer, 1, "{GR002}")
    change_behind_the_panels_back(pack, tmp_path, 1, "FW012")
    answers.resolution = None
    panel.save_to_map()
    dialog = ConflictDialog(answers.conflicts[0], measures_text, geometry_sha256, "1 of 1")
    table = dialog.table
    cells = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert cells[0] == ["WD001", "GR002", "FW012"]
    assert cells[3][1:] == ["unchanged", "unchanged"]
    assert "Bob Other" in dialog.findChild(QLabel, "conflictLastChange").text()
    assert "Other team's survey" in dialog.findChild(QLabel, "conflictLastChange").text()
    # every row, your version included, is in view without scrolling (issue 20, defect 9)
    dialog.show()
    QCoreApplication.processEvents()
    viewport = table.viewport().rect()
    assert table.verticalScrollBar().maximum() == 0
    for row in range(table.rowCount()):
        cell = table.visualRect(table.model().index(row, 1))
        assert viewport.contains(cell), (row, cell, viewport)
    dialog.theirs_button.click()
    assert dialog.choice == "theirs"
    dialog.deleteLater()


# ---------------------------------------------------------------------------- crash, resume, discard
def test_resume_after_a_crash_loses_nothing(recording_iface, dock, panel, pack, tmp_path, answers):
    answers.reasons = [None]  # the officer saves the layer but does not send it to the map yet
    panel.start_editing()
    layer = panel.layer
    set_measures(layer, 2, "{FW012}")
    set_measures(layer, 3, "{GR002}")
    assert layer.commitChanges(False)
    assert len(panel.pending) == 2
    set_measures(layer, 1, "{GR002}")  # still in the layer's edit buffer: kept by the autosave
    panel.autosave.flush()
    # "crash": the dock and the project go away without any clean-up
    QgsProject.instance().removeAllMapLayers()
    dock.close_down()
    second, panel2 = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        assert second.set_pack_path(str(pack))
        second.tabs.setCurrentWidget(panel2)
        assert "earlier session" in panel2.status_label.text()
        # what the copy holds is told before it is resumed (issue 20: it said "Pending changes: 0")
        assert panel2.pending_label.text() == ("Pending changes: 2 (0 new, 2 changed, 0 deleted); 1 more edit(s) "
                                               "left unsaved on the layer come back when you resume")
        assert panel2.discard_button.isEnabled()
        answers.reasons = [REASON]
        assert panel2.start_editing()
        assert answers.resume_asked and "earlier session" in answers.resume_asked[0]
        assert len(panel2.pending) == 3  # the buffered edit came back (issue 20, defect 8)
        assert feature_by_pack_fid(panel2.layer, 1)["measures"] == "{GR002}"
        assert feature_by_pack_fid(panel2.layer, 2)["measures"] == "{FW012}"
        assert panel2.save_to_map()
        assert pack_rows(pack)[2][0] == "FW012"
    finally:
        close_dock(second)


def test_discard_needs_confirmation_and_leaves_the_pack_alone(panel, pack, answers):
    before = file_sha(pack)
    panel.start_editing()
    set_measures(panel.layer, 2, "{FW012}")
    path = Path(panel.working.path)
    answers.confirm_answer = False
    assert not panel.discard_changes()
    assert path.is_file() and panel.layer is not None
    answers.confirm_answer = True
    assert panel.discard_changes()
    assert not path.exists()
    assert panel.layer is None and panel.working is None
    assert not [lyr for lyr in QgsProject.instance().mapLayers().values()
                if lyr.customProperty("lnrs_toolkit/working_copy")]
    assert file_sha(pack) == before
    assert "Start editing" in panel.status_label.text()


# ---------------------------------------------------------------------------- audit trail
def test_audit_trail_newest_first_and_filtered_by_feature(panel, pack, answers):
    panel.start_editing()
    set_measures(panel.layer, 1, "{GR002}")
    assert panel.save_to_map()
    answers.reasons = ["Second pass"]
    answers.summaries.clear()
    set_measures(panel.layer, 2, "{FW012}")
    set_measures(panel.layer, 1, "{WD001}")
    assert panel.save_to_map()
    dialog = panel.show_audit_trail()
    try:
        table = dialog.table
        assert table.rowCount() == 3
        reasons = [table.item(r, 7).text() for r in range(3)]
        assert reasons[-1] == REASON and reasons[0] == "Second pass"
        assert table.item(0, 1).text() == "Ada Editor"
        dialog.filter_edit.setText("1")
        assert table.rowCount() == 2
        assert [table.item(r, 5).text() for r in range(2)] == ["WD001", "GR002"]
        assert dialog.count_label.text() == "2 of 3 changes"
    finally:
        dialog.close()


# ---------------------------------------------------------------------------- dialogs
def test_reason_dialog_needs_a_reason_and_remembers_it(qgis_app):
    from lnrs_toolkit.plugin.gui.reason_dialog import ReasonDialog, recent_reasons, remember_reason
    from qgis.PyQt.QtWidgets import QDialogButtonBox

    store = QgsSettings("lnrs_toolkit_tests", "reasons")
    store.clear()
    remember_reason("  first   reason ", store)
    remember_reason("second reason", store)
    remember_reason("first reason", store)
    assert recent_reasons(store) == ["first reason", "second reason"]
    dialog = ReasonDialog("You are saving 1 change(s).", recent_reasons(store))
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    dialog.combo.setEditText("   ")
    assert not save.isEnabled()
    dialog.combo.setCurrentIndex(1)
    assert save.isEnabled() and dialog.reason() == "second reason"
    dialog.deleteLater()


def test_start_editing_needs_a_pack_with_a_catalogue(recording_iface, tmp_path, answers, qgis_app):
    from lnrs_toolkit.tests.unit.packs import add_sites

    no_catalogue = tmp_path / "sites_only.gpkg"
    add_sites(no_catalogue, lnrs_name="No opportunity")
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        assert not panel.start_editing()
        assert "Load a Local Habitat Map pack first" in dock.last_message
        assert dock.set_pack_path(str(no_catalogue))
        assert not panel.start_editing()
        assert "no opportunity areas layer" in dock.last_message
        assert panel.layer is None and not list((tmp_path / "working").glob("*.gpkg"))
    finally:
        close_dock(dock)


def test_start_editing_opportunity_areas_the_pack_checks_refused_says_why(recording_iface, tmp_path, answers,
                                                                          qgis_app, pack):
    conn = sqlite3.connect(pack)
    conn.execute("UPDATE gpkg_geometry_columns SET srs_id = 4326 WHERE table_name = 'opportunity_areas'")
    conn.commit()
    conn.close()
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        assert dock.set_pack_path(str(pack))
        assert not panel.start_editing()
        assert "its checks refused that layer" in dock.last_message and "EPSG:4326" in dock.last_message
        assert "has no opportunity areas layer" not in dock.last_message
        assert panel.layer is None and not list((tmp_path / "working").glob("*.gpkg"))
    finally:
        close_dock(dock)


# ---------------------------------------------------------------------------- in the background, as in QGIS
def wait_for_task(panel, timeout: float = 60.0) -> None:
    import time

    end = time.monotonic() + timeout
    while panel.task is not None and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert panel.task is None, "the engine task did not finish"


def test_check_out_and_native_save_run_as_tasks(panel, pack, answers):
    panel.synchronous = False
    assert panel.start_editing()
    assert panel.task is not None and not panel.start_button.isEnabled()
    wait_for_task(panel)
    layer = panel.layer
    assert layer is not None and layer.isEditable()
    set_measures(layer, 2, "{FW012,GR002}")
    assert layer.commitChanges(False)  # QGIS's Save Layer Edits
    QCoreApplication.processEvents()   # the save starts once QGIS has finished its own commit
    wait_for_task(panel)
    assert answers.summaries, "the reason was asked"
    assert pack_rows(pack)[2][0] == "FW012;GR002"
    assert panel.pending == [] and panel.save_button.isEnabled() is False


# ---------------------------------------------------------------------------- the documentation's screenshot
@pytest.mark.skipif(not os.environ.get("LNRS_EDITING_SCREENSHOT"), reason="set LNRS_EDITING_SCREENSHOT=path.png")
def test_screenshot(recording_iface, tmp_path, answers, qgis_app):
    """docs/editing_panel.png: a copy of the demo pack, one area given a mistyped code and one tiny new area."""
    import shutil

    from lnrs_toolkit.plugin.gui.pack_chooser import DEMO_PACK
    from qgis.PyQt.QtTest import QTest

    demo = tmp_path / "demo_lnrs_pack.gpkg"
    shutil.copyfile(DEMO_PACK, demo)
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        dock.setFloating(True)
        dock.resize(460, 780)
        assert dock.set_pack_path(str(demo))
        dock.tabs.setCurrentWidget(panel)
        assert panel.start_editing()
        layer = panel.layer
        set_measures(layer, 18, "{GL001,GL0002}")
        tiny = QgsFeature(layer.fields())
        centre = feature_by_pack_fid(layer, 19).geometry().centroid().asPoint()
        tiny.setGeometry(geometry(shapely.box(centre.x(), centre.y(), centre.x() + 6, centre.y() + 6)))
        tiny["measures"] = "{GL003}"
        tiny["name"] = "Verge by the school"
        assert layer.addFeature(tiny)
        assert not panel.save_to_map()
        panel.issues_list.setCurrentRow(0)
        QTest.qWait(300)
        assert dock.grab().save(os.environ["LNRS_EDITING_SCREENSHOT"], "PNG")
    finally:
        close_dock(dock)
        QgsProject.instance().removeAllMapLayers()


# ---------------------------------------------------------------------------- a pack in PostGIS
@pytest.mark.postgis
def test_editing_a_postgis_pack(recording_iface, connection, server, tmp_path, answers, qgis_app):
    """The same panel on a pack held in a PostGIS schema: check-out, a conflict with another editor told and
    resolved, the save audited with the database role, the audit trail read from the schema."""
    import uuid

    from lnrs_toolkit.plugin.adapters.pack_source import PackSource, load_postgis_pack, publish_pack_to_postgis
    from lnrs_toolkit.plugin.adapters.postgis_opportunity_store import PostgisOpportunityStore
    from lnrs_toolkit.plugin.core.editing.checkin import save_edits
    from lnrs_toolkit.plugin.core.editing.working_copy import check_out
    from lnrs_toolkit.tests.unit.edit_packs import row_fid, set_row

    gpkg = tmp_path / "lhm.gpkg"
    build_edit_pack(gpkg)
    schema = f"panel_{uuid.uuid4().hex[:10]}"
    publish_pack_to_postgis(gpkg, connection, schema)
    address = str(PackSource.postgis(connection, schema))
    dock, panel = make_dock(recording_iface, tmp_path / "working", answers)
    try:
        assert dock.set_pack_path(address)
        dock.tabs.setCurrentWidget(panel)
        assert panel.start_editing()
        assert panel.working.info.pack_source == address
        set_measures(panel.layer, 1, "{GR002}")
        set_measures(panel.layer, 2, "{FW012}")
        # another editor saves a change to feature 2 first
        other = tmp_path / "other.gpkg"
        copy = check_out(load_postgis_pack(connection, schema), address, other)
        set_row(other, row_fid(other, 2), measures="{GR002}")
        save_edits(PostgisOpportunityStore(connection, schema), copy.edits(), reason="Other team's survey",
                   user="Bob Other", pack=load_postgis_pack(connection, schema))
        answers.resolution = "theirs"
        assert panel.save_to_map()
        assert [c.edit.fid for c in answers.conflicts] == [2]
        assert "Bob Other" in answers.conflicts[0].last_change.edited_by
        layer = load_postgis_pack(connection, schema).layers["opportunity_areas"]
        measures = dict(zip((int(f) for f in layer.fids), layer.columns["measures"]))
        assert measures[1] == "GR002" and measures[2] == "GR002"
        assert feature_by_pack_fid(panel.layer, 2)["measures"] == "{GR002}"
        assert panel.pending == []
        dialog = panel.show_audit_trail()
        try:
            rows = [[dialog.table.item(r, c).text() for c in (1, 2, 7)] for r in range(dialog.table.rowCount())]
            assert rows == [[f"{server.user} (Ada Editor)", "1", REASON],
                            [f"{server.user} (Bob Other)", "2", "Other team's survey"]]
        finally:
            dialog.close()
    finally:
        close_dock(dock)
        QgsProject.instance().removeAllMapLayers()


def test_start_editing_brings_the_areas_into_view(panel, qgis_iface):
    from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle

    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    canvas.setExtent(QgsRectangle(100, 100, 200, 200))
    panel.start_editing()
    assert canvas.extent().intersects(panel.layer.extent())


def answer_next_dialog(act) -> None:
    """Run ``act(dialog)`` on the next modal dialog, once it is shown."""
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication

    def attempt(tries=[0]):  # noqa: B006 - a counter shared by the retries
        dialog = QApplication.activeModalWidget()
        if dialog is None and tries[0] < 200:
            tries[0] += 1
            QTimer.singleShot(10, attempt)
            return
        act(dialog)

    QTimer.singleShot(0, attempt)


def test_the_real_reason_and_conflict_dialogs(panel, pack, tmp_path):
    from lnrs_toolkit.plugin.gui.reason_dialog import recent_reasons
    from qgis.PyQt.QtWidgets import QDialogButtonBox, QPushButton

    panel.reason_provider = panel._ask_reason
    panel.conflict_resolver = panel._ask_conflict
    panel.start_editing()
    set_measures(panel.layer, 1, "{GR002}")
    change_behind_the_panels_back(pack, tmp_path, 1, "FW012")

    def give_reason(dialog):
        assert dialog.objectName() == "editReasonDialog"
        assert "1 change(s)" in dialog.summary_label.text()
        dialog.combo.setEditText("Typed in the dialog")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        answer_next_dialog(keep_mine)

    def keep_mine(dialog):
        assert dialog.objectName() == "editConflictDialog"
        dialog.findChild(QPushButton, "keepMineButton").click()

    answer_next_dialog(give_reason)
    assert panel.save_to_map()
    assert pack_rows(pack)[1][0] == "GR002"
    assert audit_rows(pack)[-1][-1] == "Typed in the dialog"
    assert recent_reasons(panel.context.settings_store)[0] == "Typed in the dialog"


def test_conflict_dialog_fits_long_measures_without_scrolling(qgis_app):
    """Issue 20, defect 9: with long measure lists the rows wrap; your version must still be in view."""
    from lnrs_toolkit.plugin.core.editing.checkin import Conflict
    from lnrs_toolkit.plugin.core.editing.edits import Edit
    from lnrs_toolkit.plugin.core.editing.opportunity_feature import OpportunityFeature, geometry_sha256
    from lnrs_toolkit.plugin.gui.conflict_dialog import ConflictDialog
    from shapely.geometry import box

    def area(codes: str, name: str) -> OpportunityFeature:
        return OpportunityFeature(1, codes, box(375_000, 165_000, 375_300, 165_300), name, "A1", "1")

    many = ";".join(f"WD{i:03d}" for i in range(1, 25))
    edit = Edit("update", 1, "1", area("WD001", "Bath meadows"), area(many, "Bath meadows and the long river "
                                                                            "corridor beside the old mill"))
    conflict = Conflict(edit, area(many.replace("WD", "GR"), "Bath meadows (north)"), None, "It changed. " * 20)
    dialog = ConflictDialog(conflict, lambda f: f.measures.replace(";", ", "), geometry_sha256, "1 of 1")
    try:
        dialog.show()
        QCoreApplication.processEvents()
        table = dialog.table
        viewport = table.viewport().rect()
        assert table.verticalScrollBar().maximum() == 0
        for row in range(table.rowCount()):
            assert viewport.contains(table.visualRect(table.model().index(row, 1))), row
    finally:
        dialog.deleteLater()


def _wait_for(condition, timeout: float = 10.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_told_when_a_colleague_saves_to_the_geopackage(panel, pack, tmp_path, answers):
    """What teams miss (issue 20): the tab notices the pack file changed under a colleague's check-in, and the
    notice's button updates the working copy."""
    panel.start_editing()
    set_measures(panel.layer, 1, "{GR002}")
    assert panel.save_to_map()  # our own save: not news
    assert not _wait_for(lambda: "Someone saved" in panel.context.last_message, 2.5)
    change_behind_the_panels_back(pack, tmp_path, 2, "FW012")
    assert _wait_for(lambda: "Someone saved" in panel.context.last_message)
    button = panel.map_notice.button
    assert button is not None and button.text() == "Update from the map"
    button.click()
    assert feature_by_pack_fid(panel.layer, 2)["measures"] == "{FW012}"
    assert "Brought in what others saved" in panel.context.last_message
