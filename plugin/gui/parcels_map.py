"""A parcel run's pieces and issues as styled temporary layers in the project."""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLayerTreeGroup,
    QgsMarkerSymbol,
    QgsProject,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..adapters.parcel_layers import ParcelRun
from ..core.metric.significance import HIGH, LOW, MEDIUM
from ..core.pack.schema import PACK_CRS

#: Strategic significance category -> colour, on the map and in the panel's parcels table.
SIGNIFICANCE_COLOURS: dict[str, str] = {HIGH.category: "#2e7d32", MEDIUM.category: "#f9a825",
                                        LOW.category: "#90a4ae"}
NOT_ASSESSED_COLOUR = "#bdbdbd"
ISSUE_COLOUR = "#d32f2f"


def tr(message: str) -> str:
    return str(QCoreApplication.translate("ParcelsMap", message))


def _fill(colour: str) -> QgsFillSymbol:
    fill = QColor(colour)
    fill.setAlphaF(0.45)
    symbol = QgsFillSymbol.createSimple({"style": "solid", "outline_color": "#263238", "outline_width": "0.4"})
    symbol.symbolLayer(0).setFillColor(fill)
    return symbol


def _memory_layer(geometry: str, name: str, run: ParcelRun, pieces: bool) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{geometry}?crs={PACK_CRS}", name, "memory")
    fields = run.piece_fields() if pieces else run.issue_fields()
    provider = layer.dataProvider()
    provider.addAttributes(fields.toList())
    layer.updateFields()
    provider.addFeatures(run.piece_features(layer.fields()) if pieces else run.issue_features(layer.fields()))
    layer.updateExtents()
    return layer


def pieces_layer(run: ParcelRun) -> QgsVectorLayer:
    """The pieces with the input's fields and the significance fields, coloured by category."""
    layer = _memory_layer("MultiPolygon", tr("Parcels with strategic significance"), run, True)
    field = run.piece_field("category")
    categories = [QgsRendererCategory(name, _fill(colour), name) for name, colour in SIGNIFICANCE_COLOURS.items()]
    categories.append(QgsRendererCategory("", _fill(NOT_ASSESSED_COLOUR), tr("Not assessed")))
    layer.setRenderer(QgsCategorizedSymbolRenderer(field, categories))
    layer.setDisplayExpression(f'"{run.piece_field("piece_ref")}"')
    return layer


def issues_layer(run: ParcelRun) -> QgsVectorLayer:
    """The issues as points (a polygon issue at a point inside it, with its area)."""
    layer = _memory_layer("Point", tr("Parcel issues"), run, False)
    symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": ISSUE_COLOUR, "outline_color": "#ffffff",
                                           "outline_width": "0.5", "size": "3.2"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setDisplayExpression('"kind" || \': \' || "message"')
    return layer


def add_run_to_project(run: ParcelRun, group_name: str, project: QgsProject | None = None) -> QgsLayerTreeGroup:
    """Add the issues and pieces layers (issues on top) in a new group at the top of the layer tree."""
    project = project or QgsProject.instance()
    group = project.layerTreeRoot().insertGroup(0, group_name)
    for layer in (issues_layer(run), pieces_layer(run)):
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    return group
