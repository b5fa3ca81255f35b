"""Comparing two versions of a pack: what changed in the opportunity layer, and whose answers change.

Opportunity areas are matched by their feature id (fid) in the pack, which check-in keeps stable;
measure codes are compared as sets (order and spelling of separators do not matter). Previously
screened sites are re-screened against both versions with the same engine
(:func:`.screening.screen_sites`), and a site is listed when its verdict, strategic significance
category or mapped measure codes differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import shapely

from ..errors import InputError, PackError
from ..pack.content_hash import layer_digest
from ..pack.measure_codes import parse_measure_codes
from ..pack.model import PackData, PackLayer
from ..pack.schema import METADATA, OPPORTUNITY, TABLES
from ..screening.engine import PackIndex, screen_sites
from ..screening.options import ScreeningOptions
from ..screening.results import ScreeningResult, SiteError

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
#: Metadata keys every publication changes; other metadata changes are listed.
_PUBLICATION_KEYS = frozenset({"version", "publication_date", "content_sha256", "published_content_sha256"})


@dataclass(frozen=True)
class OpportunityChange:
    """One opportunity area added, removed or changed between the two versions (matched by fid)."""

    fid: int
    kind: str  # added | removed | changed
    name: str
    ref: str
    old_codes: tuple[str, ...]
    new_codes: tuple[str, ...]
    codes_added: tuple[str, ...]
    codes_removed: tuple[str, ...]
    geometry_changed: bool
    attributes_changed: tuple[str, ...]  # other columns that changed (name, ref)
    old_area_m2: float
    new_area_m2: float
    geometry: Any  # the newer geometry (the old one for a removed area), EPSG:27700
    old_geometry: Any

    @property
    def area_difference_m2(self) -> float:
        return self.new_area_m2 - self.old_area_m2

    @property
    def codes_changed(self) -> bool:
        return bool(self.codes_added or self.codes_removed)

    def label(self) -> str:
        named = f" \u2018{self.name}\u2019" if self.name else (f" ({self.ref})" if self.ref else "")
        return f"opportunity area {self.fid}{named}"

    def describe(self) -> str:
        if self.kind == ADDED:
            return (f"{self.label()}: added with codes {_codes(self.new_codes)}, "
                    f"{self.new_area_m2:,.1f} m\u00b2.")
        if self.kind == REMOVED:
            return (f"{self.label()}: removed (had codes {_codes(self.old_codes)}, "
                    f"{self.old_area_m2:,.1f} m\u00b2).")
        parts = []
        if self.codes_added:
            parts.append(f"codes added {_codes(self.codes_added)}")
        if self.codes_removed:
            parts.append(f"codes removed {_codes(self.codes_removed)}")
        if self.geometry_changed:
            parts.append(f"geometry changed ({self.area_difference_m2:+,.1f} m\u00b2: {self.old_area_m2:,.1f} \u2192 "
                         f"{self.new_area_m2:,.1f} m\u00b2)")
        if self.attributes_changed:
            parts.append(f"{' and '.join(self.attributes_changed)} changed")
        return f"{self.label()}: {'; '.join(parts)}."


@dataclass(frozen=True)
class CodeAreaChange:
    """Area where a measure code is mapped in one version and not the other."""

    code: str
    text: str  # catalogue text ("" when the code is not in either catalogue)
    gained_m2: float
    lost_m2: float

    @property
    def net_m2(self) -> float:
        return self.gained_m2 - self.lost_m2


@dataclass(frozen=True)
class TableChange:
    name: str
    title: str
    old_rows: int | None  # None: the table is absent from that version
    new_rows: int | None


@dataclass(frozen=True)
class SiteChange:
    """A previously screened site whose answer differs between the two versions."""

    site_ref: str
    index: int  # position in the input
    old_verdict: str
    new_verdict: str
    old_category: str  # High | Medium | Low | "" (not assessed)
    new_category: str
    old_codes: tuple[str, ...]
    new_codes: tuple[str, ...]
    changed: tuple[str, ...]  # among "verdict", "strategic significance", "measures"
    geometry: Any

    def describe(self) -> str:
        parts = []
        if "verdict" in self.changed:
            parts.append(f"verdict {self.old_verdict} \u2192 {self.new_verdict}")
        if "strategic significance" in self.changed:
            parts.append(f"strategic significance {self.old_category or 'not assessed'} \u2192 "
                         f"{self.new_category or 'not assessed'}")
        if "measures" in self.changed:
            parts.append(f"measures {_codes(self.old_codes)} \u2192 {_codes(self.new_codes)}")
        return f"Site {self.site_ref}: {'; '.join(parts)}."


@dataclass(frozen=True)
class SitesComparison:
    checked: int
    not_screened: int  # sites neither version could screen (no usable geometry)
    changes: tuple[SiteChange, ...]


@dataclass(frozen=True)
class VersionComparison:
    name: str  # the Local Habitat Map's name
    from_label: str
    to_label: str
    from_sha256: str
    to_sha256: str
    changes: tuple[OpportunityChange, ...]
    unchanged: int
    code_areas: tuple[CodeAreaChange, ...]
    other_tables: tuple[TableChange, ...]
    metadata_changes: tuple[tuple[str, str, str], ...]  # (key, old, new), publication keys left out
    has_opportunity_layer: bool
    sites: SitesComparison | None = None

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def identical(self) -> bool:
        return not (self.changes or self.other_tables or self.metadata_changes)


def _codes(codes: Sequence[str]) -> str:
    return ";".join(codes) if codes else "(none)"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _usable(geoms: Any) -> Any:
    """Geometries safe for overlay: invalid ones repaired, missing ones empty."""
    arr = np.array([shapely.Polygon() if g is None else g for g in geoms], dtype=object)
    if len(arr):
        bad = ~shapely.is_valid(arr)
        if bad.any():
            arr[bad] = shapely.make_valid(arr[bad])
    return arr


def _geometry_keys(geoms: Any) -> list[bytes]:
    """Normalised 2D WKB (a Polygon and its one-part MultiPolygon alike), as the content hash sees them."""
    arr = np.asarray(geoms, dtype=object)
    out: list[bytes] = [b""] * len(arr)
    present = np.array([g is not None and not g.is_empty for g in arr], dtype=bool)
    if present.any():
        good = arr[present].copy()
        single = np.flatnonzero(shapely.get_type_id(good) == 3)
        if len(single):
            good[single] = shapely.multipolygons(good[single].reshape(-1, 1))
        wkbs = shapely.to_wkb(shapely.normalize(good), output_dimension=2, byte_order=1)
        for i, w in zip(np.flatnonzero(present), wkbs):
            out[int(i)] = bytes(w)
    return out


@dataclass(frozen=True)
class _Rows:
    fids: list[int]
    geoms: Any
    codes: list[tuple[str, ...]]
    names: list[str]
    refs: list[str]
    keys: list[bytes]
    areas: Any

    @classmethod
    def of(cls, layer: PackLayer | None) -> _Rows:
        if layer is None or not len(layer):
            return cls([], np.empty(0, dtype=object), [], [], [], [], np.empty(0))
        geoms = np.asarray(layer.geoms if layer.geoms is not None else [None] * len(layer), dtype=object)
        usable = _usable(geoms)
        return cls([int(f) for f in layer.fids], usable,
                    [parse_measure_codes(v) for v in layer.column("measures")],
                    [_text(v) for v in layer.column("name")], [_text(v) for v in layer.column("ref")],
                    _geometry_keys(geoms), shapely.area(usable))


def _opportunity_changes(old: _Rows, new: _Rows) -> tuple[list[OpportunityChange], int]:
    old_at = {f: i for i, f in enumerate(old.fids)}
    new_at = {f: i for i, f in enumerate(new.fids)}
    changes: list[OpportunityChange] = []
    unchanged = 0
    for fid in sorted(set(old_at) | set(new_at)):
        i, j = old_at.get(fid), new_at.get(fid)
        if i is None and j is not None:
            changes.append(OpportunityChange(fid, ADDED, new.names[j], new.refs[j], (), new.codes[j], new.codes[j],
                                             (), True, (), 0.0, float(new.areas[j]), new.geoms[j], None))
        elif j is None and i is not None:
            changes.append(OpportunityChange(fid, REMOVED, old.names[i], old.refs[i], old.codes[i], (), (),
                                             old.codes[i], True, (), float(old.areas[i]), 0.0, old.geoms[i],
                                             old.geoms[i]))
        elif i is not None and j is not None:
            before, after = set(old.codes[i]), set(new.codes[j])
            added = tuple(c for c in new.codes[j] if c not in before)
            removed = tuple(c for c in old.codes[i] if c not in after)
            moved = old.keys[i] != new.keys[j]
            attrs = tuple(name for name, a, b in (("name", old.names[i], new.names[j]), ("ref", old.refs[i],
                                                                                       new.refs[j])) if a != b)
            if not (added or removed or moved or attrs):
                unchanged += 1
                continue
            changes.append(OpportunityChange(fid, CHANGED, new.names[j] or old.names[i], new.refs[j] or old.refs[i],
                                             old.codes[i], new.codes[j], added, removed, moved, attrs,
                                             float(old.areas[i]), float(new.areas[j]), new.geoms[j], old.geoms[i]))
    return changes, unchanged


def _code_areas(old: _Rows, new: _Rows, changes: Sequence[OpportunityChange],
                catalogue: Mapping[str, str]) -> list[CodeAreaChange]:
    """Per code, the area mapped only in the newer version (gained) and only in the older (lost).

    Outside the changed areas both versions are the same, so the overlay is limited to them.
    """
    touched = [c for c in changes if c.codes_changed or c.geometry_changed]
    if not touched:
        return []
    codes: dict[str, None] = {}
    for c in touched:
        for code in (*c.codes_added, *c.codes_removed, *(c.old_codes + c.new_codes if c.geometry_changed else ())):
            codes.setdefault(code, None)
    region = shapely.union_all(_usable([g for c in touched for g in (c.geometry, c.old_geometry) if g is not None]))
    shapely.prepare(region)
    near_old = shapely.intersects(region, old.geoms) if len(old.fids) else np.zeros(0, dtype=bool)
    near_new = shapely.intersects(region, new.geoms) if len(new.fids) else np.zeros(0, dtype=bool)

    def cover(rows: _Rows, near: Any, code: str) -> Any:
        picked = [rows.geoms[k] for k in np.flatnonzero(near) if code in rows.codes[k]]
        return shapely.intersection(shapely.union_all(picked), region) if picked else shapely.Polygon()

    out = []
    for code in sorted(codes):
        before, after = cover(old, near_old, code), cover(new, near_new, code)
        gained = float(shapely.area(shapely.difference(after, before)))
        lost = float(shapely.area(shapely.difference(before, after)))
        if gained > 1e-6 or lost > 1e-6:
            out.append(CodeAreaChange(code, catalogue.get(code, ""), gained, lost))
    return out


def _other_tables(old: PackData, new: PackData) -> list[TableChange]:
    out = []
    for spec in TABLES:
        if spec is METADATA or spec is OPPORTUNITY:
            continue
        a, b = old.layers.get(spec.name), new.layers.get(spec.name)
        if a is None and b is None:
            continue
        if a is not None and b is not None and layer_digest(spec, a) == layer_digest(spec, b):
            continue
        out.append(TableChange(spec.name, spec.title, None if a is None else len(a), None if b is None else len(b)))
    return out


def _metadata_changes(old: PackData, new: PackData) -> list[tuple[str, str, str]]:
    a, b = old.metadata.as_pairs(), new.metadata.as_pairs()
    return [(k, a.get(k, ""), b.get(k, "")) for k in sorted(set(a) | set(b))
            if k not in _PUBLICATION_KEYS and a.get(k, "") != b.get(k, "")]


def compare_packs(old: PackData, new: PackData, from_label: str, to_label: str) -> VersionComparison:
    """What changed from ``old`` to ``new`` (two versions of the same pack)."""
    old_rows, new_rows = _Rows.of(old.layer(OPPORTUNITY.name)), _Rows.of(new.layer(OPPORTUNITY.name))
    changes, unchanged = _opportunity_changes(old_rows, new_rows)
    catalogue = {code: m.text for code, m in old.measures.items()}
    catalogue.update({code: m.text for code, m in new.measures.items()})
    return VersionComparison(
        new.metadata.lnrs_name or old.metadata.lnrs_name, from_label, to_label, old.metadata.content_sha256,
        new.metadata.content_sha256, tuple(changes), unchanged,
        tuple(_code_areas(old_rows, new_rows, changes, catalogue)), tuple(_other_tables(old, new)),
        tuple(_metadata_changes(old, new)),
        OPPORTUNITY.name in old.layers or OPPORTUNITY.name in new.layers)


def _answer(result: ScreeningResult | SiteError) -> tuple[str, str, tuple[str, ...]]:
    if isinstance(result, SiteError):
        return "not screened", "", ()
    return result.verdict, result.strategic_significance.category or "", tuple(sorted(result.measure_codes))


def compare_sites(old: PackIndex, new: PackIndex, geometries: Sequence[Any], refs: Sequence[str],
                  options: ScreeningOptions | None = None, proposed_habitat: str | None = None,
                  is_cancelled: Callable[[], bool] = lambda: False,
                  progress: Callable[[float], None] = lambda _p: None) -> SitesComparison:
    """Re-screen ``geometries`` (EPSG:27700) against both versions; the sites whose answers differ."""
    before = screen_sites(old, geometries, refs, options, proposed_habitat, is_cancelled=is_cancelled,
                          progress=lambda p: progress(p / 2))
    after = screen_sites(new, geometries, refs, options, proposed_habitat, is_cancelled=is_cancelled,
                         progress=lambda p: progress(50 + p / 2))
    changes = []
    not_screened = 0
    for k, (a, b) in enumerate(zip(before, after)):
        if isinstance(a, SiteError) and isinstance(b, SiteError):
            not_screened += 1
            continue
        (v0, c0, m0), (v1, c1, m1) = _answer(a), _answer(b)
        changed = tuple(what for what, x, y in (("verdict", v0, v1), ("strategic significance", c0, c1),
                                                 ("measures", m0, m1)) if x != y)
        if changed:
            changes.append(SiteChange(refs[k], k, v0, v1, c0, c1, m0, m1, changed, geometries[k]))
    return SitesComparison(len(before), not_screened, tuple(changes))


@dataclass(frozen=True)
class SitesToCheck:
    """Previously screened sites, already in EPSG:27700 (None for a site without a usable geometry)."""

    refs: tuple[str, ...]
    geometries: tuple[Any, ...]
    options: ScreeningOptions = field(default_factory=ScreeningOptions)
    proposed_habitat: str | None = None


def check_version_pair(from_version: int, to_version: int | None) -> None:
    """Refuse comparing a version with itself (``to_version`` None is the current state)."""
    if to_version is not None and to_version == from_version:
        raise InputError(f"Choose two different versions to compare (both are version {from_version}).")


def compare_versions(old: PackData, old_label: str, new: PackData, new_label: str, sites: SitesToCheck | None = None,
                     is_cancelled: Callable[[], bool] = lambda: False,
                     progress: Callable[[float], None] = lambda _p: None) -> VersionComparison:
    """The comparison of two loaded versions; with ``sites``, each re-screened against both.

    Refuses (PackError) a state with a table the reader could not use: its rows would look removed.
    """
    for label, pack in ((old_label, old), (new_label, new)):
        if pack.unchecked:
            raise PackError(f"The {label} cannot be compared: {next(iter(pack.unchecked.values()))}")
    comparison = compare_packs(old, new, old_label, new_label)
    if sites is None or is_cancelled():
        progress(100)
        return comparison
    checked = compare_sites(PackIndex.build(old), PackIndex.build(new), list(sites.geometries), list(sites.refs),
                            sites.options, sites.proposed_habitat, is_cancelled, progress)
    return replace(comparison, sites=checked)


def comparison_json(comparison: VersionComparison) -> str:
    """The comparison without geometries, as JSON (for tests, logs and scripts)."""
    c = comparison
    payload = {
        "name": c.name, "from": c.from_label, "to": c.to_label, "from_sha256": c.from_sha256,
        "to_sha256": c.to_sha256, "matched_by": "fid", "unchanged": c.unchanged,
        "counts": {k: c.count(k) for k in (ADDED, REMOVED, CHANGED)},
        "changes": [{"fid": x.fid, "kind": x.kind, "old_codes": list(x.old_codes), "new_codes": list(x.new_codes),
                     "codes_added": list(x.codes_added), "codes_removed": list(x.codes_removed),
                     "geometry_changed": x.geometry_changed, "area_difference_m2": round(x.area_difference_m2, 4)}
                    for x in c.changes],
        "code_areas": [{"code": a.code, "gained_m2": round(a.gained_m2, 4), "lost_m2": round(a.lost_m2, 4)}
                       for a in c.code_areas],
        "other_tables": [t.name for t in c.other_tables],
        "sites": None if c.sites is None else {
            "checked": c.sites.checked, "not_screened": c.sites.not_screened,
            "changes": [{"site_ref": s.site_ref, "changed": list(s.changed), "verdict": [s.old_verdict, s.new_verdict],
                         "category": [s.old_category, s.new_category],
                         "measures": [list(s.old_codes), list(s.new_codes)]} for s in c.sites.changes]},
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)
