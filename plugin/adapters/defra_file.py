"""A whole Defra metric GeoPackage (either template) in and out, with GDAL/OGR only (no QGIS needed).

:func:`read_defra_file` recognises the template from the layer names (:mod:`..core.parcels.templates`),
reads the red line and every module's layer for the phase into core :class:`..core.parcels.model.Parcel`
features (reprojected to EPSG:27700); :func:`assess_defra_file` runs the core engine on them;
:func:`write_defra_file` writes the filled copy in the same template (every module's phase
``... Strategic Significance`` filled, split features as new features); :func:`result_json` is the
command line's ``--json``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.metric.module_types import AREA, LINEAR_TYPES, MODULES
from ..core.pack.store import Cancelled
from ..core.parcels.model import Parcel
from ..core.parcels.qa import RedLine, is_null
from ..core.parcels.significance import ParcelPiece, ParcelResult, assess_parcels
from ..core.parcels.templates import (
    IGGI_LAYERS,
    RED_LINE,
    TEMPLATE_TITLES,
    TemplateLayer,
    detect_template,
    layers_for,
    size_in_metres,
)
from ..core.reports.output_guard import check_output
from ..core.screening.engine import PackIndex
from .defra_gpkg import ADVANCE, DELAY, LayerEdit, PieceOut, write_filled
from .defra_new_gpkg import write_template_gpkg


@dataclass(frozen=True)
class DefraFile:
    """A metric survey as the engine reads it: a Defra GeoPackage (``path``) or layers of the QGIS project
    (``path`` None, ``source`` naming them; see :mod:`.project_survey`), then written in ``template``."""

    path: Path | None  # None: the features came from project layers (no file to copy)
    template: str
    phase: str
    layers: tuple[tuple[TemplateLayer, str], ...]  # (template layer, name in the file)
    parcels: tuple[Parcel, ...]
    fids: tuple[int, ...]  # each parcel's feature id in its layer
    layer_index: tuple[int, ...]  # each parcel's position in ``layers``
    red_line: RedLine
    ref_fields: tuple[str | None, ...] = ()  # the reference field each layer of ``layers`` has
    iggis: tuple[Parcel, ...] = ()  # IGGI polygons (checked against the red line only)
    source: str = ""  # what the features were read from when not a file (the project layers' names)

    @property
    def title(self) -> str:
        return TEMPLATE_TITLES[self.template]

    @property
    def name(self) -> str:
        """The file's name, or the project layers the features came from."""
        return self.source if self.path is None else self.path.name

    @property
    def stem(self) -> str:
        """A short name for what was read: the file's stem, or the area habitat layer's name."""
        if self.path is not None:
            return self.path.stem
        return next((p.layer for p in self.parcels if p.module == AREA), "") or "survey"


def _transform(srs: Any) -> Any:
    """OGR transform from the layer's SRS to EPSG:27700 (None when already there); raises for no SRS."""
    from osgeo import osr

    if srs is None:
        raise InputError("no SRS")
    if srs.GetAuthorityCode(None) == "27700":
        return None
    bng = osr.SpatialReference()
    bng.ImportFromEPSG(27700)
    bng.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(srs, bng)


def _geometry(feat: Any, transform: Any) -> BaseGeometry | None:
    g = feat.GetGeometryRef()
    if g is None or g.IsEmpty():
        return None
    g = g.Clone()
    g.FlattenTo2D()
    if transform is not None:
        g.Transform(transform)
    return shapely.from_wkb(bytes(g.ExportToWkb()))


def _value(feat: Any, names: Sequence[str], name: str | None) -> Any:
    """The field's value, None when the layer has no such field or it is null (index lookup: fast)."""
    if name is None or name not in names:
        return None
    i = names.index(name)
    return feat.GetField(i) if feat.IsFieldSetAndNotNull(i) else None


def _open(p: Path) -> Any:
    from osgeo import ogr

    if not p.is_file():
        raise InputError(f"{p} does not exist.")
    try:
        ds = ogr.Open(str(p))
    except RuntimeError:
        ds = None
    if ds is None:
        raise InputError(f"{p} cannot be opened as a GeoPackage.")
    return ds


def peek_defra_file(path: str | Path) -> tuple[str, tuple[str, ...]]:
    """(template, the file's layer names) without reading features; refuses a file of neither template."""
    ds = _open(Path(path))
    names = tuple(ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount()))
    return detect_template(names), names


def read_defra_file(path: str | Path, phase: str, is_cancelled: Callable[[], bool] = lambda: False) -> DefraFile:
    """Every feature of the phase's layers and the red line; refuses a file that is not a Defra GeoPackage."""
    p = Path(path)
    ds = _open(p)
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    template = detect_template(names)
    layers = layers_for(template, phase, names)
    parcels: list[Parcel] = []
    fids: list[int] = []
    positions: list[int] = []
    ref_fields: list[str | None] = []
    for pos, (spec, name) in enumerate(layers):
        layer = ds.GetLayerByName(name)
        transform, fields = _layer_frame(layer, f"the '{name}' layer of {p.name}")
        ref_field = next((f for f in spec.ref_fields if f in fields), None)
        ref_fields.append(ref_field)
        type_field = spec.field(spec.type_field, phase)
        cond_field = spec.condition_field(phase)
        for feat in layer:
            if is_cancelled():
                raise Cancelled
            ref = _value(feat, fields, ref_field)
            prefix = {AREA: "P"}.get(spec.module, spec.module[0].upper())
            ref = f"{prefix}{feat.GetFID()}" if is_null(ref) else str(ref)
            area = _value(feat, fields, spec.size_field) if spec.module == AREA else None
            try:
                area_m2 = None if area is None or is_null(area) else size_in_metres(float(area), spec.size_unit)
            except (TypeError, ValueError):
                area_m2 = None
            parcels.append(Parcel(
                ref, _geometry(feat, transform), _value(feat, fields, type_field),
                _value(feat, fields, spec.field(spec.broad_field, phase)), _value(feat, fields, cond_field), area_m2,
                check_condition=cond_field in fields, module=spec.module, layer=name,
                advance_years=_value(feat, fields, ADVANCE), delay_years=_value(feat, fields, DELAY)))
            fids.append(int(feat.GetFID()))
            positions.append(pos)
    return DefraFile(p, template, phase, tuple(layers), tuple(parcels), tuple(fids), tuple(positions),
                     _red_line(ds, names), tuple(ref_fields), _iggis(ds, names))


def _layer_frame(layer: Any, what: str) -> tuple[Any, list[str]]:
    """A layer's transformation to EPSG:27700 and its field names; a layer without a coordinate reference system
    is refused (``what`` names it)."""
    try:
        transform = _transform(layer.GetSpatialRef())
    except InputError:
        raise InputError(f"{what} has no coordinate reference system; set it to EPSG:27700 (British National "
                         "Grid).") from None
    defn = layer.GetLayerDefn()
    return transform, [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]


def _iggis(ds: Any, names: Sequence[str]) -> tuple[Parcel, ...]:
    """The IGGI polygons of the file's IGGI layer, if it has one (refs from its reference field or ``I<fid>``)."""
    wanted = {n.lower() for n in IGGI_LAYERS}
    name = next((n for n in names if n.lower() in wanted), None)
    if name is None:
        return ()
    layer = ds.GetLayerByName(name)
    transform, fields = _layer_frame(layer, f"the '{name}' layer")
    ref_field = next((f for f in ("Habitat Ref", "Parcel Ref", "IGGI Ref") if f in fields), None)
    out = []
    for feat in layer:
        ref = _value(feat, fields, ref_field)
        out.append(Parcel(f"I{feat.GetFID()}" if is_null(ref) else str(ref), _geometry(feat, transform),
                          module=AREA, layer=name))
    return tuple(out)


def _red_line(ds: Any, names: Sequence[str]) -> RedLine:
    name = next((n for n in names if n.lower() == RED_LINE.lower()), None)
    if name is None:
        return RedLine((), RED_LINE)
    layer = ds.GetLayerByName(name)
    try:
        transform = _transform(layer.GetSpatialRef())
    except InputError:
        return RedLine(tuple(None for _ in layer), name, srs_known=False)
    return RedLine(tuple(_geometry(f, transform) for f in layer), name)


def assess_defra_file(index: PackIndex, dfile: DefraFile, lpas: Sequence[tuple[str, BaseGeometry]] | None = None,
                      is_cancelled: Callable[[], bool] = lambda: False,
                      progress: Callable[[float], None] = lambda _p: None) -> ParcelResult:
    return assess_parcels(index, dfile.parcels, dfile.red_line, lpas, phase=dfile.phase, whole_file=True,
                          iggis=dfile.iggis, is_cancelled=is_cancelled, progress=progress)


def write_defra_file(dfile: DefraFile, result: ParcelResult, dest: str | Path,
                     protected: Mapping[str, str | Path | None] | None = None) -> Path:
    """The filled copy of ``dfile`` at ``dest``, in its own template; for project layers (no file), a new
    GeoPackage in the Natural England template (:func:`.defra_new_gpkg.write_template_gpkg`) filled the same way.
    ``dest`` is refused, before anything is written, when it is (or links to) one of ``protected`` (what -> path:
    the pack, say)."""
    check_output(dest, dict(protected or {}))
    if dfile.path is None:
        dest_p = Path(dest).resolve()
        dest_p.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="lnrs_survey_", dir=str(dest_p.parent)) as tmp:
            survey = write_template_gpkg(Path(tmp) / "survey.gpkg", dfile.phase, dfile.parcels, dfile.fids,
                                         dfile.red_line.geoms)
            return write_defra_file(replace(dfile, path=survey), result, dest_p)
    by_layer: dict[int, dict[int, list[PieceOut]]] = {}
    for piece in result.pieces:
        pos, fid = dfile.layer_index[piece.parent], dfile.fids[piece.parent]
        measure = piece.area_m2 if piece.module == AREA else piece.length_m
        by_layer.setdefault(pos, {}).setdefault(fid, []).append(
            PieceOut(piece.ref, piece.geometry, measure, piece.metric_text))
    edits = [LayerEdit(name, spec.significance_field(dfile.phase), dfile.ref_fields[pos], spec.size_field,
                       spec.size_unit, by_layer.get(pos, {})) for pos, (spec, name) in enumerate(dfile.layers)]
    return write_filled(dfile.path, dest, edits)


@dataclass(frozen=True)
class DefraRun:
    """A Defra GeoPackage as read and the engine's answer for it (what the dock's Parcels tab shows)."""

    file: DefraFile
    result: ParcelResult

    @property
    def parcels(self) -> tuple[Parcel, ...]:
        return self.file.parcels

    def parent_ref(self, piece: ParcelPiece) -> str:
        return self.file.parcels[piece.parent].ref

    def was_split(self, piece: ParcelPiece) -> bool:
        return piece.ref != self.parent_ref(piece)

    @property
    def split_features(self) -> int:
        return len({p.parent for p in self.result.pieces if self.was_split(p)})

    def modules(self) -> dict[str, tuple[int, int, float]]:
        """module -> (features, pieces, total area in ha / length in km / 0 for trees), in the metric's order."""
        out: dict[str, tuple[int, int, float]] = {}
        for module in MODULES:
            pieces = [p for p in self.result.pieces if p.module == module]
            n = sum(1 for p in self.file.parcels if p.module == module)
            if not n:
                continue
            size = sum(p.area_ha for p in pieces) if module == AREA else sum(p.length_km for p in pieces)
            out[module] = (n, len(pieces), size)
        return out

    def write(self, dest: str | Path, protected: Mapping[str, str | Path | None] | None = None) -> Path:
        """The filled copy at ``dest`` in the file's own template (never the input, nor one of ``protected``)."""
        return write_defra_file(self.file, self.result, dest, protected)


def run_defra_file(index: PackIndex, path: str | Path, phase: str,
                   lpas: Sequence[tuple[str, BaseGeometry]] | None = None,
                   is_cancelled: Callable[[], bool] = lambda: False,
                   progress: Callable[[float], None] = lambda _p: None) -> DefraRun:
    """:func:`read_defra_file` then :func:`assess_defra_file`, as the dock runs them."""
    dfile = read_defra_file(path, phase, is_cancelled)
    return DefraRun(dfile, assess_defra_file(index, dfile, lpas, is_cancelled, progress))


def result_json(dfile: DefraFile, result: ParcelResult) -> dict[str, Any]:
    """``{"template", "issues", "features"}`` as the command line's ``--json`` writes it."""
    issues = [{"code": i.code, "severity": i.severity, "layer": i.layer, "ref": i.ref, "message": i.message,
               "fix": i.fix} for i in result.issues]
    features = []
    for piece in result.pieces:
        parent = dfile.parcels[piece.parent]
        row: dict[str, Any] = {
            "layer": piece.layer, "ref": piece.ref, "module": piece.module,
            "habitat": piece.habitat_label or (None if is_null(parent.habitat) else str(parent.habitat)),
            "category": piece.category, "multiplier": piece.multiplier, "metric_text": piece.metric_text,
            "codes": list(piece.measure_codes)}
        if piece.module in LINEAR_TYPES:
            row["length_km"] = round(piece.length_km, 6)
        elif piece.module == AREA:
            row["area_ha"] = round(piece.area_ha, 6)
        row["split_from"] = parent.ref if piece.ref != parent.ref else None
        features.append(row)
    return {"template": dfile.template, "phase": dfile.phase, "rule": result.rule.table if result.rule else None,
            "notes": list(result.notes), "issues": issues, "features": features}
