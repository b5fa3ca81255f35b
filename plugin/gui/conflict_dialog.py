"""One conflicting feature at check-in: your version against what is in the map now, and who changed it.

The choice is the engine's resolution word: ``"mine"`` (keep my version: the fields I changed overwrite theirs, a
field only they changed keeps their value, audited; the dialog's last column shows that result) or ``"theirs"``
(take the map's version; my change to that feature is dropped), or ``None`` to cancel the whole save (nothing is
written; the working copy keeps every change).
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

from ..core.editing.checkin import changed_fields, merge_fields
from .results_view import tip

MINE = "mine"
THEIRS = "theirs"
MIN_WIDTH = 780


def tr(text: str) -> str:
    return str(QCoreApplication.translate("ConflictDialog", text))


def kept_mine(conflict: Any) -> Any:
    """The area as *Keep mine* saves it (None: deleted): the fields this editor changed over what the map holds now,
    the colleague's change of any other field kept (the check-in's own field-level merge)."""
    base, mine, theirs = conflict.edit.base, conflict.edit.new, conflict.current
    if mine is None or theirs is None or base is None:
        return mine  # my delete deletes it; my update of an area they deleted restores it as I have it
    return merge_fields(theirs, mine, changed_fields(base, mine))


def comparison_rows(conflict: Any, codes: Callable[[Any], str],
                    geometry_hash: Callable[[Any], str]) -> list[tuple[str, str, str, str, str]]:
    """Rows (what, when you started, yours, in the map now, if you keep yours) comparing the states of the feature."""
    base, mine, theirs, kept = conflict.edit.base, conflict.edit.new, conflict.current, kept_mine(conflict)
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

    def field(name: str, value: Callable[[Any], str]) -> tuple[str, str, str, str, str]:
        return name, text(base, value), text(mine, value), text(theirs, value), text(kept, value)

    return [field(tr("Measures"), codes), field(tr("Name"), lambda f: f.name), field(tr("Reference"), lambda f: f.ref),
            (tr("Shape"), text(base, lambda _f: ""), shape(mine), shape(theirs), shape(kept))]


def last_change_text(conflict: Any) -> str:
    record = conflict.last_change
    if record is None:
        return tr("The audit trail does not say who changed it (it was changed outside the LNRS Toolkit).")
    when = str(record.edited_at).replace("T", " ").replace("+00:00", " UTC").replace("Z", " UTC")
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
        record = conflict.last_change
        who.setVisible(record is None or str(record.edited_by) not in str(conflict.message))  # not said twice
        layout.addWidget(who)
        rows = comparison_rows(conflict, codes, geometry_hash)
        self.table = QTableWidget(len(rows), 4, self)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels([tr("When you started"), tr("Your version"), tr("In the map now"),
                                              tr("If you keep yours")])
        self.table.setVerticalHeaderLabels([r[0] for r in rows])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a table to read: no current cell drawn
        bold = QFont()
        bold.setBold(True)
        for row, (_what, base, mine, theirs, kept) in enumerate(rows):
            for col, value in enumerate((base, mine, theirs, kept)):
                item = QTableWidgetItem(value)
                item.setToolTip(tip(value))
                if col > 0 and value != base and value != tr("unchanged"):
                    item.setFont(bold)  # what differs from the start
                self.table.setItem(row, col, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)  # long values wrap: every word in view
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fit_table()
        layout.addWidget(self.table)
        hint = QLabel(tr("Keep mine saves the fields you changed over theirs; what they changed in any other field "
                         "stays (the last column shows the result; both changes stay in the audit trail). Take theirs "
                         "drops your change to this area and puts the map's version in your working copy. Cancel "
                         "saves nothing; your working copy keeps every change."), self)
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
        self.setMinimumWidth(MIN_WIDTH)  # four columns of about 150 px: measure codes and names wrap, never cut
        self.resize(MIN_WIDTH, self.sizeHint().height())

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
        self.fit()

    def fit(self) -> None:
        """The columns have their real widths once laid out: wrapped rows may be taller, and the dialog grows to show
        every line of the message, the table and the hint (Qt does not grow a window for wrapped labels itself)."""
        layout = self.layout()
        layout.activate()
        self.fit_table()
        layout.activate()
        height = layout.totalHeightForWidth(self.width())
        if height > 0:
            self.setMinimumHeight(height)
            self.resize(self.width(), height)

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
