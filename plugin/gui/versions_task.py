"""Publishing or comparing pack versions in the background: a QgsTask around one call of
:mod:`..adapters.version_store`."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from qgis.core import QgsTask

from ..core.errors import LnrsError
from ..log import log_error

#: ``work(is_cancelled, progress)`` -> the answer handed to ``on_done``.
Work = Callable[[Callable[[], bool], Callable[[float], None]], Any]


class VersionsTask(QgsTask):
    """Runs ``work`` off the main thread; ``on_done(answer, error, cancelled)`` runs on the main thread.

    Publishing is one database transaction, so its task cannot be cancelled half-way (``can_cancel=False``);
    a comparison checks for cancellation between versions and between chunks of sites.
    """

    def __init__(self, description: str, work: Work, on_done: Callable[[Any, str, bool], None],
                 can_cancel: bool = True) -> None:
        super().__init__(description, QgsTask.CanCancel if can_cancel else QgsTask.Flags())
        self.work = work
        self.on_done = on_done
        self.answer: Any = None
        self.error = ""

    def run(self) -> bool:
        try:
            self.answer = self.work(self.isCanceled, self.setProgress)
        except LnrsError as exc:
            self.error = str(exc)
            return False
        except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
            log_error(traceback.format_exc())
            self.error = ("it failed unexpectedly; the details are in the LNRS Toolkit tab of the message log. "
                          "Nothing was changed.")
            return False
        return not self.isCanceled()

    def finished(self, result: bool) -> None:
        cancelled = self.isCanceled()
        self.on_done(self.answer if result and not cancelled else None, self.error, cancelled)
