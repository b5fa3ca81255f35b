"""Check-out and check-in off the main thread: a QgsTask around one call into the edit engine.

A check-in is one database transaction, so it is not cancellable once it has started (the task
says so by not offering Cancel); a task cancelled before it starts does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import QgsTask

from .task_start import start_task


class EngineTask(QgsTask):
    """Runs ``work()``; ``on_done(value, error)`` runs on the main thread (``error`` is the exception, or None)."""

    def __init__(self, description: str, work: Callable[[], Any],
                 on_done: Callable[[Any, BaseException | None], None]) -> None:
        super().__init__(description, QgsTask.Flags())
        self.work = work
        self.on_done = on_done
        self.value: Any = None
        self.error: BaseException | None = None

    def run(self) -> bool:
        try:
            self.value = self.work()
        except Exception as exc:  # noqa: BLE001 - handed to on_done on the main thread, which words it
            self.error = exc
            return False
        return True

    def finished(self, result: bool) -> None:
        self.on_done(self.value if result else None, self.error)


def run_engine(description: str, work: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None],
               synchronous: bool) -> EngineTask:
    """Run ``work`` in a task (or at once, in this thread, when ``synchronous``: tests and probes)."""
    task = EngineTask(description, work, on_done)
    start_task(task, synchronous)
    return task
