"""``lnrs:setuppostgisroles``: give editor and reader roles their privileges on a pack in PostGIS."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingException, QgsProcessingOutputNumber, QgsProcessingParameterString

from ..adapters.postgis_roles import grant_pack_roles
from ..core.errors import LnrsError
from .lnrs_algorithm import LnrsAlgorithm
from .pack_parameter import pack_source_parameter, parse_pack


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class SetupPostgisRolesAlgorithm(LnrsAlgorithm):
    GROUP_ID = "packs"
    PACK, EDITORS, READERS = "PACK", "EDITORS", "READERS"

    def name(self) -> str:
        return "setuppostgisroles"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Set up PostGIS roles for a pack")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Run by the pack's owner (the role that published it) after publishing a Local Habitat Map pack to "
            "PostGIS, and again after updating its layers. It creates any history table the pack lacks (the audit "
            "trail and the published versions), then gives EDITORS the right to read and change every table of the "
            "pack's schema (check-in, audit trail, publishing versions) and READERS the right to read them, now and "
            "for tables created later (default privileges).\n\n"
            "PACK is postgis:CONNECTION/SCHEMA. EDITORS and READERS are database roles separated by commas; the "
            "roles must exist (CREATE ROLE name LOGIN). Everything happens in one transaction.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(pack_source_parameter(
            self.PACK, self.tr("Local Habitat Map pack (postgis:CONNECTION/SCHEMA)")))
        self.addParameter(QgsProcessingParameterString(self.EDITORS, self.tr("Editor roles (separated by commas)"),
                                                       optional=True))
        self.addParameter(QgsProcessingParameterString(self.READERS, self.tr("Reader roles (separated by commas)"),
                                                       optional=True))
        self.addOutput(QgsProcessingOutputNumber("TABLES", self.tr("Tables covered")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = parse_pack(self.parameterAsFile(parameters, self.PACK, context), self.tr)
        if source.kind != "postgis":
            raise QgsProcessingException(self.tr("PACK must be a pack in PostGIS (postgis:CONNECTION/SCHEMA); a "
                                                 "GeoPackage has no database roles."))
        try:
            grants = grant_pack_roles(source.connection, source.schema,
                                      _names(self.parameterAsString(parameters, self.EDITORS, context)),
                                      _names(self.parameterAsString(parameters, self.READERS, context)))
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        if grants.created:
            feedback.pushInfo(self.tr("Created the history tables {0}.").format(", ".join(grants.created)))
        feedback.pushInfo(self.tr("Editors {0} and readers {1} now have their privileges on the {2} tables of "
                                  "schema {3}, and on tables created there later.").format(
            ", ".join(grants.editors) or "-", ", ".join(grants.readers) or "-", len(grants.tables), grants.schema))
        return {"TABLES": len(grants.tables)}
