"""LNRS opportunity maps in the shapes strategies publish them, turned into one area per polygon with its codes.

Shapes:

- ``codes_column``: the codes of an area in one column, any separator (``WD001; WD006``);
- ``one_row_per_measure``: the same polygon repeated, one measure code per row (merged into one area);
- ``flags``: one column per measure code, ``1`` / ``yes`` / ``true`` / ``y`` / ``x`` where the measure applies;
- ``area_table``: polygons with an area id, plus a separate table of area id -> measure code(s).

Every shape ends as rows carrying :data:`MEASURES_KEY` (codes joined by ';'), ready for the builder's
``opportunity`` role with ``MEASURES_FIELD = MEASURES_KEY``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from ..errors import InputError
from .measure_codes import join_codes, parse_measure_codes
from .model import GeomArray

#: The derived field holding each area's codes.
MEASURES_KEY = "measures (derived)"
#: Field names (lower case) that hold measure codes, best first (``measure_cod``: a shapefile's 10 characters).
CODE_FIELD_NAMES: tuple[str, ...] = (
    "measures", "measure_codes", "measure_code", "measurecodes", "measurecode", "measure_cod", "measures_c",
    "lnrs_measures", "potential_measures", "codes", "code", "measure_id", "measure",
)
#: The codes column of an opportunity layer found without being named. Generic names (``code``, ``measure``)
#: are left out: too many layers have them.
LAYER_CODE_FIELD_NAMES: tuple[str, ...] = CODE_FIELD_NAMES[:CODE_FIELD_NAMES.index("codes")]
#: Field names (lower case) of an area id, best first.
AREA_ID_NAMES: tuple[str, ...] = ("area_id", "areaid", "opportunity_id", "polygon_id", "site_id", "id", "ref")
#: A column named like a measure code (WD001, GL3, FW012).
CODE_LIKE_NAME = re.compile(r"^[A-Za-z]{2,4}[0-9]{1,4}$")
TRUE_FLAGS = frozenset({"1", "1.0", "y", "yes", "true", "t", "x"})
FALSE_FLAGS = frozenset({"0", "0.0", "n", "no", "false", "f", "", "null", "none"})
#: Shapes a flag column count must reach to be recognised without being named.
MIN_FLAG_COLUMNS = 2


@dataclass(frozen=True)
class ShapedOpportunities:
    """Rows (with :data:`MEASURES_KEY`) and geometries of one opportunity layer in canonical form."""

    shape: str
    rows: list[dict[str, Any]]
    geoms: GeomArray | None
    #: a sentence per thing the log should say (rows merged, areas without codes ...)
    notes: tuple[str, ...]


def find_field(fields: Sequence[str], names: Sequence[str]) -> str:
    """The first field (matched case-insensitively) among ``names``, or ''."""
    lower = {f.lower(): f for f in fields}
    return next((lower[n] for n in names if n in lower), "")


def _flag(value: Any) -> bool | None:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_FLAGS:
        return True
    if text in FALSE_FLAGS:
        return False
    return None


def flag_fields(fields: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Columns named like measure codes whose every value reads as a yes/no flag."""
    out = []
    for f in fields:
        if not CODE_LIKE_NAME.match(f):
            continue
        if all(_flag(r.get(f)) is not None for r in rows):
            out.append(f)
    return tuple(out)


def codes_from_flags(rows: Sequence[Mapping[str, Any]], flags: Sequence[str], source: str) -> list[dict[str, Any]]:
    """Each row plus :data:`MEASURES_KEY`: the (upper-cased) names of the flag columns that are set."""
    out = []
    for i, row in enumerate(rows):
        codes = []
        for f in flags:
            state = _flag(row.get(f))
            if state is None:
                raise InputError(f"'{source}' row {i + 1}: the measure column '{f}' holds '{row.get(f)}'; use 1/0, "
                                 "yes/no or true/false.")
            if state:
                codes.append(f.upper())
        out.append({**row, MEASURES_KEY: join_codes(codes)})
    return out


def codes_from_column(rows: Sequence[Mapping[str, Any]], field: str, separator: str = "") -> list[dict[str, Any]]:
    return [{**row, MEASURES_KEY: join_codes(parse_measure_codes(row.get(field), separator or None))}
            for row in rows]


def _key(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().upper()


def codes_from_area_table(rows: Sequence[Mapping[str, Any]], area_field: str,
                          table_rows: Sequence[Mapping[str, Any]], table_fields: Sequence[str], source: str,
                          table_source: str, separator: str = "") -> tuple[list[dict[str, Any]], tuple[str, ...]]:
    """Each polygon row plus the codes the table lists for its ``area_field`` value.

    The table's id column is the one named like ``area_field`` (else a usual id name); its codes column a
    usual codes name. Refused, naming the table and the field: a table without either column, and a table
    none of whose area ids match a polygon. Ids matching no polygon, and polygons without codes, are noted.
    """
    table_area = find_field(table_fields, (area_field.lower(), *AREA_ID_NAMES))
    if not table_area:
        raise InputError(f"the measures table '{table_source}' has no area id field '{area_field}' (nor one of "
                         f"{', '.join(AREA_ID_NAMES)}). Its fields are: {', '.join(table_fields)}.")
    table_code = find_field([f for f in table_fields if f != table_area], CODE_FIELD_NAMES)
    if not table_code:
        raise InputError(f"the measures table '{table_source}' has no measure code field (one of "
                         f"{', '.join(CODE_FIELD_NAMES)}). Its fields are: {', '.join(table_fields)}.")
    by_area: dict[str, list[str]] = {}
    for row in table_rows:
        codes = by_area.setdefault(_key(row.get(table_area)), [])
        for code in parse_measure_codes(row.get(table_code), separator or None):
            if code not in codes:
                codes.append(code)
    ids = {_key(r.get(area_field)) for r in rows}
    unmatched = sorted(k for k in by_area if k and k not in ids)
    if by_area and len(unmatched) == len([k for k in by_area if k]):
        raise InputError(f"none of the area ids in '{table_source}' (field '{table_area}', e.g. "
                         f"{', '.join(unmatched[:3])}) matches a polygon's '{area_field}' in '{source}' (e.g. "
                         f"{', '.join(sorted(i for i in ids if i)[:3]) or 'none'}).")
    notes = []
    if unmatched:
        notes.append(f"{len(unmatched)} area id(s) of '{table_source}' match no polygon of '{source}' and were left "
                     f"out: {', '.join(unmatched[:10])}.")
    out = [{**row, MEASURES_KEY: join_codes(by_area.get(_key(row.get(area_field)), []))} for row in rows]
    return out, tuple(notes)


def merge_repeated(rows: Sequence[Mapping[str, Any]], geoms: GeomArray | None,
                   same: Sequence[str] = ()) -> ShapedOpportunities:
    """One area per distinct polygon (and the same values of the ``same`` fields, e.g. name and ref), with all
    its rows' codes; the first row's other values are kept."""
    if geoms is None:
        return ShapedOpportunities("codes_column", [dict(r) for r in rows], None, ())
    keys: list[tuple[Any, ...] | None] = []
    present = [g is not None and not g.is_empty for g in geoms]
    normalised = np.empty(len(geoms), dtype=object)
    if any(present):
        idx = np.flatnonzero(present)
        normalised[idx] = shapely.to_wkb(shapely.normalize(np.asarray(geoms, dtype=object)[idx]), output_dimension=2)
    for i, flag in enumerate(present):
        keys.append((bytes(normalised[i]), *(_key(rows[i].get(f)) for f in same if f)) if flag else None)
    first: dict[tuple[Any, ...], int] = {}
    out_rows: list[dict[str, Any]] = []
    out_geoms: list[Any] = []
    for i, key in enumerate(keys):
        if key is not None and key in first:
            target = out_rows[first[key]]
            codes = list(parse_measure_codes(target[MEASURES_KEY], ";"))
            for code in parse_measure_codes(rows[i][MEASURES_KEY], ";"):
                if code not in codes:
                    codes.append(code)
            target[MEASURES_KEY] = join_codes(codes)
            continue
        if key is not None:
            first[key] = len(out_rows)
        out_rows.append(dict(rows[i]))
        out_geoms.append(geoms[i])
    merged = len(rows) - len(out_rows)
    garr = np.empty(len(out_geoms), dtype=object)
    garr[:] = out_geoms
    shape = "one_row_per_measure" if merged else "codes_column"
    notes = (f"{merged} rows repeating a polygon were merged into {len(first)} area(s) with all their codes.",) \
        if merged else ()
    return ShapedOpportunities(shape, out_rows, garr, notes)


def shape_opportunities(rows: Sequence[Mapping[str, Any]], geoms: GeomArray | None, fields: Sequence[str],
                        source: str, measures_field: str = "", separator: str = "",
                        table: tuple[str, Sequence[Mapping[str, Any]], Sequence[str]] | None = None,
                        area_field: str = "", same: Sequence[str] = ()) -> ShapedOpportunities:
    """Recognise (or use the given) shape of an opportunity layer and return canonical rows.

    ``table`` is (name, rows, fields) of a separate area -> measures table, with ``area_field`` the
    polygons' id field (found among usual id names when empty). Rows repeating a polygon are merged when
    they agree on the ``same`` fields (name and ref: two differently named areas on one polygon stay two).
    """
    notes: tuple[str, ...] = ()
    if table is not None:
        table_name, table_rows, table_fields = table
        area = area_field or find_field(fields, AREA_ID_NAMES)
        if not area:
            raise InputError(f"'{source}' has no area id field to join '{table_name}' on; set AREA_ID_FIELD. Its "
                             f"fields are: {', '.join(fields)}.")
        if area not in fields:
            raise InputError(f"'{source}' has no field AREA_ID_FIELD = '{area}'. Its fields are: {', '.join(fields)}.")
        coded, notes = codes_from_area_table(rows, area, table_rows, table_fields, source, table_name, separator)
        shape = "area_table"
    elif measures_field:
        coded, shape = codes_from_column(rows, measures_field, separator), "codes_column"
    else:
        flags = flag_fields(fields, rows)
        column = find_field(fields, LAYER_CODE_FIELD_NAMES)
        if len(flags) >= MIN_FLAG_COLUMNS:
            coded, shape = codes_from_flags(rows, flags, source), "flags"
            notes = (f"measure flag columns: {', '.join(flags)}.",)
        elif column:
            coded, shape = codes_from_column(rows, column, separator), "codes_column"
            notes = (f"measure codes read from the field '{column}'.",)
        else:
            raise InputError(f"'{source}' needs MEASURES_FIELD: it has no measure codes field (one of "
                             f"{', '.join(LAYER_CODE_FIELD_NAMES)}) and no columns named like measure codes (WD001 "
                             "...), and no MEASURES_TABLE was given.")
    merged = merge_repeated(coded, geoms, same)
    final_shape = merged.shape if shape == "codes_column" else shape
    return ShapedOpportunities(final_shape, merged.rows, merged.geoms, notes + merged.notes)
