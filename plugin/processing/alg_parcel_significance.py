"""``lnrs:parcelsignificance``: strategic significance per habitat parcel, split parcels and parcel QA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingUtils,
)

from ..adapters.defra_gpkg import HABITATS, RED_LINE
from ..adapters.parcel_layers import PHASES, LayerInput, ParcelRun, assess_parcel_layers, parcel_request
from ..core.errors import LnrsError
from ..core.pack.store import Cancelled
from ..core.screening.index_cache import load_index
from .lnrs_algorithm import LnrsAlgorithm


class ParcelSignificanceAlgorithm(LnrsAlgorithm):
    GROUP_ID = "screening"
    INPUT, PACK, HABITAT_FIELD, PHASE = "INPUT", "PACK", "HABITAT_FIELD", "PHASE"
    RED_LINE, LPA_BOUNDARIES, OUTPUT, ISSUES = "RED_LINE", "LPA_BOUNDARIES", "OUTPUT", "ISSUES"

    def name(self) -> str:
        return "parcelsignificance"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Strategic significance of habitat parcels")

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
            self.INPUT, self.tr("Habitat parcels (polygons)"), [Qgis.ProcessingSourceType.VectorPolygon]))
        self.addParameter(QgsProcessingParameterFile(
            self.PACK, self.tr("Local Habitat Map pack (.gpkg)"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterField(
            self.HABITAT_FIELD, self.tr("Habitat field (default: Baseline/Proposed Habitat Type)"),
            parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.PHASE, self.tr("Phase"), options=list(PHASES), defaultValue="baseline", usesStaticStrings=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.RED_LINE, self.tr("Red line boundary (default: the GeoPackage's Red Line Boundary)"),
            [Qgis.ProcessingSourceType.VectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LPA_BOUNDARIES, self.tr("Local planning authority boundaries"),
            [Qgis.ProcessingSourceType.VectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with strategic significance"), Qgis.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.ISSUES, self.tr("Parcel issues"), Qgis.ProcessingSourceType.VectorPoint))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.tr("INPUT could not be opened as a vector layer."))
        phase = self.parameterAsEnumString(parameters, self.PHASE, context) or "baseline"
        in_layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        try:
            index = load_index(self.parameterAsFile(parameters, self.PACK, context))
            red_source = self.parameterAsSource(parameters, self.RED_LINE, context)
            lpa_source = self.parameterAsSource(parameters, self.LPA_BOUNDARIES, context)
            request = parcel_request(
                LayerInput.from_source(source, self.tr("INPUT"), in_layer), phase,
                self.parameterAsString(parameters, self.HABITAT_FIELD, context),
                LayerInput.from_source(red_source, self.tr("RED_LINE")) if red_source is not None else None,
                LayerInput.from_source(lpa_source, self.tr("LPA_BOUNDARIES")) if lpa_source is not None else None)
            if request.red_line_from_gpkg:
                feedback.pushInfo(self.tr("Red line: the GeoPackage's '{0}' layer.").format(RED_LINE))
            run = assess_parcel_layers(index, request, context.transformContext(), feedback.isCanceled,
                                       feedback.setProgress)
        except Cancelled as exc:
            raise QgsProcessingException(self.tr("Cancelled; nothing was written.")) from exc
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        result = run.result
        for note in result.notes:
            feedback.pushWarning(note)

        out: dict[str, Any] = {}
        dest = str(parameters.get(self.OUTPUT) or "")
        defra_dest = None
        if request.defra_gpkg is not None:
            if dest.lower().endswith(".gpkg"):
                defra_dest = dest
            elif dest in ("", "TEMPORARY_OUTPUT", QgsProcessing.TEMPORARY_OUTPUT):
                defra_dest = QgsProcessingUtils.generateTempFilename("parcels.gpkg")
        if defra_dest is not None:
            try:
                written = run.write_defra(defra_dest)
            except LnrsError as exc:
                raise QgsProcessingException(str(exc)) from exc
            out[self.OUTPUT] = f"{Path(written)}|layername={HABITATS}"
            feedback.pushInfo(self.tr("Wrote the Defra metric GeoPackage {0}.").format(str(written)))
        else:
            out[self.OUTPUT] = self._write_pieces(parameters, context, run)
        out[self.ISSUES] = self._write_issues(parameters, context, run)
        out["PIECES"] = len(result.pieces)
        out["SPLIT_PARCELS"] = run.split_parcels
        out["N_ISSUES"] = len(result.issues)
        feedback.pushInfo(self.tr("{0} parcel(s) -> {1} piece(s); {2} issue(s).").format(
            len(run.parcels), len(result.pieces), len(result.issues)))
        return out

    def _write_pieces(self, parameters, context, run: ParcelRun) -> str:
        fields = run.piece_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, Qgis.WkbType.MultiPolygon,
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        sink.addFeatures(run.piece_features(fields), QgsFeatureSink.Flag.FastInsert)
        return str(dest_id)

    def _write_issues(self, parameters, context, run: ParcelRun) -> str:
        fields = run.issue_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.ISSUES, context, fields, Qgis.WkbType.Point,
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.ISSUES))
        sink.addFeatures(run.issue_features(fields), QgsFeatureSink.Flag.FastInsert)
        return str(dest_id)
