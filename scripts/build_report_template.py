"""Write resources/report_template.qpt: the A4 print layout of the PDF screening report.

Run with a Python that has PyQGIS (build/venv/bin/python). Items are found by id when the report
is filled in (plugin/gui/report_export.py); edit the layout in QGIS and save it as a template to
restyle the report, keeping the ids.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

ROOT = Path(__file__).resolve().parents[1]
MM = QgsUnitTypes.LayoutMillimeters


def _place(item, x: float, y: float, w: float, h: float) -> None:
    item.attemptMove(QgsLayoutPoint(x, y, MM))
    item.attemptResize(QgsLayoutSize(w, h, MM))


def label(layout, item_id: str, text: str, x: float, y: float, w: float, h: float, size: float = 9,
          bold: bool = False) -> QgsLayoutItemLabel:
    item = QgsLayoutItemLabel(layout)
    item.setId(item_id)
    item.setText(text)
    font = QFont("Sans Serif", 1)
    font.setPointSizeF(size)
    font.setBold(bold)
    item.setFont(font)
    item.setVAlign(Qt.AlignmentFlag.AlignTop)
    # left, not the label's default AlignJustify: QGIS 3.40 draws labels with QgsTextRenderer, which really
    # justifies wrapped lines (3.22 drew them ragged), spreading a sentence's words across the page
    item.setHAlign(Qt.AlignmentFlag.AlignLeft)
    item.setMargin(1.0)
    layout.addLayoutItem(item)
    _place(item, x, y, w, h)
    return item


#: The page's frame: the running header above TOP, the page number below BOTTOM (mm, A4 portrait).
TOP, BOTTOM = 12.0, 284.0


def _table(layout, item_id: str, y: float, h: float, columns) -> None:
    table = QgsLayoutItemManualTable.create(layout)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(item_id)
    _place(frame, 10, y, 190, h)
    table.addFrame(frame)
    table.setResizeMode(QgsLayoutMultiFrame.UseExistingFrames)  # report_export flows it over the pages
    table.setIncludeTableHeader(True)
    table.setHeaderMode(QgsLayoutTable.AllFrames)  # the header repeats on every page
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    table.setCellMargin(1.2)
    heads = []
    for heading, width in columns:
        column = QgsLayoutTableColumn(heading)
        column.setWidth(width)
        heads.append(column)
    table.setHeaders(heads)
    table.setColumnWidths([width for _h, width in columns])  # a manual table's widths (0 would mean "fit")
    content, header = QFont("Sans Serif", 1), QFont("Sans Serif", 1)
    content.setPointSizeF(7.5)
    header.setPointSizeF(7.5)
    header.setBold(True)
    table.setContentFont(content)
    table.setHeaderFont(header)


def build(layout: QgsPrintLayout) -> None:
    layout.initializeDefaults()  # one A4 page (landscape), turned to portrait
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Portrait)
    layout.setName("LNRS screening report")
    label(layout, "header", "LNRS screening report", 10, 4, 190, 5, 7)
    label(layout, "footer", "Page 1", 10, BOTTOM + 3, 190, 5, 7).setHAlign(Qt.AlignmentFlag.AlignRight)
    label(layout, "authority", "Local planning authority", 10, TOP, 190, 6, 10, True)
    label(layout, "title", "Local Nature Recovery Strategy screening", 10, TOP + 6, 190, 8, 15, True)
    label(layout, "site", "Site", 10, TOP + 15, 190, 17, 8.5)
    verdict = label(layout, "verdict", "Verdict", 10, TOP + 33, 190, 8, 12, True)
    verdict.setBackgroundEnabled(True)
    verdict.setBackgroundColor(QColor("#dddddd"))
    label(layout, "reasons", "Reasons", 10, TOP + 42, 190, 21, 8.5)

    top = TOP + 64  # the map block
    map_item = QgsLayoutItemMap(layout)
    map_item.setId("map")
    map_item.setFrameEnabled(True)
    layout.addLayoutItem(map_item)
    _place(map_item, 10, top, 125, 100)
    map_item.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    map_item.zoomToExtent(QgsRectangle(370000, 160000, 371250, 161000))  # keeps the item's size

    north = QgsLayoutItemPicture(layout)
    north.setId("north")
    north.setPicturePath(str(Path(QgsApplication.svgPaths()[0]) / "arrows" / "NorthArrow_02.svg"))
    north.setLinkedMap(map_item)
    north.setNorthMode(QgsLayoutItemPicture.GridNorth)
    north.setBackgroundEnabled(True)
    north.setBackgroundColor(QColor(255, 255, 255, 200))
    layout.addLayoutItem(north)
    _place(north, 124, top + 1.5, 9, 12)

    inset = QgsLayoutItemMap(layout)
    inset.setId("inset")
    inset.setFrameEnabled(True)
    layout.addLayoutItem(inset)
    _place(inset, 138, top, 62, 45)
    inset.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    inset.zoomToExtent(QgsRectangle(350000, 140000, 390000, 180000))
    label(layout, "inset_title", "Where the site is", 138, top + 45.5, 62, 4.5, 7)

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("Legend")
    legend.setLinkedMap(map_item)
    legend.setResizeToContents(False)
    legend.setSymbolWidth(6.0)
    legend.setSymbolHeight(3.5)
    legend.setWrapString("~")
    for style, size, bold in ((QgsLegendStyle.Title, 9, True), (QgsLegendStyle.Group, 8, True),
                              (QgsLegendStyle.Subgroup, 7.5, True), (QgsLegendStyle.SymbolLabel, 7, False)):
        font = QFont("Sans Serif", 1)
        font.setPointSizeF(size)
        font.setBold(bold)
        legend.setStyleFont(style, font)
    layout.addLayoutItem(legend)
    _place(legend, 138, top + 51, 62, 49)

    scalebar = QgsLayoutItemScaleBar(layout)
    scalebar.setId("scalebar")
    scalebar.setLinkedMap(map_item)
    scalebar.setStyle("Single Box")
    scalebar.setUnits(QgsUnitTypes.DistanceMeters)
    scalebar.setNumberOfSegments(2)
    scalebar.setNumberOfSegmentsLeft(0)
    scalebar.setUnitsPerSegment(50)
    scalebar.setUnitLabel("m")
    layout.addLayoutItem(scalebar)
    _place(scalebar, 10, top + 101, 70, 10)
    label(layout, "scale_text", "Scale 1:2,500 at A4", 82, top + 102, 53, 9, 8)
    checks = label(layout, "checks", "Checks", 138, top + 101, 62, 24, 7.5)
    checks.setFrameEnabled(True)

    label(layout, "findings_title", "Findings", 10, top + 127, 190, 6, 10, True)
    _table(layout, "findings_frame", top + 133, BOTTOM - top - 133, (
        ("Finding", 57.0), ("Relation", 27.0), ("Overlap (m²)", 18.0), ("Distance (m)", 17.0), ("Parts", 12.0),
        ("Officer's decision", 59.0)))
    _table(layout, "details_frame", TOP, 40, (("Section", 38.0), ("Details", 152.0)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", default=str(ROOT / "resources" / "report_template.qpt"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QgsApplication([], False)
    app.initQgis()
    layout = QgsPrintLayout(QgsProject.instance())
    build(layout)
    out = Path(args.output)
    tmp = out.with_suffix(".qpt.tmp")
    ok = layout.saveAsTemplate(str(tmp), QgsReadWriteContext())
    if not ok:
        raise SystemExit("could not write the template")
    os.replace(tmp, out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
