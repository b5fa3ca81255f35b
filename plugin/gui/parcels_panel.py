"""The dock's Parcels tab: strategic significance and QA of habitat survey parcels (ecologists).

Same engine as ``lnrs:parcelsignificance``: the inputs go through
:func:`..adapters.parcel_layers.parcel_request` and :func:`..adapters.parcel_layers.assess_parcel_layers`
(in a task from :func:`.parcels_task.parcels_task`), and the filled Defra GeoPackage is written by
:meth:`..adapters.parcel_layers.ParcelRun.write_defra`. The panel holds no rules: it renders the run.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsMapLayerProxyModel,
    QgsProject,
    QgsTask,
    QgsVectorLayer,
)
from qgis.gui import QgsCollapsibleGroupBox, QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..adapters.defra_gpkg import HABITATS, RED_LINE, is_defra_habitats
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
from ..core.parcels import qa as parcel_qa
from ..core.parcels.qa import QaIssue
from ..core.parcels.significance import ParcelPiece
from .background_task import BackgroundTask
from .map_highlight import flash, zoom_to
from .parcels_map import NOT_ASSESSED_COLOUR, SIGNIFICANCE_COLOURS, add_run_to_project
from .parcels_task import parcels_task
from .results_view import tip
from .task_start import start_task

#: Widest a column opens (the detail line below the tables shows the whole text).
MAX_COLUMN_PX = 220
#: Item data role holding the issue or piece index of a table row (rows may be sorted).
INDEX_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _canceller(task: BackgroundTask) -> Any:
    """A slot that cancels ``task`` if it still exists (the task manager deletes finished tasks)."""
    def cancel(*_args: Any) -> None:
        if not sip.isdeleted(task) and task.status() not in (QgsTask.TaskStatus.Complete,
                                                             QgsTask.TaskStatus.Terminated):
            task.cancel()
    return cancel


class _Item(QTableWidgetItem):
    """A read-only cell that sorts by its SORT_ROLE value (numbers as numbers)."""

    def __init__(self, text: str, sort_key: Any = None) -> None:
        super().__init__(text)
        self.setData(SORT_ROLE, text.lower() if sort_key is None else sort_key)
        self.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
        if text:
            self.setToolTip(tip(text))

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        try:
            return bool(mine < theirs)
        except TypeError:
            return str(mine) < str(theirs)


class ParcelsPanel(QWidget):
    """Choose parcels, run, read the issues and the parcels' significance, add to map, save the GeoPackage."""

    def __init__(self, dock: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dock = dock
        self.run_result: ParcelRun | None = None
        self.run_pack = ""
        self.task: BackgroundTask | None = None
        self._auto_field = ""
        self.setObjectName("parcelsPanel")
        self._build()
        pack_changed = getattr(dock, "pack_changed", None)  # the pack is chosen above the tabs
        if pack_changed is not None:
            pack_changed.connect(self._update_buttons)
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

        self.issues_table = self._table("parcelIssuesTable", [
            self.tr("Issue"), self.tr("Parcel"), self.tr("Message"), self.tr("Fix hint")])
        self.issues_table.setAccessibleName(self.tr("Parcel issues"))
        self.issues_table.cellClicked.connect(lambda row, _col: self.show_issue_row(row))
        self.issues_table.cellActivated.connect(lambda row, _col: self.show_issue_row(row))
        self.issues_table.currentCellChanged.connect(lambda row, *_a: self._describe_issue_row(row))
        self.pieces_table = self._table("parcelPiecesTable", [
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
        group = QgsCollapsibleGroupBox(self.tr("Survey parcels"), self)
        group.setObjectName("parcelsInputGroup")
        layout = QVBoxLayout(group)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.layer_combo = QgsMapLayerComboBox(group)
        self.layer_combo.setObjectName("parcelsLayerCombo")
        self.layer_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.layer_combo.setAllowEmptyLayer(True, self.tr("Choose a polygon layer\u2026"))
        self.layer_combo.setCurrentIndex(0)
        self.layer_combo.setToolTip(self.tr("The habitat parcels: a polygon layer of the project, or the Habitats "
                                            "layer of a Defra metric GeoPackage"))
        self.open_button = QPushButton(self.tr("&Open Defra GeoPackage\u2026"), group)
        self.open_button.setObjectName("openDefraGpkgButton")
        self.open_button.setToolTip(self.tr("Open the GeoPackage of the statutory biodiversity metric's digital "
                                            "service: its Habitats layer and Red Line Boundary are added to the map"))
        self.open_button.clicked.connect(lambda: self.open_defra_gpkg())
        layer_label = QLabel(self.tr("&Parcels"), group)
        layer_label.setBuddy(self.layer_combo)
        form.addRow(layer_label, self.layer_combo)
        form.addRow("", self.open_button)

        self.phase_combo = QComboBox(group)
        self.phase_combo.setObjectName("parcelsPhaseCombo")
        self.phase_combo.addItem(self.tr("Baseline"), PHASES[0])
        self.phase_combo.addItem(self.tr("Proposed"), PHASES[1])
        self.phase_combo.setToolTip(self.tr("Which of the metric's habitats to assess: the baseline (existing) or "
                                            "the proposed habitats"))
        phase_label = QLabel(self.tr("P&hase"), group)
        phase_label.setBuddy(self.phase_combo)
        form.addRow(phase_label, self.phase_combo)

        self.field_combo = QgsFieldComboBox(group)
        self.field_combo.setObjectName("parcelsHabitatFieldCombo")
        self.field_combo.setAllowEmptyFieldName(True)
        field_label = QLabel(self.tr("Habitat &field"), group)
        field_label.setBuddy(self.field_combo)
        form.addRow(field_label, self.field_combo)

        self.red_line_combo = QgsMapLayerComboBox(group)
        self.red_line_combo.setObjectName("parcelsRedLineCombo")
        self.red_line_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.red_line_combo.setAllowEmptyLayer(True, self.tr("None"))
        self.red_line_combo.setCurrentIndex(0)
        self.red_line_combo.setToolTip(self.tr("The red line boundary, to find gaps and parts outside it (optional; "
                                               "a Defra GeoPackage's own Red Line Boundary is used when none is "
                                               "chosen)"))
        red_label = QLabel(self.tr("Red li&ne"), group)
        red_label.setBuddy(self.red_line_combo)
        form.addRow(red_label, self.red_line_combo)

        self.lpa_combo = QgsMapLayerComboBox(group)
        self.lpa_combo.setObjectName("parcelsLpaCombo")
        self.lpa_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.lpa_combo.setAllowEmptyLayer(True, self.tr("None"))
        self.lpa_combo.setCurrentIndex(0)
        self.lpa_combo.setToolTip(self.tr("Local planning authority boundaries: parcels are split where the "
                                          "authority changes (optional)"))
        lpa_label = QLabel(self.tr("LPA &boundaries"), group)
        lpa_label.setBuddy(self.lpa_combo)
        form.addRow(lpa_label, self.lpa_combo)
        for combo in (self.layer_combo, self.phase_combo, self.field_combo, self.red_line_combo, self.lpa_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        layout.addLayout(form)
        self.input_group = group
        return group

    def _table(self, name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers), self)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # engine order until clicked
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        table.setMinimumHeight(70)
        return table

    # ------------------------------------------------------------------ visibility and state
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._update_buttons()

    def _canvas(self) -> Any:
        iface = getattr(self.dock, "iface", None)
        return iface.mapCanvas() if iface is not None else None

    def _message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None:
        self.dock.show_message(text, level)

    def _error(self, text: str) -> None:
        self.dock.show_error(text)

    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None
        has_pack = getattr(self.dock, "index", None) is not None
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
        habitats = self._find_habitats(path)
        if habitats is None:
            self._error(self.tr("{0} has no Habitats layer of the statutory biodiversity metric (polygons with the "
                                "fields Parcel Ref, Baseline Habitat Type and Proposed Habitat Type); choose the "
                                "parcels layer from the project instead.").format(name))
            return False
        existing = self._project_layer(habitats)
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

    def _find_habitats(self, path: str) -> QgsVectorLayer | None:
        probe = QgsVectorLayer(path, "probe", "ogr")
        if not probe.isValid():
            return None
        names = [HABITATS] + [s.split("!!::!!")[1] for s in probe.dataProvider().subLayers() if "!!::!!" in s]
        for layer_name in dict.fromkeys(names):
            layer = QgsVectorLayer(f"{path}|layername={layer_name}", layer_name, "ogr")
            if layer.isValid() and layer.geometryType() == Qgis.GeometryType.Polygon and \
                    is_defra_habitats(layer.fields().names()):
                return layer
        return None

    @staticmethod
    def _project_layer(layer: QgsVectorLayer) -> QgsVectorLayer | None:
        """A layer of the project on the same GeoPackage layer, if there is one."""
        want = ogr_gpkg(layer)
        if want is None:
            return None
        target = (str(Path(want[0]).resolve()), want[1])
        for candidate in QgsProject.instance().mapLayers().values():
            got = ogr_gpkg(candidate) if isinstance(candidate, QgsVectorLayer) else None
            if got is not None and (str(Path(got[0]).resolve()), got[1]) == target:
                return candidate  # type: ignore[no-any-return]
        return None

    # ------------------------------------------------------------------ running
    def run(self, synchronous: bool = False) -> bool:
        """Assess the chosen parcels; ``synchronous`` runs the task in this thread (tests, probes)."""
        if self.task is not None:
            self._message(self.tr("The parcels are already being checked; wait for it or cancel it."),
                          Qgis.MessageLevel.Warning)
            return False
        index = getattr(self.dock, "index", None)
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
        self.dock.message_bar.clearWidgets()
        if start_task(task, synchronous, self.progress):
            self.task = task
            self.destroyed.connect(_canceller(task))  # closing the dock stops the run
            self._update_buttons()
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _pack_label(self) -> str:
        index = getattr(self.dock, "index", None)
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
    def issue_labels(self) -> dict[str, str]:
        return {
            parcel_qa.NO_GEOMETRY: self.tr("No geometry"),
            parcel_qa.INVALID: self.tr("Invalid geometry"),
            parcel_qa.SELF_INTERSECTION: self.tr("Self-intersection"),
            parcel_qa.OVERLAP: self.tr("Overlap"),
            parcel_qa.GAP: self.tr("Gap in red line"),
            parcel_qa.OUTSIDE: self.tr("Outside red line"),
            parcel_qa.SLIVER: self.tr("Sliver"),
            parcel_qa.MISSING_HABITAT: self.tr("Missing habitat"),
            parcel_qa.UNKNOWN_HABITAT: self.tr("Unknown habitat"),
            parcel_qa.MISSING_CONDITION: self.tr("Missing condition"),
            parcel_qa.AREA_MISMATCH: self.tr("Area mismatch"),
        }

    def set_run(self, run: ParcelRun) -> None:
        self.run_result = run
        result = run.result
        labels = self.issue_labels()
        self.issues_table.setSortingEnabled(False)
        self.issues_table.setRowCount(len(result.issues))
        for row, issue in enumerate(result.issues):
            cells = [_Item(labels.get(issue.kind, issue.kind)), _Item(issue.parcel_ref), _Item(issue.message),
                     _Item(issue.fix_hint)]
            cells[0].setData(INDEX_ROLE, row)
            for col, item in enumerate(cells):
                self.issues_table.setItem(row, col, item)
        self.issues_table.setSortingEnabled(True)

        self.pieces_table.setSortingEnabled(False)
        self.pieces_table.setRowCount(len(result.pieces))
        for row, piece in enumerate(result.pieces):
            parcel = run.parcels[piece.parent]
            habitat = piece.habitat_label or ("" if parcel.habitat is None else str(parcel.habitat))
            ha = piece.area_m2 / 10000.0
            category = piece.category or ""
            cells = [
                _Item(piece.ref), _Item(category or self.tr("not assessed"), category), _Item(habitat),
                _Item(f"{ha:,.4f}", ha),
                _Item("" if piece.multiplier is None else f"{piece.multiplier:g}", piece.multiplier or 0.0),
                _Item(piece.metric_text or ""), _Item(", ".join(piece.measure_codes)),
                _Item(self.tr("Yes") if piece.irreplaceable else "", int(piece.irreplaceable)),
                _Item(run.parent_ref(piece) if run.was_split(piece) else ""),
            ]
            cells[0].setData(INDEX_ROLE, row)
            cells[3].setToolTip(self.tr("{0} m²").format(f"{piece.area_m2:,.2f}"))
            cells[3].setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
            cells[4].setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
            colour = QColor(SIGNIFICANCE_COLOURS.get(category, NOT_ASSESSED_COLOUR))
            colour.setAlpha(110)
            cells[1].setBackground(colour)
            if piece.irreplaceable:
                cells[7].setToolTip(tip(piece.irreplaceable_text))
                cells[7].setForeground(QColor("#b71c1c"))
                font = QFont(cells[7].font())
                font.setBold(True)
                cells[7].setFont(font)
            for col, item in enumerate(cells):
                self.pieces_table.setItem(row, col, item)
        self.pieces_table.setSortingEnabled(True)
        for table in (self.issues_table, self.pieces_table):
            table.resizeColumnsToContents()
            for col in range(table.columnCount()):
                table.setColumnWidth(col, min(table.columnWidth(col), MAX_COLUMN_PX))
        self.detail.clear()
        self.detail.setVisible(False)
        self.issues_label.setText(self.tr("Issues ({0})").format(len(result.issues)))
        self.pieces_label.setText(self.tr("Parcels ({0} pieces)").format(len(result.pieces)))
        self.summary.setText(self.summary_html(run))
        self.summary.setToolTip(tip(self.tr("Assessed against the pack {0}").format(self.run_pack)))
        self.input_group.setCollapsed(True)
        self._update_buttons()

    def summary_html(self, run: ParcelRun) -> str:
        result = run.result
        counts = {name: sum(1 for p in result.pieces if p.category == name) for name in SIGNIFICANCE_COLOURS}
        irreplaceable = sum(1 for p in result.pieces if p.irreplaceable)
        parts = [self.tr("<b>Parcels: {0}</b> \u2192 pieces: {1} (parcels split: {2})").format(
            len(run.parcels), len(result.pieces), run.split_parcels)]
        parts.append(" \u00b7 ".join(f"{escape(name)}: {n}" for name, n in counts.items()))
        if irreplaceable:
            parts.append(self.tr("<b>on irreplaceable habitat: {0}</b>").format(irreplaceable))
        parts.append(self.tr("<b>issues: {0}</b>").format(len(result.issues)))
        red = run.request.red_line
        red_text = self.tr("none") if red is None else (
            self.tr("the GeoPackage's {0}").format(RED_LINE) if run.request.red_line_from_gpkg else red.name)
        where = self.tr("{0} \u00b7 {1} \u00b7 field '{2}' \u00b7 red line: {3}").format(
            run.request.parcels.name, run.request.phase, run.request.habitat_field, red_text)
        return " \u00b7 ".join(parts) + "<br><small>" + escape(where) + "</small>"

    def _row_index(self, table: QTableWidget, row: int) -> int | None:
        item = table.item(row, 0)
        if item is None:
            return None
        value = item.data(INDEX_ROLE)
        return int(value) if value is not None else None

    def _describe_issue_row(self, row: int) -> None:
        k = self._row_index(self.issues_table, row)
        if k is None or self.run_result is None or not 0 <= k < len(self.run_result.result.issues):
            return
        issue = self.run_result.result.issues[k]
        kind = self.issue_labels().get(issue.kind, issue.kind)
        self.detail.setText(self.tr("<b>{0}</b> {1}<br><i>Fix:</i> {2}").format(
            escape(kind), escape(issue.message), escape(issue.fix_hint)))
        self.detail.setVisible(True)

    def _describe_piece_row(self, row: int) -> None:
        k = self._row_index(self.pieces_table, row)
        run = self.run_result
        if k is None or run is None or not 0 <= k < len(run.result.pieces):
            return
        piece = run.result.pieces[k]
        lines = [self.tr("<b>{0}</b>: {1} \u00b7 {2} ha").format(
            escape(piece.ref), escape(piece.habitat_label or str(run.parcels[piece.parent].habitat or "")),
            f"{piece.area_m2 / 10000.0:,.4f}")]
        if piece.category:
            lines.append(self.tr("{0} ({1}): {2}").format(escape(piece.category), f"{piece.multiplier:g}",
                                                          escape(piece.metric_text or "")))
        else:
            lines.append(self.tr("Strategic significance not assessed: the pack has no opportunity areas."))
        if piece.measure_codes:
            lines.append(self.tr("Measures: {0}").format(escape(", ".join(piece.measure_codes))))
        if piece.lpa:
            lines.append(self.tr("Local planning authority: {0}").format(escape(piece.lpa)))
        if run.was_split(piece):
            lines.append(self.tr("Split from {0}").format(escape(run.parent_ref(piece))))
        if piece.irreplaceable:
            lines.append("<b>" + escape(piece.irreplaceable_text) + "</b>")
        self.detail.setText("<br>".join(lines))
        self.detail.setVisible(True)

    def show_issue_row(self, row: int) -> None:
        k = self._row_index(self.issues_table, row)
        if k is not None and self.run_result is not None and 0 <= k < len(self.run_result.result.issues):
            self.show_issue(self.run_result.result.issues[k])

    def show_piece_row(self, row: int) -> None:
        k = self._row_index(self.pieces_table, row)
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
