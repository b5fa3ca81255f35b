"""The dock's Site tab: give the site(s) (draw, selected features, a file), the reference, proposed habitat, search
distance and officer, and Check them against the pack (in a task from :func:`.screening_task.screening_task`).

The panel holds no rules: the results go out through ``screened`` to the Results tab.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsGeometry, QgsProject, QgsVectorLayer
from qgis.gui import QgsDoubleSpinBox
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..adapters.qgis_geometry import to_shapely, transform_to_pack
from ..adapters.qgis_ostn15 import describe_transform
from ..core.errors import LnrsError
from ..core.metric.habitats import default_table
from ..core.screening.options import ScreeningOptions
from ..core.screening.site_provenance import with_provenance
from ..log import log_error
from ..settings import PluginSettings
from .background_task import BackgroundTask
from .dock_context import DockContext, ScreeningInputs, officer_name
from .form_rows import add_labelled_row
from .map_highlight import SiteHighlight, zoom_to
from .screening_task import Results, screening_task
from .site_sources import Site, open_sites_file, sites_from_application_file, sites_from_features
from .site_tool import SiteMapTool
from .task_start import start_task


class SitePanel(QWidget):
    """The "Site" tab: the site(s) to check and the Check button."""

    #: ``checking(sites)``: a check of these sites (the reference typed in applied) starts.
    checking = pyqtSignal(object)
    #: ``screened(results)``: the check finished with these results.
    screened = pyqtSignal(object)
    #: ``busy_changed(busy)``: a check started or ended.
    busy_changed = pyqtSignal(bool)
    #: ``sites_changed(sites)``: the sites were replaced (drawn, selected, imported); earlier results are stale.
    sites_changed = pyqtSignal(object)

    def __init__(self, context: DockContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.sites: list[Site] = []
        self.task: BackgroundTask | None = None
        self._checking: list[Site] = []  # the sites of the check running (their transforms go on the results)
        self._map_tool: SiteMapTool | None = None
        self._previous_tool: Any = None
        self._highlight: SiteHighlight | None = None
        self.setObjectName("sitePanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_site_group())
        layout.addStretch(1)
        self._update_buttons()

    def _build_site_group(self) -> QWidget:
        settings = self.context.settings
        group = QGroupBox(self.tr("Site to check"), self)
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
        self.selected_button = QPushButton(self.tr("Use &selected"), group)
        self.selected_button.setObjectName("useSelectedButton")
        self.selected_button.setToolTip(self.tr("Use selected features: screen the selected polygons of the active "
                                                "layer, one site each"))
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
        self.ref_edit.setPlaceholderText(self.tr("the application reference, e.g. 24/01234/FUL"))
        add_labelled_row(form, self.tr("Re&ference"), self.ref_edit, group)
        self.address_edit = QLineEdit(group)
        self.address_edit.setObjectName("siteAddressEdit")
        self.address_edit.setPlaceholderText(self.tr("the site's address, for the report (optional)"))
        add_labelled_row(form, self.tr("&Address"), self.address_edit, group)
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
        add_labelled_row(form, self.tr("Proposed &habitat"), self.habitat_combo, group)
        self.distance_spin = QgsDoubleSpinBox(group)
        self.distance_spin.setObjectName("searchDistanceSpin")
        self.distance_spin.setRange(0.0, 10000.0)
        self.distance_spin.setDecimals(0)
        self.distance_spin.setSingleStep(50.0)
        self.distance_spin.setSuffix(self.tr(" m"))
        self.distance_spin.setValue(settings.search_distance_m)
        self.distance_spin.setClearValue(settings.search_distance_m)
        self.distance_spin.setShowClearButton(True)
        self.distance_spin.setToolTip(self.tr("How far from the site to look for designated sites and "
                                              "irreplaceable habitats"))
        add_labelled_row(form, self.tr("Search distanc&e"), self.distance_spin, group)
        self.officer_edit = QLineEdit(group)
        self.officer_edit.setObjectName("officerEdit")
        self.officer_edit.setText(settings.officer_name)
        self.officer_edit.setPlaceholderText(officer_name(PluginSettings()))
        self.officer_edit.setToolTip(self.tr("Your name as it appears on reports and on findings you mark not "
                                             "applicable"))
        self.officer_edit.editingFinished.connect(self._on_officer_changed)
        add_labelled_row(form, self.tr("&Officer"), self.officer_edit, group)
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
        return group

    def screening_inputs(self) -> ScreeningInputs:
        """The search distance (with the settings' sliver tolerance) and the proposed habitat, as given here."""
        options = ScreeningOptions(search_distance_m=float(self.distance_spin.value()),
                                   sliver_tolerance_m2=self.context.settings.sliver_tolerance_m2)
        return options, self.habitat_combo.currentText().strip() or None

    # ------------------------------------------------------------------ sites
    def _on_draw_toggled(self, on: bool) -> None:
        canvas = self.context.canvas()
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
            self.context.show_message(self.tr("Click the site's corners on the map; right-click to finish, Backspace "
                                              "to remove the last corner, Esc to cancel."))
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
            self.context.show_error(self.tr("The site cannot be used: {0}").format(str(exc)))
            return False
        if converted.geometry is None:
            self.context.show_error(self.tr("The drawn site has no area; draw at least three corners."))
            return False
        self.set_sites([Site(self.tr("Drawn site"), converted.geometry, converted.notes, named=False,
                             transform=describe_transform(crs, transform))])
        return True

    def use_selected_features(self) -> bool:
        iface = self.context.iface
        layer = iface.activeLayer() if iface is not None else None
        if not isinstance(layer, QgsVectorLayer) or layer.geometryType() != Qgis.GeometryType.Polygon:
            self.context.show_error(self.tr("Make a polygon layer active in the Layers panel and select the site(s) "
                                            "in it."))
            return False
        features = sorted(layer.getSelectedFeatures(), key=lambda f: f.id())
        if not features:
            self.context.show_error(self.tr("No features are selected in {0}; select one or more site "
                                            "polygons.").format(layer.name()))
            return False
        return self._use_features(layer, features)

    def _use_features(self, layer: QgsVectorLayer, features: list[Any]) -> bool:
        """Each feature becomes one site (reference from the layer's display expression)."""
        try:
            sites, problems = sites_from_features(layer, features)
        except LnrsError as exc:
            self.context.show_error(str(exc)[:1].upper() + str(exc)[1:])
            return False
        if problems:
            self.context.show_error(self.tr("Some features cannot be used as sites: {0}").format("; ".join(problems)))
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
        try:  # an Open Digital Planning (PlanX) application: one site, with its reference and address
            application = sites_from_application_file(path)
        except LnrsError as exc:
            self.context.show_error(self.tr("{0}: {1}").format(Path(path).name, str(exc)))
            return False
        if application is not None:
            self.set_sites(application)
            self.ref_edit.setText(application[0].ref)  # the application's own reference ("" until it has one)
            return True
        layer = open_sites_file(path)
        if not layer.isValid():
            self.context.show_error(self.tr("{0} cannot be opened as a vector file.").format(Path(path).name))
            return False
        if layer.geometryType() != Qgis.GeometryType.Polygon:
            self.context.show_error(self.tr("{0} holds no polygons; a site needs its red line boundary as a "
                                            "polygon.").format(Path(path).name))
            return False
        features = sorted(layer.getFeatures(), key=lambda f: f.id())
        if not features:
            self.context.show_error(self.tr("{0} holds no features.").format(Path(path).name))
            return False
        return self._use_features(layer, features)

    def set_sites(self, sites: list[Site]) -> None:
        """The new site(s) replace the old: the reference is the new site's own (from its file or layer, else empty
        and asked for) and the proposed habitat starts empty; nothing of the previous site carries over."""
        self.sites = list(sites)
        self.habitat_combo.setCurrentIndex(0)
        self.habitat_combo.setEditText("")
        own_ref = self.sites[0].ref if len(self.sites) == 1 and self.sites[0].named else ""
        self.ref_edit.setText(own_ref)
        self.address_edit.setText(self.sites[0].address if len(self.sites) == 1 else "")
        if len(self.sites) == 1:
            s = self.sites[0]
            area = s.geometry.area / 10000 if s.geometry is not None else 0.0
            self.site_label.setText(self.tr("One site, {0} ha.").format(f"{area:,.2f}"))
        else:
            self.site_label.setText(self.tr("{0} sites (references from the layer's display name).").format(
                len(self.sites)))
        self.ref_edit.setEnabled(len(self.sites) <= 1)
        self.address_edit.setEnabled(len(self.sites) <= 1)
        canvas = self.context.canvas()
        geometries = [s.geometry for s in self.sites if s.geometry is not None]
        if canvas is not None:
            self.site_highlight().show(geometries)
            if geometries:
                zoom_to(canvas, geometries)
        self._update_buttons()
        self.sites_changed.emit(list(self.sites))
        if len(self.sites) == 1 and not own_ref:
            self.context.show_message(self.tr("Type the application reference of the new site (it goes on the "
                                              "results and reports), then Check."))
            self.ref_edit.setFocus()

    def _on_officer_changed(self) -> None:
        name = " ".join(self.officer_edit.text().split())
        if name != self.context.settings.officer_name:
            self.context.settings.officer_name = name
            self.context.save_settings()

    def site_highlight(self) -> SiteHighlight:
        """The outline of the sites on the map (shared with the Results tab, which outlines the one on show)."""
        if self._highlight is None:
            self._highlight = SiteHighlight(self.context.canvas())
        return self._highlight

    # ------------------------------------------------------------------ checking
    def check(self, synchronous: bool = False) -> bool:
        """Start screening the current sites; ``synchronous`` runs it in this thread (tests, probes)."""
        context = self.context
        if self.task is not None:
            context.show_message(self.tr("A check is already running; wait for it or cancel it."),
                                 Qgis.MessageLevel.Warning)
            return False
        source = context.screening_source()
        if source is None:
            context.show_error(self.tr("Choose a Local Habitat Map pack first."))
            return False
        if not self.sites:
            context.show_error(self.tr("Give a site first: draw it on the map or use selected features."))
            return False
        sites = list(self.sites)
        if len(sites) == 1:
            only = sites[0]
            sites = [replace(only, ref=self.ref_edit.text().strip() or only.ref,
                             address=" ".join(self.address_edit.text().split()))]
        self._checking = sites
        self.checking.emit(sites)
        options, proposed = self.screening_inputs()
        task = screening_task(self.tr("LNRS screening of {0} site(s)").format(len(sites)), source,
                              [s.geometry for s in sites], [s.ref for s in sites], options, proposed, self._on_done)
        context.clear_messages()
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
            self.context.show_message(self.tr("The check was cancelled; no results were kept."),
                                      Qgis.MessageLevel.Warning)
            return
        if error:
            self.context.show_error(self.tr("The check could not run: {0}").format(error))
            return
        # each result says how its site reached British National Grid (OSTN15 or not) and holds it as screened
        checked = self._checking
        results = with_provenance(results, [s.geometry for s in checked], [s.transform for s in checked])
        self.screened.emit(results)

    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None
        self.check_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        self.draw_button.setEnabled(not busy)
        self.selected_button.setEnabled(not busy)
        self.busy_changed.emit(busy)

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        if self.task is not None:
            self.task.on_done = lambda *_a: None
            self.task.cancel()
            self.task = None
        canvas = self.context.canvas()
        if self._map_tool is not None:
            if canvas is not None and canvas.mapTool() is self._map_tool:
                canvas.unsetMapTool(self._map_tool)
            self._map_tool.clean_up()
            self._map_tool = None
        if self._highlight is not None:
            self._highlight.remove()
            self._highlight = None
