"""Told when a colleague saves (issue 20, what teams miss), for a GeoPackage pack: the file is watched while a
working copy of it is open; when its content hash moves away from the one the working copy last knew (a check-in by
someone else, not this editor's own, which the working copy takes in at once), the editor is told and offered
*Update from the map* (:mod:`.map_notice`; a PostGIS pack is listened to instead: :mod:`.map_listen`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from qgis.PyQt.QtCore import QFileSystemWatcher, QObject, QTimer

from ..core.errors import LnrsError
from ..core.pack.gpkg import open_readonly, read_metadata_pairs

#: How long after the file changed it is read (a check-in writes it in several steps).
SETTLE_MS = 1000


def pack_content_sha256(path: Path) -> str:
    """The content hash the pack file holds now ("" when it cannot be read)."""
    with contextlib.suppress(LnrsError, sqlite3.Error, OSError):
        conn = open_readonly(path)
        try:
            return read_metadata_pairs(conn).get("content_sha256", "")
        finally:
            conn.close()
    return ""


class MapWatch(QObject):
    """Watches one pack file; calls ``notify(hash)`` when it holds content the working copy has not seen."""

    def __init__(self, parent: QObject | None, known: Callable[[], str], busy: Callable[[], bool],
                 notify: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.known, self.busy, self.notify = known, busy, notify
        self.path: Path | None = None
        self.told = ""  # the hash last told about: told once
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._touched)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.check)

    def watch(self, path: Path | None) -> None:
        self.stop()
        if path is not None and path.is_file():
            self.path = path
            self.watcher.addPath(str(path))

    def stop(self) -> None:
        self.timer.stop()
        if self.watcher.files():
            self.watcher.removePaths(self.watcher.files())
        self.path = None

    def _touched(self, _path: str) -> None:
        if self.path is not None and str(self.path) not in self.watcher.files() and self.path.is_file():
            self.watcher.addPath(str(self.path))  # a file replaced as a whole is watched again
        self.timer.start()

    def check(self) -> None:
        if self.path is None:
            return
        if self.busy():  # this editor's own save is running: look again once it is done
            self.timer.start()
            return
        now = pack_content_sha256(self.path)
        if now and now != self.known() and now != self.told:
            self.told = now
            self.notify(now)
