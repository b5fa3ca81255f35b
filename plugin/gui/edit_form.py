"""The feature form of a working copy's opportunity layer: measures picked from the catalogue.

How each field of the working table appears in QGIS's attribute form is data (:data:`FIELD_FORMS`):
the measures are a multi-select ``ValueRelation`` over the working copy's ``measure_choices`` table
(key ``code``, value ``label`` = "CODE — measure text"), name and reference are plain text, the pack
fid is shown read-only, and every other column (the base state kept for check-in) is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qgis.core import (
    QgsAttributeEditorField,
    QgsEditFormConfig,
    QgsEditorWidgetSetup,
    QgsFieldConstraints,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.editing.working_copy import CHOICES, WORKING

#: The working copy's table names (see plugin/core/editing/working_copy.py).
WORKING_TABLE = WORKING.name
CHOICES_TABLE = CHOICES.name
#: Columns of the catalogue table the multi-select reads.
CHOICE_KEY = "code"
CHOICE_VALUE = "label"
#: Columns of the measure picker: long labels stay readable in two columns.
CHOICE_COLUMNS = 2


def tr(text: str) -> str:
    return str(QCoreApplication.translate("EditForm", text))


@dataclass(frozen=True)
class FieldForm:
    """How one field appears in the form."""

    widget: str            # "measures" (catalogue multi-select), "text", "readonly" or "hidden"
    alias: str = ""


def field_forms() -> dict[str, FieldForm]:
    """Fields of the working table the user sees; any other column (base state, bookkeeping) is hidden."""
    return {
        "name": FieldForm("text", tr("Name")),
        "ref": FieldForm("text", tr("Reference")),
        "measures": FieldForm("measures", tr("Measures")),
        "pack_fid": FieldForm("readonly", tr("Pack feature id")),
    }


HIDDEN = FieldForm("hidden")
#: Layer display name of a feature: its name, else its pack fid, else "new".
DISPLAY_EXPRESSION = "coalesce(\"name\", 'opportunity area ' || coalesce(to_string(\"pack_fid\"), 'new'))"
#: The soft constraint that warns in the form while no measure is ticked.
MEASURES_CONSTRAINT = "\"measures\" IS NOT NULL AND trim(\"measures\") NOT IN ('', '{}')"


def measures_widget_config(choices: QgsVectorLayer) -> dict[str, Any]:
    """The ``ValueRelation`` configuration: several codes per area, chosen by their catalogue text."""
    return {
        "Layer": choices.id(),
        "LayerName": choices.name(),
        "LayerSource": choices.publicSource(),
        "LayerProviderName": choices.providerType(),
        "Key": CHOICE_KEY,
        "Value": CHOICE_VALUE,
        "Description": f'"{CHOICE_VALUE}"',
        "AllowMulti": True,
        "NofColumns": CHOICE_COLUMNS,
        "AllowNull": False,
        "OrderByValue": True,
        "UseCompleter": False,
        "FilterExpression": "",
    }


def editor_setup(form: FieldForm, choices: QgsVectorLayer) -> QgsEditorWidgetSetup:
    if form.widget == "measures":
        return QgsEditorWidgetSetup("ValueRelation", measures_widget_config(choices))
    if form.widget in ("text", "readonly"):
        return QgsEditorWidgetSetup("TextEdit", {"IsMultiline": False, "UseHtml": False})
    return QgsEditorWidgetSetup("Hidden", {})


def configure_form(layer: QgsVectorLayer, choices: QgsVectorLayer) -> None:
    """Set up ``layer``'s attribute form (widgets, aliases, read-only and hidden fields, layout)."""
    forms = field_forms()
    config = layer.editFormConfig()
    config.setLayout(QgsEditFormConfig.EditorLayout.TabLayout)
    root = config.invisibleRootContainer()
    root.clear()
    fields = layer.fields()
    for name in forms:
        index = fields.indexOf(name)
        if index >= 0:
            root.addChildElement(QgsAttributeEditorField(name, index, root))
    for index, field in enumerate(fields):
        form = forms.get(field.name(), HIDDEN)
        layer.setEditorWidgetSetup(index, editor_setup(form, choices))
        config.setReadOnly(index, form.widget in ("readonly", "hidden"))
        if form.alias:
            layer.setFieldAlias(index, form.alias)
        if form.widget == "measures":
            layer.setConstraintExpression(index, MEASURES_CONSTRAINT, tr(
                "Pick at least one measure: an opportunity area without measures is refused when it is saved to "
                "the Local Habitat Map."))
            layer.setFieldConstraint(index, QgsFieldConstraints.Constraint.ConstraintExpression,
                                     QgsFieldConstraints.ConstraintStrength.ConstraintStrengthSoft)
    layer.setEditFormConfig(config)
    layer.setDisplayExpression(DISPLAY_EXPRESSION)
