"""Rendering one frozen screening result: verdict banner, one section per check, findings, measures."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QFont
from qgis.PyQt.QtWidgets import (
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.metric.vocabulary import habitat_label
from ..core.reports.html_report import VERDICT_COLOURS
from ..core.reports.report_content import marked_reasons
from ..core.screening.grouping import FindingGroup
from ..core.screening.overrides import Override, find_override
from ..core.screening.results import (
    CLEAR,
    FOUND,
    DesignatedFinding,
    IrreplaceableFinding,
    MeasureFinding,
    PriorityHabitatFinding,
    ScreeningResult,
    SiteError,
)
from ..core.screening.verdict_rules import NOT_SCREENED

ROLE = Qt.ItemDataRole.UserRole
#: Section keys stored on the top-level items.
SECTIONS = ("irreplaceable", "designated_sites", "priority_habitats", "opportunity", "notes")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def tip(text: str) -> str:
    """A tooltip showing ``text`` literally (Qt would otherwise render tags found in pack data)."""
    return f"<p>{_e(text)}</p>" if text else ""


class ResultsView(QWidget):
    """Shows a result; emits ``finding_activated(finding)`` when a finding is clicked."""

    finding_activated = pyqtSignal(object)
    selection_changed = pyqtSignal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: ScreeningResult | SiteError | None = None
        self.overrides: list[Override] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel(self)
        self.banner.setObjectName("verdictBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.banner_scroll = banner_scroll = QScrollArea(self)
        banner_scroll.setObjectName("verdictBannerArea")
        banner_scroll.setWidget(self.banner)
        banner_scroll.setWidgetResizable(True)
        banner_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        banner_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        banner_scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout.addWidget(banner_scroll)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = QTreeWidget(splitter)
        self.tree.setObjectName("findingsTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Finding"), self.tr("Where")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)  # see _fit_columns
        self.tree.header().setStretchLastSection(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAccessibleName(self.tr("Findings"))
        self.tree.itemClicked.connect(self._on_clicked)
        self.tree.itemActivated.connect(self._on_clicked)
        self.tree.currentItemChanged.connect(self._on_current)
        self.detail = QTextBrowser(splitter)
        self.detail.setObjectName("findingDetail")
        self.detail.setOpenLinks(False)
        self.detail.setAccessibleName(self.tr("Details of the selected finding"))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        lines = self.fontMetrics().lineSpacing()  # in a short dock the findings keep a few rows, the detail gives way
        self.tree.setMinimumHeight(7 * lines)
        self.detail.setMinimumHeight(3 * lines)
        layout.addWidget(splitter, 1)
        self.clear()

    # -- state -------------------------------------------------------------
    def clear(self) -> None:
        self.result = None
        self.banner.setText(self.tr("No result yet: choose a site and press Check."))
        self.banner.setStyleSheet("QLabel { padding: 6px; border: 1px solid palette(mid); }")
        if hasattr(self, "banner_scroll"):
            self._fit_banner()
        self.tree.clear()
        self.detail.clear()

    def check_word(self, state: str) -> str:
        if state == FOUND:
            return self.tr("found")
        if state == CLEAR:
            return self.tr("clear")
        return self.tr("not checked")

    def verdict_word(self, verdict: str) -> str:
        return {"red": self.tr("RED"), "amber": self.tr("AMBER"), "green": self.tr("GREEN"),
                NOT_SCREENED: self.tr("NOT SCREENED")}.get(verdict, verdict)

    def set_result(self, result: ScreeningResult | SiteError, overrides: Sequence[Override] = ()) -> None:
        self.result = result
        self.overrides = list(overrides)
        self.tree.clear()
        self.detail.clear()
        if isinstance(result, SiteError):
            self.banner.setStyleSheet("QLabel { background: #616161; color: white; padding: 6px; }")
            self.banner.setText(self.tr("Site {0}: could not be screened. {1}").format(_e(result.site_ref),
                                                                               _e(result.message)))
            self._fit_banner()
            return
        r = result
        colour = VERDICT_COLOURS.get(r.verdict, "#616161")
        text_colour = "black" if r.verdict == "amber" else "white"
        self.banner.setStyleSheet(f"QLabel {{ background: {colour}; color: {text_colour}; padding: 6px; }}")
        reasons = "".join(f"<li>{_e(reason)}</li>" for reason in marked_reasons(r, self.overrides))
        self.banner.setText(self.tr("<b>{0}</b> &mdash; site {1} ({2} ha)").format(
            self.verdict_word(r.verdict), _e(r.site_ref), f"{r.site_area_m2 / 10000:,.2f}")
            + f"<ul style='margin: 2px 0 0 -20px;'>{reasons}</ul>")
        self._add_irreplaceable(r)
        self._add_designated(r)
        self._add_priority_habitats(r)
        self._add_opportunity(r)
        if r.notes:
            notes = self._section("notes", self.tr("Notes ({0})").format(len(r.notes)), "")
            for n in r.notes:
                item = QTreeWidgetItem(notes, [n, ""])
                item.setToolTip(0, tip(n))
                item.setData(0, ROLE, ("note", n))
        for i in range(self.tree.topLevelItemCount()):  # sections open; a named site's parts on demand
            self.tree.topLevelItem(i).setExpanded(True)
        self.tree.scrollToTop()
        self._fit_banner()
        self._fit_columns()

    def _fit_banner(self) -> None:
        """Show the whole banner when it is short, and scroll it beyond a third of the view."""
        width = max(100, self.banner_scroll.viewport().width())
        wanted = self.banner.heightForWidth(width)
        if wanted <= 0:
            wanted = self.banner.sizeHint().height()
        # up to half the pane: the banner's sentences show whole, the findings keep the other half
        limit = max(60, self.height() // 2 if self.height() > 0 else 160)
        self.banner_scroll.setFixedHeight(min(wanted + 2, limit))

    def _fit_columns(self) -> None:
        """*Where* as wide as its words, at most two fifths of the tree: the findings keep the room in a narrow
        dock (a long *Where* wraps)."""
        wanted = self.tree.sizeHintForColumn(1) + 2 * self.tree.indentation() // 3
        self.tree.setColumnWidth(1, max(60, min(wanted, 2 * self.tree.viewport().width() // 5)))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_banner()
        self._fit_columns()

    # -- sections ----------------------------------------------------------
    def _section(self, key: str, title: str, state: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title, state])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFont(1, font)
        item.setData(0, ROLE, ("section", key))
        item.setFirstColumnSpanned(False)
        return item

    def _mark_override(self, item: QTreeWidgetItem, ov: Override | None) -> None:
        if ov is None:
            return
        font = QFont(item.font(0))
        font.setStrikeOut(True)
        item.setFont(0, font)
        item.setForeground(0, QBrush(QColor("#777777")))
        item.setText(1, self.tr("not applicable"))
        item.setToolTip(0, tip(self.tr("Marked not applicable by {0} on {1}: {2}").format(ov.who, ov.when, ov.why)))

    def _add_irreplaceable(self, r: ScreeningResult) -> None:
        sec = self._section("irreplaceable", self.tr("Irreplaceable habitats"), self.check_word(r.checks.irreplaceable))
        self._add_groups(sec, r, r.irreplaceable_groups)

    def _add_designated(self, r: ScreeningResult) -> None:
        sec = self._section("designated_sites", self.tr("Designated sites"), self.check_word(r.checks.designated))
        self._add_groups(sec, r, r.designated_groups)

    def _add_priority_habitats(self, r: ScreeningResult) -> None:
        """One row per main habitat; a main habitat mapped as several polygons opens to them. Priority habitats
        zoom to the map when clicked but are not marked not applicable (they decide no red)."""
        sec = self._section("priority_habitats", self.tr("Priority habitats"),
                            self.check_word(r.checks.priority_habitats))
        if r.checks.priority_habitats != FOUND:
            sec.setToolTip(0, tip(self.tr("No priority habitat within {0} m of the site.").format(
                f"{r.search_distance_m:g}") if r.checks.priority_habitats == CLEAR else
                self.tr("The pack holds no Priority Habitats Inventory.")))
        unknown = self.tr("main habitat not given")
        for g in r.priority_habitat_groups:
            label = g.name or unknown
            where = self._relation(g.relation, g.distance_m, False)
            if g.n_parts == 1:
                self._add_priority_part(sec, g.parts[0], label)
                continue
            item = QTreeWidgetItem(sec, [self.tr("{0} ({1} parts)").format(label, g.n_parts), where])
            item.setData(0, ROLE, ("priority_group", g))
            item.setToolTip(0, tip(label))
            for n, part in enumerate(g.parts, start=1):
                self._add_priority_part(item, part, self.tr("part {0}").format(n))

    def _add_priority_part(self, parent: QTreeWidgetItem, f: PriorityHabitatFinding, label: str) -> None:
        where = self._relation(f.relation, f.distance_m, False)
        if f.on_site:
            where = self.tr("{0}% of the site").format(f"{f.pct_of_site:.1f}")
        item = QTreeWidgetItem(parent, [label, where])
        item.setData(0, ROLE, ("priority", f))
        item.setToolTip(0, tip(label))

    def _add_groups(self, sec: QTreeWidgetItem, r: ScreeningResult,
                    groups: Sequence[FindingGroup[IrreplaceableFinding]] | Sequence[FindingGroup[DesignatedFinding]]
                    ) -> None:
        """One row per named site; a site mapped as several polygons opens to its parts."""
        unnamed = self.tr("unnamed")
        for g in groups:
            label = g.title(unnamed)
            if g.n_parts == 1:
                self._add_part(sec, r, g.parts[0], label)
                continue
            where = self._relation(g.relation, g.distance_m, g.in_buffer)
            item = QTreeWidgetItem(sec, [self.tr("{0} ({1} parts)").format(label, g.n_parts), where])
            item.setData(0, ROLE, ("group", g))
            item.setToolTip(0, tip(label))
            for n in range(1, g.n_parts + 1):
                self._add_part(item, r, g.parts[n - 1], self.tr("part {0}").format(n))
            overridden = [find_override(self.overrides, r.site_ref, p) for p in g.parts]
            if all(overridden):
                self._mark_override(item, overridden[0])

    def _add_part(self, parent: QTreeWidgetItem, r: ScreeningResult, f: IrreplaceableFinding | DesignatedFinding,
                  label: str) -> None:
        in_buffer = f.in_buffer if isinstance(f, IrreplaceableFinding) else False
        item = QTreeWidgetItem(parent, [label, self._relation(f.relation, f.distance_m, in_buffer)])
        item.setData(0, ROLE, ("finding", f))
        item.setToolTip(0, tip(label))
        self._mark_override(item, find_override(self.overrides, r.site_ref, f))

    def _add_opportunity(self, r: ScreeningResult) -> None:
        ss = r.strategic_significance
        if ss.category:  # only ever for a proposed habitat
            state = f"{ss.category} ({ss.multiplier:g})"
        elif r.checks.opportunity == FOUND:
            state = self.tr("{0} measure(s) mapped").format(len(r.measures))
        elif r.checks.opportunity == CLEAR:
            state = self.tr("no measures mapped")
        else:
            state = self.tr("not checked")
        sec = self._section("opportunity", self.tr("Strategic significance and measures"), state)
        sec.setToolTip(0, tip(ss.basis))
        for m in r.measures:
            text = m.text if m.in_catalogue else self.tr("Not in the pack's measures catalogue.")
            item = QTreeWidgetItem(sec, [f"{m.code} \u2013 {text}", f"{m.pct_of_site:.1f}%"])
            item.setData(0, ROLE, ("measure", m))
            item.setToolTip(0, tip(f"{m.code}: {text}"))

    def _relation(self, relation: str, distance: float, in_buffer: bool) -> str:
        if relation == "overlap":
            return self.tr("on the site")
        if relation == "adjoins":
            return self.tr("adjoins") + (self.tr(", buffer") if in_buffer else "")
        if relation == "buffer":
            return self.tr("{0} m, in buffer").format(f"{distance:,.0f}")
        return self.tr("{0} m away").format(f"{distance:,.0f}")

    # -- interaction -------------------------------------------------------
    def current_finding(self) -> IrreplaceableFinding | DesignatedFinding | None:
        item = self.tree.currentItem()
        data = item.data(0, ROLE) if item is not None else None
        if data and data[0] == "finding":
            return data[1]  # type: ignore[no-any-return]
        return None

    def finding_items(self) -> list[QTreeWidgetItem]:
        """Every per-polygon finding's row (a named site's parts included), in tree order."""
        out = []
        todo = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while todo:
            item = todo.pop(0)
            data = item.data(0, ROLE)
            if data and data[0] == "finding":
                out.append(item)
            todo[:0] = [item.child(j) for j in range(item.childCount())]
        return out

    def group_items(self) -> list[QTreeWidgetItem]:
        """The rows of named sites mapped as several polygons (each opens to its parts)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            sec = self.tree.topLevelItem(i)
            out += [sec.child(j) for j in range(sec.childCount()) if sec.child(j).data(0, ROLE)[0] == "group"]
        return out

    def section_items(self) -> dict[str, QTreeWidgetItem]:
        out = {}
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            out[item.data(0, ROLE)[1]] = item
        return out

    def _on_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        data = item.data(0, ROLE)
        if data and data[0] in ("finding", "priority"):
            self.finding_activated.emit(data[1])
        elif data and data[0] in ("group", "priority_group"):  # a named site: show its nearest part
            self.finding_activated.emit(data[1].parts[0])

    def _on_current(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        self.detail.setHtml(self._detail_html(item.data(0, ROLE) if item is not None else None))
        self.selection_changed.emit(self.current_finding())

    def _detail_html(self, data: Any) -> str:
        r = self.result
        if not data or not isinstance(r, ScreeningResult):
            return ""
        kind, value = data
        if kind == "finding" and isinstance(value, IrreplaceableFinding):
            f = value
            buf = f"{f.buffer_m:g} m" + (self.tr(" (assumed)") if f.buffer_assumed else "")
            rows = [(self.tr("Habitat"), habitat_label(f.habitat, f.status)), (self.tr("Name"), f.name),
                    (self.tr("Reference"), f.ref)]
            if f.inventory:
                rows.append((self.tr("Inventory"), f.inventory_title))
            rows += [(self.tr("Relation"), f.relation),
                     (self.tr("Overlap"), f"{f.overlap_m2:,.1f} m²"), (self.tr("Distance"), f"{f.distance_m:,.1f} m"),
                     (self.tr("Standing-advice buffer"), buf),
                     (self.tr("Site area inside the buffer"), f"{f.buffer_intrusion_m2:,.1f} m²")]
            return self._table(rows) + self._override_html(r.site_ref, f)
        if kind == "finding" and isinstance(value, DesignatedFinding):
            d = value
            rows = [(self.tr("Designation"), d.designation), (self.tr("Name"), d.name), (self.tr("Reference"), d.ref),
                    (self.tr("Relation"), d.relation), (self.tr("Overlap"), f"{d.overlap_m2:,.1f} m²"),
                    (self.tr("Distance"), f"{d.distance_m:,.1f} m")]
            return self._table(rows) + self._override_html(r.site_ref, d)
        if kind == "priority" and isinstance(value, PriorityHabitatFinding):
            h = value
            rows = [(self.tr("Main habitat"), h.main_habitat), (self.tr("Additional habitats"), h.additional_habitats),
                    (self.tr("Habitat codes"), h.habitat_codes), (self.tr("Confidence"), h.confidence),
                    (self.tr("Relation"), h.relation),
                    (self.tr("Overlap"), f"{h.overlap_m2:,.1f} m² ({h.pct_of_site:.1f}%)"),
                    (self.tr("Distance"), f"{h.distance_m:,.1f} m")]
            return self._table([(k, v) for k, v in rows if v])
        if kind == "priority_group" and isinstance(value, FindingGroup):
            g = value
            rows = [(self.tr("Main habitat"), g.name), (self.tr("Parts"), str(g.n_parts)),
                    (self.tr("Relation"), g.relation), (self.tr("Total overlap"), f"{g.overlap_m2:,.1f} m²"),
                    (self.tr("Nearest distance"), f"{g.distance_m:,.1f} m")]
            return self._table(rows)
        if kind == "measure" and isinstance(value, MeasureFinding):
            m = value
            text = m.text if m.in_catalogue else self.tr("Not in the pack's measures catalogue.")
            rows = [(self.tr("Measure"), m.code), (self.tr("Theme"), m.theme), (self.tr("Priority"), m.priority),
                    (self.tr("Mapped on"), f"{m.overlap_m2:,.1f} m² ({m.pct_of_site:.1f}%)")]
            return f"<p><b>{_e(m.code)}</b>: {_e(text)}</p>" + self._table(rows)
        if kind == "group" and isinstance(value, FindingGroup):
            g = value
            rows = [(self.tr("Site") if g.kind == "designated" else self.tr("Habitat"), g.title(self.tr("unnamed"))),
                    (self.tr("Parts"), str(g.n_parts)), (self.tr("Relation"), g.relation),
                    (self.tr("Total overlap"), f"{g.overlap_m2:,.1f} m²"),
                    (self.tr("Nearest distance"), f"{g.distance_m:,.1f} m")]
            if g.in_buffer:
                rows.append((self.tr("Site area inside the buffers"), f"{g.buffer_intrusion_m2:,.1f} m²"))
            return self._table(rows)
        if kind == "section" and value == "opportunity":
            ss = r.strategic_significance
            head = (f"<p><b>{_e(ss.category)}</b> ({ss.multiplier:g}) &ndash; &ldquo;{_e(ss.metric_text)}&rdquo;</p>"
                    if ss.category else "")
            return head + f"<p>{_e(ss.basis)}</p>"
        if kind == "note":
            return f"<p>{_e(value)}</p>"
        return ""

    def _table(self, rows: list[tuple[str, str]]) -> str:
        body = "".join(f"<tr><th align='left'>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows if v)
        return f"<table cellspacing='2'>{body}</table>"

    def _override_html(self, site_ref: str, finding: IrreplaceableFinding | DesignatedFinding) -> str:
        ov = find_override(self.overrides, site_ref, finding)
        if ov is None:
            return ""
        return "<p><i>" + _e(self.tr("Marked not applicable by {0} on {1}: {2}").format(ov.who, ov.when, ov.why)) \
            + "</i></p>"
