"""The dock's Parcels tab: a survey checked and scored, every module, from a Defra metric GeoPackage (either
template) or from layers in this project.

Same engine as ``lnrs_cli.py parcels`` and ``lnrs:parcelsignificance``: a file is read, checked with Defra's
rules and scored by :func:`..adapters.defra_file.run_defra_file`, project layers are read into the same model
by :func:`..adapters.project_survey.run_survey` (in a task from :func:`.parcels_task.parcels_task`); both
answer a :class:`..adapters.defra_file.DefraRun`, rendered the same way. Which rule applies comes from
:func:`..core.parcels.significance.strategy_rule`; the filled copy is written by
:meth:`..adapters.defra_file.DefraRun.write` in the file's own template (project layers: a new GeoPackage in
the Natural England template). The panel holds no rules: it renders the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsProject, QgsTask, QgsVectorLayer
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..adapters.defra_file import DefraRun, peek_defra_file
from ..adapters.parcel_layers import PHASES, LayerInput
from ..adapters.project_survey import SurveyRequest
from ..core.errors import LnrsError
from ..core.parcels.qa import QaIssue
from ..core.parcels.significance import ParcelPiece, strategy_rule
from ..core.parcels.templates import template_layer_names
from .background_task import BackgroundTask
from .dock_context import DockContext
from .map_highlight import flash, zoom_to
from .pack_chooser import lnrs_status_words
from .parcels_inputs import PROJECT_LAYERS, ParcelsInputs, add_gpkg_layers
from .parcels_map import add_run_to_project
from .parcels_tables import (
    fill_issues,
    fill_pieces,
    fit_columns,
    issue_headers,
    issue_html,
    piece_headers,
    piece_html,
    results_table,
    row_index,
    summary_html,
)
from .parcels_task import parcels_task
from .results_view import tip
from .task_start import start_task


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _canceller(task: BackgroundTask) -> Any:
    """A slot that cancels ``task`` if it still exists (the task manager deletes finished tasks)."""
    def cancel(*_args: Any) -> None:
        if not sip.isdeleted(task) and task.status() not in (QgsTask.TaskStatus.Complete,
                                                               QgsTask.TaskStatus.Terminated):
            task.cancel()
    return cancel


class ParcelsPanel(QWidget):
    """Open a Defra GeoPackage, run, read the issues and every feature's significance, add to map, save."""

    def __init__(self, context: DockContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.run_result: DefraRun | None = None
        self.run_pack = ""
        self.gpkg_path = ""
        self.template = ""
        self.task: BackgroundTask | None = None
        self.setObjectName("parcelsPanel")
        self._build()
        context.pack_changed.connect(self._on_pack_changed)  # the pack is chosen above the tabs
        self.phase_combo.currentIndexChanged.connect(self._show_rule)
        self._show_rule()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.input_group = ParcelsInputs(self)
        self.phase_combo = self.input_group.phase_combo
        self.lpa_combo = self.input_group.lpa_combo
        self.open_button = self.input_group.open_button
        self.open_button.clicked.connect(lambda: self.open_defra_gpkg())
        self.input_group.source_combo.currentIndexChanged.connect(self._update_buttons)
        self.input_group.layer_inputs.area_combo.layerChanged.connect(self._update_buttons)
        outer.addWidget(self.input_group)

        row = QHBoxLayout()
        self.run_button = QPushButton(self.tr("R&un"), self)
        self.run_button.setObjectName("runParcelsButton")
        self.run_button.clicked.connect(lambda: self.run())
        row.addWidget(self.run_button)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelParcelsButton")
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.cancel_button)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        row.addWidget(self.progress, 1)
        self.rule_label = QLabel(self)
        self.rule_label.setObjectName("parcelsRuleLabel")
        self.rule_label.setWordWrap(True)
        self.rule_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.rule_label, 1)
        outer.addLayout(row)

        self.summary = QLabel(self.tr("Open a Defra metric GeoPackage, or choose layers in this project, and press "
                                      "Run."), self)
        self.summary.setObjectName("parcelsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.summary)

        self.issues_table = results_table(self, "parcelIssuesTable", issue_headers())
        self.issues_table.setAccessibleName(self.tr("Issues: Defra's errors and our warnings"))
        self.issues_table.cellClicked.connect(lambda row, _col: self.show_issue_row(row))
        self.issues_table.cellActivated.connect(lambda row, _col: self.show_issue_row(row))
        self.issues_table.currentCellChanged.connect(lambda row, *_a: self._describe_issue_row(row))
        self.pieces_table = results_table(self, "parcelPiecesTable", piece_headers())
        self.pieces_table.setAccessibleName(self.tr("Features of every module with their strategic significance"))
        self.pieces_table.cellClicked.connect(lambda row, _col: self.show_piece_row(row))
        self.pieces_table.cellActivated.connect(lambda row, _col: self.show_piece_row(row))
        self.pieces_table.currentCellChanged.connect(lambda row, *_a: self._describe_piece_row(row))
        self.issues_label = QLabel(self.tr("Issues"), self)
        self.pieces_label = QLabel(self.tr("Features"), self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("parcelsSplitter")
        splitter.setChildrenCollapsible(False)
        for label, table in ((self.issues_label, self.issues_table), (self.pieces_label, self.pieces_table)):
            box = QWidget(splitter)
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(2)
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
            label.setBuddy(table)
            lay.addWidget(label)
            lay.addWidget(table, 1)
            splitter.addWidget(box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        outer.addWidget(splitter, 1)
        self.detail = QLabel(self)
        self.detail.setObjectName("parcelsDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setFrameShape(QLabel.Shape.StyledPanel)
        self.detail.setMargin(4)
        self.detail.setVisible(False)
        outer.addWidget(self.detail)

        buttons = QHBoxLayout()
        self.add_map_button = QPushButton(self.tr("&Add results to map"), self)
        self.add_map_button.setObjectName("addParcelResultsButton")
        self.add_map_button.setToolTip(self.tr("Add the issues and every module's features with their significance "
                                               "to the project as temporary layers"))
        self.add_map_button.clicked.connect(lambda: self.add_results_to_map())
        buttons.addWidget(self.add_map_button)
        self.save_button = QPushButton(self.tr("&Save filled GeoPackage\u2026"), self)
        self.save_button.setObjectName("saveFilledGpkgButton")
        self.save_button.setToolTip(self.tr("Write a copy of the GeoPackage, in its own template, with features split "
                                            "and every module's Strategic Significance filled (the input is never "
                                            "changed); for layers in this project, a new GeoPackage in the Natural "
                                            "England template"))
        self.save_button.clicked.connect(lambda: self.save_filled_gpkg())
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self._update_buttons()

    # ------------------------------------------------------------------ visibility and state
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._update_buttons()

    def _message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None:
        self.context.show_message(text, level)

    def _error(self, text: str) -> None:
        self.context.show_error(text)

    def _on_pack_changed(self, *_args: Any) -> None:
        self._show_rule()
        self._update_buttons()

    def from_layers(self) -> bool:
        """Whether the survey is layers in this project (else a Defra GeoPackage)."""
        return self.input_group.source() == PROJECT_LAYERS

    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None
        has_pack = self.context.index is not None
        has_input = self.input_group.layer_inputs.has_area_layer() if self.from_layers() else bool(self.gpkg_path)
        self.run_button.setEnabled(not busy and has_pack and has_input)
        if not has_pack:
            self.run_button.setToolTip(self.tr("Load a Local Habitat Map pack in the Habitat map group above first: "
                                               "significance comes from its opportunity areas."))
        elif not has_input:
            self.run_button.setToolTip(self.tr("Choose the layer of area habitat parcels first.") if self.from_layers()
                                       else self.tr("Open a Defra metric GeoPackage first."))
        else:
            self.run_button.setToolTip(self.tr("Check the survey with Defra's rules and score every feature's "
                                               "strategic significance"))
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        self.rule_label.setVisible(not busy)
        self.open_button.setEnabled(not busy)
        has_run = self.run_result is not None
        self.add_map_button.setEnabled(has_run and not busy)
        self.save_button.setEnabled(has_run and not busy)

    def phase(self) -> str:
        return str(self.phase_combo.currentData() or PHASES[0])

    def _show_rule(self, *_args: Any) -> None:
        """Which of the metric guide's tables applies, from the pack's LNRS status (the engine decides)."""
        index = self.context.index
        if index is None:
            self.rule_label.setText(self.tr("Rule: load a Local Habitat Map pack above; whether its LNRS is "
                                            "published decides the metric's Table 7 or Table 8."))
            self.rule_label.setToolTip("")
            return
        meta = index.pack.metadata
        rule, _notes = strategy_rule(meta, self.phase())
        self.rule_label.setText(self.tr("<b>Rule: metric {0}</b> \u00b7 {1}").format(
            rule.table, lnrs_status_words(meta)))
        self.rule_label.setToolTip(tip(rule.guide))

    # ------------------------------------------------------------------ the GeoPackage
    def open_defra_gpkg(self, path: str = "") -> bool:
        """Open a Defra metric GeoPackage of either template (recognised from its layer names), add its layers
        to the map and make it the tab's source; refuses, in a sentence, a file of neither template."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a Defra metric GeoPackage"), "",
                                                  self.tr("GeoPackage (*.gpkg)"))
            if not path:
                return False
        try:
            template, names = peek_defra_file(path)
        except LnrsError as exc:
            self._error(self.tr("{0}: {1}").format(Path(path).name, str(exc)))
            return False
        layers = template_layer_names(template, names)
        self.gpkg_path, self.template = str(path), template
        self.input_group.path_edit.setText(str(path))
        self.input_group.path_edit.setToolTip(tip(str(path)))
        self.input_group.show_template(template, layers)
        self.input_group.source_combo.setCurrentIndex(0)  # the file opened is what Run checks
        add_gpkg_layers(str(path), layers)
        self._update_buttons()
        return True

    # ------------------------------------------------------------------ running
    def _source(self) -> str | SurveyRequest | None:
        """The open GeoPackage's path, or the chosen project layers checked (None, said, when there is none)."""
        if not self.from_layers():
            if not self.gpkg_path:
                self._error(self.tr("Open a Defra metric GeoPackage first."))
                return None
            return self.gpkg_path
        try:
            return self.input_group.layer_inputs.request(self.phase())
        except LnrsError as exc:
            self._error(self.tr("The layers were not checked: {0}").format(sentence(str(exc))))
            return None

    def run(self, synchronous: bool = False) -> bool:
        """Check and score the GeoPackage or the project layers; ``synchronous`` runs the task in this thread."""
        if self.task is not None:
            self._message(self.tr("The survey is already being checked; wait for it or cancel it."),
                          Qgis.MessageLevel.Warning)
            return False
        index = self.context.index
        if index is None:
            self._error(self.tr("Load a Local Habitat Map pack in the Habitat map group first."))
            return False
        source = self._source()
        if source is None:
            return False
        lpa = self.lpa_combo.currentLayer()
        self.run_pack = self._pack_label()
        name = source.names if isinstance(source, SurveyRequest) else Path(source).name
        task = parcels_task(self.tr("LNRS parcel check of {0}").format(name), index, source, self.phase(),
                            LayerInput.from_layer(lpa) if isinstance(lpa, QgsVectorLayer) else None,
                            QgsProject.instance().transformContext(), self._on_done)
        self.context.clear_messages()
        if start_task(task, synchronous, self.progress):
            self.task = task
            self.destroyed.connect(_canceller(task))  # closing the dock stops the run
            self._update_buttons()
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _pack_label(self) -> str:
        index = self.context.index
        if index is None:
            return ""
        meta = index.pack.metadata
        return f"{index.ref.name} {meta.version}".strip() if meta.version else str(index.ref.name)

    def _on_done(self, run: DefraRun | None, error: str, cancelled: bool) -> None:
        if sip.isdeleted(self):  # the dock was closed while the task ran
            return
        self.task = None
        self._update_buttons()
        if cancelled:
            self._message(self.tr("The parcel check was cancelled; nothing was changed."), Qgis.MessageLevel.Warning)
            return
        if error or run is None:
            self._error(self.tr("The survey could not be checked: {0}").format(
                error or self.tr("no answer.")))
            return
        self.set_run(run)
        index = self.context.index
        shown = strategy_rule(index.pack.metadata, run.file.phase)[1][-1:] if index is not None else ()
        for note in run.result.notes:
            if note not in shown:  # the rule itself is the tab's rule line
                self._message(note, Qgis.MessageLevel.Warning)

    # ------------------------------------------------------------------ results
    def set_run(self, run: DefraRun) -> None:
        self.run_result = run
        result = run.result
        fill_issues(self.issues_table, result.issues)
        fill_pieces(self.pieces_table, run)
        for table in (self.issues_table, self.pieces_table):
            fit_columns(table)
        self.detail.clear()
        self.detail.setVisible(False)
        errors = len(result.errors)
        self.issues_label.setText(self.tr("Issues ({0} errors, {1} warnings)").format(
            errors, len(result.issues) - errors))
        self.pieces_label.setText(self.tr("Features ({0}, {1} pieces)").format(len(run.parcels), len(result.pieces)))
        self.summary.setText(summary_html(run))
        self.summary.setToolTip(tip(self.tr("Assessed against the pack {0}").format(self.run_pack)))
        self.input_group.setCollapsed(True)
        self._update_buttons()

    def _describe_issue_row(self, row: int) -> None:
        k = row_index(self.issues_table, row)
        if k is None or self.run_result is None or not 0 <= k < len(self.run_result.result.issues):
            return
        self.detail.setText(issue_html(self.run_result.result.issues[k]))
        self.detail.setVisible(True)

    def _describe_piece_row(self, row: int) -> None:
        k = row_index(self.pieces_table, row)
        run = self.run_result
        if k is None or run is None or not 0 <= k < len(run.result.pieces):
            return
        self.detail.setText(piece_html(run, k))
        self.detail.setVisible(True)

    def show_issue_row(self, row: int) -> None:
        k = row_index(self.issues_table, row)
        if k is not None and self.run_result is not None and 0 <= k < len(self.run_result.result.issues):
            self.show_issue(self.run_result.result.issues[k])

    def show_piece_row(self, row: int) -> None:
        k = row_index(self.pieces_table, row)
        if k is not None and self.run_result is not None and 0 <= k < len(self.run_result.result.pieces):
            self.show_piece(self.run_result.result.pieces[k])

    def _feature_geometries(self, issue: QaIssue) -> list[Any]:
        run = self.run_result
        if run is None or not issue.ref:
            return []
        wanted = {r.strip() for r in issue.ref.split(";")}
        return [p.geometry for p in run.parcels
                if p.ref in wanted and p.geometry is not None and (not issue.layer or p.layer == issue.layer)]

    def show_issue(self, issue: QaIssue) -> None:
        """Zoom the map to an issue (with the features it concerns) and flash it."""
        canvas = self.context.canvas()
        if canvas is None:
            return
        features = self._feature_geometries(issue)
        geom = issue.geometry
        if geom is None and not features:
            self._message(self.tr("This issue has no location on the map."), Qgis.MessageLevel.Warning)
            return
        zoom_to(canvas, [geom, *features])
        polygonal = geom is not None and geom.geom_type in ("Polygon", "MultiPolygon")
        for g in ([geom] if polygonal or not features else features):
            if g is not None:
                flash(canvas, g)

    def show_piece(self, piece: ParcelPiece) -> None:
        canvas = self.context.canvas()
        if canvas is None:
            return
        zoom_to(canvas, [piece.geometry])
        flash(canvas, piece.geometry)

    # ------------------------------------------------------------------ outputs
    def add_results_to_map(self) -> bool:
        run = self.run_result
        if run is None:
            self._error(self.tr("Run the parcel check first."))
            return False
        name = self.tr("Parcel significance: {0} ({1})").format(run.file.stem, run.file.phase)
        add_run_to_project(run, name)
        self._message(self.tr("Added '{0}' to the map as temporary layers; save them (Export) to keep them.").format(
            name), Qgis.MessageLevel.Success)
        return True

    def save_filled_gpkg(self, path: str = "") -> str:
        """Write a new GeoPackage in the input's template (project layers: the Natural England template) with every
        module's significance filled; its path."""
        run = self.run_result
        if run is None:
            self._error(self.tr("Run the parcel check first."))
            return ""
        if not path:
            folder = run.file.path.parent if run.file.path is not None else Path(QgsProject.instance().homePath())
            suggestion = folder / f"{run.file.stem}_{run.file.phase}_significance.gpkg"
            title = self.tr("Save the filled Defra GeoPackage") if run.file.path is not None else \
                self.tr("Save the layers as a filled Defra GeoPackage (Natural England template)")
            path, _ = QFileDialog.getSaveFileName(self, title, str(suggestion), self.tr("GeoPackage (*.gpkg)"))
            if not path:
                return ""
            if not path.lower().endswith(".gpkg"):
                path += ".gpkg"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            index = self.context.index
            written = run.write(path, {"Local Habitat Map pack": index.pack.source if index is not None else None})
        except LnrsError as exc:
            self._error(self.tr("The GeoPackage was not saved: {0}").format(sentence(str(exc))))
            return ""
        except OSError as exc:
            self._error(self.tr("The GeoPackage was not saved: {0} ({1}). Choose another folder or file name.").format(
                path, exc.strerror or str(exc)))
            return ""
        finally:
            QApplication.restoreOverrideCursor()
        if run.file.path is None:
            self._message(self.tr("Saved the filled GeoPackage {0} in the Natural England template (the project "
                                  "layers are unchanged)").format(str(written)), Qgis.MessageLevel.Success)
        else:
            self._message(self.tr("Saved the filled GeoPackage {0}").format(str(written)), Qgis.MessageLevel.Success)
        return str(written)

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        if self.task is not None:
            self.task.on_done = lambda *_a: None
            self.task.cancel()
            self.task = None
