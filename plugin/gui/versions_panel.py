"""The dock's Versions tab: publish the loaded pack as a new version, list its versions, compare two of them.

Same engine as ``lnrs:publishversion`` and ``lnrs:compareversions`` (:mod:`..adapters.version_store`), run in
a :class:`.background_task.BackgroundTask`. Previously screened sites are re-screened with the dock's search
distance and proposed habitat. The panel holds no rules: it renders the versions and the comparison.
"""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis, QgsProject, QgsVectorLayer
from qgis.gui import QgsMapLayerComboBox
from qgis.PyQt import sip
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..adapters.qgis_geometry import to_shapely, transform_to_pack
from ..adapters.version_store import SitesToCheck, compare, publish, versions
from ..core.errors import InputError, LnrsError
from ..core.versions.compare import VersionComparison
from ..core.versions.publish import PublishedVersion, has_unpublished_edits
from ..core.versions.report import headline, summary_html
from .background_task import BackgroundTask
from .dock_context import DockContext
from .form_rows import add_labelled_row
from .results_view import tip
from .task_start import start_task
from .versions_map import add_comparison_to_project

#: What the user reads when publishing or comparing fails on something other than a known problem.
UNEXPECTED = ("it failed unexpectedly; the details are in the LNRS Toolkit tab of the message log. "
              "Nothing was changed.")
#: Field holding the site reference in lnrs:screensites output.
SCREENED_REF_FIELD = "site_ref"
CURRENT = -1  # combo data for "the current state"


class VersionsPanel(QWidget):
    """Publish…, the versions list, and Compare… two versions (with an optional layer of screened sites)."""

    def __init__(self, context: DockContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.records: list[PublishedVersion] = []
        self.comparison: VersionComparison | None = None
        self.added_layers: list[QgsVectorLayer] = []
        self.task: BackgroundTask | None = None
        self._shown_for: tuple[str, int] | None = None
        self.setObjectName("versionsPanel")
        self._build()
        context.pack_changed.connect(self._follow_pack)  # the pack is chosen above the tabs
        self._update_buttons()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.state_label = QLabel(self.tr("No Local Habitat Map loaded."), self)
        self.state_label.setObjectName("versionsStateLabel")
        self.state_label.setWordWrap(True)
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.state_label)

        row = QHBoxLayout()
        self.publish_button = QPushButton(self.tr("&Publish\u2026"), self)
        self.publish_button.setObjectName("publishVersionButton")
        self.publish_button.setToolTip(self.tr("Freeze the current state of the habitat map as its next version, "
                                               "with a note; screening reports then cite that version"))
        self.publish_button.clicked.connect(lambda: self.publish())
        row.addWidget(self.publish_button)
        row.addStretch(1)
        outer.addLayout(row)

        self.versions_table = QTableWidget(0, 5, self)
        self.versions_table.setObjectName("versionsTable")
        self.versions_table.setHorizontalHeaderLabels([self.tr("Version"), self.tr("Date"), self.tr("sha256"),
                                                       self.tr("By"), self.tr("Note")])
        self.versions_table.setAccessibleName(self.tr("Published versions"))
        self.versions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.versions_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_table.verticalHeader().setVisible(False)
        self.versions_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.versions_table.setMinimumHeight(90)
        self.versions_table.cellDoubleClicked.connect(lambda r, _c: self._compare_row(r))
        outer.addWidget(self.versions_table, 1)

        group = QGroupBox(self.tr("Compare versions"), self)
        group.setObjectName("compareGroup")
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.from_combo = QComboBox(group)
        self.from_combo.setObjectName("fromVersionCombo")
        add_labelled_row(form, self.tr("&From"), self.from_combo, group)
        self.to_combo = QComboBox(group)
        self.to_combo.setObjectName("toVersionCombo")
        add_labelled_row(form, self.tr("&To"), self.to_combo, group)
        self.sites_combo = QgsMapLayerComboBox(group)
        self.sites_combo.setObjectName("screenedSitesCombo")
        self.sites_combo.setFilters(Qgis.LayerFilter.PolygonLayer)
        self.sites_combo.setAllowEmptyLayer(True)
        self.sites_combo.setLayer(None)
        self.sites_combo.setToolTip(self.tr("Optional: sites screened before (e.g. the output of Screen sites); "
                                            "each is re-screened against both versions with this panel's search "
                                            "distance and proposed habitat"))
        add_labelled_row(form, self.tr("Screened &sites"), self.sites_combo, group)
        buttons = QHBoxLayout()
        self.compare_button = QPushButton(self.tr("&Compare\u2026"), group)
        self.compare_button.setObjectName("compareVersionsButton")
        self.compare_button.setToolTip(self.tr("Opportunity areas and measure codes added, removed and changed, as "
                                               "layers on the map and a summary below"))
        self.compare_button.clicked.connect(lambda: self.compare())
        buttons.addWidget(self.compare_button)
        self.cancel_button = QPushButton(self.tr("Cancel"), group)
        self.cancel_button.setObjectName("cancelCompareButton")
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.cancel_button)
        self.progress = QProgressBar(group)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        buttons.addWidget(self.progress, 1)
        form.addRow(buttons)
        outer.addWidget(group)

        self.summary = QTextBrowser(self)
        self.summary.setObjectName("comparisonSummary")
        self.summary.setAccessibleName(self.tr("Comparison summary"))
        self.summary.setOpenLinks(False)
        self.summary.setPlaceholderText(self.tr("Choose two versions and press Compare."))
        outer.addWidget(self.summary, 2)

    # ------------------------------------------------------------------ state
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._follow_pack()

    def _message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info) -> None:
        self.context.show_message(text, level)

    def _error(self, text: str) -> None:
        self.context.show_error(text)

    @property
    def source(self) -> str:
        return self.context.pack_path if self.context.index is not None else ""

    def _follow_pack(self) -> None:
        index = self.context.index
        key = (self.source, id(index))
        if key != self._shown_for:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the loaded pack's state and its versions."""
        index = self.context.index
        self._shown_for = (self.source, id(index))
        self.records = []
        if index is None or not self.source:
            self.state_label.setText(self.tr("Load a Local Habitat Map pack in the Habitat map group above to "
                                             "publish or compare its versions."))
        else:
            meta = index.pack.metadata
            state = self.tr("version {0}").format(meta.version) if meta.version else self.tr("never published")
            if meta.publication_date:
                state += self.tr(", published {0}").format(meta.publication_date)
            if has_unpublished_edits(meta):
                state += self.tr(" \u00b7 unpublished edits since version {0}").format(meta.version)
            self.state_label.setText(self.tr("{0}: {1}").format(index.ref.name, state))
            self.state_label.setToolTip(tip(self.source) + tip(self.tr("sha256 {0}").format(meta.content_sha256)))
            try:
                self.records = versions(self.source)
            except LnrsError as exc:
                self._error(self.tr("The versions of this pack could not be read: {0}").format(str(exc)))
        self._fill_table()
        self._fill_combos()
        self._update_buttons()

    def _fill_table(self) -> None:
        table = self.versions_table
        table.setRowCount(0)
        for v in sorted(self.records, key=lambda r: r.version, reverse=True):
            row = table.rowCount()
            table.insertRow(row)
            cells = [str(v.version), v.publication_date, v.content_sha256[:12] + "\u2026", v.published_by, v.note]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.version)
                item.setToolTip(tip(v.content_sha256 if col == 2 else text))
                table.setItem(row, col, item)
        table.resizeColumnsToContents()

    def _fill_combos(self) -> None:
        newest_first = sorted(self.records, key=lambda r: r.version, reverse=True)
        for combo in (self.from_combo, self.to_combo):
            combo.clear()
        for v in newest_first:
            label = self.tr("version {0} \u2013 {1}").format(v.version, v.publication_date)
            self.from_combo.addItem(label, v.version)
            self.to_combo.addItem(label, v.version)
        self.to_combo.insertItem(0, self.tr("current state"), CURRENT)
        self.to_combo.setCurrentIndex(0)
        self.from_combo.setCurrentIndex(0)

    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None
        loaded = bool(self.source)
        self.publish_button.setEnabled(loaded and not busy)
        self.compare_button.setEnabled(loaded and not busy and bool(self.records))
        if loaded and not self.records:
            self.compare_button.setToolTip(self.tr("Publish a version first: comparisons are between published "
                                                   "versions and the current state."))
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)

    # ------------------------------------------------------------------ publish
    def publish(self, note: str | None = None, synchronous: bool = False) -> bool:
        """Publish the loaded pack as its next version; ``note`` None asks for it."""
        if self.task is not None:
            self._message(self.tr("Wait for the running task to finish."), Qgis.MessageLevel.Warning)
            return False
        source = self.source
        if not source:
            self._error(self.tr("Load a Local Habitat Map pack first."))
            return False
        if note is None:
            text, ok = QInputDialog.getMultiLineText(
                self, self.tr("Publish a version"),
                self.tr("What does this version change? The note is kept with the version."))
            if not ok:
                return False
            note = text
        if not note.strip():
            self._error(self.tr("Give a note saying what this version changes; nothing was published."))
            return False
        publisher = self.context.officer()
        return self._start(BackgroundTask(self.tr("LNRS: publish a version of {0}").format(source),
                                          lambda _c, _p: publish(source, note or "", publisher), self._on_published,
                                          UNEXPECTED, can_cancel=False), synchronous)

    def _on_published(self, record: PublishedVersion | None, error: str, cancelled: bool) -> None:
        if sip.isdeleted(self):
            return
        self.task = None
        if error or record is None:
            self._update_buttons()
            self._error(self.tr("Nothing was published: {0}").format(error or self.tr("cancelled.")))
            return
        self.context.refresh_pack()  # screening now cites the new version
        self.refresh()
        self._message(self.tr("Published version {0} ({1}, sha256 {2}\u2026).").format(
            record.version, record.publication_date, record.content_sha256[:12]), Qgis.MessageLevel.Success)

    # ------------------------------------------------------------------ compare
    def _compare_row(self, row: int) -> None:
        item = self.versions_table.item(row, 0)
        if item is not None:
            self.from_combo.setCurrentIndex(max(0, self.from_combo.findData(item.data(Qt.ItemDataRole.UserRole))))

    def sites_to_check(self, layer: QgsVectorLayer | None) -> SitesToCheck | None:
        """The polygons of ``layer`` in EPSG:27700 with their references (site_ref, else the feature id)."""
        if layer is None:
            return None
        if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != Qgis.GeometryType.Polygon:
            raise InputError(self.tr("{0} holds no polygons; choose the screened sites layer.").format(layer.name()))
        transform = transform_to_pack(layer.crs(), QgsProject.instance().transformContext(), layer.name())
        ref_index = layer.fields().indexOf(SCREENED_REF_FIELD)
        refs, geoms = [], []
        for feature in layer.getFeatures():
            value = feature.attribute(ref_index) if ref_index >= 0 else None
            ref = str(value) if value not in (None, "") else str(feature.id())
            try:
                geoms.append(to_shapely(feature.geometry(), transform).geometry)
            except LnrsError:
                geoms.append(None)  # the engine reports it as not screened
            refs.append(ref)
        options, proposed = self.context.screening_inputs()  # the Site tab's search distance and habitat
        return SitesToCheck(tuple(refs), tuple(geoms), options, proposed)

    def compare(self, synchronous: bool = False) -> bool:
        """Compare the chosen versions (and re-screen the chosen sites) in the background."""
        if self.task is not None:
            self._message(self.tr("Wait for the running task to finish."), Qgis.MessageLevel.Warning)
            return False
        source = self.source
        if not source or not self.records:
            self._error(self.tr("Publish a version of the loaded pack first: there is nothing to compare yet."))
            return False
        old = int(self.from_combo.currentData())
        new_data = int(self.to_combo.currentData())
        new = None if new_data == CURRENT else new_data
        try:
            sites = self.sites_to_check(self.sites_combo.currentLayer())
        except LnrsError as exc:
            self._error(str(exc))
            return False
        return self._start(BackgroundTask(self.tr("LNRS: compare versions of {0}").format(source),
                                          lambda cancelled, progress: compare(source, old, new, sites, cancelled,
                                                                              progress),
                                          self._on_compared, UNEXPECTED), synchronous)

    def _on_compared(self, comparison: VersionComparison | None, error: str, cancelled: bool) -> None:
        if sip.isdeleted(self):
            return
        self.task = None
        self._update_buttons()
        if cancelled:
            self._message(self.tr("The comparison was cancelled."), Qgis.MessageLevel.Warning)
            return
        if error or comparison is None:
            self._error(self.tr("The versions could not be compared: {0}").format(error or self.tr("no answer.")))
            return
        self.set_comparison(comparison)

    def set_comparison(self, comparison: VersionComparison) -> None:
        self.comparison = comparison
        self.summary.setHtml(summary_html(comparison))
        _group, self.added_layers = add_comparison_to_project(comparison)
        self._message(self.tr("{0} \u2192 {1}: {2} The changes were added to the map as temporary layers.").format(
            comparison.from_label, comparison.to_label, headline(comparison)), Qgis.MessageLevel.Success)

    def _start(self, task: BackgroundTask, synchronous: bool) -> bool:
        self.context.clear_messages()
        if start_task(task, synchronous, self.progress):
            self.task = task
            self._update_buttons()
        return True

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        if self.task is not None:
            self.task.on_done = lambda *_a: None
            self.task.cancel()
            self.task = None
