"""The Defra digital biodiversity metric's GeoPackage: recognise it, and write a copy with parcels split.

The output is a copy of the input file (every layer, field and style carried over) in which only
the ``Habitats`` layer's features change: split parcels become separate features (each keeping
its parent's attributes, with a derived ``Parcel Ref`` and its own ``Area``), and the phase's
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

from shapely import to_wkb
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError

HABITATS = "Habitats"
RED_LINE = "Red Line Boundary"
PARCEL_REF = "Parcel Ref"
AREA = "Area"
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
    area_m2: float
    significance: str | None


def write_defra_gpkg(src: str | Path, dest: str | Path, phase: str, pieces: Mapping[int, Sequence[PieceOut]]) -> Path:
    """Copy ``src`` to ``dest`` with the Habitats features in ``pieces`` (keyed by fid) rewritten."""
    from osgeo import ogr, osr

    src_p, dest_p = Path(src).resolve(), Path(dest).resolve()
    if src_p == dest_p:
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
        layer = ds.GetLayerByName(HABITATS)
        if layer is None:
            raise InputError(f"{src_p} has no '{HABITATS}' layer.")
        defn = layer.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        sig_field = phase_field(phase, "Strategic Significance")
        if sig_field not in names:
            raise InputError(f"the '{HABITATS}' layer has no '{sig_field}' field.")
        transform = None
        srs = layer.GetSpatialRef()
        if srs is not None and srs.GetAuthorityCode(None) != "27700":
            bng = osr.SpatialReference()
            bng.ImportFromEPSG(27700)
            bng.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            transform = osr.CoordinateTransformation(bng, srs)
        area_is_int = AREA in names and defn.GetFieldDefn(names.index(AREA)).GetType() == ogr.OFTInteger

        def geometry(g: BaseGeometry) -> ogr.Geometry:
            out = ogr.ForceToMultiPolygon(ogr.CreateGeometryFromWkb(bytes(to_wkb(g, output_dimension=2))))
            if transform is not None:
                out.Transform(transform)
            return out

        def fill(feat: ogr.Feature, piece: PieceOut, split: bool) -> None:
            feat.SetGeometry(geometry(piece.geometry))
            if piece.significance is None:
                feat.SetFieldNull(sig_field)
            else:
                feat.SetField(sig_field, piece.significance)
            if split:
                feat.SetField(PARCEL_REF, piece.ref)
                if AREA in names:
                    feat.SetField(AREA, int(round(piece.area_m2)) if area_is_int else float(piece.area_m2))

        ds.StartTransaction()
        for fid, parts in pieces.items():
            if not parts:
                continue
            feat = layer.GetFeature(int(fid))
            if feat is None:
                continue
            split = len(parts) > 1
            template = feat.Clone()
            fill(feat, parts[0], split)
            layer.SetFeature(feat)
            for piece in parts[1:]:
                new = template.Clone()
                new.SetFID(-1)
                fill(new, piece, True)
                layer.CreateFeature(new)
        ds.CommitTransaction()
        ds = None
        os.replace(tmp, dest_p)
    finally:
        if tmp.exists():
            tmp.unlink()
    return dest_p
