"""Discarding the working copy and reading the audit trail, the Edit map tab's two actions on the copy and the
map's history: :class:`DiscardAndAudit` is mixed into :class:`.editing_panel.EditingPanel`, which holds the state
they work on (as :class:`.edit_check_in.CheckIn` is)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, Qt

from ..adapters.pack_source import PackSource
from ..core.editing.edits import Edit
from ..core.editing.working_copy import WorkingCopy
from ..core.errors import LnrsError
from .audit_dialog import AuditDialog
from .edit_store import open_store
from .editing_layers import remove_working_layers, working_layers
from .history_dialog import open_history

translate = QCoreApplication.translate  # context "EditingPanel": these texts are the tab's (as before the split)


class DiscardAndAudit:
    """Discard my changes; show the audit trail (mixed into the Edit map tab)."""

    source: PackSource | None
    working: WorkingCopy | None
    pending: list[Edit]
    confirm: Callable[[str, str], bool]

    if TYPE_CHECKING:  # provided by the panel
        def show_message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None: ...
        def show_error(self, text: str) -> None: ...
        def refresh(self) -> None: ...
        def set_issues(self, issues: Sequence[Any], notes: Sequence[str] = ()) -> None: ...
        def dock_source(self) -> PackSource | None: ...
        def working_path(self, source: PackSource) -> Path: ...
        def _source_title(self, source: PackSource) -> str: ...
        def _group_name(self, source: PackSource) -> str: ...
        def _detach(self) -> None: ...

    def discard_changes(self) -> bool:
        source = self.source or self.dock_source()
        if source is None:
            return False
        path = self.working_path(source)
        if not path.is_file() and self.working is None:
            return False
        count = len(self.pending) if self.working is not None else None
        text = (translate("EditingPanel", "Throw away your {0} change(s) not yet saved to the Local Habitat Map? The "
                          "map itself is not changed. This cannot be undone.").format(count) if count is not None
                else translate("EditingPanel", "Throw away the working copy of {0} from an earlier session? The map "
                               "itself is not changed. This cannot be undone.").format(self._source_title(source)))
        if not self.confirm(translate("EditingPanel", "Discard my changes"), text):
            return False
        if not self._remove_working_copy(path):
            return False
        self.set_issues(())
        self.refresh()
        self.show_message(translate("EditingPanel",
                                    "Your working copy was discarded; the Local Habitat Map is unchanged."))
        return True

    def _remove_working_copy(self, path: Path) -> bool:
        project = QgsProject.instance()
        layer, choices = working_layers(project, path)
        if layer is not None and layer.isEditable():
            layer.rollBack()
        self._detach()
        remove_working_layers(project, (layer, choices),
                              self._group_name(self.source) if self.source is not None else None)
        close = getattr(self.working, "close", None)
        if callable(close):
            close()
        self.working = None
        self.source = None
        self.pending = []
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        except OSError as exc:
            self.show_error(translate("EditingPanel", "The working copy {0} could not be deleted: {1}").format(
                path, exc.strerror or str(exc)))
            return False
        return True

    def audit_records(self) -> list[Any]:
        source = self.source or self.dock_source()
        if source is None:
            return []
        return list(open_store(source).audit_records())

    def show_audit_trail(self) -> AuditDialog | None:
        source = self.source or self.dock_source()
        if source is None:
            self.show_error(translate("EditingPanel", "Load a Local Habitat Map pack first."))
            return None
        try:
            records = self.audit_records()
        except LnrsError as exc:
            self.show_error(translate("EditingPanel", "The audit trail could not be read: {0}").format(str(exc)))
            return None
        dialog = AuditDialog(self._source_title(source), records, self,
                             history=lambda fid: open_history(self, source, fid))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
