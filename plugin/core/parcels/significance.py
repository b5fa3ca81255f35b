"""Strategic significance per habitat parcel, with parcels split where significance or authority changes.

Pure core: parcels are shapely polygons in EPSG:27700 with a few attribute values; the result is a
list of :class:`ParcelPiece` (one or more per parcel) plus the parcel QA issues of
:mod:`.parcel_qa`. See docs/parcels.md for the rules.

Zones for a parcel whose habitat resolves to broad habitat *B*:

- High: the union of opportunity polygons mapping a measure that *B* delivers (the catalogue's
  ``habitats`` list); with no catalogue, or no usable habitat label, any mapped measure counts.
- Medium: the pack's ``interim_strategy`` areas outside High.
- Low: everything else.

Each parcel is cut by those zones and by the local planning authority boundaries given; pieces
with no area are dropped, so the pieces' areas add up to the parcel's.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from ..metric.habitats import Habitat, HabitatTable, default_table
from ..metric.significance import HIGH, LOW, MEDIUM, SignificanceCategory
from ..pack.store import Cancelled
from ..screening.engine import LayerIndex, PackIndex
from .model import Parcel
from .qa import QaIssue, QaOptions, check_parcels, is_null

#: Pieces smaller than this (m²) are geometric noise from the overlay and are dropped.
MIN_PIECE_M2 = 1e-6
#: Overlap (m²) with a pack irreplaceable polygon that flags a piece.
IRREPLACEABLE_MIN_M2 = 1.0
#: Share of the progress (0-100) reported once the parcel QA is done; the parcels share the rest.
QA_SHARE = 20.0


@dataclass(frozen=True)
class ParcelPiece:
    parent: int  # index of the parcel in the input
    ref: str
    geometry: BaseGeometry
    area_m2: float
    category: str | None
    multiplier: float | None
    metric_text: str | None
    measure_codes: tuple[str, ...]
    lpa: str | None
    habitat_label: str | None  # the metric label the habitat resolved to
    broad_habitat: str | None
    irreplaceable: bool
    irreplaceable_text: str


@dataclass(frozen=True)
class ParcelResult:
    pieces: tuple[ParcelPiece, ...]
    issues: tuple[QaIssue, ...]
    notes: tuple[str, ...] = field(default=())

    def pieces_of(self, parent: int) -> tuple[ParcelPiece, ...]:
        return tuple(p for p in self.pieces if p.parent == parent)


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


def _polygonal(geom: BaseGeometry | None) -> BaseGeometry | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def _hits(layer: LayerIndex | None, geom: BaseGeometry) -> list[int]:
    if layer is None or len(layer.geoms) == 0:
        return []
    return [int(k) for k in layer.tree.query(geom, predicate="intersects")]


def _cut(pieces: list[tuple[BaseGeometry, Any]], zone: BaseGeometry | None,
         label: Callable[[Any, bool], Any]) -> list[tuple[BaseGeometry, Any]]:
    """Split every piece by ``zone``: inside pieces get ``label(tag, True)``, outside ``label(tag, False)``."""
    if zone is None or zone.is_empty:
        return [(g, label(t, False)) for g, t in pieces]
    out = []
    for g, t in pieces:
        inside = _polygonal(shapely.intersection(g, zone))
        outside = _polygonal(shapely.difference(g, zone))
        if inside is not None and inside.area > MIN_PIECE_M2:
            out.append((inside, label(t, True)))
        if outside is not None and outside.area > MIN_PIECE_M2:
            out.append((outside, label(t, False)))
    return out


def _lpa_label(name: str) -> Callable[[Any, bool], Any]:
    def label(tag: Any, inside: bool) -> Any:
        return (tag[0], name if inside else tag[1])
    return label


class _Significance:
    def __init__(self, index: PackIndex) -> None:
        self.index = index
        self.has_catalogue = index.pack.has_catalogue

    def aligned(self, broad: str | None, positions: list[int]) -> list[tuple[int, tuple[str, ...]]]:
        """Opportunity positions (with the codes that justify High) for a parcel of ``broad`` habitat."""
        out = []
        for k in positions:
            codes = self.index.opportunity_codes[k]
            if broad is not None and self.has_catalogue:
                codes = tuple(c for c in codes
                              if (m := self.index.catalogue.get(c)) is not None and broad in m.habitats)
            if codes:
                out.append((k, codes))
        return out


def assess_parcels(index: PackIndex, parcels: Sequence[Parcel], red_line: BaseGeometry | None = None,
                   lpas: Sequence[tuple[str, BaseGeometry]] = (), table: HabitatTable | None = None,
                   qa: QaOptions | None = None, is_cancelled: Callable[[], bool] = lambda: False,
                   progress: Callable[[float], None] = lambda _p: None) -> ParcelResult:
    """Split, categorise and check ``parcels`` against the pack behind ``index``.

    ``progress`` receives 0-100; raises :class:`.pack_store.Cancelled` as soon as ``is_cancelled()``
    turns true (checked before the QA and between parcels).
    """
    table = table or default_table()
    qa = qa or QaOptions()
    sig = _Significance(index)
    if is_cancelled():
        raise Cancelled
    issues = check_parcels(parcels, red_line, table, qa)
    progress(QA_SHARE)
    notes: list[str] = []
    if index.opportunity is None:
        notes.append("The pack has no opportunity areas, so strategic significance was not assessed.")
    lpa_geoms = [(name, _polygonal(shapely.make_valid(g)) if not g.is_valid else g) for name, g in lpas]
    pieces: list[ParcelPiece] = []
    for i, parcel in enumerate(parcels):
        if is_cancelled():
            raise Cancelled
        progress(QA_SHARE + (100.0 - QA_SHARE) * i / max(1, len(parcels)))
        geom = parcel.geometry
        if geom is None or geom.is_empty:
            continue
        if not geom.is_valid:
            geom = _polygonal(shapely.make_valid(geom))
            if geom is None:
                continue
        habitat, broad = resolve_label(table, parcel.habitat, parcel.broad_habitat)
        opp_pos = _hits(index.opportunity, geom)
        aligned = sig.aligned(broad, opp_pos)
        high_zone = None
        if aligned and index.opportunity is not None:
            high_zone = shapely.union_all([index.opportunity.geoms[k] for k, _ in aligned])
        medium_zone = None
        interim_pos = _hits(index.interim, geom)
        if interim_pos and index.interim is not None:
            medium_zone = shapely.union_all([index.interim.geoms[k] for k in interim_pos])

        # tag: (category, lpa)
        parts: list[tuple[BaseGeometry, Any]] = [(geom, (None, None))]
        parts = _cut(parts, high_zone, lambda t, inside: ((HIGH if inside else None), t[1]))
        parts = _cut(parts, medium_zone,
                     lambda t, inside: ((t[0] or (MEDIUM if inside else LOW)), t[1]))
        for name, lpa in lpa_geoms:
            if lpa is None:
                continue
            parts = _cut(parts, lpa, _lpa_label(name))
        refs = piece_refs(parcel.ref, len(parts))
        for ref, (g, (cat, lpa_name)) in zip(refs, parts):
            category: SignificanceCategory | None = cat or LOW
            if index.opportunity is None:
                category = None
            codes: tuple[str, ...] = ()
            if category is HIGH:
                found: dict[str, None] = {}
                for k, cs in aligned:
                    if shapely.intersection(g, index.opportunity.geoms[k]).area > MIN_PIECE_M2:  # type: ignore[union-attr]
                        found.update(dict.fromkeys(cs))
                codes = tuple(found)
            flag, text = _irreplaceable(index, g, habitat)
            pieces.append(ParcelPiece(i, ref, g, float(g.area), category.category if category else None,
                                      category.multiplier if category else None,
                                      category.metric_text if category else None, codes, lpa_name,
                                      habitat.label if habitat else None, broad, flag, text))
    progress(100.0)
    return ParcelResult(tuple(pieces), tuple(issues), tuple(notes))


def _irreplaceable(index: PackIndex, geom: BaseGeometry, habitat: Habitat | None) -> tuple[bool, str]:
    texts: list[str] = []
    if habitat is not None:
        if habitat.irreplaceable == "Yes":
            texts.append(f"{habitat.label} is irreplaceable habitat in the statutory metric.")
        elif habitat.irreplaceable == "Yes/No":
            texts.append(f"{habitat.label} is irreplaceable only for some sub-types: confirm the sub-type "
                         "(the metric marks it Yes/No).")
    li = index.irreplaceable
    found: dict[str, None] = {}
    for k in _hits(li, geom):
        assert li is not None
        if shapely.intersection(geom, li.geoms[k]).area >= IRREPLACEABLE_MIN_M2:
            kind = str(li.col("habitat_type", k) or "irreplaceable habitat").replace("_", " ")
            name = li.col("name", k)
            found[f"{kind} ({name})" if name else kind] = None
    if found:
        texts.append("Lies on irreplaceable habitat mapped in the pack: " + "; ".join(found) + ".")
    return bool(texts), " ".join(texts)


__all__ = ["MEDIUM", "LOW", "HIGH", "Parcel", "ParcelPiece", "ParcelResult", "assess_parcels", "piece_refs",
           "resolve_label"]
