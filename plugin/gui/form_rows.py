"""A form row whose label carries the field's keyboard shortcut (the ``&`` letter moves focus to the field)."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QFormLayout, QLabel, QLayout, QWidget


def add_labelled_row(form: QFormLayout, text: str, field: QWidget | QLayout, parent: QWidget,
                     buddy: QWidget | None = None) -> QLabel:
    """Add ``text`` and ``field`` as a row of ``form``; the label's shortcut focuses ``buddy`` (by default the
    field itself, which must then be a widget)."""
    if buddy is None:
        assert isinstance(field, QWidget), "a row whose field is a layout names the widget its label focuses"
        buddy = field
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    form.addRow(label, field)
    return label
