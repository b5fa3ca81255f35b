"""Snapping while the opportunity areas are edited (issue 20): the Edit map tab's *Snap to the boundary and
neighbours* option (the strategy boundary; the label is short enough for a 440 px dock).

While the working layer is in edit mode and the option is on (the default, remembered in the plugin settings as
``snap_while_editing``), the project's snapping is set to snap to the vertices and edges of the working layer (the
neighbouring areas) and of the pack's strategy area, within :data:`TOLERANCE_PX` pixels, with topological editing
off. The strategy area layer already in the project is used; without one, the pack's is added to the working
layers' group, read-only and drawn as an outline, and taken away again afterwards.

The user's own snapping configuration (and topological editing) is kept as it was and put back exactly when editing
stops, the option is turned off, the working layer goes or the dock closes: nothing the user set is lost.
"""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import Qgis, QgsProject, QgsSnappingConfig, QgsTolerance, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QObject, QTimer
from qgis.PyQt.QtWidgets import QCheckBox, QWidget

from ..adapters.pack_source import PackSource
from ..core.errors import LnrsError
from ..core.pack.schema import AREA
from ..project_layers import layer_for, style_area
from .dock_context import DockContext
from .editing_layers import editing_group

#: Snapping distance on screen: the QGIS default for a comfortable reach.
TOLERANCE_PX = 12.0
#: Custom properties of pack layers in the project (as :func:`..project_layers.add_pack_to_project` sets them).
PACK_SOURCE, PACK_TABLE = "lnrs_toolkit/pack_source", "lnrs_toolkit/pack_table"
#: Marks the strategy area layer added for snapping (taken away again when snapping stops).
SNAP_TARGET = "lnrs_toolkit/snap_target"
translate = QCoreApplication.translate  # context "EditingPanel": these texts are the tab's


def target_settings() -> Any:
    """Vertex and segment snapping within :data:`TOLERANCE_PX` pixels (``QgsSnappingConfig.IndividualLayerSettings``;
    not the annotation, which the Qt6 check would read as an unscoped enum member)."""
    kinds = Qgis.SnappingTypes(Qgis.SnappingType.Vertex | Qgis.SnappingType.Segment)
    return QgsSnappingConfig.IndividualLayerSettings(True, kinds, TOLERANCE_PX, QgsTolerance.UnitType.Pixels, 0.0,
                                                     0.0)


class EditSnapping(QObject):
    """The option's check box and the project snapping it sets while the working layer is edited."""

    def __init__(self, context: DockContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.context = context
        self.checkbox = QCheckBox(translate("EditingPanel", "Snap to the &boundary and neighbours"), parent)
        self.checkbox.setObjectName("snapWhileEditingCheckBox")
        self.checkbox.setToolTip(translate(
            "EditingPanel", "While you edit the opportunity areas, QGIS snaps to the strategy boundary and to the "
                            "neighbouring areas (vertices and edges); your own snapping settings come back when "
                            "editing stops"))
        self.checkbox.setChecked(bool(context.settings.snap_while_editing))
        self.checkbox.toggled.connect(self._toggled)
        self.layer: QgsVectorLayer | None = None
        self.source: PackSource | None = None
        self.group_name = ""
        #: The user's snapping configuration and topological editing, while this one is in force.
        self.saved: tuple[QgsSnappingConfig, bool] | None = None
        self.area_layer_id = ""  # a strategy area layer added for snapping
        QgsProject.instance().cleared.connect(self._forget)

    @property
    def active(self) -> bool:
        return self.saved is not None

    # ------------------------------------------------------------------ the working layer
    def attach(self, layer: QgsVectorLayer, source: PackSource, group_name: str) -> None:
        """The working layer is shown for editing: snap while it is in edit mode."""
        if layer is not self.layer:
            self.detach()
            self.layer = layer
            for signal, slot in self._signals(layer):
                signal.connect(slot)
        self.source, self.group_name = source, group_name
        self.apply()

    def _signals(self, layer: QgsVectorLayer) -> list[tuple[Any, Any]]:
        return [(layer.editingStarted, self.apply), (layer.editingStopped, self.restore),
                (layer.willBeDeleted, self._layer_gone)]

    def detach(self) -> None:
        """Stop snapping for the working layer (the user's configuration comes back)."""
        self.restore()
        layer, self.layer = self.layer, None
        if layer is None:
            return
        with contextlib.suppress(RuntimeError):  # the layer may be deleted already
            for signal, slot in self._signals(layer):
                with contextlib.suppress(TypeError, RuntimeError):
                    signal.disconnect(slot)

    def _layer_gone(self) -> None:
        """The working layer is being deleted: the configuration comes back at once, the added strategy area
        layer once the project has finished removing layers (it may be one of them)."""
        layer_id, self.area_layer_id = self.area_layer_id, ""
        self.restore()
        self.layer = None
        if layer_id:
            QTimer.singleShot(0, lambda: self._remove_layer(layer_id, self.group_name))

    def close_down(self) -> None:
        """The dock closes: put the user's snapping back and stop following the project."""
        self.detach()
        with contextlib.suppress(TypeError, RuntimeError):
            QgsProject.instance().cleared.disconnect(self._forget)

    # ------------------------------------------------------------------ the option
    def _toggled(self, checked: bool) -> None:
        self.context.settings.snap_while_editing = bool(checked)
        self.context.save_settings()
        if checked:
            self.apply()
        else:
            self.restore()

    def apply(self) -> bool:
        """Set the project's snapping for editing (the user's kept first); False when the option is off or the
        working layer is not being edited."""
        layer = self.layer
        if not self.checkbox.isChecked() or layer is None or not layer.isEditable():
            return False
        project = QgsProject.instance()
        if self.saved is None:  # kept before the strategy area layer is added: that adds it to the configuration
            self.saved = (QgsSnappingConfig(project.snappingConfig()), bool(project.topologicalEditing()))
        area = self._strategy_area_layer(project)
        config = QgsSnappingConfig(project.snappingConfig())
        config.setEnabled(True)
        config.setMode(Qgis.SnappingMode.AdvancedConfiguration)
        for other, settings in config.individualLayerSettings().items():  # only the working layers are targets
            if settings.enabled():
                settings.setEnabled(False)
                config.setIndividualLayerSettings(other, settings)
        for target in (layer, area):
            if target is not None:
                config.setIndividualLayerSettings(target, target_settings())
        project.setSnappingConfig(config)
        project.setTopologicalEditing(False)
        return True

    def restore(self) -> None:
        """Put the user's snapping configuration and topological editing back as they were, and take the
        strategy area layer added for snapping away."""
        saved, self.saved = self.saved, None
        project = QgsProject.instance()
        if saved is not None:
            config, topological = saved
            project.setSnappingConfig(config)
            project.setTopologicalEditing(topological)
        layer_id, self.area_layer_id = self.area_layer_id, ""
        if layer_id:
            self._remove_layer(layer_id, self.group_name)

    def _forget(self) -> None:
        """A new project: the old one's snapping is not put into it."""
        self.saved = None
        self.area_layer_id = ""

    # ------------------------------------------------------------------ the strategy area layer
    def _strategy_area_layer(self, project: QgsProject) -> QgsVectorLayer | None:
        """The pack's strategy area in the project, added (read-only, an outline) when it is not there; None when
        the pack has none."""
        source = self.source
        if source is None:
            return None
        for candidate in project.mapLayers().values():
            if isinstance(candidate, QgsVectorLayer) and candidate.isValid() \
                    and candidate.customProperty(PACK_TABLE) == AREA.name \
                    and candidate.customProperty(PACK_SOURCE) == str(source):
                return candidate
        try:
            layer = layer_for(source, AREA.name, translate("EditingPanel", "Strategy area (snapping)"))
        except LnrsError:
            return None  # a pack without a strategy area: the neighbours are still snapped to
        style_area(layer)
        layer.setReadOnly(True)
        for key, value in ((PACK_SOURCE, str(source)), (PACK_TABLE, AREA.name), (SNAP_TARGET, "1")):
            layer.setCustomProperty(key, value)
        project.addMapLayer(layer, False)
        editing_group(project, self.group_name).addLayer(layer)
        self.area_layer_id = layer.id()
        return layer

    @staticmethod
    def _remove_layer(layer_id: str, group_name: str) -> None:
        project = QgsProject.instance()
        if project.mapLayer(layer_id) is not None:
            project.removeMapLayer(layer_id)
        group = project.layerTreeRoot().findGroup(group_name) if group_name else None
        if group is not None and not group.children():
            project.layerTreeRoot().removeChildNode(group)
