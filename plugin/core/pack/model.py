"""In-memory Local Habitat Map pack: what readers produce and the engine consumes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import VocabularyError
from ..metric.significance_rules import PUBLISHED, normalise_status
from .schema import MEASURES, METADATA_KEYS, TableSpec

#: An array of shapely geometries (or None).
GeomArray = npt.NDArray[np.object_]


@dataclass(frozen=True, eq=False)
class PackLayer:
    """One table: feature ids, shapely geometries (spatial tables) and attribute columns."""

    spec: TableSpec
    fids: npt.NDArray[np.int64]
    geoms: GeomArray | None
    columns: Mapping[str, list[Any]]
    #: why the layer cannot be used as read (set by a reader; see ``pack.integrity``)
    problems: tuple[str, ...] = ()

    def __len__(self) -> int:
        return int(self.fids.shape[0])

    def column(self, name: str) -> list[Any]:
        return self.columns[name]


@dataclass(frozen=True)
class Measure:
    code: str
    theme: str
    priority: str
    text: str
    habitats: tuple[str, ...]  # broad habitats of the metric that deliver the measure


@dataclass(frozen=True)
class PackMetadata:
    lnrs_name: str = ""
    responsible_authority: str = ""
    version: str = ""
    publication_date: str = ""
    source: str = ""
    licence: str = ""
    attribution: str = ""
    provenance: str = ""
    schema_version: int = 0
    content_sha256: str = ""
    extra: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_pairs(cls, pairs: Mapping[str, str]) -> PackMetadata:
        known = {k: pairs.get(k, "") or "" for k in METADATA_KEYS if k != "schema_version"}
        try:
            schema = int(pairs.get("schema_version") or 0)
        except ValueError:
            schema = -1
        extra = tuple(sorted((k, v) for k, v in pairs.items() if k not in METADATA_KEYS))
        return cls(schema_version=schema, extra=extra, **known)

    @property
    def lnrs_status(self) -> str:
        """``published``, ``not_published``, or "" when the pack does not say (key ``lnrs_status``)."""
        return dict(self.extra).get("lnrs_status", "")

    @property
    def lnrs_published(self) -> bool:
        """The strategy is published (the metric guide's Table 7 applies): so the pack says, or it does not say
        (a Local Habitat Map belongs to a published strategy unless the pack records otherwise)."""
        try:
            return not self.lnrs_status or normalise_status(self.lnrs_status) == PUBLISHED
        except VocabularyError:  # the pack reader refuses such a value; Table 7 is the cautious reading
            return True

    @property
    def lnrs_published_date(self) -> str:
        return dict(self.extra).get("lnrs_published_date", "")

    def as_pairs(self) -> dict[str, str]:
        pairs = {k: str(getattr(self, k)) for k in METADATA_KEYS}
        pairs.update(dict(self.extra))
        return pairs


@dataclass(frozen=True, eq=False)
class PackData:
    """A whole pack. Tables absent from the source are absent here (checks become not_checked).

    ``unchecked`` names the tables the source holds that failed validation (see ``pack.integrity``), each with
    the sentence saying why; they are absent from ``layers`` so nothing is called clear from them.
    """

    layers: Mapping[str, PackLayer]
    metadata: PackMetadata
    source: str = ""
    measures: Mapping[str, Measure] = field(default_factory=dict)
    unchecked: Mapping[str, str] = field(default_factory=dict)

    def layer(self, name: str) -> PackLayer | None:
        return self.layers.get(name)

    @property
    def has_catalogue(self) -> bool:
        return MEASURES.name in self.layers


def measures_from_layer(layer: PackLayer | None) -> dict[str, Measure]:
    """The catalogue keyed by code (codes upper-cased; habitats split on ';')."""
    if layer is None:
        return {}
    out: dict[str, Measure] = {}
    cols = layer.columns
    for i in range(len(layer)):
        code = str(cols["code"][i] or "").strip().upper()
        if not code:
            continue
        habitats = tuple(h.strip() for h in str(cols["habitats"][i] or "").split(";") if h.strip())
        out[code] = Measure(code, str(cols["habitat_theme"][i] or ""), str(cols["priority"][i] or ""),
                            str(cols["measure"][i] or ""), habitats)
    return out
