"""Where the sites to screen come from: features of a QGIS layer (selected, or all of a file), each one site in
EPSG:27700 with its reference from the layer's display expression."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsProject,
    QgsVectorLayer,
)

from ..adapters.qgis_geometry import to_qgs, to_shapely, transform_to_pack
from ..adapters.qgis_ostn15 import describe_transform
from ..core.errors import LnrsError
from ..core.screening.odp_application import ODP_CRS_EPSG, read_application_file
from ..core.screening.results import SiteTransform


@dataclass(frozen=True)
class Site:
    """A site to screen: its reference and its shapely geometry in EPSG:27700. ``named`` says whether the reference
    came with the site (a field of its file or layer) rather than a stand-in (the feature id, "Drawn site");
    ``address`` is the site's address when it came with one or was typed (it goes on the reports)."""

    ref: str
    geometry: Any
    notes: tuple[str, ...] = ()
    named: bool = True
    address: str = ""  # when the source gives one (an Open Digital Planning application)
    transform: SiteTransform | None = None  # what moved it to EPSG:27700 (OSTN15 or not), for the reports


def sites_from_features(layer: QgsVectorLayer, features: list[Any]) -> tuple[list[Site], list[str]]:
    """Each feature becomes one site (reference from the layer's display expression, else its position in
    ``features`` from 1, as in every front); the
    features that cannot be used come back as "ref: why". Raises :class:`LnrsError` when the layer's CRS cannot be
    transformed to the pack's."""
    transform = transform_to_pack(layer.crs(), QgsProject.instance().transformContext(), layer.name())
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    expression = QgsExpression(layer.displayExpression())
    sites, problems = [], []
    for number, feat in enumerate(features, start=1):
        context.setFeature(feat)
        value = expression.evaluate(context) if layer.displayExpression() else None
        named = value not in (None, "") and not expression.hasEvalError()
        ref = str(value).strip() if named else str(number)
        try:
            converted = to_shapely(feat.geometry(), transform)
        except LnrsError as exc:
            problems.append(f"{ref}: {exc}")
            continue
        sites.append(Site(ref, converted.geometry, converted.notes, named and bool(ref),
                          transform=describe_transform(layer.crs(), transform)))
    return sites, problems


def sites_from_application_file(path: str) -> list[Site] | None:
    """The site of an Open Digital Planning (PlanX) application JSON, its red line moved from WGS84 to
    EPSG:27700 (reference and address from the application); None when ``path`` is not one. Raises
    :class:`LnrsError` when it is one without a usable boundary."""
    app = read_application_file(path)
    if app is None:
        return None
    crs = QgsCoordinateReferenceSystem(f"EPSG:{ODP_CRS_EPSG}")
    transform = transform_to_pack(crs, QgsProject.instance().transformContext(), Path(path).name)
    converted = to_shapely(to_qgs(app.geometry), transform)
    return [Site(app.reference, converted.geometry, converted.notes, named=bool(app.reference), address=app.address,
                 transform=describe_transform(crs, transform))]


def open_sites_file(path: str) -> QgsVectorLayer:
    """The file as a layer, its polygons only when it mixes geometry types (a GeoJSON or KML often does)."""
    layer = QgsVectorLayer(path, Path(path).stem, "ogr")
    if layer.isValid() and layer.geometryType() != Qgis.GeometryType.Polygon:
        polygons_only = QgsVectorLayer(f"{path}|geometrytype=Polygon", Path(path).stem, "ogr")
        if polygons_only.isValid() and polygons_only.featureCount() > 0:
            layer = polygons_only
    return layer
