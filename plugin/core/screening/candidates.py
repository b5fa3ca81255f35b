"""Candidate pairs: which pack features lie near (or on) each site of a chunk, and what they measure.

Candidates are found by envelope in the layer's STRtree and kept by their exact distance; touching pairs
get their overlap area (and, for opportunity layers, the overlap pieces). Then the area of each site inside
the buffer zones of the irreplaceable features it is reported against, and inside the strategy area.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import shapely

from ..pack.model import GeomArray
from .batch import shared_prepared, vectorised
from .index import FloatArray, IntArray, LayerIndex, PackIndex
from .options import ScreeningOptions


def _no_ints() -> IntArray:
    return np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Pairs:
    """One layer's candidate pairs for a chunk, as columns: site and feature (index positions), exact
    distance, overlap area."""

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


def pairs(layer: LayerIndex, sites: GeomArray, site_areas: FloatArray, distance: float,
          want_pieces: bool = False) -> Pairs:
    """Each site's features within ``distance`` (intersecting when 0), with distance and overlap area.

    Within a distance, candidates are found by envelope and kept by their exact distance (with GEOS 3.12+
    cheaper than a prepared ``dwithin`` test followed by the distance; the same pairs in the same order).
    """
    if len(layer.geoms) == 0 or len(sites) == 0:
        e = np.empty(0, dtype=np.int64)
        return Pairs(e, e, np.empty(0), np.empty(0), np.empty(0, dtype=object))
    if distance > 0:  # every feature whose envelope is near enough, kept by its exact distance
        b = shapely.bounds(sites)
        si, fi = layer.tree.query(shapely.box(b[:, 0] - distance, b[:, 1] - distance, b[:, 2] + distance,
                                              b[:, 3] + distance))
        si, fi = si.astype(np.int64), fi.astype(np.int64)
        if len(layer.bounds) == len(layer.geoms):  # envelopes farther apart than the distance: no need to measure
            near = _envelope_gap(b[si], layer.bounds[fi]) <= distance + ENVELOPE_MARGIN_M
            si, fi = si[near], fi[near]
        dist = np.asarray(vectorised(shapely.distance, sites[si], layer.geoms[fi]), dtype=np.float64)
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
        with shared_prepared:
            outer[outer] = shapely.contains_properly(layer.geoms[ft[outer]], sites[st[outer]])
        rest = ~(inner | outer)
        overlap[touching[inner]] = layer.areas[ft[inner]]
        overlap[touching[outer]] = site_areas[st[outer]]
        inter = vectorised(shapely.intersection, sites[st[rest]], layer.geoms[ft[rest]])
        overlap[touching[rest]] = shapely.area(inter)
        if want_pieces:
            pieces[touching[inner]] = layer.geoms[ft[inner]]
            pieces[touching[outer]] = sites[st[outer]]
            pieces[touching[rest]] = inter
            link_a, link_b = _links(si, overlap, pieces)
            return Pairs(si, fi, dist, overlap, pieces, link_a, link_b)
    return Pairs(si, fi, dist, overlap, pieces)


#: Pairs whose envelopes are farther apart than the search distance plus this are not measured (m): the
#: envelopes' distance is a lower bound of the geometries', and the margin absorbs its rounding.
ENVELOPE_MARGIN_M = 1e-6


def _envelope_gap(a: FloatArray, b: FloatArray) -> FloatArray:
    """Distance between envelopes ``a[i]`` and ``b[i]`` (rows xmin, ymin, xmax, ymax; 0 where they meet)."""
    dx = np.maximum(0.0, np.maximum(b[:, 0] - a[:, 2], a[:, 0] - b[:, 2]))
    dy = np.maximum(0.0, np.maximum(b[:, 1] - a[:, 3], a[:, 1] - b[:, 3]))
    return np.asarray(np.hypot(dx, dy), dtype=np.float64)


def _links(site: IntArray, overlap: FloatArray, pieces: GeomArray) -> tuple[IntArray, IntArray]:
    """Which pieces of the same site meet (the only ones a union may have to merge): envelopes that meet, kept
    where the pieces themselves intersect (pieces that do not are simply added)."""
    idx = np.flatnonzero(overlap > 0)
    if len(idx) < 2:
        return _no_ints(), _no_ints()
    sub = pieces[idx]
    a, b = shapely.STRtree(sub).query(sub)  # envelopes that meet
    keep = (a < b) & (site[idx[a]] == site[idx[b]])
    a, b = a[keep], b[keep]
    if len(a):
        with shared_prepared:  # a piece may be a (prepared) pack feature
            meet = np.asarray(shapely.intersects(sub[a], sub[b]), dtype=bool)
        a, b = a[meet], b[meet]
    return idx[a].astype(np.int64), idx[b].astype(np.int64)


def group_by_site(site_idx: IntArray, n_sites: int) -> list[IntArray]:
    """For each site, the positions of its pairs."""
    order = np.argsort(site_idx, kind="stable")
    counts = np.bincount(site_idx, minlength=n_sites)
    return list(np.split(order, np.cumsum(counts)[:-1]))


def _clip_areas(sites: GeomArray, zones: GeomArray) -> FloatArray:
    """Area of each site inside its zone (sites are prepared)."""
    out = np.zeros(len(zones))
    if not len(zones):
        return out
    inside = np.asarray(shapely.contains_properly(sites, zones), dtype=bool)
    out[inside] = shapely.area(zones[inside])
    rest = ~inside
    out[rest] = shapely.area(vectorised(shapely.intersection, sites[rest], zones[rest]))
    return out


def habitat_intrusions(index: PackIndex, opt: ScreeningOptions, sites: GeomArray, p: Pairs) -> Pairs:
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


def tree_intrusions(li: LayerIndex, bufs: FloatArray, opt: ScreeningOptions, sites: GeomArray,
                    p: Pairs) -> Pairs:
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


def inside_coverage(index: PackIndex, sites: GeomArray, site_areas: FloatArray) -> FloatArray | None:
    """Area of each site inside the strategy area (None when the pack has none)."""
    if index.coverage is None or not len(sites):
        return None
    inside = site_areas.copy()
    with shared_prepared:
        contained = np.asarray(shapely.contains_properly(index.coverage, sites), dtype=bool)
    rest = np.flatnonzero(~contained)
    if len(rest):
        inside[rest] = shapely.area(vectorised(shapely.intersection, sites[rest], index.coverage))
    return inside

