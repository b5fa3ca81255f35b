"""An opportunity area as edited, and what identifies it: its measure codes and its geometry hash.

:class:`OpportunityFeature` is what validation, the check-in, the working copy and the stores
exchange; :func:`geometry_sha256` is the hash the audit trail and conflict detection compare.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..pack.content_hash import geometry_sha256 as geometry_sha256  # the audit trail's hash, re-exported
from ..pack.measure_codes import parse_measure_codes
from ..pack.model import PackData
from ..pack.schema import OPPORTUNITY


@dataclass(frozen=True)
class OpportunityFeature:
    """An opportunity area as edited: what validation and the check-in work on."""

    fid: int | None  # pack fid; None for a feature not yet in the pack
    measures: str  # the stored text as edited ("WD001;GR002"; any of ; , | or spaces, or "{A,B}")
    geometry: Any  # shapely geometry in EPSG:27700, or None
    name: str = ""
    ref: str = ""
    key: str = ""  # the caller's id (e.g. working-copy fid) so issues map back to what the user sees

    def label(self) -> str:
        """How messages name the feature, e.g. "opportunity area 12 ‘Bath meadows’"."""
        title = (self.name or "").strip() or (self.ref or "").strip()
        quoted = f" ‘{title}’" if title else ""
        if self.fid is not None:
            return f"opportunity area {self.fid}{quoted}"
        if quoted:
            return f"new opportunity area{quoted}"
        return f"new opportunity area (feature {self.key})" if self.key else "a new opportunity area"

    def codes(self) -> tuple[str, ...]:
        """The measure codes, upper-cased and de-duplicated (a ``{A,B}`` array literal is accepted)."""
        return feature_codes(self.measures)


def feature_codes(value: object) -> tuple[str, ...]:
    """Measure codes of a stored value: ``parse_measure_codes`` plus PostgreSQL array text (``{A,"B"}``)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1]
            return tuple(c.strip('"') for c in parse_measure_codes(text) if c.strip('"'))
    return parse_measure_codes(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def opportunity_features(pack: PackData, fids: Collection[int] | None = None) -> list[OpportunityFeature]:
    """Every opportunity area of ``pack``, or those with the pack fids ``fids`` (keys are the pack fids as text)."""
    layer = pack.layer(OPPORTUNITY.name)
    if layer is None:
        return []
    geoms = layer.geoms if layer.geoms is not None else np.full(len(layer), None, dtype=object)
    measures, names, refs = layer.column("measures"), layer.column("name"), layer.column("ref")
    rows = range(len(layer)) if fids is None else \
        np.flatnonzero(np.isin(layer.fids, np.fromiter((int(f) for f in fids), dtype=np.int64))).tolist()
    all_fids = layer.fids.tolist()
    return [OpportunityFeature(int(all_fids[i]), _text(measures[i]), geoms[i], _text(names[i]), _text(refs[i]),
                               str(int(all_fids[i]))) for i in rows]
