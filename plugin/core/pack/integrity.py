"""What a pack's tables must hold before any answer is given from them.

A pack may come from another tool, from SQL typed by hand or from a damaged file, so the readers
(GeoPackage and PostGIS) pass every layer through here:

- geometry blobs are walked before GEOS sees them (:func:`wkb_problem`): a truncated blob, an unknown
  geometry type or collections nested deeper than :data:`MAX_NESTING` (200,000 levels crash GEOS) never
  reach shapely;
- coordinates must be finite and lie on the British National Grid, geometries must be of the table's kind;
- coded columns are normalised where the meaning is certain (``sssi`` -> ``SSSI``, ``Ancient woodland`` ->
  ``ancient_woodland``) and any other value is named;
- number columns must hold finite numbers, 0 or more.

A layer that fails is taken out of the pack with its reason (``PackData.unchecked``): its checks are
then ``not_checked``, never ``clear``.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import shapely

from ..errors import VocabularyError
from ..metric.vocabulary import (
    DESIGNATIONS,
    IRREPLACEABLE_TYPES,
    normalise_designation,
    normalise_habitat_type,
    normalise_tree_status,
    normalise_woodland_status,
)
from .ancient_woodland import LEGACY, REVISED
from .model import GeomArray, PackData, PackLayer, measures_from_layer
from .schema import DESIGNATED, IRREPLACEABLE, TREES, TableSpec

#: Deepest nesting of collections a pack geometry may have (a MultiPolygon is 2 deep).
MAX_NESTING = 32
#: A WKB this long or shorter cannot nest more than 256 collections (9 bytes each), which GEOS reads safely;
#: longer ones are walked (:func:`wkb_problem`) before GEOS sees them. 200,000 levels crash GEOS.
WALK_FROM_BYTES = 9 * 256
#: British National Grid with a margin (metres): a coordinate outside is not a grid coordinate.
GRID_BOUNDS = (-100_000.0, -100_000.0, 800_000.0, 1_400_000.0)
#: Offending values quoted in a message.
_QUOTED = 5

_LE_UINT = struct.Struct("<I")
_BE_UINT = struct.Struct(">I")
_MULTI_KINDS = (4, 5, 6, 7)
_ALLOWED_TYPES = {"MULTIPOLYGON": (3, 6), "POINT": (0,)}  # shapely type ids: Polygon, MultiPolygon; Point


def wkb_problem(wkb: bytes, max_nesting: int = MAX_NESTING) -> str | None:
    """Why this WKB must not be given to GEOS (truncated, unknown type, nested too deep), or None.

    Walks the structure without recursion and without reading coordinates: cheap, and safe on any bytes.
    """
    data = memoryview(wkb)
    size = len(data)
    pos = 0
    remaining = [1]  # geometries still to read at each nesting level
    while remaining:
        if remaining[-1] == 0:
            remaining.pop()
            continue
        remaining[-1] -= 1
        if pos + 5 > size:
            return "the geometry is truncated"
        order = data[pos]
        if order not in (0, 1):
            return "the geometry is not well-known binary"
        uint = _LE_UINT if order == 1 else _BE_UINT
        code = uint.unpack_from(data, pos + 1)[0]
        pos += 5
        dims = 2 + bool(code & 0x80000000) + bool(code & 0x40000000)
        if code & 0x20000000:  # EWKB with an SRID
            pos += 4
        iso, kind = divmod(code & 0x0FFFFFFF, 1000)
        if iso:
            dims = 2 + (iso in (1, 3)) + (iso in (2, 3))
        if iso > 3 or not 1 <= kind <= 7:
            return f"the geometry type {code} is not a point, line or polygon type"
        if pos + (0 if kind == 1 else 4) > size:
            return "the geometry is truncated"
        if kind == 1:
            pos += 8 * dims
        elif kind == 2:
            pos += 4 + 8 * dims * uint.unpack_from(data, pos)[0]
        elif kind == 3:
            rings = uint.unpack_from(data, pos)[0]
            pos += 4
            if rings > (size - pos) // 4:
                return "the geometry is truncated"
            for _ in range(rings):
                if pos + 4 > size:
                    return "the geometry is truncated"
                pos += 4 + 8 * dims * uint.unpack_from(data, pos)[0]
        else:
            parts = uint.unpack_from(data, pos)[0]
            pos += 4
            if parts > (size - pos) // 5:
                return "the geometry is truncated"
            if len(remaining) >= max_nesting:
                return f"the geometry nests collections more than {max_nesting} deep"
            remaining.append(parts)
        if pos > size:
            return "the geometry is truncated"
    return None


def decoded_wkbs(wkbs: Sequence[bytes | None]) -> tuple[GeomArray, int]:
    """Each WKB decoded (None when null or unusable) and how many could not be used: one long enough to nest
    collections deeply is walked first (:func:`wkb_problem`), so a damaged or deeply nested one never reaches GEOS.

    For WKB that comes from elsewhere than a GeoPackage blob (a PostGIS pack's ``ST_AsBinary``).
    """
    checked: list[bytes | None] = [None if w is None or (len(w) > WALK_FROM_BYTES and wkb_problem(w) is not None)
                                   else w for w in wkbs]
    walked_out = sum(1 for w, c in zip(wkbs, checked) if w is not None and c is None)
    geoms = np.empty(len(checked), dtype=object)
    if checked:
        geoms[:] = shapely.from_wkb(np.array(checked, dtype=object), on_invalid="ignore")
    nulls = checked.count(None)
    return geoms, walked_out + int(np.count_nonzero(shapely.is_missing(geoms))) - nulls


def _quoted(values: Sequence[Any]) -> str:
    shown = ", ".join(repr(str(v)[:60]) for v in list(dict.fromkeys(values))[:_QUOTED])
    more = len(set(values)) - _QUOTED
    return shown + (f" and {more} more" if more > 0 else "")


def refusal(spec: TableSpec, bad: int, total: int, what: str, todo: str) -> str:
    """The one sentence a refused layer gives: table, row count, what is wrong, what to do."""
    return (f"{spec.title} were not checked: {bad} of the {total} row(s) of the pack's table '{spec.name}' {what}; "
            f"{todo}")


def geometry_problem(spec: TableSpec, geoms: GeomArray, undecodable: int, total: int) -> str | None:
    """Why the decoded geometries of ``spec`` cannot be used (``undecodable`` blobs already counted), or None."""
    if undecodable:
        return refusal(spec, undecodable, total, "hold a geometry that cannot be decoded (damaged, truncated or "
                       "nested too deep)", "repair or rebuild the pack.")
    types = shapely.get_type_id(geoms)  # -1 for a missing geometry
    allowed = _ALLOWED_TYPES.get(spec.geometry_type or "", ())
    wrong = (types >= 0) & ~np.isin(types, allowed)
    if wrong.any():
        kinds = [g.geom_type for g in geoms[wrong][:_QUOTED]]
        return refusal(spec, int(wrong.sum()), total, f"hold a geometry of the wrong kind ({_quoted(kinds)}; "
                       f"the table holds {spec.geometry_type})", "rebuild the pack from the source layer.")
    bounds = shapely.bounds(geoms)  # NaN for missing and empty geometries
    unknown = ~np.isfinite(bounds).all(axis=1)
    if spec.geometry_type == "MULTIPOLYGON":  # a NaN vertex leaves the bounds finite, but not the area
        unknown |= ~np.isfinite(shapely.area(geoms))
    unknown &= types >= 0
    if unknown.any():
        unknown[unknown] = ~shapely.is_empty(geoms[unknown])  # an empty geometry is fine (left out, noted)
        if unknown.any():
            return refusal(spec, int(unknown.sum()), total, "hold an infinite or undefined coordinate",
                           "repair or rebuild the pack.")
    x0, y0, x1, y1 = GRID_BOUNDS
    with np.errstate(invalid="ignore"):  # NaN rows (missing, empty) compare False: not outside
        outside = (bounds[:, 0] < x0) | (bounds[:, 1] < y0) | (bounds[:, 2] > x1) | (bounds[:, 3] > y1)
    if outside.any():
        return refusal(spec, int(outside.sum()), total, "lie outside the British National Grid (coordinates that "
                       "are not EPSG:27700 metres)", "reproject the source layer to EPSG:27700 and rebuild the pack.")
    return None


def _coded(layer: PackLayer, column: str, normalise: Callable[[Any], Any], allowed: str,
           problems: list[str], columns: dict[str, list[Any]]) -> None:
    values = layer.columns[column]
    mapping: dict[Any, Any] = {}
    bad: list[Any] = []
    for value in dict.fromkeys(values):
        try:
            mapping[value] = normalise(value)
        except (VocabularyError, TypeError, ValueError):
            bad.append(value)
    if bad:
        rows = sum(1 for v in values if v in set(bad))
        problems.append(refusal(layer.spec, rows, len(values), f"have a {column} that is not known "
                                f"({_quoted(bad)})", f"correct them to one of {allowed} and reload the pack."))
        return
    if any(mapping[v] != v for v in mapping):
        columns[column] = [mapping[v] for v in values]


def _required(normalise: Callable[[str], str]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value is None or not isinstance(value, str) or not value.strip():
            raise VocabularyError("missing")
        return normalise(value)
    return check


def _optional(normalise: Callable[[str | None], str | None]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return value
        if not isinstance(value, str):
            raise VocabularyError("not text")
        return normalise(value)
    return check


def _inventory(value: str | None) -> str | None:
    """The Ancient Woodland Inventory a polygon came from: ``revised`` or ``legacy`` (any case)."""
    text = (value or "").strip().lower()
    if text not in (REVISED, LEGACY):
        raise VocabularyError(f"unknown inventory {value!r}")
    return text


def _tree_status(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return value
    if not isinstance(value, str):
        raise VocabularyError("not text")
    return normalise_tree_status(value)


def _numbers(layer: PackLayer, problems: list[str]) -> None:
    for col in layer.spec.columns:
        if col.sql_type not in ("REAL", "INTEGER"):
            continue
        values = layer.columns[col.name]
        bad = [v for v in values if v is not None and (
            isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0)]
        if bad:
            problems.append(refusal(layer.spec, len(bad), len(values), f"hold a {col.name} that is not a finite "
                                    f"number, 0 or more ({_quoted(bad)})", "correct or empty those values and "
                                    "reload the pack."))


def _checked_layer(layer: PackLayer) -> tuple[PackLayer, str | None]:
    """The layer with its coded columns normalised, and why it cannot be used (or None)."""
    if layer.problems:
        return layer, layer.problems[0]
    problems: list[str] = []
    columns = dict(layer.columns)
    spec = layer.spec
    if spec.name == DESIGNATED.name:
        _coded(layer, "designation", _required(normalise_designation), ", ".join(DESIGNATIONS), problems, columns)
    elif spec.name == IRREPLACEABLE.name:
        _coded(layer, "habitat_type", _required(normalise_habitat_type), ", ".join(IRREPLACEABLE_TYPES), problems,
               columns)
        _coded(layer, "status", _optional(normalise_woodland_status), "ASNW, PAWS, wood_pasture or empty",
               problems, columns)
        if "inventory" in layer.columns:
            _coded(layer, "inventory", _optional(_inventory), "revised, legacy or empty", problems, columns)
    elif spec.name == TREES.name:
        _coded(layer, "status", _tree_status, "ancient, veteran, notable or empty", problems, columns)
    _numbers(layer, problems)
    if problems:
        return layer, problems[0]
    return (replace(layer, columns=columns) if columns != dict(layer.columns) else layer), None


def validated(pack: PackData) -> PackData:
    """``pack`` with every usable layer normalised and every unusable one moved to ``unchecked`` with its reason."""
    unchecked = dict(pack.unchecked)
    layers: dict[str, PackLayer] = {}
    for name, layer in pack.layers.items():
        checked, problem = _checked_layer(layer)
        if problem is None:
            layers[name] = checked
        else:
            unchecked[name] = problem
    if layers == dict(pack.layers) and unchecked == dict(pack.unchecked):
        return pack
    return replace(pack, layers=layers, unchecked=unchecked, measures=measures_from_layer(layers.get("measures")))
