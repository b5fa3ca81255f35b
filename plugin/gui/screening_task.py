"""Screening in the background: a :class:`.background_task.BackgroundTask` around
:func:`core.screening.engine.screen_sites` (or a :class:`core.screening.windowed.WindowedPack`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..core.screening.engine import PackIndex, screen_sites
from ..core.screening.options import ScreeningOptions
from ..core.screening.results import ScreeningResult, SiteError
from ..core.screening.windowed import WindowedPack
from .background_task import BackgroundTask

Results = list[ScreeningResult | SiteError]


def screening_task(description: str, index: PackIndex | WindowedPack, geometries: Sequence[Any], refs: Sequence[str],
                   options: ScreeningOptions, proposed_habitat: str | None,
                   on_done: Callable[[Results, str, bool], None]) -> BackgroundTask:
    """A task that screens ``geometries``; ``on_done(results, error, cancelled)`` gets [] when it did not finish.

    ``index``: the whole pack's index, or (while that loads) the pack read near each site.
    """
    geometries, refs = list(geometries), list(refs)

    def work(is_cancelled: Callable[[], bool], progress: Callable[[float], None]) -> Results:
        if isinstance(index, WindowedPack):
            return index.screen_sites(geometries, refs, options, proposed_habitat, is_cancelled, progress)
        return screen_sites(index, geometries, refs, options, proposed_habitat, is_cancelled=is_cancelled,
                            progress=progress)

    return BackgroundTask(description, work, lambda results, error, cancelled: on_done(results or [], error, cancelled),
                          "the check failed unexpectedly; the details are in the LNRS Toolkit tab of the message log.")
