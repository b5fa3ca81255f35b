"""``lnrs:addtohabitatmap``: add one layer (or table) to a Local Habitat Map pack, atomically."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from qgis.core import (
    Qgis,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..adapters.dataset_bundle import BundleLayer, bundle_layers, is_bundle, is_csv_with_geometry
from ..adapters.layer_rows import (
    LayerRows,
    delimiter_hint,
    geometry_kind_of,
    read_layer_rows,
    refuse_json_fields,
    source_key,
)
from ..core.errors import InputError, LnrsError
from ..core.metric.habitats import default_table
from ..core.metric.significance_rules import (
    NOT_PUBLISHED,
    PUBLISHED_DATE_KEY,
    STATUS_KEY,
    STATUSES,
    normalise_status,
)
from ..core.metric.vocabulary import DESIGNATIONS, IRREPLACEABLE_TYPES, ROLES, normalise_role
from ..core.pack.builder import SPATIAL_KIND, FieldMapping, check_fields, check_mapping, map_rows, repair_geometries
from ..core.pack.schema import TABLES_BY_ROLE
from ..core.pack.store import Cancelled, add_rows
from .lnrs_algorithm import LnrsAlgorithm
from .recognised_input import OpportunityInput, Outcome, add_layers, map_plan, plan_source

#: Field parameters -> FieldMapping attribute.
FIELD_PARAMS: dict[str, str] = {
    "DESIGNATION_FIELD": "designation_field",
    "HABITAT_TYPE_FIELD": "habitat_type_field",
    "STATUS_FIELD": "status_field",
    "NAME_FIELD": "name_field",
    "REF_FIELD": "ref_field",
    "MEASURES_FIELD": "measures_field",
    "CODE_FIELD": "code_field",
    "THEME_FIELD": "theme_field",
    "PRIORITY_FIELD": "priority_field",
    "TEXT_FIELD": "text_field",
    "HABITATS_FIELD": "habitats_field",
    "STEM_DIAMETER_FIELD": "stem_diameter_field",
    "CROWN_RADIUS_FIELD": "crown_radius_field",
    "MAIN_HABITAT_FIELD": "main_habitat_field",
    "ADDITIONAL_HABITATS_FIELD": "additional_habitats_field",
    "HABITAT_CODES_FIELD": "habitat_codes_field",
    "CONFIDENCE_FIELD": "confidence_field",
}
#: Fixed-value parameters -> FieldMapping attribute.
VALUE_PARAMS: dict[str, str] = {
    "DESIGNATION": "designation",
    "HABITAT_TYPE": "habitat_type",
    "MEASURES_SEPARATOR": "measures_separator",
}
#: Metadata parameters -> pack_metadata key.
METADATA_PARAMS: dict[str, str] = {
    "LNRS_NAME": "lnrs_name",
    "VERSION": "version",
    "AUTHORITY": "responsible_authority",
    "PUBLISHED_DATE": PUBLISHED_DATE_KEY,
}


class AddToHabitatMapAlgorithm(LnrsAlgorithm):
    GROUP_ID = "packs"
    PACK, INPUT, ROLE = "PACK", "INPUT", "ROLE"
    MEASURES_TABLE, AREA_ID_FIELD = "MEASURES_TABLE", "AREA_ID_FIELD"

    def name(self) -> str:
        return "addtohabitatmap"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Add layer to Local Habitat Map pack")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Adds one layer or table to a Local Habitat Map pack (a GeoPackage in EPSG:27700), creating the pack "
            "if it does not exist.\n\n"
            "With only PACK and INPUT, national datasets are recognised from their fields (planning.data.gov.uk "
            "downloads and Natural England's open data layers, see docs/recognised_datasets.md), and so are LNRS "
            "opportunity maps (codes in one column, one row per measure, one flag column per measure) and "
            "measures catalogues; the log says which dataset was recognised and which field went where. INPUT may "
            "also be a folder, a .zip or a multi-layer GeoPackage: every recognised layer is added in one atomic "
            "write, the rest are listed as skipped. An opportunity map whose measures are in a separate table: "
            "give the table as MEASURES_TABLE and the polygons' id field as AREA_ID_FIELD.\n\n"
            "ROLE says what the layer is: designated (designated sites), irreplaceable (irreplaceable habitats), "
            "trees (ancient and veteran trees), opportunity (areas that could become of particular importance, "
            "with measure codes), interim, area (the strategy area), measures (the measures catalogue, a table "
            "such as a CSV), metadata (key/value table), priority_habitats (priority habitat polygons) or lpa "
            "(local planning authority boundaries).\n\n"
            "Map the layer's fields with the *_FIELD parameters, or give a fixed DESIGNATION or HABITAT_TYPE. "
            "Measure codes are split on MEASURES_SEPARATOR (default: any of ; , | or whitespace), trimmed and "
            "upper-cased.\n\n"
            "LNRS_STATUS (published or not_published) and PUBLISHED_DATE record whether the strategy has been "
            "published: the parcel check applies the metric's Table 7 (published) or Table 8 (not yet published) "
            "from it.\n\n"
            "Layers are reprojected to EPSG:27700; invalid geometries are repaired and counted in the log. "
            "Re-adding the same source replaces its rows. REPLACES names other sources (as the pack's source_layer "
            "column lists them, e.g. acb_2025.gpkg; several separated by ;) whose rows this layer replaces, such as "
            "the same layer saved under another file name; without it, rows of another source are added beside "
            "them. Feature ids stay stable: rows of other sources keep theirs, an incoming row takes the id of the "
            "row it replaces (matched by REF_FIELD, the source's own id, where it names one row, else by identical "
            "geometry), and new rows get ids never used before (not even by deleted features).\n\n"
            "The pack is written atomically: a failed or cancelled run leaves the previous pack untouched.")

    # ------------------------------------------------------------------ parameters
    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFileDestination(
            self.PACK, self.tr("Local Habitat Map pack (GeoPackage, created if missing)"),
            self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.INPUT, self.tr("Input layer or table"), [Qgis.ProcessingSourceType.Vector]))
        role = QgsProcessingParameterString(
            self.ROLE, self.tr("Role of the layer in the pack (empty: recognise the dataset)"), "", optional=True)
        role.setMetadata({"widget_wrapper": {"value_hints": ["", *ROLES]}})
        self.addParameter(role)

        designation = QgsProcessingParameterString(
            "DESIGNATION", self.tr("Designation (fixed value for every feature)"), optional=True)
        designation.setMetadata({"widget_wrapper": {"value_hints": ["", *DESIGNATIONS]}})
        self.addParameter(designation)
        habitat = QgsProcessingParameterString(
            "HABITAT_TYPE", self.tr("Irreplaceable habitat type (fixed value for every feature)"), optional=True)
        habitat.setMetadata({"widget_wrapper": {"value_hints": ["", *IRREPLACEABLE_TYPES]}})
        self.addParameter(habitat)

        labels = {
            "DESIGNATION_FIELD": self.tr("Designation field"),
            "HABITAT_TYPE_FIELD": self.tr("Habitat type field"),
            "STATUS_FIELD": self.tr("Status field (ancient woodland ASNW/PAWS, tree status)"),
            "NAME_FIELD": self.tr("Name field"),
            "REF_FIELD": self.tr("Reference field"),
            "MEASURES_FIELD": self.tr("Measure codes field"),
            "CODE_FIELD": self.tr("Catalogue: measure code field"),
            "THEME_FIELD": self.tr("Catalogue: habitat theme field"),
            "PRIORITY_FIELD": self.tr("Catalogue: priority field"),
            "TEXT_FIELD": self.tr("Catalogue: measure text field"),
            "HABITATS_FIELD": self.tr("Catalogue: delivering broad habitats field"),
            "STEM_DIAMETER_FIELD": self.tr("Trees: stem diameter field (m)"),
            "CROWN_RADIUS_FIELD": self.tr("Trees: crown radius field (m)"),
            "MAIN_HABITAT_FIELD": self.tr("Priority habitats: main habitat field"),
            "ADDITIONAL_HABITATS_FIELD": self.tr("Priority habitats: additional habitats field"),
            "HABITAT_CODES_FIELD": self.tr("Priority habitats: habitat codes field"),
            "CONFIDENCE_FIELD": self.tr("Priority habitats: confidence field"),
        }
        for param, label in labels.items():
            self.addParameter(QgsProcessingParameterField(param, label, parentLayerParameterName=self.INPUT,
                                                          optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.MEASURES_TABLE, self.tr("Opportunity: separate table of area id -> measure codes"),
            [Qgis.ProcessingSourceType.Vector], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.AREA_ID_FIELD, self.tr("Opportunity: area id field joining INPUT to MEASURES_TABLE"),
            parentLayerParameterName=self.INPUT, optional=True))
        separator = QgsProcessingParameterString(
            "MEASURES_SEPARATOR", self.tr("Measure codes separator (empty: any of ; , | or whitespace)"),
            optional=True)
        separator.setFlags(separator.flags() | Qgis.ProcessingParameterFlag.Advanced)
        self.addParameter(separator)
        self.addParameter(QgsProcessingParameterString(
            "REPLACES", self.tr("Replace the rows of these earlier sources (source_layer names, separated by ;)"),
            optional=True))
        self.addParameter(QgsProcessingParameterString("LNRS_NAME", self.tr("Strategy name (pack metadata)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString("VERSION", self.tr("Map version (pack metadata)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString(
            "AUTHORITY", self.tr("Responsible authority (pack metadata)"), optional=True))
        status = QgsProcessingParameterString(
            "LNRS_STATUS", self.tr("Strategy status (pack metadata): published or not_published"), optional=True)
        status.setMetadata({"widget_wrapper": {"value_hints": ["", *STATUSES]}})
        self.addParameter(status)
        self.addParameter(QgsProcessingParameterString(
            "PUBLISHED_DATE", self.tr("Strategy publication date, YYYY-MM-DD (pack metadata)"), optional=True))

        self.addOutput(QgsProcessingOutputString("TABLE", self.tr("Pack table written")))
        self.addOutput(QgsProcessingOutputNumber("ROWS_ADDED", self.tr("Rows added")))
        self.addOutput(QgsProcessingOutputNumber("ROWS_IN_TABLE", self.tr("Rows in the table")))
        self.addOutput(QgsProcessingOutputNumber("ROWS_REPLACED", self.tr("Rows replaced")))
        self.addOutput(QgsProcessingOutputNumber("IDS_KEPT", self.tr("Added rows that kept the id of the row they "
                                                                     "replace")))
        self.addOutput(QgsProcessingOutputNumber("REPAIRED", self.tr("Invalid geometries repaired")))
        self.addOutput(QgsProcessingOutputNumber("DROPPED", self.tr("Features dropped (no usable geometry)")))
        self.addOutput(QgsProcessingOutputString("CONTENT_SHA256", self.tr("Content hash of the pack")))
        self.addOutput(QgsProcessingOutputString("RECOGNISED", self.tr("Layers recognised (one per line)")))
        self.addOutput(QgsProcessingOutputString("SKIPPED", self.tr("Layers skipped, with the reason (one per line)")))

    def checkParameterValues(self, parameters: dict[str, Any], context) -> tuple[bool, str]:  # noqa: N802
        role = self.parameterAsString(parameters, self.ROLE, context).strip()
        try:
            if role:
                normalise_role(role)
        except LnrsError as exc:
            return False, self.tr("ROLE: {0}").format(str(exc))
        try:
            _strategy_status(self.parameterAsString(parameters, "LNRS_STATUS", context),
                             self.parameterAsString(parameters, "PUBLISHED_DATE", context))
        except LnrsError as exc:
            return False, str(exc)
        raw = parameters.get(self.INPUT)
        if is_bundle(raw) or is_csv_with_geometry(raw):
            # a folder, .zip or multi-layer GeoPackage is not a feature source: check the other parameters only
            for definition in self.parameterDefinitions():
                if definition.name() == self.INPUT:
                    continue
                if not definition.checkValueIsAcceptable(parameters.get(definition.name()), context):
                    return False, self.tr("Incorrect parameter value for {0}").format(definition.name())
            return True, ""
        return super().checkParameterValues(parameters, context)

    # ------------------------------------------------------------------ run
    def processAlgorithm(self, parameters: dict[str, Any], context, feedback) -> dict[str, Any]:  # noqa: N802
        try:
            return self._run(parameters, context, feedback)
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled: the pack was left unchanged.")) from None
        except LnrsError as exc:
            raise QgsProcessingException(_sentence(str(exc))) from None
        except (OSError, sqlite3.Error) as exc:
            raise QgsProcessingException(self.tr(
                "The pack could not be written ({0}); the previous pack, if any, is unchanged.").format(exc)) from None

    def _run(self, parameters: dict[str, Any], context, feedback) -> dict[str, Any]:
        role_text = self.parameterAsString(parameters, self.ROLE, context).strip()
        raw = parameters.get(self.INPUT)
        if is_bundle(raw):
            if role_text:
                raise InputError(self.tr("'{0}' holds several layers, which are added by recognition only: leave "
                                         "ROLE empty, or add its layers one by one with their ROLE.").format(
                    Path(str(raw)).name))
            return self._run_recognised(parameters, context, feedback, bundle_layers(str(raw)), True)
        if is_csv_with_geometry(raw):
            if not role_text:
                return self._run_recognised(parameters, context, feedback, bundle_layers(str(raw)), False)
            # read its WKT column as geometry, then go on as for any layer
            parameters = {**parameters, self.INPUT: bundle_layers(str(raw))[0].layer}
        if not role_text or normalise_role(role_text) == "opportunity":
            return self._run_planned(parameters, context, feedback, role_text)
        role = normalise_role(role_text)
        spec = TABLES_BY_ROLE[role]
        pack = self._pack_path(parameters, context)

        # geometry repair is ours (counted and logged): do not let Processing drop or abort on invalid features
        context.setInvalidGeometryCheck(Qgis.InvalidGeometryCheck.NoCheck)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        name = source_key(layer, source.sourceName() or "input")

        mapping = self._mapping(parameters, context)
        check_mapping(role, mapping)  # fail fast, before reading anything
        feedback.pushInfo(self.tr("Adding '{0}' to {1} as '{2}' (table {3}).").format(name, pack, role, spec.name))
        fields = tuple(f.name() for f in source.fields())
        try:
            check_fields(mapping, fields, name)
        except InputError as exc:
            hint = delimiter_hint(fields)
            raise InputError(f"{exc} {hint}".strip()) from None

        if spec.is_spatial:
            kind = geometry_kind_of(source.wkbType())
            want = SPATIAL_KIND[spec.geometry_type or ""]
            if kind is not None and kind != want:
                raise InputError(self.tr("role '{0}' needs a {1} layer, but '{2}' holds {3} geometries.").format(
                    role, want, name, kind))
            if source.wkbType() == Qgis.WkbType.NoGeometry:
                raise InputError(self.tr("role '{0}' needs a {1} layer, but '{2}' is a table without geometry.")
                                 .format(role, want, name))

        data = read_layer_rows(source, name=name, spatial=spec.is_spatial,
                               transform_context=context.transformContext(),
                               is_cancelled=feedback.isCanceled,
                               progress=lambda p: feedback.setProgress(p * 0.6))
        refuse_json_fields(data, mapping.fields_used().values())
        if spec.is_spatial and data.source_crs and data.source_crs != "EPSG:27700":
            feedback.pushInfo(self.tr("Reprojected {0} features from {1} to EPSG:27700.").format(
                len(data), data.source_crs))

        geoms, repaired, dropped = self._repair(spec, data, feedback)
        rows = data.rows
        if geoms is not None and dropped:
            keep = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
            rows = [r for r, k in zip(rows, keep) if k]
            geoms = geoms[keep]
        if feedback.isCanceled():
            raise Cancelled
        mapped = map_rows(role, rows, geoms, mapping, name, data.fields, data.geometry_kind,
                          habitat_table=default_table())
        for note in mapped.notes:
            feedback.pushWarning(note)
        feedback.setProgress(70)
        replaces = [p.strip() for p in self.parameterAsString(parameters, "REPLACES", context).split(";")
                    if p.strip()]
        report = add_rows(pack, mapped, self._metadata(parameters, context), is_cancelled=feedback.isCanceled,
                          replaces=replaces)
        feedback.setProgress(100)
        if role == "metadata":
            feedback.pushInfo(self.tr("Pack metadata updated: {0}.").format(", ".join(sorted(mapped.metadata))
                                                                            or self.tr("nothing")))
        else:
            feedback.pushInfo(self.tr("{0} rows added to '{1}', which now holds {2} rows.").format(
                report.rows_added, report.table, report.rows_in_table))
            if report.rows_replaced:
                feedback.pushInfo(self.tr("{0} earlier rows replaced; {1} added rows kept the id of the row they "
                                          "replace.").format(report.rows_replaced, report.fids_kept))
        feedback.pushInfo(self.tr("Pack content hash: {0}").format(report.content_sha256))
        return {
            self.PACK: str(pack),
            "TABLE": report.table,
            "ROWS_ADDED": report.rows_added,
            "ROWS_IN_TABLE": report.rows_in_table,
            "ROWS_REPLACED": report.rows_replaced,
            "IDS_KEPT": report.fids_kept,
            "REPAIRED": repaired,
            "DROPPED": dropped,
            "CONTENT_SHA256": report.content_sha256,
            "RECOGNISED": "",
            "SKIPPED": "",
        }

    def _run_recognised(self, parameters: dict[str, Any], context, feedback, layers: list[BundleLayer],
                        whole_download: bool) -> dict[str, Any]:
        pack = self._pack_path(parameters, context)
        context.setInvalidGeometryCheck(Qgis.InvalidGeometryCheck.NoCheck)
        feedback.pushInfo(self.tr("Reading {0} layer(s) for {1}.").format(len(layers), pack))
        outcome = add_layers(pack, layers, context, feedback, self._metadata(parameters, context), whole_download,
                             feedback.isCanceled)
        return self._outputs(pack, outcome, feedback)

    def _run_planned(self, parameters: dict[str, Any], context, feedback, role_text: str) -> dict[str, Any]:
        """No ROLE (recognise the layer), or ROLE opportunity (any published shape of an opportunity map)."""
        pack = self._pack_path(parameters, context)
        context.setInvalidGeometryCheck(Qgis.InvalidGeometryCheck.NoCheck)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, self.INPUT))
        name = source_key(self.parameterAsVectorLayer(parameters, self.INPUT, context), source.sourceName() or "input")
        table = self.parameterAsSource(parameters, self.MEASURES_TABLE, context)
        area = self.parameterAsStrings(parameters, self.AREA_ID_FIELD, context)  # parameterAsFields: deprecated in 3.40
        opportunity = None
        if role_text or table is not None:
            mapping = self._mapping(parameters, context)
            check_fields(mapping, tuple(f.name() for f in source.fields()), name)
            table_name = ""
            if table is not None:
                table_layer = self.parameterAsVectorLayer(parameters, self.MEASURES_TABLE, context)
                table_name = source_key(table_layer, table.sourceName() or "measures table")
            opportunity = OpportunityInput(mapping, (table_name, table) if table is not None else None,
                                           area[0] if area else "")
        if not role_text and opportunity is None:
            given = self._mapping(parameters, context).fields_used()
            if given:
                raise InputError(self.tr("{0} given without ROLE: set ROLE too, or leave the *_FIELD parameters empty "
                                         "to have the dataset recognised.").format(", ".join(sorted(given))))
            return self._run_recognised(parameters, context, feedback, [BundleLayer(name, source)], False)
        plan, data, repaired, dropped = plan_source(source, name, context, feedback, opportunity)
        if plan is None:  # only when no opportunity input was given, handled above
            raise InputError(self.tr("'{0}' could not be read as an opportunity map.").format(name))
        for line in plan.log:
            feedback.pushInfo(line)
        mapped = map_plan(plan, data.geometry_kind)
        for note in mapped.notes:
            feedback.pushWarning(note)
        outcome = Outcome(repaired=repaired, dropped=dropped, recognised=[f"{name}: {plan.title}"])
        outcome.reports = [add_rows(pack, mapped, self._metadata(parameters, context),
                                    is_cancelled=feedback.isCanceled)]
        report = outcome.reports[0]
        feedback.pushInfo(self.tr("{0} rows added to '{1}', which now holds {2} rows.").format(
            report.rows_added, report.table, report.rows_in_table))
        return self._outputs(pack, outcome, feedback)

    def _metadata(self, parameters: dict[str, Any], context) -> dict[str, str]:
        """The pack metadata the parameters give, the strategy status (LNRS_STATUS, PUBLISHED_DATE) included."""
        metadata = {key: self.parameterAsString(parameters, param, context).strip()
                    for param, key in METADATA_PARAMS.items()}
        metadata.update(_strategy_status(self.parameterAsString(parameters, "LNRS_STATUS", context),
                                         metadata.get(PUBLISHED_DATE_KEY, "")))
        return metadata

    def _outputs(self, pack: Path, outcome: Outcome, feedback) -> dict[str, Any]:
        reports = outcome.reports
        digest = reports[-1].content_sha256
        feedback.setProgress(100)
        feedback.pushInfo(self.tr("Pack content hash: {0}").format(digest))
        return {
            self.PACK: str(pack),
            "TABLE": ", ".join(dict.fromkeys(r.table for r in reports)),
            "ROWS_ADDED": sum(r.rows_added for r in reports),
            "ROWS_IN_TABLE": reports[-1].rows_in_table,
            "REPAIRED": outcome.repaired,
            "DROPPED": outcome.dropped,
            "CONTENT_SHA256": digest,
            "RECOGNISED": "\n".join(outcome.recognised),
            "SKIPPED": "\n".join(outcome.skipped),
        }

    def _pack_path(self, parameters: dict[str, Any], context) -> Path:
        raw = self.parameterAsFileOutput(parameters, self.PACK, context)
        if not raw:
            raise InputError(self.tr("PACK is empty: give the path of the pack GeoPackage (.gpkg) to create or "
                                     "update."))
        path = Path(raw)
        if path.suffix.lower() != ".gpkg":
            raise InputError(self.tr("PACK must be a GeoPackage file ending in .gpkg, not '{0}'.").format(path.name))
        return path

    def _mapping(self, parameters: dict[str, Any], context) -> FieldMapping:
        values: dict[str, str] = {}
        for param, attr in FIELD_PARAMS.items():
            chosen = self.parameterAsStrings(parameters, param, context)  # parameterAsFields: deprecated in 3.40
            values[attr] = chosen[0] if chosen else ""
        for param, attr in VALUE_PARAMS.items():
            text = self.parameterAsString(parameters, param, context)
            values[attr] = text if attr == "measures_separator" else text.strip()
        return FieldMapping(**values)

    def _repair(self, spec, data: LayerRows, feedback) -> tuple[np.ndarray | None, int, int]:
        if not spec.is_spatial or data.geoms is None:
            return data.geoms, 0, 0
        geoms, repaired, dropped = repair_geometries(data.geoms, polygonal=spec.geometry_type == "MULTIPOLYGON")
        if repaired:
            feedback.pushWarning(self.tr("Repaired {0} invalid geometries in '{1}'.").format(repaired, data.name))
        else:
            feedback.pushInfo(self.tr("All geometries in '{0}' are valid.").format(data.name))
        if dropped:
            feedback.pushWarning(self.tr("Dropped {0} features of '{1}' with no usable geometry (null, empty, or "
                                         "not a {2} after repair).").format(
                dropped, data.name, "polygon" if spec.geometry_type == "MULTIPOLYGON" else "point"))
        return geoms, repaired, dropped


def _strategy_status(status: str, published_date: str) -> dict[str, str]:
    """The pack metadata for LNRS_STATUS and PUBLISHED_DATE; a date needs a published strategy and ISO form."""
    status, published_date = (status or "").strip(), (published_date or "").strip()
    out: dict[str, str] = {}
    if status:
        out[STATUS_KEY] = normalise_status(status)
    if published_date:
        try:
            date.fromisoformat(published_date)
        except ValueError:
            raise InputError(f"PUBLISHED_DATE '{published_date}' is not a date in the form YYYY-MM-DD.") from None
        if out.get(STATUS_KEY) == NOT_PUBLISHED:
            raise InputError("PUBLISHED_DATE is given but LNRS_STATUS says the strategy is not published; "
                             "leave the date empty or set LNRS_STATUS to published.")
        out[PUBLISHED_DATE_KEY] = published_date
    return out


def _sentence(message: str) -> str:
    """Engine messages start in lower case to read well after a prefix; the user sees a sentence."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."
