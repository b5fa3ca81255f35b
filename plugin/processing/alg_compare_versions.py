"""``lnrs:compareversions``: what changed between two versions of a pack, and whose screening answers change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..adapters.qgis_geometry import PACK_CRS_QGS, to_shapely, transform_to_pack
from ..adapters.version_layers import CHANGES_WKB_TYPE, change_feature, change_fields, site_feature, site_fields
from ..adapters.version_store import SitesToCheck, compare
from ..core.errors import LnrsError
from ..core.reports.json_report import write_text_atomic
from ..core.screening.options import MAX_SEARCH_DISTANCE_M, ScreeningOptions
from ..core.versions.compare import ADDED, CHANGED, REMOVED, comparison_json
from ..core.versions.report import headline, summary_html, summary_text
from .lnrs_algorithm import LnrsAlgorithm
from .pack_parameter import pack_source_parameter, parse_pack

#: Field holding the site reference in lnrs:screensites output (used when REF_FIELD is not given).
SCREENED_REF_FIELD = "site_ref"


class CompareVersionsAlgorithm(LnrsAlgorithm):
    GROUP_ID = "packs"
    PACK, FROM_VERSION, TO_VERSION = "PACK", "FROM_VERSION", "TO_VERSION"
    SITES, REF_FIELD, PROPOSED_HABITAT, SEARCH_DISTANCE = "SITES", "REF_FIELD", "PROPOSED_HABITAT", "SEARCH_DISTANCE"
    OUTPUT, SITES_OUTPUT, SUMMARY = "OUTPUT", "SITES_OUTPUT", "SUMMARY"
    LOCAL_INPUTS = (SITES,)

    def name(self) -> str:
        return "compareversions"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Compare versions of the Local Habitat Map")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Compares two versions of a Local Habitat Map pack: the opportunity areas added, removed and changed "
            "(measure codes added or removed, geometry changed with the area difference), matched by their "
            "feature id (fid) in the pack, and per measure code the area gained and lost. OUTPUT holds one "
            "polygon per change; SUMMARY (optional) is an HTML, text or JSON file (by its extension).\n\n"
            "FROM_VERSION and TO_VERSION are published version numbers; leave TO_VERSION empty to compare with "
            "the current, possibly unpublished, state.\n\n"
            "With SITES (e.g. the output of Screen sites against the Local Habitat Map) every site is re-screened "
            "against both versions with the same engine, and SITES_OUTPUT lists the sites whose verdict, strategic "
            "significance category or measure codes would change. Their reference comes from REF_FIELD, else the "
            "site_ref field, else the feature id; use the same search distance and proposed habitat as the "
            "original screening.\n\n"
            "PACK is a .gpkg file or postgis:CONNECTION/SCHEMA.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(pack_source_parameter(
            self.PACK, self.tr("Local Habitat Map pack (.gpkg, or postgis:CONNECTION/SCHEMA)")))
        self.addParameter(QgsProcessingParameterNumber(
            self.FROM_VERSION, self.tr("From version"), Qgis.ProcessingNumberParameterType.Integer, 1, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            self.TO_VERSION, self.tr("To version (empty: the current state)"),
            Qgis.ProcessingNumberParameterType.Integer,
            None, optional=True, minValue=1))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.SITES, self.tr("Previously screened sites (polygons)"), [Qgis.ProcessingSourceType.VectorPolygon],
            optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.REF_FIELD, self.tr("Site reference field"), parentLayerParameterName=self.SITES, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.PROPOSED_HABITAT, self.tr("Proposed habitat used when the sites were screened"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.SEARCH_DISTANCE, self.tr("Search distance used when the sites were screened (m)"),
            Qgis.ProcessingNumberParameterType.Double, 500.0, minValue=0.0, maxValue=MAX_SEARCH_DISTANCE_M))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("Opportunity area changes"), Qgis.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.SITES_OUTPUT, self.tr("Sites whose answers change"), Qgis.ProcessingSourceType.VectorPolygon,
            optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.SUMMARY, self.tr("Summary"), self.tr("HTML files (*.html);;Text files (*.txt);;JSON files (*.json)"),
            optional=True))
        for name, label in (("ADDED", self.tr("Opportunity areas added")),
                            ("REMOVED", self.tr("Opportunity areas removed")),
                            ("CHANGED", self.tr("Opportunity areas changed")),
                            ("SITES_CHANGED", self.tr("Sites whose answers change"))):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def _to_version(self, parameters: dict[str, Any], context: Any) -> int | None:
        raw = parameters.get(self.TO_VERSION)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        return int(self.number(parameters, self.TO_VERSION, context, 1, 2**31 - 1, integer=True))

    def _sites(self, parameters: dict[str, Any], context: Any, feedback: Any) -> tuple[SitesToCheck | None, list[Any],
                                                                                     Any]:
        for name in self.LOCAL_INPUTS:
            self.refuse_network_layer(parameters, name, context)
        source = self.parameterAsSource(parameters, self.SITES, context)
        if source is None:
            return None, [], None
        if QgsWkbTypes.geometryType(source.wkbType()) != Qgis.GeometryType.Polygon:
            raise QgsProcessingException(self.tr("SITES must be a polygon layer (e.g. the output of Screen sites "
                                                 "against the Local Habitat Map)."))
        ref_field = self.parameterAsString(parameters, self.REF_FIELD, context)
        if not ref_field and source.fields().indexOf(SCREENED_REF_FIELD) >= 0:
            ref_field = SCREENED_REF_FIELD
        try:
            transform = transform_to_pack(source.sourceCrs(), context.transformContext(), self.tr("SITES"))
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        refs, geoms, originals = [], [], []
        for feat in source.getFeatures(QgsFeatureRequest(),
                                       QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks):
            if feedback.isCanceled():
                break
            value = feat[ref_field] if ref_field else None
            ref = str(value) if value not in (None, "") else str(feat.id())
            try:
                geoms.append(to_shapely(feat.geometry(), transform).geometry)
            except LnrsError as exc:
                feedback.pushWarning(self.tr("Site {0} cannot be re-screened: {1}").format(ref, str(exc)))
                geoms.append(None)
            refs.append(ref)
            originals.append(feat.geometry())
        distance = self.number(parameters, self.SEARCH_DISTANCE, context, 0.0, MAX_SEARCH_DISTANCE_M)
        proposed = self.parameterAsString(parameters, self.PROPOSED_HABITAT, context) or None
        sites = SitesToCheck(tuple(refs), tuple(geoms), ScreeningOptions(search_distance_m=distance), proposed)
        return sites, originals, source

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = parse_pack(self.parameterAsFile(parameters, self.PACK, context), self.tr)
        self.refuse_clobbering(parameters, context, (self.OUTPUT, self.SITES_OUTPUT, self.SUMMARY),
                               {"pack": source.path or None, "sites layer": self.layer_path(parameters, self.SITES,
                                                                                             context)})
        from_version = int(self.number(parameters, self.FROM_VERSION, context, 1, 2**31 - 1, integer=True))
        to_version = self._to_version(parameters, context)
        sites, originals, sites_source = self._sites(parameters, context, feedback)
        if feedback.isCanceled():
            return {}
        try:
            comparison = compare(source, from_version, to_version, sites, feedback.isCanceled, feedback.setProgress)
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}

        fields = change_fields()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, CHANGES_WKB_TYPE, PACK_CRS_QGS)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        for change in comparison.changes:
            sink.addFeature(change_feature(change, comparison, fields), QgsFeatureSink.Flag.FastInsert)
        results: dict[str, Any] = {self.OUTPUT: dest_id, "ADDED": comparison.count(ADDED),
                                   "REMOVED": comparison.count(REMOVED), "CHANGED": comparison.count(CHANGED),
                                   "SITES_CHANGED": 0, self.SITES_OUTPUT: None, self.SUMMARY: None}
        if comparison.sites is not None and sites_source is not None:
            sfields = site_fields()
            site_sink, site_dest = self.parameterAsSink(parameters, self.SITES_OUTPUT, context, sfields,
                                                        sites_source.wkbType(), sites_source.sourceCrs())
            if site_sink is not None:
                for change in comparison.sites.changes:
                    site_sink.addFeature(site_feature(change, sfields, originals[change.index]),
                                         QgsFeatureSink.Flag.FastInsert)
                results[self.SITES_OUTPUT] = site_dest
            results["SITES_CHANGED"] = len(comparison.sites.changes)
        summary_path = self.parameterAsFileOutput(parameters, self.SUMMARY, context)
        if summary_path:
            suffix = Path(summary_path).suffix.lower()
            text = summary_html(comparison) if suffix in (".html", ".htm") else (
                comparison_json(comparison) + "\n" if suffix == ".json" else summary_text(comparison))
            try:
                write_text_atomic(summary_path, text)
            except OSError as exc:
                raise QgsProcessingException(self.tr("Could not write {0}: {1}").format(summary_path, str(exc))) \
                    from exc
            results[self.SUMMARY] = summary_path
        feedback.pushInfo(self.tr("{0} \u2192 {1}: {2}").format(comparison.from_label, comparison.to_label,
                                                                headline(comparison)))
        for line in summary_text(comparison).splitlines()[4:]:
            feedback.pushInfo(line)
        return results
