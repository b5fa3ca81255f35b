"""The Parcels tab's inputs: where the survey is (a Defra metric GeoPackage of either template, with its detected
template, or layers in this project: :class:`.parcels_layer_inputs.SurveyLayerInputs`), the phase, and optional
local planning authority boundaries; and the GeoPackage's layers added to the project."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ..adapters.parcel_layers import PHASES, ogr_gpkg
from ..core.parcels.templates import TEMPLATE_TITLES
from .form_rows import add_labelled_row
from .parcels_layer_inputs import SurveyLayerInputs

translate = QCoreApplication.translate  # context "ParcelsPanel": these texts are the tab's
#: The source combo's data: a Defra GeoPackage, or survey layers of the QGIS project.
GEOPACKAGE, PROJECT_LAYERS = "geopackage", "layers"


class ParcelsInputs(QgsCollapsibleGroupBox):
    """The "Survey" group: a GeoPackage (which file, its template) or project layers; the phase and the
    optional LPA layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("ParcelsPanel", "Survey"), parent)
        self.setObjectName("parcelsInputGroup")
        outer = QFormLayout(self)
        outer.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("parcelsSourceCombo")
        self.source_combo.addItem(translate("ParcelsPanel", "Defra GeoPackage"), GEOPACKAGE)
        self.source_combo.addItem(translate("ParcelsPanel", "Layers in this project"), PROJECT_LAYERS)
        self.source_combo.setToolTip(translate("ParcelsPanel", "Check a Defra metric GeoPackage, or survey layers of "
                                                               "this project (digitised in QGIS or loaded from a "
                                                               "shapefile; saved as a new GeoPackage in the Natural "
                                                               "England template)"))
        add_labelled_row(outer, translate("ParcelsPanel", "S&ource"), self.source_combo, self)
        self.gpkg_box = QWidget(self)
        gpkg_form = QFormLayout(self.gpkg_box)
        gpkg_form.setContentsMargins(0, 0, 0, 0)
        gpkg_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addRow(self.gpkg_box)
        self.layer_inputs = SurveyLayerInputs(self)
        outer.addRow(self.layer_inputs)
        form = outer  # the phase and LPA rows serve both sources

        row = QHBoxLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("parcelsGpkgPath")
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(translate("ParcelsPanel", "No GeoPackage open"))
        row.addWidget(self.path_edit, 1)
        self.open_button = QPushButton(translate("ParcelsPanel", "&Open\u2026"), self)
        self.open_button.setObjectName("openDefraGpkgButton")
        self.open_button.setToolTip(translate("ParcelsPanel", "Open a GeoPackage of the statutory biodiversity "
                                                              "metric, in the Natural England template or the BNG "
                                                              "Metric service template: every module is checked"))
        row.addWidget(self.open_button)
        add_labelled_row(gpkg_form, translate("ParcelsPanel", "&File"), row, self, buddy=self.open_button)

        self.template_label = QLabel(self)
        self.template_label.setObjectName("parcelsTemplateLabel")
        self.template_label.setWordWrap(True)
        self.template_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        gpkg_form.addRow(translate("ParcelsPanel", "Template"), self.template_label)
        self.show_template("", ())

        self.phase_combo = QComboBox(self)
        self.phase_combo.setObjectName("parcelsPhaseCombo")
        self.phase_combo.addItem(translate("ParcelsPanel", "Baseline"), PHASES[0])
        self.phase_combo.addItem(translate("ParcelsPanel", "Post-intervention (proposed)"), PHASES[1])
        self.phase_combo.setToolTip(translate("ParcelsPanel", "Which of the metric's phases to assess: the "
                                                              "baseline (existing) or the post-intervention "
                                                              "(proposed) habitats"))
        add_labelled_row(form, translate("ParcelsPanel", "P&hase"), self.phase_combo, self)

        self.lpa_combo = QgsMapLayerComboBox(self)
        self.lpa_combo.setObjectName("parcelsLpaCombo")
        self.lpa_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.lpa_combo.setAllowEmptyLayer(True, translate("ParcelsPanel", "None"))
        self.lpa_combo.setCurrentIndex(0)
        self.lpa_combo.setToolTip(translate("ParcelsPanel", "Local planning authority boundaries: features are "
                                                            "split where the authority changes (optional)"))
        add_labelled_row(form, translate("ParcelsPanel", "LPA &boundaries"), self.lpa_combo, self)
        for combo in (self.source_combo, self.phase_combo, self.lpa_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.source_combo.currentIndexChanged.connect(self._show_source)
        self.collapsedStateChanged.connect(self._show_source)  # expanding shows every child again
        self.phase_combo.currentIndexChanged.connect(
            lambda *_a: self.layer_inputs.select_default_field(str(self.phase_combo.currentData())))
        self._show_source()

    def source(self) -> str:
        return str(self.source_combo.currentData() or GEOPACKAGE)

    def _show_source(self, *_args: object) -> None:
        layers = self.source() == PROJECT_LAYERS
        self.gpkg_box.setVisible(not layers)
        self.layer_inputs.setVisible(layers)

    def show_template(self, template: str, layers: tuple[str, ...]) -> None:
        if not template:
            self.template_label.setText(translate("ParcelsPanel", "open a GeoPackage of either Defra template"))
            self.template_label.setToolTip("")
            return
        self.template_label.setText(translate("ParcelsPanel", "{0} ({1})").format(
            TEMPLATE_TITLES.get(template, template), ", ".join(layers)))
        self.template_label.setToolTip(translate("ParcelsPanel", "Recognised from the file's layer names"))


def add_gpkg_layers(path: str, layers: tuple[str, ...], project: QgsProject | None = None) -> list[QgsVectorLayer]:
    """The GeoPackage's ``layers`` in a group named after the file at the top of the layer tree (a layer the
    project already has on the same GeoPackage layer is not added twice); returns the layers added."""
    project = project or QgsProject.instance()
    have = set()
    for candidate in project.mapLayers().values():
        got = ogr_gpkg(candidate) if isinstance(candidate, QgsVectorLayer) else None
        if got is not None:
            have.add((str(Path(got[0]).resolve()), got[1]))
    wanted = [n for n in layers if (str(Path(path).resolve()), n) not in have]
    added = []
    for name in wanted:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if layer.isValid():
            added.append(layer)
    if added:
        group = project.layerTreeRoot().insertGroup(0, Path(path).stem)
        for layer in added:
            project.addMapLayer(layer, False)
            group.addLayer(layer)
    return added
