"""The Parcels tab's "Layers in this project" inputs: the area habitat polygon layer and its habitat field, and the
optional hedgerow, watercourse, tree and red line layers. The choices are checked and read by
:mod:`..adapters.project_survey`; this widget only hands it the layers."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsMapLayerProxyModel, QgsVectorLayer
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QComboBox, QFormLayout, QWidget

from ..adapters.parcel_layers import LayerInput, default_habitat_field
from ..adapters.project_survey import SurveyRequest, survey_request
from ..core.errors import InputError
from .form_rows import add_labelled_row

translate = QCoreApplication.translate  # context "ParcelsPanel": these texts are the tab's


def _layer_input(combo: QgsMapLayerComboBox) -> LayerInput | None:
    layer = combo.currentLayer()
    return LayerInput.from_layer(layer) if isinstance(layer, QgsVectorLayer) else None


class SurveyLayerInputs(QWidget):
    """Which project layers hold the survey: every module and the red line (any CRS)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parcelsLayerInputs")
        self.phase = "baseline"  # whose "... Habitat Type" field is taken by default
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        polygons, lines = QgsMapLayerProxyModel.Filter.PolygonLayer, QgsMapLayerProxyModel.Filter.LineLayer
        self.area_combo = self._combo(form, "parcelsAreaLayerCombo", translate("ParcelsPanel", "Habitat &parcels"),
                                      polygons, translate("ParcelsPanel", "The habitat parcels: a polygon layer, in "
                                                                          "any CRS (required)"), optional=False)
        self.habitat_field_combo = QgsFieldComboBox(self)
        self.habitat_field_combo.setObjectName("parcelsHabitatFieldCombo")
        self.habitat_field_combo.setAllowEmptyFieldName(True)
        self.habitat_field_combo.setToolTip(translate("ParcelsPanel", "The field holding each parcel's habitat "
                                                                      "(empty: the phase's 'Baseline Habitat Type' "
                                                                      "or 'Proposed Habitat Type', as the "
                                                                      "Processing algorithm takes it)"))
        add_labelled_row(form, translate("ParcelsPanel", "Habitat fiel&d"), self.habitat_field_combo, self)
        self.hedgerow_combo = self._combo(form, "parcelsHedgerowLayerCombo", translate("ParcelsPanel", "H&edgerows"),
                                          lines, translate("ParcelsPanel", "Hedgerows as lines, with a 'Baseline "
                                                                           "Hedge Type' (or 'type') field "
                                                                           "(optional)"))
        self.watercourse_combo = self._combo(form, "parcelsWatercourseLayerCombo",
                                             translate("ParcelsPanel", "&Watercourses"), lines,
                                             translate("ParcelsPanel", "Watercourses as lines, with a 'Baseline "
                                                                       "River Type' (or 'type') field (optional)"))
        self.tree_combo = self._combo(form, "parcelsTreeLayerCombo", translate("ParcelsPanel", "&Trees"),
                                      QgsMapLayerProxyModel.Filter.PointLayer,
                                      translate("ParcelsPanel", "Individual trees as points (optional)"))
        self.red_line_combo = self._combo(form, "parcelsRedLineLayerCombo", translate("ParcelsPanel", "&Red line"),
                                          polygons, translate("ParcelsPanel", "The site's red line boundary "
                                                                              "(optional; Defra's service needs "
                                                                              "one)"))
        self.area_combo.layerChanged.connect(self._area_changed)
        self._area_changed()

    def _combo(self, form: QFormLayout, name: str, text: str, filters: Any, tooltip: str,
               optional: bool = True) -> QgsMapLayerComboBox:
        combo = QgsMapLayerComboBox(self)
        combo.setObjectName(name)
        combo.setFilters(filters)
        if optional:
            combo.setAllowEmptyLayer(True, translate("ParcelsPanel", "None"))
            combo.setCurrentIndex(0)
        combo.setToolTip(tooltip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        add_labelled_row(form, text, combo, self)
        return combo

    def _area_changed(self, *_args: object) -> None:
        layer = self.area_combo.currentLayer()
        self.habitat_field_combo.setLayer(layer)
        self.select_default_field(self.phase)

    def select_default_field(self, phase: str) -> None:
        """Select the phase's ``... Habitat Type`` when the area layer has it (else leave the choice empty), unless
        another field was chosen."""
        self.phase = phase
        layer = self.area_combo.currentLayer()
        default = default_habitat_field(phase)
        current = self.habitat_field_combo.currentField()
        if isinstance(layer, QgsVectorLayer) and current in ("", default_habitat_field("baseline"),
                                                             default_habitat_field("proposed")):
            self.habitat_field_combo.setField(default if layer.fields().indexOf(default) >= 0 else "")

    def has_area_layer(self) -> bool:
        return isinstance(self.area_combo.currentLayer(), QgsVectorLayer)

    def request(self, phase: str) -> SurveyRequest:
        """The chosen layers, captured for a background read and checked (raises InputError with a sentence)."""
        area = _layer_input(self.area_combo)
        if area is None:
            raise InputError(translate("ParcelsPanel", "choose the layer of area habitat parcels first."))
        return survey_request(phase, area, self.habitat_field_combo.currentField(), _layer_input(self.hedgerow_combo),
                              _layer_input(self.watercourse_combo), _layer_input(self.tree_combo),
                              _layer_input(self.red_line_combo))
