"""The Parcels tab's inputs: the form (parcels layer, phase, habitat field, red line, LPA boundaries), and the
layers of a Defra metric GeoPackage (its Habitats layer found by its fields, or the project's layer on it)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsMapLayerProxyModel, QgsProject, QgsVectorLayer
from qgis.gui import QgsCollapsibleGroupBox, QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..adapters.defra_gpkg import HABITATS, is_defra_habitats
from ..adapters.parcel_layers import PHASES, ogr_gpkg

translate = QCoreApplication.translate  # context "ParcelsPanel": these texts are the tab's (as before the split)


class ParcelsInputs(QgsCollapsibleGroupBox):
    """The "Survey parcels" group: which layer, phase and field to assess, and the optional boundaries."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("ParcelsPanel", "Survey parcels"), parent)
        self.setObjectName("parcelsInputGroup")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.layer_combo = QgsMapLayerComboBox(self)
        self.layer_combo.setObjectName("parcelsLayerCombo")
        self.layer_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.layer_combo.setAllowEmptyLayer(True, translate("ParcelsPanel", "Choose a polygon layer\u2026"))
        self.layer_combo.setCurrentIndex(0)
        self.layer_combo.setToolTip(translate("ParcelsPanel", "The habitat parcels: a polygon layer of the project, or "
                                                              "the Habitats layer of a Defra metric GeoPackage"))
        self.open_button = QPushButton(translate("ParcelsPanel", "&Open Defra GeoPackage\u2026"), self)
        self.open_button.setObjectName("openDefraGpkgButton")
        self.open_button.setToolTip(translate("ParcelsPanel", "Open the GeoPackage of the statutory biodiversity "
                                                              "metric's digital service: its Habitats layer and Red "
                                                              "Line Boundary are added to the map"))
        layer_label = QLabel(translate("ParcelsPanel", "&Parcels"), self)
        layer_label.setBuddy(self.layer_combo)
        form.addRow(layer_label, self.layer_combo)
        form.addRow("", self.open_button)

        self.phase_combo = QComboBox(self)
        self.phase_combo.setObjectName("parcelsPhaseCombo")
        self.phase_combo.addItem(translate("ParcelsPanel", "Baseline"), PHASES[0])
        self.phase_combo.addItem(translate("ParcelsPanel", "Proposed"), PHASES[1])
        self.phase_combo.setToolTip(translate("ParcelsPanel", "Which of the metric's habitats to assess: the baseline "
                                                              "(existing) or the proposed habitats"))
        phase_label = QLabel(translate("ParcelsPanel", "P&hase"), self)
        phase_label.setBuddy(self.phase_combo)
        form.addRow(phase_label, self.phase_combo)

        self.field_combo = QgsFieldComboBox(self)
        self.field_combo.setObjectName("parcelsHabitatFieldCombo")
        self.field_combo.setAllowEmptyFieldName(True)
        field_label = QLabel(translate("ParcelsPanel", "Habitat &field"), self)
        field_label.setBuddy(self.field_combo)
        form.addRow(field_label, self.field_combo)

        self.red_line_combo = QgsMapLayerComboBox(self)
        self.red_line_combo.setObjectName("parcelsRedLineCombo")
        self.red_line_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.red_line_combo.setAllowEmptyLayer(True, translate("ParcelsPanel", "None"))
        self.red_line_combo.setCurrentIndex(0)
        self.red_line_combo.setToolTip(translate("ParcelsPanel", "The red line boundary, to find gaps and parts "
                                                                 "outside it (optional; a Defra GeoPackage's own Red "
                                                                 "Line Boundary is used when none is chosen)"))
        red_label = QLabel(translate("ParcelsPanel", "Red li&ne"), self)
        red_label.setBuddy(self.red_line_combo)
        form.addRow(red_label, self.red_line_combo)

        self.lpa_combo = QgsMapLayerComboBox(self)
        self.lpa_combo.setObjectName("parcelsLpaCombo")
        self.lpa_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.lpa_combo.setAllowEmptyLayer(True, translate("ParcelsPanel", "None"))
        self.lpa_combo.setCurrentIndex(0)
        self.lpa_combo.setToolTip(translate("ParcelsPanel", "Local planning authority boundaries: parcels are split "
                                                            "where the authority changes (optional)"))
        lpa_label = QLabel(translate("ParcelsPanel", "LPA &boundaries"), self)
        lpa_label.setBuddy(self.lpa_combo)
        form.addRow(lpa_label, self.lpa_combo)
        for combo in (self.layer_combo, self.phase_combo, self.field_combo, self.red_line_combo, self.lpa_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        layout.addLayout(form)


def find_defra_habitats(path: str) -> QgsVectorLayer | None:
    """The Habitats layer of the Defra metric GeoPackage at ``path`` (found by its fields), or None."""
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


def project_layer_on(layer: QgsVectorLayer) -> QgsVectorLayer | None:
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
