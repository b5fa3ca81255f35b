"""Snapping in the Edit map tab (issue 20): while the opportunity areas are edited the project snaps to the strategy
boundary and the neighbouring areas, and the user's own snapping comes back exactly afterwards; *Snap to the
boundary* puts an area digitised a little outside (or a narrow gap) right, as one undoable edit."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.plugin.settings import PluginSettings
from lnrs_toolkit.tests.qgis import test_editing_panel as panel_tests
from lnrs_toolkit.tests.qgis.test_editing_panel import feature_by_pack_fid, geometry
from lnrs_toolkit.tests.unit.edit_packs import X0, Y0, build_edit_pack
from qgis.core import Qgis, QgsProject, QgsSnappingConfig, QgsTolerance

answers, dock, panel = panel_tests.answers, panel_tests.dock, panel_tests.panel  # fixtures (on this module's pack)

#: The strategy area: its southern boundary is the line y = Y0, on which the three areas of the pack stand.
STRATEGY = shapely.box(X0 - 500, Y0, X0 + 3000, Y0 + 1000)


@pytest.fixture()
def pack(tmp_path):
    """The editing tests' pack with a strategy area, and a strategy that tolerates no digitising slip (so that an
    area 2 cm outside is refused)."""
    path = tmp_path / "edit_pack.gpkg"
    build_edit_pack(path)
    add_rows(path, map_rows("area", [{}], np.asarray([STRATEGY], dtype=object), FieldMapping(), "district", [],
                            "polygon"), {"opportunity_rules": json.dumps({"outside_tolerance_m": 0})})
    return path


def strategy_layers(project: QgsProject) -> list:
    return [layer for layer in project.mapLayers().values()
            if layer.customProperty("lnrs_toolkit/pack_table") == "strategy_area"]


def shape_of(layer, fid: int):
    return shapely.from_wkb(bytes(layer.getFeature(fid).geometry().asWkb()))


def test_snapping_is_set_while_editing_and_the_users_own_comes_back_exactly(dock, panel):
    project = QgsProject.instance()
    assert panel.snapping.checkbox.isChecked() and panel.snapping.checkbox.text().replace("&", "") == \
        "Snap to the boundary and neighbours"
    assert panel.start_editing()
    assert project.snappingConfig().mode() == Qgis.SnappingMode.AdvancedConfiguration
    panel.layer.rollBack()  # QGIS's Toggle Editing: the working layers stay in the project
    user = QgsSnappingConfig(project.snappingConfig())  # the user's own: every layer, vertices, 25 map units
    user.setEnabled(True)
    user.setMode(Qgis.SnappingMode.AllLayers)
    user.setTypeFlag(Qgis.SnappingTypes(Qgis.SnappingType.Vertex))
    user.setTolerance(25.0)
    user.setUnits(QgsTolerance.UnitType.ProjectUnits)
    project.setSnappingConfig(user)
    project.setTopologicalEditing(True)
    before = QgsSnappingConfig(project.snappingConfig())
    assert panel.layer.startEditing()
    layer = panel.layer
    config = project.snappingConfig()
    assert config != before and config.enabled() and config.mode() == Qgis.SnappingMode.AdvancedConfiguration
    (area,) = strategy_layers(project)
    assert area.readOnly() and area.customProperty("lnrs_toolkit/snap_target") == "1"
    assert project.layerTreeRoot().findLayer(area.id()).parent().name() == panel._group_name(panel.source)
    targets = {lyr.id() for lyr, settings in config.individualLayerSettings().items() if settings.enabled()}
    assert targets == {layer.id(), area.id()}  # not the measures table, nor any other layer
    for target in (layer, area):
        settings = config.individualLayerSettings(target)
        assert settings.tolerance() == 12.0 and settings.units() == QgsTolerance.UnitType.Pixels
        assert settings.typeFlag() & Qgis.SnappingType.Vertex and settings.typeFlag() & Qgis.SnappingType.Segment
    assert not project.topologicalEditing()
    # editing stops (QGIS's Toggle Editing): the user's snapping is back as it was, the added layer gone
    layer.rollBack()
    assert project.snappingConfig() == before and project.topologicalEditing()
    assert strategy_layers(project) == [] and panel.snapping.saved is None
    # editing again snaps again; turning the option off puts the user's back, and is remembered
    assert layer.startEditing()
    assert project.snappingConfig().mode() == Qgis.SnappingMode.AdvancedConfiguration
    panel.snapping.checkbox.setChecked(False)
    assert project.snappingConfig() == before and project.topologicalEditing()
    assert PluginSettings.load(panel.context.settings_store).snap_while_editing is False
    panel.snapping.checkbox.setChecked(True)
    assert PluginSettings.load(panel.context.settings_store).snap_while_editing is True
    assert project.snappingConfig().mode() == Qgis.SnappingMode.AdvancedConfiguration
    assert len(strategy_layers(project)) == 1
    # the dock closes while editing: the user's snapping comes back too
    dock.close_down()
    assert project.snappingConfig() == before and project.topologicalEditing()
    assert strategy_layers(project) == []


def test_a_strategy_area_already_in_the_project_is_used_and_left_there(dock, panel, pack):
    from lnrs_toolkit.plugin.project_layers import add_pack_to_project

    group = add_pack_to_project(str(pack))
    (area,) = strategy_layers(QgsProject.instance())
    assert panel.start_editing()
    config = QgsProject.instance().snappingConfig()
    assert config.individualLayerSettings(area).enabled()
    assert strategy_layers(QgsProject.instance()) == [area] and not area.readOnly()  # the user's layer, untouched
    panel.layer.rollBack()
    assert strategy_layers(QgsProject.instance()) == [area] and group.findLayer(area.id()) is not None


def choose(panel, rule: str) -> None:
    rows = [i for i, issue in enumerate(panel.issues) if issue.rule == rule]
    assert rows, [i.rule for i in panel.issues]
    panel.issues_list.setCurrentRow(rows[0])


def test_snap_to_the_boundary_fixes_an_area_2_cm_outside_as_an_undoable_edit(panel):
    assert panel.start_editing()
    layer = panel.layer
    fid = feature_by_pack_fid(layer, 1).id()
    outside = shapely.box(X0, Y0 - 0.02, X0 + 250, Y0 + 300)  # narrowed, its southern edge 2 cm outside the area
    assert layer.changeGeometry(fid, geometry(outside))
    assert not panel.check_changes()
    assert not panel.snap_action.button.isEnabled()  # nothing chosen yet
    choose(panel, "outside_strategy_area")
    assert panel.snap_action.button.isEnabled()
    assert layer.undoStack().count() == 0  # the check saved the layer into the working copy
    panel.snap_action.button.click()
    snapped = shape_of(layer, fid)
    assert snapped.bounds == pytest.approx((X0, Y0, X0 + 250, Y0 + 300), abs=1e-6)
    assert [i.rule for i in panel.issues if i.rule == "outside_strategy_area"] == []  # checked again
    message = panel.context.last_message
    assert "Snapped 2 vertex(es) of opportunity area 1 ‘Bath meadows’ onto the strategy boundary" in message
    assert "Checked again: your changes pass every check." in message and "Undo" in message
    assert layer.isModified() and layer.undoStack().count() == 1  # one edit, as QGIS's own tools make
    layer.undoStack().undo()
    assert shapely.equals(shape_of(layer, fid), outside)
    layer.undoStack().redo()
    assert panel.check_changes()  # the snapped area passes, saved into the working copy


def test_an_area_5_m_outside_is_not_moved_and_the_message_says_why(panel):
    assert panel.start_editing()
    layer = panel.layer
    fid = feature_by_pack_fid(layer, 2).id()
    outside = shapely.box(X0 + 1000, Y0 - 5, X0 + 1300, Y0 + 300)
    assert layer.changeGeometry(fid, geometry(outside))
    assert not panel.check_changes()
    choose(panel, "outside_strategy_area")
    assert not panel.snap_action.snap()
    assert shapely.equals(shape_of(layer, fid), outside) and not layer.isModified()
    assert "was not moved: it reaches 5.00 m outside the strategy area" in panel.context.last_message


def test_snap_closes_a_narrow_gap_to_the_neighbour(panel):
    assert panel.start_editing()
    layer = panel.layer
    fid = feature_by_pack_fid(layer, 2).id()
    assert layer.changeGeometry(fid, geometry(shapely.box(X0 + 300.4, Y0, X0 + 600, Y0 + 300)))  # 40 cm from area 1
    assert panel.check_changes()  # a warning only
    choose(panel, "gap")
    assert "neighbouring" in panel.snap_action.button.toolTip()
    assert panel.snap_action.snap()
    snapped = shape_of(layer, fid)
    neighbour = shape_of(layer, feature_by_pack_fid(layer, 1).id())
    assert shapely.distance(snapped, neighbour) == 0 and shapely.area(shapely.intersection(snapped, neighbour)) == 0
    assert [i for i in panel.issues if i.rule == "gap"] == []
