"""Packs built in memory (tests, benchmarks, previews) with the same model readers produce."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .model import PackData, PackLayer, PackMetadata, measures_from_layer
from .schema import MEASURES, SCHEMA_VERSION, TABLES_BY_NAME


def memory_layer(table: str, geoms: Sequence[Any] | None, **columns: Sequence[Any]) -> PackLayer:
    """A pack layer; columns the caller leaves out are filled with None."""
    spec = TABLES_BY_NAME[table]
    n = len(geoms) if geoms is not None else len(next(iter(columns.values()), []))
    cols = {c: list(columns.get(c, [None] * n)) for c in spec.column_names}
    garr = None
    if spec.is_spatial:
        garr = np.empty(n, dtype=object)
        garr[:] = list(geoms or [])
    return PackLayer(spec, np.arange(1, n + 1, dtype=np.int64), garr, cols)


def memory_pack(layers: Sequence[PackLayer], metadata: Mapping[str, str] | None = None,
                source: str = "memory") -> PackData:
    pairs = {"schema_version": str(SCHEMA_VERSION), "lnrs_name": "Test map", "version": "1",
             **(metadata or {})}
    by_name = {layer.spec.name: layer for layer in layers}
    return PackData(by_name, PackMetadata.from_pairs(pairs), source, measures_from_layer(by_name.get(MEASURES.name)))
