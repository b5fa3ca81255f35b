"""Screening a site without loading the whole pack: the features near it, read through the file's R-tree.

The first answer on a national map should not wait for a million polygons to load. For each site (for a
batch, each tile of nearby sites: :func:`tiles`) this reads every feature within reach of it (:func:`reach_m`:
the search distance, or the largest buffer any feature can have when that is larger), builds the engine's
index over them and screens the site with the one engine. Findings, verdicts, measures and significance are
those of the whole pack: a feature out of reach can change none of them. What the whole pack decides (is the
site outside the strategy area or the map's extent) is taken from the outline of the whole file, not from the
window.

Differences from a full load: the notes that count invalid polygons repaired at load speak of the features
read for this site (or tile), and the map's extent (used only when a pack
has no strategy area) comes from the R-tree, whose boxes SQLite stores rounded outwards to single
precision (a few centimetres at British National Grid coordinates).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import shapely

from ..errors import InputError
from ..pack.integrity import validated
from ..pack.model import PackData
from ..pack.schema import AREA, LPA_BOUNDARIES, TREES
from ..pack.window import GpkgWindows, PackOutline, WindowSource
from .engine import PackIndex, screen_sites
from .options import ScreeningOptions
from .results import ScreeningResult, SiteError

#: Added to the reach so that rounding in the R-tree's single-precision boxes never leaves a feature out (m).
REACH_MARGIN_M = 1.0


def reach_m(outline: PackOutline, options: ScreeningOptions) -> float:
    """How far from a site a feature can still change its answer (m)."""
    rules = options.buffers
    reach = max(options.search_distance_m, max((b for _, b in rules.habitat_buffer_m), default=0.0))
    if outline.indexed.get(TREES.name, False) is not False:
        tree, _ = rules.for_tree(outline.tree_stem_max_m, outline.tree_crown_max_m)
        reach = max(reach, tree, rules.assumed_tree_buffer_m)
    return reach + REACH_MARGIN_M


#: A batch is screened a tile of nearby sites at a time (one window read, one engine call per tile). Tiles are
#: cells of a grid of this side (m), cut in four while one window would cost more than separate ones.
MAX_TILE_M = 20_000.0
MIN_TILE_M = 1_000.0
#: What reading one more window costs, as the area of map (m²) whose features cost as much to read and index
#: (make bench, 2026-12-07: about 8 ms a window against 22 µs a feature, at the bench's 51 features a km²).
WINDOW_COST_M2 = 7e6

Bounds4 = tuple[float, float, float, float]


def _bounds(geometry: Any) -> Bounds4 | None:
    """The envelope of a site, or None when it has none (no geometry, empty, not a geometry)."""
    try:
        if geometry is None or shapely.is_missing(geometry) or shapely.is_empty(geometry):
            return None
        b = tuple(float(v) for v in shapely.bounds(geometry))
    except (TypeError, ValueError, shapely.errors.GEOSException):
        return None
    if not all(math.isfinite(v) for v in b):
        return None
    return (b[0], b[1], b[2], b[3])


def tiles(bounds: Sequence[Bounds4 | None], reach: float) -> list[list[int]]:
    """Sites (by position) in tiles, each tile's sites in input order; a site without usable bounds is a tile of
    its own. A cell of the grid (:data:`MAX_TILE_M`) is one tile when its window (its sites' envelope grown by
    ``reach``) costs no more than a window per site (:data:`WINDOW_COST_M2` each); else it is cut in four, down to
    :data:`MIN_TILE_M`, below which its sites get a window each.

    Any grouping gives the same answers (a window holds every feature within reach of each of its sites); the
    tiles only decide how many windows are read and how much map each reads.
    """
    out: list[list[int]] = [[i] for i, b in enumerate(bounds) if b is None]
    cells: dict[tuple[int, int], list[tuple[int, Bounds4]]] = {}
    for i, b in enumerate(bounds):
        if b is not None:
            cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
            cells.setdefault((math.floor(cx / MAX_TILE_M), math.floor(cy / MAX_TILE_M)), []).append((i, b))
    for (gx, gy), items in cells.items():
        _tile(items, gx * MAX_TILE_M, gy * MAX_TILE_M, MAX_TILE_M, reach, out)
    return out


def _window_m2(b: Bounds4, reach: float) -> float:
    return (b[2] - b[0] + 2 * reach) * (b[3] - b[1] + 2 * reach)


def _tile(items: list[tuple[int, Bounds4]], x0: float, y0: float, side: float, reach: float,
          out: list[list[int]]) -> None:
    """``items`` (sites whose envelope centres lie in the cell at ``x0, y0``) as one tile, or the cell cut in four."""
    if len(items) == 1:
        out.append([items[0][0]])
        return
    whole = (min(b[0] for _, b in items), min(b[1] for _, b in items), max(b[2] for _, b in items),
             max(b[3] for _, b in items))
    separate = sum(_window_m2(b, reach) for _, b in items) + (len(items) - 1) * WINDOW_COST_M2
    if _window_m2(whole, reach) <= separate:
        out.append(sorted(i for i, _ in items))
        return
    if side <= MIN_TILE_M:
        out.extend([i] for i, _ in items)
        return
    half = side / 2
    quarters: dict[tuple[bool, bool], list[tuple[int, Bounds4]]] = {}
    for i, b in items:
        quarters.setdefault(((b[0] + b[2]) / 2 >= x0 + half, (b[1] + b[3]) / 2 >= y0 + half), []).append((i, b))
    for (right, top), part in quarters.items():
        _tile(part, x0 + half * right, y0 + half * top, half, reach, out)


class WindowedPack:
    """A pack answered site by site from its spatial index; safe to use from several threads.

    ``source``: a pack file path (read through its R-tree) or any :class:`..pack.window.WindowSource` (the
    PostGIS adapter sends the neighbourhood query to the database). The strategy area is read once, whole (a
    few polygons: it decides whether a site is in the strategy), and everything else per site. When the pack
    changes the outline is read again before the next site, so an answer never mixes two versions of it.
    """

    def __init__(self, source: str | Path | WindowSource) -> None:
        self.source: WindowSource = GpkgWindows(source) if isinstance(source, (str, Path)) else source
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        version = self.source.version()
        outline = self.source.outline()
        area_index = None
        if AREA.name in outline.present:
            area = self.source.read_all(outline, AREA)
            area_index = PackIndex.build(validated(PackData({AREA.name: area}, outline.metadata, outline.path)))
        with self._lock:
            self.outline, self._version = outline, version
            self._coverage = area_index.coverage if area_index is not None else None
            self._area_notes = area_index.load_notes if area_index is not None else ()

    @property
    def load_notes(self) -> tuple[str, ...]:
        """Notes on the strategy area as read (repairs); each window's own notes come with its sites' results."""
        return self._area_notes

    def refresh(self) -> None:
        """Read the outline again if the pack changed since it was read."""
        if self.source.version() != self._version:
            self._open()

    def index_near(self, geometry: Any, options: ScreeningOptions | None = None) -> PackIndex:
        """The engine's index over every feature within reach of ``geometry`` (EPSG:27700)."""
        return self._index_over(_bounds(geometry) or (0.0, 0.0, 0.0, 0.0), options or ScreeningOptions())

    def _index_over(self, bounds: tuple[float, float, float, float], opt: ScreeningOptions) -> PackIndex:
        """The engine's index over every feature within reach of the rectangle ``bounds``."""
        x0, y0, x1, y1 = bounds
        reach = reach_m(self.outline, opt)
        window = self.source.window(self.outline, (x0 - reach, y0 - reach, x1 + reach, y1 + reach),
                                    (AREA.name, LPA_BOUNDARIES.name))  # LPA boundaries: parcels only
        index = PackIndex.build(window)
        notes = tuple(dict.fromkeys([*self._area_notes, *index.load_notes]))
        return replace(index, coverage=self._coverage, extent=self.outline.extent, load_notes=notes)

    def screen_sites(self, geometries: Sequence[Any], refs: Sequence[str] | None = None,
                     options: ScreeningOptions | None = None, proposed_habitat: str | None = None,
                     is_cancelled: Callable[[], bool] = lambda: False,
                     progress: Callable[[float], None] = lambda _p: None) -> list[ScreeningResult | SiteError]:
        """As :func:`.engine.screen_sites`: one window per tile of sites (:func:`tiles`), one site's for a single site.

        Returns the results so far when ``is_cancelled()`` turns true (callers discard them).
        """
        opt = options or ScreeningOptions()
        refs = list(refs) if refs is not None else [str(i + 1) for i in range(len(geometries))]
        self.refresh()
        bounds = [_bounds(g) for g in geometries]
        out: list[ScreeningResult | SiteError | None] = [None] * len(geometries)
        done = 0
        for tile in tiles(bounds, reach_m(self.outline, opt)):
            if is_cancelled():
                break
            known = [b for b in (bounds[i] for i in tile) if b is not None]
            box = (min(b[0] for b in known), min(b[1] for b in known), max(b[2] for b in known),
                   max(b[3] for b in known)) if known else (0.0, 0.0, 0.0, 0.0)
            index = self._index_over(box, opt)
            results = screen_sites(index, [geometries[i] for i in tile], [refs[i] for i in tile], opt,
                                   proposed_habitat)
            for i, result in zip(tile, results):
                out[i] = replace(result, index=i)
            done += len(tile)
            progress(100.0 * done / max(1, len(geometries)))
        return [r for r in out if r is not None]

    def screen_site(self, geometry: Any, site_ref: str = "1", options: ScreeningOptions | None = None,
                    proposed_habitat: str | None = None) -> ScreeningResult:
        """As :func:`.engine.screen_site`: one site, or :class:`InputError` when it cannot be screened."""
        result = self.screen_sites([geometry], [site_ref], options, proposed_habitat)[0]
        if isinstance(result, SiteError):
            raise InputError(result.message)
        return result
