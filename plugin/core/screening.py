"""The screening engine: one API behind the dock, Processing and the command line.

``PackIndex.build(pack)`` once per pack version, then ``screen_sites(index, geometries, ...)``.
All geometry is in EPSG:27700 metres. Work is vectorised per layer (one STRtree query and one
GEOS call per layer for the whole batch), so a single site and a year of applications use the
same code path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from .errors import InputError
from .habitats import HabitatTable, ResolvedHabitat, default_table
from .pack_model import GeomArray, Measure, PackData
from .pack_schema import AREA, DESIGNATED, INTERIM, IRREPLACEABLE, OPPORTUNITY, TREES
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
from .rules import HIGH, LOW, MEDIUM, VERDICT_ORDER, BufferRules, ScreeningOptions, SignificanceCategory
from .site_geometry import PreparedSite, prepare_site
from .vocabulary import DESIGNATIONS, IRREPLACEABLE_TYPES, TREE_HABITAT, TREE_STATUSES

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
#: Sites screened per vectorised chunk (cancellation and progress are checked between chunks).
CHUNK = 256


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

    def col(self, name: str, k: int) -> Any:
        return self.columns[name][int(self.rows[k])]


def _layer_index(pack: PackData, name: str, notes: list[str]) -> LayerIndex | None:
    layer = pack.layer(name)
    if layer is None or layer.geoms is None:
        return None
    geoms = np.asarray(layer.geoms, dtype=object)
    present = np.array([g is not None for g in geoms], dtype=bool)
    if present.any():
        present[present] = ~shapely.is_empty(geoms[present])
    rows = np.flatnonzero(present).astype(np.int64)
    good = geoms[rows].copy()
    if len(good):
        invalid = ~shapely.is_valid(good)
        if invalid.any():
            fixed = shapely.make_valid(good[invalid])
            if layer.spec.geometry_type == "MULTIPOLYGON":
                fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
            good[invalid] = fixed
            notes.append(f"{int(invalid.sum())} invalid polygon(s) in '{name}' were repaired when the pack was loaded.")
    keep = np.array([g is not None and not g.is_empty for g in good], dtype=bool)
    dropped = int((~present).sum() + (~keep).sum())
    if dropped:
        notes.append(f"{dropped} feature(s) of '{name}' have no usable geometry and were left out.")
    rows, good = rows[keep], good[keep]
    if len(good):
        shapely.prepare(good)
    return LayerIndex(name, good, rows, layer.fids[rows], shapely.STRtree(good), dict(layer.columns))


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


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

    @classmethod
    def build(cls, pack: PackData) -> PackIndex:
        notes: list[str] = []
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
            codes = tuple(_split_codes(raw[int(r)]) for r in opp.rows)
        meta = pack.metadata
        ref = HabitatMapRef(meta.lnrs_name or "(unnamed pack)", meta.version, meta.content_sha256, pack.source)
        return cls(pack, ref, idx[DESIGNATED.name], idx[IRREPLACEABLE.name], idx[TREES.name], opp,
                   idx[INTERIM.name], coverage, extent, codes, dict(pack.measures), tuple(notes))

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
@dataclass(frozen=True)
class _Pairs:
    site: IntArray
    feat: IntArray
    distance: FloatArray
    overlap: FloatArray
    pieces: GeomArray  # intersection geometries (only where requested)


def _pairs(layer: LayerIndex, sites: GeomArray, distance: float, want_pieces: bool = False) -> _Pairs:
    if len(layer.geoms) == 0 or len(sites) == 0:
        e = np.empty(0, dtype=np.int64)
        return _Pairs(e, e, np.empty(0), np.empty(0), np.empty(0, dtype=object))
    if distance > 0:
        si, fi = layer.tree.query(sites, predicate="dwithin", distance=distance)
    else:
        si, fi = layer.tree.query(sites, predicate="intersects")
    si, fi = si.astype(np.int64), fi.astype(np.int64)
    dist = shapely.distance(sites[si], layer.geoms[fi]) if len(si) else np.empty(0)
    overlap = np.zeros(len(si))
    pieces = np.empty(len(si), dtype=object)
    touching = np.flatnonzero(dist == 0)
    if len(touching):
        inter = shapely.intersection(sites[si[touching]], layer.geoms[fi[touching]])
        overlap[touching] = shapely.area(inter)
        if want_pieces:
            pieces[touching] = inter
    return _Pairs(si, fi, np.asarray(dist, dtype=np.float64), overlap, pieces)


def _group(site_idx: IntArray, n_sites: int) -> list[IntArray]:
    """For each site, the positions of its pairs."""
    order = np.argsort(site_idx, kind="stable")
    counts = np.bincount(site_idx, minlength=n_sites)
    return list(np.split(order, np.cumsum(counts)[:-1]))


def _union_area(pieces: Sequence[BaseGeometry], areas: Sequence[float]) -> float:
    if not pieces:
        return 0.0
    if len(pieces) == 1:
        return float(areas[0])
    return float(shapely.union_all(np.asarray(pieces, dtype=object)).area)


# --------------------------------------------------------------------------- per-site assembly
@dataclass
class _Context:
    index: PackIndex
    options: ScreeningOptions
    proposed: ResolvedHabitat | None
    proposed_text: str | None


def _relation(distance: float, overlap: float, tolerance: float, buffer_m: float) -> tuple[str, bool]:
    if overlap >= tolerance:
        return "overlap", True
    in_buffer = buffer_m > 0 and distance < buffer_m
    if distance == 0:
        return "adjoins", in_buffer
    if in_buffer:
        return "buffer", True
    return "nearby", False


def _irreplaceable(ctx: _Context, site: BaseGeometry, hab: tuple[_Pairs, IntArray] | None,
                   trees: tuple[_Pairs, IntArray] | None) -> list[IrreplaceableFinding]:
    opt = ctx.options
    out: list[IrreplaceableFinding] = []
    if hab is not None and ctx.index.irreplaceable is not None:
        li = ctx.index.irreplaceable
        p, pos = hab
        for j in pos:
            k = int(p.feat[j])
            htype = _text(li.col("habitat_type", k))
            buf = opt.buffers.for_habitat(htype)
            dist, ov = float(p.distance[j]), float(p.overlap[j])
            if dist > max(opt.search_distance_m, buf):
                continue
            relation, in_buffer = _relation(dist, ov, opt.sliver_tolerance_m2, buf)
            intrusion = 0.0
            if in_buffer and buf > 0:
                zone = shapely.buffer(li.geoms[k], buf, quad_segs=16)
                intrusion = max(0.0, float(shapely.intersection(site, zone).area) - ov)
            out.append(IrreplaceableFinding(htype, _text(li.col("name", k)), _text(li.col("ref", k)),
                                            _text(li.col("status", k)), ov, dist, buf, False, in_buffer,
                                            relation, intrusion, li.name, int(li.fids[k])))
    if trees is not None and ctx.index.trees is not None:
        li = ctx.index.trees
        bufs, assumed = ctx.index.tree_buffers(opt.buffers)
        p, pos = trees
        for j in pos:
            k = int(p.feat[j])
            buf, dist = float(bufs[k]), float(p.distance[j])
            if dist > max(opt.search_distance_m, buf):
                continue
            inside = dist == 0
            in_buffer = inside or dist < buf
            relation = "overlap" if inside else ("buffer" if in_buffer else "nearby")
            intrusion = 0.0
            if in_buffer:
                intrusion = float(shapely.intersection(site, shapely.buffer(li.geoms[k], buf, quad_segs=16)).area)
            out.append(IrreplaceableFinding(TREE_HABITAT, _text(li.col("name", k)), _text(li.col("ref", k)),
                                            _text(li.col("status", k)), 0.0, dist, buf, bool(assumed[k]),
                                            in_buffer, relation, intrusion, li.name, int(li.fids[k])))
    out.sort(key=lambda f: (f.distance_m, -f.overlap_m2, f.habitat, f.name))
    return out


def _designated(ctx: _Context, pairs: tuple[_Pairs, IntArray] | None) -> list[DesignatedFinding]:
    if pairs is None or ctx.index.designated is None:
        return []
    li, opt = ctx.index.designated, ctx.options
    p, pos = pairs
    order = {d: i for i, d in enumerate(DESIGNATIONS)}
    out = []
    for j in pos:
        k = int(p.feat[j])
        dist, ov = float(p.distance[j]), float(p.overlap[j])
        relation, _ = _relation(dist, ov, opt.sliver_tolerance_m2, 0.0)
        out.append(DesignatedFinding(_text(li.col("designation", k)), _text(li.col("name", k)),
                                     _text(li.col("ref", k)), ov, dist, relation, li.name, int(li.fids[k])))
    out.sort(key=lambda f: (f.distance_m, order.get(f.designation, 99), -f.overlap_m2, f.name))
    return out


def _mapped_threshold(site_area: float, tolerance: float) -> float:
    """How much of a site must be mapped to count (the sliver tolerance, or half a tiny site)."""
    return min(tolerance, 0.5 * site_area)


def _opportunity(ctx: _Context, site_area: float, opp: tuple[_Pairs, IntArray] | None,
                 interim: tuple[_Pairs, IntArray] | None) -> tuple[StrategicSignificance, list[MeasureFinding]]:
    index, opt = ctx.index, ctx.options
    threshold = _mapped_threshold(site_area, opt.sliver_tolerance_m2)
    proposed_broad = ctx.proposed.broad_habitat if ctx.proposed else None
    pieces: list[BaseGeometry] = []
    areas: list[float] = []
    by_code: dict[str, tuple[list[BaseGeometry], list[float]]] = {}
    if opp is not None:
        p, pos = opp
        for j in pos:
            if p.overlap[j] <= 0:
                continue
            piece, area = p.pieces[j], float(p.overlap[j])
            pieces.append(piece)
            areas.append(area)
            for code in index.opportunity_codes[int(p.feat[j])]:
                g, a = by_code.setdefault(code, ([], []))
                g.append(piece)
                a.append(area)
    mapped = _union_area(pieces, areas)
    mapped_pct = 100.0 * mapped / site_area if site_area > 0 else 0.0
    measures: list[MeasureFinding] = []
    aligned_pieces: list[BaseGeometry] = []
    aligned_areas: list[float] = []
    aligned_codes: list[str] = []
    for code, (g, a) in by_code.items():
        area = _union_area(g, a)
        if area < threshold:
            continue
        m = index.catalogue.get(code)
        delivered = None
        if proposed_broad is not None and m is not None:
            delivered = proposed_broad in m.habitats
        if delivered:
            aligned_codes.append(code)
            aligned_pieces.extend(g)
            aligned_areas.extend(a)
        measures.append(MeasureFinding(code, m.theme if m else "", m.priority if m else "", m.text if m else "",
                                       area, 100.0 * area / site_area, m is not None, delivered))
    measures.sort(key=lambda x: (-x.overlap_m2, x.code))
    all_codes = tuple(m.code for m in measures)

    interim_area = 0.0
    if interim is not None:
        ip, ipos = interim
        interim_area = _union_area([ip.pieces[j] for j in ipos if ip.overlap[j] > 0],
                                   [float(ip.overlap[j]) for j in ipos if ip.overlap[j] > 0])
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
        aligned = _union_area(aligned_pieces, aligned_areas)
        if aligned >= threshold:
            return result(HIGH, tuple(aligned_codes),
                          f"{aligned:,.1f} m² of the site lies where the LNRS maps measure(s) "
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


def _verdict(opt: ScreeningOptions, irr: Sequence[IrreplaceableFinding], des: Sequence[DesignatedFinding],
             checks: Checks) -> tuple[str, tuple[str, ...]]:
    ranked: list[tuple[int, str]] = []
    for kind, findings in (("irreplaceable", irr), ("designated", des)):
        for f in findings:
            best: tuple[int, str] | None = None
            for rule in opt.verdict_rules:
                if rule.kind != kind:
                    continue
                if rule.designations and getattr(f, "designation", None) not in rule.designations:
                    continue
                hit = (getattr(f, "in_buffer", False) and f.relation != "overlap") if rule.relation == "buffer" \
                    else f.relation == rule.relation
                if not hit:
                    continue
                rank = VERDICT_ORDER.index(rule.verdict)
                if best is None or rank < best[0]:
                    reason_relation = "buffer" if rule.relation == "buffer" else f.relation
                    best = (rank, _finding_reason(kind, f, reason_relation, opt.sliver_tolerance_m2))
            if best is not None and best[0] < VERDICT_ORDER.index("green"):
                ranked.append(best)
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
    out: list[ScreeningResult | SiteError] = []
    total = max(1, len(geometries))
    for start in range(0, len(geometries), CHUNK):
        if is_cancelled():
            break
        chunk = geometries[start:start + CHUNK]
        out.extend(_screen_chunk(ctx, chunk, refs[start:start + CHUNK], start))
        progress(100.0 * min(len(geometries), start + CHUNK) / total)
    return out


def screen_site(index: PackIndex, geometry: Any, site_ref: str = "1", options: ScreeningOptions | None = None,
                proposed_habitat: str | None = None) -> ScreeningResult:
    """Screen one site; raises :class:`InputError` when the site cannot be screened."""
    result = screen_sites(index, [geometry], [site_ref], options, proposed_habitat)[0]
    if isinstance(result, SiteError):
        raise InputError(result.message)
    return result


def _screen_chunk(ctx: _Context, geometries: Sequence[Any], refs: Sequence[str],
                  offset: int) -> list[ScreeningResult | SiteError]:
    index, opt = ctx.index, ctx.options
    prepared: list[PreparedSite | SiteError] = []
    for i, g in enumerate(geometries):
        try:
            prepared.append(prepare_site(g, f"site {refs[i]}"))
        except InputError as exc:
            prepared.append(SiteError(refs[i], str(exc), offset + i))
    site_geoms = [p.geometry for p in prepared if isinstance(p, PreparedSite)]
    sites: GeomArray = np.empty(len(site_geoms), dtype=np.object_)
    sites[:] = site_geoms
    if len(sites):
        shapely.prepare(sites)
    n = len(sites)
    max_hab_buf = max((b for _, b in opt.buffers.habitat_buffer_m), default=0.0)
    layers: dict[str, tuple[_Pairs, list[IntArray]] | None] = {}
    for name, li, dist, pieces in (
        ("irreplaceable", index.irreplaceable, max(opt.search_distance_m, max_hab_buf), False),
        ("designated", index.designated, opt.search_distance_m, False),
        ("opportunity", index.opportunity, 0.0, True),
        ("interim", index.interim, 0.0, True),
    ):
        if li is None:
            layers[name] = None
            continue
        p = _pairs(li, sites, dist, pieces)
        layers[name] = (p, _group(p.site, n))
    if index.trees is not None:
        bufs, _ = index.tree_buffers(opt.buffers)
        p = _pairs(index.trees, sites, max(opt.search_distance_m, float(bufs.max()) if len(bufs) else 0.0))
        layers["trees"] = (p, _group(p.site, n))
    else:
        layers["trees"] = None

    def pick(name: str, s: int) -> tuple[_Pairs, IntArray] | None:
        entry = layers[name]
        return None if entry is None else (entry[0], entry[1][s])

    results: list[ScreeningResult | SiteError] = []
    s = -1
    for i, prep in enumerate(prepared):
        if isinstance(prep, SiteError):
            results.append(prep)
            continue
        s += 1
        results.append(_assemble(ctx, prep, refs[i], offset + i, pick("irreplaceable", s), pick("trees", s),
                                 pick("designated", s), pick("opportunity", s), pick("interim", s)))
    return results


def _assemble(ctx: _Context, site: PreparedSite, ref: str, position: int,
              hab: tuple[_Pairs, IntArray] | None, trees: tuple[_Pairs, IntArray] | None,
              des: tuple[_Pairs, IntArray] | None, opp: tuple[_Pairs, IntArray] | None,
              interim: tuple[_Pairs, IntArray] | None) -> ScreeningResult:
    index, opt = ctx.index, ctx.options
    notes = list(site.notes)
    coverage_state = _coverage(index, site, opt, notes)
    irr = _irreplaceable(ctx, site.geometry, hab, trees) if coverage_state else []
    dsg = _designated(ctx, des) if coverage_state else []
    sig, measures = _opportunity(ctx, site.area_m2, opp, interim) if coverage_state else (
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
    verdict, reasons = _verdict(opt, irr, dsg, checks)
    return ScreeningResult(ref, site.area_m2, index.ref, verdict, reasons, checks, tuple(irr), tuple(dsg), sig,
                           tuple(measures), tuple(dict.fromkeys([*index.load_notes, *notes])),
                           opt.search_distance_m, opt.sliver_tolerance_m2, position)


def _coverage(index: PackIndex, site: PreparedSite, opt: ScreeningOptions, notes: list[str]) -> bool:
    """False when the site lies wholly outside what the pack covers (then nothing can be called clear)."""
    geom = site.geometry
    if index.coverage is not None:
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
