"""What a check-in works on: an :class:`Edit` of one opportunity area, and the feature state it compares.

A working copy (:mod:`.working_copy`) lists its changes as edits; :mod:`.checkin` validates and saves them.
:class:`FeatureState` is what conflict detection compares (measures, name, reference, geometry hash);
:func:`canonical_measures` and :func:`as_multi` give the form the pack stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import shapely

from ..pack.content_hash import geometry_sha256s
from ..pack.measure_codes import join_codes
from .opportunity_feature import OpportunityFeature, feature_codes, geometry_sha256

KINDS = ("insert", "update", "delete")
#: ``source_layer`` of the areas drawn by editors (re-adding a source layer never replaces them).
EDIT_SOURCE = "lnrs_toolkit:edits"


@dataclass(frozen=True)
class Edit:
    """One change of a working copy: ``base`` is the pack state it started from (``None`` for an insert),
    ``new`` what it should become (``None`` for a delete); ``key`` is the working copy's id for it."""

    kind: str
    fid: int | None
    key: str
    base: OpportunityFeature | None
    new: OpportunityFeature | None


def canonical_measures(text: object) -> str:
    """The stored form of measure codes as edited: ``{A,B}`` (QGIS multi-select), ``A;B``, ``A, B`` ... ->
    ``A;B`` (trimmed, upper-cased, de-duplicated, in order)."""
    return join_codes(feature_codes(text))


def form_measures(text: object) -> str:
    """Measure codes in the form QGIS's multi-select ``ValueRelation`` widget reads and writes: ``{A,B}``."""
    return "{" + ",".join(feature_codes(text)) + "}"


def as_multi(geometry: Any) -> Any:
    """Polygons become one-part MultiPolygons (the pack's type), 2D; ``None`` stays ``None``."""
    if geometry is None:
        return None
    g = shapely.force_2d(geometry)
    if g.geom_type == "Polygon" and not g.is_empty:
        return shapely.MultiPolygon([g])
    return g


@dataclass(frozen=True)
class FeatureState:
    """What conflict detection compares: a difference in any part is a change."""

    measures: str
    name: str
    ref: str
    geom_sha256: str

    @classmethod
    def of(cls, feature: OpportunityFeature) -> FeatureState:
        return cls(canonical_measures(feature.measures), (feature.name or "").strip(), (feature.ref or "").strip(),
                   geometry_sha256(feature.geometry))


def feature_states(features: Sequence[OpportunityFeature]) -> dict[int, FeatureState]:
    """:meth:`FeatureState.of` of many features, keyed by fid: geometries hashed at once, each measure text parsed
    once (a map's 50,000 areas in about a second)."""
    hashes = geometry_sha256s([f.geometry for f in features])
    canonical: dict[str, str] = {}
    out: dict[int, FeatureState] = {}
    for f, digest in zip(features, hashes):
        if f.fid is None:
            continue
        if f.measures not in canonical:
            canonical[f.measures] = canonical_measures(f.measures)
        out[int(f.fid)] = FeatureState(canonical[f.measures], (f.name or "").strip(), (f.ref or "").strip(), digest)
    return out
