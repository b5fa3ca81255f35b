"""A version comparison as styled temporary layers in the project."""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..adapters.version_layers import changes_layer, sites_layer
from ..core.versions.compare import ADDED, CHANGED, REMOVED, VersionComparison

#: Change kind -> colour.
CHANGE_COLOURS: dict[str, str] = {ADDED: "#2e7d32", REMOVED: "#c62828", CHANGED: "#ef8f00"}
SITE_COLOUR = "#6a1b9a"


def tr(message: str) -> str:
    return str(QCoreApplication.translate("VersionsMap", message))


def _fill(colour: str, alpha: float = 0.4) -> QgsFillSymbol:
    fill = QColor(colour)
    fill.setAlphaF(alpha)
    symbol = QgsFillSymbol.createSimple({"style": "solid", "outline_color": colour, "outline_width": "0.6"})
    symbol.symbolLayer(0).setFillColor(fill)
    return symbol


def styled_changes_layer(comparison: VersionComparison, name: str) -> QgsVectorLayer:
    layer = changes_layer(comparison, name)
    labels = {ADDED: tr("Added"), REMOVED: tr("Removed"), CHANGED: tr("Changed")}
    categories = [QgsRendererCategory(kind, _fill(colour), labels[kind]) for kind, colour in CHANGE_COLOURS.items()]
    layer.setRenderer(QgsCategorizedSymbolRenderer("change", categories))
    layer.setDisplayExpression('"details"')
    return layer


def styled_sites_layer(comparison: VersionComparison, name: str) -> QgsVectorLayer:
    layer = sites_layer(comparison, name)
    layer.setRenderer(QgsSingleSymbolRenderer(_fill(SITE_COLOUR, 0.25)))
    layer.setDisplayExpression('"details"')
    return layer


def add_comparison_to_project(comparison: VersionComparison, project: QgsProject | None = None) -> \
        tuple[QgsLayerTreeGroup, list[QgsVectorLayer]]:
    """The changes (and the sites whose answers change) in a new group at the top of the layer tree."""
    project = project or QgsProject.instance()
    title = tr("Changes {0} \u2192 {1}").format(comparison.from_label, comparison.to_label)
    group = project.layerTreeRoot().insertGroup(0, title)
    layers = []
    if comparison.sites is not None:
        layers.append(styled_sites_layer(comparison, tr("Screened sites whose answers change")))
    layers.append(styled_changes_layer(comparison, tr("Opportunity area changes")))
    for layer in layers:
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    return group, layers
