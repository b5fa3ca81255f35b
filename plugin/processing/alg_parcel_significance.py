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
    QgsProcessingParameterFileDestination,
    QgsProcessingUtils,
)

from ..adapters.defra_file import assess_defra_file, read_defra_file, write_defra_file
from ..adapters.defra_gpkg import HABITATS, RED_LINE
from ..adapters.parcel_layers import (
    PHASES,
    LayerInput,
    ParcelRun,
    assess_parcel_layers,
    file_piece_features,
    file_piece_fields,
    issue_features,
    parcel_request,
    read_lpas,
)
from ..core.errors import LnrsError
from ..core.pack.store import Cancelled
from ..core.screening.index_cache import load_index
from .lnrs_algorithm import LnrsAlgorithm


class ParcelSignificanceAlgorithm(LnrsAlgorithm):
    GROUP_ID = "screening"
    INPUT, PACK, HABITAT_FIELD, PHASE = "INPUT", "PACK", "HABITAT_FIELD", "PHASE"
    RED_LINE, LPA_BOUNDARIES, OUTPUT, ISSUES = "RED_LINE", "LPA_BOUNDARIES", "OUTPUT", "ISSUES"
    GEOPACKAGE, OUTPUT_GEOPACKAGE = "GEOPACKAGE", "OUTPUT_GEOPACKAGE"
    LOCAL_INPUTS = (INPUT, RED_LINE, LPA_BOUNDARIES, GEOPACKAGE)

    def name(self) -> str:
        return "parcelsignificance"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Strategic significance of habitat parcels")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Gives each baseline or proposed habitat parcel, hedgerow, watercourse and individual tree the statutory "
            "biodiversity metric's strategic significance (category, multiplier and exact wording) from a Local "
            "Habitat Map pack, splitting features where significance or the local planning authority changes "
            "(pieces keep their parent's attributes and a reference such as P1-a; lines are measured in km). The "
            "rules follow the metric user guide (June 2026): Table 7 when the pack's LNRS is published (baseline "
            "always Low; post-intervention High only where a mapped measure is consistent with the proposed "
            "habitat; Medium cannot be applied), Table 8 when it is not yet published. A High piece on an area of "
            "particular importance gets a footnote 6 warning. Without LPA_BOUNDARIES the pack's own local planning "
            "authority boundaries (its lpa_boundaries table) are used, as the log says.\n\n"
            "GEOPACKAGE takes a whole Defra metric GeoPackage of either template (Natural England: Habitats, "
            "Hedgerows, Rivers, Urban Trees; BNG Metric service: Area Habitats, Hedgerows, Watercourses, "
            "Individual Trees, Baseline or Post-Intervention by PHASE) with its own Red Line Boundary; INPUT is "
            "then left empty. OUTPUT_GEOPACKAGE is the filled copy in the same template, every module's "
            "Strategic Significance filled.\n\n"
            "ISSUES lists Defra's validation rules with Defra's codes and tolerances (severity error: Defra's "
            "service refuses the file) and our advice (severity warning), each with layer, reference, message and "
            "fix. When INPUT is the Habitats "
            "layer of a Defra digital metric GeoPackage and OUTPUT is a .gpkg (or temporary), OUTPUT is a copy of "
            "that GeoPackage with the parcels split and the Strategic Significance field filled; every other field "
            "and layer is carried over unchanged.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Habitat parcels (polygons; leave empty with GEOPACKAGE)"),
            [Qgis.ProcessingSourceType.VectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.GEOPACKAGE, self.tr("Defra metric GeoPackage, either template (all its layers are read)"),
            extension="gpkg", optional=True))
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
            self.LPA_BOUNDARIES,
            self.tr("Local planning authority boundaries (default: the pack's lpa_boundaries table)"),
            [Qgis.ProcessingSourceType.VectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Parcels with strategic significance"), Qgis.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.ISSUES, self.tr("Parcel issues"), Qgis.ProcessingSourceType.VectorPoint))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT_GEOPACKAGE, self.tr("Filled Defra GeoPackage (with GEOPACKAGE)"),
            self.tr("GeoPackage (*.gpkg)"), optional=True, createByDefault=False))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        gpkg = self.parameterAsFile(parameters, self.GEOPACKAGE, context)
        for name in self.LOCAL_INPUTS:
            self.refuse_network_layer(parameters, name, context)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if gpkg:
            if source is not None:
                raise QgsProcessingException(self.tr("Give INPUT or GEOPACKAGE, not both."))
            self.refuse_clobbering(parameters, context, (self.OUTPUT, self.ISSUES, self.OUTPUT_GEOPACKAGE),
                                   {"pack": self.parameterAsFile(parameters, self.PACK, context), "GeoPackage": gpkg})
            return self._run_geopackage(gpkg, parameters, context, feedback)
        if source is None:
            raise QgsProcessingException(self.tr(
                "Give INPUT (a habitat parcel layer) or GEOPACKAGE (a Defra metric GeoPackage)."))
        self.refuse_clobbering(parameters, context, (self.OUTPUT, self.ISSUES),
                               {"pack": self.parameterAsFile(parameters, self.PACK, context)})
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
        out["N_ERRORS"] = len(result.errors)
        feedback.pushInfo(self.tr("{0} parcel(s) -> {1} piece(s); {2} issue(s).").format(
            len(run.parcels), len(result.pieces), len(result.issues)))
        return out

    def _run_geopackage(self, gpkg: str, parameters, context, feedback) -> dict[str, Any]:
        phase = self.parameterAsEnumString(parameters, self.PHASE, context) or "baseline"
        if self.parameterAsSource(parameters, self.RED_LINE, context) is not None:
            raise QgsProcessingException(self.tr(
                "RED_LINE is not used with GEOPACKAGE: the GeoPackage's own Red Line Boundary is checked."))
        try:
            index = load_index(self.parameterAsFile(parameters, self.PACK, context))
            dfile = read_defra_file(gpkg, phase, feedback.isCanceled)
            lpa_source = self.parameterAsSource(parameters, self.LPA_BOUNDARIES, context)
            lpas = read_lpas(LayerInput.from_source(lpa_source, self.tr("LPA_BOUNDARIES"))
                             if lpa_source is not None else None, context.transformContext(), feedback.isCanceled)
            feedback.pushInfo(self.tr("{0}: {1} feature(s) in {2}.").format(
                dfile.title, len(dfile.parcels), ", ".join(name for _, name in dfile.layers)))
            result = assess_defra_file(index, dfile, lpas, feedback.isCanceled, feedback.setProgress)
            out: dict[str, Any] = {}
            dest = self.parameterAsFileOutput(parameters, self.OUTPUT_GEOPACKAGE, context)
            if dest:
                written = write_defra_file(dfile, result, dest)
                out[self.OUTPUT_GEOPACKAGE] = str(written)
                feedback.pushInfo(self.tr("Wrote the filled GeoPackage {0}.").format(str(written)))
        except Cancelled as exc:
            raise QgsProcessingException(self.tr("Cancelled; nothing was written.")) from exc
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        for note in result.notes:
            feedback.pushWarning(note)
        fields = file_piece_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, Qgis.WkbType.MultiPolygon,
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
        if sink is not None:
            sink.addFeatures(file_piece_features(dfile.parcels, result, fields), QgsFeatureSink.Flag.FastInsert)
            out[self.OUTPUT] = str(dest_id)
        out[self.ISSUES] = self._write_issue_list(parameters, context, result.issues)
        out["TEMPLATE"] = dfile.template
        out["PIECES"] = len(result.pieces)
        out["SPLIT_PARCELS"] = sum(1 for i in range(len(dfile.parcels)) if len(result.pieces_of(i)) > 1)
        out["N_ISSUES"] = len(result.issues)
        out["N_ERRORS"] = len(result.errors)
        feedback.pushInfo(self.tr("{0} feature(s) -> {1} piece(s); {2} issue(s), {3} error(s).").format(
            len(dfile.parcels), len(result.pieces), len(result.issues), len(result.errors)))
        return out

    def _write_issue_list(self, parameters, context, issues) -> str:
        fields = ParcelRun.issue_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.ISSUES, context, fields, Qgis.WkbType.Point,
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.ISSUES))
        sink.addFeatures(issue_features(issues, fields), QgsFeatureSink.Flag.FastInsert)
        return str(dest_id)

    def _write_pieces(self, parameters, context, run: ParcelRun) -> str:
        fields = run.piece_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, Qgis.WkbType.MultiPolygon,
                                             QgsCoordinateReferenceSystem("EPSG:27700"))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        sink.addFeatures(run.piece_features(fields), QgsFeatureSink.Flag.FastInsert)
        return str(dest_id)

    def _write_issues(self, parameters, context, run: ParcelRun) -> str:
        return self._write_issue_list(parameters, context, run.result.issues)
