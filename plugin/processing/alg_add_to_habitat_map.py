"""``lnrs:addtohabitatmap``: add one layer (or table) to a Local Habitat Map pack, atomically."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..adapters.layer_rows import LayerRows, delimiter_hint, geometry_kind_of, read_layer_rows, source_key
from ..core.errors import InputError, LnrsError
from ..core.metric.habitats import default_table
from ..core.metric.vocabulary import DESIGNATIONS, IRREPLACEABLE_TYPES, ROLES, normalise_role
from ..core.pack.builder import SPATIAL_KIND, FieldMapping, check_fields, check_mapping, map_rows, repair_geometries
from ..core.pack.schema import TABLES_BY_ROLE
from ..core.pack.store import Cancelled, add_rows
from .lnrs_algorithm import LnrsAlgorithm

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
}


class AddToHabitatMapAlgorithm(LnrsAlgorithm):
    GROUP_ID = "packs"
    PACK, INPUT, ROLE = "PACK", "INPUT", "ROLE"

    def name(self) -> str:
        return "addtohabitatmap"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Add layer to Local Habitat Map pack")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Adds one layer or table to a Local Habitat Map pack (a GeoPackage in EPSG:27700), creating the pack "
            "if it does not exist.\n\n"
            "ROLE says what the layer is: designated (designated sites), irreplaceable (irreplaceable habitats), "
            "trees (ancient and veteran trees), opportunity (areas that could become of particular importance, "
            "with measure codes), interim, area (the strategy area), measures (the measures catalogue, a table "
            "such as a CSV) or metadata (key/value table).\n\n"
            "Map the layer's fields with the *_FIELD parameters, or give a fixed DESIGNATION or HABITAT_TYPE. "
            "Measure codes are split on MEASURES_SEPARATOR (default: any of ; , | or whitespace), trimmed and "
            "upper-cased.\n\n"
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
            self.INPUT, self.tr("Input layer or table"), [QgsProcessing.TypeVector]))
        role = QgsProcessingParameterString(self.ROLE, self.tr("Role of the layer in the pack"), "designated")
        role.setMetadata({"widget_wrapper": {"value_hints": list(ROLES)}})
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
        }
        for param, label in labels.items():
            self.addParameter(QgsProcessingParameterField(param, label, parentLayerParameterName=self.INPUT,
                                                          optional=True))
        separator = QgsProcessingParameterString(
            "MEASURES_SEPARATOR", self.tr("Measure codes separator (empty: any of ; , | or whitespace)"),
            optional=True)
        separator.setFlags(separator.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
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

        self.addOutput(QgsProcessingOutputString("TABLE", self.tr("Pack table written")))
        self.addOutput(QgsProcessingOutputNumber("ROWS_ADDED", self.tr("Rows added")))
        self.addOutput(QgsProcessingOutputNumber("ROWS_IN_TABLE", self.tr("Rows in the table")))
        self.addOutput(QgsProcessingOutputNumber("ROWS_REPLACED", self.tr("Rows replaced")))
        self.addOutput(QgsProcessingOutputNumber("IDS_KEPT", self.tr("Added rows that kept the id of the row they "
                                                                     "replace")))
        self.addOutput(QgsProcessingOutputNumber("REPAIRED", self.tr("Invalid geometries repaired")))
        self.addOutput(QgsProcessingOutputNumber("DROPPED", self.tr("Features dropped (no usable geometry)")))
        self.addOutput(QgsProcessingOutputString("CONTENT_SHA256", self.tr("Content hash of the pack")))

    def checkParameterValues(self, parameters: dict[str, Any], context) -> tuple[bool, str]:  # noqa: N802
        try:
            normalise_role(self.parameterAsString(parameters, self.ROLE, context))
        except LnrsError as exc:
            return False, self.tr("ROLE: {0}").format(str(exc))
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
        role = normalise_role(self.parameterAsString(parameters, self.ROLE, context))
        spec = TABLES_BY_ROLE[role]
        pack = self._pack_path(parameters, context)

        # geometry repair is ours (counted and logged): do not let Processing drop or abort on invalid features
        context.setInvalidGeometryCheck(QgsFeatureRequest.GeometryNoCheck)
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
            if source.wkbType() == QgsWkbTypes.NoGeometry:
                raise InputError(self.tr("role '{0}' needs a {1} layer, but '{2}' is a table without geometry.")
                                 .format(role, want, name))

        data = read_layer_rows(source, name=name, spatial=spec.is_spatial,
                               transform_context=context.transformContext(),
                               is_cancelled=feedback.isCanceled,
                               progress=lambda p: feedback.setProgress(p * 0.6))
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
        metadata = {key: self.parameterAsString(parameters, param, context).strip()
                    for param, key in METADATA_PARAMS.items()}
        replaces = [p.strip() for p in self.parameterAsString(parameters, "REPLACES", context).split(";")
                    if p.strip()]
        report = add_rows(pack, mapped, metadata, is_cancelled=feedback.isCanceled, replaces=replaces)
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
            chosen = self.parameterAsFields(parameters, param, context)
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


def _sentence(message: str) -> str:
    """Engine messages start in lower case to read well after a prefix; the user sees a sentence."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "?", "!")) else message + "."
