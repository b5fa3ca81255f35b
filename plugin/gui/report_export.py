"""The PDF report: resources/report_template.qpt filled in with one result and exported atomically.

Items are found by id (see scripts/build_report_template.py): title, site, verdict, reasons, map,
legend, scalebar, checks, findings_frame (a manual table), measures, provenance. Labels are plain
text, so names from the pack are never interpreted as markup.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsAbstractLayoutIterator,
    QgsFeature,
    QgsFillSymbol,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsLayoutTableColumn,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsTableCell,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtXml import QDomDocument

from ..__about__ import PLUGIN_ROOT, __version__
from ..adapters.qgis_geometry import to_qgs
from ..core.errors import LnrsError
from ..core.metric.vocabulary import habitat_label
from ..core.reports.html_report import VERDICT_COLOURS
from ..core.reports.output_guard import refuse_overwriting_a_database
from ..core.reports.text_report import CHECK_WORDS, MEASURE_WORDS, VERDICT_WORDS
from ..core.screening.overrides import Override, find_override
from ..core.screening.results import ScreeningResult, SiteError
from ..log import log_error
from .map_highlight import pack_crs

TEMPLATE = PLUGIN_ROOT / "resources" / "report_template.qpt"


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


#: A label evaluates ``[% ... %]`` as a QGIS expression; this fixed expression prints "[%" itself.
_LITERAL_OPENING = "[% '[' || '%' %]"


def literal_label_text(text: str) -> str:
    """``text`` as a label prints it, character for character: no ``[% %]`` from the user or the pack runs.

    A label replaces each ``[% expression %]`` with its value in one pass over the text; every ``[%`` is turned
    into an expression whose value is ``[%``, so nothing the text holds is ever evaluated.
    """
    return text.replace("[%", _LITERAL_OPENING)


def _set_literal(item: QgsLayoutItemLabel, text: str) -> None:
    item.setMode(QgsLayoutItemLabel.Mode.ModeFont)  # plain text, never HTML
    item.setText(literal_label_text(text))


def _set(layout: QgsPrintLayout, item_id: str, text: str) -> None:
    item = _label(layout, item_id)
    if item is not None:
        _set_literal(item, text)


def _set_text_colour(label: QgsLayoutItemLabel, colour: QColor) -> None:
    """The label's text colour through its text format (setFontColor is deprecated since QGIS 3.24)."""
    fmt = label.textFormat()
    fmt.setColor(colour)
    label.setTextFormat(fmt)


def site_layer(geometry: Any) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"MultiPolygon?crs={pack_crs().authid()}", tr("Site"), "memory")
    if geometry is not None:
        feat = QgsFeature()
        feat.setGeometry(to_qgs(geometry))
        layer.dataProvider().addFeatures([feat])
        layer.updateExtents()
    layer.renderer().setSymbol(QgsFillSymbol.createSimple(
        {"color": "200,0,200,40", "outline_color": "200,0,200,255", "outline_width": "0.8"}))
    return layer


def findings_layer(geometries: Sequence[Any]) -> QgsVectorLayer:
    """The pack features behind the findings, outlined (trees drawn as small circles)."""
    layer = QgsVectorLayer(f"MultiPolygon?crs={pack_crs().authid()}", tr("Findings"), "memory")
    feats = []
    for g in geometries:
        if g is None:
            continue
        feat = QgsFeature()
        feat.setGeometry(to_qgs(g.buffer(3.0) if g.geom_type in ("Point", "MultiPoint") else g))
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    layer.renderer().setSymbol(QgsFillSymbol.createSimple(
        {"color": "255,140,0,30", "outline_color": "230,110,0,255", "outline_width": "0.6", "outline_style": "dash"}))
    return layer


def _findings_rows(result: ScreeningResult, overrides: Sequence[Override]) -> list[list[str]]:
    rows = []
    for f in result.irreplaceable:
        ov = find_override(overrides, result.site_ref, f)
        rows.append([f"{habitat_label(f.habitat, f.status)}: {f.name or f.ref or tr('unnamed')}",
                     f.relation + (tr(", inside buffer") if f.in_buffer else ""), f"{f.overlap_m2:,.1f}",
                     f"{f.distance_m:,.1f}", tr("not applicable: {0}").format(ov.why) if ov else ""])
    for d in result.designated_sites:
        ov = find_override(overrides, result.site_ref, d)
        rows.append([f"{d.designation}: {d.name or d.ref or tr('unnamed')}", d.relation, f"{d.overlap_m2:,.1f}",
                     f"{d.distance_m:,.1f}", tr("not applicable: {0}").format(ov.why) if ov else ""])
    return rows


def fill_layout(layout: QgsPrintLayout, result: ScreeningResult | SiteError, overrides: Sequence[Override],
                officer: str, generated_at: str, site_geometry: Any, layers: Sequence[Any],
                finding_geometries: Sequence[Any] = ()) -> list[Any]:
    """Fill every item; returns objects that must stay alive until the layout is exported."""
    keep: list[Any] = []
    hm = result.habitat_map if isinstance(result, ScreeningResult) else None
    _set(layout, "site", tr("Site {0}").format(result.site_ref) + (
        tr(" ({0} ha)").format(f"{result.site_area_m2 / 10000:,.4f}") if isinstance(result, ScreeningResult) else ""))
    verdict = _label(layout, "verdict")
    if isinstance(result, SiteError):
        if verdict is not None:
            _set_literal(verdict, tr("Not screened"))
            verdict.setBackgroundColor(QColor("#616161"))
            _set_text_colour(verdict, QColor("white"))
        _set(layout, "reasons", result.message)
        _set(layout, "checks", "")
        _set(layout, "measures", "")
    else:
        if verdict is not None:
            _set_literal(verdict, tr("Verdict: {0}").format(VERDICT_WORDS.get(result.verdict, result.verdict.upper())))
            verdict.setBackgroundEnabled(True)
            verdict.setBackgroundColor(QColor(VERDICT_COLOURS.get(result.verdict, "#616161")))
            _set_text_colour(verdict, QColor("black" if result.verdict == "amber" else "white"))
        reasons = [f"\u2022 {r}" for r in result.reasons]
        if len(reasons) > 4:
            reasons = [*reasons[:3], tr("\u2022 \u2026and {0} more (see the findings below)").format(len(reasons) - 3)]
        _set(layout, "reasons", "\n".join(reasons))
        _set(layout, "checks", "\n".join([
            tr("Irreplaceable habitats: {0}").format(CHECK_WORDS[result.checks.irreplaceable]),
            tr("Designated sites: {0}").format(CHECK_WORDS[result.checks.designated]),
            tr("LNRS measures on the site: {0}").format(MEASURE_WORDS[result.checks.opportunity]),
            tr("Search distance: {0} m").format(f"{result.search_distance_m:,.0f}")]))
        ss = result.strategic_significance
        lines = [tr("Strategic significance: {0} ({1}) \u2013 {2}").format(ss.category, f"{ss.multiplier:g}",
                                                                            ss.metric_text)
                 if ss.category else tr("Strategic significance: {0}").format(ss.headline(result.checks.opportunity))]
        if ss.proposed_habitat:
            lines.append(tr("Proposed habitat: {0}").format(ss.proposed_habitat))
        lines.append(ss.basis)
        for m in result.measures:
            text = m.text if m.in_catalogue else tr("not in the pack's measures catalogue")
            lines.append(f"{m.code} ({m.pct_of_site:.1f}%): {text}")
        if not result.measures:
            lines.append(tr("No LNRS measure is mapped on the site."))
        _set(layout, "measures", "\n".join(lines))

    frame = layout.itemById("findings_frame")
    if isinstance(frame, QgsLayoutFrame) and isinstance(frame.multiFrame(), QgsLayoutItemManualTable):
        table = frame.multiFrame()
        headings = (tr("Finding"), tr("Relation"), tr("Overlap (m²)"), tr("Distance (m)"), tr("Officer"))
        columns = list(table.headers())
        if len(columns) != len(headings):
            columns = [QgsLayoutTableColumn() for _ in headings]
        for column, heading in zip(columns, headings):
            column.setHeading(heading)
        table.setHeaders(columns)
        rows = _findings_rows(result, overrides) if isinstance(result, ScreeningResult) else []
        if not rows:
            rows = [[tr("No irreplaceable habitat or designated site within the search distance."), "", "", "", ""]]
        table.setTableContents([[QgsTableCell(text) for text in row] for row in rows])

    provenance = [tr("Local Habitat Map: {0}, version {1}").format(hm.name, hm.version or tr("unknown"))
                  + (tr(" (published {0})").format(hm.publication_date) if hm.publication_date else ""),
                  tr("sha256 {0}").format(hm.sha256 or tr("unknown"))
                  + (tr("; unpublished edits since version {0}").format(hm.version) if hm.unpublished_edits else "")
                  ] if hm else []
    provenance.append(tr("Officer: {0}. Generated {1} with LNRS Toolkit {2}.").format(officer, generated_at,
                                                                                     __version__))
    for o in overrides:
        provenance.append(tr("{0} marked not applicable by {1} on {2}: {3}").format(o.label, o.who, o.when, o.why))
    _set(layout, "provenance", "\n".join(provenance))

    map_item = layout.itemById("map")
    if isinstance(map_item, QgsLayoutItemMap):
        site = site_layer(site_geometry)
        keep.append(site)
        map_layers = [site]
        if any(g is not None for g in finding_geometries):
            found = findings_layer(finding_geometries)
            keep.append(found)
            map_layers.append(found)
        map_layers += [lyr for lyr in layers if lyr is not None]
        map_item.setCrs(pack_crs())
        map_item.setLayers(map_layers)
        map_item.setKeepLayerSet(True)
        if site_geometry is not None:
            map_item.setExtent(_framed_extent(site_geometry.bounds, map_item.rect().width(),
                                              map_item.rect().height()))
        legend = layout.itemById("legend")
        if isinstance(legend, QgsLayoutItemLegend):
            legend.setAutoUpdateModel(False)
            root = legend.model().rootGroup()
            root.removeAllChildren()
            for lyr in map_layers:
                root.addLayer(lyr)
            legend.adjustBoxSize()
        scalebar = layout.itemById("scalebar")
        if isinstance(scalebar, QgsLayoutItemScaleBar):
            scalebar.applyDefaultSize(Qgis.DistanceUnit.Meters)
    return keep


def _framed_extent(bounds: tuple[float, float, float, float], width: float, height: float) -> QgsRectangle:
    """The site's bounds with a margin, stretched to the map item's shape (so the map is not distorted)."""
    x0, y0, x1, y1 = bounds
    pad = max(x1 - x0, y1 - y0, 200.0) * 0.6
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    ratio = width / height if height > 0 else 1.0
    w, h = x1 - x0, y1 - y0
    if w / h < ratio:
        w = h * ratio
    else:
        h = w / ratio
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return QgsRectangle(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


@dataclass(frozen=True)
class ReportSite:
    """One site's page: its result, its overrides and the geometries to draw (EPSG:27700)."""

    result: ScreeningResult | SiteError
    overrides: tuple[Override, ...] = ()
    site_geometry: Any = None
    finding_geometries: tuple[Any, ...] = ()


class _SitePages(QgsAbstractLayoutIterator):
    """Fills the one layout for each site in turn: one page per site in a single PDF."""

    def __init__(self, layout: QgsPrintLayout, sites: Sequence[ReportSite], officer: str, generated_at: str,
                 layers: Sequence[Any]) -> None:
        super().__init__()
        self._layout = layout
        self.sites = list(sites)
        self.officer = officer
        self.generated_at = generated_at
        self.layers = list(layers)
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
        site = self.sites[self.position]
        self.keep = fill_layout(self._layout, site.result, site.overrides, self.officer, self.generated_at,
                                site.site_geometry, self.layers, site.finding_geometries)
        return True

    def filePath(self, base_path: str, _extension: str) -> str:  # noqa: N802 - QGIS override
        return base_path


def export_pdf(path: str, sites: Sequence[ReportSite], officer: str, generated_at: str, layers: Sequence[Any],
               project: QgsProject | None = None) -> str:
    """Write the PDF report (a page per site) to ``path`` atomically; returns an error sentence, or ""."""
    if not sites:
        return tr("There is nothing to report yet: check a site first.")
    target = Path(path)
    try:
        refuse_overwriting_a_database(target)
    except LnrsError as exc:
        return str(exc)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp.pdf")
    try:
        layout = load_layout(project or QgsProject.instance())
    except (OSError, ValueError) as exc:
        return tr("The report template could not be read: {0}").format(str(exc))
    try:
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
        settings.rasterizeWholeImage = False
        pages = _SitePages(layout, sites, officer, generated_at, layers)
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
