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


def build(layout: QgsPrintLayout) -> None:
    layout.initializeDefaults()  # one A4 page (landscape), turned to portrait
    layout.pageCollection().page(0).setPageSize("A4", QgsLayoutItemPage.Portrait)
    layout.setName("LNRS screening report")
    label(layout, "title", "LNRS screening report", 10, 8, 190, 9, 15, True)
    label(layout, "site", "Site", 10, 18, 190, 6, 10, True)
    verdict = label(layout, "verdict", "Verdict", 10, 25, 190, 8, 12, True)
    verdict.setBackgroundEnabled(True)
    verdict.setBackgroundColor(QColor("#dddddd"))
    label(layout, "reasons", "Reasons", 10, 34, 190, 16, 8.5)

    map_item = QgsLayoutItemMap(layout)
    map_item.setId("map")
    map_item.setFrameEnabled(True)
    layout.addLayoutItem(map_item)
    _place(map_item, 10, 51, 125, 95)
    map_item.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    map_item.setExtent(QgsRectangle(370000, 160000, 371250, 160950))

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("Legend")
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)
    legend.setResizeToContents(False)
    legend.setSymbolWidth(6.0)
    legend.setSymbolHeight(3.5)
    legend.setWrapString("~")
    for style, size, bold in ((QgsLegendStyle.Title, 10, True), (QgsLegendStyle.Group, 8, True),
                              (QgsLegendStyle.Subgroup, 7.5, True), (QgsLegendStyle.SymbolLabel, 7, False)):
        font = QFont("Sans Serif", 1)
        font.setPointSizeF(size)
        font.setBold(bold)
        legend.setStyleFont(style, font)
    layout.addLayoutItem(legend)
    _place(legend, 138, 51, 62, 95)

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
    _place(scalebar, 10, 147, 70, 10)

    label(layout, "checks", "Checks", 85, 147, 115, 12, 8.5)
    label(layout, "findings_title", "Findings", 10, 160, 190, 6, 10, True)

    table = QgsLayoutItemManualTable.create(layout)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId("findings_frame")
    _place(frame, 10, 166, 190, 50)
    table.addFrame(frame)
    table.setResizeMode(QgsLayoutMultiFrame.RepeatUntilFinished)
    table.setIncludeTableHeader(True)
    table.setWrapBehavior(QgsLayoutTable.WrapText)
    columns = []
    for heading, width in (("Finding", 62.0), ("Relation", 34.0), ("Overlap (m²)", 20.0), ("Distance (m)", 20.0),
                           ("Officer", 34.0)):
        column = QgsLayoutTableColumn(heading)
        column.setWidth(width)
        columns.append(column)
    table.setHeaders(columns)
    content, header = QFont("Sans Serif", 1), QFont("Sans Serif", 1)
    content.setPointSizeF(7.5)
    header.setPointSizeF(7.5)
    header.setBold(True)
    table.setContentFont(content)
    table.setHeaderFont(header)

    label(layout, "measures_title", "Measures mapped on the site", 10, 218, 190, 6, 10, True)
    label(layout, "measures", "Measures", 10, 224, 190, 44, 8)
    label(layout, "provenance", "Provenance", 10, 270, 190, 20, 7.5)


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
