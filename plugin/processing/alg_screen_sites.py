"""``lnrs:screensites``: screen polygon sites against a Local Habitat Map pack."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qgis.core import (
    Qgis,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType

from ..adapters.qgis_geometry import to_shapely, transform_to_pack
from ..adapters.qgis_ostn15 import describe_transform
from ..core.errors import LnrsError
from ..core.reports.json_report import write_json_atomic
from ..core.screening.options import MAX_SEARCH_DISTANCE_M, ScreeningOptions
from ..core.screening.pack_route import WINDOWED, PackScreening
from ..core.screening.priority_findings import NO_PRIORITY_HABITATS
from ..core.screening.results import ScreeningResult, SiteError, verdict_counts
from ..core.screening.site_provenance import with_provenance
from ..core.screening.verdict_rules import NOT_SCREENED
from .lnrs_algorithm import LnrsAlgorithm

SUMMARY_FIELDS: tuple[tuple[str, Any], ...] = (
    ("site_ref", QMetaType.Type.QString), ("verdict", QMetaType.Type.QString), ("site_area_m2", QMetaType.Type.Double),
    ("n_irreplaceable", QMetaType.Type.Int), ("n_irr_loss", QMetaType.Type.Int), ("n_in_buffer", QMetaType.Type.Int),
    ("n_designated", QMetaType.Type.Int), ("n_des_overlap", QMetaType.Type.Int), ("category", QMetaType.Type.QString),
    ("multiplier", QMetaType.Type.Double), ("mapped_pct", QMetaType.Type.Double),
    ("measure_codes", QMetaType.Type.QString),
    ("chk_irreplaceable", QMetaType.Type.QString), ("chk_designated", QMetaType.Type.QString),
    ("chk_opportunity", QMetaType.Type.QString), ("reasons", QMetaType.Type.QString), ("error", QMetaType.Type.QString),
    ("map_name", QMetaType.Type.QString), ("map_version", QMetaType.Type.QString),
    ("map_sha256", QMetaType.Type.QString),
    # named sites (one per designated site or named habitat, however many polygons it is mapped as)
    ("irr_sites", QMetaType.Type.Int), ("des_sites", QMetaType.Type.Int),
    # the Priority Habitats Inventory: the check, polygons found, polygons on the site, main habitats on the site
    ("chk_priority", QMetaType.Type.QString), ("n_priority", QMetaType.Type.Int),
    ("n_prio_on_site", QMetaType.Type.Int), ("priority_on_site", QMetaType.Type.QString),
)


def summary_fields() -> QgsFields:
    fields = QgsFields()
    for name, vtype in SUMMARY_FIELDS:
        fields.append(QgsField(name, vtype))
    return fields


def summary_values(result: ScreeningResult | SiteError) -> list[Any]:
    """Attribute values in SUMMARY_FIELDS order."""
    if isinstance(result, SiteError):
        return [result.site_ref] + [None] * 15 + [result.message] + [None] * 9
    r = result
    irr, des = r.irreplaceable, r.designated_sites
    ss = r.strategic_significance
    return [r.site_ref, r.verdict, round(r.site_area_m2, 4), len(irr),
            sum(f.relation == "overlap" for f in irr), sum(f.in_buffer for f in irr), len(des),
            sum(f.relation == "overlap" for f in des), ss.category, ss.multiplier, round(ss.mapped_pct, 3),
            ";".join(r.measure_codes), r.checks.irreplaceable, r.checks.designated, r.checks.opportunity,
            " | ".join(r.reasons), None, r.habitat_map.name, r.habitat_map.version, r.habitat_map.sha256,
            len(r.irreplaceable_groups), len(r.designated_groups), r.checks.priority_habitats,
            len(r.priority_habitats), sum(f.on_site for f in r.priority_habitats),
            ";".join(dict.fromkeys(f.main_habitat for f in r.priority_habitats if f.on_site and f.main_habitat))]


#: The Shapefile format's limits (dBASE): field names of at most 10 characters, texts of at most 254.
SHP_NAME_MAX, SHP_TEXT_MAX = 10, 254


def shapefile_warning(results: Sequence[ScreeningResult | SiteError]) -> str:
    """Which fields a Shapefile OUTPUT renames or cuts, in words."""
    renamed = [f"{name} \u2192 {name[:SHP_NAME_MAX]}" for name, _ in SUMMARY_FIELDS if len(name) > SHP_NAME_MAX]
    text_fields = [i for i, (_, vtype) in enumerate(SUMMARY_FIELDS) if vtype == QMetaType.Type.QString]
    cut = sorted({SUMMARY_FIELDS[i][0] for r in results for i, v in enumerate(summary_values(r))
                  if i in text_fields and isinstance(v, str) and len(v) > SHP_TEXT_MAX})
    text = ("Shapefile output: field names are cut to 10 characters: " + ", ".join(renamed) + ".")
    if cut:
        text += f" Values longer than {SHP_TEXT_MAX} characters are cut in: {', '.join(cut)}."
    return text + " Write a GeoPackage (or use the JSON output) to keep every name and value whole."


def as_multipolygon(geometry: QgsGeometry) -> QgsGeometry:
    """The site's polygon(s) as a MultiPolygon; a geometry that is no polygon (an unusable site) is left out."""
    if geometry.isNull() or geometry.type() != Qgis.GeometryType.Polygon:
        return QgsGeometry()
    multi = QgsGeometry(geometry)
    multi.convertToMultiType()
    return multi


class ScreenSitesAlgorithm(LnrsAlgorithm):
    GROUP_ID = "screening"
    INPUT, PACK, REF_FIELD, PROPOSED_HABITAT = "INPUT", "PACK", "REF_FIELD", "PROPOSED_HABITAT"
    SEARCH_DISTANCE, OUTPUT, JSON = "SEARCH_DISTANCE", "OUTPUT", "JSON"
    LOCAL_INPUTS = (INPUT,)

    def name(self) -> str:
        return "screensites"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Screen sites against the Local Habitat Map")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Screens each polygon site against a Local Habitat Map pack: irreplaceable habitats with Natural "
            "England's standing-advice buffers, designated sites within the search distance, the biodiversity "
            "metric's strategic significance (optionally for a proposed habitat), the LNRS measures mapped on "
            "the site and, when the pack holds the Priority Habitats Inventory, the priority habitats on or near "
            "it (on the site: amber). A site wholly outside the pack's area gets the verdict not_screened (never "
            "amber, never green). OUTPUT holds one summary row per site; JSON holds the full explainable result "
            "(schema lnrs-screening/1), one object per site in input order. Sites in any CRS are reprojected to "
            "EPSG:27700; invalid sites are repaired and the repair is reported; unusable sites get an error "
            "message instead of a verdict.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Sites (polygons)"), [Qgis.ProcessingSourceType.VectorAnyGeometry]))
        self.addParameter(QgsProcessingParameterFile(
            self.PACK, self.tr("Local Habitat Map pack (.gpkg)"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterField(
            self.REF_FIELD, self.tr("Site reference field"), parentLayerParameterName=self.INPUT, optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.PROPOSED_HABITAT, self.tr("Proposed habitat (statutory metric habitat or broad habitat)"),
            optional=True))
        distance = QgsProcessingParameterNumber(self.SEARCH_DISTANCE, self.tr("Search distance (m)"),
                                                Qgis.ProcessingNumberParameterType.Double, 500.0, minValue=0.0,
                                                maxValue=MAX_SEARCH_DISTANCE_M)
        self.addParameter(distance)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, self.tr("Screened sites"),
                                                            Qgis.ProcessingSourceType.VectorPolygon))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.JSON, self.tr("Screening results (JSON)"), self.tr("JSON files (*.json)"), optional=True))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        for name in self.LOCAL_INPUTS:
            self.refuse_network_layer(parameters, name, context)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.tr("INPUT could not be opened as a vector layer."))
        geom_type = QgsWkbTypes.geometryType(source.wkbType())
        if geom_type in (Qgis.GeometryType.Point, Qgis.GeometryType.Line):
            kind = self.tr("points") if geom_type == Qgis.GeometryType.Point else self.tr("lines")
            raise QgsProcessingException(self.tr("INPUT holds {0}; screening needs polygons (each application's "
                                                 "red line boundary).").format(kind))
        pack_path = self.parameterAsFile(parameters, self.PACK, context)
        self.refuse_clobbering(parameters, context, (self.OUTPUT, self.JSON),
                               {"pack": pack_path, "input layer": self.layer_path(parameters, self.INPUT, context)})
        ref_field = self.parameterAsString(parameters, self.REF_FIELD, context)
        proposed = self.parameterAsString(parameters, self.PROPOSED_HABITAT, context) or None
        distance = self.number(parameters, self.SEARCH_DISTANCE, context, 0.0, MAX_SEARCH_DISTANCE_M)
        json_path = self.parameterAsFileOutput(parameters, self.JSON, context)
        try:
            # a small batch on a large pack is read near each site through its R-tree, not loaded whole
            count = source.featureCount()  # -1 when the source cannot tell: loaded whole
            pack = PackScreening(pack_path, count if count >= 0 else 2**31)
            transform = transform_to_pack(source.sourceCrs(), context.transformContext(), self.tr("INPUT"))
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        route = pack.route
        for note in route.load_notes:
            feedback.pushWarning(note)
        if route.how == WINDOWED:
            feedback.pushInfo(self.tr("{0} site(s) on a {1:,.0f} MB pack: read near each site through the pack's "
                                      "spatial index, without loading it whole.").format(route.n_sites,
                                                                                         route.pack_mb))
        feedback.pushInfo(self.tr("Habitat map: {0}, version {1}, sha256 {2}").format(
            route.ref.name, route.ref.version or "?", route.ref.sha256[:12] or "?"))

        features, geoms, refs = [], [], []
        conversion_errors: dict[int, str] = {}
        # the engine repairs invalid sites and reports it, so QGIS must not drop or refuse them first
        request = QgsFeatureRequest()
        for feat in source.getFeatures(request, QgsProcessingFeatureSource.Flag.FlagSkipGeometryValidityChecks):
            if feedback.isCanceled():
                return {}
            # numbered from 1 in input order, as in every front (a feature id may start at 0 or have gaps)
            ref = str(feat[ref_field]) if ref_field and feat[ref_field] not in (None, "") else str(len(refs) + 1)
            try:
                converted = to_shapely(feat.geometry(), transform)
                geoms.append(converted.geometry)
                for note in converted.notes:
                    feedback.pushInfo(self.tr("Site {0}: {1}").format(ref, note))
            except LnrsError as exc:
                conversion_errors[len(geoms)] = f"site {ref}: {exc}"
                geoms.append(None)
            features.append(feat)
            refs.append(ref)

        try:
            results = pack.screen_sites(geoms, refs, ScreeningOptions(search_distance_m=distance), proposed,
                                        is_cancelled=feedback.isCanceled, progress=feedback.setProgress)
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if feedback.isCanceled():
            feedback.pushInfo(self.tr("Cancelled: nothing was written."))
            return {}
        for position, message in conversion_errors.items():  # the adapter's reason beats "no geometry"
            results[position] = SiteError(refs[position], message, position)
        moved_by = describe_transform(source.sourceCrs(), transform)
        results = with_provenance(results, geoms, [moved_by] * len(results))
        feedback.pushInfo(moved_by.citation())

        fields = summary_fields()
        # always MultiPolygon (Z/M kept): a GeoPackage layer declared Polygon warns on every repaired multi-part site
        out_type = QgsWkbTypes.multiType(QgsWkbTypes.zmType(Qgis.WkbType.MultiPolygon,
                                                            QgsWkbTypes.hasZ(source.wkbType()),
                                                            QgsWkbTypes.hasM(source.wkbType())))
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, out_type, source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        destination = self.parameterAsOutputLayer(parameters, self.OUTPUT, context) or ""
        if destination.lower().split("|")[0].endswith(".shp"):
            feedback.pushWarning(shapefile_warning(results))
        counts = verdict_counts(results)
        for feat, result in zip(features, results):
            out = QgsFeature(fields)
            out.setGeometry(as_multipolygon(feat.geometry()))
            out.setAttributes(summary_values(result))
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
            if isinstance(result, SiteError):
                feedback.reportError(self.tr("Site {0} could not be screened: {1}").format(result.site_ref,
                                                                                          result.message))
            elif result.verdict == NOT_SCREENED:
                feedback.pushWarning(self.tr("Site {0}: {1}").format(result.site_ref, result.reasons[0]))
            else:
                for note in result.notes:
                    if "repaired" in note or "outside" in note or note.startswith("Warning:"):
                        feedback.pushWarning(self.tr("Site {0}: {1}").format(result.site_ref, note))
        if json_path:
            try:
                write_json_atomic(json_path, [r.to_dict() for r in results])
            except OSError as exc:
                raise QgsProcessingException(self.tr("Could not write {0}: {1}").format(json_path, str(exc))) \
                    from exc
        on_site = sum(1 for r in results if isinstance(r, ScreeningResult) and any(f.on_site
                                                                                  for f in r.priority_habitats))
        if any(isinstance(r, ScreeningResult) and NO_PRIORITY_HABITATS in r.notes for r in results):
            feedback.pushInfo(NO_PRIORITY_HABITATS)
        else:
            feedback.pushInfo(self.tr("Priority habitat lies on {0} of the {1} site(s).").format(on_site,
                                                                                              len(results)))
        feedback.pushInfo(self.tr("Screened {0} site(s): {1} red, {2} amber, {3} green, {4} not screened (outside "
                                  "the map), {5} could not be screened (errors).").format(
            len(results), counts["red"], counts["amber"], counts["green"], counts[NOT_SCREENED], counts["error"]))
        return {self.OUTPUT: dest_id, self.JSON: json_path or None, "RED": counts["red"], "AMBER": counts["amber"],
                "GREEN": counts["green"], "NOT_SCREENED": counts[NOT_SCREENED], "ERRORS": counts["error"],
                "PRIORITY_ON_SITE": on_site}
