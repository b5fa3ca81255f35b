"""The dock-wide services every tab shares, so that no tab imports the dock that assembles it.

One :class:`DockContext` per dock holds the pack chosen above the tabs (``index``, ``pack_path`` and the
``pack_changed`` signal; ``windowed`` while a large pack's whole index is still loading), the plugin settings,
the message bar (``show_message``, ``show_error``), the officer's name and the search distance / proposed
habitat of the Site tab (``screening_inputs``).
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from html import escape
from typing import Any

from qgis.core import Qgis, QgsSettings
from qgis.gui import QgsMessageBar, QgsMessageBarItem, QgsMessageViewer
from qgis.PyQt.QtCore import QEvent, QObject, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QTextBrowser, QToolButton

from ..adapters.pack_source import PackCache
from ..core.errors import LnrsError
from ..core.screening.engine import PackIndex
from ..core.screening.options import ScreeningOptions
from ..core.screening.windowed import WindowedPack
from ..settings import PluginSettings

#: Packs (GeoPackage or PostGIS) and their indexes, built once per pack version.
PACKS = PackCache()
#: The most lines a message takes in the dock's message bar; a longer one scrolls there (and *Show all* opens it).
MESSAGE_LINES = 4
#: Search distance when no Site tab gives one.
DEFAULT_SEARCH_DISTANCE_M = 500.0

ScreeningInputs = tuple[ScreeningOptions, str | None]


def officer_name(settings: PluginSettings) -> str:
    """The name on reports, audit rows and published versions: the one given, else the login name."""
    if settings.officer_name.strip():
        return settings.officer_name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


class DockContext(QObject):
    """What the dock's tabs share: the loaded pack, the settings, the message bar and the officer's name."""

    #: Emitted after a pack was loaded or reloaded (``index`` / ``pack_path`` changed); the tabs follow it.
    pack_changed = pyqtSignal()

    def __init__(self, iface: Any, settings_store: QgsSettings | None, message_bar: QgsMessageBar,  # noqa: QGS105
                 packs: PackCache = PACKS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.iface = iface
        self.settings_store = settings_store
        self.settings = PluginSettings.load(settings_store)
        self.message_bar = message_bar
        self.packs = packs
        self.index: PackIndex | None = None
        #: While a large pack's whole index loads in the background: the pack read near each site (first answers).
        self.windowed: WindowedPack | None = None
        self.pack_path = ""
        self.last_message = ""
        #: The search distance and proposed habitat screening uses (the dock points it at its Site tab).
        self.screening_inputs: Callable[[], ScreeningInputs] = self._default_screening_inputs

    def screening_source(self) -> PackIndex | WindowedPack | None:
        """What a check screens against: the whole pack's index, else the pack read near each site."""
        return self.index if self.index is not None else self.windowed

    def canvas(self) -> Any:
        return self.iface.mapCanvas() if self.iface is not None else None

    def officer(self) -> str:
        return officer_name(self.settings)

    def save_settings(self) -> None:
        self.settings.save(self.settings_store)

    def _default_screening_inputs(self) -> ScreeningInputs:
        return ScreeningOptions(search_distance_m=DEFAULT_SEARCH_DISTANCE_M,
                                sliver_tolerance_m2=float(self.settings.sliver_tolerance_m2)), None

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str, level: Qgis.MessageLevel = Qgis.MessageLevel.Info, duration: int = 8) -> None:
        """Show a sentence in the dock's message bar (errors stay until closed). A message longer than
        :data:`MESSAGE_LINES` lines scrolls in the bar, and its *Show all* button opens it whole."""
        self.last_message = text
        self.message_bar.clearWidgets()
        whole = QToolButton(self.message_bar)  # owned by Qt (the item takes it), not by Python
        whole.setObjectName("messageShowAllButton")
        whole.setText(self.tr("Show all"))
        whole.setToolTip(self.tr("Read the whole message in a window"))
        whole.setAutoRaise(True)
        whole.clicked.connect(lambda _checked=False: self.show_whole_message(text))
        # the message may quote pack data or paths: shown escaped, as rich text so entities are decoded
        item = QgsMessageBarItem("", f"<span>{escape(text)}</span>", whole, level,
                                 0 if level == Qgis.MessageLevel.Critical else duration, self.message_bar)
        self.message_bar.pushItem(item)  # the bar owns the item (its parent): Python does not delete it
        browser = item.findChild(QTextBrowser)
        if browser is not None:  # re-fitted whenever its width changes (the dock docked, floated or resized)
            browser.installEventFilter(self)
        self.fit_message()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and isinstance(watched, QTextBrowser):
            old, new = event.oldSize(), event.size()
            if old.width() != new.width():
                QTimer.singleShot(0, self.fit_message)
        return False

    def show_whole_message(self, text: str) -> QgsMessageViewer:
        """The message in a window of its own (not modal), to read and copy whole."""
        viewer = QgsMessageViewer(self.message_bar.window())
        viewer.setTitle(self.tr("LNRS Toolkit"))
        viewer.setMessageAsPlainText(text)
        viewer.showMessage(False)
        return viewer

    def fit_message(self) -> None:
        """Let the message show whole up to :data:`MESSAGE_LINES` lines (QGIS gives it two, which cuts a sentence in
        a narrow dock); a longer one scrolls, capped so it never takes the dock, with *Show all* shown."""
        item = self.message_bar.currentItem()
        browser = item.findChild(QTextBrowser) if item is not None else None
        if browser is None:
            return
        base = browser.property("lnrsBaseHeight")
        if base is None:
            base = browser.height()
            browser.setProperty("lnrsBaseHeight", base)
        whole = item.findChild(QToolButton, "messageShowAllButton")
        width = browser.viewport().width()
        if whole is not None and whole.isVisible():  # measured without Show all: it shows only for a long message
            width += whole.width() + 6
        if width < 60:  # not laid out yet: the bar less the icon and the close button
            width = self.message_bar.width() - 110
        document = browser.document().clone(browser)  # measured on a copy: the text keeps wrapping to the browser
        document.setTextWidth(max(100, width))
        height, margin = document.size().height(), document.documentMargin()
        block, lines = document.begin(), 0
        while block.isValid():
            lines += block.layout().lineCount()
            block = block.next()
        document.deleteLater()
        chrome = 2 * browser.frameWidth() + 4
        wanted = int(height) + chrome
        frame = browser.height() - browser.viewport().height()  # QGIS's style: not twice frameWidth()
        line = (height - 2 * margin) / max(1, lines)
        cap = int(margin + MESSAGE_LINES * line) + (frame if 0 < frame < chrome else 2 * browser.frameWidth())
        browser.setFixedHeight(max(int(base), wanted if lines <= MESSAGE_LINES else cap))
        if whole is not None:
            whole.setVisible(lines > MESSAGE_LINES)  # then the text, narrower, is longer still: capped, it scrolls

    def show_error(self, text: str) -> None:
        self.show_message(text, Qgis.MessageLevel.Critical)

    def clear_messages(self) -> None:
        self.message_bar.clearWidgets()

    # ------------------------------------------------------------------ pack
    def refresh_pack(self) -> bool:
        """Reload the loaded pack after it changed (a version was published, edits were saved); the results on
        show stay, each citing the version it was screened against."""
        if not self.pack_path:
            return False
        try:
            index = self.packs.get(self.pack_path).index
        except LnrsError as exc:
            self.show_error(self.tr("The habitat map could not be reloaded: {0}").format(str(exc)))
            return False
        self.index = index
        self.pack_changed.emit()
        return True
