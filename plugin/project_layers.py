"""Adding a pack's layers to the QGIS project, styled, in a layer group named after the pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsFillSymbol,
    QgsLayerTreeGroup,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProject,
    QgsRectangle,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor, QFont

from .__about__ import PLUGIN_ROOT
from .adapters.pack_source import PackSource, load_pack, postgres_connection
from .core.errors import PackError
from .core.metric.vocabulary import ANCIENT_WOODLAND_STATUSES, DESIGNATIONS, IRREPLACEABLE_TYPES, TREE_STATUSES
from .core.pack.model import PackData
from .core.pack.schema import AREA, DESIGNATED, INTERIM, IRREPLACEABLE, MEASURES, OPPORTUNITY, PACK_CRS, TREES

DEMO_PACK = PLUGIN_ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg"

#: Layers in the group, top to bottom.
LAYER_ORDER = (TREES, DESIGNATED, IRREPLACEABLE, OPPORTUNITY, INTERIM, AREA, MEASURES)

DESIGNATION_COLOURS: dict[str, str] = {
    "SAC": "#7b3294", "SPA": "#2c7bb6", "Ramsar": "#00897b", "SSSI": "#d7191c",
    "NNR": "#a6611a", "LNR": "#1a9641", "LWS": "#f28e2b",
}
IRREPLACEABLE_COLOURS: dict[str, str] = {
    "ASNW": "#1b5e20", "PAWS": "#558b2f", "wood_pasture": "#827717",
    "blanket_bog": "#4e342e", "lowland_fen": "#00695c", "limestone_pavement": "#757575",
    "coastal_sand_dunes": "#c0a060", "spartina_saltmarsh_swards": "#26a69a",
    "mediterranean_saltmarsh_scrub": "#80cbc4", "ancient_woodland": "#2e7d32",
}
TREE_STYLE: dict[str, tuple[str, float]] = {"ancient": ("#3e2723", 3.6), "veteran": ("#6d4c41", 3.0),
                                            "notable": ("#a1887f", 2.4)}


def tr(message: str) -> str:
    return str(QCoreApplication.translate("ProjectLayers", message))


def pack_group_name(pack: PackData) -> str:
    meta = pack.metadata
    name = meta.lnrs_name or tr("Local Habitat Map")
    return f"{name} ({meta.version})" if meta.version else name


def layer_for(source: PackSource, table: str, title: str) -> QgsVectorLayer:
    """A QGIS layer on one table of the pack (GeoPackage through OGR, PostGIS through the postgres provider)."""
    if source.kind == "postgis":
        uri = QgsDataSourceUri(postgres_connection(source.connection).uri())
        spatial = table not in (MEASURES.name, "pack_metadata")
        uri.setDataSource(source.schema, table, "geom" if spatial else "", "", "fid")
        layer = QgsVectorLayer(uri.uri(False), title, "postgres")
    else:
        layer = QgsVectorLayer(f"{source.path}|layername={table}", title, "ogr")
    if not layer.isValid():
        raise PackError(tr("The table '{0}' of the pack {1} cannot be opened in QGIS.").format(table, source))
    return layer


# --------------------------------------------------------------------------- styles
def _fill(colour: str, opacity: float, outline: str | None = None, width: float = 0.3) -> QgsFillSymbol:
    """A simple fill of ``colour`` at ``opacity`` with a solid outline."""
    symbol = QgsFillSymbol.createSimple({"color": colour, "style": "solid", "outline_color": outline or colour,
                                         "outline_width": str(width), "outline_style": "solid"})
    fill = QColor(colour)
    fill.setAlphaF(opacity)
    symbol.symbolLayer(0).setFillColor(fill)
    return symbol


def _categorized(expression: str, items: list[tuple[str, str, Any]]) -> QgsCategorizedSymbolRenderer:
    categories = [QgsRendererCategory(value, symbol, label) for value, label, symbol in items]
    return QgsCategorizedSymbolRenderer(expression, categories)


def style_designated(layer: QgsVectorLayer) -> None:
    items = [(code, f"{code}: {DESIGNATIONS[code]}", _fill(colour, 0.3, colour, 0.5))
             for code, colour in DESIGNATION_COLOURS.items()]
    layer.setRenderer(_categorized("designation", items))


def style_irreplaceable(layer: QgsVectorLayer) -> None:
    labels = {**ANCIENT_WOODLAND_STATUSES, **IRREPLACEABLE_TYPES}
    items = []
    for value, colour in IRREPLACEABLE_COLOURS.items():
        symbol = _fill(colour, 0.65, "#0b3d0b", 0.3)
        items.append((value, labels.get(value, value), symbol))
    layer.setRenderer(_categorized('coalesce("status", "habitat_type")', items))


def style_trees(layer: QgsVectorLayer) -> None:
    items = []
    for status, (colour, size) in TREE_STYLE.items():
        symbol = QgsMarkerSymbol.createSimple({"name": "circle", "color": colour, "outline_color": "#ffffff",
                                               "outline_width": "0.4", "size": str(size)})
        items.append((status, TREE_STATUSES[status], symbol))
    layer.setRenderer(_categorized("status", items))


#: The label of an opportunity area: its codes as "WD001, WD006", whether stored as ``WD001;WD006`` (the pack)
#: or ``{WD001,WD006}`` (a working copy, as QGIS's multi-select writes them).
MEASURES_LABEL = "regexp_replace(regexp_replace(\"measures\", '[{}\"]', ''), ' *[;,|] *', ', ')"


def style_opportunity(layer: QgsVectorLayer) -> None:
    symbol = _fill("#ffb300", 0.4, "#e65100", 0.4)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    settings = QgsPalLayerSettings()
    settings.fieldName = MEASURES_LABEL
    settings.isExpression = True
    # Qgis.LabelPlacement, not QgsPalLayerSettings.OverPoint: on QGIS 3.40 that old alias names the
    # LabelPredefinedPointPosition member of the same name, and assigning it raises TypeError
    settings.placement = Qgis.LabelPlacement.OverPoint
    fmt = QgsTextFormat()
    font = QFont()
    font.setBold(True)
    fmt.setFont(font)
    fmt.setSize(8)
    fmt.setColor(QColor("#4e2600"))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("#ffffff"))
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def style_interim(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(_fill("#ab47bc", 0.25, "#6a1b9a", 0.3)))


def style_area(layer: QgsVectorLayer) -> None:
    symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#37474f", "outline_width": "0.7",
                                         "outline_style": "dash"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


STYLERS = {
    DESIGNATED.name: style_designated,
    IRREPLACEABLE.name: style_irreplaceable,
    TREES.name: style_trees,
    OPPORTUNITY.name: style_opportunity,
    INTERIM.name: style_interim,
    AREA.name: style_area,
}


# --------------------------------------------------------------------------- project
def add_pack_to_project(source: PackSource | str, project: QgsProject | None = None,
                        pack: PackData | None = None) -> QgsLayerTreeGroup:
    """Add every table of the pack as a styled layer in a group named after the pack (replacing a
    group of the same name), and return the group."""
    if isinstance(source, str):
        source = PackSource.parse(source)
    project = project or QgsProject.instance()
    pack = pack or load_pack(source)
    name = pack_group_name(pack)
    root = project.layerTreeRoot()
    old = root.findGroup(name)
    if old is not None:
        for layer_id in old.findLayerIds():
            project.removeMapLayer(layer_id)
        root.removeChildNode(old)
    group = root.insertGroup(0, name)
    for spec in LAYER_ORDER:
        if spec.name not in pack.layers:
            continue
        layer = layer_for(source, spec.name, tr(spec.title))
        styler = STYLERS.get(spec.name)
        if styler is not None:
            styler(layer)
        layer.setCustomProperty("lnrs_toolkit/pack_source", str(source))
        layer.setCustomProperty("lnrs_toolkit/pack_table", spec.name)
        project.addMapLayer(layer, False)
        group.addLayer(layer)
    return group


def group_extent(group: QgsLayerTreeGroup) -> QgsRectangle:
    """The combined extent of the group's spatial layers (in their CRS, EPSG:27700 for packs)."""
    extent = QgsRectangle()
    for node in group.findLayers():
        layer = node.layer()
        if layer is None or not layer.isSpatial():
            continue
        box = layer.extent()
        if box.isEmpty():
            continue
        if extent.isEmpty():
            extent = QgsRectangle(box)
        else:
            extent.combineExtentWith(box)
    return extent


def open_pack_in_project(source: PackSource | str, zoom: bool = True, canvas: Any = None) -> QgsLayerTreeGroup:
    """Add the pack's styled layers to the current project and zoom the map (QGIS's, by default) to them."""
    project = QgsProject.instance()
    if not project.mapLayers():
        project.setCrs(QgsCoordinateReferenceSystem(PACK_CRS))
        # Airy 1830, British National Grid's own ellipsoid: measuring needs no WGS 84 datum shift
        project.setEllipsoid("EPSG:7001")
    group = add_pack_to_project(source, project)
    if canvas is None:
        from qgis.utils import iface

        canvas = iface.mapCanvas() if iface is not None else None
    extent = group_extent(group)
    if zoom and canvas is not None and not extent.isEmpty():
        if canvas.mapSettings().destinationCrs() != QgsCoordinateReferenceSystem(PACK_CRS):
            canvas.setDestinationCrs(QgsCoordinateReferenceSystem(PACK_CRS))
        extent.scale(1.05)
        canvas.setExtent(extent)
        canvas.refresh()
    return group


def demo_pack_path() -> Path:
    return DEMO_PACK
