"""A QGIS vector layer or Processing feature source -> plain rows and shapely geometries in EPSG:27700.

The engine (``plugin.core``) never sees a QGIS object: this adapter reads a layer once into
a list of attribute dicts (plain Python values), a numpy array of shapely geometries
(reprojected to the British National Grid, 2D, curves segmentized) and the layer's field names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from qgis.core import (
    NULL,
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QDate, QDateTime, QMetaType, QTime, QUrl, QVariant

from ..core.errors import InputError
from ..core.pack.schema import PACK_CRS
from ..core.pack.store import Cancelled

#: QGIS geometry type -> the kind the engine understands.
_KINDS = {
    Qgis.GeometryType.Point: "point",
    Qgis.GeometryType.Line: "line",
    Qgis.GeometryType.Polygon: "polygon",
}
#: Characters a delimited file may have used when a single field name holds them all.
_DELIMITERS = {";": "';'", "\t": "a tab", "|": "'|'", ",": "','", ":": "':'"}
_REPLACEMENT = "\ufffd"


def tr(message: str) -> str:
    return str(QCoreApplication.translate("LayerRows", message))


@dataclass(frozen=True)
class LayerRows:
    """One input layer, read once."""

    name: str
    rows: list[dict[str, Any]]
    #: shapely geometries in EPSG:27700 (None for a null geometry); None when geometries were not read.
    geoms: np.ndarray | None
    #: 'polygon', 'point', 'line', 'mixed', or None for a table without geometry.
    geometry_kind: str | None
    fields: tuple[str, ...]
    source_crs: str = ""
    #: a sentence that may explain a field mismatch (a CSV read with the wrong delimiter)
    hint: str = ""
    #: fields QGIS reads as JSON (GDAL's JSON subtype: a GeoJSON property of mixed types): their values may have
    #: been read as nulls, so a field the pack needs among them is refused (:func:`refuse_json_fields`)
    json_fields: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)


def plain(value: Any) -> Any:
    """A QGIS attribute value as a plain Python value (NULL -> None, dates -> ISO text)."""
    if value is None or value is NULL:
        return None
    if isinstance(value, QVariant):
        if value.isNull():
            return None
        value = value.value()
    if isinstance(value, QDateTime):
        return value.toString("yyyy-MM-ddTHH:mm:ss") if value.isValid() else None
    if isinstance(value, QDate):
        return value.toString("yyyy-MM-dd") if value.isValid() else None
    if isinstance(value, QTime):
        return value.toString("HH:mm:ss") if value.isValid() else None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if hasattr(value, "data") and type(value).__name__ == "QByteArray":
        return bytes(value.data())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def source_key(layer: Any, fallback: str = "") -> str:
    """A stable name for where the rows came from: the file name (plus sub-layer), else the layer name."""
    if isinstance(layer, QgsVectorLayer):
        provider = layer.providerType()
        source = layer.source()
        path, sub = "", ""
        if provider == "delimitedtext":
            path = QUrl(source).toLocalFile() or source.split("?", 1)[0]
        elif provider in ("ogr", "spatialite"):
            parts = QgsProviderRegistry.instance().decodeUri(provider, source)
            path = str(parts.get("path") or "")
            sub = str(parts.get("layerName") or "")
        if path:
            return os.path.basename(path) + (f"|{sub}" if sub else "")
        return layer.name() or fallback
    return fallback


def geometry_kind_of(wkb_type: int) -> str | None:
    if wkb_type in (Qgis.WkbType.NoGeometry, Qgis.WkbType.Unknown):
        return None
    return _KINDS.get(QgsWkbTypes.geometryType(wkb_type))


def delimiter_hint(fields: tuple[str, ...]) -> str:
    if len(fields) != 1:
        return ""
    for char, label in _DELIMITERS.items():
        if char in fields[0]:
            return tr("The table has a single field '{0}': it looks like a delimited file separated by {1} that was "
                      "read with another delimiter. Load it as a delimited text layer with the right delimiter, "
                      "or save it with commas.").format(fields[0][:80], label)
    return ""


def read_layer_rows(source: Any, *, name: str = "", spatial: bool = True,
                    transform_context: QgsCoordinateTransformContext | None = None,
                    is_cancelled: Callable[[], bool] = lambda: False,
                    progress: Callable[[float], None] | None = None) -> LayerRows:
    """Read ``source`` (a QgsVectorLayer or QgsProcessingFeatureSource) once.

    With ``spatial``, the layer must have a valid CRS and geometries are reprojected to
    EPSG:27700; without it, geometries are not read at all (catalogue and metadata tables).
    Raises :class:`InputError` with an actionable sentence, or :class:`Cancelled`.
    """
    name = name or (source.name() if isinstance(source, QgsVectorLayer) else source.sourceName()) or "input"
    fields = tuple(f.name() for f in source.fields())
    wkb_type = source.wkbType()
    layer_kind = geometry_kind_of(wkb_type)
    crs = source.sourceCrs()
    transform = None
    if spatial and wkb_type != Qgis.WkbType.NoGeometry:
        if crs is None or not crs.isValid():
            raise InputError(tr("The layer '{0}' has no coordinate reference system (CRS). Set its CRS in the layer "
                                "properties (Source tab) or with 'Assign projection', then run again.").format(name))
        target = QgsCoordinateReferenceSystem(PACK_CRS)
        if crs != target:
            ctx = transform_context or QgsProject.instance().transformContext()
            transform = QgsCoordinateTransform(crs, target, ctx)

    request = QgsFeatureRequest()
    read_geoms = spatial and wkb_type != Qgis.WkbType.NoGeometry
    if not read_geoms:
        request.setFlags(Qgis.FeatureRequestFlag.NoGeometry)
    total = source.featureCount()
    rows: list[dict[str, Any]] = []
    wkbs: list[bytes | None] = []
    kinds: set[str] = set()
    for n, feature in enumerate(source.getFeatures(request)):
        if n % 500 == 0:
            if is_cancelled():
                raise Cancelled
            if progress is not None and total and total > 0:
                progress(100.0 * n / total)
        row = {f: plain(v) for f, v in zip(fields, feature.attributes())}
        if not read_geoms:
            rows.append(row)
            continue
        geom = feature.geometry()
        if geom is None or geom.isNull() or geom.isEmpty():
            rows.append(row)
            wkbs.append(None)
            continue
        geom = _straight_2d(geom)
        if transform is not None:
            try:
                geom.transform(transform)
            except QgsCsException as exc:
                raise InputError(tr("Feature {0} of '{1}' cannot be reprojected from {2} to {3} ({4}); check the "
                                    "layer's CRS.").format(n + 1, name, crs.authid() or crs.description(), PACK_CRS,
                                                           str(exc))) from exc
        kind = _KINDS.get(geom.type())
        if kind:
            kinds.add(kind)
        if kind == "point" and geom.isMultipart():
            parts = [QgsGeometry(p.clone()) for p in geom.constGet()]
            for part in parts:  # one tree per point: multi-points become several rows
                rows.append(dict(row))
                wkbs.append(bytes(part.asWkb()))
            continue
        rows.append(row)
        wkbs.append(bytes(geom.asWkb()))

    if layer_kind is None and read_geoms:
        layer_kind = kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else None)
    if not read_geoms:
        layer_kind = layer_kind if wkb_type != Qgis.WkbType.NoGeometry else None

    _check_encoding(name, fields, rows)
    geoms = None
    if read_geoms:
        geoms = np.empty(len(wkbs), dtype=object)
        if wkbs:
            geoms[:] = shapely.from_wkb(np.asarray(wkbs, dtype=object))
    return LayerRows(name, rows, geoms, layer_kind, fields, crs.authid() if crs is not None else "",
                     delimiter_hint(fields), tuple(f.name() for f in source.fields() if _is_json(f)))


def _is_json(field: Any) -> bool:
    """A field QGIS reads as a JSON value (a map): GDAL gives a GeoJSON property of mixed types (numbers and
    text, true/false and text) the JSON subtype, and QGIS 3.40-3.44 then reads its plain values as nulls."""
    return bool(field.type() == QMetaType.Type.QVariantMap or field.typeName().lower() == "json")


def refuse_json_fields(data: LayerRows, used: Iterable[str]) -> None:
    """Refuse, naming the file and the field, when a field the pack needs is one QGIS may have read as nulls."""
    bad = [f for f in data.json_fields if f in set(used)]
    if bad:
        raise InputError(tr("'{0}': the field '{1}' holds values of more than one type (for example numbers in some "
                            "features and text or true/false in others). QGIS reads such a property (GDAL's JSON "
                            "subtype) as empty, so its values would be lost. Give '{1}' one type in every feature "
                            "(all text, or all numbers) and run again; nothing was written.").format(
            data.name, "', '".join(bad)))


def _straight_2d(geom: QgsGeometry) -> QgsGeometry:
    """A copy without curves, Z or M (shapely/GEOS read plain 2D WKB)."""
    abstract = geom.constGet().clone()
    if QgsWkbTypes.isCurvedType(abstract.wkbType()):
        abstract = abstract.segmentize()
    abstract.dropZValue()
    abstract.dropMValue()
    return QgsGeometry(abstract)


def _check_encoding(name: str, fields: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """Refuse text that was decoded with the wrong encoding (U+FFFD replacement characters)."""
    bad_field = next((f for f in fields if _REPLACEMENT in f), None)
    where = ""
    if bad_field is not None:
        where = tr("the field name '{0}'").format(bad_field)
    else:
        for i, row in enumerate(rows):
            for key, value in row.items():
                if isinstance(value, str) and _REPLACEMENT in value:
                    where = tr("row {0}, field '{1}'").format(i + 1, key)
                    break
            if where:
                break
    if where:
        raise InputError(tr("'{0}' holds characters that could not be decoded ({1}): the file is not in the "
                            "encoding it was read with. Save it as UTF-8, or set the layer's encoding, and run "
                            "again. Fields found: {2}.").format(name, where, ", ".join(fields)))
