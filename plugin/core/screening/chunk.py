"""Screening one chunk of sites: the GEOS work for the whole chunk, a layer at a time, then one
:class:`ScreeningResult` (or :class:`SiteError`) per site, assembled from its findings, its coverage
notes and its verdict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from ..errors import InputError
from ..pack.model import GeomArray
from ..pack.schema import IRREPLACEABLE, PRIORITY_HABITATS, TREES
from .candidates import Pairs, group_by_site, habitat_intrusions, inside_coverage, pairs, tree_intrusions
from .findings import Context, designated_findings, irreplaceable_findings, strategic_significance
from .index import FloatArray, IntArray, PackIndex
from .opportunity import OppAreas, opportunity_areas
from .options import ScreeningOptions
from .priority_findings import NO_PRIORITY_HABITATS, priority_habitat_findings
from .results import (
    CLEAR,
    FOUND,
    NOT_CHECKED,
    Checks,
    DesignatedFinding,
    IrreplaceableFinding,
    PriorityHabitatFinding,
    ScreeningResult,
    SiteError,
    StrategicSignificance,
)
from .site_batch import prepare_sites
from .site_geometry import PreparedSite
from .verdict import verdict_and_reasons
from .verdict_rules import NOT_SCREENED


@dataclass
class _ChunkGeometry:
    """Everything GEOS computes for a chunk of sites, before the per-site findings are assembled."""

    prepared: list[PreparedSite | SiteError]
    n_sites: int
    layers: dict[str, Pairs | None]
    inside: FloatArray | None
    opp_areas: list[OppAreas] | None
    site_areas: FloatArray


def screen_chunk(ctx: Context, geometries: Sequence[Any], refs: Sequence[str],
                 offset: int) -> list[ScreeningResult | SiteError]:
    return _chunk_results(ctx, _chunk_geometry(ctx, geometries, refs, offset), refs, offset)


def _chunk_geometry(ctx: Context, geometries: Sequence[Any], refs: Sequence[str], offset: int) -> _ChunkGeometry:
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
    layers: dict[str, Pairs | None] = {}
    for name, li, dist, pieces in (
        ("irreplaceable", index.irreplaceable, max(opt.search_distance_m, max_hab_buf), False),
        ("designated", index.designated, opt.search_distance_m, False),
        ("opportunity", index.opportunity, 0.0, True),
        ("interim", index.interim, 0.0, True),
        ("priority_habitats", index.priority_habitats, opt.search_distance_m, False),
    ):
        if li is None:
            layers[name] = None
            continue
        p = pairs(li, sites, site_areas, dist, pieces)
        if name == "irreplaceable":
            p = habitat_intrusions(index, opt, sites, p)
        layers[name] = p
    if index.trees is not None:
        bufs, _ = index.tree_buffers(opt.buffers)
        p = pairs(index.trees, sites, site_areas,
                  max(opt.search_distance_m, float(bufs.max()) if len(bufs) else 0.0))
        layers["trees"] = tree_intrusions(index.trees, bufs, opt, sites, p)
    else:
        layers["trees"] = None
    inside = inside_coverage(index, sites, site_areas)
    opp = layers["opportunity"]
    opp_areas = opportunity_areas(index, opp, n) if opp is not None else None
    return _ChunkGeometry(prepared, n, layers, inside, opp_areas, site_areas)


def _chunk_results(ctx: Context, data: _ChunkGeometry, refs: Sequence[str],
                   offset: int) -> list[ScreeningResult | SiteError]:
    layers, inside, opp_areas, n = data.layers, data.inside, data.opp_areas, data.n_sites
    irreplaceable = irreplaceable_findings(ctx, layers["irreplaceable"], layers["trees"], n)
    designated = designated_findings(ctx, layers["designated"], n)
    priority = priority_habitat_findings(ctx, layers["priority_habitats"], data.site_areas, n)
    interim = layers["interim"]
    interim_groups = None if interim is None else group_by_site(interim.site, n)
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
                                 None if opp_areas is None else opp_areas[s], priority[s]))
    return results


def _assemble(ctx: Context, site: PreparedSite, ref: str, position: int,
              irreplaceable: list[IrreplaceableFinding], designated: list[DesignatedFinding], opp: Pairs | None,
              interim: tuple[Pairs, IntArray] | None, inside: float | None = None,
              opp_areas: OppAreas | None = None,
              priority: list[PriorityHabitatFinding] | None = None) -> ScreeningResult:
    index, opt = ctx.index, ctx.options
    notes = list(site.notes)
    coverage_state = _coverage(index, site, opt, notes, inside)
    outside_note = "" if coverage_state else notes[-1]  # _coverage says why the site is outside
    irr = irreplaceable if coverage_state else []
    dsg = designated if coverage_state else []
    phi = (priority or []) if coverage_state else []
    sig, measures = strategic_significance(ctx, site.area_m2, opp, interim, opp_areas) if coverage_state else (
        StrategicSignificance(None, None, None, 0.0, 0.0, ctx.proposed_text,
                              ctx.proposed.broad_habitat if ctx.proposed else None, (),
                              "The site lies outside the area this Local Habitat Map covers: not screened, so no "
                              "strategic significance can be stated from this map.",
                              index.pack.metadata.lnrs_published), [])

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
    if coverage_state and index.priority_habitats is None and PRIORITY_HABITATS.name not in index.pack.unchecked:
        notes.append(NO_PRIORITY_HABITATS)  # a refused table has its own sentence among the load notes
    missing_codes = [m.code for m in measures if not m.in_catalogue]
    if missing_codes:
        notes.append(f"Measure code(s) {', '.join(missing_codes)} are mapped here but missing from the pack's "
                     "catalogue; ask the LNRS team what they stand for.")
    checks = Checks(irr_state, state(index.designated is not None, bool(dsg)),
                    state(index.opportunity is not None, bool(measures)),
                    state(index.priority_habitats is not None, bool(phi)))
    if coverage_state:
        verdict, reasons = verdict_and_reasons(opt, irr, dsg, checks, ctx.rules, phi)
    else:  # wholly outside the map: its own verdict, the reason is the coverage note
        verdict, reasons = NOT_SCREENED, (f"Not screened: {outside_note}",)
    return ScreeningResult(ref, site.area_m2, index.ref, verdict, reasons, checks, tuple(irr), tuple(dsg), sig,
                           tuple(measures), tuple(dict.fromkeys([*index.load_notes, *notes])),
                           opt.search_distance_m, opt.sliver_tolerance_m2, position, priority_habitats=tuple(phi))


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
