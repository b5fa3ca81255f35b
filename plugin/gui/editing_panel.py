"""The dock's "Edit map" tab: the LNRS team edits the opportunity areas with QGIS's own tools.

Editing is check-out / check-in (see docs/editing.md):

- *Start editing* checks the pack's opportunity areas out into a working copy, a scratch GeoPackage in
  the QGIS profile (``lnrs_toolkit/working``), added to the project as a styled layer in edit mode whose
  form picks measures from the pack's catalogue. A working copy left by a crash is offered for resuming.
- *Save to the Local Habitat Map* (or QGIS's Save Layer Edits on the working layer) runs the edit engine: validation
  errors refuse the save and are listed here (click to zoom); warnings do not block; a reason is required; a feature
  someone else changed since check-out is a conflict resolved per feature (keep mine / take theirs). The pack gets
  the changes and their audit rows in one transaction; the working copy is rebased. *Save to my working copy*
  (:mod:`.working_copy_save`) keeps edits without sending them; the *PostGIS* menu is :mod:`.postgis_setup_menu`.

The panel holds no rules: validation, diffing, conflicts and the audit come from the engine (``core.editing``). The
check-in flow is :class:`.edit_check_in.CheckIn`; the working copy's project layers are :mod:`.editing_layers`; the
Problems list is :class:`.edit_issues.IssuesBox`, with *Snap to the boundary* (:mod:`.edit_snap_action`) under it;
the project's snapping while the areas are edited is :mod:`.edit_snapping`. Dialogs are callable attributes
(``reason_provider``, ``conflict_resolver``, ``resume_chooser``, ``confirm``) so tests drive everything synchronously.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ..adapters.pack_source import PackSource
from ..core.editing.buffer_journal import buffered, replay_buffer
from ..core.editing.checkin import SaveResult
from ..core.editing.edits import Edit
from ..core.editing.opportunity_feature import geometry_sha256
from ..core.editing.validation_report import ValidationIssue
from ..core.editing.working_copy import WorkingCopy, check_out, opportunity_refusal
from ..core.errors import InputError, LnrsError
from ..core.pack.schema import MEASURES, OPPORTUNITY
from ..log import log_error
from .conflict_dialog import ask_resolution
from .dock_context import DockContext
from .edit_autosave import BufferAutosave
from .edit_check_in import CheckIn
from .edit_discard_audit import DiscardAndAudit
from .edit_form import configure_form
from .edit_issues import IssuesBox
from .edit_questions import ask_confirm, ask_resume
from .edit_snap_action import SnapAction
from .edit_snapping import EditSnapping
from .edit_store import default_working_dir, measures_text, source_title, working_copy_name
from .edit_task import EngineTask, run_engine
from .editing_layers import add_working_layers, show_on_canvas, working_layers
from .map_highlight import flash, zoom_to
from .postgis_setup_menu import PostgisSetupMenu
from .reason_dialog import ask_reason
from .results_view import tip
from .working_copy_save import WorkingCopySave


class EditingPanel(CheckIn, DiscardAndAudit, QWidget):
    """The "Edit map" tab of the dock."""

    def __init__(self, context: DockContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editingPanel")
        self.context = context
        self.packs = context.packs
        self.working_dir = default_working_dir()
        #: Run engine calls in this thread (tests, probes) instead of a QgsTask.
        self.synchronous = False
        self.reason_provider: Callable[[str], str | None] = self._ask_reason
        self.conflict_resolver: Callable[[Any, str], str | None] = self._ask_conflict
        self.resume_chooser: Callable[[str], str | None] = self._ask_resume
        self.confirm: Callable[[str, str], bool] = self._ask_confirm
        self.source: PackSource | None = None
        self.working: WorkingCopy | None = None
        self.layer: QgsVectorLayer | None = None
        self.choices_layer: QgsVectorLayer | None = None
        self.task: EngineTask | None = None
        self.issues: tuple[ValidationIssue, ...] = ()
        self.pending: list[Edit] = []
        self.last_result: SaveResult | None = None
        self._buffered = 0
        self._committing = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(250)
        self._refresh_timer.timeout.connect(self.refresh)
        self.autosave = BufferAutosave(self, on_error=self.show_error)  # the edit buffer, kept in the working copy
        self._build()
        context.pack_changed.connect(self.schedule_refresh)  # the pack is chosen above the tabs
        self.refresh()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        group = QGroupBox(self.tr("Opportunity areas"), self)
        group.setObjectName("editGroup")
        box = QVBoxLayout(group)
        self.status_label = QLabel(group)
        self.status_label.setObjectName("editStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.status_label)
        grid = QGridLayout()  # two equal columns of short labels: they fit a 440 px dock (issue 17)
        self.start_button = QPushButton(self.tr("&Start editing"), group)
        self.start_button.setObjectName("startEditingButton")
        self.start_button.clicked.connect(lambda: self.start_editing())
        self.validate_button = QPushButton(self.tr("Chec&k changes"), group)
        self.validate_button.setObjectName("checkChangesButton")
        self.validate_button.setToolTip(self.tr("Check changes: list the problems the Local Habitat Map would refuse, "
                                                "without saving"))
        self.validate_button.clicked.connect(lambda: self.check_changes())
        self.save_button = QPushButton(self.tr("Save to t&he map\u2026"), group)
        self.save_button.setObjectName("saveToMapButton")
        self.save_button.setToolTip(self.tr("Save to the Local Habitat Map: check your changes and, with a reason, "
                                            "save them to the pack (QGIS's Save Layer Edits on the working layer does "
                                            "the same)"))
        self.save_button.clicked.connect(lambda: self.save_to_map())
        self.discard_button = QPushButton(self.tr("&Discard changes\u2026"), group)
        self.discard_button.setObjectName("discardChangesButton")
        self.discard_button.setToolTip(self.tr("Discard my changes: throw the working copy away; the Local Habitat Map "
                                               "is not changed"))
        self.discard_button.clicked.connect(lambda: self.discard_changes())
        self.update_button = QPushButton(self.tr("&Update from the map"), group)
        self.update_button.setObjectName("updateFromMapButton")
        self.update_button.setToolTip(self.tr("Bring in what others saved to the Local Habitat Map since you started, "
                                              "for every area you have not changed"))
        self.update_button.clicked.connect(lambda: self.update_from_map())
        self.audit_button = QPushButton(self.tr("&Audit trail\u2026"), group)
        self.audit_button.setObjectName("auditTrailButton")
        self.audit_button.setToolTip(self.tr("Every change saved to the pack's opportunity areas: who, when, what and "
                                             "why"))
        self.audit_button.clicked.connect(lambda: self.show_audit_trail())
        for row, pair in enumerate(((self.start_button, self.validate_button), (self.save_button, None),
                                    (self.discard_button, self.update_button), (self.audit_button, None))):
            for column, button in enumerate(pair):
                if button is not None:
                    grid.addWidget(button, row, column)
        self.local_save, self.postgis_menu = WorkingCopySave(self, grid, 1, 1), PostgisSetupMenu(self, grid, 3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        box.addLayout(grid)
        order = [self.start_button, self.validate_button, self.save_button, self.local_save.button,
                 self.discard_button, self.update_button, self.audit_button, self.postgis_menu.button]
        for first, second in zip(order, order[1:]):  # Tab goes row by row, as the buttons read
            QWidget.setTabOrder(first, second)
        self.pending_label = QLabel(group)
        self.pending_label.setObjectName("pendingChangesLabel")
        self.pending_label.setWordWrap(True)
        box.addWidget(self.pending_label)
        self.snapping = EditSnapping(self.context, group)  # the project's snapping while the areas are edited
        box.addWidget(self.snapping.checkbox)
        layout.addWidget(group)

        self.issues_box = IssuesBox(self)
        self.issues_label = self.issues_box.issues_label
        self.issues_list = self.issues_box.issues_list
        self.issues_box.issue_chosen.connect(self.show_issue)
        layout.addWidget(self.issues_box, 1)
        self.snap_action = SnapAction(self)  # Snap to the boundary, under the Problems list

    # ------------------------------------------------------------------ state
    def dock_source(self) -> PackSource | None:
        path = self.context.pack_path
        if not path:
            return None
        try:
            return PackSource.parse(path)
        except LnrsError:
            return None

    def working_path(self, source: PackSource) -> Path:
        return self.working_dir / working_copy_name(source)

    def is_editing(self) -> bool:
        return self.working is not None

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def schedule_refresh(self, *_args: Any) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Re-read the working copy's pending changes and update the labels and buttons."""
        self.pending = []
        self._buffered = 0  # edits of an earlier session's layer buffer, back when the copy is resumed
        if self.working is not None:
            try:
                self.pending = list(self.working.edits())
            except LnrsError as exc:
                self.show_error(self.tr("Your working copy cannot be read: {0}").format(str(exc)))
            except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
                log_error(traceback.format_exc())
                self.show_error(self.tr("Your working copy cannot be read; the details are in the LNRS Toolkit tab of "
                                        "the message log."))
        else:  # a working copy from an earlier session: say what it holds before it is resumed
            source = self.dock_source()
            path = self.working_path(source) if source is not None else None
            if path is not None and path.is_file():
                try:
                    self.pending = list(WorkingCopy.open(path).edits())
                    self._buffered = len(buffered(path))
                except LnrsError:
                    self.pending = []  # resuming it says why it cannot be read
        self._show_status()
        self._update_buttons()

    def _show_status(self) -> None:
        source = self.source or self.dock_source()
        if self.working is not None and self.source is not None:
            layer = self.layer.name() if self.layer is not None else self.tr("(not in the project)")
            self.status_label.setText(self.tr(
                "Editing <b>{0}</b> in the layer <i>{1}</i>. Nothing reaches the map until it passes the checks."
            ).format(
                escape(self._source_title(self.source)), escape(layer)))
            self.status_label.setToolTip(tip(str(self.working_path(self.source))))
        elif source is None:
            self.status_label.setText(self.tr("Load a Local Habitat Map pack (a GeoPackage or a PostGIS schema) to "
                                              "edit its opportunity areas."))
            self.status_label.setToolTip("")
        elif self.working_path(source).is_file():
            self.status_label.setText(self.tr(
                "You have a working copy of <b>{0}</b> from an earlier session. Start editing to resume it; nothing "
                "in it is lost.").format(escape(self._source_title(source))))
            self.status_label.setToolTip(tip(str(self.working_path(source))))
        else:
            self.status_label.setText(self.tr(
                "Start editing to check out the opportunity areas of <b>{0}</b> into a working copy you edit with "
                "QGIS's tools.").format(escape(self._source_title(source))))
            self.status_label.setToolTip("")
        counts = {kind: sum(e.kind == kind for e in self.pending) for kind in ("insert", "update", "delete")}
        text = self.tr("Pending changes: {0}").format(len(self.pending))
        if self.pending:
            text += self.tr(" ({0} new, {1} changed, {2} deleted)").format(
                counts["insert"], counts["update"], counts["delete"])
        if self._buffered:
            text += self.tr("; {0} more edit(s) left unsaved on the layer come back when you resume").format(
                self._buffered)
        if self.layer is not None and self.layer.isModified():
            text += self.tr("; more edits on the layer are not saved in the working copy yet")
        self.pending_label.setText(text)

    def _source_title(self, source: PackSource) -> str:
        return source_title(source)

    def _update_buttons(self) -> None:
        busy = self.task is not None
        source = self.dock_source()
        editing = self.working is not None
        layer_ready = self.layer is not None and self.layer.isEditable()
        self.start_button.setEnabled(not busy and (source is not None if not editing else not layer_ready))
        if not editing:
            self.start_button.setToolTip(
                self.tr("Check the pack's opportunity areas out into a working copy and edit it with QGIS's tools; "
                        "the form picks measures from the catalogue") if source is not None
                else self.tr("Load a Local Habitat Map pack first"))
        else:
            self.start_button.setToolTip(self.tr("Put the working layer back in the project, in edit mode"))
        modified = self.layer is not None and self.layer.isModified()
        self.save_button.setEnabled(not busy and editing and (bool(self.pending) or modified))
        self.validate_button.setEnabled(not busy and editing and (bool(self.pending) or modified))
        self.discard_button.setEnabled(not busy and (editing or (source is not None
                                                                 and self.working_path(source).is_file())))
        self.audit_button.setEnabled(not busy and (self.source or source) is not None)
        self.update_button.setEnabled(not busy and editing)
        self.local_save.update_state(busy)
        self.postgis_menu.update_state(busy)
        self.snap_action.update_state()

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None:
        self.context.show_message(text, level)

    def show_error(self, text: str) -> None:
        self.context.show_error(text)

    def _engine_error(self, what: str, error: BaseException) -> None:
        if isinstance(error, LnrsError):
            self.show_error(self.tr("{0}: {1}").format(what, str(error)))
            return
        log_error("".join(traceback.format_exception(type(error), error, error.__traceback__)))
        self.show_error(self.tr("{0}: an unexpected error; the details are in the LNRS Toolkit tab of the message "
                                "log.").format(what))

    # ------------------------------------------------------------------ dialogs (replaceable in tests)
    def _ask_reason(self, summary: str) -> str | None:
        return ask_reason(self, summary, self.context.settings_store)

    def _ask_conflict(self, conflict: Any, position: str) -> str | None:
        return ask_resolution(self, conflict, measures_text, geometry_sha256, position)

    def _ask_resume(self, text: str) -> str | None:
        return ask_resume(self, text)

    def _ask_confirm(self, title: str, text: str) -> bool:
        return ask_confirm(self, title, text)

    # ------------------------------------------------------------------ start / resume
    def start_editing(self) -> bool:
        """Check out (or resume) a working copy of the dock's pack and open it in edit mode."""
        if self.working is not None:
            return self._show_layers()
        source = self.dock_source()
        if source is None:
            self.show_error(self.tr("Load a Local Habitat Map pack first: a GeoPackage or a PostGIS schema with "
                                    "opportunity areas."))
            return False
        path = self.working_path(source)
        if path.is_file():
            choice = self.resume_chooser(self.tr(
                "There is a working copy of {0} from an earlier session (perhaps QGIS closed while you were editing). "
                "Resume it to keep every change in it, or discard it and check the map out again.").format(
                self._source_title(source)))
            if choice is None:
                return False
            if choice == "resume":
                return self._resume(source, path)
            if not self._remove_working_copy(path):
                return False
        return self._check_out(source, path)

    def _check_out(self, source: PackSource, path: Path) -> bool:
        """Load the pack and write the working copy in a task; then the layers, and the pack readied for checks."""
        title = self._source_title(source)
        refusals = (self.tr("{0} has no opportunity areas layer to edit; add one with Add layer to Local Habitat Map "
                            "pack (role opportunity).").format(title),
                    self.tr("{0} has no measures catalogue, so measures cannot be picked or checked; add it with Add "
                            "layer to Local Habitat Map pack (role measures) first.").format(title))
        path.parent.mkdir(parents=True, exist_ok=True)
        result: list[bool] = []

        said: list[str] = []  # the refusals shown as they are

        def work() -> WorkingCopy:
            pack = self.packs.get(source).pack
            for refusal in (opportunity_refusal(pack),
                            *(r for t, r in zip((OPPORTUNITY, MEASURES), refusals) if pack.layer(t.name) is None)):
                if refusal is not None:
                    said.append(refusal)
                    raise InputError(refusal)
            return check_out(pack, str(source), path)

        def done(working: Any, error: BaseException | None) -> None:
            self.task = None
            if isinstance(error, InputError) and str(error) in said:
                self.show_error(str(error))
            elif error is not None:
                self._engine_error(self.tr("The opportunity areas could not be checked out"), error)
            result.append(error is None and self._open(source, working))
            self.refresh()
            if result[0]:
                self._pull(lambda _pulled: True)  # readies the pack for the first check, in the background

        self._run(self.tr("LNRS: check out the opportunity areas"), work, done)
        return bool(result and result[0]) if self.synchronous else True

    def _run(self, description: str, work: Callable[[], Any],
             done: Callable[[Any, BaseException | None], None]) -> None:
        """Run an engine call in a task (``done`` clears :attr:`task`), or at once when :attr:`synchronous`."""
        task = run_engine(description, work, done, self.synchronous)
        if not self.synchronous:
            self.task = task
        self._update_buttons()

    def _resume(self, source: PackSource, path: Path) -> bool:
        try:
            working = WorkingCopy.open(path)
            replay_buffer(path)  # edits still in the layer's buffer when QGIS stopped come back
        except LnrsError as exc:
            self.show_error(self.tr("The working copy {0} cannot be resumed: {1}").format(path, str(exc)))
            return False
        if not self._open(source, working):
            return False

        def resumed(pulled: Any) -> bool:
            text = self.tr("Resumed your working copy with {0} change(s) not yet saved to the map.").format(
                len(self.pending))
            if pulled is not None and (pulled.updated or pulled.added or pulled.removed):
                text += " " + self._pulled_text(pulled)
            self.show_message(text)
            return True

        self.refresh()
        self._pull(resumed)
        return True

    def _open(self, source: PackSource, working: Any) -> bool:
        self.source = source
        self.working = working
        if not self._show_layers():
            self.working = None
            self.source = None
            return False
        return True

    def _show_layers(self) -> bool:
        """The working copy's layer (styled, form set up, in edit mode) and its catalogue table, in the project."""
        if self.source is None or self.working is None:
            return False
        path = self.working_path(self.source)
        project = QgsProject.instance()
        layer, choices = working_layers(project, path)
        if layer is None or choices is None:
            layer, choices = add_working_layers(project, self.working, path, self._group_name(self.source),
                                                self.tr("Opportunity areas \u2014 my edits"),
                                                self.tr("Measures to choose from"))
            if layer is None or choices is None:
                self.show_error(self.tr("The working copy {0} cannot be opened in QGIS.").format(path))
                return False
        configure_form(layer, choices)
        self._attach(layer, choices)
        if not layer.isEditable():
            layer.startEditing()
        self.snapping.attach(layer, self.source, self._group_name(self.source))
        iface = self.context.iface
        if iface is not None:
            iface.setActiveLayer(layer)
            show_on_canvas(iface.mapCanvas(), layer)
        return True

    def _group_name(self, source: PackSource) -> str:
        return self.tr("Editing: {0}").format(self._source_title(source))

    # ------------------------------------------------------------------ issues
    def set_issues(self, issues: Sequence[Any], notes: Sequence[str] = ()) -> None:
        """List validation issues (errors first as the engine orders them); ``notes`` say what was not checked."""
        self.issues = tuple(issues)
        self.issues_box.show_issues(self.issues, notes)

    def show_issue(self, issue: Any) -> None:
        """Zoom to an issue's location, flash it and select its feature in the working layer."""
        if issue is None:
            return
        if self.layer is not None and str(issue.key).isdigit():
            self.layer.selectByIds([int(issue.key)])
        canvas = self.context.canvas()
        if canvas is None or issue.location is None:
            return
        zoom_to(canvas, [issue.location])
        flash(canvas, issue.location)

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        self._refresh_timer.stop()
        if self.task is not None:
            self.task.on_done = lambda *_a: None
            self.task = None
        self._detach()
        self.snapping.close_down()

