"""A planning application in the Open Digital Planning (PlanX) JSON schema as a site to screen.

The schema (theopensystemslab/digital-planning-data-schemas, ``application`` and the post-submission
forms that wrap it in ``submission``) keeps the red line boundary as a GeoJSON Feature in WGS84:
``data.proposal.boundary.site`` (the location plan of the proposed works) and
``data.property.boundary.site`` (the property's boundary). The application reference is
``data.application.reference`` once the planning authority has given one, and the site address is
``data.property.address`` (``singleLine``, else ``title``).

Pure Python: the geometry comes back in WGS84 (EPSG:4326, as the schema requires) for the front's own
transformation to the British National Grid.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ..errors import InputError

#: The schema's coordinates are WGS84 longitude, latitude.
ODP_CRS_EPSG = 4326
#: Where the red line is, in order of preference (paths under ``data``).
BOUNDARY_PATHS: tuple[tuple[str, ...], ...] = (("proposal", "boundary", "site"), ("property", "boundary", "site"))


@dataclass(frozen=True)
class ApplicationSite:
    """The site of one application: its red line (WGS84), reference and address as the file gives them."""

    reference: str  # "" when the application has none yet (a PlanX submission before validation)
    address: str
    geometry: BaseGeometry  # EPSG:4326, longitude then latitude
    boundary_from: str  # which part of the file the boundary came from, e.g. "data.proposal.boundary.site"
    application_type: str = ""


def _get(obj: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj


def _data_blocks(doc: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    """The ``data`` objects to look in, with their paths: the document's own, then a post-submission's
    ``submission.data``."""
    found = (("data", _get(doc, "data")), ("submission.data", _get(doc, "submission", "data")))
    return [(where, d) for where, d in found if isinstance(d, Mapping)]


def is_odp_application(doc: Any) -> bool:
    """Whether ``doc`` (parsed JSON) looks like an ODP application: a ``data`` object with a property or
    proposal boundary, never a GeoJSON FeatureCollection or Feature."""
    if not isinstance(doc, Mapping) or doc.get("type") in ("FeatureCollection", "Feature"):
        return False
    return any(_get(data, *path) is not None for _, data in _data_blocks(doc) for path in BOUNDARY_PATHS)


def _geometry(feature: Any, where: str) -> BaseGeometry:
    geojson = feature.get("geometry") if isinstance(feature, Mapping) and feature.get("type") == "Feature" \
        else feature
    if not isinstance(geojson, Mapping) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geojson.get("type") if isinstance(geojson, Mapping) else type(geojson).__name__
        raise InputError(f"the application's boundary ({where}) is a {kind}, not a polygon; a site needs its red "
                         "line boundary as a polygon.")
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise InputError(f"the application's boundary ({where}) is not valid GeoJSON ({exc}).") from exc
    if geom.is_empty:
        raise InputError(f"the application's boundary ({where}) is empty.")
    return geom


def application_site(doc: Mapping[str, Any]) -> ApplicationSite:
    """The site of a parsed ODP application; :class:`InputError` when it holds no usable red line."""
    named = _data_blocks(doc)
    blocks = [data for _, data in named]
    for path in BOUNDARY_PATHS:
        for block_path, data in named:
            feature = _get(data, *path)
            if feature is None:
                continue
            where = f"{block_path}.{'.'.join(path)}"
            geometry = _geometry(feature, where)
            reference = next((str(r).strip() for r in (_get(d, "application", "reference") for d in blocks)
                              if isinstance(r, str | int) and str(r).strip()), "")
            address = next((" ".join(str(a).split()) for d in blocks for a in
                            (_get(d, "property", "address", "singleLine"), _get(d, "property", "address", "title"))
                            if isinstance(a, str) and a.strip()), "")
            kind = _get(doc, "applicationType") or _get(doc, "submission", "applicationType") or \
                next((_get(d, "application", "type", "value") for d in blocks
                      if _get(d, "application", "type", "value")), "")
            return ApplicationSite(reference, address, geometry, where, str(kind or ""))
    raise InputError("the application holds no site boundary (data.proposal.boundary.site or "
                     "data.property.boundary.site).")


def read_application_file(path: str | Path) -> ApplicationSite | None:
    """The site of the ODP application in ``path``; None when the file is not one (an ordinary GeoJSON, or
    no JSON at all), so the caller can read it as a vector file instead."""
    p = Path(path)
    if p.suffix.lower() != ".json":
        return None
    try:
        with open(p, encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not is_odp_application(doc):
        return None
    return application_site(doc)
