"""The dock's "Edit map" tab: the LNRS team edits the opportunity areas with QGIS's own tools.

Editing is check-out / check-in (see docs/editing.md):

- *Start editing* checks the pack's opportunity areas out into a working copy, a scratch GeoPackage in
  the QGIS profile (``lnrs_toolkit/working``), added to the project as a styled layer in edit mode whose
  form picks measures from the pack's catalogue. A working copy left by a crash is offered for resuming.
- *Save to the Local Habitat Map* (or QGIS's own Save Layer Edits on the working layer) runs the edit
  engine: validation errors refuse the save and are listed here (click to zoom); warnings are shown
  but do not block; a reason is required; a feature someone else changed since check-out is a
  conflict resolved per feature (keep mine / take theirs). The pack gets the changes and their audit
  rows in one transaction; the working copy is rebased.

The panel holds no rules: validation, diffing, conflicts and the audit come from the engine
(``core.working_copy``, ``core.opportunity_edits``, ``core.opportunity_validation``). Dialogs are
callable attributes (``reason_provider``, ``conflict_resolver``, ``resume_chooser``, ``confirm``) so
tests drive everything synchronously.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import traceback
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path
from typing import Any

import shapely
from qgis.core import Qgis, QgsApplication, QgsLayerTreeGroup, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt, QTimer
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..adapters.pack_source import PackCache, PackSource
from ..adapters.postgis_opportunity_store import PostgisOpportunityStore
from ..core.editing.edits import (
    Edit,
    EditConflict,
    EditRefused,
    GpkgOpportunityStore,
    SaveResult,
    canonical_measures,
    save_edits,
    validate_edits,
)
from ..core.editing.validation import ValidationIssue, geometry_sha256
from ..core.editing.working_copy import WorkingCopy, check_out
from ..core.errors import LnrsError
from ..core.pack.schema import MEASURES, OPPORTUNITY
from ..log import log_error
from ..project_layers import style_opportunity
from ..settings import PluginSettings
from .audit_dialog import AuditDialog
from .conflict_dialog import ask_resolution
from .edit_form import CHOICES_TABLE, WORKING_TABLE, configure_form
from .edit_task import EngineTask, run_engine
from .map_highlight import flash, to_canvas_rect, zoom_to
from .reason_dialog import ask_reason
from .results_view import tip

ROLE = Qt.ItemDataRole.UserRole
#: Custom property marking the project layers of a working copy (value: the working copy's path).
WORKING_PROPERTY = "lnrs_toolkit/working_copy"
#: How many times a save is retried after conflicts are resolved before giving up.
MAX_ATTEMPTS = 4
SEVERITY_COLOURS = {"error": "#b71c1c", "warning": "#e65100"}
SEVERITY_ICONS = {"error": "/mIconCritical.svg", "warning": "/mIconWarning.svg"}


def default_working_dir() -> Path:
    return Path(QgsApplication.qgisSettingsDirPath()) / "lnrs_toolkit" / "working"


def working_copy_name(source: PackSource) -> str:
    """A stable file name for the working copy of ``source``: readable part plus a hash of the address."""
    readable = Path(source.path).stem if source.kind == "gpkg" else f"{source.connection}_{source.schema}"
    readable = re.sub(r"[^A-Za-z0-9_-]+", "_", readable).strip("_")[:40] or "pack"
    digest = hashlib.sha256(str(source).encode("utf-8")).hexdigest()[:12]
    return f"{readable}-{digest}.gpkg"


class EditingPanel(QWidget):
    """The "Edit map" tab of the dock."""

    def __init__(self, dock: Any, packs: PackCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editingPanel")
        self.dock = dock
        self.packs = packs
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
        self._committing = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(250)
        self._refresh_timer.timeout.connect(self.refresh)
        self._build()
        pack_changed = getattr(dock, "pack_changed", None)  # the pack is chosen above the tabs
        if pack_changed is not None:
            pack_changed.connect(self.schedule_refresh)
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
        grid = QGridLayout()
        self.start_button = QPushButton(self.tr("&Start editing"), group)
        self.start_button.setObjectName("startEditingButton")
        self.start_button.clicked.connect(lambda: self.start_editing())
        self.save_button = QPushButton(self.tr("Save to the Local &Habitat Map\u2026"), group)
        self.save_button.setObjectName("saveToMapButton")
        self.save_button.setToolTip(self.tr("Check your changes and, with a reason, save them to the Local Habitat "
                                            "Map (QGIS's Save Layer Edits on the working layer does the same)"))
        self.save_button.clicked.connect(lambda: self.save_to_map())
        self.validate_button = QPushButton(self.tr("Chec&k changes"), group)
        self.validate_button.setObjectName("checkChangesButton")
        self.validate_button.setToolTip(self.tr("List the problems the Local Habitat Map would refuse, without "
                                                "saving"))
        self.validate_button.clicked.connect(lambda: self.check_changes())
        self.discard_button = QPushButton(self.tr("&Discard my changes\u2026"), group)
        self.discard_button.setObjectName("discardChangesButton")
        self.discard_button.setToolTip(self.tr("Throw the working copy away; the Local Habitat Map is not changed"))
        self.discard_button.clicked.connect(lambda: self.discard_changes())
        self.audit_button = QPushButton(self.tr("&Audit trail\u2026"), group)
        self.audit_button.setObjectName("auditTrailButton")
        self.audit_button.setToolTip(self.tr("Every change saved to the pack's opportunity areas: who, when, what and "
                                             "why"))
        self.audit_button.clicked.connect(lambda: self.show_audit_trail())
        self.update_button = QPushButton(self.tr("&Update from the map"), group)
        self.update_button.setObjectName("updateFromMapButton")
        self.update_button.setToolTip(self.tr("Bring in what others saved to the Local Habitat Map since you started, "
                                              "for every area you have not changed"))
        self.update_button.clicked.connect(lambda: self.update_from_map())
        grid.addWidget(self.start_button, 0, 0)
        grid.addWidget(self.save_button, 0, 1)
        grid.addWidget(self.validate_button, 1, 0)
        grid.addWidget(self.discard_button, 1, 1)
        grid.addWidget(self.audit_button, 2, 0)
        grid.addWidget(self.update_button, 2, 1)
        box.addLayout(grid)
        self.pending_label = QLabel(group)
        self.pending_label.setObjectName("pendingChangesLabel")
        self.pending_label.setWordWrap(True)
        box.addWidget(self.pending_label)
        layout.addWidget(group)

        issues_box = QGroupBox(self.tr("Problems"), self)
        issues_box.setObjectName("issuesGroup")
        issues_layout = QVBoxLayout(issues_box)
        self.issues_label = QLabel(self.tr("No problems found yet."), issues_box)
        self.issues_label.setObjectName("issuesLabel")
        self.issues_label.setWordWrap(True)
        issues_layout.addWidget(self.issues_label)
        self.issues_list = QListWidget(issues_box)
        self.issues_list.setObjectName("issuesList")
        self.issues_list.setWordWrap(True)
        self.issues_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.issues_list.setUniformItemSizes(False)
        self.issues_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.issues_list.setSpacing(2)
        self.issues_list.setAlternatingRowColors(True)
        self.issues_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issues_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.issues_list.setAccessibleName(self.tr("Problems with the changes"))
        self.issues_list.itemClicked.connect(lambda item: self.show_issue(item.data(ROLE)))
        self.issues_list.itemActivated.connect(lambda item: self.show_issue(item.data(ROLE)))
        issues_layout.addWidget(self.issues_list, 1)
        layout.addWidget(issues_box, 1)

    # ------------------------------------------------------------------ state
    def dock_source(self) -> PackSource | None:
        path = getattr(self.dock, "pack_path", "") or ""
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
        if self.working is not None:
            try:
                self.pending = list(self.working.edits())
            except LnrsError as exc:
                self.show_error(self.tr("Your working copy cannot be read: {0}").format(str(exc)))
            except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
                log_error(traceback.format_exc())
                self.show_error(self.tr("Your working copy cannot be read; the details are in the LNRS Toolkit tab of "
                                        "the message log."))
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
        if self.layer is not None and self.layer.isModified():
            text += self.tr("; more edits on the layer are not saved in the working copy yet")
        self.pending_label.setText(text)

    def _source_title(self, source: PackSource) -> str:
        return Path(source.path).name if source.kind == "gpkg" else str(source)

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

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None:
        self.dock.show_message(text, level)

    def show_error(self, text: str) -> None:
        self.dock.show_error(text)

    def _engine_error(self, what: str, error: BaseException) -> None:
        if isinstance(error, LnrsError):
            self.show_error(self.tr("{0}: {1}").format(what, str(error)))
            return
        log_error("".join(traceback.format_exception(type(error), error, error.__traceback__)))
        self.show_error(self.tr("{0}: an unexpected error; the details are in the LNRS Toolkit tab of the message "
                                "log.").format(what))

    # ------------------------------------------------------------------ dialogs (replaceable in tests)
    def _ask_reason(self, summary: str) -> str | None:
        return ask_reason(self, summary, getattr(self.dock, "settings_store", None))

    def _ask_conflict(self, conflict: Any, position: str) -> str | None:
        return ask_resolution(self, conflict, measures_text, geometry_sha256, position)

    def _ask_resume(self, text: str) -> str | None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Resume editing?"), text,
                          QMessageBox.StandardButton.NoButton, self)
        resume = box.addButton(self.tr("Resume my working copy"), QMessageBox.ButtonRole.AcceptRole)
        fresh = box.addButton(self.tr("Discard it and start again"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(resume)
        box.exec()
        clicked = box.clickedButton()
        return "resume" if clicked is resume else "discard" if clicked is fresh else None

    def _ask_confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return bool(answer == QMessageBox.StandardButton.Yes)

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
        try:
            pack = self.packs.get(source).pack
        except LnrsError as exc:
            self.show_error(self.tr("The habitat map could not be loaded: {0}").format(str(exc)))
            return False
        if pack.layer(OPPORTUNITY.name) is None:
            self.show_error(self.tr("{0} has no opportunity areas layer to edit; add one with Add layer to Local "
                                    "Habitat Map pack (role opportunity).").format(self._source_title(source)))
            return False
        if pack.layer(MEASURES.name) is None:
            self.show_error(self.tr("{0} has no measures catalogue, so measures cannot be picked or checked; add it "
                                    "with Add layer to Local Habitat Map pack (role measures) first.").format(
                self._source_title(source)))
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        result: list[bool] = []

        def done(working: Any, error: BaseException | None) -> None:
            self.task = None
            if error is not None:
                self._engine_error(self.tr("The opportunity areas could not be checked out"), error)
                result.append(False)
            else:
                result.append(self._open(source, working))
            self.refresh()

        self._run(self.tr("LNRS: check out the opportunity areas"), lambda: check_out(pack, str(source), path), done)
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
        except LnrsError as exc:
            self.show_error(self.tr("The working copy {0} cannot be resumed: {1}").format(path, str(exc)))
            return False
        ok = self._open(source, working)
        pulled = self._pull() if ok else None
        self.refresh()
        if ok:
            text = self.tr("Resumed your working copy with {0} change(s) not yet saved to the map.").format(
                len(self.pending))
            if pulled is not None and (pulled.updated or pulled.added or pulled.removed):
                text += " " + self._pulled_text(pulled)
            self.show_message(text)
        return ok

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
        layer, choices = self._project_layers(project, path)
        if layer is None or choices is None:
            choices = QgsVectorLayer(self.working.choices_uri, self.tr("Measures to choose from"), "ogr")
            layer = QgsVectorLayer(self.working.layer_uri, self.tr("Opportunity areas \u2014 my edits"), "ogr")
            if not layer.isValid() or not choices.isValid():
                self.show_error(self.tr("The working copy {0} cannot be opened in QGIS.").format(path))
                return False
            style_opportunity(layer)
            for lyr in (layer, choices):
                lyr.setCustomProperty(WORKING_PROPERTY, str(path))
            project.addMapLayer(choices, False)
            project.addMapLayer(layer, False)
            group = self._group(project)
            group.addLayer(layer)
            group.addLayer(choices)
        configure_form(layer, choices)
        self._attach(layer, choices)
        if not layer.isEditable():
            layer.startEditing()
        iface = getattr(self.dock, "iface", None)
        if iface is not None:
            iface.setActiveLayer(layer)
            self._show_on_canvas(iface.mapCanvas(), layer)
        return True

    @staticmethod
    def _show_on_canvas(canvas: Any, layer: QgsVectorLayer) -> None:
        """Zoom to the working layer when none of it is in view (e.g. in a new, empty project)."""
        extent = layer.extent()
        if canvas is None or extent.isEmpty():
            return
        area = shapely.box(extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
        view = to_canvas_rect(canvas, (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()),
                              margin=0.0, minimum_m=0.0)
        if view is not None and canvas.extent().intersects(view):
            return
        zoom_to(canvas, [area])

    def _group(self, project: QgsProject) -> QgsLayerTreeGroup:
        name = self.tr("Editing: {0}").format(self._source_title(self.source)) if self.source else ""
        root = project.layerTreeRoot()
        group = root.findGroup(name)
        return group if group is not None else root.insertGroup(0, name)

    @staticmethod
    def _project_layers(project: QgsProject, path: Path) -> tuple[QgsVectorLayer | None, QgsVectorLayer | None]:
        layer = choices = None
        for candidate in project.mapLayers().values():
            if candidate.customProperty(WORKING_PROPERTY) != str(path):
                continue
            if candidate.source().endswith(f"layername={WORKING_TABLE}"):
                layer = candidate
            elif candidate.source().endswith(f"layername={CHOICES_TABLE}"):
                choices = candidate
        return layer, choices

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

    def _detach(self) -> None:
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
        self.layer = None
        self.choices_layer = None
        self.schedule_refresh()

    # ------------------------------------------------------------------ checking and saving
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
            errors = "; ".join(self.layer.commitErrors()) or self.tr("no reason given")
            self.show_error(self.tr("Your edits could not be saved into the working copy: {0}").format(errors))
            return False
        if not self.layer.isEditable():
            self.layer.startEditing()
        return True

    def _on_layer_committed(self) -> None:
        """QGIS saved the working layer: check the changes in and save them to the map."""
        if self._committing:
            return
        if self.task is not None:
            self.schedule_refresh()
            self.show_message(self.tr("Your edits are saved in the working copy; a save to the map is still running, "
                                      "so save again when it has finished to send them too."),
                              Qgis.MessageLevel.Warning)
            return
        if self.synchronous:
            self.save_to_map()
        else:
            QTimer.singleShot(0, self.save_to_map)

    def check_changes(self) -> bool:
        """Validate the pending changes and list the problems; True when nothing blocks a save."""
        report = self._validate()
        if report is None:
            return False
        if report.ok:
            self.show_message(self.tr("Your {0} change(s) pass every check{1}.").format(
                len(self.pending), self.tr(", with {0} warning(s)").format(len(report.warnings))
                if report.warnings else ""), Qgis.MessageLevel.Success)
        return bool(report.ok)

    def _validate(self) -> Any:
        """Commit the layer, read the pending edits and validate them (issues listed); None on failure."""
        if self.working is None or self.source is None:
            self.show_error(self.tr("Start editing first."))
            return None
        if not self._commit_layer():
            return None
        self.refresh()
        if not self.pending:
            self.set_issues(())
            self.show_message(self.tr("You have no changes to save: the working copy matches the Local Habitat "
                                      "Map."))
            return None
        try:
            pack = self.packs.get(self.source).pack
            report = edits_report(self.pending, pack)
        except LnrsError as exc:
            self.show_error(self.tr("Your changes could not be checked: {0}").format(str(exc)))
            return None
        self.set_issues(report.issues, report.notes)
        if not report.ok:
            self._refused(report)
        return report

    def _refused(self, report: Any) -> None:
        """The message bar names the first problems; the Problems list has them all."""
        errors = report.errors
        first = " ".join(issue.message for issue in errors[:2])
        more = len(errors) - 2
        self.show_error(self.tr("Nothing was saved to the Local Habitat Map: {0} problem(s) must be fixed first. {1}"
                                ).format(len(errors), first)
                        + (self.tr(" …and {0} more in the Problems list.").format(more) if more > 0 else ""))

    def save_to_map(self) -> bool:
        """Check, ask for a reason, and save the pending changes to the pack (conflicts asked per feature)."""
        if self.task is not None:
            self.show_message(self.tr("A save is already running; wait for it to finish."), Qgis.MessageLevel.Warning)
            return False
        report = self._validate()
        if report is None or not report.ok:
            return False
        summary = self._summary(report)
        reason = self.reason_provider(summary)
        if reason is None or not reason.strip():
            self.show_message(self.tr("Nothing was saved: a reason is needed for the audit trail. Your changes are "
                                      "still in the working copy."), Qgis.MessageLevel.Warning)
            return False
        return self._save(list(self.pending), reason.strip(), {}, [], 1)

    def _summary(self, report: Any) -> str:
        counts = {kind: sum(e.kind == kind for e in self.pending) for kind in ("insert", "update", "delete")}
        text = self.tr("You are saving {0} change(s) to {1}: {2} new, {3} changed, {4} deleted area(s).").format(
            len(self.pending), self._source_title(self.source) if self.source else "", counts["insert"],
            counts["update"], counts["delete"])
        if report.warnings:
            text += "\n" + self.tr("{0} warning(s), which do not stop the save:").format(len(report.warnings))
            text += "".join(f"\n\u2022 {w.message}" for w in report.warnings[:5])
            if len(report.warnings) > 5:
                text += "\n" + self.tr("\u2026 and {0} more in the Problems list.").format(len(report.warnings) - 5)
        return text

    def _save(self, edits: list[Any], reason: str, resolutions: dict[str, str], theirs: list[Any],
              attempt: int) -> bool:
        source = self.source
        if source is None:
            return False
        user = self._user()
        result: list[bool] = []

        def work() -> Any:
            pack = self.packs.get(source).pack
            return save_edits(open_store(source), edits, reason=reason, user=user, pack=pack,
                              resolutions=dict(resolutions))

        def done(saved: Any, error: BaseException | None) -> None:
            self.task = None
            result.append(self._after_save(saved, error, edits, reason, resolutions, theirs, attempt))
            self._update_buttons()

        self._run(self.tr("LNRS: save the opportunity areas to the Local Habitat Map"), work, done)
        return bool(result and result[0]) if self.synchronous else True

    def _after_save(self, saved: Any, error: BaseException | None, edits: list[Any], reason: str,
                    resolutions: dict[str, str], theirs: list[Any], attempt: int) -> bool:
        if isinstance(error, EditRefused):
            self.set_issues(error.report.issues, error.report.notes)
            self._refused(error.report)
            return False
        if isinstance(error, EditConflict):
            if attempt >= MAX_ATTEMPTS:
                self.show_error(self.tr("Nothing was saved: others keep changing the same areas. Try again in a "
                                        "moment; your changes are still in the working copy."))
                return False
            resolutions = dict(resolutions)
            theirs = list(theirs)
            conflicts = list(error.conflicts)
            for number, conflict in enumerate(conflicts, 1):
                choice = self.conflict_resolver(conflict, self.tr("{0} of {1}").format(number, len(conflicts)))
                if choice not in ("mine", "theirs"):
                    self.show_message(self.tr("Nothing was saved. Your changes are still in the working copy; save "
                                              "again when you are ready to resolve the conflict."),
                                      Qgis.MessageLevel.Warning)
                    return False
                resolutions[conflict.edit.key] = choice
                if choice == "theirs":
                    theirs.append(conflict)
            return self._save(edits, reason, resolutions, theirs, attempt + 1)
        if error is not None:
            self._engine_error(self.tr("Nothing was saved to the Local Habitat Map"), error)
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
            self.show_error(self.tr("The map was saved, but your working copy could not be brought up to date ({0}); "
                                    "discard it and start editing again.").format(str(exc)))
            return False
        if self.layer is not None:
            self.layer.reload()
            self.layer.triggerRepaint()
        report = getattr(saved, "report", None)
        self.set_issues(report.issues if report is not None else (), report.notes if report is not None else ())
        self.packs.invalidate(self.source)
        if self.source is not None and getattr(self.dock, "pack_path", "") == str(self.source):
            self.dock.refresh_pack()
        pulled = self._pull()
        self.refresh()
        kept = len(theirs)
        taken = self.tr(" ({0} area(s) taken from the map as others left them)").format(kept) if kept else ""
        text = self.tr("Saved {0} change(s) to the Local Habitat Map{1}; its content hash is now {2}\u2026").format(
            saved.applied, taken, saved.content_sha256[:12])
        if pulled is not None and (pulled.updated or pulled.added or pulled.removed):
            text += " " + self._pulled_text(pulled)
        self.show_message(text, Qgis.MessageLevel.Success)
        return True

    # ------------------------------------------------------------------ others' changes
    def update_from_map(self) -> bool:
        """Bring what others saved to the map into the working copy, for every area not changed here."""
        if self.working is None or self.source is None:
            self.show_error(self.tr("Start editing first."))
            return False
        if not self._commit_layer():
            return False
        pulled = self._pull()
        if pulled is None:
            return False
        self.refresh()
        if pulled.updated or pulled.added or pulled.removed:
            self.show_message(self._pulled_text(pulled), Qgis.MessageLevel.Success)
        else:
            self.show_message(self.tr("Your working copy already has everything others saved to the map."))
        if pulled.kept:
            self.show_message(self.tr("{0} area(s) you changed were also changed in the map: they stay as you have "
                                      "them, and saving asks which version to keep.").format(len(pulled.kept)),
                              Qgis.MessageLevel.Warning)
        return True

    def _pull(self) -> Any:
        """``WorkingCopy.refresh`` against the pack as it is now (reloading the layer); None when it failed."""
        if self.working is None or self.source is None:
            return None
        try:
            pulled = self.working.refresh(self.packs.get(self.source).pack)
        except LnrsError as exc:
            self.show_error(self.tr("What others saved to the map could not be brought into your working copy: {0}"
                                    ).format(str(exc)))
            return None
        if self.layer is not None:
            self.layer.reload()
            self.layer.triggerRepaint()
        return pulled

    def _pulled_text(self, pulled: Any) -> str:
        return self.tr("Brought in what others saved to the map: {0} area(s) changed, {1} new, {2} deleted.").format(
            len(pulled.updated), len(pulled.added), len(pulled.removed))

    def _user(self) -> str:
        from .dock import officer_name

        settings = getattr(self.dock, "settings", None)
        if settings is None:
            settings = PluginSettings.load()
        return officer_name(settings)

    # ------------------------------------------------------------------ issues
    def set_issues(self, issues: Sequence[Any], notes: Sequence[str] = ()) -> None:
        """List validation issues (errors first as the engine orders them); ``notes`` say what was not checked."""
        self.issues = tuple(issues)
        self.issues_list.clear()
        words = {"error": self.tr("Error"), "warning": self.tr("Warning")}
        for issue in self.issues:
            item = QListWidgetItem(QgsApplication.getThemeIcon(SEVERITY_ICONS.get(issue.severity, "/mIconInfo.svg")),
                                   issue.message)
            item.setData(ROLE, issue)
            item.setToolTip(tip(f"{words.get(issue.severity, issue.severity)}: {issue.feature}"))
            if issue.severity == "error":
                item.setForeground(QBrush(QColor(SEVERITY_COLOURS["error"])))
            self.issues_list.addItem(item)
        errors = sum(i.severity == "error" for i in self.issues)
        warnings = len(self.issues) - errors
        if not self.issues:
            text = self.tr("No problems found.")
        else:
            text = self.tr("{0} error(s) to fix before saving, {1} warning(s). Click a problem to see it on the "
                           "map.").format(errors, warnings)
        if notes:
            text += " " + self.tr("{0} check(s) could not be applied to this pack (hover for why).").format(len(notes))
        self.issues_label.setText(text)
        self.issues_label.setToolTip("".join(tip(note) for note in notes))

    def show_issue(self, issue: Any) -> None:
        """Zoom to an issue's location, flash it and select its feature in the working layer."""
        if issue is None:
            return
        if self.layer is not None and str(issue.key).isdigit():
            self.layer.selectByIds([int(issue.key)])
        canvas = self.dock.iface.mapCanvas() if getattr(self.dock, "iface", None) is not None else None
        if canvas is None or issue.location is None:
            return
        zoom_to(canvas, [issue.location])
        flash(canvas, issue.location)

    # ------------------------------------------------------------------ discard, audit
    def discard_changes(self) -> bool:
        source = self.source or self.dock_source()
        if source is None:
            return False
        path = self.working_path(source)
        if not path.is_file() and self.working is None:
            return False
        count = len(self.pending) if self.working is not None else None
        text = (self.tr("Throw away your {0} change(s) not yet saved to the Local Habitat Map? The map itself is not "
                        "changed. This cannot be undone.").format(count) if count is not None
                else self.tr("Throw away the working copy of {0} from an earlier session? The map itself is not "
                             "changed. This cannot be undone.").format(self._source_title(source)))
        if not self.confirm(self.tr("Discard my changes"), text):
            return False
        if not self._remove_working_copy(path):
            return False
        self.set_issues(())
        self.refresh()
        self.show_message(self.tr("Your working copy was discarded; the Local Habitat Map is unchanged."))
        return True

    def _remove_working_copy(self, path: Path) -> bool:
        project = QgsProject.instance()
        layer, choices = self._project_layers(project, path)
        if layer is not None and layer.isEditable():
            layer.rollBack()
        self._detach()
        for lyr in (layer, choices):
            if lyr is not None:
                project.removeMapLayer(lyr.id())
        if self.source is not None:
            group = project.layerTreeRoot().findGroup(self.tr("Editing: {0}").format(self._source_title(self.source)))
            if group is not None and not group.children():
                project.layerTreeRoot().removeChildNode(group)
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
            self.show_error(self.tr("The working copy {0} could not be deleted: {1}").format(
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
            self.show_error(self.tr("Load a Local Habitat Map pack first."))
            return None
        try:
            records = self.audit_records()
        except LnrsError as exc:
            self.show_error(self.tr("The audit trail could not be read: {0}").format(str(exc)))
            return None
        dialog = AuditDialog(self._source_title(source), records, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        self._refresh_timer.stop()
        if self.task is not None:
            self.task.on_done = lambda *_a: None
            self.task = None
        self._detach()


def open_store(source: PackSource) -> Any:
    """The edit engine's store for the pack: the GeoPackage itself or the PostGIS schema."""
    if source.kind == "postgis":
        return PostgisOpportunityStore(source.connection, source.schema)
    return GpkgOpportunityStore(source.path)


def measures_text(feature: Any) -> str:
    """A feature's measure codes for people: "WD001, GR002" (the engine's parsing, whatever the stored form)."""
    return ", ".join(c for c in canonical_measures(feature.measures).split(";") if c)



def edits_report(edits: Sequence[Any], pack: Any) -> Any:
    """The validation ``save_edits`` applies before it writes: the new state of every inserted or updated area,
    with the areas being deleted left out of the comparisons between polygons."""
    return validate_edits(edits, pack)
