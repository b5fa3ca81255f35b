"""The PACK parameter of algorithms that read a pack: a .gpkg file, or ``postgis:CONNECTION/SCHEMA``."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingException, QgsProcessingParameterFile

from ..adapters.pack_source import PackSource
from ..core.errors import LnrsError


def pack_source_parameter(name: str, label: str) -> QgsProcessingParameterFile:
    """A pack: a .gpkg file, or ``postgis:CONNECTION/SCHEMA`` typed in the field.

    A file parameter without a filter only takes names with an extension ("All files (*.*)");
    "All files (*)" lets a PostGIS address through while the picker still offers .gpkg first.
    """
    return QgsProcessingParameterFile(name, label, fileFilter="Local Habitat Map packs (*.gpkg);;All files (*)")


def parse_pack(text: str, tr: Any) -> PackSource:
    """The pack address, or a QgsProcessingException that says what is wrong with it."""
    if not (text or "").strip():
        raise QgsProcessingException(tr("PACK is empty: give a .gpkg pack or postgis:CONNECTION/SCHEMA."))
    try:
        return PackSource.parse(text.strip())
    except LnrsError as exc:
        raise QgsProcessingException(str(exc)) from exc
