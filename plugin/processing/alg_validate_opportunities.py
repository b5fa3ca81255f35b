"""``lnrs:validateopportunities``: the opportunity (ACB) validation of the edit check-in, headless."""

from __future__ import annotations

from typing import Any

import shapely
from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
)
from qgis.PyQt.QtCore import QMetaType

from ..adapters.pack_source import load_pack
from ..core.editing.validation import validate_pack
from ..core.editing.validation_report import ValidationIssue
from ..core.errors import LnrsError
from ..core.pack.schema import PACK_CRS
from .lnrs_algorithm import LnrsAlgorithm
from .pack_parameter import pack_source_parameter, parse_pack

#: Fields of the issues layer. ``pack_fid`` is the opportunity area's fid in the pack (a field called
#: ``fid`` would clash with a GeoPackage's own feature id when the layer is saved to .gpkg).
ISSUE_FIELDS: tuple[tuple[str, Any], ...] = (
    ("pack_fid", QMetaType.Type.LongLong), ("feature", QMetaType.Type.QString), ("rule", QMetaType.Type.QString),
    ("severity", QMetaType.Type.QString), ("message", QMetaType.Type.QString),
)
#: Issues written to the log as well as to OUTPUT (the layer holds every one).
LOGGED_ISSUES = 50


def issue_fields() -> QgsFields:
    fields = QgsFields()
    for name, vtype in ISSUE_FIELDS:
        fields.append(QgsField(name, vtype))
    return fields


def issue_point(issue: ValidationIssue) -> QgsGeometry | None:
    """Where the issue is, as a point on the problem (a polygon's representative point)."""
    geom = issue.location
    if geom is None or shapely.is_empty(geom):
        return None
    point = geom if geom.geom_type == "Point" else shapely.point_on_surface(geom)
    if point is None or point.is_empty:
        return None
    out = QgsGeometry()
    out.fromWkb(shapely.to_wkb(point, output_dimension=2))
    return out


class ValidateOpportunitiesAlgorithm(LnrsAlgorithm):
    GROUP_ID = "packs"
    PACK, OUTPUT = "PACK", "OUTPUT"

    def name(self) -> str:
        return "validateopportunities"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Validate opportunity areas")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Checks every opportunity area (ACB polygon) of a Local Habitat Map pack with the same rules the plugin "
            "applies when edits are saved: measure codes missing, malformed or not in the pack's catalogue; missing, "
            "non-polygon or invalid geometry; parts outside the strategy area; measures that contradict each other "
            "on the same land or the irreplaceable habitat beneath; overlaps with Areas of Particular Importance the "
            "strategy's policy forbids; and warnings (very small polygons, slivers, duplicates, many codes). The "
            "rules and their defaults are in docs/editing.md; a pack can set its own in the metadata key "
            "'opportunity_rules'. PACK is a .gpkg pack or postgis:CONNECTION/SCHEMA (a saved PostgreSQL "
            "connection). OUTPUT holds one point per issue (on the problem) with the opportunity area's pack fid, "
            "the rule, the severity (error or warning) and a message that says how to fix it.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(pack_source_parameter(
            self.PACK, self.tr("Local Habitat Map pack (.gpkg, or postgis:CONNECTION/SCHEMA)")))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Opportunity area issues"), Qgis.ProcessingSourceType.VectorPoint))
        self.addOutput(QgsProcessingOutputNumber("CHECKED", self.tr("Opportunity areas checked")))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", self.tr("Errors")))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", self.tr("Warnings")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = parse_pack(self.parameterAsFile(parameters, self.PACK, context), self.tr)
        self.refuse_clobbering(parameters, context, (self.OUTPUT,), {"pack": source.path or None})
        try:
            feedback.pushInfo(self.tr("Reading the pack {0}").format(str(source)))
            pack = load_pack(source)
            if feedback.isCanceled():
                return {}
            report = validate_pack(pack)
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            return {}
        meta = pack.metadata
        feedback.pushInfo(self.tr("Habitat map: {0}, version {1}, sha256 {2}").format(
            meta.lnrs_name or "?", meta.version or "?", meta.content_sha256[:12] or "?"))
        if pack.layer("opportunity_areas") is None:
            feedback.pushWarning(self.tr("The pack has no opportunity areas layer: there was nothing to check."))

        fields = issue_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, Qgis.WkbType.Point,
                                             QgsCoordinateReferenceSystem(PACK_CRS))
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        ordered = [*report.errors, *report.warnings]
        for n, issue in enumerate(ordered):
            out = QgsFeature(fields)
            geom = issue_point(issue)
            if geom is not None:
                out.setGeometry(geom)
            out.setAttributes([issue.fid, issue.feature, issue.rule, issue.severity, issue.message])
            if not sink.addFeature(out, QgsFeatureSink.Flag.FastInsert):
                raise QgsProcessingException(self.tr("Could not write the issues to OUTPUT: {0}").format(
                    sink.lastError() if hasattr(sink, "lastError") else ""))
            if n < LOGGED_ISSUES:
                text = f"{issue.severity}: {issue.message}"
                if issue.severity == "error":
                    feedback.reportError(text, False)
                else:
                    feedback.pushWarning(text)
        if len(ordered) > LOGGED_ISSUES:
            feedback.pushInfo(self.tr("... and {0} more issue(s) in OUTPUT.").format(len(ordered) - LOGGED_ISSUES))
        for note in report.notes:
            feedback.pushWarning(note)
        n_err, n_warn = len(report.errors), len(report.warnings)
        feedback.pushInfo(self.tr("{0} opportunity area(s) checked: {1} error(s), {2} warning(s).").format(
            report.checked, n_err, n_warn))
        return {self.OUTPUT: dest_id, "CHECKED": report.checked, "ERRORS": n_err, "WARNINGS": n_warn}
