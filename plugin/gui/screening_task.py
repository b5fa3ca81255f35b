"""Screening in the background: a :class:`.background_task.BackgroundTask` around
:func:`core.screening.screen_sites`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..core.screening.engine import PackIndex, screen_sites
from ..core.screening.options import ScreeningOptions
from ..core.screening.results import ScreeningResult, SiteError
from .background_task import BackgroundTask

Results = list[ScreeningResult | SiteError]


def screening_task(description: str, index: PackIndex, geometries: Sequence[Any], refs: Sequence[str],
                   options: ScreeningOptions, proposed_habitat: str | None,
                   on_done: Callable[[Results, str, bool], None]) -> BackgroundTask:
    """A task that screens ``geometries``; ``on_done(results, error, cancelled)`` gets [] when it did not finish."""
    geometries, refs = list(geometries), list(refs)

    def work(is_cancelled: Callable[[], bool], progress: Callable[[float], None]) -> Results:
        return screen_sites(index, geometries, refs, options, proposed_habitat, is_cancelled=is_cancelled,
                            progress=progress)

    return BackgroundTask(description, work, lambda results, error, cancelled: on_done(results or [], error, cancelled),
                          "the check failed unexpectedly; the details are in the LNRS Toolkit tab of the message log.")
