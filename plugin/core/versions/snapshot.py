"""Frozen tables of a published pack version, the same in a GeoPackage and in PostGIS.

Each table of a version is kept as rows (fid, 2D WKB, the other columns as a JSON object) under a
*snapshot* id: the sha256 of those rows. Versions whose table did not change share its snapshot, so
publishing after an edit of the opportunity layer stores only that layer again.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from ..errors import PackError
from ..pack.model import PackData, PackLayer, PackMetadata, measures_from_layer
from ..pack.schema import METADATA, TABLES_BY_NAME, TableSpec


@dataclass(frozen=True)
class FrozenRow:
    fid: int
    wkb: bytes | None
    attributes: str  # JSON object: column name -> value


@dataclass(frozen=True)
class FrozenTable:
    name: str
    snapshot: str  # sha256 hex of the rows
    rows: tuple[FrozenRow, ...]


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a stored value (numpy scalars become Python numbers)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) else f
    return str(value)


def _snapshot_id(name: str, rows: Sequence[FrozenRow]) -> str:
    h = hashlib.sha256(b"lnrs-version-table/1\n" + name.encode("utf-8") + b"\n")
    for row in rows:
        h.update(f"{row.fid}\n".encode("ascii"))
        h.update(row.attributes.encode("utf-8") + b"\n")
        h.update(b"-" if row.wkb is None else row.wkb.hex().encode("ascii"))
        h.update(b"\n")
    return h.hexdigest()


def _table(name: str, rows: Iterable[FrozenRow]) -> FrozenTable:
    ordered = tuple(sorted(rows, key=lambda r: r.fid))
    return FrozenTable(name, _snapshot_id(name, ordered), ordered)


def freeze_layer(layer: PackLayer) -> FrozenTable:
    """The rows of one content table, ready to store."""
    spec = layer.spec
    wkbs: list[bytes | None] = [None] * len(layer)
    if spec.is_spatial and layer.geoms is not None and len(layer):
        geoms = np.asarray(layer.geoms, dtype=object)
        present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
        if present.any():
            raw = shapely.to_wkb(geoms[present], output_dimension=2, byte_order=1)
            for i, w in zip(np.flatnonzero(present), raw):
                wkbs[int(i)] = bytes(w)
    rows = []
    for i in range(len(layer)):
        attrs = {name: _plain(layer.columns[name][i]) for name in spec.column_names}
        rows.append(FrozenRow(int(layer.fids[i]), wkbs[i],
                              json.dumps(attrs, ensure_ascii=False, sort_keys=True, separators=(",", ":"))))
    return _table(spec.name, rows)


def freeze_metadata(pairs: Mapping[str, str]) -> FrozenTable:
    rows = [FrozenRow(i + 1, None, json.dumps({"key": k, "value": pairs[k]}, ensure_ascii=False, sort_keys=True,
                                              separators=(",", ":")))
            for i, k in enumerate(sorted(pairs))]
    return _table(METADATA.name, rows)


def freeze_pack(pack: PackData, metadata_pairs: Mapping[str, str]) -> list[FrozenTable]:
    """Every content table of ``pack`` plus ``metadata_pairs`` as its metadata table."""
    tables = [freeze_layer(layer) for name, layer in pack.layers.items() if name in TABLES_BY_NAME]
    tables.append(freeze_metadata(metadata_pairs))
    return tables


def _attributes(row: FrozenRow, table: str) -> dict[str, Any]:
    try:
        value = json.loads(row.attributes)
    except (TypeError, ValueError) as exc:
        raise PackError(f"a frozen row of '{table}' in the pack's version history is damaged ({exc}); the "
                        "version cannot be read.") from exc
    if not isinstance(value, dict):
        raise PackError(f"a frozen row of '{table}' in the pack's version history is damaged; the version "
                        "cannot be read.")
    return value


def thaw_layer(spec: TableSpec, rows: Sequence[FrozenRow]) -> PackLayer:
    ordered = sorted(rows, key=lambda r: r.fid)
    columns: dict[str, list[Any]] = {name: [] for name in spec.column_names}
    for row in ordered:
        attrs = _attributes(row, spec.name)
        for name in spec.column_names:
            columns[name].append(attrs.get(name))
    fids = np.array([r.fid for r in ordered], dtype=np.int64)
    geoms = None
    if spec.is_spatial:
        geoms = np.empty(len(ordered), dtype=object)
        if ordered:
            try:
                geoms[:] = shapely.from_wkb(np.array([r.wkb for r in ordered], dtype=object))
            except shapely.errors.GEOSException as exc:
                raise PackError(f"a frozen geometry of '{spec.name}' in the pack's version history cannot be "
                                f"decoded ({exc}); the version cannot be read.") from exc
    return PackLayer(spec, fids, geoms, columns)


def thaw_pack(tables: Mapping[str, Sequence[FrozenRow]], source: str) -> PackData:
    """A :class:`PackData` from the frozen tables of one version (``pack_metadata`` included)."""
    meta_rows = tables.get(METADATA.name)
    if meta_rows is None:
        raise PackError("the pack's version history has no metadata for this version; the history is damaged.")
    pairs: dict[str, str] = {}
    for row in meta_rows:
        attrs = _attributes(row, METADATA.name)
        pairs[str(attrs.get("key"))] = "" if attrs.get("value") is None else str(attrs.get("value"))
    layers = {name: thaw_layer(TABLES_BY_NAME[name], rows) for name, rows in tables.items()
              if name in TABLES_BY_NAME and name != METADATA.name}
    return PackData(layers, PackMetadata.from_pairs(pairs), source, measures_from_layer(layers.get("measures")))
