"""The screening engine: one API behind the dock, Processing and the command line.

``PackIndex.build(pack)`` once per pack version, then ``screen_sites(index, geometries, ...)``.
All geometry is in EPSG:27700 metres. A batch is cut into chunks of sites; within a chunk the work is
vectorised per layer (one STRtree query and one GEOS call per layer and step), so a single site and a
year of applications use the same code path. The chunks of a batch are screened side by side, one per
core (GEOS runs outside the GIL), and their results are taken in input order; the answers are the same,
to the last bit, as screening the chunks one after another.
"""

from __future__ import annotations

import gc
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from ..errors import InputError
from ..metric.buffers import BufferRules
from ..metric.habitats import HabitatTable, ResolvedHabitat, default_table
from ..metric.significance import HIGH, LOW, MEDIUM, SignificanceCategory
from ..metric.vocabulary import DESIGNATIONS, IRREPLACEABLE_TYPES, TREE_HABITAT, TREE_STATUSES
from ..pack.model import GeomArray, Measure, PackData
from ..pack.schema import AREA, DESIGNATED, INTERIM, IRREPLACEABLE, OPPORTUNITY, TREES
from .options import ScreeningOptions
from .results import (
    CLEAR,
    FOUND,
    NOT_CHECKED,
    Checks,
    DesignatedFinding,
    HabitatMapRef,
    IrreplaceableFinding,
    MeasureFinding,
    ScreeningResult,
    SiteError,
    StrategicSignificance,
)
from .site_batch import prepare_sites
from .site_geometry import PreparedSite
from .verdict_rules import VERDICT_ORDER

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: Sites screened per vectorised chunk (cancellation and progress are checked between chunks).
CHUNK = 256
#: The smallest chunk the end of a batch is cut into (see :func:`_chunks`).
MIN_CHUNK = 32
#: GEOS calls on at least this many geometries are split across threads (shapely releases the GIL).
PARALLEL_MIN = 64

_pool: ThreadPoolExecutor | None = None
_chunk_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
#: Held while predicates run on prepared geometries shared between screenings (pack features, coverage):
#: GEOS prepared geometries are not thread-safe.
_shared_prepared = threading.Lock()
_WORKERS = max(1, min(4, os.cpu_count() or 1))
#: ``in_chunk_worker`` is set in the threads that screen whole chunks: their GEOS calls are not split again.
_thread = threading.local()


def _workers() -> int:
    return _WORKERS


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a batch runs (reference counting still frees everything).

    A batch makes hundreds of thousands of small acyclic objects (its findings); the full collections
    they set off walk every object of the loaded pack (a tenth of a second each at 100k features), holding
    the GIL the other chunks need, and find nothing. Collection resumes when the last batch ends.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _chunk_workers() -> ThreadPoolExecutor:
    """The threads that screen chunks of a batch side by side (one per core)."""
    global _chunk_pool
    with _pool_lock:
        if _chunk_pool is None:
            _chunk_pool = ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="lnrs-chunk",
                                             initializer=_mark_chunk_worker)
        return _chunk_pool


def _mark_chunk_worker() -> None:
    _thread.in_chunk_worker = True


def _vectorised(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` for a vectorised shapely function, split over threads when the arrays are long.

    Only for functions that neither use nor build prepared geometries (those are not thread-safe).
    In a chunk worker the call runs as it is: the other cores are busy with other chunks.
    """
    global _pool
    n = len(args[0])
    workers = _workers()
    if workers < 2 or n < PARALLEL_MIN or getattr(_thread, "in_chunk_worker", False):
        return fn(*args)
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lnrs-geos")
        pool = _pool
    cuts = np.linspace(0, n, workers + 1).astype(np.int64)
    futures = [pool.submit(fn, *(a[lo:hi] if isinstance(a, np.ndarray) and len(a) == n else a for a in args))
               for lo, hi in zip(cuts[:-1], cuts[1:])]
    return np.concatenate([f.result() for f in futures])


# --------------------------------------------------------------------------- the index
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


def _layer_index(pack: PackData, name: str, notes: list[str]) -> LayerIndex | None:
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
        invalid = ~_vectorised(shapely.is_valid, good)
        if invalid.any():
            fixed = shapely.make_valid(good[invalid])
            if layer.spec.geometry_type == "MULTIPOLYGON":
                fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
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
                      np.asarray(shapely.area(good), dtype=np.float64))


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
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

    @classmethod
    def build(cls, pack: PackData) -> PackIndex:
        notes: list[str] = list(pack.unchecked.values())  # layers the reader refused: not_checked, with why
        idx = {spec.name: _layer_index(pack, spec.name, notes)
               for spec in (DESIGNATED, IRREPLACEABLE, TREES, OPPORTUNITY, INTERIM, AREA)}
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
                   code_table=CodeTable.of(codes))

    def tree_buffers(self, rules: BufferRules) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Buffer (m) and 'assumed' flag for every indexed tree under ``rules`` (cached)."""
        cached = self._tree_buffers.get(rules)
        if cached is not None:
            return cached
        trees = self.trees
        n = 0 if trees is None else len(trees.geoms)
        buf = np.zeros(n, dtype=np.float64)
        assumed = np.zeros(n, dtype=bool)
        if trees is not None:
            for k in range(n):
                buf[k], assumed[k] = rules.for_tree(_float(trees.col("stem_diameter_m", k)),
                                                    _float(trees.col("crown_radius_m", k)))
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


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- pair queries
def _no_ints() -> IntArray:
    return np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class _Pairs:
    site: IntArray
    feat: IntArray
    distance: FloatArray
    overlap: FloatArray
    pieces: GeomArray  # intersection geometries (only where requested)
    #: pieces (positions, ``link_a < link_b``) of the same site whose envelopes meet: the only ones a union
    #: may have to merge (only where pieces were requested)
    link_a: IntArray = field(default_factory=_no_ints)
    link_b: IntArray = field(default_factory=_no_ints)
    #: area of the site inside the feature's buffer zone (irreplaceable layers; 0 when not in a buffer)
    intrusion: FloatArray | None = None


def _pairs(layer: LayerIndex, sites: GeomArray, site_areas: FloatArray, distance: float,
           want_pieces: bool = False) -> _Pairs:
    """Each site's features within ``distance`` (intersecting when 0), with distance and overlap area.

    Within a distance, candidates are found by envelope and kept by their exact distance (with GEOS 3.12+
    cheaper than a prepared ``dwithin`` test followed by the distance; the same pairs in the same order).
    """
    if len(layer.geoms) == 0 or len(sites) == 0:
        e = np.empty(0, dtype=np.int64)
        return _Pairs(e, e, np.empty(0), np.empty(0), np.empty(0, dtype=object))
    if distance > 0:  # every feature whose envelope is near enough, kept by its exact distance
        b = shapely.bounds(sites)
        si, fi = layer.tree.query(shapely.box(b[:, 0] - distance, b[:, 1] - distance, b[:, 2] + distance,
                                              b[:, 3] + distance))
        si, fi = si.astype(np.int64), fi.astype(np.int64)
        dist = np.asarray(_vectorised(shapely.distance, sites[si], layer.geoms[fi]), dtype=np.float64)
        near = dist <= distance
        si, fi, dist = si[near], fi[near], dist[near]
    else:  # intersecting pairs are at distance 0
        si, fi = layer.tree.query(sites, predicate="intersects")
        si, fi = si.astype(np.int64), fi.astype(np.int64)
        dist = np.zeros(len(si))
    overlap = np.zeros(len(si))
    pieces: GeomArray = np.empty(len(si), dtype=object)
    touching = np.flatnonzero(dist == 0)
    if len(touching) and layer.geoms[0].geom_type != "Point":
        st, ft = si[touching], fi[touching]
        # a feature wholly inside the site, or a site wholly inside a feature, needs no overlay
        # (prepared predicates; sites and features are prepared)
        inner = np.asarray(shapely.contains_properly(sites[st], layer.geoms[ft]), dtype=bool)
        outer = ~inner
        with _shared_prepared:
            outer[outer] = shapely.contains_properly(layer.geoms[ft[outer]], sites[st[outer]])
        rest = ~(inner | outer)
        overlap[touching[inner]] = layer.areas[ft[inner]]
        overlap[touching[outer]] = site_areas[st[outer]]
        inter = _vectorised(shapely.intersection, sites[st[rest]], layer.geoms[ft[rest]])
        overlap[touching[rest]] = shapely.area(inter)
        if want_pieces:
            pieces[touching[inner]] = layer.geoms[ft[inner]]
            pieces[touching[outer]] = sites[st[outer]]
            pieces[touching[rest]] = inter
            link_a, link_b = _links(si, overlap, pieces)
            return _Pairs(si, fi, dist, overlap, pieces, link_a, link_b)
    return _Pairs(si, fi, dist, overlap, pieces)


def _links(site: IntArray, overlap: FloatArray, pieces: GeomArray) -> tuple[IntArray, IntArray]:
    """Which pieces of the same site have envelopes that meet (the only ones a union may have to merge)."""
    idx = np.flatnonzero(overlap > 0)
    if len(idx) < 2:
        return _no_ints(), _no_ints()
    sub = pieces[idx]
    a, b = shapely.STRtree(sub).query(sub)  # envelopes that meet
    keep = (a < b) & (site[idx[a]] == site[idx[b]])
    return idx[a[keep]].astype(np.int64), idx[b[keep]].astype(np.int64)


def _group(site_idx: IntArray, n_sites: int) -> list[IntArray]:
    """For each site, the positions of its pairs."""
    order = np.argsort(site_idx, kind="stable")
    counts = np.bincount(site_idx, minlength=n_sites)
    return list(np.split(order, np.cumsum(counts)[:-1]))


def _linked_within(p: _Pairs, positions: IntArray) -> npt.NDArray[np.bool_]:
    """For each of ``positions``: whether its envelope meets that of another of ``positions``."""
    if len(positions) < 2 or not len(p.link_a):
        return np.zeros(len(positions), dtype=bool)
    both = np.isin(p.link_a, positions) & np.isin(p.link_b, positions)
    return np.isin(positions, np.concatenate([p.link_a[both], p.link_b[both]]))


def _union_area(p: _Pairs, positions: Sequence[int]) -> float:
    """Area of the union of the pieces at ``positions`` (pieces that meet no other are simply added)."""
    if not positions:
        return 0.0
    if len(positions) == 1:
        return float(p.overlap[positions[0]])
    pos = np.array(list(dict.fromkeys(positions)), dtype=np.int64)
    linked = _linked_within(p, pos)
    alone = 0.0
    for j in pos[~linked].tolist():
        alone += float(p.overlap[j])
    if not linked.any():
        return alone
    return alone + float(shapely.union_all(p.pieces[pos[linked]]).area)


def _union_areas(pieces: GeomArray, groups: Sequence[tuple[int, ...]], link_a: IntArray | None = None,
                 link_b: IntArray | None = None) -> FloatArray:
    """Area of the union of ``pieces[list(g)]`` for each group ``g`` (each of two pieces or more).

    Groups holding the same pieces are merged once. With the links (pairs of pieces whose envelopes meet,
    see :func:`_links`), a group is cut into its connected parts, whose unions are added up: pieces in
    different parts cannot overlap. A part of two pieces is measured as ``area(a) + area(b) - area(a & b)``
    (one intersection costs less than a union); the larger parts are one vectorised union.
    """
    out = np.zeros(len(groups))
    if not groups:
        return out
    unique: dict[tuple[int, ...], int] = {}
    which = [unique.setdefault(g, len(unique)) for g in groups]
    todo = list(unique)
    parts: dict[tuple[int, ...], int] = {}  # connected part -> its number (parts shared by groups measured once)
    part_of: list[list[int]] = []
    if link_a is None or link_b is None:
        for g in todo:
            part_of.append([parts.setdefault(g, len(parts))])
    else:
        adjacent: dict[int, list[int]] = {}
        for a, b in zip(link_a.tolist(), link_b.tolist()):
            adjacent.setdefault(a, []).append(b)
            adjacent.setdefault(b, []).append(a)
        for g in todo:
            part_of.append([parts.setdefault(c, len(parts)) for c in _connected(g, adjacent)])
    part_area = np.zeros(len(parts))
    keys = list(parts)
    single = [i for i, c in enumerate(keys) if len(c) == 1]
    pair = [i for i, c in enumerate(keys) if len(c) == 2]
    more = [i for i, c in enumerate(keys) if len(c) > 2]
    if single:
        part_area[single] = shapely.area(pieces[np.array([keys[i][0] for i in single], dtype=np.int64)])
    if pair:
        ab = np.array([keys[i] for i in pair], dtype=np.int64)
        a, b = pieces[ab[:, 0]], pieces[ab[:, 1]]
        part_area[pair] = shapely.area(a) + shapely.area(b) - shapely.area(_vectorised(shapely.intersection, a, b))
    if more:
        rows: GeomArray = np.full((len(more), max(len(keys[i]) for i in more)), None, dtype=object)
        for r, i in enumerate(more):
            rows[r, :len(keys[i])] = pieces[np.array(keys[i], dtype=np.int64)]
        part_area[more] = shapely.area(_vectorised(_union_rows, rows))
    merged = np.array([float(part_area[ps].sum()) if len(ps) > 1 else float(part_area[ps[0]]) for ps in part_of])
    out[:] = merged[np.array(which, dtype=np.int64)]
    return out


def _connected(group: tuple[int, ...], adjacent: dict[int, list[int]]) -> list[tuple[int, ...]]:
    """``group`` cut into its connected parts (pieces joined by ``adjacent``), each in position order."""
    members = set(group)
    seen: set[int] = set()
    out: list[tuple[int, ...]] = []
    for j in group:
        if j in seen:
            continue
        seen.add(j)
        stack, part = [j], []
        while stack:
            x = stack.pop()
            part.append(x)
            for y in adjacent.get(x, ()):
                if y in members and y not in seen:
                    seen.add(y)
                    stack.append(y)
        out.append(tuple(sorted(part)))
    return out


def _union_rows(rows: GeomArray) -> GeomArray:
    return np.asarray(shapely.union_all(rows, axis=1), dtype=object)


#: Per site: (mapped area, {code: (positions of its pieces, union area)}).
_OppAreas = tuple[float, dict[str, tuple[list[int], float]]]


#: Up to this many opportunity pieces in a chunk, union groups are found in plain Python (numpy's fixed cost
#: per call outweighs the work for a single site).
FEW_PIECES = 64


def _opportunity_areas(index: PackIndex, p: _Pairs, n_sites: int) -> list[_OppAreas]:
    """For each site: the area of the union of its opportunity pieces, and of its pieces for each code.

    Per site the codes come in the order they are first met, piece by piece (position order), each
    feature's codes in the order it lists them; a code's pieces are in position order.
    """
    if np.count_nonzero(p.overlap > 0) <= FEW_PIECES:
        return _opportunity_areas_plain(index, p, n_sites)
    table = index.code_table
    nc = max(1, len(table.names))
    hits = np.flatnonzero(p.overlap > 0)
    hits = hits[np.argsort(p.site[hits], kind="stable")]
    hit_site = p.site[hits]
    # mapped: a piece is merged by a union only if its envelope meets another piece of the site
    ends = np.concatenate([p.link_a, p.link_b])
    m_linked = np.isin(hits, ends)
    mapped = np.bincount(hit_site[~m_linked], weights=p.overlap[hits[~m_linked]], minlength=n_sites)
    # one entry per (piece, code of its feature), in piece order
    f = p.feat[hits]
    counts = table.ptr[f + 1] - table.ptr[f]
    e_hit = np.repeat(np.arange(len(hits)), counts)
    first = np.cumsum(counts) - counts
    e_code = table.ids[np.repeat(table.ptr[f], counts) + (np.arange(len(e_hit)) - first[e_hit])]
    e_pos = hits[e_hit]
    e_site = hit_site[e_hit]
    # groups (site, code), numbered in the order they are first met
    keys, first_entry, inverse = np.unique(e_site * nc + e_code, return_index=True, return_inverse=True)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[np.argsort(first_entry, kind="stable")] = np.arange(len(keys))
    e_group = rank[inverse.reshape(-1)]
    g_site = np.empty(len(keys), dtype=np.int64)
    g_site[e_group] = e_site
    g_code = np.empty(len(keys), dtype=np.int64)
    g_code[e_group] = e_code
    # a piece is merged within a code's group if its envelope meets another piece carrying that code
    e_linked = np.zeros(len(e_pos), dtype=bool)
    if len(p.link_a) and len(e_pos):
        sides = []
        for side in (p.link_a, p.link_b):
            fs = p.feat[side]
            cs = table.ptr[fs + 1] - table.ptr[fs]
            link = np.repeat(np.arange(len(side)), cs)
            fst = np.cumsum(cs) - cs
            code = table.ids[np.repeat(table.ptr[fs], cs) + (np.arange(len(link)) - fst[link])]
            sides.append(link * nc + code)
        shared = np.intersect1d(sides[0], sides[1])
        lk, lc = shared // nc, shared % nc
        linked_keys = np.concatenate([p.link_a[lk] * nc + lc, p.link_b[lk] * nc + lc])
        e_linked = np.isin(e_pos * nc + e_code, linked_keys)
    n_groups = len(keys)
    alone = np.bincount(e_group[~e_linked], weights=p.overlap[e_pos[~e_linked]], minlength=n_groups)
    # entries by group, in piece order within each group
    order = np.argsort(e_group, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(e_group, minlength=n_groups))])
    g_pos = e_pos[order].tolist()
    g_linked = e_linked[order]
    # unions: each site's linked pieces, and each group's linked pieces
    unions: list[tuple[int, ...]] = []
    site_union: dict[int, int] = {}
    linked_hits = hits[m_linked]
    if len(linked_hits):
        cuts = np.flatnonzero(np.diff(hit_site[m_linked])) + 1
        for chunk in np.split(linked_hits, cuts):
            site_union[int(p.site[chunk[0]])] = len(unions)
            unions.append(tuple(chunk.tolist()))
    group_union: dict[int, int] = {}
    for g in np.unique(e_group[e_linked]).tolist():
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        group_union[g] = len(unions)
        unions.append(tuple(j for j, linked in zip(g_pos[lo:hi], g_linked[lo:hi].tolist()) if linked))
    merged = _union_areas(p.pieces, unions, p.link_a, p.link_b).tolist()
    out_mapped = mapped.tolist()
    for s, at in site_union.items():
        out_mapped[s] += merged[at]
    per_site: list[dict[str, tuple[list[int], float]]] = [{} for _ in range(n_sites)]
    names = table.names
    alone_l = alone.tolist()
    for g, (s, c) in enumerate(zip(g_site.tolist(), g_code.tolist())):
        area = alone_l[g]
        u = group_union.get(g)
        if u is not None:
            area += merged[u]
        per_site[s][names[c]] = (g_pos[int(bounds[g]):int(bounds[g + 1])], area)
    return [(out_mapped[s], per_site[s]) for s in range(n_sites)]


def _opportunity_areas_plain(index: PackIndex, p: _Pairs, n_sites: int) -> list[_OppAreas]:
    """:func:`_opportunity_areas` one site and one code at a time: the same answers, for a few pieces."""
    links: dict[int, set[int]] = {}
    for a, b in zip(p.link_a.tolist(), p.link_b.tolist()):
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    overlap = p.overlap.tolist()
    hits: list[list[int]] = [[] for _ in range(n_sites)]
    for j, (s, o) in enumerate(zip(p.site.tolist(), overlap)):
        if o > 0:
            hits[s].append(j)
    unions: list[tuple[int, ...]] = []

    def group(positions: list[int]) -> tuple[float, int]:
        """(area of the pieces that meet no other piece of the group, the union of the rest or -1)."""
        if len(positions) == 1:
            return overlap[positions[0]], -1
        members, alone, linked = set(positions), 0.0, []
        for j in positions:
            if j in links and not links[j].isdisjoint(members):
                linked.append(j)
            else:
                alone += overlap[j]
        if not linked:
            return alone, -1
        unions.append(tuple(linked))
        return alone, len(unions) - 1

    jobs = []
    feat = p.feat.tolist()
    for positions in hits:
        by_code: dict[str, list[int]] = {}
        for j in positions:
            for code in index.opportunity_codes[feat[j]]:
                by_code.setdefault(code, []).append(j)
        jobs.append((group(positions), {code: (g, group(g)) for code, g in by_code.items()}))
    merged = _union_areas(p.pieces, unions, p.link_a, p.link_b).tolist()

    def area(job: tuple[float, int]) -> float:
        alone, at = job
        return alone + merged[at] if at >= 0 else alone

    return [(area(mapped), {code: (g, area(job)) for code, (g, job) in codes.items()}) for mapped, codes in jobs]


def _clip_areas(sites: GeomArray, zones: GeomArray) -> FloatArray:
    """Area of each site inside its zone (sites are prepared)."""
    out = np.zeros(len(zones))
    if not len(zones):
        return out
    inside = np.asarray(shapely.contains_properly(sites, zones), dtype=bool)
    out[inside] = shapely.area(zones[inside])
    rest = ~inside
    out[rest] = shapely.area(_vectorised(shapely.intersection, sites[rest], zones[rest]))
    return out


# --------------------------------------------------------------------------- per-site assembly
#: (kind, designation, relation, in_buffer) -> (rank, relation the reason is worded for), or None
_RuleKey = tuple[str, str | None, str, bool]
_RuleCache = dict[_RuleKey, tuple[int, str] | None]


@dataclass
class _Context:
    index: PackIndex
    options: ScreeningOptions
    proposed: ResolvedHabitat | None
    proposed_text: str | None
    #: verdict rule matches, shared by the batch's sites
    rules: _RuleCache = field(default_factory=dict)


_RELATIONS = ("overlap", "adjoins", "buffer", "nearby")


@dataclass
class _Found:
    """One layer's findings for a chunk, as columns (site order, then pair order within a site)."""

    site: IntArray
    distance: FloatArray
    overlap: FloatArray
    buffer: FloatArray
    assumed: npt.NDArray[np.bool_]
    in_buffer: npt.NDArray[np.bool_]
    relation: IntArray  # index into _RELATIONS
    intrusion: FloatArray
    fid: IntArray
    habitat: list[str]
    name: list[str]
    ref: list[str]
    status: list[str]
    layer: str


def _kept_in_site_order(p: _Pairs, keep: npt.NDArray[np.bool_]) -> IntArray:
    """Positions of the kept pairs, site by site, in position order within a site."""
    pos = np.flatnonzero(keep)
    return pos[np.argsort(p.site[pos], kind="stable")]


def _habitat_found(ctx: _Context, li: LayerIndex, p: _Pairs) -> _Found:
    """Irreplaceable polygons within the search distance (or their buffer) of each site."""
    opt = ctx.options
    bufs = ctx.index.habitat_buffers(opt.buffers)[p.feat]
    pos = _kept_in_site_order(p, p.distance <= np.maximum(opt.search_distance_m, bufs))
    dist, ov, buf, feat = p.distance[pos], p.overlap[pos], bufs[pos], p.feat[pos]
    overlapping = ov >= opt.sliver_tolerance_m2
    in_buffer = overlapping | ((buf > 0) & (dist < buf))
    relation = np.where(overlapping, 0, np.where(dist == 0, 1, np.where(in_buffer, 2, 3)))
    intrusion = np.zeros(len(pos)) if p.intrusion is None else \
        np.where(in_buffer & (buf > 0), p.intrusion[pos], 0.0)
    k = feat.tolist()
    htype, name, ref, status = (li.texts(c) for c in ("habitat_type", "name", "ref", "status"))
    return _Found(p.site[pos], dist, ov, buf, np.zeros(len(pos), dtype=bool), in_buffer, relation, intrusion,
                  li.fids[feat], [htype[i] for i in k], [name[i] for i in k], [ref[i] for i in k],
                  [status[i] for i in k], li.name)


def _tree_found(ctx: _Context, li: LayerIndex, p: _Pairs) -> _Found:
    """Ancient or veteran trees within the search distance (or their buffer) of each site."""
    opt = ctx.options
    all_bufs, all_assumed = ctx.index.tree_buffers(opt.buffers)
    bufs = all_bufs[p.feat]
    pos = _kept_in_site_order(p, p.distance <= np.maximum(opt.search_distance_m, bufs))
    dist, buf, feat = p.distance[pos], bufs[pos], p.feat[pos]
    inside = dist == 0
    in_buffer = inside | (dist < buf)
    relation = np.where(inside, 0, np.where(in_buffer, 2, 3))
    intrusion = np.zeros(len(pos)) if p.intrusion is None else np.where(in_buffer, p.intrusion[pos], 0.0)
    k = feat.tolist()
    name, ref, status = (li.texts(c) for c in ("name", "ref", "status"))
    return _Found(p.site[pos], dist, np.zeros(len(pos)), buf, all_assumed[feat], in_buffer, relation, intrusion,
                  li.fids[feat], [TREE_HABITAT] * len(k), [name[i] for i in k], [ref[i] for i in k],
                  [status[i] for i in k], li.name)


def _ranks(values: list[str]) -> IntArray:
    """Each value's rank among the distinct values, in Python's string order."""
    rank = {v: i for i, v in enumerate(sorted(set(values)))}
    return np.array([rank[v] for v in values], dtype=np.int64)


def _by_site(items: list[Any], site: IntArray, n_sites: int) -> list[list[Any]]:
    """``items`` (in site order) cut into one list per site."""
    ends = np.cumsum(np.bincount(site, minlength=n_sites)).tolist()
    return [items[lo:hi] for lo, hi in zip([0, *ends[:-1]], ends)]


def _irreplaceable_findings(ctx: _Context, hab: _Pairs | None, trees: _Pairs | None,
                            n_sites: int) -> list[list[IrreplaceableFinding]]:
    """Each site's irreplaceable polygons and trees, nearest first (then larger overlap, habitat, name;
    polygons before trees and in pair order where all of those are equal)."""
    index = ctx.index
    parts = [f for f in (None if hab is None or index.irreplaceable is None or not len(hab.site)
                         else _habitat_found(ctx, index.irreplaceable, hab),
                         None if trees is None or index.trees is None or not len(trees.site)
                         else _tree_found(ctx, index.trees, trees)) if f is not None]
    if not parts:
        return [[] for _ in range(n_sites)]

    def cat(name: str) -> Any:
        return np.concatenate([getattr(f, name) for f in parts])

    def join(name: str) -> list[Any]:
        return [v for f in parts for v in getattr(f, name)]

    site, dist, ov = cat("site"), cat("distance"), cat("overlap")
    habitat, name, ref, status = join("habitat"), join("name"), join("ref"), join("status")
    layer = [f.layer for f in parts for _ in range(len(f.site))]
    order = np.lexsort((_ranks(name), _ranks(habitat), -ov, dist, site))
    found = [IrreplaceableFinding(habitat[i], name[i], ref[i], status[i], o, d, b, a, ib, _RELATIONS[r], it,
                                  layer[i], fid)
             for i, o, d, b, a, ib, r, it, fid in zip(
                 order.tolist(), ov[order].tolist(), dist[order].tolist(), cat("buffer")[order].tolist(),
                 cat("assumed")[order].tolist(), cat("in_buffer")[order].tolist(), cat("relation")[order].tolist(),
                 cat("intrusion")[order].tolist(), cat("fid")[order].tolist())]
    return _by_site(found, site[order], n_sites)


def _designated_findings(ctx: _Context, p: _Pairs | None, n_sites: int) -> list[list[DesignatedFinding]]:
    """Each site's designated sites within the search distance, nearest first (then by designation in
    :data:`DESIGNATIONS` order, larger overlap, name; in pair order where all of those are equal)."""
    li = ctx.index.designated
    if p is None or li is None or not len(p.site):
        return [[] for _ in range(n_sites)]
    pos = _kept_in_site_order(p, np.ones(len(p.site), dtype=bool))
    dist, ov, feat = p.distance[pos], p.overlap[pos], p.feat[pos]
    relation = np.where(ov >= ctx.options.sliver_tolerance_m2, 0, np.where(dist == 0, 1, 3))
    designation, name, ref = (li.texts(c) for c in ("designation", "name", "ref"))
    k = feat.tolist()
    names = [name[i] for i in k]
    known = {d: i for i, d in enumerate(DESIGNATIONS)}
    rank = np.array([known.get(designation[i], 99) for i in k], dtype=np.int64)
    order = np.lexsort((_ranks(names), -ov, rank, dist, p.site[pos]))
    fk = feat[order].tolist()
    layer = li.name
    found = [DesignatedFinding(designation[f], name[f], ref[f], o, d, _RELATIONS[r], layer, fid)
             for f, o, d, r, fid in zip(fk, ov[order].tolist(), dist[order].tolist(), relation[order].tolist(),
                                        li.fids[feat[order]].tolist())]
    return _by_site(found, p.site[pos][order], n_sites)


def _mapped_threshold(site_area: float, tolerance: float) -> float:
    """How much of a site must be mapped to count (the sliver tolerance, or half a tiny site)."""
    return min(tolerance, 0.5 * site_area)


def _opportunity(ctx: _Context, site_area: float, opp: _Pairs | None,
                 interim: tuple[_Pairs, IntArray] | None,
                 areas: _OppAreas | None = None) -> tuple[StrategicSignificance, list[MeasureFinding]]:
    index, opt = ctx.index, ctx.options
    threshold = _mapped_threshold(site_area, opt.sliver_tolerance_m2)
    proposed_broad = ctx.proposed.broad_habitat if ctx.proposed else None
    mapped, by_code = areas if (opp is not None and areas is not None) else (0.0, {})
    mapped_pct = 100.0 * mapped / site_area if site_area > 0 else 0.0
    measures: list[MeasureFinding] = []
    aligned: list[int] = []
    aligned_codes: list[str] = []
    for code, (g, area) in by_code.items():
        if area < threshold:
            continue
        m = index.catalogue.get(code)
        delivered = None
        if proposed_broad is not None and m is not None:
            delivered = proposed_broad in m.habitats
        if delivered:
            aligned_codes.append(code)
            aligned.extend(g)
        measures.append(MeasureFinding(code, m.theme if m else "", m.priority if m else "", m.text if m else "",
                                       area, 100.0 * area / site_area, m is not None, delivered))
    measures.sort(key=lambda x: (-x.overlap_m2, x.code))
    all_codes = tuple(m.code for m in measures)

    interim_area = 0.0
    if interim is not None:
        ip, ipos = interim
        interim_area = _union_area(ip, [j for j in ipos.tolist() if ip.overlap[j] > 0])
    in_interim = interim_area >= threshold

    def result(cat: SignificanceCategory | None, codes: tuple[str, ...], basis: str) -> StrategicSignificance:
        return StrategicSignificance(cat.category if cat else None, cat.multiplier if cat else None,
                                     cat.metric_text if cat else None, mapped, mapped_pct,
                                     ctx.proposed_text, proposed_broad, codes, basis)

    if index.opportunity is None:
        return result(None, (), "The pack has no opportunity areas, so strategic significance was not assessed."), []
    if ctx.proposed is None:
        if mapped >= threshold and measures:
            return result(HIGH, all_codes, f"{mapped:,.1f} m² ({mapped_pct:.1f}%) of the site lies in areas the "
                                           "LNRS maps for measures."), measures
    else:
        if not index.pack.has_catalogue:
            return result(None, (), "The pack has no measures catalogue, so whether the proposed habitat delivers "
                                    "the mapped measures cannot be tested."), measures
        aligned_area = _union_area(opp, list(dict.fromkeys(aligned))) if opp is not None else 0.0
        if aligned_area >= threshold:
            return result(HIGH, tuple(aligned_codes),
                          f"{aligned_area:,.1f} m² of the site lies where the LNRS maps measure(s) "
                          f"{', '.join(aligned_codes)}, which {proposed_broad} habitat delivers."), measures
    if in_interim:
        return result(MEDIUM, (), f"{interim_area:,.1f} m² of the site lies in an interim strategy area supplied "
                                  "by the authority."), measures
    if ctx.proposed is not None and measures:
        return result(LOW, (), f"Measures are mapped here ({', '.join(all_codes)}) but none is delivered by "
                               f"{proposed_broad} habitat."), measures
    return result(LOW, (), "No part of the site lies in an area the LNRS maps for measures."), measures


# --------------------------------------------------------------------------- verdict
def _label(f: IrreplaceableFinding) -> str:
    if f.habitat == TREE_HABITAT:
        return TREE_STATUSES.get(f.status, "Ancient or veteran tree")
    return IRREPLACEABLE_TYPES.get(f.habitat, f.habitat)


def _named(name: str, ref: str) -> str:
    return f"'{name}'" if name else (f"ref {ref}" if ref else "(unnamed)")


def _finding_reason(kind: str, f: Any, relation: str, tol: float) -> str:
    if kind == "irreplaceable":
        what = f"{_label(f)} {_named(f.name, f.ref)}"
        assumed = " (buffer assumed: no stem diameter or crown radius recorded)" if f.buffer_assumed else ""
        if relation == "overlap":
            if f.habitat == TREE_HABITAT:
                return f"{what} stands within the site: loss of irreplaceable habitat."
            return f"The site overlaps {what} ({f.overlap_m2:,.1f} m²): loss of irreplaceable habitat."
        if relation == "buffer":
            return (f"The site enters the {f.buffer_m:g} m buffer of {what}{assumed} "
                    f"({f.buffer_intrusion_m2:,.1f} m² of the site within it).")
        if relation == "adjoins":
            return f"The site adjoins {what} (overlap below {tol:g} m², not counted as loss)."
        return f"{what} lies {f.distance_m:,.1f} m from the site."
    what = f"{f.designation} {_named(f.name, f.ref)}"
    if relation == "overlap":
        return f"The site overlaps {what} ({f.overlap_m2:,.1f} m²)."
    if relation == "adjoins":
        return f"The site adjoins {what} (overlap below {tol:g} m²)."
    return f"{what} lies {f.distance_m:,.1f} m from the site."


def _best_rule(opt: ScreeningOptions, kind: str, designation: str | None, relation: str,
               in_buffer: bool) -> tuple[int, str] | None:
    """The first matching (most severe) verdict rule for a finding: its rank and the relation to word."""
    best: tuple[int, str] | None = None
    for rule in opt.verdict_rules:
        if rule.kind != kind or (rule.designations and designation not in rule.designations):
            continue
        rank = VERDICT_ORDER.index(rule.verdict)
        hit = (in_buffer and relation != "overlap") if rule.relation == "buffer" else relation == rule.relation
        if hit and (best is None or rank < best[0]):
            best = (rank, "buffer" if rule.relation == "buffer" else relation)
    return best


def _verdict(opt: ScreeningOptions, irr: Sequence[IrreplaceableFinding], des: Sequence[DesignatedFinding],
             checks: Checks, cache: _RuleCache | None = None) -> tuple[str, tuple[str, ...]]:
    """The verdict and its reasons. ``cache`` keeps rule matches between sites screened with ``opt``."""
    ranked: list[tuple[int, str]] = []
    green = VERDICT_ORDER.index("green")
    rules: _RuleCache = {} if cache is None else cache
    tol = opt.sliver_tolerance_m2
    for f in irr:
        key: _RuleKey = ("irreplaceable", None, f.relation, f.in_buffer)
        best = rules[key] if key in rules else rules.setdefault(key, _best_rule(opt, *key))
        if best is not None and best[0] < green:
            ranked.append((best[0], _finding_reason("irreplaceable", f, best[1], tol)))
    for d in des:
        key = ("designated", d.designation, d.relation, False)
        best = rules[key] if key in rules else rules.setdefault(key, _best_rule(opt, *key))
        if best is not None and best[0] < green:
            ranked.append((best[0], _finding_reason("designated", d, best[1], tol)))
    unchecked = [name for name, state in checks.to_dict().items() if state == NOT_CHECKED]
    if unchecked:
        ranked.append((VERDICT_ORDER.index("amber"),
                       f"Not checked: {', '.join(unchecked)} (see notes); the site cannot be called clear."))
    if not ranked:
        return "green", ("No irreplaceable habitat or designated site on or near the site.",)
    ranked.sort(key=lambda r: r[0])
    return VERDICT_ORDER[ranked[0][0]], tuple(dict.fromkeys(r[1] for r in ranked))


# --------------------------------------------------------------------------- public API
def resolve_proposed_habitat(text: str | None, table: HabitatTable | None = None) -> ResolvedHabitat | None:
    """The metric habitat (or broad habitat) named by ``text``; InputError with suggestions if unknown."""
    if text is None or not str(text).strip():
        return None
    table = table or default_table()
    resolved = table.resolve(text)
    if resolved is None:
        hints = table.suggest(text)
        hint = f" Did you mean: {'; '.join(hints)}?" if hints else ""
        raise InputError(f"'{text}' is not a habitat of the statutory biodiversity metric.{hint}")
    return resolved


def screen_sites(index: PackIndex, geometries: Sequence[Any], refs: Sequence[str] | None = None,
                 options: ScreeningOptions | None = None, proposed_habitat: str | None = None,
                 is_cancelled: Callable[[], bool] = lambda: False,
                 progress: Callable[[float], None] = lambda _p: None,
                 habitat_table: HabitatTable | None = None) -> list[ScreeningResult | SiteError]:
    """Screen every geometry (EPSG:27700); one result or :class:`SiteError` per input, in input order.

    Raises :class:`InputError` for a bad ``proposed_habitat`` (it applies to the whole batch).
    Returns the results so far when ``is_cancelled()`` turns true (callers discard them).
    """
    opt = options or ScreeningOptions()
    if opt.search_distance_m < 0:
        raise InputError("the search distance cannot be negative.")
    if opt.sliver_tolerance_m2 < 0:
        raise InputError("the sliver tolerance cannot be negative.")
    resolved = resolve_proposed_habitat(proposed_habitat, habitat_table)
    ctx = _Context(index, opt, resolved, proposed_habitat.strip() if proposed_habitat else None)
    refs = list(refs) if refs is not None else [str(i + 1) for i in range(len(geometries))]
    _warm(ctx)
    out: list[ScreeningResult | SiteError] = []
    total = max(1, len(geometries))
    bounds = _chunks(len(geometries), _workers())

    def chunk(lo: int, hi: int) -> list[ScreeningResult | SiteError]:
        return _screen_chunk(ctx, geometries[lo:hi], refs[lo:hi], lo)

    if len(bounds) < 2 or _workers() < 2:
        for lo, hi in bounds:
            if is_cancelled():
                break
            out.extend(chunk(lo, hi))
            progress(100.0 * hi / total)
        return out
    # chunks are screened side by side, one per core (GEOS runs outside the GIL), and taken in order
    pool = _chunk_workers()
    pending: deque[Future[list[ScreeningResult | SiteError]]] = deque()
    queued = iter(bounds)
    with _gc_paused():
        try:
            for lo, hi in islice(queued, 2 * _workers()):
                pending.append(pool.submit(chunk, lo, hi))
            for _lo, hi in bounds:
                if is_cancelled():
                    break
                out.extend(pending.popleft().result())
                for nxt in islice(queued, 1):
                    pending.append(pool.submit(chunk, *nxt))
                progress(100.0 * hi / total)
        finally:
            for future in pending:
                future.cancel()
    return out


def _chunks(n: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk of a batch of ``n`` sites.

    On several cores the chunks get smaller towards the end of the batch (each at most a
    ``2 * workers``-th of what is left, at least ``MIN_CHUNK``), so the cores finish together.
    """
    out: list[tuple[int, int]] = []
    start = 0
    while start < n:
        size = CHUNK if workers < 2 else max(MIN_CHUNK, min(CHUNK, -(-(n - start) // (2 * workers))))
        out.append((start, min(n, start + size)))
        start += size
    return out


def screen_site(index: PackIndex, geometry: Any, site_ref: str = "1", options: ScreeningOptions | None = None,
                proposed_habitat: str | None = None) -> ScreeningResult:
    """Screen one site; raises :class:`InputError` when the site cannot be screened."""
    result = screen_sites(index, [geometry], [site_ref], options, proposed_habitat)[0]
    if isinstance(result, SiteError):
        raise InputError(result.message)
    return result


def _warm(ctx: _Context) -> None:
    """Fill the index's caches that chunks read, before chunks run side by side."""
    index, rules = ctx.index, ctx.options.buffers
    index.habitat_buffers(rules)
    index.tree_buffers(rules)
    for li, columns in ((index.irreplaceable, ("habitat_type", "name", "ref", "status")),
                        (index.trees, ("name", "ref", "status")),
                        (index.designated, ("designation", "name", "ref"))):
        if li is not None:
            for column in columns:
                li.texts(column)


@dataclass
class _ChunkGeometry:
    """Everything GEOS computes for a chunk of sites, before the per-site findings are assembled."""

    prepared: list[PreparedSite | SiteError]
    n_sites: int
    layers: dict[str, _Pairs | None]
    inside: FloatArray | None
    opp_areas: list[_OppAreas] | None


def _screen_chunk(ctx: _Context, geometries: Sequence[Any], refs: Sequence[str],
                  offset: int) -> list[ScreeningResult | SiteError]:
    return _chunk_results(ctx, _chunk_geometry(ctx, geometries, refs, offset), refs, offset)


def _chunk_geometry(ctx: _Context, geometries: Sequence[Any], refs: Sequence[str], offset: int) -> _ChunkGeometry:
    index, opt = ctx.index, ctx.options
    prepared: list[PreparedSite | SiteError] = []
    for i, got in enumerate(prepare_sites(geometries, [f"site {r}" for r in refs[:len(geometries)]])):
        if isinstance(got, PreparedSite):
            prepared.append(got)
        elif isinstance(got, InputError):
            prepared.append(SiteError(refs[i], str(got), offset + i))
        else:  # geometry GEOS cannot handle at all
            prepared.append(SiteError(refs[i], f"site {refs[i]}'s geometry cannot be processed ({got}); "
                                      "draw it again or repair it.", offset + i))
    site_geoms = [p.geometry for p in prepared if isinstance(p, PreparedSite)]
    sites: GeomArray = np.empty(len(site_geoms), dtype=np.object_)
    sites[:] = site_geoms
    if len(sites):
        shapely.prepare(sites)
    n = len(sites)
    site_areas = np.array([p.area_m2 for p in prepared if isinstance(p, PreparedSite)], dtype=np.float64)
    max_hab_buf = max((b for _, b in opt.buffers.habitat_buffer_m), default=0.0)
    layers: dict[str, _Pairs | None] = {}
    for name, li, dist, pieces in (
        ("irreplaceable", index.irreplaceable, max(opt.search_distance_m, max_hab_buf), False),
        ("designated", index.designated, opt.search_distance_m, False),
        ("opportunity", index.opportunity, 0.0, True),
        ("interim", index.interim, 0.0, True),
    ):
        if li is None:
            layers[name] = None
            continue
        p = _pairs(li, sites, site_areas, dist, pieces)
        if name == "irreplaceable":
            p = _habitat_intrusions(index, opt, sites, p)
        layers[name] = p
    if index.trees is not None:
        bufs, _ = index.tree_buffers(opt.buffers)
        p = _pairs(index.trees, sites, site_areas,
                   max(opt.search_distance_m, float(bufs.max()) if len(bufs) else 0.0))
        layers["trees"] = _tree_intrusions(index.trees, bufs, opt, sites, p)
    else:
        layers["trees"] = None
    inside = _inside_coverage(index, sites, site_areas)
    opp = layers["opportunity"]
    opp_areas = _opportunity_areas(index, opp, n) if opp is not None else None
    return _ChunkGeometry(prepared, n, layers, inside, opp_areas)


def _chunk_results(ctx: _Context, data: _ChunkGeometry, refs: Sequence[str],
                   offset: int) -> list[ScreeningResult | SiteError]:
    layers, inside, opp_areas, n = data.layers, data.inside, data.opp_areas, data.n_sites
    irreplaceable = _irreplaceable_findings(ctx, layers["irreplaceable"], layers["trees"], n)
    designated = _designated_findings(ctx, layers["designated"], n)
    interim = layers["interim"]
    interim_groups = None if interim is None else _group(interim.site, n)
    results: list[ScreeningResult | SiteError] = []
    s = -1
    for i, prep in enumerate(data.prepared):
        if isinstance(prep, SiteError):
            results.append(prep)
            continue
        s += 1
        results.append(_assemble(ctx, prep, refs[i], offset + i, irreplaceable[s], designated[s],
                                 layers["opportunity"],
                                 None if interim is None or interim_groups is None else (interim, interim_groups[s]),
                                 None if inside is None else float(inside[s]),
                                 None if opp_areas is None else opp_areas[s]))
    return results


def _habitat_intrusions(index: PackIndex, opt: ScreeningOptions, sites: GeomArray, p: _Pairs) -> _Pairs:
    """How much of each site lies in the buffer zone of the irreplaceable polygons it is reported against."""
    intrusion = np.zeros(len(p.site))
    if len(p.site):
        buf = index.habitat_buffers(opt.buffers)[p.feat]
        reported = p.distance <= np.maximum(opt.search_distance_m, buf)
        in_buffer = (p.overlap >= opt.sliver_tolerance_m2) | ((buf > 0) & (p.distance < buf))
        need = np.flatnonzero(reported & in_buffer & (buf > 0))
        if len(need):
            zones = index.habitat_zones(p.feat[need], buf[need])
            intrusion[need] = np.maximum(0.0, _clip_areas(sites[p.site[need]], zones) - p.overlap[need])
    return replace(p, intrusion=intrusion)


def _tree_intrusions(li: LayerIndex, bufs: FloatArray, opt: ScreeningOptions, sites: GeomArray,
                     p: _Pairs) -> _Pairs:
    """How much of each site lies in the buffer zone of the trees it is reported against."""
    intrusion = np.zeros(len(p.site))
    if len(p.site):
        buf = bufs[p.feat]
        need = np.flatnonzero((p.distance <= np.maximum(opt.search_distance_m, buf))
                              & ((p.distance == 0) | (p.distance < buf)))
        if len(need):
            zones = shapely.buffer(li.geoms[p.feat[need]], buf[need], quad_segs=16)
            intrusion[need] = _clip_areas(sites[p.site[need]], zones)
    return replace(p, intrusion=intrusion)


def _inside_coverage(index: PackIndex, sites: GeomArray, site_areas: FloatArray) -> FloatArray | None:
    """Area of each site inside the strategy area (None when the pack has none)."""
    if index.coverage is None or not len(sites):
        return None
    inside = site_areas.copy()
    with _shared_prepared:
        contained = np.asarray(shapely.contains_properly(index.coverage, sites), dtype=bool)
    rest = np.flatnonzero(~contained)
    if len(rest):
        inside[rest] = shapely.area(_vectorised(shapely.intersection, sites[rest], index.coverage))
    return inside


def _assemble(ctx: _Context, site: PreparedSite, ref: str, position: int,
              irreplaceable: list[IrreplaceableFinding], designated: list[DesignatedFinding], opp: _Pairs | None,
              interim: tuple[_Pairs, IntArray] | None, inside: float | None = None,
              opp_areas: _OppAreas | None = None) -> ScreeningResult:
    index, opt = ctx.index, ctx.options
    notes = list(site.notes)
    coverage_state = _coverage(index, site, opt, notes, inside)
    irr = irreplaceable if coverage_state else []
    dsg = designated if coverage_state else []
    sig, measures = _opportunity(ctx, site.area_m2, opp, interim, opp_areas) if coverage_state else (
        StrategicSignificance(None, None, None, 0.0, 0.0, ctx.proposed_text,
                              ctx.proposed.broad_habitat if ctx.proposed else None, (),
                              "The site lies outside the area this Local Habitat Map covers."), [])

    def state(present: bool, found: bool) -> str:
        if not coverage_state or not present:
            return NOT_CHECKED
        return FOUND if found else CLEAR

    irr_present = index.irreplaceable is not None and index.trees is not None
    irr_state = FOUND if (coverage_state and irr) else state(irr_present, False)
    if coverage_state and not irr_present:
        missing = [s.title for s, li in ((IRREPLACEABLE, index.irreplaceable), (TREES, index.trees)) if li is None]
        notes.append(f"The pack has no {' or '.join(m.lower() for m in missing)} layer; irreplaceable habitats "
                     "were only partly checked." if irr else
                     f"The pack has no {' or '.join(m.lower() for m in missing)} layer.")
    if coverage_state and index.designated is None:
        notes.append("The pack has no designated sites layer.")
    if coverage_state and index.opportunity is None:
        notes.append("The pack has no opportunity areas layer.")
    missing_codes = [m.code for m in measures if not m.in_catalogue]
    if missing_codes:
        notes.append(f"Measure code(s) {', '.join(missing_codes)} are mapped here but missing from the pack's "
                     "catalogue; ask the LNRS team what they stand for.")
    checks = Checks(irr_state, state(index.designated is not None, bool(dsg)),
                    state(index.opportunity is not None, bool(measures)))
    verdict, reasons = _verdict(opt, irr, dsg, checks, ctx.rules)
    return ScreeningResult(ref, site.area_m2, index.ref, verdict, reasons, checks, tuple(irr), tuple(dsg), sig,
                           tuple(measures), tuple(dict.fromkeys([*index.load_notes, *notes])),
                           opt.search_distance_m, opt.sliver_tolerance_m2, position)


def _coverage(index: PackIndex, site: PreparedSite, opt: ScreeningOptions, notes: list[str],
              inside: float | None = None) -> bool:
    """False when the site lies wholly outside what the pack covers (then nothing can be called clear).

    ``inside``: the site's area inside the strategy area, when the caller has computed it.
    """
    geom = site.geometry
    if index.coverage is not None:
        if inside is None:
            inside = float(shapely.intersection(geom, index.coverage).area)
        if inside <= 0 and not shapely.intersects(geom, index.coverage):
            notes.append("The site lies outside the strategy area this Local Habitat Map covers; use the map of "
                         "the strategy that covers it.")
            return False
        outside = site.area_m2 - inside
        if outside > opt.sliver_tolerance_m2:
            notes.append(f"{outside:,.1f} m² ({100 * outside / site.area_m2:.1f}%) of the site lies outside the "
                         "strategy area; findings cover only the part inside it.")
        return True
    if index.extent is None:
        notes.append("The pack holds no mapped features.")
        return False
    x0, y0, x1, y1 = index.extent
    d = opt.search_distance_m
    sx0, sy0, sx1, sy1 = geom.bounds
    if sx1 < x0 - d or sx0 > x1 + d or sy1 < y0 - d or sy0 > y1 + d:
        notes.append("The site lies outside the extent of this Local Habitat Map's layers; use the map of the "
                     "strategy that covers it.")
        return False
    return True
