"""``lnrs:publishpacktopostgis``: publish a GeoPackage pack into a PostGIS schema, or update the layers of the pack
already there keeping its audit trail and published versions (issue 20, what teams miss: PostGIS set-up in the
plugin). The work is :func:`..adapters.pack_source.publish_pack_to_postgis`; the roles, when named, are given with
:func:`..adapters.postgis_roles.grant_pack_roles` (``lnrs:setuppostgisroles``) in the same run, since replacing a
schema takes its privileges with it."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsProcessingParameterProviderConnection,
    QgsProcessingParameterString,
)

from ..adapters.pack_source import (
    postgis_history_summary,
    postgis_pack_schemas,
    postgres_connection,
    publish_pack_to_postgis,
)
from ..adapters.postgis_roles import grant_pack_roles
from ..core.errors import LnrsError
from .alg_setup_postgis_roles import _names
from .lnrs_algorithm import LnrsAlgorithm


class PublishPackToPostgisAlgorithm(LnrsAlgorithm):
    GROUP_ID = "packs"
    PACK, CONNECTION, SCHEMA = "PACK", "CONNECTION", "SCHEMA"
    REPLACE, DISCARD_HISTORY, EDITORS, READERS = "REPLACE", "DISCARD_HISTORY", "EDITORS", "READERS"

    def name(self) -> str:
        return "publishpacktopostgis"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Publish a pack to PostGIS (or update its layers)")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Copies a Local Habitat Map pack (a GeoPackage) into a schema of a PostgreSQL database with PostGIS, "
            "through a saved QGIS PostgreSQL connection whose credentials are in an authentication configuration. "
            "Every table is created, the audit trail and the published versions too, so editors never need the "
            "right to create tables. The new schema replaces the old one in one transaction: readers never see "
            "half a pack, and on any failure or cancel the schema is left as it was.\n\n"
            "To update the layers of a pack already in the schema, tick 'Replace the pack already in the schema'. "
            "Its audit trail and published versions are KEPT: they move into the updated pack.\n\n"
            "'Discard the audit trail and published versions' deletes them for good: who changed which area, when "
            "and why, and every published version, with no way back. The log says how many audit rows and "
            "versions were deleted. Leave it unticked unless you mean exactly that.\n\n"
            "Replacing a schema takes the privileges granted on it with it: name the EDITORS and READERS roles "
            "here (separated by commas) to give them their privileges again at once (as Set up PostGIS roles for "
            "a pack does), or run that algorithm afterwards.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.PACK, self.tr("Local Habitat Map pack (GeoPackage)"), extension="gpkg"))
        self.addParameter(QgsProcessingParameterProviderConnection(
            self.CONNECTION, self.tr("PostgreSQL connection (saved in QGIS)"), "postgres"))
        self.addParameter(QgsProcessingParameterString(self.SCHEMA, self.tr("Schema")))
        self.addParameter(QgsProcessingParameterBoolean(
            self.REPLACE, self.tr("Replace the pack already in the schema (update its layers, keep its history)"),
            defaultValue=False))
        self.addParameter(QgsProcessingParameterBoolean(
            self.DISCARD_HISTORY, self.tr("Discard the audit trail and published versions (deleted for good)"),
            defaultValue=False))
        self.addParameter(QgsProcessingParameterString(
            self.EDITORS, self.tr("Editor roles to (re)grant (separated by commas)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.READERS, self.tr("Reader roles to (re)grant (separated by commas)"), optional=True))
        self.addOutput(QgsProcessingOutputString("CONTENT_SHA256", self.tr("Content hash of the published pack")))
        self.addOutput(QgsProcessingOutputString("DISCARDED", self.tr("History discarded (in words)")))
        self.addOutput(QgsProcessingOutputNumber("TABLES", self.tr("Tables covered by the roles")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        pack = self.parameterAsFile(parameters, self.PACK, context)
        connection = self.parameterAsConnectionName(parameters, self.CONNECTION, context)
        schema = self.parameterAsString(parameters, self.SCHEMA, context).strip()
        replace = self.parameterAsBoolean(parameters, self.REPLACE, context)
        discard = self.parameterAsBoolean(parameters, self.DISCARD_HISTORY, context)
        editors = _names(self.parameterAsString(parameters, self.EDITORS, context))
        readers = _names(self.parameterAsString(parameters, self.READERS, context))
        if not pack or not connection or not schema:
            raise QgsProcessingException(self.tr("Give the pack (a .gpkg file), a saved PostgreSQL connection and a "
                                                 "schema."))
        if discard and not replace:
            raise QgsProcessingException(self.tr("'Discard the audit trail and published versions' only applies when "
                                                 "replacing the pack already in the schema; nothing was done."))
        try:
            existing = replace and schema in postgis_pack_schemas(connection)
            if replace and not existing and schema in postgres_connection(connection).schemas():
                raise QgsProcessingException(self.tr(
                    "The schema {0} holds no Local Habitat Map pack (no pack_metadata table): it is not replaced. "
                    "Choose another schema.").format(schema))
            lost = postgis_history_summary(connection, schema) if discard and existing else ""
            if lost:
                feedback.pushWarning(lost)
            digest = publish_pack_to_postgis(pack, connection, schema, replace_existing=replace,
                                             is_cancelled=feedback.isCanceled, discard_history=discard)
            grants = grant_pack_roles(connection, schema, editors, readers) if editors or readers else None
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if existing and not discard:
            feedback.pushInfo(self.tr("Updated the layers of the pack in schema {0}; its audit trail and published "
                                      "versions were kept.").format(schema))
        elif existing:
            feedback.pushInfo(self.tr("Updated the layers of the pack in schema {0}; {1}").format(
                schema, lost or self.tr("it had no history to discard.")))
        else:
            feedback.pushInfo(self.tr("Published the pack to schema {0}.").format(schema))
        if grants is not None:
            feedback.pushInfo(self.tr("Editors {0} and readers {1} have their privileges on the {2} tables of "
                                      "schema {3}.").format(", ".join(grants.editors) or "-",
                                                           ", ".join(grants.readers) or "-", len(grants.tables),
                                                           schema))
        elif existing:
            feedback.pushWarning(self.tr("Privileges granted on the old schema went with it: run Set up PostGIS roles "
                                         "for a pack (lnrs:setuppostgisroles) for its editors and readers."))
        feedback.pushInfo(self.tr("Content hash {0}").format(digest))
        return {"CONTENT_SHA256": digest, "DISCARDED": lost, "TABLES": len(grants.tables) if grants else 0}
