"""Sites from any OGR-readable file (GDAL's Python bindings, no QGIS) for the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.screening.results import SiteTransform
from .ostn15_grid import BngTransform


@dataclass(frozen=True)
class FileSites:
    refs: list[str]
    geometries: list[BaseGeometry | None]
    notes: list[str]
    transforms: list[SiteTransform | None] = field(default_factory=list)  # per site, None without geometry


def read_sites(path: str | Path, layer_name: str | None = None, ref_field: str | None = None,
               fallback_ref_field: str | None = None) -> FileSites:
    """Read polygons from ``path`` and reproject them to EPSG:27700 (through OSTN15 from ETRS89/WGS84).

    Without ``ref_field``, ``fallback_ref_field`` is used when the layer has it (else the feature number).
    """
    from osgeo import ogr, osr

    ogr.UseExceptions()
    osr.UseExceptions()
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
    if not ref_field and fallback_ref_field in fields:
        ref_field = fallback_ref_field
    if ref_field and ref_field not in fields:
        raise InputError(f"{path} has no field {ref_field!r}; its fields are: {', '.join(fields) or '(none)'}.")
    srs = layer.GetSpatialRef()
    if srs is None:
        raise InputError(f"{path} has no coordinate reference system; add one (e.g. a .prj file).")
    to_bng = BngTransform(srs)
    refs: list[str] = []
    geoms: list[BaseGeometry | None] = []
    notes: list[str] = []
    transforms: list[SiteTransform | None] = []
    for n, feat in enumerate(layer, start=1):
        ref = feat.GetField(ref_field) if ref_field else None
        ref = str(ref) if ref not in (None, "") else str(n)
        g = feat.GetGeometryRef()
        if g is None or g.IsEmpty():
            refs.append(ref)
            geoms.append(None)
            transforms.append(None)
            continue
        g = g.Clone()
        if g.HasCurveGeometry():
            g = g.GetLinearGeometry()
            notes.append(f"site {ref}: curved edges were converted to straight segments.")
        g, how = to_bng.transform(g)
        refs.append(ref)
        geoms.append(shapely.from_wkb(bytes(g.ExportToIsoWkb())))
        transforms.append(how)
    return FileSites(refs, geoms, notes, transforms)
