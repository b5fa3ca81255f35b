"""The Parcels tab's two tables (issues; features of every module with their significance) and the texts that
describe a run, an issue and a feature piece; the rows carry the index of their issue or piece (rows may be sorted)."""

from __future__ import annotations

from html import escape
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QColor, QFont
from qgis.PyQt.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableWidget, QTableWidgetItem, QWidget

from ..adapters.defra_file import DefraRun
from ..core.metric.module_types import AREA, HEDGEROW, LINEAR_TYPES, TREE, WATERCOURSE
from ..core.parcels.qa import QaIssue
from ..core.parcels.qa_rules import ERROR
from ..core.parcels.templates import TEMPLATE_TITLES
from .parcels_map import NOT_ASSESSED_COLOUR, SIGNIFICANCE_COLOURS
from .results_view import tip

#: Widest a column opens (the detail line below the tables shows the whole text).
MAX_COLUMN_PX = 220
#: Item data role holding the issue or piece index of a table row (rows may be sorted).
INDEX_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITY_COLOURS = {ERROR: "#c62828", "warning": "#f9a825"}
translate = QCoreApplication.translate  # context "ParcelsPanel": these texts are the tab's


def module_names() -> dict[str, str]:
    return {AREA: translate("ParcelsPanel", "Area habitat"), HEDGEROW: translate("ParcelsPanel", "Hedgerow"),
            WATERCOURSE: translate("ParcelsPanel", "Watercourse"), TREE: translate("ParcelsPanel", "Tree")}


def severity_names() -> dict[str, str]:
    return {ERROR: translate("ParcelsPanel", "error"), "warning": translate("ParcelsPanel", "warning")}


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
    table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 3 + table.horizontalHeader().height() + 6)
    return table


def issue_headers() -> list[str]:
    return [translate("ParcelsPanel", "Severity"), translate("ParcelsPanel", "Code"),
            translate("ParcelsPanel", "Layer"), translate("ParcelsPanel", "Ref"),
            translate("ParcelsPanel", "Message"), translate("ParcelsPanel", "Fix")]


def piece_headers() -> list[str]:
    return [translate("ParcelsPanel", "Ref"), translate("ParcelsPanel", "Module"),
            translate("ParcelsPanel", "Significance"), translate("ParcelsPanel", "Area (ha)"),
            translate("ParcelsPanel", "Length (km)"), translate("ParcelsPanel", "Multiplier"),
            translate("ParcelsPanel", "Habitat"), translate("ParcelsPanel", "Metric wording"),
            translate("ParcelsPanel", "Measures"), translate("ParcelsPanel", "Irreplaceable"),
            translate("ParcelsPanel", "Split from"), translate("ParcelsPanel", "Layer")]


def _bold(item: QTableWidgetItem, colour: str) -> None:
    item.setForeground(QColor(colour))
    font = QFont(item.font())
    font.setBold(True)
    item.setFont(font)


def fill_issues(table: QTableWidget, issues: tuple[QaIssue, ...] | list[QaIssue]) -> None:
    names = severity_names()
    table.setSortingEnabled(False)
    table.setRowCount(len(issues))
    for row, issue in enumerate(issues):
        cells = [SortableItem(names.get(issue.severity, issue.severity), (issue.severity != ERROR, row)),
                 SortableItem(issue.code), SortableItem(issue.layer), SortableItem(issue.ref),
                 SortableItem(issue.message), SortableItem(issue.fix)]
        cells[0].setData(INDEX_ROLE, row)
        _bold(cells[0], SEVERITY_COLOURS.get(issue.severity, "#000000"))
        for col, item in enumerate(cells):
            table.setItem(row, col, item)
    table.setSortingEnabled(True)


def _number(value: float | None, digits: int) -> SortableItem:
    item = SortableItem("" if value is None else f"{value:,.{digits}f}", -1.0 if value is None else value)
    item.setTextAlignment(int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter))
    return item


def fill_pieces(table: QTableWidget, run: DefraRun) -> None:
    result = run.result
    modules = module_names()
    table.setSortingEnabled(False)
    table.setRowCount(len(result.pieces))
    for row, piece in enumerate(result.pieces):
        parcel = run.parcels[piece.parent]
        habitat = piece.habitat_label or ("" if parcel.habitat is None else str(parcel.habitat))
        category = piece.category or ""
        cells = [
            SortableItem(piece.ref), SortableItem(modules.get(piece.module, piece.module)),
            SortableItem(category or translate("ParcelsPanel", "not assessed"), category),
            _number(piece.area_ha if piece.module == AREA else None, 4),
            _number(piece.length_km if piece.module in LINEAR_TYPES else None, 4),
            _number(piece.multiplier, 2), SortableItem(habitat),
            SortableItem(piece.metric_text or ""), SortableItem(", ".join(piece.measure_codes)),
            SortableItem(translate("ParcelsPanel", "Yes") if piece.irreplaceable else "", int(piece.irreplaceable)),
            SortableItem(run.parent_ref(piece) if run.was_split(piece) else ""), SortableItem(piece.layer),
        ]
        cells[0].setData(INDEX_ROLE, row)
        colour = QColor(SIGNIFICANCE_COLOURS.get(category, NOT_ASSESSED_COLOUR))
        colour.setAlpha(110)
        cells[2].setBackground(colour)
        if piece.irreplaceable:
            cells[9].setToolTip(tip(piece.irreplaceable_text))
            _bold(cells[9], "#b71c1c")
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
def summary_html(run: DefraRun) -> str:
    """Template, features per module (with their total area / length), categories, errors and warnings."""
    result = run.result
    names = module_names()
    parts = []
    for module, (n, pieces, size) in run.modules().items():
        unit = {AREA: " ha", HEDGEROW: " km", WATERCOURSE: " km"}.get(module)
        measure = f", {size:,.4f}{unit}" if unit else ""
        parts.append(translate("ParcelsPanel", "{0}: {1} ({2} pieces{3})").format(
            escape(names.get(module, module)), n, pieces, measure))
    counts = {name: sum(1 for p in result.pieces if p.category == name) for name in SIGNIFICANCE_COLOURS}
    errors = len(result.errors)
    verdict = translate("ParcelsPanel", "<b style='color:#c62828'>errors: {0}</b> (Defra's service would refuse "
                                        "the file)").format(errors) if errors else \
        translate("ParcelsPanel", "<b>errors: 0</b>")
    lines = [translate("ParcelsPanel", "<b>{0}</b> \u00b7 {1} ({2}) \u00b7 {3} \u00b7 warnings: {4}").format(
        escape(source_title(run)), escape(run.file.name),
        escape(run.file.phase), verdict, len(result.issues) - errors),
        " \u00b7 ".join(parts),
        " \u00b7 ".join(f"{escape(name)}: {n}" for name, n in counts.items())
        + translate("ParcelsPanel", " \u00b7 features split: {0}").format(run.split_features)]
    irreplaceable = sum(1 for p in result.pieces if p.irreplaceable)
    if irreplaceable:
        lines[-1] += translate("ParcelsPanel", " \u00b7 <b>on irreplaceable habitat: {0}</b>").format(irreplaceable)
    return "<br>".join(lines)


def source_title(run: DefraRun) -> str:
    """The GeoPackage's template, or where project layers are saved."""
    if run.file.path is None:
        return translate("ParcelsPanel", "Layers in this project (saved in the {0})").format(
            TEMPLATE_TITLES.get(run.file.template, run.file.template))
    return TEMPLATE_TITLES.get(run.file.template, run.file.template)


def issue_html(issue: QaIssue) -> str:
    severity = severity_names().get(issue.severity, issue.severity)
    where = " \u00b7 ".join(escape(x) for x in (issue.layer, issue.ref) if x)
    return translate("ParcelsPanel", "<b>{0}</b> ({1}) {2}<br>{3}<br><i>Fix:</i> {4}").format(
        escape(issue.code), escape(severity), where, escape(issue.message), escape(issue.fix))


def piece_html(run: DefraRun, k: int) -> str:
    piece = run.result.pieces[k]
    module = piece.module
    size = f"{piece.area_ha:,.4f} ha" if module == AREA else \
        f"{piece.length_km:,.4f} km" if module in LINEAR_TYPES else module_names().get(TREE, TREE)
    lines = [translate("ParcelsPanel", "<b>{0}</b> ({1}): {2} \u00b7 {3}").format(
        escape(piece.ref), escape(piece.layer),
        escape(piece.habitat_label or str(run.parcels[piece.parent].habitat or "")), escape(size))]
    if piece.category:
        lines.append(translate("ParcelsPanel", "{0} ({1}): {2}").format(
            escape(piece.category), f"{piece.multiplier:g}", escape(piece.metric_text or "")))
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
