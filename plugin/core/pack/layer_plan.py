"""What to do with a layer given without a role: recognise it, shape it, and say so in sentences.

Used by ``lnrs:addtohabitatmap`` when only PACK and INPUT are given, for a single layer or for every
layer of a folder, .zip or multi-layer GeoPackage.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError
from .builder import FieldMapping
from .model import GeomArray
from .opportunity_shapes import (
    LAYER_CODE_FIELD_NAMES,
    MEASURES_KEY,
    MIN_FLAG_COLUMNS,
    find_field,
    flag_fields,
    shape_opportunities,
)
from .recognition import Recognition, prepare_rows, recognise

#: A measures catalogue (table): code field names and the other columns, best first.
CATALOGUE_FIELDS: dict[str, tuple[str, ...]] = {
    "code_field": ("code", "measure_code", "measure_id"),
    "text_field": ("measure", "measure_text", "description"),
    "theme_field": ("habitat_theme", "theme"),
    "priority_field": ("priority",),
    "habitats_field": ("habitats", "broad_habitats"),
}
LNRS_OPPORTUNITY = "lnrs:opportunity"
LNRS_CATALOGUE = "lnrs:measures"


@dataclass(frozen=True)
class LayerPlan:
    """A layer ready for ``map_rows``: role, mapping, the rows to map and what the log should say."""

    source: str
    role: str
    mapping: FieldMapping
    rows: list[dict[str, Any]]
    geoms: GeomArray | None
    fields: tuple[str, ...]
    #: the recognised dataset's key (``natural-england:sssi``, ``lnrs:opportunity`` ...)
    dataset: str
    title: str
    log: tuple[str, ...]
    end_dated: int = 0


def _national(rec: Recognition, source: str, rows: Sequence[Mapping[str, Any]], geoms: GeomArray | None,
              fields: tuple[str, ...], today: _dt.date | None) -> LayerPlan:
    if not rec.complete:
        raise InputError(rec.missing_sentence(source))
    prepared = prepare_rows(rec, rows, source, today)
    kept = geoms[np.asarray(prepared.keep, dtype=np.int64)] if geoms is not None else None
    log = [f"'{source}' recognised as {rec.describe()}."]
    if prepared.end_dated:
        log.append(f"{prepared.end_dated} row(s) of '{source}' have an '{rec.end_date_field}' in the past and were "
                   "left out.")
    return LayerPlan(source, rec.dataset.role, rec.mapping, prepared.rows, kept, fields, rec.dataset.key,
                     rec.dataset.title, tuple(log), prepared.end_dated)


def _catalogue(source: str, rows: Sequence[Mapping[str, Any]], fields: tuple[str, ...]) -> LayerPlan | None:
    values = {target: find_field(fields, names) for target, names in CATALOGUE_FIELDS.items()}
    if not (values["code_field"] and values["text_field"]):
        return None
    mapping = FieldMapping(**{k: v for k, v in values.items() if v})
    placed = ", ".join(f"{k.upper()} = '{v}'" for k, v in values.items() if v)
    return LayerPlan(source, "measures", mapping, [dict(r) for r in rows], None, fields, LNRS_CATALOGUE,
                     "LNRS measures catalogue",
                     (f"'{source}' recognised as an LNRS measures catalogue (role 'measures'): {placed}.",))


def opportunity_plan(source: str, rows: Sequence[Mapping[str, Any]], geoms: GeomArray | None,
                     fields: tuple[str, ...], measures_field: str = "", separator: str = "",
                     table: tuple[str, Sequence[Mapping[str, Any]], Sequence[str]] | None = None,
                     area_field: str = "", base: FieldMapping | None = None) -> LayerPlan:
    """An LNRS opportunity layer in any published shape, as one area per polygon with all its codes."""
    name = (base.name_field if base else "") or find_field(fields, ("name", "area_name", "site_name"))
    ref_names = ("ref", "reference", "area_id", "id")
    ref = (base.ref_field if base else "") or area_field or find_field(fields, ref_names)
    shaped = shape_opportunities(rows, geoms, fields, source, measures_field, separator, table, area_field,
                                 same=(name, ref))
    mapping = FieldMapping(measures_field=MEASURES_KEY, measures_separator=";", name_field=name, ref_field=ref)
    placed = ", ".join(f"{p} = '{f}'" for p, f in (("NAME_FIELD", name), ("REF_FIELD", ref)) if f)
    log = [f"'{source}' read as an LNRS opportunity map, shape '{shaped.shape}'" + (f": {placed}." if placed else ".")]
    log.extend(f"'{source}': {note}" for note in shaped.notes)
    return LayerPlan(source, "opportunity", mapping, shaped.rows, shaped.geoms, (*fields, MEASURES_KEY),
                     LNRS_OPPORTUNITY, "LNRS opportunity map", tuple(log))


def plan_layer(source: str, rows: Sequence[Mapping[str, Any]], geoms: GeomArray | None, fields: Sequence[str],
               geometry_kind: str | None, today: _dt.date | None = None) -> LayerPlan | None:
    """The plan for a layer given without a role, or ``None`` when it is not recognised.

    Raises :class:`InputError` for a partial recognition (naming the fields still needed).
    """
    fields = tuple(fields)
    rec = recognise(source, fields, rows)
    if rec is not None:
        return _national(rec, source, rows, geoms, fields, today)
    if geometry_kind is None:
        return _catalogue(source, rows, fields)
    flags = flag_fields(fields, rows)
    column = find_field(fields, LAYER_CODE_FIELD_NAMES)
    if geometry_kind == "polygon" and (column or len(flags) >= MIN_FLAG_COLUMNS):
        return opportunity_plan(source, rows, geoms, fields, measures_field="" if len(flags) >= MIN_FLAG_COLUMNS
                                else column)
    return None


def not_recognised_sentence(source: str, fields: Sequence[str]) -> str:
    return (f"'{source}' is not a dataset LNRS Toolkit recognises (fields: {', '.join(fields) or 'none'}); give its "
            "ROLE and map its fields with the *_FIELD parameters.")
