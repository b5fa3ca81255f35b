"""Building a pack from a council's own layers: field mapping, vocabulary checks, merging.

Adapters (QGIS, command line) hand over plain rows (attribute dicts) and shapely geometries
already in EPSG:27700; everything else happens here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from ..errors import InputError, VocabularyError
from ..metric.habitats import HabitatTable, theme_habitats
from ..metric.module_types import delivering_habitat
from ..metric.significance_rules import STATUS_KEY, normalise_status
from ..metric.vocabulary import (
    normalise_designation,
    normalise_habitat_type,
    normalise_role,
    normalise_tree_status,
    normalise_woodland_status,
)
from .measure_codes import invalid_codes, join_codes, parse_measure_codes
from .model import GeomArray, PackLayer
from .schema import METADATA_KEYS, TABLES_BY_ROLE, TableSpec

SPATIAL_KIND = {"MULTIPOLYGON": "polygon", "POINT": "point"}


@dataclass(frozen=True)
class FieldMapping:
    """Which input field (or fixed value) fills each canonical column. Names match the
    parameters of ``lnrs:addtohabitatmap``."""

    designation: str = ""
    designation_field: str = ""
    habitat_type: str = ""
    habitat_type_field: str = ""
    status_field: str = ""
    name_field: str = ""
    ref_field: str = ""
    measures_field: str = ""
    measures_separator: str = ""
    code_field: str = ""
    theme_field: str = ""
    priority_field: str = ""
    text_field: str = ""
    habitats_field: str = ""
    stem_diameter_field: str = ""
    crown_radius_field: str = ""
    key_field: str = ""
    value_field: str = ""
    main_habitat_field: str = ""
    additional_habitats_field: str = ""
    habitat_codes_field: str = ""
    confidence_field: str = ""
    #: ancient woodland: 'revised' or 'legacy' inventory (fixed for a layer; set by dataset recognition)
    inventory: str = ""

    def fields_used(self) -> dict[str, str]:
        """Parameter name -> input field name, for every mapping that names a field."""
        return {name.upper(): value for name, value in vars(self).items()
                if name.endswith("_field") and value}


@dataclass(frozen=True)
class MappedRows:
    """Canonical rows for one role, ready to merge into the pack."""

    role: str
    spec: TableSpec
    source: str
    columns: dict[str, list[Any]]
    geoms: GeomArray | None
    notes: tuple[str, ...] = ()
    metadata: dict[str, str] = field(default_factory=dict)
    #: other sources whose rows these replace (an earlier download of the same dataset under another name)
    replaces: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    text = " ".join(str(value).split())
    return None if text == "" or text.upper() in {"NULL", "NONE"} else text


def _number(value: Any, what: str) -> float | None:
    """A non-negative finite number, ``None`` when empty; refuses text that is not a number."""
    text = _text(value)
    if text is None:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError as exc:
        raise InputError(f"{what} '{value}' is not a number.") from exc
    if not math.isfinite(number) or number < 0:
        return None
    return number


def check_fields(mapping: FieldMapping, available: Sequence[str], layer_name: str) -> None:
    """Refuse a mapping that names a field the input does not have."""
    avail = set(available)
    missing = {param: name for param, name in mapping.fields_used().items() if name not in avail}
    if missing:
        listed = "; ".join(f"{p} = '{n}'" for p, n in sorted(missing.items()))
        raise InputError(f"the input layer '{layer_name}' has no field(s) {listed}. "
                         f"Its fields are: {', '.join(available) or '(none)'}.")


def _require(mapping_value: str, param: str, role: str) -> None:
    if not mapping_value:
        raise InputError(f"role '{role}' needs {param}.")


def check_mapping(role: str, mapping: FieldMapping) -> None:
    """Refuse a mapping that cannot work for ``role`` whatever the rows (missing or unknown fixed values)."""
    if role == "designated":
        if not (mapping.designation or mapping.designation_field):
            raise InputError("role 'designated' needs DESIGNATION (a fixed value such as SSSI) or DESIGNATION_FIELD.")
        if mapping.designation:
            normalise_designation(mapping.designation)
    elif role == "irreplaceable":
        if not (mapping.habitat_type or mapping.habitat_type_field):
            raise InputError("role 'irreplaceable' needs HABITAT_TYPE (a fixed value such as ancient_woodland) "
                             "or HABITAT_TYPE_FIELD.")
        if mapping.habitat_type:
            normalise_habitat_type(mapping.habitat_type)
    elif role == "opportunity":
        _require(mapping.measures_field, "MEASURES_FIELD (the field holding the measure codes)", role)
    elif role == "measures":
        _require(mapping.code_field, "CODE_FIELD (the field holding the measure code)", role)
    elif role == "priority_habitats":
        _require(mapping.main_habitat_field, "MAIN_HABITAT_FIELD (the field holding the main habitat)", role)


def map_rows(role: str, rows: Sequence[Mapping[str, Any]], geoms: Sequence[Any] | GeomArray | None,
             mapping: FieldMapping, source: str, available_fields: Sequence[str], geometry_kind: str | None = None,
             habitat_table: HabitatTable | None = None) -> MappedRows:
    """Turn input rows into canonical rows for ``role``, refusing bad vocabulary with the row number.

    ``geometry_kind`` is what the input layer holds ('polygon', 'point', 'line'; ``None`` for a table
    without geometry or when unknown).
    """
    role = normalise_role(role)
    spec = TABLES_BY_ROLE[role]
    check_fields(mapping, available_fields, source)
    check_mapping(role, mapping)
    if spec.is_spatial:
        want = SPATIAL_KIND[spec.geometry_type or ""]
        if geometry_kind is not None and geometry_kind != want:
            raise InputError(f"role '{role}' needs a {want} layer, but '{source}' holds {geometry_kind} geometries.")
        if geoms is None and len(rows):
            raise InputError(f"role '{role}' needs a {want} layer, but '{source}' has no geometry.")
    elif role == "metadata":
        return _map_metadata(rows, mapping, source)
    n = len(rows)
    cols: dict[str, list[Any]] = {c: [None] * n for c in spec.column_names}
    cols["source_layer"] = [source] * n

    def get(row: Mapping[str, Any], fname: str) -> Any:
        return row.get(fname) if fname else None

    notes: list[str] = []
    for i, row in enumerate(rows):
        if "name" in cols:
            cols["name"][i] = _text(get(row, mapping.name_field))
        if "ref" in cols:
            cols["ref"][i] = _text(get(row, mapping.ref_field))
        try:
            if role == "designated":
                raw = mapping.designation or get(row, mapping.designation_field)
                if not _text(raw):
                    raise InputError("no designation: set DESIGNATION or DESIGNATION_FIELD.")
                cols["designation"][i] = normalise_designation(str(raw))
            elif role == "irreplaceable":
                raw = mapping.habitat_type or get(row, mapping.habitat_type_field)
                if not _text(raw):
                    raise InputError("no habitat type: set HABITAT_TYPE or HABITAT_TYPE_FIELD.")
                cols["habitat_type"][i] = normalise_habitat_type(str(raw))
                cols["inventory"][i] = mapping.inventory or None
                if mapping.status_field:
                    status = _text(get(row, mapping.status_field))
                    if cols["habitat_type"][i] == "ancient_woodland":
                        cols["status"][i] = normalise_woodland_status(status)
                    else:
                        cols["status"][i] = status
            elif role == "trees":
                cols["status"][i] = normalise_tree_status(_text(get(row, mapping.status_field)))
                cols["stem_diameter_m"][i] = _number(get(row, mapping.stem_diameter_field), "stem diameter")
                cols["crown_radius_m"][i] = _number(get(row, mapping.crown_radius_field), "crown radius")
            elif role == "opportunity":
                codes = parse_measure_codes(get(row, mapping.measures_field), mapping.measures_separator or None)
                bad = invalid_codes(codes)
                if bad:
                    raise InputError(f"measure code(s) {', '.join(repr(b[:40]) for b in bad)} are not valid codes "
                                     "(letters, digits, '.', '-', '_' or '/', at most 32 characters).")
                if not codes:
                    notes.append(f"row {i + 1} has no measure codes")
                cols["measures"][i] = join_codes(codes)
            elif role == "priority_habitats":
                cols["main_habitat"][i] = _text(get(row, mapping.main_habitat_field))
                if not cols["main_habitat"][i]:
                    notes.append(f"row {i + 1} has no main habitat")
                cols["additional_habitats"][i] = _text(get(row, mapping.additional_habitats_field))
                cols["habitat_codes"][i] = _text(get(row, mapping.habitat_codes_field))
                cols["confidence"][i] = _text(get(row, mapping.confidence_field))
            elif role == "measures":
                code = (_text(get(row, mapping.code_field)) or "").upper()
                if not code:
                    raise InputError("empty measure code.")
                if invalid_codes([code]):
                    raise InputError(f"'{code[:40]}' is not a valid measure code.")
                cols["code"][i] = code
                theme = _text(get(row, mapping.theme_field)) or ""
                cols["habitat_theme"][i] = theme
                cols["priority"][i] = _text(get(row, mapping.priority_field)) or ""
                cols["measure"][i] = _text(get(row, mapping.text_field)) or ""
                cols["habitats"][i] = _delivering_habitats(get(row, mapping.habitats_field), theme, habitat_table)
        except (VocabularyError, InputError) as exc:
            raise InputError(f"'{source}' row {i + 1}: {exc}") from exc
    garr: GeomArray | None = None
    if spec.is_spatial:
        garr = np.asarray(list(geoms) if geoms is not None else [None] * n, dtype=object)
        if len(garr) != n:
            raise InputError("internal: rows and geometries differ in number.")
    if role == "measures":
        dup = {c for c in cols["code"] if cols["code"].count(c) > 1}
        if dup:
            raise InputError(f"'{source}': measure code(s) listed twice: {', '.join(sorted(dup))}.")
    return MappedRows(role, spec, source, cols, garr, tuple(notes))


def _delivering_habitats(value: Any, theme: str, table: HabitatTable | None) -> str:
    """Delivering habitats from the catalogue's own column (any module's types or broad names, checked
    against the metric: see :func:`..metric.module_types.delivering_habitat`), else from the theme."""
    text = _text(value)
    if not text:
        return ";".join(theme_habitats(theme))
    out = []
    for part in (p.strip() for p in text.replace("|", ";").split(";")):
        if not part:
            continue
        if table is not None:
            part = delivering_habitat(part, table)
        if part not in out:
            out.append(part)
    return ";".join(out)


def _map_metadata(rows: Sequence[Mapping[str, Any]], mapping: FieldMapping, source: str) -> MappedRows:
    """A key/value table (KEY_FIELD/VALUE_FIELD, default 'key'/'value'), or one row of named columns."""
    pairs: dict[str, str] = {}
    key_f, value_f = mapping.key_field or "key", mapping.value_field or "value"
    for row in rows:
        if key_f in row and value_f in row:
            key = _text(row.get(key_f))
            if key:
                pairs[key.lower()] = _text(row.get(value_f)) or ""
        else:
            for key in METADATA_KEYS:
                if key in row and _text(row.get(key)):
                    pairs[key] = _text(row.get(key)) or ""
    pairs.pop("content_sha256", None)
    pairs.pop("schema_version", None)
    if pairs.get(STATUS_KEY):
        try:
            pairs[STATUS_KEY] = normalise_status(pairs[STATUS_KEY])
        except VocabularyError as exc:
            raise InputError(f"'{source}': {exc}") from exc
    spec = TABLES_BY_ROLE["metadata"]
    return MappedRows("metadata", spec, source, {}, None, (), pairs)


def refuse_non_finite(geoms: GeomArray, rows: Any) -> None:
    """InputError naming the rows whose geometry has an infinite or undefined coordinate (GEOS cannot repair
    or measure them; they are refused, never dropped quietly)."""
    coords, owner = shapely.get_coordinates(np.asarray(geoms, dtype=object), return_index=True)
    broken = np.unique(owner[~np.isfinite(coords).all(axis=1)])
    if len(broken):
        bad = [int(r) + 1 for r in np.asarray(rows)[broken][:10]]
        raise InputError(f"{len(broken)} feature(s) have an infinite or undefined coordinate (feature(s) "
                         f"{', '.join(map(str, bad))}); correct them in QGIS and add the layer again. Nothing was "
                         "added.")


def repair_geometries(geoms: GeomArray, polygonal: bool) -> tuple[GeomArray, int, int]:
    """make_valid invalid geometries; keep only the polygonal part of polygon layers.

    Returns (geometries, repaired count, dropped count) — dropped are null/empty after repair.
    """
    out = np.asarray(geoms, dtype=object).copy()
    present = np.array([g is not None for g in out], dtype=bool)
    if not present.any():
        return out, 0, int((~present).sum())
    refuse_non_finite(out[present], np.flatnonzero(present))
    invalid = np.zeros(len(out), dtype=bool)
    invalid[present] = ~shapely.is_valid(out[present])
    repaired = int(invalid.sum())
    if repaired:
        out[invalid] = shapely.make_valid(out[invalid])
    if polygonal:
        for i in np.flatnonzero(present):
            g = out[i]
            if g.geom_type == "GeometryCollection":
                parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
                out[i] = shapely.union_all(parts) if parts else None
            elif g.geom_type not in ("Polygon", "MultiPolygon"):
                out[i] = None  # a polygon collapsed to a line or a point by repair
    dropped = sum(1 for g in out if g is None or g.is_empty)
    return out, repaired, dropped


def kept_rows(existing: PackLayer, new: MappedRows, replaces: Sequence[str] = ()) -> npt.NDArray[np.bool_]:
    """Which existing rows stay: not from ``new``'s source nor from a source it ``replaces`` (and, in the
    measures catalogue, not listing a code ``new`` lists)."""
    src = existing.columns.get("source_layer", [None] * len(existing))
    gone = {new.source, *new.replaces, *(s for s in replaces if s)}
    keep = np.array([src[i] not in gone for i in range(len(existing))], dtype=bool)
    if new.spec.role == "measures":
        # a code can only be listed once: the incoming catalogue wins over any other source
        incoming = set(new.columns["code"])
        codes = existing.columns["code"]
        keep &= np.array([str(codes[i]).upper() not in incoming for i in range(len(existing))], dtype=bool)
    return keep


def merge(existing: PackLayer | None, new: MappedRows) -> tuple[dict[str, list[Any]], GeomArray | None]:
    """Existing rows (minus those from the same source or the sources it replaces, or with the same code for
    measures) + new rows."""
    spec = new.spec
    if existing is None:
        return dict(new.columns), new.geoms
    idx = np.flatnonzero(kept_rows(existing, new))
    cols = {c: [existing.columns[c][i] for i in idx] + list(new.columns[c]) for c in spec.column_names}
    geoms = None
    if spec.is_spatial:
        old = existing.geoms[idx] if existing.geoms is not None else np.empty(0, dtype=object)
        geoms = np.concatenate([old, new.geoms if new.geoms is not None else np.empty(0, dtype=object)])
    return cols, geoms
