"""One conflicting feature at check-in: your version against what is in the map now, and who changed it.

The choice is the engine's resolution word: ``"mine"`` (keep my version; it overwrites theirs and
is audited) or ``"theirs"`` (take the map's version; my change to that feature is dropped), or
``None`` to cancel the whole save (nothing is written; the working copy keeps every change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QFont
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .results_view import tip

MINE = "mine"
THEIRS = "theirs"


def tr(text: str) -> str:
    return str(QCoreApplication.translate("ConflictDialog", text))


def comparison_rows(conflict: Any, codes: Callable[[Any], str],
                    geometry_hash: Callable[[Any], str]) -> list[tuple[str, str, str, str]]:
    """Rows (what, when you started, yours, in the map now) comparing the three states of the feature."""
    base, mine, theirs = conflict.edit.base, conflict.edit.new, conflict.current
    gone = tr("(deleted)")

    def text(feature: Any, value: Callable[[Any], str]) -> str:
        return gone if feature is None else value(feature)

    base_hash = geometry_hash(base.geometry) if base is not None else ""

    def shape(feature: Any) -> str:
        if feature is None:
            return gone
        if base is None:
            return tr("new")
        return tr("changed") if geometry_hash(feature.geometry) != base_hash else tr("unchanged")

    return [
        (tr("Measures"), text(base, codes), text(mine, codes), text(theirs, codes)),
        (tr("Name"), text(base, lambda f: f.name), text(mine, lambda f: f.name), text(theirs, lambda f: f.name)),
        (tr("Reference"), text(base, lambda f: f.ref), text(mine, lambda f: f.ref), text(theirs, lambda f: f.ref)),
        (tr("Shape"), text(base, lambda _f: ""), shape(mine), shape(theirs)),
    ]


def last_change_text(conflict: Any) -> str:
    record = conflict.last_change
    if record is None:
        return tr("The audit trail does not say who changed it (it was changed outside the LNRS Toolkit).")
    when = str(record.edited_at).replace("T", " ").replace("+00:00", " UTC")
    return tr("Changed by {0} on {1}. Their reason: \u201c{2}\u201d").format(record.edited_by, when, record.reason)


class ConflictDialog(QDialog):
    """Shows one conflict; ``choice`` is ``"mine"``, ``"theirs"`` or ``None`` (cancelled)."""

    def __init__(self, conflict: Any, codes: Callable[[Any], str], geometry_hash: Callable[[Any], str],
                 position: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editConflictDialog")
        self.setWindowTitle(tr("Someone else changed this area") + (f" ({position})" if position else ""))
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        message = QLabel(str(conflict.message), self)
        message.setObjectName("conflictMessage")
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setWordWrap(True)
        layout.addWidget(message)
        who = QLabel(last_change_text(conflict), self)
        who.setObjectName("conflictLastChange")
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setWordWrap(True)
        layout.addWidget(who)
        rows = comparison_rows(conflict, codes, geometry_hash)
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels([tr("When you started"), tr("Your version"), tr("In the map now")])
        self.table.setVerticalHeaderLabels([r[0] for r in rows])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        bold = QFont()
        bold.setBold(True)
        for row, (_what, base, mine, theirs) in enumerate(rows):
            for col, value in enumerate((base, mine, theirs)):
                item = QTableWidgetItem(value)
                item.setToolTip(tip(value))
                if col > 0 and value != base:
                    item.setFont(bold)
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fit_table()
        layout.addWidget(self.table)
        hint = QLabel(tr("Keep mine saves your version over theirs (both changes stay in the audit trail). Take "
                         "theirs drops your change to this area and puts the map's version in your working copy. "
                         "Cancel saves nothing; your working copy keeps every change."), self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(self)
        self.mine_button = QPushButton(tr("Keep &mine"), self)
        self.mine_button.setObjectName("keepMineButton")
        self.theirs_button = QPushButton(tr("Take &theirs"), self)
        self.theirs_button.setObjectName("takeTheirsButton")
        buttons.addButton(self.mine_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.theirs_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.mine_button.clicked.connect(lambda: self._choose(MINE))
        self.theirs_button.clicked.connect(lambda: self._choose(THEIRS))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def fit_table(self) -> None:
        """Every row in view without scrolling (your version of each field, always)."""
        table = self.table
        table.resizeRowsToContents()
        height = (table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                  + sum(table.rowHeight(r) for r in range(table.rowCount())))
        table.setMinimumHeight(height)
        table.setMaximumHeight(height)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.fit_table()  # the columns have their real widths now: wrapped rows may be taller
        self.adjustSize()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_resolution(parent: QWidget | None, conflict: Any, codes: Callable[[Any], str],
                   geometry_hash: Callable[[Any], str], position: str = "") -> str | None:
    dialog = ConflictDialog(conflict, codes, geometry_hash, position, parent)
    try:
        dialog.exec()
        return dialog.choice
    finally:
        dialog.deleteLater()
