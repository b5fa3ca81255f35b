"""Starting a QgsTask from a panel: at once in this thread for tests, else in QGIS's task manager."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsApplication, QgsTask


def start_task(task: QgsTask, synchronous: bool, progress: Any = None) -> bool:
    """Run ``task`` now (``synchronous``: tests and probes) or hand it to the task manager, its progress shown in
    ``progress`` (a QProgressBar). Returns True when the task runs in the background (the caller keeps it)."""
    if synchronous:
        task.finished(task.run())
        return False
    if progress is not None:
        task.progressChanged.connect(lambda p: progress.setValue(int(p)))
        progress.setValue(0)
    QgsApplication.taskManager().addTask(task)
    return True
