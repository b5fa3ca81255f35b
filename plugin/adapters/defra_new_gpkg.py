"""A new Defra metric GeoPackage in the Natural England template, written from core features (GDAL/OGR only).

The dock's Parcels tab checks survey layers of the QGIS project as well as Defra GeoPackages; for the
project layers there is no file to copy, so :func:`write_template_gpkg` writes one: the ``Red Line
Boundary`` and every module's layer of the template (``Habitats``, ``Hedgerows``, ``Rivers``,
``Urban Trees``, the modules without features left empty) in EPSG:27700, each feature with the
template's fields for both phases, the checked phase's filled from the survey. The filled copy is then
written from it by :func:`.defra_gpkg.write_filled`, as for a GeoPackage. The project layers are
never written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shapely import to_wkb
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.metric.module_types import AREA, TREE
from ..core.parcels.model import Parcel
from ..core.parcels.templates import NATURAL_ENGLAND, PHASE_WORD, RED_LINE, TEMPLATE_LAYERS, TemplateLayer, size_in_unit
from .defra_gpkg import ADVANCE, DELAY

#: The layers of the Natural England template, by module (its own name first).
NE_LAYERS: dict[str, TemplateLayer] = {spec.module: spec for spec in TEMPLATE_LAYERS[NATURAL_ENGLAND]}


def _geometry_type(module: str) -> int:
    from osgeo import ogr

    return {AREA: ogr.wkbMultiPolygon, TREE: ogr.wkbPoint}.get(module, ogr.wkbMultiLineString)


def _fields(spec: TemplateLayer) -> list[tuple[str, int]]:
    """The template's fields of one layer: reference, then per phase broad type, type, condition, significance;
    the size; the advance and delay years."""
    from osgeo import ogr

    out = [(spec.ref_fields[0], ogr.OFTString)]
    for phase in PHASE_WORD:
        for name in (spec.field(spec.broad_field, phase), spec.field(spec.type_field, phase),
                     spec.condition_field(phase), spec.significance_field(phase)):
            if name is not None:
                out.append((name, ogr.OFTString))
    if spec.size_field is not None:
        out.append((spec.size_field, ogr.OFTReal))
    out += [(ADVANCE, ogr.OFTString), (DELAY, ogr.OFTString)]
    return out


def _ogr_geometry(geom: BaseGeometry, module: str) -> Any:
    from osgeo import ogr

    g = ogr.CreateGeometryFromWkb(bytes(to_wkb(geom, output_dimension=2)))
    if module == AREA:
        return ogr.ForceToMultiPolygon(g)
    if module != TREE:
        return ogr.ForceToMultiLineString(g)
    if ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbMultiPoint and g.GetGeometryCount() == 1:
        return g.GetGeometryRef(0).Clone()  # the template's trees are points
    return g


def _size(parcel: Parcel, spec: TemplateLayer) -> float | None:
    """The recorded area (m²) when the survey has one, else the geometry's area or length, in the template's unit."""
    g = parcel.geometry
    if spec.size_field is None:
        return None
    if parcel.area is not None:
        value = parcel.area
    elif g is None or g.is_empty:
        return None
    else:
        value = float(g.area if parcel.module == AREA else g.length)
    return size_in_unit(value, spec.size_unit)


def write_template_gpkg(dest: str | Path, phase: str, parcels: Sequence[Parcel], fids: Sequence[int],
                        red_line: Sequence[BaseGeometry | None]) -> Path:
    """A new Natural England template GeoPackage at ``dest`` (which must not exist) holding ``parcels`` (EPSG:27700)
    in their module's layer with the feature ids ``fids``, and the red line polygons."""
    from osgeo import ogr, osr

    dest_p = Path(dest)
    if dest_p.exists():
        raise InputError(f"{dest_p} already exists; choose a new file.")
    driver = ogr.GetDriverByName("GPKG")
    ds = driver.CreateDataSource(str(dest_p))
    if ds is None:
        raise InputError(f"{dest_p} cannot be created as a GeoPackage.")
    bng = osr.SpatialReference()
    bng.ImportFromEPSG(27700)
    red = ds.CreateLayer(RED_LINE, bng, ogr.wkbMultiPolygon)
    red.CreateField(ogr.FieldDefn("Area", ogr.OFTReal))
    red.CreateField(ogr.FieldDefn("Site Name", ogr.OFTString))
    ds.StartTransaction()
    for g in red_line:
        feat = ogr.Feature(red.GetLayerDefn())
        if g is not None and not g.is_empty:
            feat.SetGeometry(_ogr_geometry(g, AREA) if g.geom_type in ("Polygon", "MultiPolygon") else
                             ogr.CreateGeometryFromWkb(bytes(to_wkb(g, output_dimension=2))))
            feat.SetField("Area", float(g.area))
        red.CreateFeature(feat)
    ds.CommitTransaction()
    for module, spec in NE_LAYERS.items():
        layer = ds.CreateLayer(spec.names[0], bng, _geometry_type(module))
        for name, kind in _fields(spec):
            layer.CreateField(ogr.FieldDefn(name, kind))
        ds.StartTransaction()
        for parcel, fid in zip(parcels, fids):
            if parcel.module != module:
                continue
            feat = ogr.Feature(layer.GetLayerDefn())
            feat.SetFID(int(fid))
            if parcel.geometry is not None and not parcel.geometry.is_empty:
                feat.SetGeometry(_ogr_geometry(parcel.geometry, module))
            values: dict[str | None, str | None] = {
                spec.ref_fields[0]: parcel.ref, spec.field(spec.type_field, phase): parcel.habitat,
                spec.field(spec.broad_field, phase): parcel.broad_habitat,
                spec.condition_field(phase): parcel.condition, ADVANCE: parcel.advance_years,
                DELAY: parcel.delay_years}
            for key, value in values.items():
                if key is not None and value is not None:
                    feat.SetField(key, str(value))
            size = _size(parcel, spec)
            if size is not None:
                feat.SetField(spec.size_field, size)
            if layer.CreateFeature(feat) != 0:
                raise InputError(f"the feature {parcel.ref} could not be written to the '{spec.names[0]}' layer "
                                 "of the new GeoPackage.")
        ds.CommitTransaction()
    ds = None
    return dest_p
