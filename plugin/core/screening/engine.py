"""The screening engine: one API behind the dock, Processing and the command line.

``PackIndex.build(pack)`` once per pack version, then ``screen_sites(index, geometries, ...)``.
All geometry is in EPSG:27700 metres. A batch is cut into chunks of sites; within a chunk the work is
vectorised per layer (one STRtree query and one GEOS call per layer and step), so a single site and a
year of applications use the same code path. The chunks of a batch are screened side by side, one per
core (GEOS runs outside the GIL), and their results are taken in input order; the answers are the same,
to the last bit, as screening the chunks one after another.

Where each step lives, in the order a chunk runs through them:

- :mod:`.index`: the pack's layers in STRtrees (``PackIndex``, ``LayerIndex``), built once per pack version;
- :mod:`.chunk`: one chunk of sites, from prepared geometries to results;
- :mod:`.candidates`: the features near each site, their distance and overlap, buffer zone intrusions;
- :mod:`.opportunity`: union areas of the opportunity pieces, per site and per measure code;
- :mod:`.findings`: irreplaceable, designated and measure findings, strategic significance;
- :mod:`.priority_findings`: Priority Habitats Inventory findings;
- :mod:`.verdict`: the verdict table applied and the reasons worded;
- :mod:`.batch`: threads, chunks and the paused collector (performance only, no rules).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..errors import InputError
from ..metric.habitats import HabitatTable, ResolvedHabitat, default_table
from .batch import run_in_chunks
from .chunk import screen_chunk
from .findings import Context
from .index import LayerIndex, PackIndex
from .options import ScreeningOptions
from .priority_findings import COLUMNS as PRIORITY_COLUMNS
from .results import ScreeningResult, SiteError

__all__ = [
    "LayerIndex",
    "PackIndex",
    "resolve_proposed_habitat",
    "screen_site",
    "screen_sites",
]


def resolve_proposed_habitat(text: str | None, table: HabitatTable | None = None) -> ResolvedHabitat | None:
    """The metric habitat (or broad habitat) named by ``text``; InputError with suggestions if unknown."""
    if text is None or not str(text).strip():
        return None
    table = table or default_table()
    resolved = table.resolve(text)
    if resolved is None:
        hints = table.suggest(text)
        hint = f" Did you mean: {'; '.join(hints)}?" if hints else ""
        raise InputError(f"'{text}' is not a habitat of the statutory biodiversity metric.{hint}")
    return resolved


def screen_sites(index: PackIndex, geometries: Sequence[Any], refs: Sequence[str] | None = None,
                 options: ScreeningOptions | None = None, proposed_habitat: str | None = None,
                 is_cancelled: Callable[[], bool] = lambda: False,
                 progress: Callable[[float], None] = lambda _p: None,
                 habitat_table: HabitatTable | None = None) -> list[ScreeningResult | SiteError]:
    """Screen every geometry (EPSG:27700); one result or :class:`SiteError` per input, in input order.

    Raises :class:`InputError` for a bad ``proposed_habitat`` (it applies to the whole batch).
    Returns the results so far when ``is_cancelled()`` turns true (callers discard them).
    """
    opt = options or ScreeningOptions()
    if opt.search_distance_m < 0:
        raise InputError("the search distance cannot be negative.")
    if opt.sliver_tolerance_m2 < 0:
        raise InputError("the sliver tolerance cannot be negative.")
    resolved = resolve_proposed_habitat(proposed_habitat, habitat_table)
    ctx = Context(index, opt, resolved, proposed_habitat.strip() if proposed_habitat else None)
    refs = list(refs) if refs is not None else [str(i + 1) for i in range(len(geometries))]
    _warm(ctx)

    def chunk(lo: int, hi: int) -> list[ScreeningResult | SiteError]:
        return screen_chunk(ctx, geometries[lo:hi], refs[lo:hi], lo)

    return run_in_chunks(len(geometries), chunk, is_cancelled, progress)


def screen_site(index: PackIndex, geometry: Any, site_ref: str = "1", options: ScreeningOptions | None = None,
                proposed_habitat: str | None = None) -> ScreeningResult:
    """Screen one site; raises :class:`InputError` when the site cannot be screened."""
    result = screen_sites(index, [geometry], [site_ref], options, proposed_habitat)[0]
    if isinstance(result, SiteError):
        raise InputError(result.message)
    return result


def _warm(ctx: Context) -> None:
    """Fill the index's caches that chunks read, before chunks run side by side."""
    index, rules = ctx.index, ctx.options.buffers
    index.habitat_buffers(rules)
    index.tree_buffers(rules)
    for li, columns in ((index.irreplaceable, ("habitat_type", "name", "ref", "status", "inventory")),
                        (index.trees, ("name", "ref", "status")),
                        (index.designated, ("designation", "name", "ref")),
                        (index.priority_habitats, PRIORITY_COLUMNS)):
        if li is not None:
            for column in columns:
                if column in li.columns:
                    li.texts(column)

