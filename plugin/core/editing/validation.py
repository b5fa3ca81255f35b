"""Validation of opportunity (ACB) polygons: one engine behind the edit check-in, Processing and the CLI.

``validate_features(features, pack)`` checks edited (or new) opportunity areas against a pack;
``validate_pack(pack)`` checks every opportunity area of a pack. Each rule is data (:data:`.validation_rules.RULES`:
id, default severity, message template, fix) and its policy is data too (:class:`.validation_rules.OpportunityRules`,
read from the pack's metadata key ``opportunity_rules``). Errors refuse a save; warnings never do.
All geometry is shapely in EPSG:27700 metres.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..errors import PackError
from ..metric.england import england_zone, in_england
from ..metric.vocabulary import IRREPLACEABLE_TYPES
from ..pack.measure_codes import invalid_codes
from ..pack.model import GeomArray, PackData
from ..pack.schema import AREA, DESIGNATED, IRREPLACEABLE, OPPORTUNITY
from ..screening.index import IntArray, polygonal
from .opportunity_feature import OpportunityFeature, geometry_sha256, opportunity_features
from .validation_geometry import average_width, beyond_tolerance, covered_area, spikes_of, unique_labels
from .validation_index import cached_index, nearby
from .validation_report import ValidationIssue, ValidationReport
from .validation_rules import (
    METADATA_KEY,
    OFF,
    RULES,
    RULES_BY_ID,
    OpportunityRules,
    OverlapPolicy,
    fold_theme,
)

# --------------------------------------------------------------------------- the engine
_LOCATION = re.compile(r"\[\s*(-?[\d.eE+-]+|nan|inf)\s+(-?[\d.eE+-]+|nan|inf)\s*\]", re.IGNORECASE)
_RULE_ORDER = {r.id: i for i, r in enumerate(RULES)}
#: Closer than this (a micrometre), two areas touch: a vertex snapped onto a neighbour's edge lies on it only to
#: the rounding of its coordinates.
TOUCHING_M = 1e-6
#: Pack layers an overlap policy can name: table -> (column holding the value, how a feature is named).
_TARGET_LAYERS: dict[str, str] = {IRREPLACEABLE.name: "habitat_type", DESIGNATED.name: "designation"}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _codes_text(codes: Sequence[str]) -> str:
    return ", ".join(codes)


@dataclass(frozen=True)
class _Other:
    """A polygon the checked features are compared with: another checked feature or a pack feature."""

    feature: OpportunityFeature
    codes: tuple[str, ...]
    position: int | None  # index among the checked features, None for a pack feature


class _Checker:
    """Collects issues for one validation run (rules and pack fixed)."""

    def __init__(self, pack: PackData, rules: OpportunityRules) -> None:
        self.pack = pack
        self.rules = rules
        self.issues: list[tuple[int, int, ValidationIssue]] = []  # (feature position, rule order, issue)
        self.notes: list[str] = []
        self._themes = {code: m.theme for code, m in pack.measures.items()}

    def on(self, rule_id: str) -> bool:
        return self.rules.severity(rule_id) != OFF

    def add(self, rule_id: str, feature: OpportunityFeature | None, location: Any, position: int = -1,
            **values: Any) -> None:
        severity = self.rules.severity(rule_id)
        if severity == OFF:
            return
        rule = RULES_BY_ID[rule_id]
        label = feature.label() if feature is not None else ""
        fields = {"feature": label, "Feature": _capitalise(label), **values}
        message = f"{rule.message.format(**fields)} {rule.fix.format(**fields)}"
        self.issues.append((position, _RULE_ORDER[rule_id], ValidationIssue(
            feature.fid if feature is not None else None, feature.key if feature is not None else "", label,
            rule_id, severity, message, location)))

    def report(self, checked: int) -> ValidationReport:
        ordered = sorted(self.issues, key=lambda t: (t[0], t[1]))  # stable: pack-level issues first
        return ValidationReport(tuple(i for _, _, i in ordered), checked, tuple(dict.fromkeys(self.notes)))

    def matching(self, codes: Sequence[str], group_ids: Sequence[str], themes: Sequence[str] = ()) -> list[str]:
        """The codes that belong to any of the groups or themes."""
        groups = [self.rules.group(g) for g in group_ids]
        folded = {fold_theme(t) for t in themes}
        return [c for c in codes
                if any(g.matches(c, self._themes.get(c, "")) for g in groups)
                or (folded and fold_theme(self._themes.get(c, "")) in folded)]

    # ------------------------------------------------------------------ measure codes
    def check_codes(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                    where: Sequence[Any]) -> None:
        catalogue = self.pack.measures
        if not catalogue:
            n = sum(1 for c in codes if c)
            if n:
                why = "has an empty measures catalogue" if self.pack.has_catalogue else "has no measures catalogue"
                self.add("no_catalogue", None, None, why=why, count=n)
        known = sorted(catalogue)
        limit = self.rules.max_codes
        for pos, (f, cs, loc) in enumerate(zip(features, codes, where)):
            bad = invalid_codes(cs)
            if bad:
                self.add("malformed_code", f, loc, pos, codes=", ".join(f"'{c}'" for c in bad))
            good = [c for c in cs if c not in bad]
            if not cs:
                self.add("no_codes", f, loc, pos)
            if catalogue and good:
                unknown = [c for c in good if c not in catalogue]
                if unknown:
                    hints = []
                    for c in unknown:
                        close = difflib.get_close_matches(c, known, n=2, cutoff=0.6)
                        if close:
                            hints.append(f"{' or '.join(close)} for {c}")
                    hint = f" (did you mean {'; '.join(hints)}?)" if hints else ""
                    self.add("unknown_code", f, loc, pos, codes=_codes_text(unknown), hint=hint)
            if len(cs) > limit:
                self.add("many_codes", f, loc, pos, count=len(cs), limit=limit)

    def note_unmatched_groups(self) -> None:
        """Say so when a rule's measure group matches nothing in the catalogue (the rule then never fires)."""
        if not self.pack.measures:
            return
        used: dict[str, str] = {}
        if self.on("theme_conflict"):
            for c in self.rules.group_conflicts:
                used.setdefault(c.a, "theme_conflict")
                used.setdefault(c.b, "theme_conflict")
        for rule_id, policies in (("habitat_conflict", self.rules.habitat_conflicts),
                                  ("apib_overlap", self.rules.apib)):
            if self.on(rule_id):
                for p in policies:
                    for g in p.groups:
                        used.setdefault(g, rule_id)
        for gid, rule_id in used.items():
            group = self.rules.group(gid)
            if not self.matching(list(self.pack.measures), [gid]):
                what = ", ".join([*group.codes, *group.themes])
                self.notes.append(f"Rule '{rule_id}': the measure group '{gid}' ({what}) matches no measure of this "
                                  "pack's catalogue, so it was not applied; name the catalogue's own codes or themes "
                                  f"in the pack metadata '{METADATA_KEY}' > groups (see docs/editing.md).")

    # ------------------------------------------------------------------ geometry
    def check_geometry(self, feature: OpportunityFeature, position: int) -> BaseGeometry | None:
        """Geometry issues of one feature; returns its polygonal geometry for the spatial checks
        (repaired when invalid), or None when there is none to use."""
        g = feature.geometry
        if g is None or shapely.is_missing(g) or shapely.is_empty(g):
            self.add("no_geometry", feature, None, position)
            return None
        g = shapely.force_2d(g)
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            kind = {"Point": "point", "MultiPoint": "set of points", "LineString": "line",
                    "MultiLineString": "set of lines", "LinearRing": "ring",
                    "GeometryCollection": "geometry collection"}.get(g.geom_type, g.geom_type)
            self.add("not_polygonal", feature, g, position, kind=kind)
            return None
        reason = str(shapely.is_valid_reason(g))
        if reason != "Valid Geometry":
            where, text = _explain(g, reason)
            self.add("invalid_geometry", feature, where, position, reason=text)
            if where is None:  # non-finite coordinates: nothing can be repaired or located
                return None
            try:
                repaired = polygonal(shapely.make_valid(g))
            except shapely.errors.GEOSException:  # reported above; the other checks need a usable shape
                return None
            if repaired is None:
                return None
            g = repaired
        if not in_england(g):  # the England zone the parcel QA uses too (core/metric/england.py)
            beyond = shapely.difference(g, england_zone())
            c = (beyond if not beyond.is_empty else g).representative_point()
            self.add("outside_england", feature, c, position, x=c.x, y=c.y)
            return None
        return g

    def check_shapes(self, features: Sequence[OpportunityFeature], pos: IntArray, geoms: GeomArray) -> None:
        """Very small polygons and thin parts (warnings)."""
        if not len(geoms):
            return
        areas = shapely.area(geoms)
        if self.on("small_polygon"):
            limit = self.rules.min_area_m2
            for k in np.flatnonzero(areas < limit).tolist():
                p = int(pos[k])
                self.add("small_polygon", features[p], geoms[k], p, area=float(areas[k]), limit=limit)
        if self.on("sliver"):
            parts, owner = shapely.get_parts(geoms, return_index=True)
            perimeter = shapely.length(parts)
            width = np.where(perimeter > 0, 2.0 * shapely.area(parts) / np.maximum(perimeter, 1e-12), 0.0)
            thin = np.flatnonzero(width < self.rules.min_width_m)
            by_owner: dict[int, list[int]] = {}
            for t in thin.tolist():
                by_owner.setdefault(int(owner[t]), []).append(t)
            for k, ts in by_owner.items():
                worst = min(ts, key=lambda t: float(width[t]))
                p = int(pos[k])
                self.add("sliver", features[p], parts[worst], p, count=len(ts), width=float(width[worst]),
                         area=float(shapely.area(parts[worst])), limit=self.rules.min_width_m)
            wide = np.array(sorted(set(range(len(geoms))) - set(by_owner)), dtype=np.int64)
            for k, spikes in zip(wide.tolist(), spikes_of(geoms[wide], self.rules.min_width_m)):
                if spikes:  # wide on average, with a long thin spike
                    worst_spike = min(spikes, key=average_width)
                    p = int(pos[k])
                    self.add("sliver", features[p], worst_spike, p, count=len(spikes),
                             width=average_width(worst_spike), area=float(shapely.area(worst_spike)),
                             limit=self.rules.min_width_m)

    def check_strategy_area(self, features: Sequence[OpportunityFeature], pos: IntArray, geoms: GeomArray) -> None:
        if not self.on("outside_strategy_area") or not len(geoms):
            return
        area = cached_index(self.pack, AREA.name)
        if area is None or not len(area.geoms):
            self.notes.append("The pack has no strategy area, so opportunity areas were not checked against it.")
            return
        coverage = shapely.union_all(area.geoms)
        shapely.prepare(coverage)
        inside = np.asarray(shapely.covers(coverage, geoms), dtype=bool)
        rest = np.flatnonzero(~inside)
        if not len(rest):
            return
        outside = shapely.difference(geoms[rest], coverage)
        out_area = shapely.area(outside)
        total = shapely.area(geoms[rest])
        tolerance_m = self.rules.outside_tolerance_m
        for k, part, a, t in zip(rest.tolist(), outside, out_area.tolist(), total.tolist()):
            if a >= self.rules.outside_tolerance_m2 and a > 0 \
                    and beyond_tolerance(part, tolerance_m) >= self.rules.outside_tolerance_m2:
                p = int(pos[k])
                self.add("outside_strategy_area", features[p], part, p, area=a, share=a / t if t else 1.0)

    # ------------------------------------------------------------------ pack layers
    def check_layers(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                     pos: IntArray, geoms: GeomArray) -> None:
        """Measures that contradict a habitat in the pack, and overlaps the strategy's APIB policy forbids."""
        plans = [(rule_id, p) for rule_id, policies in (("habitat_conflict", self.rules.habitat_conflicts),
                                                        ("apib_overlap", self.rules.apib))
                 if self.on(rule_id) for p in policies]
        if not plans or not len(geoms):
            return
        reported: set[tuple[int, str, int]] = set()  # (feature position, layer, row): one problem, one issue
        for layer_name, column in _TARGET_LAYERS.items():
            wanted = [(r, p, set(p.habitat_types if layer_name == IRREPLACEABLE.name else p.designations))
                      for r, p in plans]
            wanted = [w for w in wanted if w[2]]
            if not wanted:
                continue
            layer = cached_index(self.pack, layer_name)
            if layer is None:
                rules = sorted({r for r, _, _ in wanted})
                self.notes.append(f"The pack has no '{layer_name}' layer, so rule(s) {', '.join(rules)} could not "
                                  "check opportunity areas against it.")
                continue
            values = layer.texts(column)
            qi, ti = layer.tree.query(geoms, predicate="intersects")
            if not len(qi):
                continue
            # which (feature, layer feature) pairs any policy cares about, before computing overlaps
            selected = []
            for rule_id, policy, targets in wanted:
                sel_codes = [self.matching(codes[int(pos[k])], policy.groups, policy.themes) for k in range(len(geoms))]
                relevant = np.array([(policy.any_measure or bool(sel_codes[q])) and values[t] in targets
                                     for q, t in zip(qi.tolist(), ti.tolist())], dtype=bool)
                selected.append((rule_id, policy, sel_codes, relevant))
            need = np.logical_or.reduce([s[3] for s in selected])
            pieces = np.empty(len(qi), dtype=object)
            overlap = np.zeros(len(qi))
            if need.any():
                pieces[need] = shapely.intersection(geoms[qi[need]], layer.geoms[ti[need]])
                overlap[need] = shapely.area(pieces[need])
            for rule_id, policy, sel_codes, relevant in selected:
                hits: dict[int, list[int]] = {}
                for j in np.flatnonzero(relevant & (overlap >= policy.tolerance_m2) & (overlap > 0)).tolist():
                    q, t = int(qi[j]), int(ti[j])
                    key = (int(pos[q]), layer_name, int(layer.rows[t]))
                    if key in reported:
                        continue
                    reported.add(key)
                    hits.setdefault(q, []).append(j)
                for q, js in hits.items():
                    p = int(pos[q])
                    js.sort(key=lambda j: -float(overlap[j]))
                    names = unique_labels([self.target_label(layer, layer_name, int(ti[j])) for j in js])
                    target = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                    area, location = covered_area(pieces[js])  # an SSSI and a SAC on one wood: counted once
                    if rule_id == "habitat_conflict":
                        labels = self.group_labels(policy, sel_codes[q])
                        self.add(rule_id, features[p], location, p, codes=_codes_text(sel_codes[q]), group=labels,
                                 area=area, target=target, reason=policy.reason or "the strategy forbids it",
                                 layer=layer_name)
                    else:
                        what = ("opportunity areas" if policy.any_measure else
                                f"measures for {self.group_labels(policy, sel_codes[q])} (here "
                                f"{_codes_text(sel_codes[q])})")
                        self.add(rule_id, features[p], location, p, target=target, area=area, what=what,
                                 reason=f": {policy.reason}" if policy.reason else "", layer=layer_name)

    def group_labels(self, policy: OverlapPolicy, codes: Sequence[str]) -> str:
        labels = [self.rules.group(g).label for g in policy.groups if self.matching(codes, [g])]
        labels += [f"the {t} theme" for t in policy.themes if self.matching(codes, [], [t])]
        return " / ".join(dict.fromkeys(labels)) or "these measures"

    @staticmethod
    def target_label(layer: Any, layer_name: str, k: int) -> tuple[str, str]:
        """(what it is, its title); an untitled feature: (what and its fid, "")."""
        cols, row = layer.columns, int(layer.rows[k])
        title = _text(cols["name"][row]).strip() or _text(cols["ref"][row]).strip()
        if layer_name == IRREPLACEABLE.name:
            kind = _text(cols["habitat_type"][row])
            what = IRREPLACEABLE_TYPES.get(kind, kind or "irreplaceable habitat")
            what = what[:1].lower() + what[1:]
        else:
            what = _text(cols["designation"][row]) or "designated site"
        return (what, title) if title else (f"{what} {int(layer.fids[k])}", "")

    # ------------------------------------------------------------------ other opportunity areas
    def check_own_conflicts(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                            where: Sequence[Any]) -> None:
        if not self.on("theme_conflict"):
            return
        for p, (f, cs) in enumerate(zip(features, codes)):
            for conflict in self.rules.group_conflicts:
                a, b = self.matching(cs, [conflict.a]), self.matching(cs, [conflict.b])
                if a and b and (set(a) != set(b) or len(a) > 1):
                    b = [c for c in b if c not in a] or b
                    self.add("theme_conflict", f, where[p], p, codes_a=_codes_text(a),
                             group_a=self.rules.group(conflict.a).label, codes_b=_codes_text(b),
                             group_b=self.rules.group(conflict.b).label, other="", reason=conflict.reason)

    def check_others(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                     pos: IntArray, geoms: GeomArray, exclude_fids: Collection[int]) -> None:
        """Contradictory measures on overlapping polygons, duplicate polygons and narrow gaps between areas."""
        dup_on, theme_on = self.on("duplicate_geometry"), self.on("theme_conflict") and bool(self.rules.group_conflicts)
        if not (dup_on or theme_on or self.on("gap")) or not len(geoms):
            return
        others: list[_Other] = [_Other(features[int(p)], codes[int(p)], int(p)) for p in pos.tolist()]
        all_geoms = list(geoms)
        skip = {f.fid for f in features if f.fid is not None} | {int(x) for x in exclude_fids}
        layer = cached_index(self.pack, OPPORTUNITY.name)
        if layer is not None:  # only the map's areas within reach of the checked ones (through its index)
            cols = layer.columns
            reach = max(self.rules.max_gap_m, 0.0) if self.on("gap") else 0.0
            for k in nearby(layer, geoms, reach).tolist():
                row, fid = int(layer.rows[k]), int(layer.fids[k])
                if fid in skip:
                    continue
                f = OpportunityFeature(int(fid), _text(cols["measures"][row]), layer.geoms[k],
                                       _text(cols["name"][row]), _text(cols["ref"][row]), str(int(fid)))
                others.append(_Other(f, f.codes(), None))
                all_geoms.append(layer.geoms[k])
        pool = np.empty(len(all_geoms), dtype=object)
        pool[:] = all_geoms
        self.check_gaps(others, pool, geoms)
        qi, ti = shapely.STRtree(pool).query(geoms, predicate="intersects")
        keep = np.array([q != t and (others[t].position is None or q < t) for q, t in zip(qi.tolist(), ti.tolist())],
                        dtype=bool)
        qi, ti = qi[keep], ti[keep]
        if not len(qi):
            return
        areas = shapely.area(pool)
        a_q, a_t = areas[qi], areas[ti]
        share = self.rules.duplicate_share
        dup_cand = (np.minimum(a_q, a_t) >= share * np.maximum(a_q, a_t)) if dup_on else np.zeros(len(qi), bool)
        groups_of = [{c.a: self.matching(o.codes, [c.a]) for c in self.rules.group_conflicts} |
                     {c.b: self.matching(o.codes, [c.b]) for c in self.rules.group_conflicts} for o in others] \
            if theme_on else []
        theme_cand = np.zeros(len(qi), dtype=bool)
        if theme_on:
            for j, (q, t) in enumerate(zip(qi.tolist(), ti.tolist())):
                gq, gt = groups_of[q], groups_of[t]
                theme_cand[j] = any((gq[c.a] and gt[c.b]) or (gq[c.b] and gt[c.a]) for c in self.rules.group_conflicts)
        need = dup_cand | theme_cand
        if not need.any():
            return
        inter = np.empty(len(qi), dtype=object)
        inter[need] = shapely.intersection(pool[qi[need]], pool[ti[need]])
        shared = np.zeros(len(qi))
        shared[need] = shapely.area(inter[need])
        for j in np.flatnonzero(need).tolist():
            q, t = int(qi[j]), int(ti[j])
            mine, other = others[q], others[t]
            p = int(mine.position if mine.position is not None else -1)
            if dup_cand[j] and shared[j] >= share * max(float(a_q[j]), float(a_t[j])) and shared[j] > 0:
                same = geometry_sha256(pool[q]) == geometry_sha256(pool[t])
                how = "the same" if same else f"almost the same ({shared[j] / max(float(a_q[j]), 1e-12):.1%} shared)"
                self.add("duplicate_geometry", mine.feature, pool[q], p, how=how, other=other.feature.label())
            if theme_cand[j] and shared[j] >= self.rules.overlap_tolerance_m2 and shared[j] > 0:
                for c in self.rules.group_conflicts:
                    for ga, gb in ((c.a, c.b), (c.b, c.a)):
                        mine_codes, their_codes = groups_of[q][ga], groups_of[t][gb]
                        if mine_codes and their_codes:
                            self.add("theme_conflict", mine.feature, inter[j], p, codes_a=_codes_text(mine_codes),
                                     group_a=self.rules.group(ga).label, codes_b=_codes_text(their_codes),
                                     group_b=self.rules.group(gb).label,
                                     other=f" of {other.feature.label()} ({float(shared[j]):,.0f} m² shared)",
                                     reason=c.reason)
                            break


    def check_gaps(self, others: Sequence[_Other], pool: GeomArray, geoms: GeomArray) -> None:
        """A warning for each checked area within ``max_gap_m`` of another it does not touch."""
        limit = self.rules.max_gap_m
        if not self.on("gap") or limit <= 0:
            return
        qi, ti = shapely.STRtree(pool).query(geoms, predicate="dwithin", distance=limit)
        if not len(qi):
            return
        gaps = shapely.distance(pool[qi], pool[ti])  # at once: neighbours that touch are most pairs
        for q, t, gap in zip(qi.tolist(), ti.tolist(), gaps.tolist()):
            if q == t or (others[t].position is not None and t < q):
                continue  # itself, or a pair of checked areas already seen the other way round
            if gap > TOUCHING_M:
                mine = others[q]
                self.add("gap", mine.feature, shapely.shortest_line(pool[q], pool[t]),
                         int(mine.position if mine.position is not None else -1), gap=gap, limit=limit,
                         other=others[t].feature.label())


def _explain(geom: BaseGeometry, reason: str) -> tuple[BaseGeometry | None, str]:
    """GEOS's reason ("Self-intersection[5 5]") as words and a point to zoom to (None for NaN/inf)."""
    m = _LOCATION.search(reason)
    words = _LOCATION.sub("", reason).strip().lower() or "invalid"
    if m is None:
        return geom.representative_point(), words
    try:
        x, y = float(m.group(1)), float(m.group(2))
    except ValueError:
        x = y = float("nan")
    if not (np.isfinite(x) and np.isfinite(y)):
        return None, f"{words} (a vertex has a coordinate that is not a number)"
    return Point(x, y), f"{words} at {x:,.2f}, {y:,.2f}"


def validate_features(features: Sequence[OpportunityFeature], pack: PackData,
                      rules: OpportunityRules | None = None, *,
                      exclude_fids: Collection[int] = ()) -> ValidationReport:
    """Check ``features`` (edited or new opportunity areas) against ``pack``.

    ``rules`` defaults to the pack's own (:meth:`OpportunityRules.from_pack`). A feature with a
    pack fid stands in for the pack's feature of that fid when polygons are compared with each
    other; ``exclude_fids`` are pack features being deleted in the same save (left out of those
    comparisons). Issues come in feature order, pack-level issues first.
    """
    active = rules if rules is not None else OpportunityRules.from_pack(pack)
    checker = _Checker(pack, active)
    codes = [f.codes() for f in features]
    usable = [checker.check_geometry(f, p) for p, f in enumerate(features)]
    checker.check_codes(features, codes, usable)
    checker.check_own_conflicts(features, codes, usable)
    pos = np.array([p for p, g in enumerate(usable) if g is not None], dtype=np.int64)
    geoms: GeomArray = np.empty(len(pos), dtype=object)
    geoms[:] = [usable[p] for p in pos.tolist()]
    checker.check_shapes(features, pos, geoms)
    checker.check_strategy_area(features, pos, geoms)
    checker.check_layers(features, codes, pos, geoms)
    checker.check_others(features, codes, pos, geoms, exclude_fids)
    checker.note_unmatched_groups()
    return checker.report(len(features))


def validate_pack(pack: PackData, rules: OpportunityRules | None = None) -> ValidationReport:
    """Check every opportunity area of ``pack``; refuses (PackError) a layer the reader could not use."""
    if OPPORTUNITY.name in pack.unchecked:  # validating without its rows would report a clean map
        raise PackError(pack.unchecked[OPPORTUNITY.name])
    return validate_features(opportunity_features(pack), pack, rules)
