"""``lnrs:parcelsignificance``: strategic significance per habitat parcel, split parcels and parcel QA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingUtils,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QVariant

from ..adapters.defra_gpkg import (
    AREA,
    HABITATS,
    PARCEL_REF,
    RED_LINE,
    PieceOut,
    is_defra_habitats,
    phase_field,
    write_defra_gpkg,
)
from ..adapters.qgis_geometry import to_shapely, transform_to_pack
from ..core.errors import LnrsError
from ..core.pack_loader import load_index
from ..core.parcel_qa import is_null
from ..core.parcels import Parcel, ParcelResult, assess_parcels

PHASES = ["baseline", "proposed"]
PIECE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("piece_ref", QVariant.String), ("parent_ref", QVariant.String), ("category", QVariant.String),
    ("multiplier", QVariant.Double), ("significance", QVariant.String), ("measure_codes", QVariant.String),
    ("lpa", QVariant.String), ("habitat_label", QVariant.String), ("irreplaceable", QVariant.Bool),
    ("irreplaceable_note", QVariant.String), ("area_m2", QVariant.Double),
)
ISSUE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("kind", QVariant.String), ("parcel_ref", QVariant.String), ("message", QVariant.String),
    ("fix_hint", QVariant.String), ("area_m2", QVariant.Double),
)


def _fields(spec: tuple[tuple[str, Any], ...], base: QgsFields | None = None) -> QgsFields:
    fields = QgsFields(base) if base is not None else QgsFields()
    for name, vtype in spec:
        fields.append(QgsField(name, vtype))
    return fields


def _qgs(geom: Any) -> QgsGeometry:
    g = QgsGeometry()
    g.fromWkb(shapely.to_wkb(geom))
    return g


def _ogr_path(layer: QgsVectorLayer | None) -> tuple[str, str] | None:
    """(file path, layer name) of an OGR GeoPackage layer, else None."""
    if layer is None or layer.providerType() != "ogr":
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if not path.lower().endswith(".gpkg"):
        return None
    return path, parts.get("layerName") or ""


class ParcelSignificanceAlgorithm(QgsProcessingAlgorithm):
    INPUT, PACK, HABITAT_FIELD, PHASE = "INPUT", "PACK", "HABITAT_FIELD", "PHASE"
    RED_LINE, LPA_BOUNDARIES, OUTPUT, ISSUES = "RED_LINE", "LPA_BOUNDARIES", "OUTPUT", "ISSUES"

    def tr(self, text: str) -> str:
        return str(QCoreApplication.translate("ParcelSignificanceAlgorithm", text))

    def createInstance(self) -> ParcelSignificanceAlgorithm:  # noqa: N802
        return ParcelSignificanceAlgorithm()

    def name(self) -> str:
        return "parcelsignificance"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Strategic significance of habitat parcels")

    def group(self) -> str:
        return self.tr("Screening")

    def groupId(self) -> str:  # noqa: N802
        return "screening"

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Gives each baseline or proposed habitat parcel the statutory biodiversity metric's strategic "
            "significance (category, multiplier and exact wording) from a Local Habitat Map pack, splitting parcels "
            "where significance or the local planning authority changes (pieces keep their parent's attributes and "
            "a reference such as P1-a). High needs a mapped measure the parcel's broad habitat delivers. Parcels on "
            "irreplaceable habitat are flagged. ISSUES lists parcel problems a validating officer would raise "
            "(invalid geometry, overlaps over 1 mm, gaps in and parts outside the red line, slivers, missing or "
            "unknown habitat, missing condition, wrong area), each with a fix hint. When INPUT is the Habitats "
            "layer of a Defra digital metric GeoPackage and OUTPUT is a .gpkg (or temporary), OUTPUT is a copy of "
            "that GeoPackage with the parcels split and the Strategic Significance field filled; every other field "
            "and layer is carried over unchanged.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Habitat parcels (polygons)"), [QgsProcessing.TypeVectorPolygon]))
        self.addParameter(QgsProcessingParameterFile(
            self.PACK, self.tr("Local Habitat Map pack (.gpkg)"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterField(
            self.HABITAT_FIELD, self.tr("Habitat field (default: Baseline/Proposed Habitat Type)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.PHASE, self.tr("Phase"), options=PHASES, defaultValue="baseline", usesStaticStrings=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Red line boundary (default: the GeoPackage's Red Line Boundary)"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LPA_BOUNDARIES, self.tr("Local planning authority boundaries"),
            [QgsProcessing.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with strategic significance"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.ISSUES, self.tr("Parcel issues"), QgsProcessing.TypeVectorPoint))

    # ------------------------------------------------------------------ helpers
    def _polygons(self, source: QgsProcessingFeatureSource, context: Any, what: str) -> list[tuple[QgsFeature, Any]]:
        transform = transform_to_pack(source.sourceCrs(), context.transformContext(), what)
        out = []
        for feat in source.getFeatures(QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks):
            out.append((feat, to_shapely(feat.geometry(), transform).geometry))
        return out

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.tr("INPUT could not be opened as a vector layer."))
        phase = self.parameterAsEnumString(parameters, self.PHASE, context) or "baseline"
        names = source.fields().names()
        defra = is_defra_habitats(names)
        habitat_field = self.parameterAsString(parameters, self.HABITAT_FIELD, context) or \
            phase_field(phase, "Habitat Type")
        if habitat_field not in names:
            raise QgsProcessingException(self.tr("INPUT has no field '{0}'; choose the habitat field in "
                                                 "HABITAT_FIELD.").format(habitat_field))
        broad_field = phase_field(phase, "Broad Habitat Type")
        condition_field = phase_field(phase, "Condition")
        in_layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        gpkg = _ogr_path(in_layer) if defra else None

        try:
            index = load_index(self.parameterAsFile(parameters, self.PACK, context))
            feats = self._polygons(source, context, self.tr("INPUT"))
            red_source = self.parameterAsSource(parameters, self.RED_LINE, context)
            red_geoms: list[Any] = []
            if red_source is not None:
                red_geoms = [g for _, g in self._polygons(red_source, context, self.tr("RED_LINE"))]
            elif gpkg is not None:
                red_layer = QgsVectorLayer(f"{gpkg[0]}|layername={RED_LINE}", RED_LINE, "ogr")
                if red_layer.isValid():
                    red_geoms = [g for _, g in self._polygons(QgsProcessingFeatureSource(red_layer, context),
                                                               context, RED_LINE)]
                    feedback.pushInfo(self.tr("Red line: the GeoPackage's '{0}' layer.").format(RED_LINE))
            lpa_source = self.parameterAsSource(parameters, self.LPA_BOUNDARIES, context)
            lpas: list[tuple[str, Any]] = []
            if lpa_source is not None:
                lnames = lpa_source.fields().names()
                key = next((n for n in ("name", "NAME", "lpa", "LPA", "LAD23NM", "LPA23NM", "lad_name")
                            if n in lnames), None)
                for f, g in self._polygons(lpa_source, context, self.tr("LPA_BOUNDARIES")):
                    if g is not None:
                        lpas.append((str(f[key]) if key else f"LPA {f.id()}", g))
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        red = [g for g in red_geoms if g is not None]
        red_line = shapely.union_all(red) if red else None

        def value(f: QgsFeature, name: str) -> Any:
            if name not in names:
                return None
            v = f[name]
            return None if v is None or (hasattr(v, "isNull") and v.isNull()) else v

        parcels = []
        for feat, geom in feats:
            ref = value(feat, PARCEL_REF)
            ref = f"P{feat.id()}" if is_null(ref) else str(ref)
            area = value(feat, AREA)
            try:
                area_f = float(area) if area is not None and not is_null(area) else None
            except (TypeError, ValueError):
                area_f = None
            parcels.append(Parcel(ref, geom, value(feat, habitat_field), value(feat, broad_field),
                                  value(feat, condition_field), area_f, check_condition=condition_field in names))
        try:
            result = assess_parcels(index, parcels, red_line, lpas)
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for note in result.notes:
            feedback.pushWarning(note)

        out: dict[str, Any] = {}
        dest = str(parameters.get(self.OUTPUT) or "")
        defra_dest = None
        if gpkg is not None and gpkg[1] in ("", HABITATS):
            if dest.lower().endswith(".gpkg"):
                defra_dest = dest
            elif dest in ("", "TEMPORARY_OUTPUT", QgsProcessing.TEMPORARY_OUTPUT):
                defra_dest = QgsProcessingUtils.generateTempFilename("parcels.gpkg")
        if defra_dest is not None:
            by_fid: dict[int, list[PieceOut]] = {}
            for piece in result.pieces:
                fid = int(feats[piece.parent][0].id())
                by_fid.setdefault(fid, []).append(PieceOut(piece.ref, piece.geometry, piece.area_m2,
                                                           piece.metric_text))
            try:
                written = write_defra_gpkg(gpkg[0], defra_dest, phase, by_fid)  # type: ignore[index]
            except LnrsError as exc:
                raise QgsProcessingException(str(exc)) from exc
            out[self.OUTPUT] = f"{Path(written)}|layername={HABITATS}"
            feedback.pushInfo(self.tr("Wrote the Defra metric GeoPackage {0}.").format(str(written)))
        else:
            out[self.OUTPUT] = self._write_pieces(parameters, context, source, feats, result)
        out[self.ISSUES] = self._write_issues(parameters, context, result)
        out["PIECES"] = len(result.pieces)
        out["SPLIT_PARCELS"] = sum(1 for i in range(len(parcels)) if len(result.pieces_of(i)) > 1)
        out["N_ISSUES"] = len(result.issues)
        feedback.pushInfo(self.tr("{0} parcel(s) -> {1} piece(s); {2} issue(s).").format(
            len(parcels), len(result.pieces), len(result.issues)))
        return out

    def _write_pieces(self, parameters, context, source, feats, result: ParcelResult) -> str:
        fields = _fields(PIECE_FIELDS, source.fields())
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygon,
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for piece in result.pieces:
            parent = feats[piece.parent][0]
            f = QgsFeature(fields)
            g = _qgs(piece.geometry)
            g.convertToMultiType()
            f.setGeometry(g)
            f.setAttributes([
                *parent.attributes(), piece.ref, parcels_ref(parent), piece.category, piece.multiplier,
                piece.metric_text, ";".join(piece.measure_codes), piece.lpa, piece.habitat_label, piece.irreplaceable,
                piece.irreplaceable_text, round(piece.area_m2, 4)])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        return str(dest_id)

    def _write_issues(self, parameters, context, result: ParcelResult) -> str:
        fields = _fields(ISSUE_FIELDS)
        sink, dest_id = self.parameterAsSink(parameters, self.ISSUES, context, fields, QgsWkbTypes.Point,
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.ISSUES))
        for issue in result.issues:
            f = QgsFeature(fields)
            geom = issue.geometry
            if geom is not None and not geom.is_empty:
                point = geom if geom.geom_type == "Point" else geom.representative_point()
                f.setGeometry(_qgs(point))
            area = float(geom.area) if geom is not None and geom.geom_type != "Point" else None
            f.setAttributes([issue.kind, issue.parcel_ref, issue.message, issue.fix_hint, area])
            sink.addFeature(f, QgsFeatureSink.FastInsert)
        return str(dest_id)


def parcels_ref(feat: QgsFeature) -> str:
    names = feat.fields().names()
    if PARCEL_REF in names and not is_null(feat[PARCEL_REF]):
        return str(feat[PARCEL_REF])
    return f"P{feat.id()}"
