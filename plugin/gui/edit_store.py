"""Where the Edit map tab's edits go: the edit engine's store for the pack (the GeoPackage or the PostGIS schema)
and the working copy's file in the QGIS profile; the engine's readings of edits for people."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qgis.core import QgsApplication

from ..adapters.pack_source import PackSource
from ..adapters.postgis_opportunity_store import PostgisOpportunityStore
from ..core.editing.checkin import validate_edits
from ..core.editing.edits import canonical_measures
from ..core.editing.gpkg_store import GpkgOpportunityStore


def default_working_dir() -> Path:
    return Path(QgsApplication.qgisSettingsDirPath()) / "lnrs_toolkit" / "working"


def working_copy_name(source: PackSource) -> str:
    """A stable file name for the working copy of ``source``: readable part plus a hash of the address."""
    readable = Path(source.path).stem if source.kind == "gpkg" else f"{source.connection}_{source.schema}"
    readable = re.sub(r"[^A-Za-z0-9_-]+", "_", readable).strip("_")[:40] or "pack"
    digest = hashlib.sha256(str(source).encode("utf-8")).hexdigest()[:12]
    return f"{readable}-{digest}.gpkg"


def source_title(source: PackSource) -> str:
    """The pack as the user names it: the GeoPackage's file name, else its ``postgis:`` address."""
    return Path(source.path).name if source.kind == "gpkg" else str(source)


def open_store(source: PackSource) -> Any:
    """The edit engine's store for the pack: the GeoPackage itself or the PostGIS schema."""
    if source.kind == "postgis":
        return PostgisOpportunityStore(source.connection, source.schema)
    return GpkgOpportunityStore(source.path)


def measures_text(feature: Any) -> str:
    """A feature's measure codes for people: "WD001, GR002" (the engine's parsing, whatever the stored form)."""
    return ", ".join(c for c in canonical_measures(feature.measures).split(";") if c)


def edits_report(edits: Sequence[Any], pack: Any) -> Any:
    """The validation ``save_edits`` applies before it writes: the new state of every inserted or updated area,
    with the areas being deleted left out of the comparisons between polygons."""
    return validate_edits(edits, pack)
