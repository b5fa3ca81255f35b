"""A site's findings, from a chunk's candidate pairs: irreplaceable habitats and trees, designated sites,
strategic significance and the measures mapped on the site.

Findings are built a layer at a time for the whole chunk (columns of numbers, sorted once), then cut into
one list per site. The order of findings is part of the answer: nearest first, ties broken as each
function's docstring says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ..metric.habitats import ResolvedHabitat
from ..metric.significance import HIGH, LOW, MEDIUM, SignificanceCategory
from ..metric.vocabulary import DESIGNATIONS, TREE_HABITAT
from .candidates import Pairs
from .index import FloatArray, IntArray, LayerIndex, PackIndex
from .opportunity import OppAreas, union_area
from .options import ScreeningOptions
from .results import DesignatedFinding, IrreplaceableFinding, MeasureFinding, StrategicSignificance
from .verdict import RuleCache


@dataclass
class Context:
    """What the sites of one batch are screened with, and the verdict rule matches they share."""

    index: PackIndex
    options: ScreeningOptions
    proposed: ResolvedHabitat | None
    proposed_text: str | None
    #: verdict rule matches, shared by the batch's sites
    rules: RuleCache = field(default_factory=dict)


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
    inventory: list[str]  # ancient woodland: revised | legacy ("" when not known, and for trees)


def kept_in_site_order(p: Pairs, keep: npt.NDArray[np.bool_]) -> IntArray:
    """Positions of the kept pairs, site by site, in position order within a site."""
    pos = np.flatnonzero(keep)
    return pos[np.argsort(p.site[pos], kind="stable")]


def _habitat_found(ctx: Context, li: LayerIndex, p: Pairs) -> _Found:
    """Irreplaceable polygons within the search distance (or their buffer) of each site."""
    opt = ctx.options
    bufs = ctx.index.habitat_buffers(opt.buffers)[p.feat]
    pos = kept_in_site_order(p, p.distance <= np.maximum(opt.search_distance_m, bufs))
    dist, ov, buf, feat = p.distance[pos], p.overlap[pos], bufs[pos], p.feat[pos]
    overlapping = ov >= opt.sliver_tolerance_m2
    in_buffer = overlapping | ((buf > 0) & (dist < buf))
    relation = np.where(overlapping, 0, np.where(dist == 0, 1, np.where(in_buffer, 2, 3)))
    intrusion = np.zeros(len(pos)) if p.intrusion is None else \
        np.where(in_buffer & (buf > 0), p.intrusion[pos], 0.0)
    k = feat.tolist()
    htype, name, ref, status = (li.texts(c) for c in ("habitat_type", "name", "ref", "status"))
    inventory = li.texts("inventory") if "inventory" in li.columns else [""] * len(li.geoms)
    return _Found(p.site[pos], dist, ov, buf, np.zeros(len(pos), dtype=bool), in_buffer, relation, intrusion,
                  li.fids[feat], [htype[i] for i in k], [name[i] for i in k], [ref[i] for i in k],
                  [status[i] for i in k], li.name, [inventory[i] for i in k])


def _tree_found(ctx: Context, li: LayerIndex, p: Pairs) -> _Found:
    """Ancient or veteran trees within the search distance (or their buffer) of each site."""
    opt = ctx.options
    all_bufs, all_assumed = ctx.index.tree_buffers(opt.buffers)
    bufs = all_bufs[p.feat]
    pos = kept_in_site_order(p, p.distance <= np.maximum(opt.search_distance_m, bufs))
    dist, buf, feat = p.distance[pos], bufs[pos], p.feat[pos]
    inside = dist == 0
    in_buffer = inside | (dist < buf)
    relation = np.where(inside, 0, np.where(in_buffer, 2, 3))
    intrusion = np.zeros(len(pos)) if p.intrusion is None else np.where(in_buffer, p.intrusion[pos], 0.0)
    k = feat.tolist()
    name, ref, status = (li.texts(c) for c in ("name", "ref", "status"))
    return _Found(p.site[pos], dist, np.zeros(len(pos)), buf, all_assumed[feat], in_buffer, relation, intrusion,
                  li.fids[feat], [TREE_HABITAT] * len(k), [name[i] for i in k], [ref[i] for i in k],
                  [status[i] for i in k], li.name, [""] * len(k))


def ranks(values: list[str]) -> IntArray:
    """Each value's rank among the distinct values, in Python's string order."""
    rank = {v: i for i, v in enumerate(sorted(set(values)))}
    return np.array([rank[v] for v in values], dtype=np.int64)


def by_site(items: list[Any], site: IntArray, n_sites: int) -> list[list[Any]]:
    """``items`` (in site order) cut into one list per site."""
    ends = np.cumsum(np.bincount(site, minlength=n_sites)).tolist()
    return [items[lo:hi] for lo, hi in zip([0, *ends[:-1]], ends)]


def irreplaceable_findings(ctx: Context, hab: Pairs | None, trees: Pairs | None,
                           n_sites: int) -> list[list[IrreplaceableFinding]]:
    """Each site's irreplaceable polygons and trees, nearest first (then larger overlap, habitat, name;
    then feature id)."""
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
    inventory = join("inventory")
    layer = [f.layer for f in parts for _ in range(len(f.site))]
    order = np.lexsort((cat("fid"), ranks(name), ranks(habitat), -ov, dist, site))
    found = [IrreplaceableFinding(habitat[i], name[i], ref[i], status[i], o, d, b, a, ib, _RELATIONS[r], it,
                                  layer[i], fid, inventory[i])
             for i, o, d, b, a, ib, r, it, fid in zip(
                 order.tolist(), ov[order].tolist(), dist[order].tolist(), cat("buffer")[order].tolist(),
                 cat("assumed")[order].tolist(), cat("in_buffer")[order].tolist(), cat("relation")[order].tolist(),
                 cat("intrusion")[order].tolist(), cat("fid")[order].tolist())]
    return by_site(found, site[order], n_sites)


def designated_findings(ctx: Context, p: Pairs | None, n_sites: int) -> list[list[DesignatedFinding]]:
    """Each site's designated sites within the search distance, nearest first (then by designation in
    :data:`DESIGNATIONS` order, larger overlap, name, feature id)."""
    li = ctx.index.designated
    if p is None or li is None or not len(p.site):
        return [[] for _ in range(n_sites)]
    pos = kept_in_site_order(p, np.ones(len(p.site), dtype=bool))
    dist, ov, feat = p.distance[pos], p.overlap[pos], p.feat[pos]
    relation = np.where(ov >= ctx.options.sliver_tolerance_m2, 0, np.where(dist == 0, 1, 3))
    designation, name, ref = (li.texts(c) for c in ("designation", "name", "ref"))
    k = feat.tolist()
    names = [name[i] for i in k]
    known = {d: i for i, d in enumerate(DESIGNATIONS)}
    rank = np.array([known.get(designation[i], 99) for i in k], dtype=np.int64)
    order = np.lexsort((li.fids[feat], ranks(names), -ov, rank, dist, p.site[pos]))
    fk = feat[order].tolist()
    layer = li.name
    found = [DesignatedFinding(designation[f], name[f], ref[f], o, d, _RELATIONS[r], layer, fid)
             for f, o, d, r, fid in zip(fk, ov[order].tolist(), dist[order].tolist(), relation[order].tolist(),
                                        li.fids[feat[order]].tolist())]
    return by_site(found, p.site[pos][order], n_sites)


def _mapped_threshold(site_area: float, tolerance: float) -> float:
    """How much of a site must be mapped to count (the sliver tolerance, or half a tiny site)."""
    return min(tolerance, 0.5 * site_area)


def strategic_significance(ctx: Context, site_area: float, opp: Pairs | None,
                           interim: tuple[Pairs, IntArray] | None,
                           areas: OppAreas | None = None) -> tuple[StrategicSignificance, list[MeasureFinding]]:
    index, opt = ctx.index, ctx.options
    threshold = _mapped_threshold(site_area, opt.sliver_tolerance_m2)
    proposed_broad = ctx.proposed.broad_habitat if ctx.proposed else None
    mapped, by_code = areas if (opp is not None and areas is not None) else (0.0, {})
    mapped_pct = 100.0 * mapped / site_area if site_area > 0 else 0.0
    measures: list[MeasureFinding] = []
    aligned: list[int] = []
    for code, (g, area) in by_code.items():
        if area < threshold:
            continue
        m = index.catalogue.get(code)
        delivered = None
        if proposed_broad is not None and m is not None:
            delivered = proposed_broad in m.habitats
        if delivered:
            aligned.extend(g)
        measures.append(MeasureFinding(code, m.theme if m else "", m.priority if m else "", m.text if m else "",
                                       area, 100.0 * area / site_area, m is not None, delivered))
    measures.sort(key=lambda x: (-x.overlap_m2, x.code))
    all_codes = tuple(m.code for m in measures)
    aligned_codes = [m.code for m in measures if m.delivered_by_proposed]
    published = index.pack.metadata.lnrs_published
    deliverers = tuple(dict.fromkeys(h for m in measures if m.in_catalogue for h in index.catalogue[m.code].habitats))

    interim_area = 0.0
    if interim is not None:
        ip, ipos = interim
        interim_area = union_area(ip, [j for j in ipos.tolist() if ip.overlap[j] > 0])
    in_interim = interim_area >= threshold and not published  # Medium cannot be applied once the LNRS is published

    def result(cat: SignificanceCategory | None, codes: tuple[str, ...], basis: str) -> StrategicSignificance:
        return StrategicSignificance(cat.category if cat else None, cat.multiplier if cat else None,
                                     cat.metric_text if cat else None, mapped, mapped_pct,
                                     ctx.proposed_text, proposed_broad, codes,
                                     basis + baseline_sentence(published),
                                     published, LOW.category if published else None, deliverers)

    if index.opportunity is None:
        return result(None, (), "The pack has no opportunity areas, so strategic significance was not assessed."), []
    if ctx.proposed is None:
        return result(None, all_codes, without_proposed_habitat(measures, mapped, mapped_pct, deliverers,
                                                                interim_area if in_interim else 0.0)), measures
    if not index.pack.has_catalogue:
        return result(None, (), "The pack has no measures catalogue, so whether the proposed habitat delivers "
                                "the mapped measures cannot be tested."), measures
    aligned_area = union_area(opp, list(dict.fromkeys(aligned))) if opp is not None else 0.0
    if aligned_area >= threshold:
        return result(HIGH, tuple(aligned_codes),
                      f"{aligned_area:,.1f} m² of the site lies where the LNRS maps measure(s) "
                      f"{', '.join(aligned_codes)}, which {proposed_broad} habitat delivers."), measures
    if in_interim:
        return result(MEDIUM, (), f"{interim_area:,.1f} m² of the site lies in an interim strategy area supplied "
                                  "by the authority."), measures
    if measures:
        return result(LOW, (), f"Measures are mapped here ({', '.join(all_codes)}) but none is delivered by "
                               f"{proposed_broad} habitat."), measures
    return result(LOW, (), "No part of the site lies in an area the LNRS maps for measures."), measures


def baseline_sentence(published: bool) -> str:
    """What the metric guide says of the baseline where the LNRS is published (Table 7), else nothing."""
    if not published:
        return ""
    return " Baseline strategic significance is Low: the LNRS is published, so Medium cannot be applied."


def without_proposed_habitat(measures: list[MeasureFinding], mapped: float, mapped_pct: float,
                             deliverers: tuple[str, ...], interim_area: float) -> str:
    """The officer's statement when no proposed habitat is given: no category, but which measures are mapped
    on which share of the site, and the habitats for which High is available."""
    text = "No proposed habitat was given, so no category is stated. "
    if not measures:
        text += "No part of the site lies in an area the LNRS maps for measures, so High is not available here."
        if interim_area > 0:
            text += (f" {interim_area:,.1f} m² lies in an interim strategy area supplied by the authority, where "
                     "Medium may apply.")
        return text
    shares = ", ".join(f"{m.code} on {m.pct_of_site:.1f}%" for m in measures)
    text += (f"The LNRS maps measures on {mapped_pct:.1f}% of the site ({mapped:,.1f} m²): {shares}. "
             "High (1.15) is available only for post-development habitat consistent with these measures")
    if deliverers:
        return text + f", which {'; '.join(deliverers)} habitat delivers."
    return text + "; the pack's catalogue names no habitat that delivers them."
