"""The dockable LNRS Toolkit panel: it assembles the pack chooser and the tabs, and wires them together.

- above the tabs, :class:`.pack_chooser.PackChooser` (the Local Habitat Map pack);
- the tabs: :class:`.site_panel.SitePanel` (Site), :class:`.results_panel.ResultsPanel` (Results),
  :class:`.parcels_panel.ParcelsPanel` (Parcels), :class:`.versions_panel.VersionsPanel` (Versions) and
  :class:`.editing_panel.EditingPanel` (Edit map).

What the tabs share (the pack and its ``pack_changed``, the settings, the message bar, the officer's name) is
the :class:`.dock_context.DockContext`, which the tabs get instead of the dock. The dock holds no rules.
"""

from __future__ import annotations

from typing import Any

from qgis.core import Qgis, QgsSettings
from qgis.gui import QgsDockWidget, QgsMessageBar
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QKeySequence, QShortcut
from qgis.PyQt.QtWidgets import QSizePolicy, QTabWidget, QVBoxLayout, QWidget

from ..__about__ import DOCK_OBJECT_NAME
from ..core.screening.engine import PackIndex
from ..settings import PluginSettings
from .dock_context import DockContext
from .editing_panel import EditingPanel
from .pack_chooser import PackChooser
from .parcels_panel import ParcelsPanel
from .results_panel import ResultsPanel
from .screening_task import Results
from .scrolling_tabs import ScrollingTabs
from .site_panel import SitePanel
from .versions_panel import VersionsPanel


class LnrsDockWidget(QgsDockWidget):
    """Dock titled "LNRS Toolkit" with a stable objectName for layout restore."""

    def __init__(self, iface: Any = None, parent: QWidget | None = None,  # noqa: QGS105 - tests pass their own
                 settings_store: QgsSettings | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.setWindowTitle(self.tr("LNRS Toolkit"))
        self.setObjectName(DOCK_OBJECT_NAME)
        body = QWidget(self)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(4, 4, 4, 4)
        self.message_bar = QgsMessageBar(body)
        self.message_bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # never widens the dock
        outer.addWidget(self.message_bar)
        self.context = DockContext(iface, settings_store, self.message_bar, parent=self)
        self.pack_chooser = PackChooser(self.context, body)
        outer.addWidget(self.pack_chooser)
        self.tabs = self._build_tabs(body)
        outer.addWidget(self.tabs, 1)
        self.setWidget(body)
        self.setMinimumWidth(320)
        self._wire()
        self._set_tab_order()

    # ------------------------------------------------------------------ layout
    def _build_tabs(self, parent: QWidget) -> ScrollingTabs:
        """The tabs, each page in a scroll area: whatever a tab holds, the dock fits a 1366 x 768 screen."""
        tabs = ScrollingTabs(parent)
        tabs.setObjectName("dockTabs")
        self.site_panel = SitePanel(self.context)
        tabs.add_page(self.site_panel, self.tr("S&ite"))
        self.results_panel = ResultsPanel(self.context, self.site_panel.site_highlight, tabs)
        tabs.add_page(self.results_panel, self.tr("&Results"))
        self.parcels_panel = ParcelsPanel(self.context, tabs)  # the ecologists' tab: survey parcels
        tabs.add_page(self.parcels_panel, self.tr("Parce&ls"))
        self.versions_panel = VersionsPanel(self.context, tabs)  # LNRS teams: publish and compare versions
        tabs.add_page(self.versions_panel, self.tr("&Versions"))
        self.editing_panel = EditingPanel(self.context, tabs)  # LNRS teams: edit the opportunity areas
        tabs.add_page(self.editing_panel, self.tr("Edit &map"))
        tabs.currentChanged.connect(self._size_to_current_tab)
        self._size_to_current_tab(tabs.currentIndex(), tabs)
        return tabs

    def _size_to_current_tab(self, current: int, tabs: QTabWidget | None = None) -> None:
        """Only the tab on show sets the panel's size hint (a hidden tab's large page would otherwise make the dock
        ask for its size while another tab is on show)."""
        tabs = tabs or self.tabs
        for i in range(tabs.count()):
            page = tabs.widget(i)
            policy = QSizePolicy.Policy.Preferred if i == current else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        tabs.updateGeometry()

    def _wire(self) -> None:
        self.context.screening_inputs = self.site_panel.screening_inputs  # the Versions tab re-screens with them
        self.pack_chooser.pack_replaced.connect(self.results_panel.clear)
        self.site_panel.checking.connect(self.results_panel.set_checked_sites)
        self.site_panel.sites_changed.connect(self.results_panel.sites_replaced)
        self.site_panel.busy_changed.connect(self.results_panel.set_busy)
        self.site_panel.screened.connect(self._show_results)
        self.check_shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.check_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.check_shortcut.activated.connect(lambda: self.site_panel.check())

    def _show_results(self, results: Results) -> None:
        self.results_panel.set_results(results)
        if results:
            self.tabs.setCurrentWidget(self.results_panel)

    def _set_tab_order(self) -> None:
        site, results, pack = self.site_panel, self.results_panel, self.pack_chooser
        chain = [pack.pack_file, pack.recent_button, site.draw_button, site.selected_button, site.ref_edit,
                 site.address_edit, site.habitat_combo, site.distance_spin, site.officer_edit, site.check_button,
                 site.cancel_button, self.tabs, results.summary_table, results.results_view.tree,
                 results.results_view.detail, results.override_button, results.withdraw_button, results.copy_button,
                 results.json_button, results.html_button, results.pdf_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(380, 600)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.pack_chooser.load_pending_later()

    # ------------------------------------------------------------------ the shared state, read through the dock
    @property
    def pack_changed(self) -> Any:
        """The context's signal: emitted after a pack was loaded or reloaded."""
        return self.context.pack_changed

    @property
    def index(self) -> PackIndex | None:
        return self.context.index

    @property
    def pack_path(self) -> str:
        return self.context.pack_path

    @property
    def settings(self) -> PluginSettings:
        return self.context.settings

    @property
    def settings_store(self) -> QgsSettings | None:
        return self.context.settings_store

    @property
    def last_message(self) -> str:
        return self.context.last_message

    def show_message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info, duration: int = 8) -> None:
        self.context.show_message(text, level, duration)

    def show_error(self, text: str) -> None:
        self.context.show_error(text)

    def set_pack_path(self, path: str) -> bool:
        """Load the pack at ``path`` (see :meth:`.pack_chooser.PackChooser.set_pack_path`)."""
        return self.pack_chooser.set_pack_path(path)

    def refresh_pack(self) -> bool:
        return self.context.refresh_pack()

    # ------------------------------------------------------------------ teardown
    def close_down(self) -> None:
        """Release anything the dock holds before it is deleted."""
        self.pack_chooser.close_down()
        self.versions_panel.close_down()
        self.editing_panel.close_down()
        self.site_panel.close_down()
