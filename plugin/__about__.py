"""Plugin metadata, read once from ``metadata.txt`` (the single source of truth)."""

from __future__ import annotations

import configparser
from pathlib import Path

PLUGIN_ROOT = Path(__file__).resolve().parent.parent
METADATA_PATH = PLUGIN_ROOT / "metadata.txt"


def _read_metadata(path: Path = METADATA_PATH) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep key case
    parser.read(path, encoding="utf-8")
    return dict(parser["general"])


_META = _read_metadata()

__title__: str = _META["name"]
__version__: str = _META["version"]
__summary__: str = _META["description"]
__about__: str = _META["about"]
__author__: str = _META["author"]
__email__: str = _META["email"]
__uri_tracker__: str = _META["tracker"]
__uri_repository__: str = _META["repository"]
__icon_path__: Path = PLUGIN_ROOT / _META["icon"]
__qgis_min__: str = _META["qgisMinimumVersion"]
__qgis_max__: str = _META.get("qgisMaximumVersion", "3.99")

PLUGIN_SLUG = "lnrs_toolkit"
#: Tag under which the plugin writes to the QGIS message log.
LOG_TAG = __title__
#: Processing provider id.
PROVIDER_ID = "lnrs"
#: Stable objectName of the dock widget.
DOCK_OBJECT_NAME = "LnrsToolkitDock"
