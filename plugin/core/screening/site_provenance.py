"""Where a screened site came from: the coordinate transformation used and its geometry as screened.

Every front (dock, Processing, command line) moves the site to EPSG:27700 before screening and records here
which transformation did it (JSON ``transform``), so a result says whether Ordnance Survey's OSTN15 was used.
A site moved from ETRS89/WGS84 without OSTN15 gets a warning note: PROJ's fallback Helmert transformation is
good only to a few metres.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from shapely.geometry.base import BaseGeometry

from .results import ScreeningResult, SiteError, SiteTransform
from .site_geometry import prepare_site

#: How OSTN15 is named in results (PROJ applies it as EPSG:7709 "OSGB36 to ETRS89 (2)").
OSTN15_OPERATION = "OSTN15 (OSGB36 to ETRS89 (2), EPSG:7709; grid uk_os_OSTN15_NTv2_OSGBtoETRS)"

#: A site already in British National Grid: nothing to transform.
IN_BNG = SiteTransform("EPSG:27700", "none (already British National Grid)", False, needs_ostn15=False)


def with_site_provenance(result: ScreeningResult, geometry: BaseGeometry | None,
                         transform: SiteTransform | None) -> ScreeningResult:
    """``result`` with its transformation, its geometry as screened (repaired as the engine repairs it) and,
    without OSTN15, the warning note."""
    screened = None
    if geometry is not None:
        screened = prepare_site(geometry, result.site_ref).geometry
    notes = result.notes
    if transform is not None and transform.warning and transform.warning not in notes:
        notes = (*notes, transform.warning)
    return replace(result, transform=transform, site_geometry=screened, notes=notes)


def with_provenance(results: Sequence[ScreeningResult | SiteError], geometries: Sequence[BaseGeometry | None],
                    transforms: Sequence[SiteTransform | None]) -> list[ScreeningResult | SiteError]:
    """Every result of a batch (in input order) with its site's provenance; errors pass through."""
    if len(transforms) != len(results) or len(geometries) != len(results):
        return list(results)
    return [with_site_provenance(r, g, t) if isinstance(r, ScreeningResult) else r
            for r, g, t in zip(results, geometries, transforms)]
