"""The Defra digital biodiversity metric's GeoPackage: recognise it, and write a copy with parcels split.

The output is a copy of the input file (every layer, field and style carried over) in which only
the assessed layers' features change (:func:`write_filled`; the Habitats layer alone with
:func:`write_defra_gpkg`): split features become separate features (each keeping its parent's
attributes, with a derived reference and its own ``Area`` / ``Length``), and the phase's
``... Strategic Significance`` field holds the metric's wording. The input file is never opened
for writing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shapely import to_wkb
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.parcels.templates import size_in_unit
from ..core.reports.output_guard import same_file

if TYPE_CHECKING:
    from osgeo import ogr

HABITATS = "Habitats"
RED_LINE = "Red Line Boundary"
PARCEL_REF = "Parcel Ref"
AREA = "Area"
ADVANCE, DELAY = "Habitat created in advance/years", "Delay in starting habitat creation/years"
#: Fields that mark a layer as the Defra metric's Habitats layer.
SIGNATURE = ("Parcel Ref", "Baseline Habitat Type", "Proposed Habitat Type", "Baseline Strategic Significance")


def is_defra_habitats(field_names: Sequence[str]) -> bool:
    return all(f in field_names for f in SIGNATURE)


def phase_field(phase: str, what: str) -> str:
    """``phase_field("baseline", "Habitat Type")`` -> ``Baseline Habitat Type``."""
    return f"{phase.strip().capitalize()} {what}"


@dataclass(frozen=True)
class PieceOut:
    ref: str
    geometry: BaseGeometry  # EPSG:27700
    area_m2: float  # the piece's measure: m² for polygons, m for lines (0 for points)
    significance: str | None


@dataclass(frozen=True)
class LayerEdit:
    """What to rewrite in one layer: pieces keyed by the feature id they come from."""

    layer: str
    significance_field: str
    ref_field: str | None
    size_field: str | None
    size_unit: str  # see core.parcels.templates.size_in_unit
    pieces: Mapping[int, Sequence[PieceOut]]


def write_defra_gpkg(src: str | Path, dest: str | Path, phase: str, pieces: Mapping[int, Sequence[PieceOut]]) -> Path:
    """Copy ``src`` to ``dest`` with the Habitats features in ``pieces`` (keyed by fid) rewritten."""
    return write_filled(src, dest, [LayerEdit(HABITATS, phase_field(phase, "Strategic Significance"), PARCEL_REF,
                                              AREA, "m2", pieces)])


def _fit(geom: ogr.Geometry, layer_type: int) -> ogr.Geometry:
    """The piece in the layer's geometry type: single parts stay single in a single-type layer."""
    from osgeo import ogr

    flat = ogr.GT_Flatten(layer_type)
    if flat in (ogr.wkbMultiPolygon, ogr.wkbUnknown) and ogr.GT_Flatten(geom.GetGeometryType()) == ogr.wkbPolygon:
        return ogr.ForceToMultiPolygon(geom) if flat == ogr.wkbMultiPolygon else geom
    if flat == ogr.wkbMultiLineString and ogr.GT_Flatten(geom.GetGeometryType()) == ogr.wkbLineString:
        return ogr.ForceToMultiLineString(geom)
    if geom.GetGeometryCount() == 1 and flat in (ogr.wkbPolygon, ogr.wkbLineString) and \
            ogr.GT_Flatten(geom.GetGeometryType()) in (ogr.wkbMultiPolygon, ogr.wkbMultiLineString):
        return geom.GetGeometryRef(0).Clone()
    return geom


def write_filled(src: str | Path, dest: str | Path, edits: Sequence[LayerEdit]) -> Path:
    """Copy ``src`` to ``dest`` (through a temporary file beside it) with every layer in ``edits`` rewritten:
    the first piece updates its feature, further pieces are new features with the parent's attributes, a
    derived reference and their own size. Every other layer, field and style is carried over unchanged."""
    from osgeo import ogr

    src_p, dest_p = Path(src).resolve(), Path(dest).resolve()
    if same_file(src_p, dest_p) or src_p == dest_p:  # through symbolic and hard links
        raise InputError("the output GeoPackage must be a new file, not the input; choose another path.")
    dest_p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".gpkg", dir=str(dest_p.parent))
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(src_p, tmp)
        ds = ogr.Open(str(tmp), 1)
        if ds is None:
            raise InputError(f"{src_p} cannot be opened as a GeoPackage.")
        ds.StartTransaction()
        for edit in edits:
            layer = ds.GetLayerByName(edit.layer)
            if layer is None:
                raise InputError(f"{src_p} has no '{edit.layer}' layer.")
            whole = _rewrite_layer(layer, edit)
            _update_whole(ds, edit, layer.GetFIDColumn() or "fid", whole)
        ds.CommitTransaction()
        ds = None
        os.replace(tmp, dest_p)
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest_p


def _rewrite_layer(layer: ogr.Layer, edit: LayerEdit) -> dict[str | None, list[int]]:
    """Split features rewritten; returns the unsplit ones (fids by significance) for :func:`_update_whole`."""
    from osgeo import ogr, osr

    defn = layer.GetLayerDefn()
    names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    if edit.significance_field not in names:
        raise InputError(f"the '{edit.layer}' layer has no '{edit.significance_field}' field.")
    transform = None
    srs = layer.GetSpatialRef()
    if srs is not None and srs.GetAuthorityCode(None) != "27700":
        bng = osr.SpatialReference()
        bng.ImportFromEPSG(27700)
        bng.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        transform = osr.CoordinateTransformation(bng, srs)
    size = edit.size_field if edit.size_field in names else None
    size_is_int = size is not None and defn.GetFieldDefn(names.index(size)).GetType() == ogr.OFTInteger
    ref_field = edit.ref_field if edit.ref_field in names else None
    layer_type = layer.GetGeomType()

    def fill(feat: ogr.Feature, piece: PieceOut, split: bool) -> None:
        if split:
            g = ogr.CreateGeometryFromWkb(bytes(to_wkb(piece.geometry, output_dimension=2)))
            if transform is not None:
                g.Transform(transform)
            feat.SetGeometry(_fit(g, layer_type))
        if piece.significance is None:
            feat.SetFieldNull(edit.significance_field)
        else:
            feat.SetField(edit.significance_field, piece.significance)
        if split and ref_field is not None:
            feat.SetField(ref_field, piece.ref)
        if split and size is not None:
            value = size_in_unit(piece.area_m2, edit.size_unit)
            feat.SetField(size, int(round(value)) if size_is_int else float(value))

    whole: dict[str | None, list[int]] = {}  # unsplit features: one UPDATE per significance text
    for fid, parts in edit.pieces.items():
        if len(parts) == 1:
            whole.setdefault(parts[0].significance, []).append(int(fid))
            continue
        feat = layer.GetFeature(int(fid)) if parts else None
        if feat is None:
            continue
        template = feat.Clone()
        fill(feat, parts[0], True)
        layer.SetFeature(feat)
        for piece in parts[1:]:
            new = template.Clone()
            new.SetFID(-1)
            fill(new, piece, True)
            layer.CreateFeature(new)
    return whole


def _update_whole(ds: ogr.DataSource, edit: LayerEdit, fid_column: str, whole: dict[str | None, list[int]]) -> None:
    """Set the significance of unsplit features with SQL (fid lists in chunks); geometry untouched."""
    table = '"' + edit.layer.replace('"', '""') + '"'
    column = '"' + edit.significance_field.replace('"', '""') + '"'
    key = '"' + fid_column.replace('"', '""') + '"'
    for text, fids in whole.items():
        value = "NULL" if text is None else "'" + text.replace("'", "''") + "'"
        for start in range(0, len(fids), 500):
            chunk = ",".join(str(f) for f in fids[start:start + 500])
            ds.ExecuteSQL(f"UPDATE {table} SET {column} = {value} WHERE {key} IN ({chunk})")
