"""The Parcels tab's two tables (issues, and parcel pieces with their significance), and the texts that describe
a run, an issue and a piece; the rows carry the index of their issue or piece (rows may be sorted)."""

from __future__ import annotations

from html import escape
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableWidget, QTableWidgetItem, QWidget

from ..adapters.defra_gpkg import RED_LINE
from ..adapters.parcel_layers import ParcelRun
from ..core.parcels import qa as parcel_qa
from ..core.parcels.qa import QaIssue
from .parcels_map import NOT_ASSESSED_COLOUR, SIGNIFICANCE_COLOURS
from .results_view import tip

#: Widest a column opens (the detail line below the tables shows the whole text).
MAX_COLUMN_PX = 220
#: Item data role holding the issue or piece index of a table row (rows may be sorted).
INDEX_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
translate = QCoreApplication.translate  # context "ParcelsPanel": these texts are the tab's (as before the split)


class SortableItem(QTableWidgetItem):
    """A read-only cell that sorts by its SORT_ROLE value (numbers as numbers)."""

    def __init__(self, text: str, sort_key: Any = None) -> None:
        super().__init__(text)
        self.setData(SORT_ROLE, text.lower() if sort_key is None else sort_key)
        self.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
        if text:
            self.setToolTip(tip(text))

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        try:
            return bool(mine < theirs)
        except TypeError:
            return str(mine) < str(theirs)


def results_table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # engine order until clicked
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    table.setMinimumHeight(70)
    return table


def issue_labels() -> dict[str, str]:
    return {
        parcel_qa.NO_GEOMETRY: translate("ParcelsPanel", "No geometry"),
        parcel_qa.INVALID: translate("ParcelsPanel", "Invalid geometry"),
        parcel_qa.SELF_INTERSECTION: translate("ParcelsPanel", "Self-intersection"),
        parcel_qa.OVERLAP: translate("ParcelsPanel", "Overlap"),
        parcel_qa.GAP: translate("ParcelsPanel", "Gap in red line"),
        parcel_qa.OUTSIDE: translate("ParcelsPanel", "Outside red line"),
        parcel_qa.SLIVER: translate("ParcelsPanel", "Sliver"),
        parcel_qa.MISSING_HABITAT: translate("ParcelsPanel", "Missing habitat"),
        parcel_qa.UNKNOWN_HABITAT: translate("ParcelsPanel", "Unknown habitat"),
        parcel_qa.MISSING_CONDITION: translate("ParcelsPanel", "Missing condition"),
        parcel_qa.AREA_MISMATCH: translate("ParcelsPanel", "Area mismatch"),
    }


def fill_issues(table: QTableWidget, issues: tuple[QaIssue, ...] | list[QaIssue]) -> None:
    labels = issue_labels()
    table.setSortingEnabled(False)
    table.setRowCount(len(issues))
    for row, issue in enumerate(issues):
        cells = [SortableItem(labels.get(issue.kind, issue.kind)), SortableItem(issue.parcel_ref),
                 SortableItem(issue.message), SortableItem(issue.fix_hint)]
        cells[0].setData(INDEX_ROLE, row)
        for col, item in enumerate(cells):
            table.setItem(row, col, item)
    table.setSortingEnabled(True)


def fill_pieces(table: QTableWidget, run: ParcelRun) -> None:
    result = run.result
    table.setSortingEnabled(False)
    table.setRowCount(len(result.pieces))
    for row, piece in enumerate(result.pieces):
        parcel = run.parcels[piece.parent]
        habitat = piece.habitat_label or ("" if parcel.habitat is None else str(parcel.habitat))
        ha = piece.area_m2 / 10000.0
        category = piece.category or ""
        cells = [
            SortableItem(piece.ref), SortableItem(category or translate("ParcelsPanel", "not assessed"), category),
            SortableItem(habitat),
            SortableItem(f"{ha:,.4f}", ha),
            SortableItem("" if piece.multiplier is None else f"{piece.multiplier:g}", piece.multiplier or 0.0),
            SortableItem(piece.metric_text or ""), SortableItem(", ".join(piece.measure_codes)),
            SortableItem(translate("ParcelsPanel", "Yes") if piece.irreplaceable else "", int(piece.irreplaceable)),
            SortableItem(run.parent_ref(piece) if run.was_split(piece) else ""),
        ]
        cells[0].setData(INDEX_ROLE, row)
        cells[3].setToolTip(translate("ParcelsPanel", "{0} m²").format(f"{piece.area_m2:,.2f}"))
        cells[3].setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
        cells[4].setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
        colour = QColor(SIGNIFICANCE_COLOURS.get(category, NOT_ASSESSED_COLOUR))
        colour.setAlpha(110)
        cells[1].setBackground(colour)
        if piece.irreplaceable:
            cells[7].setToolTip(tip(piece.irreplaceable_text))
            cells[7].setForeground(QColor("#b71c1c"))
            font = QFont(cells[7].font())
            font.setBold(True)
            cells[7].setFont(font)
        for col, item in enumerate(cells):
            table.setItem(row, col, item)
    table.setSortingEnabled(True)


def fit_columns(table: QTableWidget) -> None:
    table.resizeColumnsToContents()
    for col in range(table.columnCount()):
        table.setColumnWidth(col, min(table.columnWidth(col), MAX_COLUMN_PX))


def row_index(table: QTableWidget, row: int) -> int | None:
    """The issue or piece index a (possibly sorted) row shows."""
    item = table.item(row, 0)
    if item is None:
        return None
    value = item.data(INDEX_ROLE)
    return int(value) if value is not None else None


# ---------------------------------------------------------------------- texts
def summary_html(run: ParcelRun) -> str:
    result = run.result
    counts = {name: sum(1 for p in result.pieces if p.category == name) for name in SIGNIFICANCE_COLOURS}
    irreplaceable = sum(1 for p in result.pieces if p.irreplaceable)
    parts = [translate("ParcelsPanel", "<b>Parcels: {0}</b> \u2192 pieces: {1} (parcels split: {2})").format(
        len(run.parcels), len(result.pieces), run.split_parcels)]
    parts.append(" \u00b7 ".join(f"{escape(name)}: {n}" for name, n in counts.items()))
    if irreplaceable:
        parts.append(translate("ParcelsPanel", "<b>on irreplaceable habitat: {0}</b>").format(irreplaceable))
    parts.append(translate("ParcelsPanel", "<b>issues: {0}</b>").format(len(result.issues)))
    red = run.request.red_line
    red_text = translate("ParcelsPanel", "none") if red is None else (
        translate("ParcelsPanel", "the GeoPackage's {0}").format(RED_LINE) if run.request.red_line_from_gpkg
        else red.name)
    where = translate("ParcelsPanel", "{0} \u00b7 {1} \u00b7 field '{2}' \u00b7 red line: {3}").format(
        run.request.parcels.name, run.request.phase, run.request.habitat_field, red_text)
    return " \u00b7 ".join(parts) + "<br><small>" + escape(where) + "</small>"


def issue_html(issue: QaIssue) -> str:
    kind = issue_labels().get(issue.kind, issue.kind)
    return translate("ParcelsPanel", "<b>{0}</b> {1}<br><i>Fix:</i> {2}").format(escape(kind), escape(issue.message),
                                                          escape(issue.fix_hint))


def piece_html(run: ParcelRun, k: int) -> str:
    piece = run.result.pieces[k]
    lines = [translate("ParcelsPanel", "<b>{0}</b>: {1} \u00b7 {2} ha").format(
        escape(piece.ref), escape(piece.habitat_label or str(run.parcels[piece.parent].habitat or "")),
        f"{piece.area_m2 / 10000.0:,.4f}")]
    if piece.category:
        lines.append(translate("ParcelsPanel", "{0} ({1}): {2}").format(escape(piece.category), f"{piece.multiplier:g}",
                                                  escape(piece.metric_text or "")))
    else:
        lines.append(translate("ParcelsPanel", "Strategic significance not assessed: the pack has no opportunity "
                                               "areas."))
    if piece.measure_codes:
        lines.append(translate("ParcelsPanel", "Measures: {0}").format(escape(", ".join(piece.measure_codes))))
    if piece.lpa:
        lines.append(translate("ParcelsPanel", "Local planning authority: {0}").format(escape(piece.lpa)))
    if run.was_split(piece):
        lines.append(translate("ParcelsPanel", "Split from {0}").format(escape(run.parent_ref(piece))))
    if piece.irreplaceable:
        lines.append("<b>" + escape(piece.irreplaceable_text) + "</b>")
    return "<br>".join(lines)
