"""Refuse to start with a clear message when a Python dependency is missing or too old."""

from __future__ import annotations

from .shapely_import import import_shapely

INSTALL_HINT = ("Install it into QGIS's Python (Debian 13, Ubuntu 24.04 and later: sudo apt install python3-shapely; "
                "Debian 12: /usr/bin/python3 -m pip install --user --break-system-packages \"shapely>=2,<2.1\", "
                "whose GEOS matches QGIS's; Windows: OSGeo4W Shell, python -m pip install \"shapely>=2\"), "
                "then restart QGIS.")


def missing_dependency_message(shapely_version: str | None = None, v2_api: bool = False) -> str | None:
    """``None`` when everything the plugin needs is importable, else what to do about it.

    ``v2_api``: the module has shapely 2's functions (``shapely.from_wkb``). It decides when the version says
    nothing: Debian sid's python3-shapely 2.2 reports ``0+unknown`` (built without its version metadata).
    """
    if shapely_version is None:
        try:
            shapely = import_shapely()
        except ImportError:
            return f"LNRS Toolkit needs the Python package shapely 2, which is not installed. {INSTALL_HINT}"
        shapely_version = str(shapely.__version__)
        v2_api = hasattr(shapely, "from_wkb")
    if shapely_version.startswith("0+") and v2_api:
        return None
    try:
        major = int(shapely_version.split(".")[0])
    except ValueError:
        major = 0
    if major < 2:
        return f"LNRS Toolkit needs shapely 2 or later; QGIS's Python has shapely {shapely_version}. {INSTALL_HINT}"
    return None


class MissingDependencyPlugin:
    """Stands in for the plugin when a dependency is missing: it says so once and registers nothing."""

    def __init__(self, iface, message: str) -> None:  # noqa: QGS105 - QGIS hands iface to classFactory
        self.iface = iface
        self.message = message

    def initProcessing(self) -> None:  # noqa: N802 - QGIS hook name
        from .log import log_error

        log_error(self.message)

    def initGui(self) -> None:  # noqa: N802 - QGIS hook name
        from qgis.core import Qgis

        self.initProcessing()
        self.iface.messageBar().pushMessage("LNRS Toolkit", self.message, Qgis.MessageLevel.Critical, 0)

    def unload(self) -> None:
        """Nothing was registered."""
