"""``lnrs:publishversion``: freeze a pack's current state as its next published version."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterString,
)

from ..adapters.version_store import publish
from ..core.errors import LnrsError
from ..settings import PluginSettings
from .lnrs_algorithm import LnrsAlgorithm
from .pack_parameter import pack_source_parameter, parse_pack


class PublishVersionAlgorithm(LnrsAlgorithm):
    GROUP_ID = "packs"
    PACK, NOTE = "PACK", "NOTE"

    def name(self) -> str:
        return "publishversion"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Publish a version of the Local Habitat Map")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "Freezes the current state of a Local Habitat Map pack as its next version (1, 2, 3 \u2026), with the "
            "date (UTC), the content hash, who published it (the officer name in the LNRS Toolkit settings, else "
            "the system user) and NOTE. The frozen content is kept inside the pack (GeoPackage) or its schema "
            "(PostGIS), so any version can later be screened and compared; screening reports cite the version, "
            "its date and hash, and say when a pack has unpublished edits.\n\n"
            "PACK is a .gpkg file or postgis:CONNECTION/SCHEMA (a saved QGIS PostgreSQL connection whose "
            "credentials are in an authentication configuration). Publishing content unchanged since the last "
            "version is refused. Publishing is one transaction: on any failure the pack is left as it was.")

    def initAlgorithm(self, config: dict[str, Any] | None = None) -> None:  # noqa: N802
        self.addParameter(pack_source_parameter(
            self.PACK, self.tr("Local Habitat Map pack (.gpkg, or postgis:CONNECTION/SCHEMA)")))
        self.addParameter(QgsProcessingParameterString(
            self.NOTE, self.tr("Note: what this version changes"), multiLine=True))
        self.addOutput(QgsProcessingOutputNumber("VERSION", self.tr("Version number published")))
        self.addOutput(QgsProcessingOutputString("CONTENT_SHA256", self.tr("Content hash of the version")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        source = parse_pack(self.parameterAsFile(parameters, self.PACK, context), self.tr)
        note = self.parameterAsString(parameters, self.NOTE, context)
        publisher = PluginSettings.load().officer_name.strip()
        try:
            record = publish(source, note, publisher)
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc
        feedback.pushInfo(self.tr("Published version {0} of {1} on {2} by {3}: sha256 {4}").format(
            record.version, str(source), record.publication_date, record.published_by, record.content_sha256))
        return {"VERSION": record.version, "CONTENT_SHA256": record.content_sha256}
