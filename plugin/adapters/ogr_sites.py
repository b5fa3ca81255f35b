"""Sites from any OGR-readable file (GDAL's Python bindings, no QGIS) for the command line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.pack.schema import PACK_CRS_EPSG
from ..core.screening.odp_application import ODP_CRS_EPSG, ApplicationSite, read_application_file


@dataclass(frozen=True)
class FileSites:
    refs: list[str]
    geometries: list[BaseGeometry | None]
    notes: list[str]


def _application_sites(app: ApplicationSite) -> FileSites:
    """An Open Digital Planning application's red line (WGS84) as one site in EPSG:27700."""
    from osgeo import ogr, osr

    source, target = osr.SpatialReference(), osr.SpatialReference()
    source.ImportFromEPSG(ODP_CRS_EPSG)
    target.ImportFromEPSG(PACK_CRS_EPSG)
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    g = ogr.CreateGeometryFromWkb(shapely.to_wkb(app.geometry))
    g.Transform(osr.CoordinateTransformation(source, target))
    ref = app.reference or "1"
    note = f"site {ref}: Open Digital Planning application, boundary from {app.boundary_from}"
    if app.address:
        note += f", address {app.address}"
    if not app.reference:
        note += "; the application has no reference yet (the site is numbered 1)"
    return FileSites([ref], [shapely.from_wkb(bytes(g.ExportToIsoWkb()))], [note + "."])


#: The fields a site's reference is read from when none is named, first found wins (any letter case).
REF_FIELDS: tuple[str, ...] = ("ref", "site_ref")


def read_sites(path: str | Path, layer_name: str | None = None, ref_field: str | None = None,
               fallback_ref_field: str | Sequence[str] | None = REF_FIELDS) -> FileSites:
    """Read polygons from ``path`` and reproject them to EPSG:27700.

    Without ``ref_field``, the first of ``fallback_ref_field`` the layer has (letter case aside) is used; else
    sites are numbered from 1 in file order, as in every front.
    """
    from osgeo import ogr, osr

    ogr.UseExceptions()
    osr.UseExceptions()
    application = read_application_file(path)
    if application is not None:
        return _application_sites(application)
    try:
        ds = ogr.Open(str(path))
    except RuntimeError as exc:
        raise InputError(f"{path} cannot be opened as a vector file ({exc}).") from exc
    if ds is None:
        raise InputError(f"{path} cannot be opened as a vector file.")
    layer = ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0)
    if layer is None:
        raise InputError(f"{path} has no layer {layer_name!r}.")
    defn = layer.GetLayerDefn()
    fields = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    if not ref_field and fallback_ref_field:
        wanted = [fallback_ref_field] if isinstance(fallback_ref_field, str) else list(fallback_ref_field)
        by_lower = {f.lower(): f for f in reversed(fields)}  # the first of equal names in any case
        ref_field = next((by_lower[w.lower()] for w in wanted if w.lower() in by_lower), None)
    if ref_field and ref_field not in fields:
        raise InputError(f"{path} has no field {ref_field!r}; its fields are: {', '.join(fields) or '(none)'}.")
    srs = layer.GetSpatialRef()
    if srs is None:
        raise InputError(f"{path} has no coordinate reference system; add one (e.g. a .prj file).")
    target = osr.SpatialReference()
    target.ImportFromEPSG(PACK_CRS_EPSG)
    for ref_srs in (srs, target):
        ref_srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    transform = None if srs.IsSame(target) else osr.CoordinateTransformation(srs, target)
    refs: list[str] = []
    geoms: list[BaseGeometry | None] = []
    notes: list[str] = []
    for n, feat in enumerate(layer, start=1):
        ref = feat.GetField(ref_field) if ref_field else None
        ref = str(ref) if ref not in (None, "") else str(n)
        g = feat.GetGeometryRef()
        if g is None or g.IsEmpty():
            refs.append(ref)
            geoms.append(None)
            continue
        g = g.Clone()
        if g.HasCurveGeometry():
            g = g.GetLinearGeometry()
            notes.append(f"site {ref}: curved edges were converted to straight segments.")
        if transform is not None:
            g.Transform(transform)
        refs.append(ref)
        geoms.append(shapely.from_wkb(bytes(g.ExportToIsoWkb())))
    return FileSites(refs, geoms, notes)
