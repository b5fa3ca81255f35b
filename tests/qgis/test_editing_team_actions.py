"""What LNRS teams missed in the Edit map tab (issue 20): *Save to my working copy* keeps edits without sending them
(pending, kept across a restart), and the *PostGIS* menu opens the set-up algorithms' dialogs filled in from the
dock's pack."""

from __future__ import annotations

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
