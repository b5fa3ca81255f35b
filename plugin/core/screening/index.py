"""The pack as screening reads it: one STRtree per layer over its valid geometries, built once per pack version.

``PackIndex.build(pack)`` repairs or leaves out unusable geometries (with a note), numbers the opportunity
features' measure codes (:class:`CodeTable`) and caches the buffers and buffer zones the checks ask for.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from ..metric.buffers import BufferRules
from ..pack.model import GeomArray, Measure, PackData
from ..pack.schema import (
    AREA,
    DESIGNATED,
    INTERIM,
    IRREPLACEABLE,
    OPPORTUNITY,
    PRIORITY_HABITATS,
    SCREENED_TABLES,
    TREES,
)
from .batch import vectorised
from .results import HabitatMapRef

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LayerIndex:
    """One pack layer's valid geometries and their STRtree (rows index the pack layer's columns)."""

    name: str
    geoms: GeomArray
    rows: IntArray
    fids: IntArray
    tree: shapely.STRtree
    columns: dict[str, list[Any]]
    #: area of each indexed geometry
    areas: FloatArray = field(default_factory=lambda: np.empty(0))
    #: envelope (xmin, ymin, xmax, ymax) of each indexed geometry, one row each
    bounds: FloatArray = field(default_factory=lambda: np.empty((0, 4)))
    _texts: dict[str, list[str]] = field(default_factory=dict)

    def col(self, name: str, k: int) -> Any:
        return self.columns[name][int(self.rows[k])]

    def texts(self, name: str) -> list[str]:
        """Column ``name`` as text ("" for null) for every indexed geometry, in index order (cached)."""
        cached = self._texts.get(name)
        if cached is None:
            column = self.columns[name]
            cached = self._texts[name] = [_text(column[r]) for r in self.rows.tolist()]
        return cached


def layer_index(pack: PackData, name: str, notes: list[str]) -> LayerIndex | None:
    layer = pack.layer(name)
    if layer is None or layer.geoms is None:
        return None
    geoms = np.asarray(layer.geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    if present.any():
        present[present] = ~shapely.is_empty(geoms[present])
    rows = np.flatnonzero(present).astype(np.int64)
    good = geoms[rows].copy()
    if len(good):
        invalid = ~vectorised(shapely.is_valid, good)
        if invalid.any():
            fixed = shapely.make_valid(good[invalid])
            if layer.spec.geometry_type == "MULTIPOLYGON":
                fixed = np.array([polygonal(g) for g in fixed], dtype=object)
            good[invalid] = fixed
            notes.append(f"{int(invalid.sum())} invalid polygon(s) in '{name}' were repaired when the pack was loaded.")
    keep = ~(shapely.is_missing(good) | shapely.is_empty(good))
    dropped = int((~present).sum() + (~keep).sum())
    if dropped:
        notes.append(f"{dropped} feature(s) of '{name}' have no usable geometry and were left out.")
    rows, good = rows[keep], good[keep]
    tree = shapely.STRtree(good)
    if len(good):
        shapely.prepare(good)
        tree.query(good[:1])  # GEOS builds the tree on first use: pay for it at load, not on the first site
    return LayerIndex(name, good, rows, layer.fids[rows], tree, dict(layer.columns),
                      np.asarray(shapely.area(good), dtype=np.float64),
                      np.asarray(shapely.bounds(good), dtype=np.float64).reshape(-1, 4))


def polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


@dataclass(frozen=True, eq=False)
class CodeTable:
    """Measure codes of every indexed opportunity feature as numbers: feature ``k``'s codes are
    ``names[i] for i in ids[ptr[k]:ptr[k + 1]]``, in the order the feature lists them."""

    names: tuple[str, ...]
    ptr: IntArray
    ids: IntArray

    @classmethod
    def of(cls, codes: Sequence[tuple[str, ...]]) -> CodeTable:
        number: dict[str, int] = {}
        numbered: dict[tuple[str, ...], list[int]] = {}  # many features share the same list of codes
        flat: list[int] = []
        for c in codes:
            got = numbered.get(c)
            if got is None:
                got = numbered[c] = [number.setdefault(code, len(number)) for code in c]
            flat.extend(got)
        lengths = np.fromiter((len(c) for c in codes), dtype=np.int64, count=len(codes))
        ptr = np.zeros(len(codes) + 1, dtype=np.int64)
        np.cumsum(lengths, out=ptr[1:])
        return cls(tuple(number), ptr, np.array(flat, dtype=np.int64))


@dataclass(frozen=True, eq=False)
class PackIndex:
    """Everything screening needs from a pack, built once per pack version."""

    pack: PackData
    ref: HabitatMapRef
    designated: LayerIndex | None
    irreplaceable: LayerIndex | None
    trees: LayerIndex | None
    opportunity: LayerIndex | None
    interim: LayerIndex | None
    coverage: BaseGeometry | None
    extent: tuple[float, float, float, float] | None
    opportunity_codes: tuple[tuple[str, ...], ...]
    catalogue: dict[str, Measure]
    load_notes: tuple[str, ...]
    _tree_buffers: dict[BufferRules, tuple[FloatArray, npt.NDArray[np.bool_]]] = field(default_factory=dict)
    _habitat_buffers: dict[BufferRules, FloatArray] = field(default_factory=dict)
    _zones: dict[tuple[int, float], BaseGeometry] = field(default_factory=dict)
    #: the opportunity features' measure codes as numbers (see :class:`CodeTable`)
    code_table: CodeTable = field(default_factory=lambda: CodeTable.of(()))
    #: Priority Habitats Inventory polygons (None when the pack holds none)
    priority_habitats: LayerIndex | None = None

    @classmethod
    def build(cls, pack: PackData) -> PackIndex:
        notes: list[str] = list(pack.unchecked.values())  # layers the reader refused: not_checked, with why
        idx = {spec.name: layer_index(pack, spec.name, notes)
               for spec in SCREENED_TABLES}
        area = idx[AREA.name]
        coverage = None
        if area is not None and len(area.geoms):
            coverage = shapely.union_all(area.geoms)
            shapely.prepare(coverage)
        bounds = [shapely.total_bounds(li.geoms) for li in idx.values() if li is not None and len(li.geoms)]
        extent = None
        if bounds:
            b = np.array(bounds)
            extent = (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max()))
        opp = idx[OPPORTUNITY.name]
        codes: tuple[tuple[str, ...], ...] = ()
        if opp is not None:
            raw = opp.columns["measures"]
            split: dict[Any, tuple[str, ...]] = {}  # many features share the same list of codes
            codes = tuple(split[v] if v in split else split.setdefault(v, _split_codes(v))
                          for v in (raw[r] for r in opp.rows.tolist()))
        meta = pack.metadata
        ref = HabitatMapRef(meta.lnrs_name or "(unnamed pack)", meta.version, meta.content_sha256, pack.source,
                            meta.publication_date, dict(meta.extra).get("published_content_sha256", ""))
        return cls(pack, ref, idx[DESIGNATED.name], idx[IRREPLACEABLE.name], idx[TREES.name], opp,
                   idx[INTERIM.name], coverage, extent, codes, dict(pack.measures), tuple(notes),
                   code_table=CodeTable.of(codes), priority_habitats=idx[PRIORITY_HABITATS.name])

    def tree_buffers(self, rules: BufferRules) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Buffer (m) and 'assumed' flag for every indexed tree under ``rules`` (cached)."""
        cached = self._tree_buffers.get(rules)
        if cached is not None:
            return cached
        trees = self.trees
        n = 0 if trees is None else len(trees.geoms)
        buf = np.zeros(n, dtype=np.float64)
        assumed = np.zeros(n, dtype=bool)
        if trees is not None and n:  # BufferRules.for_tree, for every tree at once
            rows = trees.rows.tolist()
            stem, crown = (np.array([_float(v) for v in (trees.columns[c][r] for r in rows)], dtype=np.float64)
                           for c in ("stem_diameter_m", "crown_radius_m"))  # None: nan, never > 0
            by_stem, by_crown = stem > 0, crown > 0
            buf[:] = np.maximum(np.where(by_stem, rules.stem_multiplier * stem, -np.inf),
                                np.where(by_crown, crown + rules.canopy_margin_m, -np.inf))
            assumed[:] = ~(by_stem | by_crown)
            buf[assumed] = rules.assumed_tree_buffer_m
        self._tree_buffers[rules] = (buf, assumed)
        return buf, assumed

    def habitat_buffers(self, rules: BufferRules) -> FloatArray:
        """Buffer (m) for every indexed irreplaceable polygon under ``rules`` (cached)."""
        cached = self._habitat_buffers.get(rules)
        if cached is not None:
            return cached
        li = self.irreplaceable
        buf = np.zeros(0 if li is None else len(li.geoms), dtype=np.float64)
        if li is not None and len(buf):
            per_type = dict(rules.habitat_buffer_m)
            types = li.columns["habitat_type"]
            buf[:] = [per_type.get(_text(types[r]), 0.0) for r in li.rows.tolist()]
        self._habitat_buffers[rules] = buf
        return buf

    def habitat_zones(self, feats: IntArray, bufs: FloatArray) -> GeomArray:
        """The buffer zone of each irreplaceable polygon ``feats[i]`` at ``bufs[i]`` metres (cached)."""
        assert self.irreplaceable is not None
        out: GeomArray = np.empty(len(feats), dtype=object)
        keys = list(zip(feats.tolist(), bufs.tolist()))
        missing = [i for i, key in enumerate(keys) if key not in self._zones]
        if missing:
            todo = dict.fromkeys(keys[i] for i in missing)
            ks = np.array([k for k, _ in todo], dtype=np.int64)
            made = shapely.buffer(self.irreplaceable.geoms[ks], np.array([b for _, b in todo]), quad_segs=16)
            self._zones.update(zip(todo, made))
        out[:] = [self._zones[key] for key in keys]
        return out


def _split_codes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(dict.fromkeys(c.strip().upper() for c in str(value).split(";") if c.strip()))


def _float(value: Any) -> float:
    """``value`` as a number; nan when it is none (or not a number)."""
    try:
        return math.nan if value is None else float(value)
    except (TypeError, ValueError):
        return math.nan


def _text(value: Any) -> str:
    return "" if value is None else str(value)

