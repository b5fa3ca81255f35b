"""How a batch of sites reaches a pack file: loaded whole (indexes built, then kept for the file's version), or
read near each site through the file's R-tree (:class:`.windowed.WindowedPack`) when the batch is small for the
pack.

Loading costs in proportion to the pack (``make bench``, 2 cores: 1.7 s for the 73 MB pack of 100,000 polygons,
18 s for the 730 MB pack of a million, about 25 ms a MB); then each site costs half a millisecond. Through the
R-tree nothing is loaded, and each site costs its own window (p50 9-20 ms from the 10k to the 1M bench map).
So a few sites on a large pack are answered sooner through their windows, a large batch sooner by loading: the
route taken is the one with the smaller estimate. A pack whose index is already built for this file version is
used as it is, and a small pack (under :data:`MIN_WINDOWED_MB`) is always loaded: the R-tree saves little there.

Both routes give the same answers (the one engine; ``tests/unit/test_screening_windowed.py``), except for the two
notes :mod:`.windowed` names (repairs counted per window; the map's extent from the R-tree when the pack has no
strategy area).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..pack.model import PackData
from ..pack.window import file_version
from .engine import resolve_proposed_habitat, screen_sites
from .index import PackIndex
from .index_cache import cached_index, load_index
from .options import ScreeningOptions
from .results import HabitatMapRef, ScreeningResult, SiteError
from .windowed import WindowedPack

log = logging.getLogger("lnrs_toolkit.screening")

#: Loading a pack and building its indexes, seconds per MB of file (make bench, 100k and 1M maps).
LOAD_S_PER_MB = 0.025
#: Screening one site once the pack is loaded (s).
LOADED_S_PER_SITE = 0.0006
#: Screening one site through its own window of the R-tree (s; p50 at the 1M map, the largest measured).
WINDOWED_S_PER_SITE = 0.02
#: Packs smaller than this (MB) are always loaded whole.
MIN_WINDOWED_MB = 5.0

LOADED, WINDOWED = "loaded", "windowed"


def windowed_pays(n_sites: int, pack_mb: float) -> bool:
    """Whether ``n_sites`` sites are answered sooner through their windows than by loading a ``pack_mb`` MB pack."""
    if pack_mb < MIN_WINDOWED_MB:
        return False
    return n_sites * WINDOWED_S_PER_SITE < pack_mb * LOAD_S_PER_MB + n_sites * LOADED_S_PER_SITE


@dataclass(frozen=True)
class PackRoute:
    """The route a batch took to its pack, and what the fronts say about the pack before the sites."""

    how: str  # LOADED or WINDOWED
    ref: HabitatMapRef
    load_notes: tuple[str, ...]
    pack_mb: float
    n_sites: int

    def sentence(self) -> str:
        if self.how == WINDOWED:
            return (f"{self.n_sites} site(s) on a {self.pack_mb:,.0f} MB pack: read near each site through the "
                    "pack's spatial index, without loading it whole.")
        return f"{self.n_sites} site(s): the pack ({self.pack_mb:,.0f} MB) was loaded whole."


class PackScreening:
    """A pack file opened the way a batch of ``n_sites`` is answered soonest (see the module's docstring)."""

    def __init__(self, path: str | Path, n_sites: int) -> None:
        self.path = path
        _real, size, _mtime = file_version(path)  # PackError when the file is missing
        pack_mb = size / 1e6
        index = cached_index(path)
        self._index: PackIndex | None = None
        self._windowed: WindowedPack | None = None
        if index is None and windowed_pays(n_sites, pack_mb):
            self._windowed = windowed = WindowedPack(path)
            outline = windowed.outline
            ref = PackIndex.build(PackData({}, outline.metadata, outline.path)).ref
            self.route = PackRoute(WINDOWED, ref, windowed.load_notes, pack_mb, n_sites)
        else:
            self._index = index = index or load_index(path)
            self.route = PackRoute(LOADED, index.ref, index.load_notes, pack_mb, n_sites)
        log.info("screening %s", self.route.sentence())

    def screen_sites(self, geometries: Sequence[Any], refs: Sequence[str] | None = None,
                     options: ScreeningOptions | None = None, proposed_habitat: str | None = None,
                     is_cancelled: Callable[[], bool] = lambda: False,
                     progress: Callable[[float], None] = lambda _p: None) -> list[ScreeningResult | SiteError]:
        """As :func:`.engine.screen_sites`, on the route chosen."""
        resolve_proposed_habitat(proposed_habitat)  # InputError for the whole batch, whichever the route
        if self._windowed is not None:
            return self._windowed.screen_sites(geometries, refs, options, proposed_habitat, is_cancelled, progress)
        assert self._index is not None
        return screen_sites(self._index, geometries, refs, options, proposed_habitat, is_cancelled, progress)
