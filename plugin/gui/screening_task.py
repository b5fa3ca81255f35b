"""Screening in the background: a QgsTask around :func:`core.screening.screen_sites`."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from typing import Any

from qgis.core import QgsTask

from ..core.errors import LnrsError
from ..core.results import ScreeningResult, SiteError
from ..core.rules import ScreeningOptions
from ..core.screening import PackIndex, screen_sites
from ..log import log_error

Results = list[ScreeningResult | SiteError]


class ScreeningTask(QgsTask):
    """Runs the engine off the main thread; ``on_done(results, error, cancelled)`` runs on the main thread."""

    def __init__(self, description: str, index: PackIndex, geometries: Sequence[Any], refs: Sequence[str],
                 options: ScreeningOptions, proposed_habitat: str | None,
                 on_done: Callable[[Results, str, bool], None]) -> None:
        super().__init__(description, QgsTask.CanCancel)
        self.index = index
        self.geometries = list(geometries)
        self.refs = list(refs)
        self.options = options
        self.proposed_habitat = proposed_habitat
        self.on_done = on_done
        self.results: Results = []
        self.error = ""

    def run(self) -> bool:
        try:
            self.results = screen_sites(self.index, self.geometries, self.refs, self.options, self.proposed_habitat,
                                        is_cancelled=self.isCanceled, progress=self.setProgress)
        except LnrsError as exc:
            self.error = str(exc)
            return False
        except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
            log_error(traceback.format_exc())
            self.error = ("the check failed unexpectedly; the details are in the LNRS Toolkit tab of the "
                          "message log.")
            return False
        return not self.isCanceled()

    def finished(self, result: bool) -> None:
        cancelled = self.isCanceled()
        self.on_done([] if cancelled or not result else self.results, self.error, cancelled)
