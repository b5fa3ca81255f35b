"""Asking why a set of changes is being saved to the Local Habitat Map (the reason is required)."""

from __future__ import annotations

from collections.abc import Sequence

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..__about__ import PLUGIN_SLUG

RECENT_KEY = f"{PLUGIN_SLUG}/recent_edit_reasons"
MAX_RECENT = 10


def tr(text: str) -> str:
    return str(QCoreApplication.translate("ReasonDialog", text))


def clean_reason(text: str) -> str:
    """The reason as it is recorded: whitespace runs collapsed, ends trimmed."""
    return " ".join(str(text or "").split())


def recent_reasons(store: QgsSettings | None = None) -> list[str]:
    raw = (store or QgsSettings()).value(RECENT_KEY, [])
    if isinstance(raw, str):
        raw = [raw] if raw else []
    return [clean_reason(r) for r in (raw or []) if clean_reason(r)]


def remember_reason(reason: str, store: QgsSettings | None = None) -> None:
    """Put ``reason`` at the top of the recent reasons (at most :data:`MAX_RECENT`)."""
    reason = clean_reason(reason)
    if not reason:
        return
    store = store or QgsSettings()
    kept = [r for r in recent_reasons(store) if r != reason]
    store.setValue(RECENT_KEY, [reason, *kept][:MAX_RECENT])


class ReasonDialog(QDialog):
    """A summary of the changes and an editable combo of recent reasons; OK only with a reason."""

    def __init__(self, summary: str, recent: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editReasonDialog")
        self.setWindowTitle(tr("Save to the Local Habitat Map"))
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(summary, self)
        self.summary_label.setObjectName("editReasonSummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        prompt = QLabel(tr("&Why are you making these changes? The reason is kept with every change in the map's "
                           "audit trail."), self)
        prompt.setWordWrap(True)
        layout.addWidget(prompt)
        self.combo = QComboBox(self)
        self.combo.setObjectName("editReasonCombo")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(list(recent))
        self.combo.setCurrentIndex(-1)
        self.combo.lineEdit().setPlaceholderText(tr("e.g. 2026 review: woodland creation moved off the floodplain"))
        self.combo.setMinimumContentsLength(40)
        prompt.setBuddy(self.combo)
        layout.addWidget(self.combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.combo.editTextChanged.connect(self._update)
        self._update()

    def reason(self) -> str:
        return clean_reason(self.combo.currentText())

    def _update(self, *_args: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(bool(self.reason()))

    def accept(self) -> None:
        if self.reason():
            super().accept()


def ask_reason(parent: QWidget | None, summary: str, store: QgsSettings | None = None) -> str | None:
    """Ask for the reason (modal); ``None`` when the user cancels. The reason is remembered."""
    dialog = ReasonDialog(summary, recent_reasons(store), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        reason = dialog.reason()
    finally:
        dialog.deleteLater()
    remember_reason(reason, store)
    return reason
