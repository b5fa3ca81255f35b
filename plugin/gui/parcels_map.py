"""A parcel run's features (one temporary layer per module) and issues as styled temporary layers in the project."""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLayerTreeGroup,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsProject,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..adapters.defra_file import DefraRun
from ..adapters.parcel_layers import ParcelRun, file_piece_features, file_piece_fields, issue_features
from ..core.metric.module_types import AREA, HEDGEROW, MODULES, TREE, WATERCOURSE
from ..core.metric.significance import HIGH, LOW, MEDIUM
from ..core.pack.schema import PACK_CRS

#: Strategic significance category -> colour, on the map and in the panel's features table.
SIGNIFICANCE_COLOURS: dict[str, str] = {HIGH.category: "#2e7d32", MEDIUM.category: "#f9a825",
                                        LOW.category: "#90a4ae"}
NOT_ASSESSED_COLOUR = "#bdbdbd"
ISSUE_COLOUR = "#d32f2f"
GEOMETRY = {AREA: "MultiPolygon", HEDGEROW: "MultiLineString", WATERCOURSE: "MultiLineString", TREE: "Point"}


def tr(message: str) -> str:
    return str(QCoreApplication.translate("ParcelsMap", message))


def layer_titles() -> dict[str, str]:
    return {AREA: tr("Area habitats with strategic significance"),
            HEDGEROW: tr("Hedgerows with strategic significance"),
            WATERCOURSE: tr("Watercourses with strategic significance"),
            TREE: tr("Trees with strategic significance")}


def _symbol(module: str, colour: str) -> QgsSymbol:
    fill = QColor(colour)
    if module == AREA:
        fill.setAlphaF(0.45)
        symbol = QgsFillSymbol.createSimple({"style": "solid", "outline_color": "#263238", "outline_width": "0.4"})
        symbol.symbolLayer(0).setFillColor(fill)
        return symbol
    if module == TREE:
        return QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "outline_color": "#263238",
                                             "size": "2.6"})
    dash = "dash" if module == HEDGEROW else "solid"
    return QgsLineSymbol.createSimple({"line_color": colour, "line_width": "1.2", "line_style": dash})


def module_layer(run: DefraRun, module: str) -> QgsVectorLayer:
    """The pieces of one module, coloured by category."""
    layer = QgsVectorLayer(f"{GEOMETRY[module]}?crs={PACK_CRS}", layer_titles()[module], "memory")
    provider = layer.dataProvider()
    provider.addAttributes(file_piece_fields().toList())
    layer.updateFields()
    provider.addFeatures(file_piece_features(run.parcels, run.result, layer.fields(), module))
    layer.updateExtents()
    categories = [QgsRendererCategory(name, _symbol(module, colour), name)
                  for name, colour in SIGNIFICANCE_COLOURS.items()]
    categories.append(QgsRendererCategory("", _symbol(module, NOT_ASSESSED_COLOUR), tr("Not assessed")))
    layer.setRenderer(QgsCategorizedSymbolRenderer("category", categories))
    layer.setDisplayExpression('"piece_ref"')
    return layer


def issues_layer(run: DefraRun) -> QgsVectorLayer:
    """The issues as points (a polygon issue at a point inside it, with its area)."""
    layer = QgsVectorLayer(f"Point?crs={PACK_CRS}", tr("Parcel issues"), "memory")
    provider = layer.dataProvider()
    provider.addAttributes(ParcelRun.issue_fields().toList())
    layer.updateFields()
    provider.addFeatures(issue_features(run.result.issues, layer.fields()))
    layer.updateExtents()
    symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": ISSUE_COLOUR, "outline_color": "#ffffff",
                                           "outline_width": "0.5", "size": "3.2"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setDisplayExpression('"code" || \': \' || "message"')
    return layer


def add_run_to_project(run: DefraRun, group_name: str, project: QgsProject | None = None) -> QgsLayerTreeGroup:
    """Add the issues and one layer per module the file has (issues on top) in a new group at the top."""
    project = project or QgsProject.instance()
    group = project.layerTreeRoot().insertGroup(0, group_name)
    present = {p.module for p in run.result.pieces}
    layers = [issues_layer(run)] + [module_layer(run, m) for m in reversed(MODULES) if m in present]
    for layer in layers:
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    return group
