"""Logging into the QGIS message log under the plugin's tag."""

from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog

from .__about__ import LOG_TAG


def log_info(message: str) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Info)


def log_warning(message: str) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)


def log_error(message: str) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Critical)
