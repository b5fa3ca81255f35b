"""The dock's Results tab: the screened sites (a summary table when there are several), the findings of the one
on show (:class:`.results_view.ResultsView`), "Not applicable…" overrides and the reports (clipboard, JSON, HTML,
PDF).

The panel holds no rules: verdicts, findings and report wording come from the frozen results and ``core.reports``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from qgis.core import Qgis
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LnrsError
from ..core.reports.html_report import VERDICT_COLOURS, render_html
from ..core.reports.json_report import write_json_atomic, write_text_atomic
from ..core.reports.report_content import SiteFacts
from ..core.reports.text_report import summary_text
from ..core.screening.engine import PackIndex
from ..core.screening.options import ScreeningOptions
from ..core.screening.overrides import Override, find_override, override_for, overrides_text, withdraw
from ..core.screening.results import (
    DesignatedFinding,
    IrreplaceableFinding,
    ScreeningResult,
    SiteError,
    verdict_counts,
)
from .dock_context import DockContext
from .map_highlight import SiteHighlight, feature_geometry, flash, zoom_to
from .override_project import OverrideKeeper
from .report_inputs import json_payload, report_facts, site_facts
from .results_view import ResultsView, tip
from .screening_task import Results
from .site_sources import Site


class ResultsPanel(QWidget):
    """The "Results" tab: read, override and report the results of the last check."""

    def __init__(self, context: DockContext, site_highlight: Callable[[], SiteHighlight],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._site_highlight = site_highlight
        self.results: Results = []
        self.checked_sites: list[Site] = []
        self.keeper = OverrideKeeper(settings_store=context.settings_store)
        self.busy = False
        self.stale = False
        self.setObjectName("resultsPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stale_label = QLabel(self)
        self.stale_label.setObjectName("staleLabel")
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet("QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0b400; "
                                       "padding: 4px; }")
        self.stale_label.setVisible(False)
        layout.addWidget(self.stale_label)
        self.review_label = QLabel(self)
        self.review_label.setObjectName("reviewLabel")
        self.review_label.setWordWrap(True)
        self.review_label.setStyleSheet("QLabel { background: #e8f0fe; color: #0b2a5c; border: 1px solid #7aa2e3; "
                                        "padding: 4px; }")
        self.review_label.setVisible(False)
        layout.addWidget(self.review_label)
        self.summary_table = QTableWidget(0, 4, self)
        self.summary_table.setObjectName("summaryTable")
        self.summary_table.setHorizontalHeaderLabels([self.tr("Site"), self.tr("Verdict"), self.tr("Category"),
                                                      self.tr("Measures")])
        self.summary_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_table.verticalHeader().setVisible(False)
        self.summary_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary_table.currentCellChanged.connect(self._on_summary_row)
        self.summary_table.setAccessibleName(self.tr("Screened sites"))
        self.summary_table.setVisible(False)
        self.results_view = ResultsView(self)
        self.results_view.finding_activated.connect(self.show_finding)
        self.results_view.selection_changed.connect(self._update_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.summary_table)
        splitter.addWidget(self.results_view)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        layout.addLayout(self._build_report_buttons())
        self._update_buttons()

    def _build_report_buttons(self) -> QGridLayout:
        grid = QGridLayout()
        self.override_button = QPushButton(self.tr("&Not applicable…"), self)
        self.override_button.setObjectName("overrideButton")
        self.override_button.setToolTip(self.tr("Mark the selected finding not applicable, with a reason"))
        self.override_button.clicked.connect(self.override_current_finding)
        self.copy_button = QPushButton(self.tr("Cop&y summary"), self)
        self.copy_button.setObjectName("copySummaryButton")
        self.copy_button.clicked.connect(self.copy_summary)
        self.json_button = QPushButton(self.tr("&JSON…"), self)
        self.json_button.setObjectName("exportJsonButton")
        self.json_button.setToolTip(self.tr("Export the results as JSON"))
        self.json_button.clicked.connect(lambda: self.export_json())
        self.html_button = QPushButton(self.tr("H&TML…"), self)
        self.html_button.setObjectName("exportHtmlButton")
        self.html_button.setToolTip(self.tr("Export the results as an HTML report"))
        self.html_button.clicked.connect(lambda: self.export_html())
        self.pdf_button = QPushButton(self.tr("&PDF…"), self)
        self.pdf_button.setObjectName("exportPdfButton")
        self.pdf_button.setToolTip(self.tr("Export a PDF report with a map, one page per site"))
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.withdraw_button = QPushButton(self.tr("&Withdraw…"), self)
        self.withdraw_button.setObjectName("withdrawOverrideButton")
        self.withdraw_button.setToolTip(self.tr("The selected finding applies after all: withdraw its override, with a "
                                                "reason (the override stays in the record)"))
        self.withdraw_button.clicked.connect(lambda: self.withdraw_current_override())
        grid.addWidget(self.override_button, 0, 0)
        grid.addWidget(self.withdraw_button, 0, 1)
        grid.addWidget(self.copy_button, 0, 2, 1, 1)
        grid.addWidget(self.json_button, 1, 0)
        grid.addWidget(self.html_button, 1, 1)
        grid.addWidget(self.pdf_button, 1, 2)
        return grid

    # ------------------------------------------------------------------ results
    def set_checked_sites(self, sites: list[Site]) -> None:
        """The sites being checked (the results' ``index`` points into them)."""
        self.checked_sites = list(sites)

    def sites_replaced(self, sites: list[Site]) -> None:
        """The Site tab has new sites: results of other sites stay on show, marked stale, and cannot be exported."""
        if not self.results or _same_geometries(sites, self.checked_sites):
            return
        self.stale = True
        self.stale_label.setText(self.tr(
            "Stale: these results are for the site(s) checked before ({0}), not for the site(s) now given. Check "
            "the new site(s) to see their results; these results cannot be exported.").format(
            ", ".join(r.site_ref for r in self.results[:3]) + (", …" if len(self.results) > 3 else "")))
        self.stale_label.setVisible(True)
        self.results_view.setEnabled(False)
        self.summary_table.setEnabled(False)
        self._update_buttons()

    def _set_fresh(self) -> None:
        self.stale = False
        self.stale_label.setVisible(False)
        self.results_view.setEnabled(True)
        self.summary_table.setEnabled(True)

    def _refuse_stale(self) -> bool:
        """True (with a sentence to the officer) when the results on show belong to sites given before."""
        if self.stale:
            self.context.show_error(self.tr("These results are stale: they belong to the site(s) checked before, "
                                            "not to the site(s) now given. Check the new site(s) first; nothing was "
                                            "exported."))
        return self.stale

    def set_results(self, results: Results) -> None:
        self._set_fresh()
        self.results = list(results)
        self.keeper.load(self.results, self._checked_geometry)
        if self.keeper.from_sidecar:
            self.context.show_message(self.tr(
                "{0} override(s) of this site were not in the project; read back from {1} and kept in the project."
            ).format(len(self.keeper.from_sidecar), ", ".join(self.keeper.sidecar_sources)))
        self._show_review()
        self.summary_table.setVisible(len(self.results) > 1)
        self.summary_table.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            if isinstance(r, SiteError):
                cells = [r.site_ref, self.tr("could not be screened"), "", r.message]
            else:
                cells = [r.site_ref, self.results_view.verdict_word(r.verdict),
                         r.strategic_significance.category or "", ", ".join(r.measure_codes)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip(text))
                if col == 1 and isinstance(r, ScreeningResult):
                    item.setBackground(QColor(VERDICT_COLOURS[r.verdict]))
                    item.setForeground(QColor("black" if r.verdict == "amber" else "white"))
                self.summary_table.setItem(row, col, item)
        self.summary_table.resizeColumnsToContents()
        if self.results:
            self.summary_table.setCurrentCell(0, 0)
            self._show_result(0)
        else:
            self.results_view.clear()
        if len(self.results) > 1:
            counts = verdict_counts(self.results)
            self.context.show_message(self.tr(
                "Screened {0} sites: {1} red, {2} amber, {3} green, {4} not screened (outside the map), "
                "{5} could not be screened.").format(len(self.results), counts["red"], counts["amber"],
                                                      counts["green"], counts["not_screened"], counts["error"]))
        self._update_buttons()

    def current_result(self) -> ScreeningResult | SiteError | None:
        return self.results_view.result

    def _on_summary_row(self, row: int, *_args: int) -> None:
        if 0 <= row < len(self.results):
            self._show_result(row)

    def _checked_geometry(self, result: ScreeningResult | SiteError) -> Any:
        return self.checked_sites[result.index].geometry if 0 <= result.index < len(self.checked_sites) else None

    def _show_result(self, row: int) -> None:
        result = self.results[row]
        self.results_view.set_result(result, self.overrides)
        canvas = self.context.canvas()
        if canvas is not None and 0 <= result.index < len(self.checked_sites):
            geom = self.checked_sites[result.index].geometry
            self._site_highlight().show([geom])
            zoom_to(canvas, [geom])
        self._update_buttons()

    def _features_index(self, result: ScreeningResult | SiteError | None) -> PackIndex | None:
        """Where the features of ``result`` are: the whole pack's index, or (while it loads) the pack read near
        the result's site."""
        if self.context.index is not None:
            return self.context.index
        windowed = self.context.windowed
        if windowed is None or not isinstance(result, ScreeningResult):
            return None
        site = self._checked_geometry(result)
        if site is None:
            return None
        return windowed.index_near(site, ScreeningOptions(search_distance_m=result.search_distance_m))

    def show_finding(self, finding: IrreplaceableFinding | DesignatedFinding) -> None:
        """Zoom to a finding's feature and flash it."""
        canvas = self.context.canvas()
        try:
            index = self._features_index(self.current_result())
        except LnrsError as exc:
            self.context.show_error(str(exc))
            return
        if canvas is None or index is None:
            return
        geom = feature_geometry(index, finding.layer, finding.fid)
        if geom is None:
            self.context.show_message(self.tr("That feature is not in the loaded habitat map any more."),
                                      Qgis.MessageLevel.Warning)
            return
        result = self.current_result()
        site = self._checked_geometry(result) if result is not None else None
        zoom_to(canvas, [geom, site])
        flash(canvas, geom)

    def clear(self) -> None:
        self._set_fresh()
        self.results = []
        self.keeper.clear()
        self._show_review()
        self.summary_table.setRowCount(0)
        self.summary_table.setVisible(False)
        self.results_view.clear()
        self._update_buttons()

    def set_busy(self, busy: bool) -> None:
        """A check is running (the reports wait for it)."""
        self.busy = busy
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        finding = self.results_view.current_finding()
        result = self.current_result()
        overridden = (find_override(self.overrides, result.site_ref, finding)
                      if finding is not None and result is not None else None)
        self.override_button.setEnabled(finding is not None and result is not None and not self.stale
                                        and overridden is None)
        self.withdraw_button.setEnabled(overridden is not None and not self.stale)
        for button in (self.copy_button, self.json_button, self.html_button, self.pdf_button):
            button.setEnabled(bool(self.results) and not self.busy)

    # ------------------------------------------------------------------ overrides
    def override_current_finding(self) -> bool:
        finding = self.results_view.current_finding()
        result = self.current_result()
        if self._refuse_stale():
            return False
        if finding is None or not isinstance(result, ScreeningResult):
            self.context.show_error(self.tr("Select a finding in the list first."))
            return False
        why, ok = QInputDialog.getText(self, self.tr("Mark not applicable"),
                                       self.tr("Why does this finding not apply? (required)"))
        if not ok:
            return False
        try:
            override = override_for(result, finding, self.context.officer(), why,
                                    self.keeper.hashes.get(result.index, ""))
        except LnrsError:
            self.context.show_error(self.tr("A reason is required to mark a finding not applicable; nothing was "
                                            "changed."))
            return False
        self.keeper.keep(override)
        self._after_override_change()
        self.context.show_message(self.tr("{0} marked not applicable; the report keeps the original finding and your "
                                          "reason. The decision is kept in the project for this site.").format(
            override.label))
        return True

    def withdraw_current_override(self) -> bool:
        """Withdraw the override of the selected finding, with a reason (the log keeps both decisions)."""
        finding = self.results_view.current_finding()
        result = self.current_result()
        override = (find_override(self.overrides, result.site_ref, finding)
                    if finding is not None and result is not None else None)
        if self._refuse_stale():
            return False
        if override is None:
            self.context.show_error(self.tr("Select a finding marked not applicable first."))
            return False
        why, ok = QInputDialog.getText(self, self.tr("Withdraw override"),
                                       self.tr("Why does this finding apply after all? (required)"))
        if not ok:
            return False
        try:
            withdrawn = withdraw(override, self.context.officer(), why)
        except LnrsError:
            self.context.show_error(self.tr("A reason is required to withdraw an override; nothing was changed."))
            return False
        self.keeper.keep(withdrawn)
        self._after_override_change()
        self.context.show_message(self.tr("The override of {0} was withdrawn; the record keeps who marked it, who "
                                          "withdrew it, when and why.").format(override.label))
        return True

    @property
    def overrides(self) -> list[Override]:
        """The overrides that hold for the results on show."""
        return self.keeper.active

    def _after_override_change(self) -> None:
        self._show_review()
        row = max(0, self.summary_table.currentRow())
        self._show_result(row if len(self.results) > 1 else 0)

    def _show_review(self) -> None:
        review = self.keeper.for_review
        self.review_label.setVisible(bool(review))
        self.review_label.setText(self.tr(
            "To review: marked not applicable against another version of the habitat map, so not applied: {0}. "
            "Mark a finding again if the decision still holds.").format("; ".join(
                self.tr("{0} ({1}, by {2} on {3}: {4})").format(o.label, o.site_ref, o.who, o.when[:10], o.why)
                for o in review)) if review else "")

    # ------------------------------------------------------------------ reports
    def report_text(self) -> str:
        parts = []
        for r in self.results:
            text = summary_text(r)
            extra = overrides_text([o for o in self.overrides if o.site_ref == r.site_ref])
            parts.append(text + ("\n" + extra if extra else ""))
        return "\n\n".join(parts)

    def copy_summary(self) -> None:
        if not self.results or self._refuse_stale():
            return
        QApplication.clipboard().setText(self.report_text())
        self.context.show_message(self.tr("The summary is on the clipboard."))

    def _ask_path(self, title: str, filter_text: str, suffix: str) -> str:
        base = self.results[0].site_ref if self.results else "screening"
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in base) or "screening"
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / f"lnrs_{safe}.{suffix}"), filter_text)
        if path and not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        return str(path or "")

    def _generated_at(self) -> str:
        return datetime.now(timezone.utc).replace(microsecond=0).isoformat()

    def _saved(self, path: str) -> str:
        error = self.keeper.write_sidecar(path, self.results)
        if error:
            self.context.show_error(error)
            return path
        self.context.show_message(self.tr("Saved {0}").format(path), Qgis.MessageLevel.Success)
        return path

    def export_json(self, path: str | None = None) -> str:
        if not self.results or self._refuse_stale():
            return ""
        path = path or self._ask_path(self.tr("Export JSON"), self.tr("JSON files (*.json)"), "json")
        if not path:
            return ""
        facts = report_facts(self.context)
        stamp = self._generated_at()
        payloads = [json_payload(r, self.overrides, self.keeper.for_review, self._checked_geometry(r), facts, stamp)
                    for r in self.results]
        try:
            write_json_atomic(path, payloads[0] if len(payloads) == 1 else payloads)
        except OSError as exc:
            self.context.show_error(self.tr("Could not write {0}: {1}").format(path, exc.strerror or str(exc)))
            return ""
        return self._saved(path)

    def export_html(self, path: str | None = None) -> str:
        if not self.results or self._refuse_stale():
            return ""
        path = path or self._ask_path(self.tr("Export HTML"), self.tr("HTML files (*.html)"), "html")
        if not path:
            return ""
        from .report_export import site_map_png

        facts = report_facts(self.context)
        sites = {r.index: self._site_facts(r) for r in self.results}
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            maps = {r.index: site_map_png(self._checked_geometry(r), self._finding_geometries(r), self._map_layers())
                    for r in self.results if self._checked_geometry(r) is not None}
        finally:
            QApplication.restoreOverrideCursor()
        text = render_html(self.results, self.overrides, facts.officer, facts.generated, facts=facts, sites=sites,
                           maps=maps, for_review=self.keeper.for_review)
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            self.context.show_error(self.tr("Could not write {0}: {1}").format(path, exc.strerror or str(exc)))
            return ""
        return self._saved(path)

    def export_pdf(self, path: str | None = None) -> str:
        """A PDF report with a page per screened site (the site shown first)."""
        if not self.results or self._refuse_stale():
            return ""
        path = path or self._ask_path(self.tr("Export PDF"), self.tr("PDF files (*.pdf)"), "pdf")
        if not path:
            return ""
        from .report_export import ReportSite, export_pdf

        current = self.current_result()
        ordered = sorted(self.results, key=lambda r: r is not current)
        pages = [ReportSite(r, tuple(o for o in self.overrides if o.site_ref == r.site_ref), self._checked_geometry(r),
                            tuple(self._finding_geometries(r)), self._site_facts(r),
                            tuple(o for o in self.keeper.for_review if o.site_ref == r.site_ref)) for r in ordered]
        index = self.context.index
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            error = export_pdf(path, pages, report_facts(self.context), self._map_layers(),
                               locator=index.coverage if index is not None else None)
        finally:
            QApplication.restoreOverrideCursor()
        if error:
            self.context.show_error(error)
            return ""
        return self._saved(path)

    def _map_layers(self) -> list[Any]:
        canvas = self.context.canvas()
        return list(canvas.layers()) if canvas is not None else []

    def _site_facts(self, result: ScreeningResult | SiteError) -> SiteFacts:
        site = self.checked_sites[result.index] if 0 <= result.index < len(self.checked_sites) else None
        return site_facts(result, site, self._checked_geometry(result))

    def _finding_geometries(self, result: ScreeningResult | SiteError) -> list[Any]:
        index = self._features_index(result)
        if index is None or not isinstance(result, ScreeningResult):
            return []
        findings: list[IrreplaceableFinding | DesignatedFinding] = [*result.irreplaceable, *result.designated_sites]
        return [feature_geometry(index, f.layer, f.fid) for f in findings]


def _same_geometries(sites: list[Site], checked: list[Site]) -> bool:
    """Whether ``sites`` are the very geometries that were checked (re-selecting the same site is not a change)."""
    if len(sites) != len(checked):
        return False
    return all(a.geometry is not None and b.geometry is not None and a.geometry.equals_exact(b.geometry, 0.0)
               for a, b in zip(sites, checked))
