"""Check-in, the Edit map tab's way to the map: the working layer's edits are committed into the working copy,
validated (errors refuse the save, warnings do not), saved with a reason, conflicts resolved per feature (keep
mine / take theirs) and retried, then the working copy is rebased and what others saved is pulled in.

:class:`CheckIn` (with the watch on the working layer's commits) is mixed into
:class:`.editing_panel.EditingPanel`, which holds the state it works on; the rules are the edit engine's
(``core.editing``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from qgis.core import Qgis, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QTimer

from ..adapters.pack_source import PackCache, PackSource
from ..core.editing.checkin import EditConflict, EditRefused, SaveResult, save_edits
from ..core.editing.edits import Edit
from ..core.editing.validation_index import prepare
from ..core.editing.working_copy import WorkingCopy
from ..core.errors import LnrsError
from .dock_context import DockContext
from .edit_store import edits_report, open_store
from .edit_task import EngineTask
from .map_notice import MapNotice

#: How many times a save is retried after conflicts are resolved before giving up.
MAX_ATTEMPTS = 4
translate = QCoreApplication.translate  # context "EditingPanel": these texts are the tab's (as before the split)


class CheckIn:
    """Check changes, save them to the map, update from the map (mixed into the Edit map tab)."""

    context: DockContext
    packs: PackCache
    source: PackSource | None
    working: WorkingCopy | None
    layer: QgsVectorLayer | None
    choices_layer: QgsVectorLayer | None
    task: EngineTask | None
    pending: list[Edit]
    last_result: SaveResult | None
    synchronous: bool
    reason_provider: Callable[[str], str | None]
    conflict_resolver: Callable[[Any, str], str | None]
    _committing: bool

    if TYPE_CHECKING:  # provided by the panel
        def show_message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None: ...
        def show_error(self, text: str) -> None: ...
        def refresh(self) -> None: ...
        def schedule_refresh(self, *_args: Any) -> None: ...
        def set_issues(self, issues: Sequence[Any], notes: Sequence[str] = ()) -> None: ...
        def _update_buttons(self) -> None: ...
        def _engine_error(self, what: str, error: BaseException) -> None: ...
        def _source_title(self, source: PackSource) -> str: ...
        def _run(self, description: str, work: Callable[[], Any],
                 done: Callable[[Any, BaseException | None], None]) -> None: ...

    def _commit_layer(self) -> bool:
        """Save the layer's edit buffer into the working copy (what QGIS's Save Layer Edits does)."""
        if self.layer is None or not self.layer.isModified():
            return True
        self._committing = True
        try:
            ok = self.layer.commitChanges(False)
        finally:
            self._committing = False
        if not ok:
            errors = "; ".join(self.layer.commitErrors()) or translate("EditingPanel", "no reason given")
            self.show_error(translate("EditingPanel", "Your edits could not be saved into the working copy: "
                                                      "{0}").format(errors))
            return False
        if not self.layer.isEditable():
            self.layer.startEditing()
        return True

    def _on_layer_committed(self) -> None:
        """QGIS saved the working layer: check the changes in and save them to the map."""
        if self._committing or self.working is None:
            return
        if self.task is not None:  # the map is being read or saved in the background: send these edits after it
            self.schedule_refresh()
            if not getattr(self, "_save_waiting", False):
                self._save_waiting = True
                self.show_message(translate("EditingPanel", "Your edits are saved in the working copy; they go to the "
                                                            "map as soon as the map has finished loading or saving."))
            QTimer.singleShot(250, self._on_layer_committed)
            return
        self._save_waiting = False
        if self.synchronous:
            self.save_to_map()
        else:
            QTimer.singleShot(0, self.save_to_map)

    def check_changes(self) -> bool:
        """Validate the pending changes and list the problems; True when nothing blocks a save (in the background:
        True when the check started)."""
        def checked(report: Any) -> bool:
            if report.ok:
                self.show_message(translate("EditingPanel", "Your {0} change(s) pass every check{1}.").format(
                    len(self.pending), translate("EditingPanel", ", with {0} warning(s)").format(
                        len(report.warnings)) if report.warnings else ""), Qgis.MessageLevel.Success)
            return bool(report.ok)

        return self._validate(checked)

    def _validate(self, then: Callable[[Any], bool]) -> bool:
        """Commit the layer, read the pending edits and validate them in a task (issues listed), then ``then(report)``
        on the main thread when nothing blocks. Returns ``then``'s answer (in the background: whether it started)."""
        if self.working is None or self.source is None:
            self.show_error(translate("EditingPanel", "Start editing first."))
            return False
        if not self._commit_layer():
            return False
        self.refresh()
        if not self.pending:
            self.set_issues(())
            self.show_message(translate("EditingPanel", "You have no changes to save: the working copy matches the "
                                                        "Local Habitat Map."))
            return False
        source, pending = self.source, list(self.pending)
        result: list[bool] = []

        def work() -> Any:  # loading the pack and building its indexes, when they are not ready, take a moment
            return edits_report(pending, self.packs.get(source).pack)

        def done(report: Any, error: BaseException | None) -> None:
            self.task = None
            self._update_buttons()
            if error is not None:
                self._engine_error(translate("EditingPanel", "Your changes could not be checked"), error)
                result.append(False)
                return
            self.set_issues(report.issues, report.notes)
            if not report.ok:
                self._refused(report)
                result.append(False)
                return
            result.append(then(report))

        self._run(translate("EditingPanel", "LNRS: check the changes"), work, done)
        return bool(result and result[0]) if self.synchronous else True

    def _refused(self, report: Any) -> None:
        """The message bar names the first problems; the Problems list has them all."""
        errors = report.errors
        first = " ".join(issue.message for issue in errors[:2])
        more = len(errors) - 2
        self.show_error(translate("EditingPanel", "Nothing was saved to the Local Habitat Map: {0} problem(s) must be "
                                                  "fixed first. {1}"
                                ).format(len(errors), first)
                        + (translate("EditingPanel", " …and {0} more in the Problems list.").format(more)
                           if more > 0 else ""))

    def save_to_map(self) -> bool:
        """Check, ask for a reason, and save the pending changes to the pack (conflicts asked per feature)."""
        if self.task is not None:
            self.show_message(translate("EditingPanel", "The map is being read or saved; save again when it has "
                                                        "finished."), Qgis.MessageLevel.Warning)
            return False
        return self._validate(self._ask_and_save)

    def _ask_and_save(self, report: Any) -> bool:
        summary = self._summary(report)
        reason = self.reason_provider(summary)
        if reason is None or not reason.strip():
            self.show_message(translate("EditingPanel", "Nothing was saved: a reason is needed for the audit trail. "
                                                        "Your changes are still in the working copy."),
                              Qgis.MessageLevel.Warning)
            return False
        return self._save(list(self.pending), reason.strip(), {}, [], 1)

    def _summary(self, report: Any) -> str:
        counts = {kind: sum(e.kind == kind for e in self.pending) for kind in ("insert", "update", "delete")}
        text = translate("EditingPanel", "You are saving {0} change(s) to {1}: {2} new, {3} changed, {4} deleted "
                                         "area(s).").format(
            len(self.pending), self._source_title(self.source) if self.source else "", counts["insert"],
            counts["update"], counts["delete"])
        if report.warnings:
            text += "\n" + translate("EditingPanel", "{0} warning(s), which do not stop the save:").format(
                len(report.warnings))
            text += "".join(f"\n\u2022 {w.message}" for w in report.warnings[:5])
            if len(report.warnings) > 5:
                text += "\n" + translate("EditingPanel", "\u2026 and {0} more in the Problems list.").format(
                    len(report.warnings) - 5)
        return text

    def _save(self, edits: list[Any], reason: str, resolutions: dict[str, str], theirs: list[Any],
              attempt: int) -> bool:
        source = self.source
        if source is None:
            return False
        user = self._user()
        result: list[bool] = []
        try:  # written into the working copy before sending: a resumed copy does not save twice
            session = self.working.checkin_session() if self.working is not None else None
        except LnrsError as exc:
            self.show_error(str(exc))
            return False
        notice = getattr(self, "map_notice", None)
        if session and notice is not None:
            notice.own(session)  # this editor's own check-in is not news

        def work() -> Any:
            pack = self.packs.get(source).pack
            return save_edits(open_store(source), edits, reason=reason, user=user, pack=pack,
                              resolutions=dict(resolutions), session=session)

        def done(saved: Any, error: BaseException | None) -> None:
            self.task = None
            result.append(self._after_save(saved, error, edits, reason, resolutions, theirs, attempt))
            self._update_buttons()

        self._run(translate("EditingPanel", "LNRS: save the opportunity areas to the Local Habitat Map"), work, done)
        return bool(result and result[0]) if self.synchronous else True

    def _after_save(self, saved: Any, error: BaseException | None, edits: list[Any], reason: str,
                    resolutions: dict[str, str], theirs: list[Any], attempt: int) -> bool:
        if isinstance(error, EditRefused):
            self.set_issues(error.report.issues, error.report.notes)
            self._refused(error.report)
            return False
        if isinstance(error, EditConflict):
            if attempt >= MAX_ATTEMPTS:
                self.show_error(translate("EditingPanel", "Nothing was saved: others keep changing the same areas. Try "
                                                          "again in a moment; your changes are still in the working "
                                                          "copy."))
                return False
            resolutions = dict(resolutions)
            theirs = list(theirs)
            conflicts = list(error.conflicts)
            for number, conflict in enumerate(conflicts, 1):
                choice = self.conflict_resolver(conflict, translate("EditingPanel", "{0} of {1}").format(
                    number, len(conflicts)))
                if choice not in ("mine", "theirs"):
                    self.show_message(translate("EditingPanel", "Nothing was saved. Your changes are still in the "
                                                                "working copy; save again when you are ready to "
                                                                "resolve the conflict."), Qgis.MessageLevel.Warning)
                    return False
                resolutions[conflict.edit.key] = choice
                if choice == "theirs":
                    theirs.append(conflict)
            return self._save(edits, reason, resolutions, theirs, attempt + 1)
        if error is not None:
            self._engine_error(translate("EditingPanel", "Nothing was saved to the Local Habitat Map"), error)
            return False
        return self._finish(saved, theirs)

    def _finish(self, saved: SaveResult, theirs: Sequence[Any]) -> bool:
        self.last_result = saved
        if self.working is None:  # discarded while the save ran: the map has the changes, nothing to rebase
            return True
        try:
            self.working.take_theirs_all(theirs)
            self.working.after_save(saved)
        except LnrsError as exc:
            self.show_error(translate("EditingPanel", "The map was saved, but your working copy could not be brought "
                                                      "up to date ({0}); discard it and start editing "
                                                      "again.").format(str(exc)))
            return False
        if self.layer is not None and (saved.new_fids or saved.merged or theirs):  # the rebase changed rows it shows
            self.layer.reload()
            self.layer.triggerRepaint()
        report = getattr(saved, "report", None)
        self.set_issues(report.issues if report is not None else (), report.notes if report is not None else ())
        self.refresh()
        kept = len(theirs)
        taken = translate("EditingPanel", " ({0} area(s) taken from the map as others left them)").format(
            kept) if kept else ""
        self.show_message(translate("EditingPanel", "Saved {0} change(s) to the Local Habitat Map{1}; its content "
                                                    "hash is now {2}\u2026").format(
            saved.applied, taken, saved.content_sha256[:12]), Qgis.MessageLevel.Success)
        source = self.source

        def reloaded(pulled: Any) -> bool:  # the pack was reloaded in the background: the dock screens against it
            if source is not None and self.context.pack_path == str(source):
                self.context.refresh_pack()
            if pulled is not None and (pulled.updated or pulled.added or pulled.removed):
                self.show_message(self._pulled_text(pulled), Qgis.MessageLevel.Success)
            return True

        self.packs.invalidate(self.source)
        self._pull(reloaded)
        return True

    # ------------------------------------------------------------------ others' changes
    def update_from_map(self) -> bool:
        """Bring what others saved to the map into the working copy, for every area not changed here."""
        if self.working is None or self.source is None:
            self.show_error(translate("EditingPanel", "Start editing first."))
            return False
        if not self._commit_layer():
            return False
        return self._pull(self._pulled)

    def _pulled(self, pulled: Any) -> bool:
        """What Update from the map says."""
        if pulled is None:
            return False
        if pulled.updated or pulled.added or pulled.removed:
            self.show_message(self._pulled_text(pulled), Qgis.MessageLevel.Success)
        else:
            self.show_message(translate("EditingPanel", "Your working copy already has everything others saved to the "
                                                        "map."))
        if pulled.kept:
            self.show_message(translate("EditingPanel", "{0} area(s) you changed were also changed in the map: they "
                                                        "stay as you have them, and saving asks which version to "
                                                        "keep.").format(len(pulled.kept)),
                              Qgis.MessageLevel.Warning)
        return True

    def _pull(self, then: Callable[[Any], bool]) -> bool:
        """``WorkingCopy.refresh`` against the pack as it is now, in a task that also (re)loads the pack and readies
        it for the next check (:func:`~..core.editing.validation_index.prepare`); then the layer is reloaded and
        ``then(result or None)`` runs on the main thread. Returns ``then``'s answer (in the background: True)."""
        working, source = self.working, self.source
        if working is None or source is None:
            return then(None)
        result: list[bool] = []

        def work() -> Any:
            pack = self.packs.get(source).pack
            prepare(pack)
            return working.refresh(pack)

        def done(pulled: Any, error: BaseException | None) -> None:
            self.task = None
            if error is not None:
                self._engine_error(translate("EditingPanel", "What others saved to the map could not be brought into "
                                                             "your working copy"), error)
                pulled = None
            elif self.layer is not None and (pulled.updated or pulled.added or pulled.removed):
                self.layer.reload()
                self.layer.triggerRepaint()
            self.refresh()
            result.append(then(pulled))

        self._run(translate("EditingPanel", "LNRS: bring in what others saved to the map"), work, done)
        return bool(result and result[0]) if self.synchronous else True

    def _pulled_text(self, pulled: Any) -> str:
        return translate("EditingPanel", "Brought in what others saved to the map: {0} area(s) changed, {1} new, {2} "
                                         "deleted.").format(
            len(pulled.updated), len(pulled.added), len(pulled.removed))

    def _user(self) -> str:
        return self.context.officer()

    # ------------------------------------------------------------------ the working layer
    def _attach(self, layer: QgsVectorLayer, choices: QgsVectorLayer) -> None:
        if layer is self.layer:
            return
        self._detach()
        self.layer = layer
        self.choices_layer = choices
        layer.afterCommitChanges.connect(self._on_layer_committed)
        layer.layerModified.connect(self.schedule_refresh)
        layer.editingStarted.connect(self.schedule_refresh)
        layer.editingStopped.connect(self.schedule_refresh)
        layer.willBeDeleted.connect(self._on_layer_deleted)
        autosave = getattr(self, "autosave", None)
        if autosave is not None and self.working is not None:
            autosave.attach(layer, self.working.path)
        self._watch_map()

    def _watch_map(self) -> None:
        """Watch the pack for a colleague's check-in: the file, or LISTEN/NOTIFY in PostGIS (:mod:`.map_notice`)."""
        notice = getattr(self, "map_notice", None)
        if notice is None:
            notice = self.map_notice = MapNotice(self)
        notice.start()

    def _detach(self) -> None:
        autosave = getattr(self, "autosave", None)
        if autosave is not None:
            autosave.detach()
        notice = getattr(self, "map_notice", None)
        if notice is not None:
            notice.stop()
        layer, self.layer, self.choices_layer = self.layer, None, None
        if layer is None:
            return
        for signal, slot in ((layer.afterCommitChanges, self._on_layer_committed),
                             (layer.layerModified, self.schedule_refresh),
                             (layer.editingStarted, self.schedule_refresh),
                             (layer.editingStopped, self.schedule_refresh),
                             (layer.willBeDeleted, self._on_layer_deleted)):
            with contextlib.suppress(TypeError, RuntimeError):
                signal.disconnect(slot)

    def _on_layer_deleted(self) -> None:
        autosave = getattr(self, "autosave", None)
        if autosave is not None:
            autosave.detach()  # writes what the buffer still holds, while the layer still exists
        self.layer = None
        self.choices_layer = None
        self.schedule_refresh()
