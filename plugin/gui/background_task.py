"""Engine work in the background: a QgsTask around one call that may report progress and be cancelled.

The dock's screening, the Parcels tab and the Versions tab each run their work through :class:`BackgroundTask`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from qgis.core import QgsTask

from ..core.errors import LnrsError
from ..core.pack.store import Cancelled
from ..log import log_error

#: ``work(is_cancelled, progress)`` -> the answer handed to ``on_done``.
Work = Callable[[Callable[[], bool], Callable[[float], None]], Any]


class BackgroundTask(QgsTask):
    """Runs ``work`` off the main thread; ``on_done(answer, error, cancelled)`` runs on the main thread.

    ``answer`` is None when the work failed or was cancelled. ``error`` is the message of an
    :class:`LnrsError`, or ``unexpected`` for any other exception (whose traceback goes to the message log).
    A task whose work is one database transaction cannot be cancelled half-way (``can_cancel=False``).
    The work (and whatever it holds, such as layers' feature sources) is released when the task finishes.
    """

    def __init__(self, description: str, work: Work, on_done: Callable[[Any, str, bool], None], unexpected: str,
                 can_cancel: bool = True) -> None:
        super().__init__(description, QgsTask.Flag.CanCancel if can_cancel else QgsTask.Flags())
        self.work: Work | None = work
        self.on_done = on_done
        self.unexpected = unexpected
        self.answer: Any = None
        self.error = ""

    def run(self) -> bool:
        if self.work is None:
            return False
        try:
            self.answer = self.work(self.isCanceled, self.setProgress)
        except Cancelled:
            return False
        except LnrsError as exc:
            self.error = str(exc)
            return False
        except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
            log_error(traceback.format_exc())
            self.error = self.unexpected
            return False
        return not self.isCanceled()

    def finished(self, result: bool) -> None:
        cancelled = self.isCanceled()
        answer, self.answer, self.work = self.answer, None, None
        self.on_done(answer if result and not cancelled else None, self.error, cancelled)
