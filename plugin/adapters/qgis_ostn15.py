"""OSTN15 for QGIS: install the bundled grid where PROJ finds it, use it for the plugin's transforms, say which.

QGIS asks PROJ for the best operation between two CRSs; between ETRS89/WGS84 and EPSG:27700 that is OSTN15
(EPSG:7709/7710), and without the grid file QGIS falls back to a Helmert transformation good to a few metres
and warns "Cannot use preferred transform" at every start. :func:`install_proj_grid` copies the grid the
plugin ships into QGIS's user PROJ folder (the folder QGIS's own "install grid" uses), unless PROJ already
finds OSTN15 somewhere: from the next QGIS start every transformation in QGIS (canvas, Processing, other
plugins) uses it. In the session that installed it, PROJ has already looked for the file, so the plugin's
own transforms name the grid by its full path (:func:`prefer_ostn15`).
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsProjUtils,
)

from ..core.screening.results import SiteTransform
from ..core.screening.site_provenance import IN_BNG, OSTN15_OPERATION
from .ostn15_grid import GRID_FILE, GRID_NAMES, OSTN15_PIPELINE, bundled_grid, grid_in

#: Geographic CRSs OSTN15 starts from, as QGIS names them.
OSTN15_SOURCES = ("EPSG:4326", "EPSG:4258")


def user_proj_dir() -> Path:
    """QGIS's user-writable PROJ folder (<profile>/proj), which QGIS adds to PROJ's search paths."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "proj"


def install_proj_grid(folder: Path | None = None) -> Path | None:
    """The OSTN15 grid PROJ will use: one it already finds, else the bundled one copied into ``folder``
    (default :func:`user_proj_dir`). None when there is none and it cannot be copied. Never overwrites."""
    found = grid_in(list(QgsProjUtils.searchPaths()))
    if found is not None:
        return found
    source = bundled_grid()
    if source is None:
        return None
    target_dir = folder or user_proj_dir()
    target = target_dir / GRID_FILE
    if target.exists():
        return target
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{GRID_FILE}.part")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    except OSError:
        return None
    licence = source.parent / "OSTN15-LICENCE.txt"
    if licence.is_file() and not (target_dir / licence.name).exists():
        with contextlib.suppress(OSError):
            shutil.copyfile(licence, target_dir / licence.name)
    QgsCoordinateTransform.invalidateCache()
    return target


def ostn15_pipeline() -> str | None:
    """OSTN15 from geographic ETRS89/WGS84 (lon, lat) to EPSG:27700, with the grid's full path when PROJ
    would not find it by name in this session; None without a grid."""
    if grid_in(list(QgsProjUtils.searchPaths())) is not None:
        return OSTN15_PIPELINE
    grid = bundled_grid()
    return None if grid is None else OSTN15_PIPELINE.replace(GRID_FILE, grid.as_posix())


def prefer_ostn15(transform: QgsCoordinateTransform, context: QgsCoordinateTransformContext | None) -> None:
    """Make ``transform`` (ETRS89/WGS84 -> EPSG:27700) use OSTN15, unless the project chose an operation."""
    source = transform.sourceCrs().authid()
    if source not in OSTN15_SOURCES or transform.destinationCrs().authid() != "EPSG:27700":
        return
    if context is not None and context.calculateCoordinateOperation(transform.sourceCrs(),
                                                                    transform.destinationCrs()):
        return
    pipeline = ostn15_pipeline()
    if pipeline is not None:
        transform.setCoordinateOperation(pipeline)


def describe_transform(crs: QgsCoordinateReferenceSystem,
                       transform: QgsCoordinateTransform | None) -> SiteTransform:
    """What moved a site from ``crs`` to EPSG:27700 (``transform`` None: it was already there)."""
    if transform is None:
        return IN_BNG
    details = transform.instantiatedCoordinateOperationDetails()
    label = crs.authid() or crs.description() or "unknown CRS"
    grids = [g.shortName for g in details.grids]
    proj = details.proj or transform.coordinateOperation()
    if any(Path(g).name in GRID_NAMES for g in grids) or "OSTN15_NTv2_OSGBtoETRS" in proj:
        return SiteTransform(label, OSTN15_OPERATION, True)
    geographic = crs.toGeographicCrs().authid() if crs.isValid() else ""
    needs = geographic in OSTN15_SOURCES or "OSGB36 to" in (details.name or "")
    name = details.name or "QGIS's default transformation"
    return SiteTransform(label, f"{name} (without the OSTN15 grid)" if needs else name, False, needs_ostn15=needs)
