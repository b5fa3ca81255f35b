"""The PDF report: resources/report_template.qpt filled in for each site and exported atomically as one PDF.

Items are found by id (see scripts/build_report_template.py): header, footer, authority, title, site, verdict,
reasons, map, north, inset, legend, scalebar, scale_text, checks, findings_title, findings_frame (the findings, a
manual table) and details_frame (significance, measures, notes, overrides, data and provenance: a manual table).
Both tables flow over as many pages as they need, their header repeated on each; every page gets the running
header (the site reference) and its page number. Labels are plain text, so names from the pack are never
interpreted as markup. The words come from :mod:`..core.reports.report_content`, shared with the HTML report.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsAbstractLayoutIterator,
    QgsFeature,
    QgsFillSymbol,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtXml import QDomDocument

from ..__about__ import PLUGIN_ROOT
from ..adapters.qgis_geometry import to_qgs
from ..core.errors import LnrsError
from ..core.reports.html_report import VERDICT_COLOURS, MapImage
from ..core.reports.output_guard import refuse_overwriting_a_database
from ..core.reports.report_content import (
    ReportFacts,
    SiteFacts,
    TableRow,
    detail_rows,
    finding_rows,
    marked_reasons,
    site_lines,
    verdict_words,
)
from ..core.reports.text_report import CHECK_WORDS, MEASURE_WORDS
from ..core.screening.overrides import Override
from ..core.screening.results import NOT_CHECKED, ScreeningResult, SiteError
from ..log import log_error
from .layout_tables import (
    BOTTOM,
    TOP,
    fill_table,
    flow_table,
    running_labels,
    set_literal,
    table_frame,
)
from .map_highlight import pack_crs

TEMPLATE = PLUGIN_ROOT / "resources" / "report_template.qpt"
MM = Qgis.LayoutUnit.Millimeters
#: The space between the findings and the details table (mm).
GAP = 5.0
#: The map's scales: the smallest that shows the site and its findings.
NICE_SCALES = (500, 1000, 1250, 2500, 5000, 10000, 12500, 25000, 50000, 100000, 250000, 500000, 1000000)
GREY = "#616161"
#: The size (mm) of the template's map item ("map"): the HTML report's map shows the same ground at the same scale.
MAP_MM = (125.0, 100.0)
#: The HTML report's map image, pixels across.
MAP_PIXELS_WIDE = 900
#: Column widths (mm) of the findings and the details tables (about 3 mm of cell margins per column come on top:
#: both fill 190 mm).
FINDING_WIDTHS = (53.0, 24.0, 16.0, 16.0, 10.0, 53.0)
DETAIL_WIDTHS = (35.0, 149.0)


def tr(text: str) -> str:
    return str(QCoreApplication.translate("ReportExport", text))


def load_layout(project: QgsProject, template: Path = TEMPLATE) -> QgsPrintLayout:
    """A print layout made from the template; raises OSError/ValueError when it cannot be read."""
    with open(template, encoding="utf-8") as fh:
        text = fh.read()
    doc = QDomDocument()
    if not doc.setContent(text):
        raise ValueError(f"{template} is not a valid print layout template")
    layout = QgsPrintLayout(project)
    _items, ok = layout.loadFromTemplate(doc, QgsReadWriteContext())
    if not ok:
        raise ValueError(f"{template} could not be loaded as a print layout")
    return layout


def _label(layout: QgsPrintLayout, item_id: str) -> QgsLayoutItemLabel | None:
    item = layout.itemById(item_id)
    return item if isinstance(item, QgsLayoutItemLabel) else None


def _set(layout: QgsPrintLayout, item_id: str, text: str) -> None:
    item = _label(layout, item_id)
    if item is not None:
        set_literal(item, text)


def _memory_layer(name: str, geometries: Sequence[Any], style: dict[str, str]) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"MultiPolygon?crs={pack_crs().authid()}", name, "memory")
    feats = []
    for g in geometries:
        if g is None or g.is_empty:
            continue
        feat = QgsFeature()
        feat.setGeometry(to_qgs(g.buffer(3.0) if g.geom_type in ("Point", "MultiPoint") else g))
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    layer.renderer().setSymbol(QgsFillSymbol.createSimple(style))
    return layer


def site_layer(geometry: Any) -> QgsVectorLayer:
    return _memory_layer(tr("Site"), [geometry], {"color": "200,0,200,40", "outline_color": "200,0,200,255",
                                                  "outline_width": "0.8"})


def findings_layer(geometries: Sequence[Any]) -> QgsVectorLayer:
    """The pack features behind the findings, outlined (trees drawn as small circles)."""
    return _memory_layer(tr("Findings (habitats and designated sites)"), geometries, {
        "color": "255,140,0,30", "outline_color": "230,110,0,255", "outline_width": "0.6", "outline_style": "dash"})


def site_map_png(site_geometry: Any, finding_geometries: Sequence[Any], layers: Sequence[Any]) -> MapImage:
    """The report's map as an image (the HTML report embeds it): the site and its findings over ``layers``, over the
    ground the PDF's map shows, at the scale the PDF states (its map item is :data:`MAP_MM` on A4)."""
    from .report_inputs import map_png

    found = [g for g in finding_geometries if g is not None]
    drawn = [site_layer(site_geometry), *([findings_layer(found)] if found else []), *layers]
    x0, y0, x1, y1 = _map_frame(site_geometry, found)
    scale = nice_scale(x1 - x0, y1 - y0, *MAP_MM)
    w, h = scale * MAP_MM[0] / 1000.0, scale * MAP_MM[1] / 1000.0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    pixels = (MAP_PIXELS_WIDE, round(MAP_PIXELS_WIDE * MAP_MM[1] / MAP_MM[0]))
    png = map_png(drawn, (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), pixels)
    return MapImage(png, scale, w, MAP_MM[0])


def nice_scale(width_m: float, height_m: float, map_w_mm: float, map_h_mm: float) -> int:
    """The smallest scale of :data:`NICE_SCALES` at which ``width_m`` x ``height_m`` fits the map item."""
    need = max(width_m / (map_w_mm / 1000.0), height_m / (map_h_mm / 1000.0), 1.0)
    return next((s for s in NICE_SCALES if s >= need), NICE_SCALES[-1])


def _map_frame(site: Any, findings: Sequence[Any]) -> tuple[float, float, float, float]:
    """The bounds the map must show: the site and its findings, with a margin."""
    shapes = [g for g in (site, *findings) if g is not None and not g.is_empty]
    xs0, ys0, xs1, ys1 = zip(*(g.bounds for g in shapes))
    x0, y0, x1, y1 = min(xs0), min(ys0), max(xs1), max(ys1)
    pad = max(x1 - x0, y1 - y0, 150.0) * 0.08
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


# ---------------------------------------------------------------------------------------------------- one site
@dataclass(frozen=True)
class ReportSite:
    """One site's report: its result, its overrides, where it is and the geometries to draw (EPSG:27700)."""

    result: ScreeningResult | SiteError
    overrides: tuple[Override, ...] = ()
    site_geometry: Any = None
    finding_geometries: tuple[Any, ...] = ()
    site: SiteFacts = field(default_factory=SiteFacts)
    for_review: tuple[Override, ...] = ()  # overrides made against other pack content (listed, not applied)


def _fill_head(layout: QgsPrintLayout, site: ReportSite, facts: ReportFacts) -> None:
    result = site.result
    _set(layout, "authority", facts.authority or tr("Local planning authority not named in the habitat map"))
    _set(layout, "site", "\n".join(site_lines(result, facts, site.site)))
    verdict = _label(layout, "verdict")
    screened = isinstance(result, ScreeningResult) and result.verdict != "not_screened"
    if verdict is not None:
        set_literal(verdict, tr("Verdict: {0}").format(verdict_words(result)))
        colour = VERDICT_COLOURS.get(result.verdict, GREY) if isinstance(result, ScreeningResult) else GREY
        verdict.setBackgroundEnabled(True)
        verdict.setBackgroundColor(QColor(colour))
        text_format = verdict.textFormat()
        text_format.setColor(QColor("black" if colour == VERDICT_COLOURS.get("amber") and screened else "white"))
        verdict.setTextFormat(text_format)
    if isinstance(result, SiteError):
        _set(layout, "reasons", result.message)
        _set(layout, "checks", tr("Not screened: no check was made."))
        return
    _set(layout, "reasons", "\n".join(_reasons_that_fit(marked_reasons(result, site.overrides))))
    _set(layout, "checks", "\n".join([
        tr("Irreplaceable habitats: {0}").format(CHECK_WORDS.get(result.checks.irreplaceable, "")),
        tr("Designated sites: {0}").format(CHECK_WORDS.get(result.checks.designated, "")),
        tr("LNRS measures on the site: {0}").format(MEASURE_WORDS.get(result.checks.opportunity, "")),
        tr("Priority habitats: {0}").format(CHECK_WORDS.get(result.checks.priority_habitats, "")),
        tr("Search distance: {0} m").format(f"{result.search_distance_m:,.0f}")]))


#: The reasons box: lines of text it holds, and characters on a line (8.5 pt over 190 mm).
REASON_LINES, REASON_LINE_CHARS = 5, 118


def _reasons_that_fit(reasons: Sequence[str]) -> list[str]:
    """As many whole reasons as the box holds (never a cut sentence), then how many more the findings table has."""
    def lines(text: str) -> int:
        return -(-len(text) // REASON_LINE_CHARS)

    shown: list[str] = []
    for i, reason in enumerate(reasons):
        rest = len(reasons) - i - 1
        budget = REASON_LINES - (1 if rest else 0)
        if sum(lines(t) for t in shown) + lines(f"\u2022 {reason}") > budget:
            break
        shown.append(f"\u2022 {reason}")
    if len(shown) < len(reasons):
        shown.append(tr("\u2022 \u2026and {0} more (see the findings below)").format(len(reasons) - len(shown)))
    return shown


def _fill_maps(layout: QgsPrintLayout, site: ReportSite, layers: Sequence[Any], locator: Any) -> list[Any]:
    keep: list[Any] = []
    map_item = layout.itemById("map")
    if not isinstance(map_item, QgsLayoutItemMap):
        return keep
    outline = site_layer(site.site_geometry)
    keep.append(outline)
    map_layers: list[Any] = [outline]
    found = [g for g in site.finding_geometries if g is not None]
    if found:
        keep.append(findings_layer(found))
        map_layers.append(keep[-1])
    map_layers += [lyr for lyr in layers if lyr is not None]
    map_item.setCrs(pack_crs())
    map_item.setLayers(map_layers)
    map_item.setKeepLayerSet(True)
    if site.site_geometry is not None:
        x0, y0, x1, y1 = _map_frame(site.site_geometry, found)
        rect = map_item.rect()
        map_item.zoomToExtent(QgsRectangle(x0, y0, x1, y1))  # (setExtent would reshape the item)
        map_item.setScale(nice_scale(x1 - x0, y1 - y0, rect.width(), rect.height()))
        _set(layout, "scale_text", tr("Scale 1:{0} on A4").format(f"{map_item.scale():,.0f}"))
    else:
        _set(layout, "scale_text", "")
    inset = layout.itemById("inset")
    if isinstance(inset, QgsLayoutItemMap) and site.site_geometry is not None:
        area = _memory_layer(tr("Strategy area"), [locator] if locator is not None else [],
                             {"color": "230,240,230,255", "outline_color": "80,110,80,255", "outline_width": "0.3"})
        dot = _memory_layer(tr("Site"), [site.site_geometry.centroid.buffer(1.0)],
                            {"color": "200,0,200,255", "outline_color": "200,0,200,255", "outline_width": "1.2"})
        keep += [area, dot]
        inset.setCrs(pack_crs())
        inset.setLayers([dot, area])
        inset.setKeepLayerSet(True)
        c = site.site_geometry.centroid
        bounds = locator.bounds if locator is not None and not locator.is_empty else (
            c.x - 10000, c.y - 10000, c.x + 10000, c.y + 10000)
        x0, y0 = min(bounds[0], c.x - 2000), min(bounds[1], c.y - 2000)
        x1, y1 = max(bounds[2], c.x + 2000), max(bounds[3], c.y + 2000)
        inset.zoomToExtent(QgsRectangle(x0, y0, x1, y1).buffered(max(x1 - x0, y1 - y0) * 0.04))
        inset.overview().setLinkedMap(map_item)
    legend = layout.itemById("legend")
    if isinstance(legend, QgsLayoutItemLegend):
        legend.setAutoUpdateModel(False)
        root = legend.model().rootGroup()
        root.removeAllChildren()
        for lyr in map_layers:
            root.addLayer(lyr)
    scalebar = layout.itemById("scalebar")
    if isinstance(scalebar, QgsLayoutItemScaleBar):
        scalebar.applyDefaultSize(Qgis.DistanceUnit.Meters)
    return keep


def _finding_table_rows(result: ScreeningResult | SiteError, overrides: Sequence[Override]) -> list[TableRow]:
    if isinstance(result, SiteError) or result.verdict == "not_screened":
        why = result.message if isinstance(result, SiteError) else " ".join(result.reasons)
        return [TableRow((tr("Not screened: {0}").format(why),), style="note")]
    rows = finding_rows(result, overrides)
    if rows:
        return rows
    if NOT_CHECKED in (result.checks.irreplaceable, result.checks.designated):
        text = tr("Not every layer could be checked (see the checks and the notes); none of the layers checked has "
                  "a feature within {0} m.")
    else:
        text = tr("No irreplaceable habitat or designated site within {0} m of the site.")
    return [TableRow((text.format(f"{result.search_distance_m:,.0f}"),), style="note")]


def fill_layout(layout: QgsPrintLayout, site: ReportSite, facts: ReportFacts, layers: Sequence[Any] = (),
                locator: Any = None) -> list[Any]:
    """Fill every item and flow the tables; returns objects that must stay alive until the layout is exported."""
    result = site.result
    _fill_head(layout, site, facts)
    keep = _fill_maps(layout, site, layers, locator)
    distance = f"{result.search_distance_m:,.0f}" if isinstance(result, ScreeningResult) else ""
    _set(layout, "findings_title", tr("Findings within {0} m of the site").format(distance) if distance
         else tr("Findings"))
    page, y = 0, BOTTOM
    findings = table_frame(layout, "findings_frame")
    if findings is not None:
        fill_table(findings, (tr("Finding"), tr("Relation"), tr("Overlap (m²)"), tr("Distance (m)"), tr("Parts"),
                              tr("Officer's decision")), FINDING_WIDTHS, _finding_table_rows(result, site.overrides))
        page, y = flow_table(layout, findings, 0, findings.pagePositionWithUnits().y())
    details = table_frame(layout, "details_frame")
    if details is not None:
        rows = detail_rows(result, site.overrides, facts, site.site, for_review=site.for_review)
        shown = [TableRow((head if i == 0 or rows[i - 1][0] != head else "", text))
                 for i, (head, text) in enumerate(rows)]  # a section's heading once, on its first row
        fill_table(details, (tr("Section"), tr("Details")), DETAIL_WIDTHS, shown)
        if y + GAP + 30 > BOTTOM:
            page, y = page + 1, TOP
        else:
            y += GAP
        flow_table(layout, details, page, y)
    running_labels(layout, result.site_ref)
    return keep


class _SitePages(QgsAbstractLayoutIterator):
    """A fresh layout from the template for each site in turn: the sites' pages in a single PDF."""

    def __init__(self, project: QgsProject, sites: Sequence[ReportSite], facts: ReportFacts, layers: Sequence[Any],
                 locator: Any) -> None:
        super().__init__()
        self.project = project
        self.sites = list(sites)
        self.facts = facts
        self.layers = list(layers)
        self.locator = locator
        self._layout = load_layout(project)
        self.position = -1
        self.keep: list[Any] = []

    def layout(self) -> QgsPrintLayout:
        return self._layout

    def count(self) -> int:
        return len(self.sites)

    def beginRender(self) -> bool:  # noqa: N802 - QGIS override
        self.position = -1
        return True

    def endRender(self) -> bool:  # noqa: N802 - QGIS override
        return True

    def next(self) -> bool:
        self.position += 1
        if self.position >= len(self.sites):
            return False
        if self.position > 0:
            self._layout = load_layout(self.project)
        self.keep = [self._layout, *fill_layout(self._layout, self.sites[self.position], self.facts, self.layers,
                                                self.locator)]
        return True

    def filePath(self, base_path: str, _extension: str) -> str:  # noqa: N802 - QGIS override
        return base_path


def export_pdf(path: str, sites: Sequence[ReportSite], facts: ReportFacts, layers: Sequence[Any] = (),
               project: QgsProject | None = None, locator: Any = None) -> str:
    """Write the PDF report (the pages of each site in turn) to ``path`` atomically; returns an error sentence, or
    "". ``locator`` is the strategy area (EPSG:27700) drawn in the inset map."""
    if not sites:
        return tr("There is nothing to report yet: check a site first.")
    target = Path(path)
    try:
        refuse_overwriting_a_database(target)
    except LnrsError as exc:
        return str(exc)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp.pdf")
    try:
        pages = _SitePages(project or QgsProject.instance(), sites, facts, layers, locator)
    except (OSError, ValueError) as exc:
        return tr("The report template could not be read: {0}").format(str(exc))
    try:
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
        settings.rasterizeWholeImage = False
        outcome, error = QgsLayoutExporter.exportToPdf(pages, str(tmp), settings)
        if outcome != QgsLayoutExporter.ExportResult.Success:
            return tr("The PDF could not be written to {0}: {1}").format(
                path, error or tr("check the folder exists and is writable"))
        os.replace(tmp, target)
    except OSError as exc:
        return tr("Could not write {0}: {1}").format(path, exc.strerror or str(exc))
    except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
        log_error(traceback.format_exc())
        return tr("The PDF report could not be made; the details are in the LNRS Toolkit tab of the message log.")
    finally:
        tmp.unlink(missing_ok=True)
    return ""
