"""QGIS layers -> the parcel engine (:func:`..core.parcels.assess_parcels`) -> QGIS features.

The one path behind the ``lnrs:parcelsignificance`` algorithm and the dock's Parcels tab:

- :class:`LayerInput` captures a layer (or a Processing feature source) so that it can be read
  in any thread (a :class:`QgsVectorLayerFeatureSource` snapshot for a project layer);
- :func:`parcel_request` checks the choices: the phase, the habitat field (by default the
  phase's ``... Habitat Type``), and, for the Defra metric GeoPackage's ``Habitats`` layer
  (recognised by its field names), that GeoPackage's ``Red Line Boundary`` when no red line is given;
- :func:`assess_parcel_layers` reads and reprojects the layers and runs the engine;
- :class:`ParcelRun` holds the answer and gives the output fields and features, the issue
  features, and the filled copy of the Defra GeoPackage (:func:`.defra_gpkg.write_defra_gpkg`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFields,
    QgsProcessingFeatureSource,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsVectorLayerFeatureSource,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QMetaType
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.metric.module_types import AREA as AREA_MODULE
from ..core.metric.module_types import LINEAR_TYPES
from ..core.metric.module_types import TREE as TREE_MODULE
from ..core.pack.store import Cancelled
from ..core.parcels.model import Parcel
from ..core.parcels.qa import QaIssue, RedLine, is_null
from ..core.parcels.significance import ParcelPiece, ParcelResult, assess_parcels
from ..core.screening.engine import PackIndex
from .defra_gpkg import (
    ADVANCE,
    AREA,
    DELAY,
    HABITATS,
    PARCEL_REF,
    RED_LINE,
    PieceOut,
    is_defra_habitats,
    phase_field,
    write_defra_gpkg,
)
from .qgis_geometry import to_qgs, to_shapely, transform_to_pack

PHASES = ("baseline", "proposed")
#: Fields holding an authority's name in LPA boundary layers, first match wins (else ``LPA <fid>``).
LPA_NAME_FIELDS = ("name", "NAME", "lpa", "LPA", "LAD23NM", "LPA23NM", "lad_name")
#: Fields added to the input's fields on the (non-Defra) output parcels layer.
PIECE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("piece_ref", QMetaType.Type.QString), ("parent_ref", QMetaType.Type.QString), ("category", QMetaType.Type.QString),
    ("multiplier", QMetaType.Type.Double), ("significance", QMetaType.Type.QString),
    ("measure_codes", QMetaType.Type.QString),
    ("lpa", QMetaType.Type.QString), ("habitat_label", QMetaType.Type.QString), ("irreplaceable", QMetaType.Type.Bool),
    ("irreplaceable_note", QMetaType.Type.QString), ("area_m2", QMetaType.Type.Double),
)
ISSUE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("code", QMetaType.Type.QString), ("severity", QMetaType.Type.QString), ("layer", QMetaType.Type.QString),
    ("ref", QMetaType.Type.QString),
    ("message", QMetaType.Type.QString), ("fix", QMetaType.Type.QString), ("area_m2", QMetaType.Type.Double),
)
#: Share of the progress (0-100) spent reading the layers; the engine reports the rest.
READ_SHARE = 10.0


def tr(message: str) -> str:
    return str(QCoreApplication.translate("ParcelLayers", message))


def ogr_gpkg(layer: QgsVectorLayer | None) -> tuple[str, str] | None:
    """(file path, layer name) of an OGR GeoPackage layer, else None."""
    if layer is None or layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if not path.lower().endswith(".gpkg"):
        return None
    return path, parts.get("layerName") or ""


# --------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class LayerInput:
    """A polygon layer to read, possibly in another thread."""

    name: str  # as messages name it
    crs: QgsCoordinateReferenceSystem
    fields: QgsFields
    geometry_type: Any  # QgsWkbTypes.GeometryType
    features: Callable[[], Iterable[QgsFeature]]
    gpkg: tuple[str, str] | None = None  # (path, layer name) when the layer is a GeoPackage layer
    modified: bool = False  # the layer had unsaved edits when captured
    keep: Any = None  # keeps the layer or source the features come from alive

    @classmethod
    def from_layer(cls, layer: QgsVectorLayer, name: str = "") -> LayerInput:
        """Capture a project layer on the main thread (a thread-safe snapshot of its features)."""
        source = QgsVectorLayerFeatureSource(layer)
        return cls(name or layer.name(), QgsCoordinateReferenceSystem(layer.crs()), QgsFields(layer.fields()),
                   layer.geometryType(), lambda: source.getFeatures(QgsFeatureRequest()), ogr_gpkg(layer),
                   layer.isModified(), (layer, source))

    @classmethod
    def from_source(cls, source: QgsProcessingFeatureSource, name: str,
                    layer: QgsVectorLayer | None = None) -> LayerInput:
        """A Processing feature source (``layer``, when known, tells whether it is a GeoPackage layer)."""
        return cls(name, source.sourceCrs(), QgsFields(source.fields()),
                   QgsWkbTypes.geometryType(source.wkbType()),
                   lambda: source.getFeatures(QgsFeatureRequest(),
                                              QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks),
                   ogr_gpkg(layer), bool(layer is not None and layer.isModified()), (source, layer))

    @property
    def field_names(self) -> list[str]:
        return list(self.fields.names())

    def released(self) -> LayerInput:
        """The same description without the feature source: a run keeps no provider objects alive."""
        return replace(self, features=_read_once, keep=None)


def _read_once() -> Iterable[QgsFeature]:
    raise InputError(tr("the layer was already read for this run; run the check again to read it again."))


@dataclass(frozen=True)
class ParcelRequest:
    """What to assess, checked by :func:`parcel_request`."""

    parcels: LayerInput
    phase: str
    habitat_field: str
    red_line: LayerInput | None = None
    lpas: LayerInput | None = None
    red_line_from_gpkg: bool = False  # the red line is the Defra GeoPackage's own layer
    red_line_missing: bool = False  # the Defra GeoPackage has no Red Line Boundary layer (NO_REDLINE)

    def released(self) -> ParcelRequest:
        return replace(self, parcels=self.parcels.released(),
                       red_line=self.red_line.released() if self.red_line is not None else None,
                       lpas=self.lpas.released() if self.lpas is not None else None)

    @property
    def broad_field(self) -> str:
        return phase_field(self.phase, "Broad Habitat Type")

    @property
    def condition_field(self) -> str:
        return phase_field(self.phase, "Condition")

    @property
    def is_defra(self) -> bool:
        return is_defra_habitats(self.parcels.field_names)

    @property
    def defra_gpkg(self) -> str | None:
        """The Defra metric GeoPackage whose ``Habitats`` layer the parcels are, else None."""
        gpkg = self.parcels.gpkg
        if self.is_defra and gpkg is not None and gpkg[1] in ("", HABITATS):
            return gpkg[0]
        return None


def default_habitat_field(phase: str) -> str:
    return phase_field(phase, "Habitat Type")


def defra_red_line(gpkg_path: str) -> QgsVectorLayer | None:
    """The ``Red Line Boundary`` layer of a Defra metric GeoPackage, or None when it has none."""
    layer = QgsVectorLayer(f"{gpkg_path}|layername={RED_LINE}", RED_LINE, "ogr")
    return layer if layer.isValid() else None


def parcel_request(parcels: LayerInput, phase: str, habitat_field: str = "", red_line: LayerInput | None = None,
                   lpas: LayerInput | None = None) -> ParcelRequest:
    """Check the choices; without a red line, the Defra GeoPackage's ``Red Line Boundary`` is used."""
    phase = (phase or "baseline").strip().lower()
    if phase not in PHASES:
        raise InputError(tr("the phase must be baseline or proposed, not '{0}'.").format(phase))
    for what in (parcels, lpas):
        if what is not None and what.geometry_type != Qgis.GeometryType.Polygon:
            raise InputError(tr("{0} does not hold polygons; choose a polygon layer.").format(what.name))
    names = parcels.field_names
    field_name = habitat_field or default_habitat_field(phase)
    if field_name not in names:
        raise InputError(tr("{0} has no field '{1}'; choose the field that holds the habitat.").format(
            parcels.name, field_name))
    from_gpkg = missing = False
    if red_line is None and is_defra_habitats(names) and parcels.gpkg is not None:
        layer = defra_red_line(parcels.gpkg[0])
        if layer is not None:
            red_line, from_gpkg = LayerInput.from_layer(layer, RED_LINE), True
        else:
            missing = True
    return ParcelRequest(parcels, phase, field_name, red_line, lpas, from_gpkg, missing)


# --------------------------------------------------------------------------- reading
def read_features(layer: LayerInput, context: QgsCoordinateTransformContext | None,
                  is_cancelled: Callable[[], bool]) -> list[tuple[QgsFeature, BaseGeometry | None]]:
    """Every feature of ``layer`` with its geometry in EPSG:27700 (refuses a layer without a CRS)."""
    transform = transform_to_pack(layer.crs, context, layer.name)
    out = []
    for n, feat in enumerate(layer.features()):
        if n % 200 == 0 and is_cancelled():
            raise Cancelled
        out.append((QgsFeature(feat), to_shapely(feat.geometry(), transform).geometry))
    return out


def field_value(feat: QgsFeature, names: list[str], name: str | None) -> Any:
    """The field's value, None when the layer has no such field or it is null."""
    if name is None or name not in names:
        return None
    v = feat[name]
    return None if v is None or (hasattr(v, "isNull") and v.isNull()) else v


def parcel_of(feat: QgsFeature, geom: BaseGeometry | None, names: list[str], request: ParcelRequest) -> Parcel:
    """The engine's view of one parcel feature (reference ``P<fid>`` when it has no ``Parcel Ref``)."""
    ref = field_value(feat, names, PARCEL_REF)
    ref = f"P{feat.id()}" if is_null(ref) else str(ref)
    area = field_value(feat, names, AREA)
    try:
        area_f = float(area) if area is not None and not is_null(area) else None
    except (TypeError, ValueError):
        area_f = None
    return Parcel(ref, geom, field_value(feat, names, request.habitat_field),
                  field_value(feat, names, request.broad_field),
                  field_value(feat, names, request.condition_field), area_f,
                  check_condition=request.condition_field in names, layer=request.parcels.name,
                  advance_years=field_value(feat, names, ADVANCE), delay_years=field_value(feat, names, DELAY))


def assess_parcel_layers(index: PackIndex, request: ParcelRequest, context: QgsCoordinateTransformContext | None,
                         is_cancelled: Callable[[], bool] = lambda: False,
                         progress: Callable[[float], None] = lambda _p: None) -> ParcelRun:
    """Read the layers (reprojected to EPSG:27700) and assess the parcels against ``index``.

    Raises :class:`..core.errors.LnrsError` with a sentence for the user, and
    :class:`..core.pack.store.Cancelled` when ``is_cancelled()`` turns true.
    """
    feats = read_features(request.parcels, context, is_cancelled)
    red_line = RedLine((), RED_LINE) if request.red_line_missing else None
    if request.red_line is not None:
        red_line = read_red_line(request.red_line, context, is_cancelled, request.red_line_from_gpkg)
    lpas = read_lpas(request.lpas, context, is_cancelled)
    progress(READ_SHARE)
    names = request.parcels.field_names
    parcels = tuple(parcel_of(f, g, names, request) for f, g in feats)
    result = assess_parcels(index, parcels, red_line, lpas, phase=request.phase, is_cancelled=is_cancelled,
                            progress=lambda p: progress(READ_SHARE + (100.0 - READ_SHARE) * p / 100.0))
    return ParcelRun(request.released(), tuple(f for f, _ in feats), parcels, result)


def read_lpas(layer: LayerInput | None, context: QgsCoordinateTransformContext | None,
              is_cancelled: Callable[[], bool] = lambda: False) -> list[tuple[str, BaseGeometry]] | None:
    """(authority name, polygon in EPSG:27700) for every feature of an LPA boundary layer; None when no layer is
    given (the engine then splits by the pack's own ``lpa_boundaries``, if it has them, and says so)."""
    if layer is None:
        return None
    if layer.geometry_type != Qgis.GeometryType.Polygon:
        raise InputError(tr("{0} does not hold polygons; choose a polygon layer.").format(layer.name))
    key = next((n for n in LPA_NAME_FIELDS if n in layer.field_names), None)
    return [(str(f[key]) if key else f"LPA {f.id()}", g) for f, g in read_features(layer, context, is_cancelled)
            if g is not None]


def read_red_line(layer: LayerInput, context: QgsCoordinateTransformContext | None,
                  is_cancelled: Callable[[], bool], required: bool) -> RedLine:
    """The red line as the QA checks it: a layer without a usable CRS is reported, never dropped."""
    if layer.crs is None or not layer.crs.isValid():
        return RedLine(tuple(None for _ in layer.features()), layer.name, srs_known=False, required=required)
    return RedLine(tuple(g for _, g in read_features(layer, context, is_cancelled)), layer.name, required=required)


# --------------------------------------------------------------------------- outputs
def issue_location(geom: BaseGeometry | None) -> BaseGeometry | None:
    """Where an issue is drawn as a point: itself for a point, else a point inside it."""
    if geom is None or geom.is_empty:
        return None
    return geom if geom.geom_type == "Point" else geom.representative_point()


@dataclass(frozen=True)
class ParcelRun:
    """The parcels read from the layers and the engine's answer for them.

    It holds no feature source (see :meth:`LayerInput.released`): a provider object that outlives
    QGIS's provider registry crashes it when Python finally frees it.
    """

    request: ParcelRequest
    features: tuple[QgsFeature, ...]  # input features, in the order of ``parcels``
    parcels: tuple[Parcel, ...]
    result: ParcelResult

    @property
    def split_parcels(self) -> int:
        return sum(1 for i in range(len(self.parcels)) if len(self.result.pieces_of(i)) > 1)

    def parent_ref(self, piece: ParcelPiece) -> str:
        return self.parcels[piece.parent].ref

    def was_split(self, piece: ParcelPiece) -> bool:
        return len(self.result.pieces_of(piece.parent)) > 1

    # ---- the Defra metric GeoPackage
    def defra_pieces(self) -> dict[int, list[PieceOut]]:
        """Pieces keyed by the input feature id, as :func:`.defra_gpkg.write_defra_gpkg` takes them."""
        by_fid: dict[int, list[PieceOut]] = {}
        for piece in self.result.pieces:
            fid = int(self.features[piece.parent].id())
            by_fid.setdefault(fid, []).append(PieceOut(piece.ref, piece.geometry, piece.area_m2, piece.metric_text))
        return by_fid

    def write_defra(self, dest: str | Path) -> Path:
        """A copy of the input Defra GeoPackage at ``dest`` with the parcels split and significance filled."""
        src = self.request.defra_gpkg
        if src is None:
            raise InputError(tr("{0} is not the Habitats layer of a Defra metric GeoPackage, so there is no "
                                "GeoPackage to fill; add the results to the map instead.").format(
                                    self.request.parcels.name))
        if self.request.parcels.modified:
            raise InputError(tr("{0} had unsaved edits when it was checked, so the GeoPackage on disk differs from "
                                "the parcels checked; save the layer's edits and run again.").format(
                                    self.request.parcels.name))
        return write_defra_gpkg(src, dest, self.request.phase, self.defra_pieces())

    # ---- output parcels (input fields + PIECE_FIELDS)
    def piece_fields(self) -> QgsFields:
        """The input's fields then :data:`PIECE_FIELDS` (a name the input already has gets an ``lnrs_`` prefix)."""
        fields = QgsFields(self.request.parcels.fields)
        for name, vtype in PIECE_FIELDS:
            fields.append(QgsField(self.piece_field(name), vtype))
        return fields

    def piece_field(self, name: str) -> str:
        """The output name of one of :data:`PIECE_FIELDS`."""
        taken = set(self.request.parcels.field_names)
        for spec, _ in PIECE_FIELDS:
            out = spec
            while out in taken:
                out = f"lnrs_{out}"
            if spec == name:
                return out
            taken.add(out)
        raise KeyError(name)

    def piece_features(self, fields: QgsFields | None = None) -> list[QgsFeature]:
        fields = fields or self.piece_fields()
        out = []
        for piece in self.result.pieces:
            parent = self.features[piece.parent]
            f = QgsFeature(fields)
            g = to_qgs(piece.geometry)
            g.convertToMultiType()
            f.setGeometry(g)
            f.setAttributes([
                *parent.attributes(), piece.ref, self.parent_ref(piece), piece.category, piece.multiplier,
                piece.metric_text, ";".join(piece.measure_codes), piece.lpa, piece.habitat_label, piece.irreplaceable,
                piece.irreplaceable_text, round(piece.area_m2, 4)])
            out.append(f)
        return out

    # ---- issues (points)
    @staticmethod
    def issue_fields() -> QgsFields:
        fields = QgsFields()
        for name, vtype in ISSUE_FIELDS:
            fields.append(QgsField(name, vtype))
        return fields

    def issue_features(self, fields: QgsFields | None = None) -> list[QgsFeature]:
        return issue_features(self.result.issues, fields)


def issue_features(issues: Iterable[QaIssue], fields: QgsFields | None = None) -> list[QgsFeature]:
    """One point feature per issue (polygon issues carry their area)."""
    fields = fields or ParcelRun.issue_fields()
    out = []
    for issue in issues:
        f = QgsFeature(fields)
        geom = issue.geometry
        point = issue_location(geom)
        if point is not None:
            f.setGeometry(to_qgs(point))
        area = float(geom.area) if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon") else None
        f.setAttributes([issue.code, issue.severity, issue.layer, issue.ref, issue.message, issue.fix, area])
        out.append(f)
    return out


#: Fields of the area pieces written for a whole Defra GeoPackage (GEOPACKAGE mode).
FILE_PIECE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("layer", QMetaType.Type.QString), ("piece_ref", QMetaType.Type.QString), ("parent_ref", QMetaType.Type.QString),
    ("habitat_label", QMetaType.Type.QString), ("category", QMetaType.Type.QString),
    ("multiplier", QMetaType.Type.Double),
    ("significance", QMetaType.Type.QString), ("measure_codes", QMetaType.Type.QString),
    ("lpa", QMetaType.Type.QString),
    ("irreplaceable", QMetaType.Type.Bool), ("irreplaceable_note", QMetaType.Type.QString),
    ("area_m2", QMetaType.Type.Double), ("module", QMetaType.Type.QString), ("length_km", QMetaType.Type.Double),
)


def file_piece_fields() -> QgsFields:
    fields = QgsFields()
    for name, vtype in FILE_PIECE_FIELDS:
        fields.append(QgsField(name, vtype))
    return fields


def file_piece_features(parcels: Sequence[Parcel], result: ParcelResult,
                        fields: QgsFields | None = None, module: str = AREA_MODULE) -> list[QgsFeature]:
    """The pieces of one module of a whole-file run as features: area habitats (the default: Processing's OUTPUT)
    as multipolygons, hedgerows and watercourses as multilines, trees as points."""
    fields = fields or file_piece_fields()
    out = []
    for piece in result.pieces:
        if piece.module != module:
            continue
        f = QgsFeature(fields)
        g = to_qgs(piece.geometry)
        if module != TREE_MODULE:
            g.convertToMultiType()
        f.setGeometry(g)
        f.setAttributes([piece.layer, piece.ref, parcels[piece.parent].ref, piece.habitat_label, piece.category,
                         piece.multiplier, piece.metric_text, ";".join(piece.measure_codes), piece.lpa,
                         piece.irreplaceable, piece.irreplaceable_text, round(piece.area_m2, 4), piece.module,
                         round(piece.length_km, 6) if piece.module in LINEAR_TYPES else None])
        out.append(f)
    return out
