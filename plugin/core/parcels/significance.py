"""Strategic significance for every feature of a metric survey, split where significance or authority changes.

Pure core: features are shapely geometries in EPSG:27700 (area habitat polygons, hedgerow and
watercourse lines, individual tree points) with a few attribute values; the result is a list of
:class:`ParcelPiece` (one or more per feature) plus the QA issues of :mod:`.qa`. See docs/parcels.md.

Which categories may be given follows the user guide's Table 7 (the pack's LNRS is published) or
Table 8 (not yet published) for the phase (:mod:`..metric.significance_rules`):

- High: the union of opportunity polygons mapping a measure the feature's habitat delivers (the
  catalogue's delivering habitats, any module); with no catalogue, any mapped measure (said in a note).
  Never at baseline under Table 7.
- Medium: the pack's ``interim_strategy`` areas outside High, under Table 8 only.
- Low: everything else.

Polygons are cut into polygons, lines into lines (lengths in km), trees take the zone they stand in.
Pieces with no area / length are dropped, so the pieces add up to their feature. A High piece on an
area of particular importance (designated site, Local Wildlife Site, irreplaceable habitat) gets the
footnote 6 warning ``HIGH_ON_APIB``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ..metric.habitats import Habitat, HabitatTable, default_table
from ..metric.module_types import AREA, LINEAR_TYPES, MODULE_BROAD, TREE, delivers, linear_type
from ..metric.significance import HIGH, LOW, MEDIUM, TREE_HIGH, SignificanceCategory
from ..metric.significance_rules import PUBLISHED, SignificanceRule, significance_rule
from ..pack.model import PackMetadata
from ..pack.store import Cancelled
from ..screening.engine import LayerIndex, PackIndex
from .authorities import authorities_to_use
from .model import Parcel
from .qa import HIGH_ON_APIB, QaIssue, QaOptions, RedLine, check_parcels, is_null, issue

#: Pieces smaller than this (m² for polygons, m for lines) are geometric noise from the overlay and are dropped.
MIN_PIECE_M2 = 1e-6
MIN_PIECE_M = 1e-6
#: Overlap with a pack irreplaceable or designated polygon that counts: 1 m² of a polygon, 0.1 m of a line.
IRREPLACEABLE_MIN_M2 = 1.0
APIB_MIN_M = 0.1
#: Share of the progress (0-100) reported once the QA is done; the features share the rest.
QA_SHARE = 20.0
_POLYGONS, _LINES, _POINTS = ("Polygon", "MultiPolygon"), ("LineString", "MultiLineString", "LinearRing"), \
    ("Point", "MultiPoint")


@dataclass(frozen=True)
class ParcelPiece:
    parent: int  # index of the feature in the input
    ref: str
    geometry: BaseGeometry
    area_m2: float  # 0 for lines and trees
    category: str | None
    multiplier: float | None
    metric_text: str | None
    measure_codes: tuple[str, ...]
    lpa: str | None
    habitat_label: str | None  # the metric label (or hedgerow / watercourse type) the habitat resolved to
    broad_habitat: str | None
    irreplaceable: bool
    irreplaceable_text: str
    module: str = AREA
    layer: str = ""
    length_m: float = 0.0  # lines only

    @property
    def length_km(self) -> float:
        return self.length_m / 1000.0

    @property
    def area_ha(self) -> float:
        return self.area_m2 / 10000.0


@dataclass(frozen=True)
class ParcelResult:
    pieces: tuple[ParcelPiece, ...]
    issues: tuple[QaIssue, ...]
    notes: tuple[str, ...] = field(default=())
    rule: SignificanceRule | None = None

    def pieces_of(self, parent: int) -> tuple[ParcelPiece, ...]:
        return tuple(p for p in self.pieces if p.parent == parent)

    @property
    def errors(self) -> tuple[QaIssue, ...]:
        return tuple(i for i in self.issues if i.severity == "error")


def piece_refs(parent_ref: str, n: int) -> list[str]:
    """``P1`` for a single piece, else ``P1-a``, ``P1-b``, ... (``P1-aa`` after ``z``)."""
    if n <= 1:
        return [parent_ref]
    letters = string.ascii_lowercase
    out = []
    for i in range(n):
        suffix = letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]
        out.append(f"{parent_ref}-{suffix}")
    return out


def resolve_label(table: HabitatTable, habitat: str | None, broad: str | None) -> tuple[Habitat | None, str | None]:
    """(metric habitat, broad habitat) for a parcel's habitat text, using its broad habitat field if any."""
    if is_null(habitat):
        return None, table.broad(broad) if not is_null(broad) else None  # type: ignore[arg-type]
    text = str(habitat)
    if not is_null(broad):
        hab = table.get(f"{broad} - {text}")
        if hab is not None:
            return hab, hab.broad_habitat
    resolved = table.resolve(text)
    if resolved is None:
        return None, None
    return resolved.habitat, resolved.broad_habitat


def strategy_rule(metadata: PackMetadata, phase: str) -> tuple[SignificanceRule, tuple[str, ...]]:
    """The Table 7 / Table 8 rule for the pack's LNRS status (Table 7 when the pack does not say, with a note)."""
    status = metadata.lnrs_status
    notes: tuple[str, ...] = ()
    if not status:
        status = PUBLISHED
        notes = ("The pack does not say whether its LNRS is published, so the published-strategy rules (Table 7) "
                 "were applied: baseline Low, Medium not used. Rebuild the pack with LNRS_STATUS=not_published if "
                 "the strategy is still a draft.",)
    rule = significance_rule(status, phase)
    when = f", published {metadata.lnrs_published_date}" if metadata.lnrs_published_date else ""
    return rule, (*notes, f"{rule.table} of the metric user guide ({rule.status.replace('_', ' ')}{when}, "
                          f"{rule.phase}): {rule.guide}")


def _dimension(module: str) -> tuple[str, ...]:
    return _POLYGONS if module == AREA else _POINTS if module == TREE else _LINES


def _measure(geom: BaseGeometry, module: str) -> float:
    return float(geom.area) if module == AREA else 1.0 if module == TREE else float(geom.length)


def _part(geom: BaseGeometry | None, module: str) -> BaseGeometry | None:
    """The part of ``geom`` of the module's dimension, None when nothing of it is left."""
    if geom is None or geom.is_empty:
        return None
    kinds = _dimension(module)
    if geom.geom_type in kinds:
        out = geom
    else:
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in kinds]
        if not parts:
            return None
        out = parts[0] if len(parts) == 1 else shapely.union_all(parts)
    if module == AREA and out.area <= MIN_PIECE_M2:
        return None
    if module != AREA and module != TREE:
        out = shapely.line_merge(out) if out.geom_type == "MultiLineString" else out
        if out.length <= MIN_PIECE_M:
            return None
    return out


def _hits(layer: LayerIndex | None, geom: BaseGeometry) -> list[int]:
    if layer is None or len(layer.geoms) == 0:
        return []
    return [int(k) for k in layer.tree.query(geom, predicate="intersects")]


def _cut(pieces: list[tuple[BaseGeometry, Any]], zone: BaseGeometry | None, module: str,
         label: Callable[[Any, bool], Any]) -> list[tuple[BaseGeometry, Any]]:
    """Split every piece by ``zone``: inside pieces get ``label(tag, True)``, outside ``label(tag, False)``."""
    if zone is None or zone.is_empty:
        return [(g, label(t, False)) for g, t in pieces]
    out = []
    for g, t in pieces:
        if module == TREE:
            out.append((g, label(t, bool(shapely.intersects(zone, g)))))
            continue
        if shapely.covers(zone, g):  # fast paths: wholly inside or outside (prepared zones answer quickly)
            out.append((g, label(t, True)))
            continue
        if not shapely.intersects(zone, g):
            out.append((g, label(t, False)))
            continue
        inside = _part(shapely.intersection(g, zone), module)
        outside = _part(shapely.difference(g, zone), module)
        if inside is not None:
            out.append((inside, label(t, True)))
        if outside is not None:
            out.append((outside, label(t, False)))
    return out


def _lpa_label(name: str) -> Callable[[Any, bool], Any]:
    """Inside the authority: its name, unless an earlier authority already holds the piece (a line along
    a shared boundary belongs to the first authority listed, never to both)."""
    def label(tag: Any, inside: bool) -> Any:
        return (tag[0], tag[1] or name if inside else tag[1])
    return label


@dataclass(frozen=True)
class _Feature:
    habitat: Habitat | None
    broad: str | None
    type_label: str | None  # hedgerow / watercourse type
    known: bool  # the habitat resolved to something of the metric

    @property
    def label(self) -> str | None:
        return self.habitat.label if self.habitat is not None else self.type_label


def _resolve(table: HabitatTable, p: Parcel) -> _Feature:
    if p.module in LINEAR_TYPES:
        t = None if is_null(p.habitat) else linear_type(str(p.habitat), p.module)
        return _Feature(None, MODULE_BROAD[p.module], t.label if t else None, t is not None)
    if p.module == TREE:
        hab, _ = resolve_label(table, p.habitat, MODULE_BROAD[TREE])
        return _Feature(hab if hab is not None and hab.broad_habitat == MODULE_BROAD[TREE] else None,
                        MODULE_BROAD[TREE], None, True)
    hab, broad = resolve_label(table, p.habitat, p.broad_habitat)
    return _Feature(hab, broad, None, broad is not None)


def assess_parcels(index: PackIndex, parcels: Sequence[Parcel], red_line: RedLine | BaseGeometry | None = None,
                   lpas: Sequence[tuple[str, BaseGeometry]] | None = None, table: HabitatTable | None = None,
                   qa: QaOptions | None = None, *, phase: str, whole_file: bool = False,
                   iggis: Sequence[Parcel] = (), is_cancelled: Callable[[], bool] = lambda: False,
                   progress: Callable[[float], None] = lambda _p: None) -> ParcelResult:
    """Split, categorise and check ``parcels`` (any module) against the pack behind ``index`` for ``phase``;
    ``iggis`` (IGGI polygons) are only checked against the red line.

    ``lpas``: the authorities to split by; ``None`` (none given) takes the pack's ``lpa_boundaries`` table, with a
    note (:mod:`.authorities`). ``progress`` receives 0-100; raises :class:`..pack.store.Cancelled` as soon as
    ``is_cancelled()`` turns true (checked before the QA and between features).
    """
    table = table or default_table()
    qa = qa or QaOptions()
    if is_cancelled():
        raise Cancelled
    rule, rule_notes = strategy_rule(index.pack.metadata, phase)
    issues = check_parcels(parcels, red_line, table, qa, whole_file=whole_file, iggis=iggis)
    progress(QA_SHARE)
    notes: list[str] = list(rule_notes)
    lpas, lpa_note = authorities_to_use(index.pack, lpas)
    if lpa_note:
        notes.append(lpa_note)
    if index.opportunity is None:
        notes.append("The pack has no opportunity areas, so strategic significance was not assessed.")
    elif rule.high and not index.pack.has_catalogue:
        notes.append("The pack has no measures catalogue, so whether an intervention is consistent with a mapped "
                     "measure could not be checked: any mapped measure gave High.")
    lpa_geoms = [(name, _part(shapely.make_valid(g), AREA) if not g.is_valid else g) for name, g in lpas]
    for _, lpa in lpa_geoms:
        if lpa is not None:
            shapely.prepare(lpa)
    geoms = _usable(parcels)
    opp_hits = _bulk_hits(index.opportunity, geoms)
    interim_hits = _bulk_hits(index.interim if rule.medium else None, geoms)
    features: dict[tuple[str, Any, Any], _Feature] = {}
    zones: dict[tuple[str, tuple[int, ...]], BaseGeometry] = {}
    pieces: list[ParcelPiece] = []
    for i, parcel in enumerate(parcels):
        if is_cancelled():
            raise Cancelled
        progress(QA_SHARE + (100.0 - QA_SHARE) * i / max(1, len(parcels)))
        module = parcel.module
        geom = geoms[i]
        if geom is None:
            continue
        key = (module, parcel.habitat, parcel.broad_habitat)
        feature = features.get(key) or features.setdefault(key, _resolve(table, parcel))
        aligned = _aligned(index, rule, feature, module, opp_hits[i])
        high_zone = None
        if aligned and index.opportunity is not None:
            high_zone = _zone(index.opportunity, [k for k, _ in aligned], zones)
        medium_zone = _zone(index.interim, interim_hits[i], zones) if interim_hits[i] and index.interim else None

        parts: list[tuple[BaseGeometry, Any]] = [(geom, (None, None))]  # tag: (category, lpa)
        parts = _cut(parts, high_zone, module, lambda t, inside: ((HIGH if inside else None), t[1]))
        parts = _cut(parts, medium_zone, module, lambda t, inside: ((t[0] or (MEDIUM if inside else LOW)), t[1]))
        for name, lpa in lpa_geoms:
            if lpa is not None:  # a piece an earlier authority holds stays whole (first wins)
                held = [p for p in parts if p[1][1] is not None]
                parts = held + _cut([p for p in parts if p[1][1] is None], lpa, module, _lpa_label(name))
        for ref, (g, (cat, lpa_name)) in zip(piece_refs(parcel.ref, len(parts)), parts):
            category: SignificanceCategory | None = cat or LOW
            if index.opportunity is None:
                category = None
            if category is HIGH and module == TREE:
                category = TREE_HIGH
            codes: tuple[str, ...] = ()
            if category is not None and category.category == "High":
                found: dict[str, None] = {}
                for k, cs in aligned:
                    if _measure_of(shapely.intersection(g, index.opportunity.geoms[k]), module) > 0:  # type: ignore[union-attr]
                        found.update(dict.fromkeys(cs))
                codes = tuple(found)
                apib = _apib(index, g, module)
                if apib:
                    issues.append(issue(HIGH_ON_APIB, parcel.layer, ref, g.representative_point(),
                                        f"{ref} is High but lies on {'; '.join(apib)}: where development harms "
                                        "areas of particular importance, interventions are highly unlikely to be "
                                        "consistent with the measures (metric user guide, footnote 6).",
                                        "Check the intervention against the measure with the LNRS team before "
                                        "claiming High; otherwise record Low."))
            flag, text = _irreplaceable(index, g, feature.habitat, module)
            pieces.append(ParcelPiece(
                i, ref, g, float(g.area) if module == AREA else 0.0, category.category if category else None,
                category.multiplier if category else None, category.metric_text if category else None, codes,
                lpa_name, feature.label, feature.broad, flag, text, module, parcel.layer,
                float(g.length) if module in LINEAR_TYPES else 0.0))
    progress(100.0)
    return ParcelResult(tuple(pieces), tuple(issues), tuple(notes), rule)


def _usable(parcels: Sequence[Parcel]) -> list[BaseGeometry | None]:
    """Each feature's geometry of its module's dimension (invalid ones repaired), None when unusable."""
    arr = np.array([p.geometry for p in parcels], dtype=object)
    out: list[BaseGeometry | None] = [None] * len(parcels)
    if not len(arr):
        return out
    present = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    valid = np.zeros(len(arr), dtype=bool)
    valid[present] = shapely.is_valid(arr[present])
    for i in np.flatnonzero(present).tolist():
        g = arr[i] if valid[i] else shapely.make_valid(arr[i])
        module = parcels[i].module
        out[i] = g if valid[i] and g.geom_type in _dimension(module) and (
            module != AREA or g.area > MIN_PIECE_M2) else _part(g, module)
    return out


def _bulk_hits(layer: LayerIndex | None, geoms: list[BaseGeometry | None]) -> list[list[int]]:
    """Positions in ``layer`` each geometry intersects, in one STRtree query."""
    out: list[list[int]] = [[] for _ in geoms]
    if layer is None or len(layer.geoms) == 0 or not geoms:
        return out
    idx = np.array([i for i, g in enumerate(geoms) if g is not None], dtype=np.int64)
    if not len(idx):
        return out
    arr = np.array([geoms[i] for i in idx.tolist()], dtype=object)
    a, b = layer.tree.query(arr, predicate="intersects")
    for i, k in zip(idx[a].tolist(), b.tolist()):
        out[i].append(int(k))
    return out


def _zone(layer: LayerIndex, positions: list[int], cache: dict[tuple[str, tuple[int, ...]], BaseGeometry]
          ) -> BaseGeometry:
    """One indexed polygon (already prepared) or the union of several (made once per set, prepared):
    neighbouring features often hit the same polygons."""
    if len(positions) == 1:
        return layer.geoms[positions[0]]
    key = (layer.name, tuple(sorted(positions)))
    zone = cache.get(key)
    if zone is None:
        zone = cache[key] = shapely.union_all([layer.geoms[k] for k in key[1]])
        shapely.prepare(zone)
    return zone


def _measure_of(geom: BaseGeometry, module: str) -> float:
    part = _part(geom, module)
    return 0.0 if part is None else _measure(part, module)


def _aligned(index: PackIndex, rule: SignificanceRule, feature: _Feature, module: str,
             positions: list[int]) -> list[tuple[int, tuple[str, ...]]]:
    """Opportunity positions (with the codes that justify High) for the feature, under ``rule``."""
    if not rule.high:
        return []
    out = []
    for k in positions:
        codes = index.opportunity_codes[k]
        if index.pack.has_catalogue:
            if not feature.known:
                codes = ()
            codes = tuple(c for c in codes if (m := index.catalogue.get(c)) is not None
                          and delivers(m.habitats, module, feature.broad, feature.type_label))
        if codes:
            out.append((k, codes))
    return out


def _overlaps(layer: LayerIndex | None, geom: BaseGeometry, module: str) -> list[int]:
    """Positions in ``layer`` (polygons) that ``geom`` overlaps by at least 1 m² / 0.1 m / at all for a tree."""
    out = []
    for k in _hits(layer, geom):
        assert layer is not None
        inter = shapely.intersection(geom, layer.geoms[k])
        if module == TREE or _measure_of(inter, module) >= (IRREPLACEABLE_MIN_M2 if module == AREA else APIB_MIN_M):
            out.append(k)
    return out


def _apib(index: PackIndex, geom: BaseGeometry, module: str) -> list[str]:
    """The areas of particular importance a piece lies on: designated sites (LWS included) and irreplaceable."""
    found: dict[str, None] = {}
    if index.designated is not None:
        for k in _overlaps(index.designated, geom, module):
            name = index.designated.col("name", k)
            desig = index.designated.col("designation", k)
            found[f"{desig} {name}" if name else str(desig)] = None
    if index.irreplaceable is not None:
        for k in _overlaps(index.irreplaceable, geom, module):
            found[str(index.irreplaceable.col("habitat_type", k) or "irreplaceable habitat").replace("_", " ")] = None
    return list(found)


def _irreplaceable(index: PackIndex, geom: BaseGeometry, habitat: Habitat | None, module: str) -> tuple[bool, str]:
    texts: list[str] = []
    if habitat is not None:
        if habitat.irreplaceable == "Yes":
            texts.append(f"{habitat.label} is irreplaceable habitat in the statutory metric.")
        elif habitat.irreplaceable == "Yes/No":
            texts.append(f"{habitat.label} is irreplaceable only for some sub-types: confirm the sub-type "
                         "(the metric marks it Yes/No).")
    li = index.irreplaceable
    found: dict[str, None] = {}
    for k in _overlaps(li, geom, module):
        assert li is not None
        kind = str(li.col("habitat_type", k) or "irreplaceable habitat").replace("_", " ")
        name = li.col("name", k)
        found[f"{kind} ({name})" if name else kind] = None
    if found:
        texts.append("Lies on irreplaceable habitat mapped in the pack: " + "; ".join(found) + ".")
    return bool(texts), " ".join(texts)


__all__ = ["MEDIUM", "LOW", "HIGH", "Parcel", "ParcelPiece", "ParcelResult", "assess_parcels", "piece_refs",
           "resolve_label", "strategy_rule"]
