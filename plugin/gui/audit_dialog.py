"""The audit trail of a pack's opportunity areas: every change saved, newest first, filterable by feature."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication, QSize, Qt
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .results_view import tip

ROLE = Qt.ItemDataRole.UserRole


def tr(text: str) -> str:
    return str(QCoreApplication.translate("AuditDialog", text))


def _action_word(action: str) -> str:
    return {"insert": tr("added"), "update": tr("changed"), "delete": tr("deleted")}.get(action, action)


def _geometry_word(record: Any) -> str:
    old, new = record.old_geom_sha256 or "", record.new_geom_sha256 or ""
    if record.action == "insert":
        return tr("new")
    if record.action == "delete":
        return tr("removed")
    return tr("changed") if old != new else tr("unchanged")


def audit_columns() -> list[tuple[str, Any]]:
    """The table's columns: heading and how a record gives the cell's text."""
    return [
        (tr("When (UTC)"), lambda r: str(r.edited_at).replace("T", " ").replace("+00:00", "")),
        (tr("Who"), lambda r: str(r.edited_by)),
        (tr("Feature"), lambda r: "" if r.fid is None else str(r.fid)),
        (tr("Action"), lambda r: _action_word(str(r.action))),
        (tr("Old measures"), lambda r: str(r.old_measures or "").replace(";", ", ")),
        (tr("New measures"), lambda r: str(r.new_measures or "").replace(";", ", ")),
        (tr("Shape"), _geometry_word),
        (tr("Reason"), lambda r: str(r.reason)),
        (tr("Name and reference"), _name_ref_words),
    ]


def _name_ref_words(record: Any) -> str:
    """What the change did to the area's name and reference: "name ‘A’ → ‘B’", or the name it had."""
    parts = []
    for what, old, new in ((tr("name"), getattr(record, "old_name", ""), getattr(record, "new_name", "")),
                           (tr("reference"), getattr(record, "old_ref", ""), getattr(record, "new_ref", ""))):
        old, new = str(old or ""), str(new or "")
        if record.action == "update" and old != new:
            parts.append(f"{what} ‘{old}’ → ‘{new}’")
        elif record.action != "update" and (old or new):
            parts.append(f"{what} ‘{old or new}’")
    return "; ".join(parts)


def newest_first(records: Sequence[Any]) -> list[Any]:
    return sorted(records, key=lambda r: (str(r.edited_at), int(r.audit_id or 0)), reverse=True)


class AuditDialog(QDialog):
    """A read-only table of audit records; the filter box keeps the rows of one feature id."""

    def __init__(self, title: str, records: Sequence[Any], parent: QWidget | None = None,
                 history: Callable[[int | None], Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditTrailDialog")
        self.setWindowTitle(tr("Audit trail: {0}").format(title))
        self.records = newest_first(records)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel(tr("&Feature id:"), self)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("auditFeatureFilter")
        self.filter_edit.setPlaceholderText(tr("all features"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(tr("Show only the changes to one opportunity area (its pack feature id)"))
        label.setBuddy(self.filter_edit)
        row.addWidget(label)
        row.addWidget(self.filter_edit, 1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("auditCountLabel")
        row.addWidget(self.count_label)
        layout.addLayout(row)
        columns = audit_columns()
        self._cells = [cell for _heading, cell in columns]
        self.table = QTableWidget(0, len(columns), self)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels([heading for heading, _cell in columns])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName(tr("Audit trail"))
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.history_button = None
        if history is not None:  # the selected area's states, shown on the map and restored (history_dialog)
            self.history_button = buttons.addButton(tr("&History of this area\u2026"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
            self.history_button.setObjectName("auditHistoryButton")
            self.history_button.setToolTip(tr("Every state of the selected area (or the feature id typed above): "
                                              "show one on the map or restore it"))
            self.history_button.clicked.connect(lambda: history(self.chosen_fid()))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.apply_filter()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 420)

    def shown_records(self) -> list[Any]:
        text = self.filter_edit.text().strip()
        if not text:
            return list(self.records)
        return [r for r in self.records if r.fid is not None and str(r.fid) == text]

    def chosen_fid(self) -> int | None:
        """The feature of the selected row, else the feature id typed in the filter."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            audit_id = self.table.item(rows[0].row(), 0).data(ROLE)
            record = next((r for r in self.records if r.audit_id == audit_id), None)
            if record is not None:
                return int(record.fid)
        text = self.filter_edit.text().strip()
        return int(text) if text.isdigit() else None

    def apply_filter(self, *_args: object) -> None:
        shown = self.shown_records()
        self.table.setRowCount(len(shown))
        for row, record in enumerate(shown):
            for col, cell in enumerate(self._cells):
                text = cell(record)
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text))
                item.setData(ROLE, record.audit_id)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.count_label.setText(tr("{0} of {1} changes").format(len(shown), len(self.records)))
