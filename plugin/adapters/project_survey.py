"""Survey layers of the QGIS project -> the same :class:`.defra_file.DefraFile` a Defra GeoPackage is read into.

An ecologist who digitised the parcels in QGIS (or loaded a shapefile) checks them in the dock's Parcels tab
as a GeoPackage is checked: :func:`survey_request` checks the choices on the main thread (an area habitat
polygon layer and its habitat field, optional hedgerow and watercourse line layers, a tree point layer and
a red line polygon layer; each layer's geometry and CRS), :func:`read_survey` reads them in any thread,
reprojected to EPSG:27700 with the project's transform context, into every module's
:class:`..core.parcels.model.Parcel` and the red line, and :func:`run_survey` assesses them with
:func:`.defra_file.assess_defra_file`. The result is a :class:`.defra_file.DefraRun` whose filled copy is a
new GeoPackage in the Natural England template; the project layers are only read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from qgis.core import Qgis, QgsCoordinateTransformContext
from qgis.PyQt.QtCore import QCoreApplication
from shapely.geometry.base import BaseGeometry

from ..core.errors import InputError
from ..core.metric.module_types import AREA, HEDGEROW, TREE, WATERCOURSE
from ..core.parcels.model import Parcel
from ..core.parcels.qa import RedLine, is_null
from ..core.parcels.templates import NATURAL_ENGLAND
from ..core.screening.engine import PackIndex
from .defra_file import DefraFile, DefraRun, assess_defra_file
from .defra_gpkg import ADVANCE, DELAY
from .defra_new_gpkg import NE_LAYERS
from .parcel_layers import PHASES, LayerInput, default_habitat_field, field_value, read_features, read_red_line

#: The geometry each module's layer must hold.
MODULE_GEOMETRY = {AREA: Qgis.GeometryType.Polygon, HEDGEROW: Qgis.GeometryType.Line,
                   WATERCOURSE: Qgis.GeometryType.Line, TREE: Qgis.GeometryType.Point}
#: A feature's reference: the first of these fields the layer has (any case), else ``P<fid>``, ``H<fid>``, ...
REF_FIELDS = ("Parcel Ref", "Habitat Ref", "Tree Ref", "PI Ref", "ref")
#: The type field of a hedgerow, watercourse or tree layer, first present wins (any case; ``{Phase}`` is
#: Baseline or Proposed): both Defra templates' names, then plain ones.
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    HEDGEROW: ("{Phase} Hedge Type", "{Phase} Hedgerow Type", "Hedge Type", "Hedgerow Type", "hedge_type",
               "hedgerow_type", "type"),
    WATERCOURSE: ("{Phase} River Type", "{Phase} Watercourse Type", "River Type", "Watercourse Type", "river_type",
                  "watercourse_type", "type"),
    TREE: ("{Phase} Tree Type", "Tree Type", "tree_type", "type"),
}
REF_PREFIX = {AREA: "P", HEDGEROW: "H", WATERCOURSE: "W", TREE: "T"}


def tr(message: str) -> str:
    return str(QCoreApplication.translate("ProjectSurvey", message))


def module_words() -> dict[str, str]:
    return {AREA: tr("area habitat"), HEDGEROW: tr("hedgerow"), WATERCOURSE: tr("watercourse"), TREE: tr("tree")}


@dataclass(frozen=True)
class SurveyLayer:
    """One module's project layer and the field holding its habitat / hedgerow / watercourse / tree type."""

    module: str
    layer: LayerInput
    type_field: str | None


@dataclass(frozen=True)
class SurveyRequest:
    """What :func:`read_survey` reads, checked by :func:`survey_request` (the area habitat layer first)."""

    phase: str
    layers: tuple[SurveyLayer, ...]
    red_line: LayerInput | None = None

    @property
    def names(self) -> str:
        return ", ".join(s.layer.name for s in self.layers)


def _find(names: Sequence[str], candidates: Sequence[str], phase: str) -> str | None:
    """The first candidate the layer has, matched without regard to case (``{Phase}`` filled in)."""
    by_lower = {n.lower(): n for n in names}
    word = phase.capitalize()
    for pattern in candidates:
        hit = by_lower.get(pattern.replace("{Phase}", word).lower())
        if hit is not None:
            return hit
    return None


def _check_layer(layer: LayerInput, module: str, role: str = "") -> None:
    """A layer of the module's geometry (``role`` names what it is for, by default the module) and a known CRS."""
    words = {Qgis.GeometryType.Polygon: tr("polygons"), Qgis.GeometryType.Line: tr("lines"),
             Qgis.GeometryType.Point: tr("points")}
    wanted = MODULE_GEOMETRY[module]
    if layer.geometry_type != wanted:
        raise InputError(tr("{0} does not hold {1}; choose a layer of {1} as the {2} layer.").format(
            layer.name, words[wanted], role or module_words()[module]))
    if layer.crs is None or not layer.crs.isValid():
        raise InputError(tr("{0} has an unknown coordinate reference system, so where its features lie cannot be "
                            "known; set it in Layer Properties \u25b8 Source (e.g. EPSG:27700, British National "
                            "Grid) and run again.").format(layer.name))


def survey_request(phase: str, area: LayerInput, habitat_field: str = "", hedgerows: LayerInput | None = None,
                   watercourses: LayerInput | None = None, trees: LayerInput | None = None,
                   red_line: LayerInput | None = None) -> SurveyRequest:
    """Check the choices: geometry and a known CRS for every layer; the area layer's habitat field (by default
    the phase's ``... Habitat Type``, as ``lnrs:parcelsignificance`` takes it); the type field of the hedgerow,
    watercourse and tree layers found from :data:`TYPE_FIELDS` (a line layer without one is refused)."""
    phase = (phase or PHASES[0]).strip().lower()
    if phase not in PHASES:
        raise InputError(tr("the phase must be baseline or proposed, not '{0}'.").format(phase))
    _check_layer(area, AREA)
    field = habitat_field or default_habitat_field(phase)
    if field not in area.field_names:
        raise InputError(tr("{0} has no field '{1}'; choose the field that holds the habitat.").format(
            area.name, field))
    layers = [SurveyLayer(AREA, area, field)]
    for module, layer in ((HEDGEROW, hedgerows), (WATERCOURSE, watercourses), (TREE, trees)):
        if layer is None:
            continue
        _check_layer(layer, module)
        type_field = _find(layer.field_names, TYPE_FIELDS[module], phase)
        if type_field is None and module != TREE:
            raise InputError(tr("{0} has no {1} type field; add one named '{2}' holding the metric's {1} types "
                                "and run again.").format(layer.name, module_words()[module],
                                                         TYPE_FIELDS[module][0].replace("{Phase}",
                                                                                        phase.capitalize())))
        layers.append(SurveyLayer(module, layer, type_field))
    if red_line is not None:
        _check_layer(red_line, AREA, tr("red line"))
    return SurveyRequest(phase, tuple(layers), red_line)


def read_survey(request: SurveyRequest, context: QgsCoordinateTransformContext | None,
                is_cancelled: Callable[[], bool] = lambda: False) -> DefraFile:
    """Every module's features (EPSG:27700) and the red line, as a :class:`.defra_file.DefraFile` in the
    Natural England template whose layers are written afresh (feature ids 1, 2, ... in each)."""
    phase = request.phase
    parcels: list[Parcel] = []
    fids: list[int] = []
    positions: list[int] = []
    layers = []
    for pos, survey in enumerate(request.layers):
        spec = NE_LAYERS[survey.module]
        layers.append((spec, spec.names[0]))
        names = survey.layer.field_names
        ref_field = _find(names, REF_FIELDS, phase)
        broad = spec.field(spec.broad_field, phase)
        condition = spec.condition_field(phase)
        for n, (feat, geom) in enumerate(read_features(survey.layer, context, is_cancelled), start=1):
            ref = field_value(feat, names, ref_field)
            ref = f"{REF_PREFIX[survey.module]}{feat.id()}" if is_null(ref) else str(ref)
            area = field_value(feat, names, spec.size_field) if survey.module == AREA else None
            try:
                area_m2 = None if area is None or is_null(area) else float(area)
            except (TypeError, ValueError):
                area_m2 = None
            habitat = field_value(feat, names, survey.type_field)
            parcels.append(Parcel(
                ref, geom, None if habitat is None else str(habitat), _text(field_value(feat, names, broad)),
                _text(field_value(feat, names, condition)), area_m2, check_condition=condition in names,
                module=survey.module, layer=survey.layer.name,
                advance_years=_text(field_value(feat, names, ADVANCE)),
                delay_years=_text(field_value(feat, names, DELAY))))
            fids.append(n)
            positions.append(pos)
    red_line = None
    if request.red_line is not None:
        red_line = read_red_line(request.red_line, context, is_cancelled, required=True)
    return DefraFile(None, NATURAL_ENGLAND, phase, tuple(layers), tuple(parcels), tuple(fids), tuple(positions),
                     red_line if red_line is not None else RedLine((), required=False),
                     tuple(NE_LAYERS[s.module].ref_fields[0] for s in request.layers), (),
                     request.names)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def run_survey(index: PackIndex, request: SurveyRequest, lpas: Sequence[tuple[str, BaseGeometry]] | None,
               context: QgsCoordinateTransformContext | None, is_cancelled: Callable[[], bool] = lambda: False,
               progress: Callable[[float], None] = lambda _p: None) -> DefraRun:
    """:func:`read_survey` then the GeoPackage route's :func:`.defra_file.assess_defra_file`; without a red line
    the run's notes say the features were not checked against one."""
    dfile = read_survey(request, context, is_cancelled)
    result = assess_defra_file(index, dfile, lpas, is_cancelled, progress)
    if request.red_line is None:
        note = tr("No red line layer was chosen, so the features were not checked against a red line; Defra's "
                  "service needs one (the saved GeoPackage's Red Line Boundary layer is empty).")
        result = replace(result, notes=(*result.notes, note))
    return DefraRun(dfile, result)
