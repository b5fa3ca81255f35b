"""The dockable LNRS Toolkit panel: choose a pack, give a site, check it, read and report the result.

The dock holds no rules: it calls the engine (through :func:`.screening_task.screening_task`) and renders the
frozen result dataclasses.
"""

from __future__ import annotations

import getpass
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsGeometry,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.gui import QgsDockWidget, QgsDoubleSpinBox, QgsFileWidget, QgsMessageBar
from qgis.PyQt.QtCore import QSize, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QColor, QKeySequence, QShortcut
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..__about__ import DOCK_OBJECT_NAME, PLUGIN_ROOT
from ..adapters.pack_source import PackCache, PackSource, postgis_pack_schemas, saved_postgres_connections
from ..adapters.qgis_geometry import to_shapely, transform_to_pack
from ..core.errors import LnrsError
from ..core.metric.habitats import default_table
from ..core.reports.html_report import VERDICT_COLOURS, render_html
from ..core.reports.json_report import write_json_atomic, write_text_atomic
from ..core.reports.text_report import summary_text
from ..core.screening.engine import PackIndex
from ..core.screening.options import ScreeningOptions
from ..core.screening.overrides import Override, find_override, make_override, overrides_text, result_payload
from ..core.screening.results import DesignatedFinding, IrreplaceableFinding, ScreeningResult, SiteError
from ..log import log_error
from ..settings import PluginSettings
from .background_task import BackgroundTask
from .map_highlight import SiteHighlight, feature_geometry, flash, zoom_to
from .results_view import ResultsView, tip
from .screening_task import Results, screening_task
from .site_tool import SiteMapTool
from .task_start import start_task

DEMO_PACK = PLUGIN_ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg"
#: Packs (GeoPackage or PostGIS) and their indexes, built once per pack version.
PACKS = PackCache()


@dataclass(frozen=True)
class Site:
    """A site to screen: its reference and its shapely geometry in EPSG:27700."""

    ref: str
    geometry: Any
    notes: tuple[str, ...] = ()


def officer_name(settings: PluginSettings) -> str:
    if settings.officer_name.strip():
        return settings.officer_name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


class LnrsDockWidget(QgsDockWidget):
    """Dock titled "LNRS Toolkit" with a stable objectName for layout restore."""

    #: Emitted after a pack was loaded or reloaded (``self.index`` / ``self.pack_path`` changed); the tabs follow it.
    pack_changed = pyqtSignal()

    def __init__(self, iface: Any = None, parent: QWidget | None = None,  # noqa: QGS105 - tests pass their own
                 settings_store: QgsSettings | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.settings_store = settings_store
        self.settings = PluginSettings.load(settings_store)
        self.index: PackIndex | None = None
        self.pack_path = ""
        self.sites: list[Site] = []
        self.checked_sites: list[Site] = []
        self.results: Results = []
        self.overrides: list[Override] = []
        self.task: BackgroundTask | None = None
        self.last_message = ""
        self._pending_pack = ""
        self._map_tool: SiteMapTool | None = None
        self._previous_tool: Any = None
        self._highlight: SiteHighlight | None = None
        self.setWindowTitle(self.tr("LNRS Toolkit"))
        self.setObjectName(DOCK_OBJECT_NAME)
        self._build()
        self._choose_initial_pack()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        self.message_bar = QgsMessageBar(body)
        self.message_bar.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        outer.addWidget(self.message_bar)

        outer.addWidget(self._build_pack_group(body))

        site_page = QWidget()
        site_layout = QVBoxLayout(site_page)
        site_layout.setContentsMargins(0, 0, 0, 0)
        site_layout.addWidget(self._build_site_group(site_page))
        site_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(site_page)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(0, 0, 0, 0)
        self.summary_table = QTableWidget(0, 4, results)
        self.summary_table.setObjectName("summaryTable")
        self.summary_table.setHorizontalHeaderLabels([self.tr("Site"), self.tr("Verdict"), self.tr("Category"),
                                                      self.tr("Measures")])
        self.summary_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_table.verticalHeader().setVisible(False)
        self.summary_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary_table.currentCellChanged.connect(self._on_summary_row)
        self.summary_table.setAccessibleName(self.tr("Screened sites"))
        self.summary_table.setVisible(False)
        self.results_view = ResultsView(results)
        self.results_view.finding_activated.connect(self.show_finding)
        self.results_view.selection_changed.connect(self._update_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, results)
        splitter.addWidget(self.summary_table)
        splitter.addWidget(self.results_view)
        splitter.setStretchFactor(1, 3)
        results_layout.addWidget(splitter, 1)
        results_layout.addLayout(self._build_report_buttons())

        self.tabs = QTabWidget(body)
        self.tabs.setObjectName("dockTabs")
        self.tabs.addTab(scroll, self.tr("S&ite"))
        self.tabs.addTab(results, self.tr("&Results"))
        from .parcels_panel import ParcelsPanel  # the ecologists' tab: survey parcels

        self.parcels_panel = ParcelsPanel(self, self.tabs)
        self.tabs.addTab(self.parcels_panel, self.tr("Parce&ls"))
        from .versions_panel import VersionsPanel  # LNRS teams: publish and compare versions

        self.versions_panel = VersionsPanel(self, self.tabs)
        self.tabs.addTab(self.versions_panel, self.tr("&Versions"))
        from .editing_panel import EditingPanel  # LNRS teams: edit the opportunity areas

        self.editing_panel = EditingPanel(self, PACKS, self.tabs)
        self.tabs.addTab(self.editing_panel, self.tr("Edit &map"))
        outer.addWidget(self.tabs, 1)
        self.setWidget(body)
        self.setMinimumWidth(320)
        self._set_tab_order()
        self._update_buttons()

    def _build_pack_group(self, parent: QWidget) -> QWidget:
        group = QGroupBox(self.tr("Habitat map"), parent)
        group.setObjectName("packGroup")
        layout = QVBoxLayout(group)
        row = QHBoxLayout()
        self.pack_file = QgsFileWidget(group)
        self.pack_file.setObjectName("packFileWidget")
        self.pack_file.setFilter(self.tr("Local Habitat Map packs (*.gpkg)"))
        self.pack_file.setDialogTitle(self.tr("Choose a Local Habitat Map pack"))
        self.pack_file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.pack_file.setToolTip(self.tr("The Local Habitat Map pack (.gpkg) to screen against"))
        self.pack_file.fileChanged.connect(self._on_pack_file_changed)
        row.addWidget(self.pack_file, 1)
        self.recent_button = QToolButton(group)
        self.recent_button.setObjectName("recentPacksButton")
        self.recent_button.setText(self.tr("Recent"))
        self.recent_button.setToolTip(self.tr("Recently used packs"))
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self.recent_button)
        self.recent_button.setMenu(self.recent_menu)
        row.addWidget(self.recent_button)
        self.postgis_button = QToolButton(group)
        self.postgis_button.setObjectName("postgisPackButton")
        self.postgis_button.setText(self.tr("PostGIS\u2026"))
        self.postgis_button.setToolTip(self.tr("Open a pack held in a PostGIS schema, through one of QGIS's saved "
                                               "PostgreSQL connections"))
        self.postgis_button.clicked.connect(self.choose_postgis_pack)
        row.addWidget(self.postgis_button)
        self.add_layers_button = QToolButton(group)
        self.add_layers_button.setObjectName("addPackLayersButton")
        self.add_layers_button.setText(self.tr("Add to map"))
        self.add_layers_button.setToolTip(self.tr("Add the pack's layers to the project, styled, in a group named "
                                                  "after the pack"))
        self.add_layers_button.clicked.connect(self.add_pack_layers)
        row.addWidget(self.add_layers_button)
        layout.addLayout(row)
        self.pack_info = QLabel(self.tr("No Local Habitat Map loaded."), group)
        self.pack_info.setObjectName("packStatusLabel")
        self.pack_info.setWordWrap(True)
        self.pack_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.pack_info)
        self.status_label = self.pack_info  # kept for callers of the first dock
        self._fill_recent_menu()
        return group

    def _build_site_group(self, parent: QWidget) -> QWidget:
        group = QGroupBox(self.tr("Site to check"), parent)
        group.setObjectName("siteGroup")
        layout = QVBoxLayout(group)
        row = QHBoxLayout()
        self.draw_button = QPushButton(self.tr("&Draw site"), group)
        self.draw_button.setObjectName("drawSiteButton")
        self.draw_button.setCheckable(True)
        self.draw_button.setToolTip(self.tr("Draw the site on the map: click to add corners (snapping applies), "
                                            "Backspace removes the last corner, right-click finishes, Esc cancels."))
        self.draw_button.toggled.connect(self._on_draw_toggled)
        row.addWidget(self.draw_button)
        self.selected_button = QPushButton(self.tr("Use &selected features"), group)
        self.selected_button.setObjectName("useSelectedButton")
        self.selected_button.setToolTip(self.tr("Screen the selected polygons of the active layer, one site each"))
        self.selected_button.clicked.connect(self.use_selected_features)
        row.addWidget(self.selected_button)
        self.import_button = QPushButton(self.tr("&Import file\u2026"), group)
        self.import_button.setObjectName("importSitesButton")
        self.import_button.setToolTip(self.tr("Use the polygons of a GeoJSON, Shapefile, GeoPackage, KML or DXF file, "
                                              "one site each"))
        self.import_button.clicked.connect(lambda _checked=False: self.import_sites_file())
        row.addWidget(self.import_button)
        layout.addLayout(row)
        self.site_label = QLabel(self.tr("No site yet."), group)
        self.site_label.setObjectName("siteLabel")
        self.site_label.setWordWrap(True)
        layout.addWidget(self.site_label)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.ref_edit = QLineEdit(group)
        self.ref_edit.setObjectName("siteRefEdit")
        self.ref_edit.setPlaceholderText(self.tr("e.g. 24/01234/FUL (optional)"))
        ref_label = QLabel(self.tr("Re&ference"), group)
        ref_label.setBuddy(self.ref_edit)
        form.addRow(ref_label, self.ref_edit)
        self.habitat_combo = QComboBox(group)
        self.habitat_combo.setObjectName("proposedHabitatCombo")
        self.habitat_combo.setEditable(True)
        self.habitat_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.habitat_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.habitat_combo.setMinimumContentsLength(12)
        self.habitat_combo.addItem("")
        try:
            table = default_table()
            self.habitat_combo.addItems(list(table.broad_habitats) + [h.label for h in table.habitats])
        except OSError as exc:
            log_error(f"habitat table could not be read: {exc}")
        completer = self.habitat_combo.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.habitat_combo.lineEdit().setPlaceholderText(self.tr("optional, e.g. Woodland and forest"))
        self.habitat_combo.setToolTip(self.tr("The habitat proposed on the site (statutory metric habitat or broad "
                                              "habitat), for strategic significance"))
        habitat_label = QLabel(self.tr("Proposed &habitat"), group)
        habitat_label.setBuddy(self.habitat_combo)
        form.addRow(habitat_label, self.habitat_combo)
        self.distance_spin = QgsDoubleSpinBox(group)
        self.distance_spin.setObjectName("searchDistanceSpin")
        self.distance_spin.setRange(0.0, 10000.0)
        self.distance_spin.setDecimals(0)
        self.distance_spin.setSingleStep(50.0)
        self.distance_spin.setSuffix(self.tr(" m"))
        self.distance_spin.setValue(self.settings.search_distance_m)
        self.distance_spin.setClearValue(self.settings.search_distance_m)
        self.distance_spin.setShowClearButton(True)
        self.distance_spin.setToolTip(self.tr("How far from the site to look for designated sites and "
                                              "irreplaceable habitats"))
        distance_label = QLabel(self.tr("Search distanc&e"), group)
        distance_label.setBuddy(self.distance_spin)
        form.addRow(distance_label, self.distance_spin)
        self.officer_edit = QLineEdit(group)
        self.officer_edit.setObjectName("officerEdit")
        self.officer_edit.setText(self.settings.officer_name)
        self.officer_edit.setPlaceholderText(officer_name(PluginSettings()))
        self.officer_edit.setToolTip(self.tr("Your name as it appears on reports and on findings you mark not "
                                             "applicable"))
        self.officer_edit.editingFinished.connect(self._on_officer_changed)
        officer_label = QLabel(self.tr("&Officer"), group)
        officer_label.setBuddy(self.officer_edit)
        form.addRow(officer_label, self.officer_edit)
        layout.addLayout(form)

        row = QHBoxLayout()
        self.check_button = QPushButton(self.tr("&Check"), group)
        self.check_button.setObjectName("checkButton")
        self.check_button.setToolTip(self.tr("Screen the site(s) against the habitat map (Ctrl+Return)"))
        self.check_button.clicked.connect(lambda: self.check())
        row.addWidget(self.check_button)
        self.cancel_button = QPushButton(self.tr("Cance&l"), group)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel_check)
        row.addWidget(self.cancel_button)
        self.progress = QProgressBar(group)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        row.addWidget(self.progress, 1)
        layout.addLayout(row)
        self.check_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.check_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.check_shortcut.activated.connect(lambda: self.check())
        return group

    def _build_report_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        self.override_button = QPushButton(self.tr("&Not applicable…"), self)
        self.override_button.setObjectName("overrideButton")
        self.override_button.setToolTip(self.tr("Mark the selected finding not applicable, with a reason"))
        self.override_button.clicked.connect(self.override_current_finding)
        self.copy_button = QPushButton(self.tr("Cop&y summary"), self)
        self.copy_button.setObjectName("copySummaryButton")
        self.copy_button.clicked.connect(self.copy_summary)
        self.json_button = QPushButton(self.tr("&JSON…"), self)
        self.json_button.setObjectName("exportJsonButton")
        self.json_button.setToolTip(self.tr("Export the results as JSON"))
        self.json_button.clicked.connect(lambda: self.export_json())
        self.html_button = QPushButton(self.tr("H&TML…"), self)
        self.html_button.setObjectName("exportHtmlButton")
        self.html_button.setToolTip(self.tr("Export the results as an HTML report"))
        self.html_button.clicked.connect(lambda: self.export_html())
        self.pdf_button = QPushButton(self.tr("&PDF…"), self)
        self.pdf_button.setObjectName("exportPdfButton")
        self.pdf_button.setToolTip(self.tr("Export a PDF report with a map, one page per site"))
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        grid.addWidget(self.override_button, 0, 0, 1, 2)
        grid.addWidget(self.copy_button, 0, 2, 1, 1)
        grid.addWidget(self.json_button, 1, 0)
        grid.addWidget(self.html_button, 1, 1)
        grid.addWidget(self.pdf_button, 1, 2)
        return grid

    def _set_tab_order(self) -> None:
        chain = [self.pack_file, self.recent_button, self.draw_button, self.selected_button, self.ref_edit,
                 self.habitat_combo, self.distance_spin, self.officer_edit, self.check_button, self.cancel_button,
                 self.tabs, self.summary_table, self.results_view.tree, self.results_view.detail,
                 self.override_button, self.copy_button, self.json_button, self.html_button, self.pdf_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(380, 600)

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info, duration: int = 8) -> None:
        """Show a sentence in the dock's message bar (errors stay until closed)."""
        self.last_message = text
        self.message_bar.clearWidgets()
        # the message may quote pack data or paths: shown escaped, as rich text so entities are decoded
        self.message_bar.pushMessage(f"<span>{escape(text)}</span>", level,
                                     0 if level == Qgis.MessageLevel.Critical else duration)

    def show_error(self, text: str) -> None:
        self.show_message(text, Qgis.MessageLevel.Critical)

    # ------------------------------------------------------------------ pack
    def _choose_initial_pack(self) -> None:
        last = self.settings.last_pack
        if last and Path(last).is_file():
            self._pending_pack = last
        elif not last and not self.settings.recent_packs and DEMO_PACK.is_file():
            self._pending_pack = str(DEMO_PACK)
        if self._pending_pack:
            self.pack_file.blockSignals(True)
            self.pack_file.setFilePath(self._pending_pack)
            self.pack_file.blockSignals(False)
            self.pack_info.setText(self.tr("Habitat map {0} will load when the panel opens.").format(
                Path(self._pending_pack).name))

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._pending_pack and self.index is None:
            QTimer.singleShot(0, self._load_pending)

    def _load_pending(self) -> None:
        path, self._pending_pack = self._pending_pack, ""
        if path and self.index is None:
            self.set_pack_path(path)

    def _on_pack_file_changed(self, path: str) -> None:
        if path and path != self.pack_path:
            self.set_pack_path(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_packs:
            action = self.recent_menu.addAction(path if path.startswith("postgis:") else Path(path).name)
            action.setToolTip(tip(path))
            action.setData(path)
            action.triggered.connect(lambda _checked=False, p=path: self.set_pack_path(p))
        if DEMO_PACK.is_file() and str(DEMO_PACK) not in self.settings.recent_packs:
            action = self.recent_menu.addAction(self.tr("Demo pack (bundled)"))
            action.triggered.connect(lambda _checked=False: self.set_pack_path(str(DEMO_PACK)))
        self.recent_button.setEnabled(not self.recent_menu.isEmpty())

    def set_pack_path(self, path: str) -> bool:
        """Load the pack at ``path``; on failure the message says why and the previous pack stays."""
        self._pending_pack = ""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            index = PACKS.get(path).index
        except LnrsError as exc:
            self.show_error(self.tr("The habitat map could not be loaded: {0}").format(str(exc)))
            return False
        except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
            log_error(traceback.format_exc())
            self.show_error(self.tr("The habitat map could not be loaded; the details are in the LNRS Toolkit tab "
                                    "of the message log."))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.index = index
        self.pack_path = str(path)
        self.pack_file.blockSignals(True)
        self.pack_file.setFilePath("" if str(path).startswith("postgis:") else str(path))
        self.pack_file.blockSignals(False)
        self.settings.remember_pack(str(path))
        self.settings.save(self.settings_store)
        self._fill_recent_menu()
        self._show_pack_info()
        self._update_buttons()
        self._clear_results()
        self.message_bar.clearWidgets()
        for note in index.load_notes:
            self.show_message(note, Qgis.MessageLevel.Warning)
        self.pack_changed.emit()
        return True

    def refresh_pack(self) -> bool:
        """Reload the loaded pack after it changed (a version was published, edits were saved); the results on
        show stay, each citing the version it was screened against."""
        if not self.pack_path:
            return False
        try:
            index = PACKS.get(self.pack_path).index
        except LnrsError as exc:
            self.show_error(self.tr("The habitat map could not be reloaded: {0}").format(str(exc)))
            return False
        self.index = index
        self._show_pack_info()
        self._update_buttons()
        self.pack_changed.emit()
        return True

    def add_pack_layers(self) -> bool:
        """The loaded pack's styled layers into the project (designations, habitats, labelled measures)."""
        if self.index is None or not self.pack_path:
            self.show_error(self.tr("Load a habitat map first."))
            return False
        from ..project_layers import open_pack_in_project

        try:
            open_pack_in_project(self.pack_path, canvas=self._canvas())
        except LnrsError as exc:
            self.show_error(self.tr("The pack's layers could not be added: {0}").format(str(exc)))
            return False
        return True

    def postgis_pack_addresses(self) -> tuple[list[str], list[str]]:
        """``postgis:CONNECTION/SCHEMA`` for every pack schema in the saved connections, and the
        connections that could not be asked (with the reason)."""
        addresses: list[str] = []
        failures: list[str] = []
        for name in saved_postgres_connections():
            try:
                addresses += [str(PackSource.postgis(name, schema)) for schema in postgis_pack_schemas(name)]
            except LnrsError as exc:
                failures.append(f"{name}: {exc}")
        return addresses, failures

    def choose_postgis_pack(self) -> bool:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            addresses, failures = self.postgis_pack_addresses()
        finally:
            QApplication.restoreOverrideCursor()
        for failure in failures:
            self.show_message(self.tr("Connection skipped: {0}").format(failure), Qgis.MessageLevel.Warning)
        if not addresses:
            self.show_error(self.tr("No Local Habitat Map pack was found in the saved PostgreSQL connections. Add a "
                                    "connection in the Browser panel (PostgreSQL \u25b8 New Connection) with an "
                                    "authentication configuration, and publish a pack into one of its schemas."))
            return False
        choice, ok = QInputDialog.getItem(self, self.tr("Open a pack from PostGIS"),
                                          self.tr("Connection / schema:"), addresses, 0, False)
        if not ok or not choice:
            return False
        return self.set_pack_path(choice)

    def _show_pack_info(self) -> None:
        if self.index is None:
            self.pack_info.setText(self.tr("No Local Habitat Map loaded."))
            self.pack_info.setToolTip("")
            return
        meta = self.index.pack.metadata
        sha = meta.content_sha256
        self.pack_info.setText(self.tr("<b>{0}</b><br>version {1} \u00b7 published {2} \u00b7 sha256 {3}\u2026").format(
            escape(self.index.ref.name), escape(meta.version or self.tr("unknown")),
            escape(meta.publication_date or self.tr("unknown")), escape(sha[:12] or self.tr("unknown"))))
        self.pack_info.setToolTip(tip(self.pack_path) + tip(self.tr("sha256 {0}").format(sha or self.tr("unknown"))))

    # ------------------------------------------------------------------ sites
    def _canvas(self) -> Any:
        return self.iface.mapCanvas() if self.iface is not None else None

    def _on_draw_toggled(self, on: bool) -> None:
        canvas = self._canvas()
        if canvas is None:
            return
        if on:
            if self._map_tool is None:
                self._map_tool = SiteMapTool(canvas)
                self._map_tool.site_drawn.connect(self._on_tool_site)
                self._map_tool.cancelled.connect(lambda: self.draw_button.setChecked(False))
                self._map_tool.deactivated.connect(lambda: self.draw_button.setChecked(False))
            if canvas.mapTool() is not self._map_tool:
                self._previous_tool = canvas.mapTool()
            canvas.setMapTool(self._map_tool)
            canvas.setFocus()
            self.show_message(self.tr("Click the site's corners on the map; right-click to finish, Backspace to "
                                      "remove the last corner, Esc to cancel."))
        elif self._map_tool is not None and canvas.mapTool() is self._map_tool:
            canvas.unsetMapTool(self._map_tool)
            if self._previous_tool is not None:
                canvas.setMapTool(self._previous_tool)

    def _on_tool_site(self, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> None:
        self.draw_button.setChecked(False)
        self.set_site_geometry(geometry, crs)

    def set_site_geometry(self, geometry: QgsGeometry, crs: QgsCoordinateReferenceSystem) -> bool:
        """The slot the map tool calls: one site, in ``crs``, replaces the current sites."""
        try:
            transform = transform_to_pack(crs, QgsProject.instance().transformContext(), self.tr("The map"))
            converted = to_shapely(geometry, transform)
        except LnrsError as exc:
            self.show_error(self.tr("The site cannot be used: {0}").format(str(exc)))
            return False
        if converted.geometry is None:
            self.show_error(self.tr("The drawn site has no area; draw at least three corners."))
            return False
        self.set_sites([Site(self.tr("Drawn site"), converted.geometry, converted.notes)])
        return True

    def use_selected_features(self) -> bool:
        layer = self.iface.activeLayer() if self.iface is not None else None
        if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != Qgis.GeometryType.Polygon:
            self.show_error(self.tr("Make a polygon layer active in the Layers panel and select the site(s) in it."))
            return False
        features = sorted(layer.getSelectedFeatures(), key=lambda f: f.id())
        if not features:
            self.show_error(self.tr("No features are selected in {0}; select one or more site polygons.").format(
                layer.name()))
            return False
        return self._use_features(layer, features)

    def _use_features(self, layer: QgsVectorLayer, features: list[Any]) -> bool:
        """Each feature becomes one site (reference from the layer's display expression)."""
        try:
            transform = transform_to_pack(layer.crs(), QgsProject.instance().transformContext(), layer.name())
        except LnrsError as exc:
            self.show_error(str(exc)[:1].upper() + str(exc)[1:])
            return False
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        expression = QgsExpression(layer.displayExpression())
        sites, problems = [], []
        for feat in features:
            context.setFeature(feat)
            value = expression.evaluate(context) if layer.displayExpression() else None
            ref = str(value) if value not in (None, "") and not expression.hasEvalError() else str(feat.id())
            try:
                converted = to_shapely(feat.geometry(), transform)
            except LnrsError as exc:
                problems.append(f"{ref}: {exc}")
                continue
            sites.append(Site(ref, converted.geometry, converted.notes))
        if problems:
            self.show_error(self.tr("Some features cannot be used as sites: {0}").format("; ".join(problems)))
        if not sites:
            return False
        self.set_sites(sites)
        return True

    def import_sites_file(self, path: str = "") -> bool:
        """Sites from a file (GeoJSON, Shapefile, GeoPackage, KML, DXF): every polygon in it is a site."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import site boundaries"), "",
                self.tr("Vector files (*.geojson *.json *.shp *.gpkg *.kml *.kmz *.dxf);;All files (*)"))
            if not path:
                return False
        layer = QgsVectorLayer(path, Path(path).stem, "ogr")
        if layer.isValid() and layer.geometryType() != Qgis.GeometryType.Polygon:
            polygons_only = QgsVectorLayer(f"{path}|geometrytype=Polygon", Path(path).stem, "ogr")
            if polygons_only.isValid() and polygons_only.featureCount() > 0:
                layer = polygons_only
        if not layer.isValid():
            self.show_error(self.tr("{0} cannot be opened as a vector file.").format(Path(path).name))
            return False
        if layer.geometryType() != Qgis.GeometryType.Polygon:
            self.show_error(self.tr("{0} holds no polygons; a site needs its red line boundary as a polygon.").format(
                Path(path).name))
            return False
        features = sorted(layer.getFeatures(), key=lambda f: f.id())
        if not features:
            self.show_error(self.tr("{0} holds no features.").format(Path(path).name))
            return False
        return self._use_features(layer, features)

    def set_sites(self, sites: list[Site]) -> None:
        self.sites = list(sites)
        if len(self.sites) == 1:
            s = self.sites[0]
            area = s.geometry.area / 10000 if s.geometry is not None else 0.0
            self.site_label.setText(self.tr("One site, {0} ha.").format(f"{area:,.2f}"))
        else:
            self.site_label.setText(self.tr("{0} sites (references from the layer's display name).").format(
                len(self.sites)))
        self.ref_edit.setEnabled(len(self.sites) <= 1)
        if self._canvas() is not None:
            self._site_highlight().show([s.geometry for s in self.sites])
        self._update_buttons()

    def _on_officer_changed(self) -> None:
        name = " ".join(self.officer_edit.text().split())
        if name != self.settings.officer_name:
            self.settings.officer_name = name
            self.settings.save(self.settings_store)

    def _site_highlight(self) -> SiteHighlight:
        if self._highlight is None:
            self._highlight = SiteHighlight(self._canvas())
        return self._highlight

    # ------------------------------------------------------------------ checking
    def check(self, synchronous: bool = False) -> bool:
        """Start screening the current sites; ``synchronous`` runs it in this thread (tests, probes)."""
        if self.task is not None:
            self.show_message(self.tr("A check is already running; wait for it or cancel it."),
                              Qgis.MessageLevel.Warning)
            return False
        if self.index is None:
            self.show_error(self.tr("Choose a Local Habitat Map pack first."))
            return False
        if not self.sites:
            self.show_error(self.tr("Give a site first: draw it on the map or use selected features."))
            return False
        sites = list(self.sites)
        if len(sites) == 1 and self.ref_edit.text().strip():
            sites = [Site(self.ref_edit.text().strip(), sites[0].geometry, sites[0].notes)]
        self.checked_sites = sites
        options = ScreeningOptions(search_distance_m=float(self.distance_spin.value()),
                                   sliver_tolerance_m2=self.settings.sliver_tolerance_m2)
        proposed = self.habitat_combo.currentText().strip() or None
        task = screening_task(self.tr("LNRS screening of {0} site(s)").format(len(sites)), self.index,
                              [s.geometry for s in sites], [s.ref for s in sites], options, proposed, self._on_done)
        self.message_bar.clearWidgets()
        if start_task(task, synchronous, self.progress):
            self.task = task
            self._update_buttons()
        return True

    def cancel_check(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _on_done(self, results: Results, error: str, cancelled: bool) -> None:
        self.task = None
        self._update_buttons()
        if cancelled:
            self.show_message(self.tr("The check was cancelled; no results were kept."), Qgis.MessageLevel.Warning)
            return
        if error:
            self.show_error(self.tr("The check could not run: {0}").format(error))
            return
        self.set_results(results)

    def set_results(self, results: Results) -> None:
        self.results = list(results)
        self.overrides = [o for o in self.overrides if _still_found(o, self.results)]
        self.summary_table.setVisible(len(self.results) > 1)
        self.summary_table.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            if isinstance(r, SiteError):
                cells = [r.site_ref, self.tr("not screened"), "", r.message]
            else:
                cells = [r.site_ref, self.results_view.verdict_word(r.verdict),
                         r.strategic_significance.category or "", ", ".join(r.measure_codes)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text))
                if col == 1 and isinstance(r, ScreeningResult):
                    item.setBackground(QColor(VERDICT_COLOURS[r.verdict]))
                    item.setForeground(QColor("black" if r.verdict == "amber" else "white"))
                self.summary_table.setItem(row, col, item)
        self.summary_table.resizeColumnsToContents()
        if self.results:
            self.summary_table.setCurrentCell(0, 0)
            self._show_result(0)
            self.tabs.setCurrentIndex(1)
        else:
            self.results_view.clear()
        if len(self.results) > 1:
            counts = {v: sum(isinstance(r, ScreeningResult) and r.verdict == v for r in self.results)
                      for v in ("red", "amber", "green")}
            errors = sum(isinstance(r, SiteError) for r in self.results)
            self.show_message(self.tr("Screened {0} sites: {1} red, {2} amber, {3} green, {4} not screened.").format(
                len(self.results), counts["red"], counts["amber"], counts["green"], errors))
        self._update_buttons()

    def current_result(self) -> ScreeningResult | SiteError | None:
        return self.results_view.result

    def _on_summary_row(self, row: int, *_args: int) -> None:
        if 0 <= row < len(self.results):
            self._show_result(row)

    def _show_result(self, row: int) -> None:
        result = self.results[row]
        self.results_view.set_result(result, self.overrides)
        canvas = self._canvas()
        if canvas is not None and 0 <= result.index < len(self.checked_sites):
            geom = self.checked_sites[result.index].geometry
            self._site_highlight().show([geom])
            zoom_to(canvas, [geom])
        self._update_buttons()

    def show_finding(self, finding: IrreplaceableFinding | DesignatedFinding) -> None:
        """Zoom to a finding's feature and flash it."""
        canvas = self._canvas()
        if canvas is None or self.index is None:
            return
        geom = feature_geometry(self.index, finding.layer, finding.fid)
        if geom is None:
            self.show_message(self.tr("That feature is not in the loaded habitat map any more."),
                              Qgis.MessageLevel.Warning)
            return
        result = self.current_result()
        site = None
        if result is not None and 0 <= result.index < len(self.checked_sites):
            site = self.checked_sites[result.index].geometry
        zoom_to(canvas, [geom, site])
        flash(canvas, geom)

    def _clear_results(self) -> None:
        self.results = []
        self.overrides = []
        self.summary_table.setRowCount(0)
        self.summary_table.setVisible(False)
        self.results_view.clear()
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None
        has_results = bool(self.results)
        self.check_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        self.draw_button.setEnabled(not busy)
        self.selected_button.setEnabled(not busy)
        self.add_layers_button.setEnabled(self.index is not None)
        finding = self.results_view.current_finding()
        result = self.current_result()
        self.override_button.setEnabled(
            finding is not None and result is not None
            and find_override(self.overrides, result.site_ref, finding) is None)
        for button in (self.copy_button, self.json_button, self.html_button, self.pdf_button):
            button.setEnabled(has_results and not busy)

    # ------------------------------------------------------------------ overrides
    def override_current_finding(self) -> bool:
        finding = self.results_view.current_finding()
        result = self.current_result()
        if finding is None or not isinstance(result, ScreeningResult):
            self.show_error(self.tr("Select a finding in the list first."))
            return False
        why, ok = QInputDialog.getText(self, self.tr("Mark not applicable"),
                                       self.tr("Why does this finding not apply? (required)"))
        if not ok:
            return False
        try:
            override = make_override(result.site_ref, finding, officer_name(self.settings), why)
        except LnrsError:
            self.show_error(self.tr("A reason is required to mark a finding not applicable; nothing was changed."))
            return False
        self.overrides.append(override)
        row = max(0, self.summary_table.currentRow())
        self._show_result(row if len(self.results) > 1 else 0)
        self.show_message(self.tr("{0} marked not applicable; the report keeps the original finding and your "
                                  "reason.").format(override.label))
        return True

    # ------------------------------------------------------------------ reports
    def report_text(self) -> str:
        parts = []
        for r in self.results:
            text = summary_text(r)
            extra = overrides_text([o for o in self.overrides if o.site_ref == r.site_ref])
            parts.append(text + ("\n" + extra if extra else ""))
        return "\n\n".join(parts)

    def copy_summary(self) -> None:
        if not self.results:
            return
        QApplication.clipboard().setText(self.report_text())
        self.show_message(self.tr("The summary is on the clipboard."))

    def _ask_path(self, title: str, filter_text: str, suffix: str) -> str:
        base = self.results[0].site_ref if self.results else "screening"
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in base) or "screening"
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / f"lnrs_{safe}.{suffix}"), filter_text)
        if path and not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        return str(path or "")

    def _generated_at(self) -> str:
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat()

    def export_json(self, path: str | None = None) -> str:
        if not self.results:
            return ""
        path = path or self._ask_path(self.tr("Export JSON"), self.tr("JSON files (*.json)"), "json")
        if not path:
            return ""
        payloads = [result_payload(r, self.overrides) for r in self.results]
        try:
            write_json_atomic(path, payloads[0] if len(payloads) == 1 else payloads)
        except OSError as exc:
            self.show_error(self.tr("Could not write {0}: {1}").format(path, exc.strerror or str(exc)))
            return ""
        self.show_message(self.tr("Saved {0}").format(path), Qgis.MessageLevel.Success)
        return path

    def export_html(self, path: str | None = None) -> str:
        if not self.results:
            return ""
        path = path or self._ask_path(self.tr("Export HTML"), self.tr("HTML files (*.html)"), "html")
        if not path:
            return ""
        text = render_html(self.results, self.overrides, officer_name(self.settings), self._generated_at())
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            self.show_error(self.tr("Could not write {0}: {1}").format(path, exc.strerror or str(exc)))
            return ""
        self.show_message(self.tr("Saved {0}").format(path), Qgis.MessageLevel.Success)
        return path

    def export_pdf(self, path: str | None = None) -> str:
        """A PDF report with a page per screened site (the site shown first)."""
        if not self.results:
            return ""
        path = path or self._ask_path(self.tr("Export PDF"), self.tr("PDF files (*.pdf)"), "pdf")
        if not path:
            return ""
        from .report_export import ReportSite, export_pdf

        current = self.current_result()
        ordered = sorted(self.results, key=lambda r: r is not current)
        pages = []
        for r in ordered:
            site = self.checked_sites[r.index].geometry if 0 <= r.index < len(self.checked_sites) else None
            pages.append(ReportSite(r, tuple(o for o in self.overrides if o.site_ref == r.site_ref), site,
                                    tuple(self._finding_geometries(r))))
        canvas = self._canvas()
        layers = canvas.layers() if canvas is not None else []
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            error = export_pdf(path, pages, officer_name(self.settings), self._generated_at(), layers)
        finally:
            QApplication.restoreOverrideCursor()
        if error:
            self.show_error(error)
            return ""
        self.show_message(self.tr("Saved {0}").format(path), Qgis.MessageLevel.Success)
        return path

    def _finding_geometries(self, result: ScreeningResult | SiteError) -> list[Any]:
        if self.index is None or not isinstance(result, ScreeningResult):
            return []
        findings: list[IrreplaceableFinding | DesignatedFinding] = [*result.irreplaceable, *result.designated_sites]
        return [feature_geometry(self.index, f.layer, f.fid) for f in findings]

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        """Release anything the dock holds before it is deleted."""
        self.versions_panel.close_down()
        self.editing_panel.close_down()
        if self.task is not None:
            self.task.on_done = lambda *_a: None
            self.task.cancel()
            self.task = None
        canvas = self._canvas()
        if self._map_tool is not None:
            if canvas is not None and canvas.mapTool() is self._map_tool:
                canvas.unsetMapTool(self._map_tool)
            self._map_tool.clean_up()
            self._map_tool = None
        if self._highlight is not None:
            self._highlight.remove()
            self._highlight = None


def _still_found(override: Override, results: Results) -> bool:
    """Whether a re-check found the overridden finding again (otherwise the override is dropped)."""
    for r in results:
        if isinstance(r, ScreeningResult) and r.site_ref == override.site_ref:
            findings: list[IrreplaceableFinding | DesignatedFinding] = [*r.irreplaceable, *r.designated_sites]
            if any(override.matches(r.site_ref, f) for f in findings):
                return True
    return False
