"""The spatial indexes validation compares edited areas with, built once per loaded pack and shared.

Validating one changed area of a 50,000-polygon map used to rebuild the opportunity layer's index (every polygon
checked for validity, an STRtree) and walk every area of the map, twice per save (issue 20, defect 5). Here each
layer's index is built once per :class:`~..pack.model.PackData` (kept while the pack is, released with it), and
:func:`nearby` hands validation only the areas within reach of the ones it checks, through the index.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from ..pack.content_hash import remember_content_hash
from ..pack.model import GeomArray, PackData
from ..pack.schema import AREA, DESIGNATED, IRREPLACEABLE, OPPORTUNITY
from ..screening.index import IntArray, LayerIndex, layer_index

_BUILT: weakref.WeakKeyDictionary[PackData, dict[str, LayerIndex | None]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def cached_index(pack: PackData, name: str) -> LayerIndex | None:
    """:func:`~..screening.index.layer_index` of ``pack``'s layer ``name``, built on first use only."""
    with _LOCK:
        built = _BUILT.get(pack)
        if built is not None and name in built:
            return built[name]
    index = layer_index(pack, name, [])  # outside the lock: a big layer takes a moment
    with _LOCK:
        return _BUILT.setdefault(pack, {}).setdefault(name, index)


def nearby(layer: LayerIndex, geoms: GeomArray, distance: float) -> IntArray:
    """Positions in ``layer`` of the features within ``distance`` (0: intersecting) of any of ``geoms``, in order."""
    if not len(geoms) or not len(layer.geoms):
        return np.empty(0, dtype=np.int64)
    if distance > 0:
        _, found = layer.tree.query(geoms, predicate="dwithin", distance=distance)
    else:
        _, found = layer.tree.query(geoms, predicate="intersects")
    return np.unique(np.asarray(found, dtype=np.int64))


def prepare(pack: PackData) -> None:
    """Build, now, what checking and saving edits of ``pack`` needs: the indexes validation uses and the pack's
    content hash with its row digests (:func:`~..pack.content_hash.remember_content_hash`). Run it in the background
    after loading a pack, and a check-in then does only the work of its own edits."""
    for spec in (OPPORTUNITY, AREA, DESIGNATED, IRREPLACEABLE):
        cached_index(pack, spec.name)
    remember_content_hash(pack)
