"""The dock's Parcels tab: strategic significance and QA of habitat survey parcels (ecologists).

Same engine as ``lnrs:parcelsignificance``: the inputs go through
:func:`..adapters.parcel_layers.parcel_request` and :func:`..adapters.parcel_layers.assess_parcel_layers`
(in a task from :func:`.parcels_task.parcels_task`), and the filled Defra GeoPackage is written by
:meth:`..adapters.parcel_layers.ParcelRun.write_defra`. The panel holds no rules: it renders the run.
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

from ..adapters.defra_gpkg import is_defra_habitats
from ..adapters.parcel_layers import (
    PHASES,
    LayerInput,
    ParcelRun,
    default_habitat_field,
    defra_red_line,
    ogr_gpkg,
    parcel_request,
)
from ..core.errors import LnrsError
from ..core.parcels.qa import QaIssue
from ..core.parcels.significance import ParcelPiece
from .background_task import BackgroundTask
from .dock_context import DockContext
from .map_highlight import flash, zoom_to
from .parcels_inputs import ParcelsInputs, find_defra_habitats, project_layer_on
from .parcels_map import add_run_to_project
from .parcels_tables import fill_issues, fill_pieces, fit_columns, issue_html, piece_html, results_table, row_index
from .parcels_tables import summary_html as run_summary_html
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
    """Choose parcels, run, read the issues and the parcels' significance, add to map, save the GeoPackage."""

    def __init__(self, context: DockContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.run_result: ParcelRun | None = None
        self.run_pack = ""
        self.task: BackgroundTask | None = None
        self._auto_field = ""
        self.setObjectName("parcelsPanel")
        self._build()
        context.pack_changed.connect(self._update_buttons)  # the pack is chosen above the tabs
        # connected once every widget exists (a project with layers emits layerChanged while building)
        self.layer_combo.layerChanged.connect(self._on_layer_changed)
        self.phase_combo.currentIndexChanged.connect(self._on_phase_changed)
        self._on_layer_changed(self.layer_combo.currentLayer())

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._build_inputs())

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
        row.addStretch(0)
        outer.addLayout(row)

        self.summary = QLabel(self.tr("Choose the parcels and press Run."), self)
        self.summary.setObjectName("parcelsSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.summary)

        self.issues_table = results_table(self, "parcelIssuesTable", [
            self.tr("Issue"), self.tr("Parcel"), self.tr("Message"), self.tr("Fix hint")])
        self.issues_table.setAccessibleName(self.tr("Parcel issues"))
        self.issues_table.cellClicked.connect(lambda row, _col: self.show_issue_row(row))
        self.issues_table.cellActivated.connect(lambda row, _col: self.show_issue_row(row))
        self.issues_table.currentCellChanged.connect(lambda row, *_a: self._describe_issue_row(row))
        self.pieces_table = results_table(self, "parcelPiecesTable", [
            self.tr("Parcel"), self.tr("Significance"), self.tr("Habitat"), self.tr("Area (ha)"),
            self.tr("Multiplier"), self.tr("Metric wording"), self.tr("Measures"), self.tr("Irreplaceable"),
            self.tr("Split from")])
        self.pieces_table.setAccessibleName(self.tr("Parcels with strategic significance"))
        self.pieces_table.cellClicked.connect(lambda row, _col: self.show_piece_row(row))
        self.pieces_table.cellActivated.connect(lambda row, _col: self.show_piece_row(row))
        self.pieces_table.currentCellChanged.connect(lambda row, *_a: self._describe_piece_row(row))
        self.issues_label = QLabel(self.tr("Issues"), self)
        self.pieces_label = QLabel(self.tr("Parcels"), self)
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
        self.add_map_button.setToolTip(self.tr("Add the parcels with their significance and the issues to the "
                                               "project as temporary layers"))
        self.add_map_button.clicked.connect(lambda: self.add_results_to_map())
        buttons.addWidget(self.add_map_button)
        self.save_button = QPushButton(self.tr("&Save filled GeoPackage\u2026"), self)
        self.save_button.setObjectName("saveFilledGpkgButton")
        self.save_button.clicked.connect(lambda: self.save_filled_gpkg())
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)

    def _build_inputs(self) -> QWidget:
        self.input_group = ParcelsInputs(self)
        self.layer_combo = self.input_group.layer_combo
        self.phase_combo = self.input_group.phase_combo
        self.field_combo = self.input_group.field_combo
        self.red_line_combo = self.input_group.red_line_combo
        self.lpa_combo = self.input_group.lpa_combo
        self.open_button = self.input_group.open_button
        self.open_button.clicked.connect(lambda: self.open_defra_gpkg())
        return self.input_group

    # ------------------------------------------------------------------ visibility and state
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._update_buttons()

    def _canvas(self) -> Any:
        return self.context.canvas()

    def _message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None:
        self.context.show_message(text, level)

    def _error(self, text: str) -> None:
        self.context.show_error(text)

    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None
        has_pack = self.context.index is not None
        layer = self.layer_combo.currentLayer()
        self.run_button.setEnabled(not busy and has_pack and layer is not None)
        if not has_pack:
            self.run_button.setToolTip(self.tr("Load a Local Habitat Map pack in the Habitat map group above first: "
                                               "significance comes from its opportunity areas."))
        elif layer is None:
            self.run_button.setToolTip(self.tr("Choose the parcels layer or open a Defra GeoPackage first."))
        else:
            self.run_button.setToolTip(self.tr("Assess the parcels' strategic significance and check them"))
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        self.open_button.setEnabled(not busy)
        has_run = self.run_result is not None
        self.add_map_button.setEnabled(has_run and not busy)
        can_save = has_run and not busy and self.run_result is not None and \
            self.run_result.request.defra_gpkg is not None
        self.save_button.setEnabled(can_save)
        if has_run and not can_save and not busy:
            self.save_button.setToolTip(self.tr("Only for the Habitats layer of a Defra metric GeoPackage; for "
                                                "other layers use Add results to map or the Processing algorithm."))
        else:
            self.save_button.setToolTip(self.tr("Write a copy of the Defra GeoPackage with the parcels split and "
                                                "the Strategic Significance filled (the input is never changed)"))

    # ------------------------------------------------------------------ inputs
    def phase(self) -> str:
        return str(self.phase_combo.currentData() or PHASES[0])

    def _on_layer_changed(self, layer: Any) -> None:
        self.field_combo.setLayer(layer)
        self._auto_field = ""
        self._default_field()
        gpkg = ogr_gpkg(layer) if isinstance(layer, QgsVectorLayer) else None
        own_red_line = gpkg is not None and is_defra_habitats(layer.fields().names()) and \
            defra_red_line(gpkg[0]) is not None
        self.red_line_combo.setAllowEmptyLayer(
            True, self.tr("GeoPackage's red line") if own_red_line else self.tr("None"))
        self._update_buttons()

    def _on_phase_changed(self, *_args: Any) -> None:
        self._default_field()

    def _default_field(self) -> None:
        """Select the phase's default habitat field, unless the user chose another one."""
        layer = self.layer_combo.currentLayer()
        current = self.field_combo.currentField()
        if current and current != self._auto_field:
            return
        name = default_habitat_field(self.phase())
        has = isinstance(layer, QgsVectorLayer) and name in layer.fields().names()
        self.field_combo.setField(name if has else "")
        self._auto_field = name if has else ""

    def set_parcels_layer(self, layer: Any) -> bool:
        """Use ``layer`` as the parcels (a polygon vector layer in the project)."""
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            self._error(self.tr("That layer cannot be read; choose a polygon layer of habitat parcels."))
            return False
        if layer.geometryType() != Qgis.GeometryType.Polygon:
            self._error(self.tr("{0} holds no polygons; habitat parcels are polygons. Choose a polygon layer or open "
                                "a Defra GeoPackage.").format(layer.name()))
            return False
        if QgsProject.instance().mapLayer(layer.id()) is None:
            QgsProject.instance().addMapLayer(layer)
        self.layer_combo.setLayer(layer)
        return True

    def open_defra_gpkg(self, path: str = "") -> bool:
        """Open a Defra metric GeoPackage: its Habitats layer (found by its fields) becomes the parcels."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a Defra metric GeoPackage"), "",
                                                  self.tr("GeoPackage (*.gpkg)"))
            if not path:
                return False
        name = Path(path).name
        habitats = find_defra_habitats(path)
        if habitats is None:
            self._error(self.tr("{0} has no Habitats layer of the statutory biodiversity metric (polygons with the "
                                "fields Parcel Ref, Baseline Habitat Type and Proposed Habitat Type); choose the "
                                "parcels layer from the project instead.").format(name))
            return False
        existing = project_layer_on(habitats)
        if existing is not None:
            return self.set_parcels_layer(existing)
        project = QgsProject.instance()
        group = project.layerTreeRoot().insertGroup(0, Path(path).stem)
        red = defra_red_line(path)
        for layer in (habitats, red):
            if layer is not None:
                project.addMapLayer(layer, False)
                group.addLayer(layer)
        return self.set_parcels_layer(habitats)

    # ------------------------------------------------------------------ running
    def run(self, synchronous: bool = False) -> bool:
        """Assess the chosen parcels; ``synchronous`` runs the task in this thread (tests, probes)."""
        if self.task is not None:
            self._message(self.tr("The parcels are already being checked; wait for it or cancel it."),
                          Qgis.MessageLevel.Warning)
            return False
        index = self.context.index
        if index is None:
            self._error(self.tr("Load a Local Habitat Map pack in the Habitat map group first."))
            return False
        layer = self.layer_combo.currentLayer()
        if layer is None:
            self._error(self.tr("Choose the parcels layer or open a Defra GeoPackage first."))
            return False
        if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != Qgis.GeometryType.Polygon:
            self._error(self.tr("{0} holds no polygons; habitat parcels are polygons.").format(layer.name()))
            return False
        if layer.featureCount() == 0:
            self._error(self.tr("{0} has no features: there are no parcels to check.").format(layer.name()))
            return False
        red, lpa = self.red_line_combo.currentLayer(), self.lpa_combo.currentLayer()
        try:
            request = parcel_request(
                LayerInput.from_layer(layer), self.phase(), self.field_combo.currentField(),
                LayerInput.from_layer(red) if isinstance(red, QgsVectorLayer) else None,
                LayerInput.from_layer(lpa) if isinstance(lpa, QgsVectorLayer) else None)
        except LnrsError as exc:
            self._error(sentence(str(exc)))
            return False
        self.run_pack = self._pack_label()
        task = parcels_task(self.tr("LNRS parcel significance of {0}").format(layer.name()), index, request,
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

    def _on_done(self, run: ParcelRun | None, error: str, cancelled: bool) -> None:
        if sip.isdeleted(self):  # the dock was closed while the task ran
            return
        self.task = None
        self._update_buttons()
        if cancelled:
            self._message(self.tr("The parcel check was cancelled; nothing was changed."), Qgis.MessageLevel.Warning)
            return
        if error or run is None:
            self._error(self.tr("The parcels could not be checked: {0}").format(error or self.tr("no answer.")))
            return
        if not run.parcels:
            self._error(self.tr("{0} has no features: there are no parcels to check.").format(
                run.request.parcels.name))
            return
        self.set_run(run)
        for note in run.result.notes:
            self._message(note, Qgis.MessageLevel.Warning)

    # ------------------------------------------------------------------ results
    def set_run(self, run: ParcelRun) -> None:
        self.run_result = run
        result = run.result
        fill_issues(self.issues_table, result.issues)
        fill_pieces(self.pieces_table, run)
        for table in (self.issues_table, self.pieces_table):
            fit_columns(table)
        self.detail.clear()
        self.detail.setVisible(False)
        self.issues_label.setText(self.tr("Issues ({0})").format(len(result.issues)))
        self.pieces_label.setText(self.tr("Parcels ({0} pieces)").format(len(result.pieces)))
        self.summary.setText(self.summary_html(run))
        self.summary.setToolTip(tip(self.tr("Assessed against the pack {0}").format(self.run_pack)))
        self.input_group.setCollapsed(True)
        self._update_buttons()

    def summary_html(self, run: ParcelRun) -> str:
        return run_summary_html(run)

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

    def _parcel_geometries(self, refs: str) -> list[Any]:
        run = self.run_result
        if run is None or not refs:
            return []
        wanted = {r.strip() for r in refs.split(";")}
        return [p.geometry for p in run.parcels if p.ref in wanted and p.geometry is not None]

    def show_issue(self, issue: QaIssue) -> None:
        """Zoom the map to an issue (with the parcels it concerns) and flash it."""
        canvas = self._canvas()
        if canvas is None:
            return
        parcels = self._parcel_geometries(issue.parcel_ref)
        geom = issue.geometry
        if geom is None and not parcels:
            self._message(self.tr("This issue has no location on the map."), Qgis.MessageLevel.Warning)
            return
        zoom_to(canvas, [geom, *parcels])
        polygonal = geom is not None and geom.geom_type in ("Polygon", "MultiPolygon")
        for g in ([geom] if polygonal or not parcels else parcels):
            if g is not None:
                flash(canvas, g)

    def show_piece(self, piece: ParcelPiece) -> None:
        canvas = self._canvas()
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
        name = self.tr("Parcel significance: {0} ({1})").format(run.request.parcels.name, run.request.phase)
        add_run_to_project(run, name)
        self._message(self.tr("Added '{0}' to the map as temporary layers; save them (Export) to keep them.").format(
            name), Qgis.MessageLevel.Success)
        return True

    def save_filled_gpkg(self, path: str = "") -> str:
        """Write a new Defra GeoPackage with the parcels split and the significance filled; returns its path."""
        run = self.run_result
        if run is None:
            self._error(self.tr("Run the parcel check first."))
            return ""
        src = run.request.defra_gpkg
        if src is None:
            self._error(self.tr("{0} is not the Habitats layer of a Defra metric GeoPackage, so there is no "
                                "GeoPackage to fill; use Add results to map instead.").format(
                                    run.request.parcels.name))
            return ""
        if not path:
            suggestion = Path(src).with_name(f"{Path(src).stem}_{run.request.phase}_significance.gpkg")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the filled Defra GeoPackage"), str(suggestion),
                                                  self.tr("GeoPackage (*.gpkg)"))
            if not path:
                return ""
            if not path.lower().endswith(".gpkg"):
                path += ".gpkg"
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = run.write_defra(path)
        except LnrsError as exc:
            self._error(self.tr("The GeoPackage was not saved: {0}").format(str(exc)))
            return ""
        except OSError as exc:
            self._error(self.tr("The GeoPackage was not saved: {0} ({1}). Choose another folder or file name.").format(
                path, exc.strerror or str(exc)))
            return ""
        finally:
            QApplication.restoreOverrideCursor()
        self._message(self.tr("Saved the filled GeoPackage {0}").format(str(written)), Qgis.MessageLevel.Success)
        return str(written)

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        if self.task is not None:
            self.task.on_done = lambda *_a: None
            self.task.cancel()
            self.task = None
