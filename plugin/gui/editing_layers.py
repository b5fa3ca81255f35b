"""The working copy in the QGIS project: its opportunity layer (styled, its form picking measures from the
catalogue) and the catalogue table, in a group named after the pack, found again by a custom property."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely
from qgis.core import QgsLayerTreeGroup, QgsProject, QgsVectorLayer

from ..project_layers import style_opportunity
from .edit_form import CHOICES_TABLE, WORKING_TABLE
from .map_highlight import to_canvas_rect, zoom_to

#: Custom property marking the project layers of a working copy (value: the working copy's path).
WORKING_PROPERTY = "lnrs_toolkit/working_copy"

Layers = tuple[QgsVectorLayer | None, QgsVectorLayer | None]


def working_layers(project: QgsProject, path: Path) -> Layers:
    """The project's working layer and catalogue table of the working copy at ``path`` (None when absent)."""
    layer = choices = None
    for candidate in project.mapLayers().values():
        if candidate.customProperty(WORKING_PROPERTY) != str(path):
            continue
        if candidate.source().endswith(f"layername={WORKING_TABLE}"):
            layer = candidate
        elif candidate.source().endswith(f"layername={CHOICES_TABLE}"):
            choices = candidate
    return layer, choices


def add_working_layers(project: QgsProject, working: Any, path: Path, group_name: str, layer_name: str,
                       choices_name: str) -> Layers:
    """Open the working copy's layer and catalogue, style and mark them, and add them to the project in the group
    ``group_name``; (None, None) when QGIS cannot open them."""
    choices = QgsVectorLayer(working.choices_uri, choices_name, "ogr")
    layer = QgsVectorLayer(working.layer_uri, layer_name, "ogr")
    if not layer.isValid() or not choices.isValid():
        return None, None
    style_opportunity(layer)
    for lyr in (layer, choices):
        lyr.setCustomProperty(WORKING_PROPERTY, str(path))
    project.addMapLayer(choices, False)
    project.addMapLayer(layer, False)
    group = editing_group(project, group_name)
    group.addLayer(layer)
    group.addLayer(choices)
    return layer, choices


def editing_group(project: QgsProject, name: str) -> QgsLayerTreeGroup:
    root = project.layerTreeRoot()
    group = root.findGroup(name)
    return group if group is not None else root.insertGroup(0, name)


def remove_working_layers(project: QgsProject, layers: Layers, group_name: str | None) -> None:
    """Take the working layers out of the project, and their group when it is left empty."""
    for lyr in layers:
        if lyr is not None:
            project.removeMapLayer(lyr.id())
    if group_name is not None:
        group = project.layerTreeRoot().findGroup(group_name)
        if group is not None and not group.children():
            project.layerTreeRoot().removeChildNode(group)


def show_on_canvas(canvas: Any, layer: QgsVectorLayer) -> None:
    """Zoom to the working layer when none of it is in view (e.g. in a new, empty project)."""
    extent = layer.extent()
    if canvas is None or extent.isEmpty():
        return
    area = shapely.box(extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    view = to_canvas_rect(canvas, (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()),
                          margin=0.0, minimum_m=0.0)
    if view is not None and canvas.extent().intersects(view):
        return
    zoom_to(canvas, [area])
