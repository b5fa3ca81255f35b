"""History of one opportunity area: every state the audit and the published versions hold, shown on the map
and restored (issue 20, "history you can restore").

Opened from the audit trail (*History of this area…*). The states come from the engine
(:mod:`..core.editing.history`): after each audit row, before the first, and as each published version
held the area (read when its row is selected). *Show on map* adds the state as a temporary layer;
*Restore this state…* asks for a note and checks the state in to the Local Habitat Map at once, as a
normal check-in: validated, conflict-checked against what this dialog showed, audited as "restored
from audit row N" / "restored from version V". A working copy checked out meanwhile is not touched:
its own next save is conflict-checked against the restored area like any colleague's change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.core import QgsFeature, QgsFillSymbol, QgsGeometry, QgsProject, QgsSingleSymbolRenderer, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QSize
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..adapters import version_store
from ..adapters.pack_source import PackSource, load_pack
from ..core.editing.audit import geometry_wkb
from ..core.editing.checkin import EditConflict, EditRefused
from ..core.editing.history import AreaState, area_states, current_feature, restore_area, state_at_version
from ..core.errors import LnrsError
from ..core.pack.model import PackData
from ..core.versions.publish import PublishedVersion
from .edit_store import measures_text, open_store
from .edit_task import run_engine
from .results_view import tip

MAX_FID = 2**31 - 1
MAX_COLUMN_WIDTH = 260
NAME_COLUMN_WIDTH = 140


def tr(text: str) -> str:
    return str(QCoreApplication.translate("HistoryDialog", text))


class _Row:
    """One row of the table: an engine state, or a published version whose state is read when selected."""

    def __init__(self, state: AreaState | None = None, version: PublishedVersion | None = None) -> None:
        self.state = state
        self.version = version


def _state_cells(row: _Row) -> list[str]:
    state, version = row.state, row.version
    title = state.source if state is not None else tr("version {0}").format(version.version if version else "")
    title = title[:1].upper() + title[1:]
    when = (state.when if state is not None else (version.publication_date if version else ""))
    when = when.replace("T", " ").rstrip("Z")
    if state is not None and state.source.startswith("before ") and when:
        when = tr("until {0}").format(when)  # the area as it was until its first recorded change
    who = state.who if state is not None else (version.published_by if version else "")
    if state is None:
        return [title, when, who, tr("(select to read)"), "", "", "", version.note if version else ""]
    if state.problem:
        return [title, when, who, tr("(shape not kept)"), "", "", "", state.reason]
    if state.feature is None:
        return [title, when, who, tr("(not on the map)"), "", "", "", state.reason]
    f = state.feature
    area = "" if f.geometry is None else f"{float(f.geometry.area):,.0f}"
    return [title, when, who, measures_text(f), f.name, f.ref, area, state.reason]


def column_headings() -> list[str]:
    return [tr("State"), tr("When (UTC)"), tr("Who"), tr("Measures"), tr("Name"), tr("Reference"), tr("Area (m²)"),
            tr("Reason or note")]


N_COLUMNS, NAME_COLUMN = 8, 4


def state_layer(state: AreaState, title: str) -> QgsVectorLayer:
    """A temporary layer holding the area as it was in ``state``."""
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:27700&field=pack_fid:integer&field=state:string"
                           "&field=measures:string&field=name:string&field=ref:string", title, "memory")
    feature = state.feature
    wkb = geometry_wkb(feature.geometry) if feature is not None else None
    if feature is not None and wkb is not None:
        f = QgsFeature(layer.fields())
        geometry = QgsGeometry()
        geometry.fromWkb(wkb)
        f.setGeometry(geometry)
        f.setAttributes([state.fid, state.source, measures_text(feature), feature.name, feature.ref])
        layer.dataProvider().addFeatures([f])
        layer.updateExtents()
    symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": "#6a1b9a", "outline_width": "0.8",
                                         "outline_style": "dash"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    return layer


class HistoryDialog(QDialog):
    """The states of one area (newest first), with *Show on map* and *Restore this state…*.

    ``reason_provider(summary)`` asks the note of a restore (``None``: cancelled); ``synchronous`` runs the engine in
    this thread (tests); ``on_restored()`` runs after a restore landed.
    """

    def __init__(self, source: PackSource, title: str, user: Callable[[], str], parent: QWidget | None = None,
                 fid: int | None = None, canvas: Any = None,
                 reason_provider: Callable[[str], str | None] | None = None, synchronous: bool = False,
                 on_restored: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("areaHistoryDialog")
        self.setWindowTitle(tr("History of an opportunity area: {0}").format(title))
        self.source, self.user, self.canvas = source, user, canvas
        self.reason_provider = reason_provider or (lambda _summary: None)
        self.synchronous = synchronous
        self.on_restored = on_restored or (lambda: None)
        self.pack: PackData | None = None
        self.rows: list[_Row] = []
        self.layers: list[QgsVectorLayer] = []
        self.task: Any = None
        self.restored: Any = None  # the SaveResult of the last restore that landed
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        label = QLabel(tr("Opportunity &area (feature id):"), self)
        self.fid_box = QSpinBox(self)
        self.fid_box.setObjectName("historyFid")
        self.fid_box.setRange(1, MAX_FID)
        self.fid_box.setMaximumWidth(130)
        label.setBuddy(self.fid_box)
        self.load_button = QPushButton(tr("Show &history"), self)
        self.load_button.setObjectName("historyLoad")
        self.load_button.clicked.connect(lambda: self.load(self.fid_box.value()))
        top.addWidget(label)
        top.addWidget(self.fid_box)
        top.addWidget(self.load_button)
        top.addStretch(1)
        layout.addLayout(top)
        self.now_label = QLabel(self)
        self.now_label.setObjectName("historyNow")
        self.now_label.setWordWrap(True)
        layout.addWidget(self.now_label)
        self.table = QTableWidget(0, N_COLUMNS, self)
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels(column_headings())
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(N_COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(tr("States of the area"))
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table, 1)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("historyStatus")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.show_button = buttons.addButton(tr("Show on &map"), QDialogButtonBox.ButtonRole.ActionRole)
        self.show_button.setObjectName("historyShow")
        self.show_button.setToolTip(tr("Add the area as it was in the selected state to the map, as a temporary "
                                       "layer"))
        self.restore_button = buttons.addButton(tr("&Restore this state\u2026"), QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.setObjectName("historyRestore")
        self.restore_button.setToolTip(tr("Save the area as it was in the selected state to the Local Habitat Map "
                                          "now: validated and recorded in the audit trail with your note"))
        self.show_button.clicked.connect(lambda: self.show_on_map())
        self.restore_button.clicked.connect(lambda: self.restore())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()
        if fid is not None:
            self.fid_box.setValue(fid)
            self.load(fid)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1100, 420)

    # ------------------------------------------------------------------ reading
    def load(self, fid: int) -> bool:
        """Read the area's states: the audit's, then one row per published version."""
        self.fid_box.setValue(fid)
        try:
            pack = load_pack(self.source)
            records = open_store(self.source).audit_records(fid)
            versions = version_store.versions(self.source)
        except LnrsError as exc:
            self.say(tr("The history could not be read: {0}").format(str(exc)))
            return False
        self.pack = pack
        current = current_feature(pack, fid)
        self.rows = [_Row(state) for state in area_states(records, fid, current)]
        self.rows += [_Row(version=v) for v in sorted(versions, key=lambda v: v.version, reverse=True)]
        self.now_label.setText(tr("Now: {0}").format(
            current.label() + tr(", measures {0}").format(measures_text(current) or tr("(none)"))
            if current is not None else tr("opportunity area {0} is not on the map").format(fid)))
        self._fill()
        self.say(tr("{0} recorded change(s) and {1} published version(s).").format(len(records), len(versions))
                 if self.rows else tr("No audit row or published version holds opportunity area {0}.").format(fid))
        return True

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            self._fill_row(r, row)
        self.table.resizeColumnsToContents()
        for c in range(N_COLUMNS - 1):  # long names and notes stay readable in their tooltips
            cap = NAME_COLUMN_WIDTH if c == NAME_COLUMN else MAX_COLUMN_WIDTH
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), cap))
        self._update_buttons()

    def _fill_row(self, r: int, row: _Row) -> None:
        for c, text in enumerate(_state_cells(row)):
            item = QTableWidgetItem(text)
            item.setToolTip(tip(text))
            self.table.setItem(r, c, item)

    def selected_state(self) -> AreaState | None:
        """The selected row's state (a version's is read now); None when nothing is selected or it fails."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        index = rows[0].row()
        row = self.rows[index]
        if row.state is None and row.version is not None:
            fid = self.fid_box.value()
            try:
                row.state = state_at_version(version_store.load_version(self.source, row.version.version), fid,
                                             row.version.version)
            except LnrsError as exc:
                self.say(tr("Version {0} could not be read: {1}").format(row.version.version, str(exc)))
                return None
            row.state = AreaState(fid, row.state.feature, row.state.source, row.version.publication_date,
                                  row.version.published_by, row.version.note, row.state.restore_reason)
            self._fill_row(index, row)
        return row.state

    def _selected(self) -> None:
        state = self.selected_state()
        if state is not None and state.problem:
            self.say(state.problem)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.task is not None
        chosen = bool(self.table.selectionModel().selectedRows()) if self.table.selectionModel() else False
        self.show_button.setEnabled(chosen and not busy)
        self.restore_button.setEnabled(chosen and not busy)
        self.load_button.setEnabled(not busy)

    def say(self, text: str) -> None:
        self.status_label.setText(text)

    # ------------------------------------------------------------------ actions
    def show_on_map(self) -> QgsVectorLayer | None:
        """Add the selected state to the project as a temporary layer (and zoom to it)."""
        state = self.selected_state()
        if state is None:
            return None
        if state.problem:
            self.say(state.problem)
            return None
        if state.feature is None:
            self.say(tr("Opportunity area {0} was not on the map in {1}: there is no shape to show.").format(
                state.fid, state.source))
            return None
        layer = state_layer(state, tr("Opportunity area {0} as in {1}").format(state.fid, state.source))
        QgsProject.instance().addMapLayer(layer)
        self.layers.append(layer)
        if self.canvas is not None:
            self.canvas.setExtent(layer.extent().buffered(max(layer.extent().width(), 50.0) * 0.2))
            self.canvas.refresh()
        self.say(tr("Added the layer ‘{0}’ to the map.").format(layer.name()))
        return layer

    def restore(self) -> bool:
        """Ask for a note, then check the selected state in; the outcome is told in the dialog."""
        state = self.selected_state()
        if state is None or self.pack is None:
            return False
        if state.problem:
            self.say(state.problem)
            return False
        what = (tr("remove opportunity area {0} from the map, as it was absent in {1}").format(state.fid, state.source)
                if state.feature is None else
                tr("put opportunity area {0} back as it was in {1}").format(state.fid, state.source))
        note = self.reason_provider(tr("Restore: {0}. This is saved to the Local Habitat Map now, validated, and "
                                       "recorded in the audit trail as ‘{1}’ with your note.").format(
            what, state.restore_reason))
        if note is None:
            return False
        source, seen, user = self.source, self.pack, self.user()

        def work() -> Any:
            return restore_area(open_store(source), load_pack(source), state, user=user, note=note, seen=seen)

        self.restored = None
        task = run_engine(tr("Restoring an opportunity area"), work, self._restored, self.synchronous)
        if not self.synchronous:
            self.task = task
        self._update_buttons()
        return self.restored is not None

    def _restored(self, saved: Any, error: BaseException | None) -> None:
        self.task = None
        self.restored = saved if error is None else None
        fid = self.fid_box.value()
        if error is None:
            self.load(fid)
            self.say(tr("Restored: opportunity area {0} saved to the Local Habitat Map (audit row {1}).").format(
                fid, ", ".join(str(r.audit_id) for r in saved.audit) or "-"))
            self.on_restored()
        elif isinstance(error, EditConflict):
            self.load(fid)
            self.say(tr("Nothing was saved: someone else changed this area after it was shown here. Its history "
                        "has been read again; choose the state to restore again.\n{0}").format(str(error)))
        elif isinstance(error, (EditRefused, LnrsError)):
            self.say(str(error))
        else:
            self.say(tr("The area could not be restored: {0}").format(str(error)))
        self._update_buttons()


def open_history(panel: Any, source: PackSource, fid: int | None) -> HistoryDialog:
    """The history dialog for ``source`` opened from the Edit map tab (its officer, dialogs and canvas)."""
    dialog = HistoryDialog(source, panel._source_title(source), panel._user, panel, fid, panel.context.canvas(),
                           panel.reason_provider, panel.synchronous, panel.schedule_refresh)
    dialog.show()
    return dialog

