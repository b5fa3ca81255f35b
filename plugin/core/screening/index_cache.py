"""Open a pack file and build its index once per file version (path, size, modification time)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from ..pack.gpkg import read_pack
from ..pack.window import file_version
from .index import PackIndex

_MAX_CACHED = 3
_cache: OrderedDict[tuple[str, int, int], PackIndex] = OrderedDict()
_lock = threading.Lock()


def cached_index(path: str | Path) -> PackIndex | None:
    """The :class:`PackIndex` of the pack at ``path`` if it is built for the file as it is now, else None."""
    key = file_version(path)
    with _lock:
        return _cache.get(key)


def load_index(path: str | Path) -> PackIndex:
    """The :class:`PackIndex` of the pack at ``path``; rebuilt only when the file changed."""
    key = file_version(path)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return cached
    index = PackIndex.build(read_pack(path))
    with _lock:
        _cache[key] = index
        while len(_cache) > _MAX_CACHED:
            _cache.popitem(last=False)
    return index


def clear_cache() -> None:
    with _lock:
        _cache.clear()
