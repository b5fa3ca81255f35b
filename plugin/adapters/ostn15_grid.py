"""OS's OSTN15 grid as PROJ reads it: where the plugin ships it, and the GDAL/OSR transformation that uses it.

The grid (resources/proj/uk_os_OSTN15_NTv2_OSGBtoETRS.tif, see docs/coordinates.md) is the file PROJ looks
for when it applies EPSG:7709/7710 between ETRS89/WGS84 and OSGB36. This module has no QGIS: the command line
reads sites with GDAL/OGR through it; :mod:`.qgis_ostn15` installs the same file for QGIS.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from ..core.screening.results import SiteTransform
from ..core.screening.site_provenance import IN_BNG, OSTN15_OPERATION

GRID_FILE = "uk_os_OSTN15_NTv2_OSGBtoETRS.tif"
#: Names under which PROJ finds OSTN15 (the CDN GeoTIFF and OS's own NTv2 file).
GRID_NAMES = (GRID_FILE, "OSTN15_NTv2_OSGBtoETRS.gsb")
BUNDLED_GRID_DIR = Path(__file__).resolve().parents[2] / "resources" / "proj"
BNG_EPSG = 27700
#: Geographic ETRS89/WGS84 (lon, lat degrees) -> OSGB36 National Grid through OSTN15, as PROJ applies EPSG:7709.
OSTN15_PIPELINE = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    f"+step +inv +proj=hgridshift +grids={GRID_FILE} "
    "+step +proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy")
#: Geographic CRSs that OSTN15 starts from (ETRS89 and WGS 84, whose difference OS takes as nil for OSTN15).
OSTN15_DATUMS = (4258, 4326)


def bundled_grid() -> Path | None:
    path = BUNDLED_GRID_DIR / GRID_FILE
    return path if path.is_file() else None


def grid_in(paths: list[str]) -> Path | None:
    """The OSTN15 grid file in one of ``paths`` (PROJ search paths), else None."""
    for folder in paths:
        for name in GRID_NAMES:
            candidate = Path(folder) / name
            if candidate.is_file():
                return candidate
    return None


def crs_label(srs: Any) -> str:
    """``EPSG:4326`` for a CRS with an authority code, else its name."""
    name, code = srs.GetAuthorityName(None), srs.GetAuthorityCode(None)
    return f"{name}:{code}" if name and code else (srs.GetName() or "unknown CRS")


def gdal_use_bundled_grid() -> bool:
    """Let GDAL/OSR (this process) find the bundled grid: its folder goes first in PROJ's search paths."""
    from osgeo import osr

    grid = bundled_grid()
    paths = list(osr.GetPROJSearchPaths() or [])
    if grid is not None and str(grid.parent) not in paths:
        osr.SetPROJSearchPaths([str(grid.parent), *paths])
        paths = [str(grid.parent), *paths]
    return grid_in(paths) is not None


class BngTransform:
    """Moves OGR geometries from ``srs`` to EPSG:27700, through OSTN15 when the source is ETRS89/WGS84 based."""

    def __init__(self, srs: Any) -> None:
        from osgeo import osr

        grid_found = gdal_use_bundled_grid()  # before any transformation, so PROJ's own choice sees the grid too
        target = osr.SpatialReference()
        target.ImportFromEPSG(BNG_EPSG)
        for ref_srs in (srs, target):
            ref_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        self.source_label = crs_label(srs)
        self.same = bool(srs.IsSame(target))
        self.fallback = None if self.same else osr.CoordinateTransformation(srs, target)
        self.to_geographic = None
        self.ostn15 = None
        geographic = osr.SpatialReference()
        geographic.CopyGeogCSFrom(srs)
        geographic.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        on_ostn15_datum = any(geographic.IsSameGeogCS(_geographic(code)) for code in OSTN15_DATUMS)
        self.needs_ostn15 = not self.same and on_ostn15_datum
        if self.needs_ostn15 and grid_found:
            options = osr.CoordinateTransformationOptions()
            options.SetOperation(OSTN15_PIPELINE)
            try:
                self.ostn15 = osr.CreateCoordinateTransformation(None, None, options)
            except RuntimeError:
                self.ostn15 = None
            if self.ostn15 is not None and not srs.IsGeographic():
                self.to_geographic = osr.CoordinateTransformation(srs, geographic)

    def transform(self, geometry: Any) -> tuple[Any, SiteTransform]:
        """``geometry`` (an ogr.Geometry) in EPSG:27700, and what moved it there."""
        if self.same:
            return geometry, IN_BNG
        if self.ostn15 is not None:
            moved = geometry.Clone()
            try:
                if self.to_geographic is not None:
                    _transform(moved, self.to_geographic)
                _transform(moved, self.ostn15)
            except RuntimeError:
                moved = None  # outside the grid: PROJ's own choice below
            if moved is not None and finite(moved):
                return moved, SiteTransform(self.source_label, OSTN15_OPERATION, True)
        if self.fallback is None:  # pragma: no cover - only when the CRS is EPSG:27700 (handled above)
            raise RuntimeError("no transformation to EPSG:27700")
        moved = geometry.Clone()
        _transform(moved, self.fallback)
        if not self.needs_ostn15:
            operation = "PROJ's transformation (no ETRS89/WGS84 datum change to OSGB36)"
        elif self.ostn15 is None:
            operation = "PROJ's fallback (Helmert), the OSTN15 grid was not found"
        else:
            operation = "PROJ's fallback, the site lies outside the OSTN15 grid"
        return moved, SiteTransform(self.source_label, operation, False, needs_ostn15=self.needs_ostn15)


def _geographic(code: int) -> Any:
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(code)
    return srs


def _transform(geometry: Any, transform: Any) -> None:
    """``geometry.Transform(transform)``; RuntimeError when OGR reports a failure (by code or by exception)."""
    failed = geometry.Transform(transform)
    if failed:
        raise RuntimeError(f"OGR error {failed}")


def finite(geometry: Any) -> bool:
    """Every coordinate of an ogr.Geometry is a finite number."""
    return all(math.isfinite(v) for v in geometry.GetEnvelope())
