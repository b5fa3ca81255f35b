"""Sites from any OGR-readable file (GDAL's Python bindings, no QGIS) for the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.pack.schema import PACK_CRS_EPSG


@dataclass(frozen=True)
class FileSites:
    refs: list[str]
    geometries: list[BaseGeometry | None]
    notes: list[str]


def read_sites(path: str | Path, layer_name: str | None = None, ref_field: str | None = None,
               fallback_ref_field: str | None = None) -> FileSites:
    """Read polygons from ``path`` and reproject them to EPSG:27700.

    Without ``ref_field``, ``fallback_ref_field`` is used when the layer has it (else the feature number).
    """
    from osgeo import ogr, osr

    ogr.UseExceptions()
    osr.UseExceptions()
    try:
        ds = ogr.Open(str(path))
    except UnicodeDecodeError as exc:  # GDAL 3.10 quotes the file's bytes in its error, which may not be UTF-8
        raise InputError(f"{path} cannot be opened as a vector file (it is not valid UTF-8 text).") from exc
    except RuntimeError as exc:
        raise InputError(f"{path} cannot be opened as a vector file ({exc}).") from exc
    if ds is None:
        raise InputError(f"{path} cannot be opened as a vector file.")
    layer = ds.GetLayerByName(layer_name) if layer_name else ds.GetLayer(0)
    if layer is None:
        raise InputError(f"{path} has no layer {layer_name!r}.")
    defn = layer.GetLayerDefn()
    fields = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    if not ref_field and fallback_ref_field in fields:
        ref_field = fallback_ref_field
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
