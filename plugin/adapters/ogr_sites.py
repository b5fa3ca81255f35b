"""Sites from any OGR-readable file (GDAL's Python bindings, no QGIS) for the command line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.pack.integrity import wkb_problem
from ..core.screening.odp_application import ODP_CRS_EPSG, ApplicationSite, read_application_file
from ..core.screening.results import SiteTransform
from .ostn15_grid import BngTransform, finite

#: Drivers the command line reads sites with: local files only. VRT (which may name /vsicurl/ URLs), WFS and other
#: network or "pointer" formats are left out, so reading a sites file never touches the network.
LOCAL_DRIVERS = ("GeoJSON", "GeoJSONSeq", "ESRIJSON", "TopoJSON", "GPKG", "ESRI Shapefile", "KML", "GML",
                 "FlatGeobuf", "MapInfo File", "DXF", "GPX", "OpenFileGDB", "FileGDB", "CSV", "SQLite", "Parquet",
                 "Arrow")
#: Options that keep the drivers above from fetching schemas or linked elements.
_OFFLINE_OPTIONS = {"GML_SKIP_RESOLVE_ELEMS": "ALL", "GML_DOWNLOAD_WFS_SCHEMA": "NO", "GDAL_HTTP_TIMEOUT": "1",
                    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none-allowed"}


@dataclass(frozen=True)
class FileSites:
    refs: list[str]
    geometries: list[BaseGeometry | None]
    notes: list[str]
    transforms: list[SiteTransform | None] = field(default_factory=list)  # per site, None without geometry
    #: position -> why that site cannot be screened (its geometry is None)
    errors: dict[int, str] = field(default_factory=dict)


#: QGIS data providers whose features come over the network (a web feature service, an ArcGIS feature server, ...).
NETWORK_PROVIDERS = frozenset({"wfs", "oapif", "arcgisfeatureserver", "arcgismapserver", "vectortile", "wms"})
#: GDAL drivers that fetch what they read from elsewhere (VRT names other sources, possibly /vsicurl/ URLs).
NETWORK_DRIVERS = frozenset({"OGR_VRT", "VRT", "WFS", "OAPIF", "OGCAPI", "ESRIC", "Elasticsearch", "CSW", "NGW",
                             "Carto", "AmigoCloud", "PLScenes", "EEDA", "GeoRSS-HTTP", "HTTP"})
_NETWORK_PATH = re.compile(r"/vsi(curl|s3|gs|az|adls|oss|swift|webhdfs|hdfs)|\b(https?|ftps?)://", re.IGNORECASE)


def network_source(source: str, provider: str = "ogr", driver: str = "") -> bool:
    """True when a layer's data come (or may come) over the network: a network provider, a URL or network file
    system anywhere in its source, a VRT (which may name such a URL), or a driver that fetches."""
    path = str(source).split("|", 1)[0].strip()
    return (provider.lower() in NETWORK_PROVIDERS or bool(_NETWORK_PATH.search(str(source)))
            or path.lower().endswith((".vrt", ".ovf")) or driver in NETWORK_DRIVERS)


def remote_refusal(what: str, source: str) -> str:
    """The sentence refusing ``what`` read from ``source`` over the network (every front words it the same)."""
    return (f"{what} ({source}) is not a local layer: sites and parcels are read only from local files or "
            "databases (GeoPackage, shapefile, GeoJSON, KML, PostGIS, ...), never from a web service, a URL or a "
            "VRT, so screening never depends on what a server sends. Download the data to a local file first.")


def _refuse_remote(path: str | Path) -> None:
    text = str(path)
    if text.startswith("/vsi") or "://" in text or network_source(text):
        raise InputError(remote_refusal("The sites file", text))


def _open(path: str | Path) -> Any:
    from osgeo import gdal

    gdal.UseExceptions()
    _refuse_remote(path)
    for key, value in _OFFLINE_OPTIONS.items():
        gdal.SetThreadLocalConfigOption(key, value)
    try:
        return gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=list(LOCAL_DRIVERS))
    except UnicodeDecodeError as exc:  # GDAL 3.10 quotes the file's bytes in its error, which may not be UTF-8
        raise InputError(f"{path} cannot be opened as a vector file (it is not valid UTF-8 text).") from exc
    except RuntimeError as exc:
        raise InputError(f"{path} cannot be opened as a local vector file ({exc}).") from exc


def _shapely(g: Any, ref: str) -> BaseGeometry | str:
    """The shapely geometry of an OGR geometry, or why it cannot be used (GEOS never sees deep nesting)."""
    wkb = bytes(g.ExportToIsoWkb())
    problem = wkb_problem(wkb)
    if problem is not None:
        return f"site {ref}: {problem}; it cannot be screened."
    geom = shapely.from_wkb(wkb, on_invalid="ignore")
    if geom is None:
        return f"site {ref}: its geometry cannot be decoded; it cannot be screened."
    return geom


def _application_sites(app: ApplicationSite) -> FileSites:
    """An Open Digital Planning application's red line (WGS84) as one site in EPSG:27700, through OSTN15."""
    from osgeo import ogr, osr

    source = osr.SpatialReference()
    source.ImportFromEPSG(ODP_CRS_EPSG)
    source.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ref = app.reference or "1"
    note = f"site {ref}: Open Digital Planning application, boundary from {app.boundary_from}"
    if app.address:
        note += f", address {app.address}"
    if not app.reference:
        note += "; the application has no reference yet (the site is numbered 1)"
    try:
        g, how = BngTransform(source).transform(ogr.CreateGeometryFromWkb(shapely.to_wkb(app.geometry)))
    except RuntimeError as exc:
        return FileSites([ref], [None], [note + "."], [None],
                         {0: f"site {ref}: its boundary cannot be converted to British National Grid ({exc})."})
    converted = _shapely(g, ref) if finite(g) else f"site {ref}: its boundary lies outside what can be converted."
    if isinstance(converted, str):
        return FileSites([ref], [None], [note + "."], [None], {0: converted})
    return FileSites([ref], [converted], [note + "."], [how])


#: The fields a site's reference is read from when none is named, first found wins (any letter case).
REF_FIELDS: tuple[str, ...] = ("ref", "site_ref")


def read_sites(path: str | Path, layer_name: str | None = None, ref_field: str | None = None,
               fallback_ref_field: str | Sequence[str] | None = REF_FIELDS) -> FileSites:
    """Read polygons from ``path`` and reproject them to EPSG:27700 (through OSTN15 from ETRS89/WGS84).

    Without ``ref_field``, the first of ``fallback_ref_field`` the layer has (letter case aside) is used; else
    sites are numbered from 1 in file order, as in every front.
    """
    from osgeo import gdal, ogr, osr

    ogr.UseExceptions()
    osr.UseExceptions()
    application = read_application_file(path)
    if application is not None:
        return _application_sites(application)
    try:
        ds = _open(path)
        if ds is None:
            raise InputError(f"{path} cannot be opened as a local vector file.")
        return _read_layer(ds, path, layer_name, ref_field, fallback_ref_field, osr)
    except RuntimeError as exc:  # GDAL refused something while reading
        raise InputError(f"{path} cannot be read ({exc}); check the file in QGIS.") from exc
    finally:
        for key in _OFFLINE_OPTIONS:
            gdal.SetThreadLocalConfigOption(key, None)


def _read_layer(ds: Any, path: str | Path, layer_name: str | None, ref_field: str | None,
                fallback_ref_field: str | Sequence[str] | None, osr: Any) -> FileSites:
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
    to_bng = BngTransform(srs)
    crs_name = srs.GetName() or "its coordinate reference system"
    refs: list[str] = []
    geoms: list[BaseGeometry | None] = []
    notes: list[str] = []
    transforms: list[SiteTransform | None] = []
    errors: dict[int, str] = {}
    for n, feat in enumerate(layer, start=1):
        ref = feat.GetField(ref_field) if ref_field else None
        ref = str(ref) if ref not in (None, "") else str(n)
        refs.append(ref)
        geoms.append(None)
        transforms.append(None)
        g = feat.GetGeometryRef()
        if g is None or g.IsEmpty():
            continue
        g = g.Clone()
        if g.HasCurveGeometry():
            g = g.GetLinearGeometry()
            notes.append(f"site {ref}: curved edges were converted to straight segments.")
        try:
            g, how = to_bng.transform(g)
        except RuntimeError as exc:
            how = None
            failed = str(exc) or "invalid coordinate"
        else:
            failed = "" if finite(g) else "a coordinate is outside what the conversion can handle"
        if failed:
            errors[n - 1] = (f"site {ref}: its coordinates cannot be converted from {crs_name} to British "
                             f"National Grid ({failed}); if they are already British National Grid metres, say so "
                             "in the file (a GeoJSON without 'crs' is read as longitude/latitude).")
            continue
        converted = _shapely(g, ref)
        if isinstance(converted, str):
            errors[n - 1] = converted
        else:
            geoms[-1] = converted
            transforms[-1] = how
    return FileSites(refs, geoms, notes, transforms, errors)
