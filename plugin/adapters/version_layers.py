"""A version comparison as QGIS features: the changes layer and the layer of sites whose answers change."""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis, QgsFeature, QgsField, QgsFields, QgsGeometry, QgsVectorLayer
from qgis.PyQt.QtCore import QMetaType

from ..core.pack.schema import PACK_CRS
from ..core.versions.compare import OpportunityChange, SiteChange, VersionComparison
from .qgis_geometry import to_qgs

CHANGE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("pack_fid", QMetaType.Type.LongLong), ("change", QMetaType.Type.QString), ("name", QMetaType.Type.QString),
    ("ref", QMetaType.Type.QString), ("old_codes", QMetaType.Type.QString), ("new_codes", QMetaType.Type.QString),
    ("codes_added", QMetaType.Type.QString), ("codes_removed", QMetaType.Type.QString),
    ("geom_changed", QMetaType.Type.Bool),
    ("old_area_m2", QMetaType.Type.Double), ("new_area_m2", QMetaType.Type.Double),
    ("area_diff_m2", QMetaType.Type.Double),
    ("details", QMetaType.Type.QString), ("from_version", QMetaType.Type.QString),
    ("to_version", QMetaType.Type.QString),
)
SITE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("site_ref", QMetaType.Type.QString), ("changed", QMetaType.Type.QString), ("old_verdict", QMetaType.Type.QString),
    ("new_verdict", QMetaType.Type.QString), ("old_category", QMetaType.Type.QString),
    ("new_category", QMetaType.Type.QString),
    ("old_codes", QMetaType.Type.QString), ("new_codes", QMetaType.Type.QString), ("details", QMetaType.Type.QString),
)
CHANGES_WKB_TYPE = Qgis.WkbType.MultiPolygon


def _fields(spec: tuple[tuple[str, Any], ...]) -> QgsFields:
    fields = QgsFields()
    for name, vtype in spec:
        fields.append(QgsField(name, vtype))
    return fields


def change_fields() -> QgsFields:
    return _fields(CHANGE_FIELDS)


def site_fields() -> QgsFields:
    return _fields(SITE_FIELDS)


def change_feature(c: OpportunityChange, comparison: VersionComparison, fields: QgsFields) -> QgsFeature:
    feature = QgsFeature(fields)
    geom = to_qgs(c.geometry)
    if not geom.isNull():
        geom.convertToMultiType()
    feature.setGeometry(geom)
    feature.setAttributes([c.fid, c.kind, c.name, c.ref, ";".join(c.old_codes), ";".join(c.new_codes),
                           ";".join(c.codes_added), ";".join(c.codes_removed), c.geometry_changed,
                           round(c.old_area_m2, 4), round(c.new_area_m2, 4), round(c.area_difference_m2, 4),
                           c.describe(), comparison.from_label, comparison.to_label])
    return feature


def site_feature(s: SiteChange, fields: QgsFields, geometry: QgsGeometry | None = None) -> QgsFeature:
    """``geometry``: the site as the user's layer holds it (else the EPSG:27700 geometry screened)."""
    feature = QgsFeature(fields)
    feature.setGeometry(geometry if geometry is not None else to_qgs(s.geometry))
    feature.setAttributes([s.site_ref, ", ".join(s.changed), s.old_verdict, s.new_verdict, s.old_category,
                           s.new_category, ";".join(s.old_codes), ";".join(s.new_codes), s.describe()])
    return feature


def _multipolygon_layer(name: str, fields: QgsFields, features: list[QgsFeature]) -> QgsVectorLayer:
    """A memory layer (EPSG:27700) of multipolygons with ``fields`` holding ``features``."""
    layer = QgsVectorLayer(f"MultiPolygon?crs={PACK_CRS}", name, "memory")
    layer.dataProvider().addAttributes(list(fields))
    layer.updateFields()
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def changes_layer(comparison: VersionComparison, name: str) -> QgsVectorLayer:
    """A memory layer (EPSG:27700) with one feature per opportunity area added, removed or changed."""
    fields = change_fields()
    return _multipolygon_layer(name, fields, [change_feature(c, comparison, fields) for c in comparison.changes])


def sites_layer(comparison: VersionComparison, name: str) -> QgsVectorLayer:
    """A memory layer (EPSG:27700) of the previously screened sites whose answers change."""
    fields = site_fields()
    features = []
    for s in comparison.sites.changes if comparison.sites is not None else ():
        feature = site_feature(s, fields)
        geom = feature.geometry()
        if not geom.isNull():
            geom.convertToMultiType()
            feature.setGeometry(geom)
        features.append(feature)
    return _multipolygon_layer(name, fields, features)
