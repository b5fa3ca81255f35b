"""Defra's two digital metric GeoPackage templates as data, and how a file's template is recognised.

- Natural England's (``natural_england``): ``Red Line Boundary``, ``Habitats``, ``Hedgerows``,
  ``Rivers``, ``Urban Trees``; each layer holds both phases (``Baseline ...`` / ``Proposed ...``
  fields); key ``Parcel Ref`` (``Tree Ref`` for trees); ``Area`` in m², ``Length`` in m.
- The BNG Metric service's (``bng_service``): ``Red Line Boundary`` and, for each module, a
  ``... Baseline`` and a ``... Post-Intervention`` layer (``Area Habitats``, ``Hedgerows``,
  ``Watercourses``, ``Individual Trees``; the older ``Habitats ...`` and ``Trees ...`` spellings are
  accepted); key ``Habitat Ref`` (or ``Parcel Ref`` / ``PI Ref`` / ``Tree Ref``); ``Area`` in
  hectares, ``Length`` in km.

The template is read from the file's layer names; a file that fits neither, or both, is refused
with the names found, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InputError
from ..metric.module_types import AREA, HEDGEROW, TREE, WATERCOURSE

NATURAL_ENGLAND, BNG_SERVICE = "natural_england", "bng_service"
TEMPLATES: tuple[str, ...] = (NATURAL_ENGLAND, BNG_SERVICE)
RED_LINE = "Red Line Boundary"
#: Field names use "{Phase}": "Baseline" or "Proposed".
PHASE_WORD = {"baseline": "Baseline", "proposed": "Proposed"}


@dataclass(frozen=True)
class TemplateLayer:
    module: str
    names: tuple[str, ...]  # accepted layer names, the template's own first
    phase: str | None  # None: the layer holds both phases; else "baseline" or "proposed"
    ref_fields: tuple[str, ...]  # the first present is the feature's reference
    type_field: str  # e.g. "{Phase} Habitat Type"
    broad_field: str | None
    size_field: str | None  # "Area" / "Length", or None
    size_unit: str  # "m2", "ha", "m" or "km": what the size field holds

    def field(self, pattern: str | None, phase: str) -> str | None:
        return None if pattern is None else pattern.replace("{Phase}", PHASE_WORD[phase])

    def significance_field(self, phase: str) -> str:
        return f"{PHASE_WORD[phase]} Strategic Significance"

    def condition_field(self, phase: str) -> str:
        return f"{PHASE_WORD[phase]} Condition"


def _bng(module: str, names: tuple[str, ...], kind: str, broad: str | None, size: str | None, unit: str,
         ref: str) -> tuple[TemplateLayer, TemplateLayer]:
    base = tuple(f"{n} Baseline" for n in names)
    post = tuple(f"{n} Post-Intervention" for n in names)
    return (TemplateLayer(module, base, "baseline", (ref, "Parcel Ref"), f"{{Phase}} {kind} Type", broad, size, unit),
            TemplateLayer(module, post, "proposed", (ref, "PI Ref", "Parcel Ref"), f"{{Phase}} {kind} Type", broad,
                          size, unit))


TEMPLATE_LAYERS: dict[str, tuple[TemplateLayer, ...]] = {
    NATURAL_ENGLAND: (
        TemplateLayer(AREA, ("Habitats",), None, ("Parcel Ref",), "{Phase} Habitat Type",
                      "{Phase} Broad Habitat Type", "Area", "m2"),
        TemplateLayer(HEDGEROW, ("Hedgerows",), None, ("Parcel Ref",), "{Phase} Hedge Type", None, "Length", "m"),
        TemplateLayer(WATERCOURSE, ("Rivers",), None, ("Parcel Ref",), "{Phase} River Type", None, "Length", "m"),
        TemplateLayer(TREE, ("Urban Trees",), None, ("Tree Ref",), "{Phase} Tree Type", None, None, ""),
    ),
    BNG_SERVICE: (
        *_bng(AREA, ("Area Habitats", "Habitats"), "Habitat", "{Phase} Broad Habitat Type", "Area", "ha",
              "Habitat Ref"),
        *_bng(HEDGEROW, ("Hedgerows",), "Hedge", None, "Length", "km", "Habitat Ref"),
        *_bng(WATERCOURSE, ("Watercourses",), "River", None, "Length", "km", "Habitat Ref"),
        *_bng(TREE, ("Individual Trees", "Trees"), "Tree", None, None, "", "Tree Ref"),
    ),
}
#: Layer names of IGGI polygons (integrated greening of grey infrastructure), either template, any case, as
#: Defra's service reads them (``src/validation/baseline/geopackage.js`` of DEFRA/bng-metric-backend).
IGGI_LAYERS: tuple[str, ...] = ("IGGIs", "IGGI", "integrated_greening_grey_infrastructure",
                                "Integrated Greening of Grey Infrastructure")
TEMPLATE_TITLES = {NATURAL_ENGLAND: "Natural England template", BNG_SERVICE: "BNG Metric service template"}


def _present(names: Sequence[str], template: str) -> list[str]:
    lower = {n.lower() for n in names}
    return [n for layer in TEMPLATE_LAYERS[template] for n in layer.names if n.lower() in lower]


def detect_template(layer_names: Sequence[str]) -> str:
    """The template of a GeoPackage holding ``layer_names``; refuses a file that fits neither or both."""
    ne, bng = _present(layer_names, NATURAL_ENGLAND), _present(layer_names, BNG_SERVICE)
    if ne and bng:
        raise InputError(f"the GeoPackage holds layers of both Defra templates ({', '.join(ne)}; {', '.join(bng)}); "
                         "keep one template per file.")
    if ne:
        return NATURAL_ENGLAND
    if bng:
        return BNG_SERVICE
    found = ", ".join(layer_names) or "(none)"
    raise InputError(f"the GeoPackage is not a Defra metric GeoPackage: its layers are {found}; "
                     "the Natural England template has Habitats, Hedgerows, Rivers and Urban Trees, the BNG Metric "
                     "service template Area Habitats, Hedgerows, Watercourses and Individual Trees (each Baseline "
                     "and Post-Intervention).")


def layers_for(template: str, phase: str, layer_names: Sequence[str]) -> list[tuple[TemplateLayer, str]]:
    """(template layer, actual layer name) for every layer of the file the phase reads."""
    by_lower = {n.lower(): n for n in layer_names}
    out = []
    for layer in TEMPLATE_LAYERS[template]:
        if layer.phase is not None and layer.phase != phase:
            continue
        name = next((by_lower[n.lower()] for n in layer.names if n.lower() in by_lower), None)
        if name is not None:
            out.append((layer, name))
    return out


def template_layer_names(template: str, layer_names: Sequence[str]) -> tuple[str, ...]:
    """The file's layers the template knows (red line, every module of both phases, IGGIs), in the file's order."""
    known = {RED_LINE.lower(), *(n.lower() for n in IGGI_LAYERS)}
    known.update(n.lower() for layer in TEMPLATE_LAYERS[template] for n in layer.names)
    return tuple(n for n in layer_names if n.lower() in known)


def size_in_unit(value_m: float, unit: str) -> float:
    """A measure in m² (areas) or m (lengths) in the template's unit."""
    return {"m2": value_m, "m": value_m, "ha": value_m / 10000.0, "km": value_m / 1000.0}.get(unit, value_m)


def size_in_metres(value: float, unit: str) -> float:
    """A stored size (template unit) in m² or m."""
    return {"ha": value * 10000.0, "km": value * 1000.0}.get(unit, value)
