"""Autosave of the working layer's edit buffer into the working copy (issue 20, defect 8).

A moment (:data:`DELAY_MS`) after every change of the layer's edit buffer, :class:`BufferAutosave` writes a
snapshot of it into the working copy (:mod:`..core.editing.buffer_journal`), without saving the layer: its undo
history stays. Saving the layer or rolling its edits back empties the journal. If QGIS crashes, resuming the
working copy brings the journal's edits back (:func:`..core.editing.buffer_journal.replay_buffer`).
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer

from ..adapters.layer_rows import plain
from ..core.editing.buffer_journal import COLUMNS, BufferedFeature, clear_buffer, save_buffer
from ..core.errors import LnrsError
from ..log import log_error

#: How long after a change the buffer is written (a burst of changes is written once).
DELAY_MS = 1500


def _wkb(geometry: Any) -> bytes | None:
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    return bytes(geometry.asWkb())


def buffer_snapshot(layer: QgsVectorLayer) -> list[BufferedFeature]:
    """The layer's edit buffer as journal rows (new features with every column, changes, deletions)."""
    buffer = layer.editBuffer()
    if buffer is None:
        return []
    names = layer.fields().names()
    out = [BufferedFeature("add", int(fid), {n: plain(feature.attribute(n)) for n in COLUMNS if n in names},
                           _wkb(feature.geometry()))
           for fid, feature in buffer.addedFeatures().items()]
    attributes = buffer.changedAttributeValues()
    geometries = buffer.changedGeometries()
    for fid in sorted({int(f) for f in attributes} | {int(f) for f in geometries}):
        if fid < 0:
            continue  # a new feature: its latest state is in addedFeatures
        values = {names[i]: plain(v) for i, v in attributes.get(fid, {}).items()
                  if 0 <= i < len(names) and names[i] in COLUMNS}
        out.append(BufferedFeature("change", fid, values, _wkb(geometries.get(fid))))
    out.extend(BufferedFeature("delete", int(fid)) for fid in sorted(buffer.deletedFeatureIds()) if fid >= 0)
    return out


class BufferAutosave(QObject):
    """Keeps one layer's edit buffer in its working copy; ``on_error`` gets a sentence when it cannot."""

    def __init__(self, parent: QObject | None = None, on_error: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self.layer: QgsVectorLayer | None = None
        self.path: Path | None = None
        self.on_error = on_error
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DELAY_MS)
        self.timer.timeout.connect(self.flush)

    def _signals(self, layer: QgsVectorLayer) -> list[tuple[Any, Any]]:
        return [(layer.layerModified, self.schedule), (layer.afterCommitChanges, self.clear),
                (layer.afterRollBack, self.clear)]

    def attach(self, layer: QgsVectorLayer, path: Path) -> None:
        self.detach()
        self.layer, self.path = layer, Path(path)
        for signal, slot in self._signals(layer):
            signal.connect(slot)

    def detach(self) -> None:
        if self.timer.isActive():
            self.flush()
        layer, self.layer = self.layer, None
        if layer is None:
            return
        try:
            signals = self._signals(layer)
        except RuntimeError:  # the layer is gone already, and its connections with it
            return
        for signal, slot in signals:
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(slot)

    def schedule(self, *_args: object) -> None:
        self.timer.start()

    def flush(self) -> None:
        """Write the buffer now."""
        self.timer.stop()
        if self.layer is None or self.path is None or not self.path.is_file():
            return
        try:
            save_buffer(self.path, buffer_snapshot(self.layer) if self.layer.isEditable() else [])
        except LnrsError as exc:
            if self.on_error is not None:
                self.on_error(str(exc))
        except RuntimeError:  # the layer was deleted meanwhile
            log_error(traceback.format_exc())

    def clear(self, *_args: object) -> None:
        self.timer.stop()
        if self.path is not None and self.path.is_file():
            with contextlib.suppress(LnrsError):
                clear_buffer(self.path)
