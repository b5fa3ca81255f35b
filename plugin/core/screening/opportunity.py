"""Opportunity areas: for each site, the area of the union of its opportunity pieces, overall and per measure code.

A site's pieces overlap one another wherever the LNRS maps overlapping opportunity polygons, so areas are
unions, not sums. Pieces whose envelopes meet no other piece of the group are simply added; the rest are
cut into connected parts and measured by one vectorised union (or one intersection for a pair). A chunk
with many pieces is grouped by numpy (:func:`opportunity_areas`); a few pieces, as for a single site, in
plain Python (``_opportunity_areas_plain``): the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely

from ..pack.model import GeomArray
from .batch import vectorised
from .candidates import Pairs
from .index import FloatArray, IntArray, PackIndex


def _linked_within(p: Pairs, positions: IntArray) -> npt.NDArray[np.bool_]:
    """For each of ``positions``: whether its envelope meets that of another of ``positions``."""
    if len(positions) < 2 or not len(p.link_a):
        return np.zeros(len(positions), dtype=bool)
    both = np.isin(p.link_a, positions) & np.isin(p.link_b, positions)
    return np.isin(positions, np.concatenate([p.link_a[both], p.link_b[both]]))


def union_area(p: Pairs, positions: Sequence[int]) -> float:
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
    see ``candidates._links``), a group is cut into its connected parts, whose unions are added up: pieces in
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
        part_area[pair] = shapely.area(a) + shapely.area(b) - shapely.area(vectorised(shapely.intersection, a, b))
    if more:
        rows: GeomArray = np.full((len(more), max(len(keys[i]) for i in more)), None, dtype=object)
        for r, i in enumerate(more):
            rows[r, :len(keys[i])] = pieces[np.array(keys[i], dtype=np.int64)]
        part_area[more] = shapely.area(vectorised(_union_rows, rows))
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
OppAreas = tuple[float, dict[str, tuple[list[int], float]]]


#: Up to this many opportunity pieces in a chunk, union groups are found in plain Python (numpy's fixed cost
#: per call outweighs the work for a single site).
FEW_PIECES = 64


def opportunity_areas(index: PackIndex, p: Pairs, n_sites: int) -> list[OppAreas]:
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


def _opportunity_areas_plain(index: PackIndex, p: Pairs, n_sites: int) -> list[OppAreas]:
    """:func:`opportunity_areas` one site and one code at a time: the same answers, for a few pieces."""
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

