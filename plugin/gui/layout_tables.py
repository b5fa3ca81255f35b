"""Tables in a print layout that flow over as many pages as they need (a manual table's frames laid one page after
another, the last one as short as its rows), and the running header and page numbers of every page."""

from __future__ import annotations

from collections.abc import Sequence

from qgis.core import (
    Qgis,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemManualTable,
    QgsLayoutItemPage,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsLayoutUtils,
    QgsPrintLayout,
    QgsTableCell,
    QgsTextFormat,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from ..core.reports.report_content import TableRow

MM = Qgis.LayoutUnit.Millimeters
#: The page's frame (mm, A4 portrait): tables flow between TOP and BOTTOM, at LEFT, WIDTH wide.
TOP, BOTTOM, LEFT, WIDTH = 12.0, 284.0, 10.0, 190.0



#: A label evaluates ``[% ... %]`` as a QGIS expression; this fixed expression prints "[%" itself.
_LITERAL_OPENING = "[% '[' || '%' %]"


def literal_label_text(text: str) -> str:
    """``text`` as a label prints it, character for character: no ``[% %]`` from the user or the pack runs.

    A label replaces each ``[% expression %]`` with its value in one pass over the text; every ``[%`` is turned
    into an expression whose value is ``[%``, so nothing the text holds is ever evaluated.
    """
    return text.replace("[%", _LITERAL_OPENING)


def set_literal(item: QgsLayoutItemLabel, text: str) -> None:
    item.setMode(QgsLayoutItemLabel.Mode.ModeFont)  # plain text, never HTML
    item.setText(literal_label_text(text))


def tr(text: str) -> str:
    return str(QCoreApplication.translate("ReportExport", text))


def _label(layout: QgsPrintLayout, item_id: str) -> QgsLayoutItemLabel | None:
    item = layout.itemById(item_id)
    return item if isinstance(item, QgsLayoutItemLabel) else None


def _page_count(layout: QgsPrintLayout) -> int:
    return int(layout.pageCollection().pageCount())


def _ensure_page(layout: QgsPrintLayout, page: int) -> None:
    while _page_count(layout) <= page:
        new = QgsLayoutItemPage(layout)
        new.setPageSize("A4", QgsLayoutItemPage.Orientation.Portrait)
        layout.pageCollection().addPage(new)


def flow_table(layout: QgsPrintLayout, frame: QgsLayoutFrame, page: int, y: float) -> tuple[int, float]:
    """Lay ``frame``'s table from ``y`` on ``page`` down, then page after page, until every row is shown; returns
    the page and the height where the table ends."""
    table = frame.multiFrame()
    for extra in list(table.frames())[1:]:
        table.removeFrame(table.frames().index(extra), True)
    rows = len(table.tableContents())
    context = QgsLayoutUtils.createRenderContextForLayout(layout, None)
    index = 0
    while True:
        _ensure_page(layout, page)
        frame.attemptMove(QgsLayoutPoint(LEFT, y, MM), True, False, page)
        frame.attemptResize(QgsLayoutSize(WIDTH, BOTTOM - y, MM))
        table.recalculateFrameSizes()
        start, end = table.rowRange(context, index)
        if end >= rows or (end == start and y <= TOP):  # done (or a row taller than a page: never loop)
            break
        page, y = page + 1, TOP
        frame = QgsLayoutFrame(layout, table)
        layout.addLayoutItem(frame)
        table.addFrame(frame)
        index += 1
    low, high = 4.0, BOTTOM - y  # the last frame as short as its rows
    while high - low > 0.5:
        mid = (low + high) / 2
        frame.attemptResize(QgsLayoutSize(WIDTH, mid, MM))
        table.recalculateFrameSizes()
        if table.rowRange(context, index)[1] >= rows:
            high = mid
        else:
            low = mid
    frame.attemptResize(QgsLayoutSize(WIDTH, high, MM))
    table.recalculateFrameSizes()
    return page, y + high


def table_frame(layout: QgsPrintLayout, item_id: str) -> QgsLayoutFrame | None:
    frame = layout.itemById(item_id)
    ok = isinstance(frame, QgsLayoutFrame) and isinstance(frame.multiFrame(), QgsLayoutItemManualTable)
    return frame if ok else None


def _with_font(base: QgsTextFormat, bold: bool = False, struck: bool = False, smaller: bool = False
               ) -> QgsTextFormat:
    text_format = QgsTextFormat(base)
    font = text_format.font()
    font.setBold(bold)
    font.setStrikeOut(struck)
    text_format.setFont(font)
    if smaller:
        text_format.setSize(base.size() * 0.9)
    if struck:
        text_format.setColor(QColor("#666666"))
    return text_format


def fill_table(frame: QgsLayoutFrame, headings: Sequence[str], widths: Sequence[float],
               rows: Sequence[TableRow]) -> None:
    """The table's headings, column widths (mm: the text wraps inside them) and rows: a named site of several parts
    in bold, its parts smaller below it, a note across the whole table; a struck row's cells are struck through but
    its last (the officer's reason)."""
    table = frame.multiFrame()
    columns = list(table.headers())
    if len(columns) != len(headings):
        columns = [QgsLayoutTableColumn() for _ in headings]
    for column, heading, width in zip(columns, headings, widths):
        column.setHeading(heading)
        column.setWidth(width)
    table.setHeaders(columns)
    table.setColumnWidths(list(widths))
    base = table.contentTextFormat()
    contents = []
    for row in rows:
        texts = list(row.cells) + [""] * (len(headings) - len(row.cells))
        cells = [QgsTableCell(text) for text in texts]
        group, part = row.style == "group", row.style == "part"
        for i, cell in enumerate(cells):
            struck = row.struck and i < len(cells) - 1  # the officer's reason is never struck through
            if struck or group or part:
                cell.setTextFormat(_with_font(base, bold=group and i < len(cells) - 1, struck=struck, smaller=part))
        if row.style == "note":
            cells[0].setSpan(1, len(headings))
        contents.append(cells)
    table.setTableContents(contents)


def running_labels(layout: QgsPrintLayout, site_ref: str) -> None:
    """The running header (the site reference) and "Page i of n" on every page."""
    header, footer = _label(layout, "header"), _label(layout, "footer")
    pages = _page_count(layout)
    for page in range(pages):
        for template, text, y in ((header, tr("LNRS screening report \u2013 site {0}").format(site_ref), 4.0),
                                  (footer, tr("Page {0} of {1}").format(page + 1, pages), BOTTOM + 3)):
            if template is None:
                continue
            item = template
            if page > 0:
                item = QgsLayoutItemLabel(layout)
                item.setTextFormat(template.textFormat())
                item.setHAlign(template.hAlign())
                layout.addLayoutItem(item)
                item.attemptResize(QgsLayoutSize(WIDTH, 5, MM))
            item.attemptMove(QgsLayoutPoint(LEFT, y, MM), True, False, page)
            set_literal(item, text)
