"""The content hash of a pack: the same content gives the same hash, whatever the row order or store."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

import numpy as np
import shapely

from .model import PackData, PackLayer
from .schema import METADATA, TABLES, TABLES_ADDED_LATER, UNHASHED_KEYS, TableSpec

HASH_SCHEME = b"lnrs-pack-content/1\n"


def geometry_sha256(geometry: Any) -> str:
    """sha256 (hex) of the normalised 2D WKB of ``geometry``; ``""`` for None or empty.

    A single polygon is hashed as the multipolygon the pack stores, and ``shapely.normalize``
    orders rings and vertices, so the same shape read from a GeoPackage, PostGIS or a QGIS layer
    gives the same hash.
    """
    if geometry is None or shapely.is_missing(geometry) or shapely.is_empty(geometry):
        return ""
    geom = shapely.force_2d(geometry)
    if geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    wkb = shapely.to_wkb(shapely.normalize(geom), output_dimension=2, byte_order=1, include_srid=False)
    return hashlib.sha256(bytes(wkb)).hexdigest()


def geometry_sha256s(geometries: Any) -> list[str]:
    """:func:`geometry_sha256` of each geometry at once (vectorised: a check-out hashes 50,000 polygons in a second)."""
    geoms = np.asarray(geometries, dtype=object).reshape(-1)
    out = [""] * len(geoms)
    if not len(geoms):
        return out
    present = ~shapely.is_missing(geoms)
    present[present] = ~shapely.is_empty(geoms[present])
    rows = np.flatnonzero(present)
    if not len(rows):
        return out
    kept = shapely.force_2d(geoms[rows])
    single = np.flatnonzero(shapely.get_type_id(kept) == 3)
    if len(single):
        kept[single] = shapely.multipolygons(kept[single].reshape(-1, 1))
    wkbs = shapely.to_wkb(shapely.normalize(kept), output_dimension=2, byte_order=1, include_srid=False)
    for i, wkb in zip(rows.tolist(), wkbs):
        out[i] = hashlib.sha256(bytes(wkb)).hexdigest()
    return out


def _canonical(value: Any, sql_type: str) -> Any:
    if value is None:
        return None
    if sql_type == "REAL":
        f = float(value)
        return None if math.isnan(f) else round(f, 9)
    if sql_type == "INTEGER":
        return int(value)
    return str(value)


def layer_digest(spec: TableSpec, layer: PackLayer) -> bytes:
    """Digest of one table: the sorted digests of its rows (attributes + normalised 2D WKB)."""
    kept = [c for c in spec.columns if c.name != "source_layer" and not c.optional]
    optional = [c for c in spec.columns if c.optional]
    types = [c.sql_type for c in kept]
    cols = [layer.columns[c.name] for c in kept]
    wkbs: list[bytes] = [b""] * len(layer)
    if spec.is_spatial and layer.geoms is not None and len(layer):
        geoms = np.asarray(layer.geoms, dtype=object)
        if spec.geometry_type == "MULTIPOLYGON":
            # a one-part Polygon and its MultiPolygon are the same content (stores differ in which they keep)
            single = np.flatnonzero(shapely.get_type_id(geoms) == 3)
            if len(single):
                geoms = geoms.copy()
                geoms[single] = shapely.multipolygons(geoms[single].reshape(-1, 1))
        raw = shapely.to_wkb(shapely.normalize(geoms), output_dimension=2, byte_order=1)
        wkbs = [b"" if w is None else bytes(w) for w in raw]
    digests = []
    for i in range(len(layer)):
        attrs: list[Any] = [_canonical(col[i], t) for col, t in zip(cols, types)]
        # an optional column counts only where it holds a value: packs made before it existed keep their hash
        attrs += [[c.name, _canonical(layer.columns[c.name][i], c.sql_type)] for c in optional
                  if layer.columns.get(c.name) is not None and layer.columns[c.name][i] is not None]
        payload = json.dumps(attrs, ensure_ascii=True, separators=(",", ":")).encode("ascii")
        digests.append(hashlib.sha256(payload + b"\x00" + wkbs[i]).digest())
    digests.sort()
    h = hashlib.sha256()
    h.update(spec.name.encode("ascii") + b"\n")
    h.update(str(len(digests)).encode("ascii") + b"\n")
    for d in digests:
        h.update(d)
    return h.digest()


def content_hash(pack: PackData) -> str:
    """SHA-256 (hex) over every canonical table and the metadata, except the hash itself.

    The ``source_layer`` bookkeeping column is left out, so the hash speaks of content only.
    """
    h = hashlib.sha256(HASH_SCHEME)
    for spec in TABLES:
        if spec is METADATA:
            continue
        layer = pack.layers.get(spec.name)
        if layer is None:
            if spec.name in TABLES_ADDED_LATER:
                continue
            h.update(f"{spec.name}:absent\n".encode("ascii"))
            continue
        h.update(layer_digest(spec, layer))
    meta = {k: v for k, v in pack.metadata.as_pairs().items() if k not in UNHASHED_KEYS}
    h.update(json.dumps(sorted(meta.items()), ensure_ascii=True).encode("ascii"))
    return h.hexdigest()


