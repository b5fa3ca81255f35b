"""The dock's "Habitat map" group, above the tabs: choose the Local Habitat Map pack (file, recent, PostGIS),
add its layers to the map, and read which pack and version is loaded.

The pack it loads goes into the :class:`.dock_context.DockContext`, whose ``pack_changed`` the tabs follow.
"""

from __future__ import annotations

import traceback
from html import escape
from pathlib import Path
from typing import Any

from qgis.core import Qgis
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..__about__ import PLUGIN_ROOT
from ..adapters.pack_source import PackSource, postgis_pack_schemas, saved_postgres_connections
from ..adapters.postgis_windows import PostgisWindows, estimated_features
from ..core.errors import LnrsError
from ..core.pack.model import PackMetadata
from ..core.screening.engine import PackIndex
from ..core.screening.windowed import WindowedPack
from ..log import log_error
from .background_task import BackgroundTask
from .dock_context import DockContext
from .elided_label import MiddleElidedLabel
from .results_view import tip
from .task_start import start_task

DEMO_PACK = PLUGIN_ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg"
#: A GeoPackage pack this large or larger is answered from its R-tree while its whole index loads (bytes).
BACKGROUND_FROM_BYTES = 64 * 1024 * 1024
#: A PostGIS pack with this many features or more (PostgreSQL's estimate) likewise.
BACKGROUND_FROM_FEATURES = 100_000


def _large(source: PackSource) -> bool:
    if source.kind == "postgis":
        return estimated_features(source.connection, source.schema) >= BACKGROUND_FROM_FEATURES
    try:
        return Path(source.path).stat().st_size >= BACKGROUND_FROM_BYTES
    except OSError:
        return False  # the ordinary load says why the file cannot be read


def _windowed(source: PackSource) -> WindowedPack:
    if source.kind == "postgis":
        return WindowedPack(PostgisWindows(source.connection, source.schema))
    return WindowedPack(source.path)


class PackChooser(QGroupBox):
    """Pack file, Recent, PostGIS…, Add to map and the loaded pack's name, version, date and hash."""

    #: Emitted when another pack was chosen (not on a reload), before ``pack_changed``: results of the old pack go.
    pack_replaced = pyqtSignal()

    def __init__(self, context: DockContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Habitat map"))
        self.context = context
        self._pending_pack = ""
        self.load_task: BackgroundTask | None = None
        self.setObjectName("packGroup")
        self._build()
        context.pack_changed.connect(self._on_pack_changed)  # first: the pack info is right before the tabs follow
        self._choose_initial_pack()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.pack_file = QgsFileWidget(self)
        self.pack_file.setObjectName("packFileWidget")
        self.pack_file.setFilter(self.tr("Local Habitat Map packs (*.gpkg)"))
        self.pack_file.setDialogTitle(self.tr("Choose a Local Habitat Map pack"))
        self.pack_file.setStorageMode(QgsFileWidget.StorageMode.GetFile)
        self.pack_file.setToolTip(self.tr("The Local Habitat Map pack (.gpkg) to screen against"))
        self.pack_file.fileChanged.connect(self._on_pack_file_changed)
        row.addWidget(self.pack_file, 1)
        self.recent_button = QToolButton(self)
        self.recent_button.setObjectName("recentPacksButton")
        self.recent_button.setText(self.tr("Recent"))
        self.recent_button.setToolTip(self.tr("Recently used packs"))
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self.recent_button)
        self.recent_button.setMenu(self.recent_menu)
        row.addWidget(self.recent_button)
        self.postgis_button = QToolButton(self)
        self.postgis_button.setObjectName("postgisPackButton")
        self.postgis_button.setText(self.tr("PostGIS\u2026"))
        self.postgis_button.setToolTip(self.tr("Open a pack held in a PostGIS schema, through one of QGIS's saved "
                                               "PostgreSQL connections"))
        self.postgis_button.clicked.connect(self.choose_postgis_pack)
        row.addWidget(self.postgis_button)
        self.add_layers_button = QToolButton(self)
        self.add_layers_button.setObjectName("addPackLayersButton")
        self.add_layers_button.setText(self.tr("Add to map"))
        self.add_layers_button.setToolTip(self.tr("Add the pack's layers to the project, styled, in a group named "
                                                  "after the pack"))
        self.add_layers_button.clicked.connect(self.add_pack_layers)
        layout.addLayout(row)
        self.pack_info = QLabel(self.tr("No Local Habitat Map loaded."), self)
        self.pack_info.setObjectName("packStatusLabel")
        self.pack_info.setWordWrap(True)
        self.pack_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.pack_info)
        self.pack_path_label = MiddleElidedLabel(self)  # one line, the middle elided; the whole path in its tooltip
        self.pack_path_label.setObjectName("packPathLabel")
        font = self.pack_path_label.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        self.pack_path_label.setFont(font)
        self.pack_path_label.setVisible(False)
        loaded = QHBoxLayout()  # the loaded pack's path and Add to map: the first row fits a 440 px dock
        loaded.addWidget(self.pack_path_label, 1)
        loaded.addWidget(self.add_layers_button)
        layout.addLayout(loaded)
        self.status_label = self.pack_info  # kept for callers of the first dock
        self._fill_recent_menu()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_layers_button.setEnabled(self.context.screening_source() is not None)

    # ------------------------------------------------------------------ the first pack
    def _choose_initial_pack(self) -> None:
        settings = self.context.settings
        last = settings.last_pack
        if last and Path(last).is_file():
            self._pending_pack = last
        elif not last and not settings.recent_packs and DEMO_PACK.is_file():
            self._pending_pack = str(DEMO_PACK)
        if self._pending_pack:
            self.pack_file.blockSignals(True)
            self.pack_file.setFilePath(self._pending_pack)
            self.pack_file.blockSignals(False)
            self.pack_info.setText(self.tr("Habitat map {0} will load when the panel opens.").format(
                Path(self._pending_pack).name))

    def load_pending_later(self) -> None:
        """The dock is shown: load the pack remembered from the last session, once the dock is drawn."""
        if self._pending_pack and self.context.index is None:
            QTimer.singleShot(0, self._load_pending)

    def _load_pending(self) -> None:
        path, self._pending_pack = self._pending_pack, ""
        if path and self.context.index is None:
            self.set_pack_path(path)

    # ------------------------------------------------------------------ choosing
    def _on_pack_file_changed(self, path: str) -> None:
        if path and path != self.context.pack_path:
            self.set_pack_path(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.context.settings.recent_packs
        for path in recent:
            action = self.recent_menu.addAction(path if path.startswith("postgis:") else Path(path).name)
            action.setToolTip(tip(path))
            action.setData(path)
            action.triggered.connect(lambda _checked=False, p=path: self.set_pack_path(p))
        if DEMO_PACK.is_file() and str(DEMO_PACK) not in recent:
            action = self.recent_menu.addAction(self.tr("Demo pack (bundled)"))
            action.triggered.connect(lambda _checked=False: self.set_pack_path(str(DEMO_PACK)))
        self.recent_button.setEnabled(not self.recent_menu.isEmpty())

    def set_pack_path(self, path: str, synchronous: bool = False) -> bool:
        """Load the pack at ``path``; on failure the message says why and the previous pack stays.

        A large pack (a GeoPackage of :data:`BACKGROUND_FROM_BYTES` or more, a PostGIS pack of
        :data:`BACKGROUND_FROM_FEATURES` or more) that is not
        loaded yet is answered at once from its spatial index, site by site, while its whole index is built in
        a background task (shown in QGIS's task manager); ``synchronous`` builds it now (tests).
        """
        context = self.context
        self._pending_pack = ""
        try:
            source = PackSource.parse(path)
            cached = context.packs.cached(source)
            background = cached is None and not synchronous and _large(source)
            windowed = _windowed(source) if background else None
        except LnrsError as exc:
            context.show_error(self.tr("The habitat map could not be loaded: {0}").format(str(exc)))
            return False
        if windowed is not None:
            self._start_background_load(path, windowed)
            return True
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            index = cached.index if cached is not None else context.packs.get(path).index
        except LnrsError as exc:
            context.show_error(self.tr("The habitat map could not be loaded: {0}").format(str(exc)))
            return False
        except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
            log_error(traceback.format_exc())
            context.show_error(self.tr("The habitat map could not be loaded; the details are in the LNRS Toolkit tab "
                                       "of the message log."))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._loaded(path, index, None)
        return True

    def _loaded(self, path: str, index: PackIndex | None, windowed: WindowedPack | None) -> None:
        """``path`` is the pack now: its whole ``index``, or (while that loads) ``windowed``."""
        context = self.context
        replaced = str(path) != context.pack_path or (context.index is None and context.windowed is None)
        context.index, context.windowed = index, windowed
        context.pack_path = str(path)
        self.pack_file.blockSignals(True)
        self.pack_file.setFilePath("" if str(path).startswith("postgis:") else str(path))
        self.pack_file.blockSignals(False)
        if replaced:
            context.settings.remember_pack(str(path))
            context.save_settings()
            self._fill_recent_menu()
            self.pack_replaced.emit()
            context.clear_messages()
        for note in index.load_notes if index is not None else ():
            context.show_message(note, Qgis.MessageLevel.Warning)
        context.pack_changed.emit()

    def _start_background_load(self, path: str, windowed: WindowedPack) -> None:
        context = self.context
        if self.load_task is not None:
            self.load_task.cancel()
        self._loaded(path, None, windowed)
        context.show_message(self.tr("Sites can be checked now, from the map's spatial index; the whole map is "
                                     "loading in the background (see the task manager) for the other tabs."),
                             Qgis.MessageLevel.Info)

        def work(_is_cancelled: Any, _progress: Any) -> PackIndex:
            return context.packs.get(path).index

        def done(index: PackIndex | None, error: str, cancelled: bool) -> None:
            self.load_task = None
            if cancelled or context.pack_path != str(path) or context.windowed is not windowed:
                return  # another pack was chosen meanwhile
            if index is None:
                context.show_error(self.tr("The whole habitat map could not be loaded: {0}").format(error))
                return
            self._loaded(path, index, None)

        name = windowed.outline.metadata.lnrs_name or Path(path).name
        self.load_task = BackgroundTask(
            self.tr("Loading the Local Habitat Map {0}").format(name), work, done,
            "the habitat map could not be loaded; the details are in the LNRS Toolkit tab of the message log.",
            can_cancel=False)
        start_task(self.load_task, False)

    def close_down(self) -> None:
        """The dock is going: a whole-map load still running is left to finish, its answer dropped."""
        if self.load_task is not None:
            self.load_task.on_done = lambda *_a: None
            self.load_task = None

    def postgis_pack_addresses(self) -> tuple[list[str], list[str]]:
        """``postgis:CONNECTION/SCHEMA`` for every pack schema in the saved connections, and the
        connections that could not be asked (with the reason)."""
        addresses: list[str] = []
        failures: list[str] = []
        for name in saved_postgres_connections():
            try:
                addresses += [str(PackSource.postgis(name, schema)) for schema in postgis_pack_schemas(name)]
            except LnrsError as exc:
                failures.append(f"{name}: {exc}")
        return addresses, failures

    def choose_postgis_pack(self) -> bool:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            addresses, failures = self.postgis_pack_addresses()
        finally:
            QApplication.restoreOverrideCursor()
        for failure in failures:
            self.context.show_message(self.tr("Connection skipped: {0}").format(failure), Qgis.MessageLevel.Warning)
        if not addresses:
            self.context.show_error(self.tr(
                "No Local Habitat Map pack was found in the saved PostgreSQL connections. Add a connection in the "
                "Browser panel (PostgreSQL \u25b8 New Connection) with an authentication configuration, and publish "
                "a pack into one of its schemas."))
            return False
        choice, ok = QInputDialog.getItem(self, self.tr("Open a pack from PostGIS"),
                                          self.tr("Connection / schema:"), addresses, 0, False)
        if not ok or not choice:
            return False
        return self.set_pack_path(choice)

    # ------------------------------------------------------------------ the loaded pack
    def add_pack_layers(self) -> bool:
        """The loaded pack's styled layers into the project (designations, habitats, labelled measures)."""
        context = self.context
        if context.screening_source() is None or not context.pack_path:
            context.show_error(self.tr("Load a habitat map first."))
            return False
        from ..project_layers import open_pack_in_project

        try:
            open_pack_in_project(context.pack_path, canvas=context.canvas())
        except LnrsError as exc:
            context.show_error(self.tr("The pack's layers could not be added: {0}").format(str(exc)))
            return False
        return True

    def _on_pack_changed(self, *_args: Any) -> None:
        self._show_pack_info()
        self._update_buttons()

    def _show_pack_info(self) -> None:
        index, windowed = self.context.index, self.context.windowed
        if index is None and windowed is None:
            self.pack_info.setText(self.tr("No Local Habitat Map loaded."))
            self.pack_info.setToolTip("")
            self.pack_path_label.setVisible(False)
            return
        meta = index.pack.metadata if index is not None else windowed.outline.metadata  # type: ignore[union-attr]
        name = index.ref.name if index is not None else (meta.lnrs_name or "(unnamed pack)")
        sha = meta.content_sha256
        # a line each for the name and the version (a 440 px dock at 1366 x 768 holds them); the hash by the status
        self.pack_info.setText(self.tr(
            "<b>{0}</b><br>version {1} \u00b7 published {2}<br>sha256 {3}\u2026 \u00b7 ").format(
            escape(name), escape(meta.version or self.tr("unknown")),
            escape(meta.publication_date or self.tr("unknown")), escape(sha[:12] or self.tr("unknown")))
            + escape(lnrs_status_text(meta))
            + ("" if index is not None else "<br>" + self.tr("loading the whole map in the background\u2026")))
        self.pack_path_label.set_full_text(self.context.pack_path)
        self.pack_path_label.setVisible(True)
        self.pack_info.setToolTip(tip(self.context.pack_path)
                                  + tip(self.tr("sha256 {0}").format(sha or self.tr("unknown"))))


def lnrs_status_words(meta: PackMetadata) -> str:
    """Whether the pack's strategy is published (with its date), as the pack records it."""
    if not meta.lnrs_status:
        return QCoreApplication.translate("PackChooser", "LNRS status not recorded in the pack")
    if meta.lnrs_published:
        if meta.lnrs_published_date:
            return QCoreApplication.translate("PackChooser", "LNRS published {0}").format(meta.lnrs_published_date)
        return QCoreApplication.translate("PackChooser", "LNRS published")
    return QCoreApplication.translate("PackChooser", "LNRS not yet published")


def lnrs_status_text(meta: PackMetadata) -> str:
    """The status and the metric guide's table it calls for (strategic significance depends on it)."""
    if not meta.lnrs_status:
        return QCoreApplication.translate("PackChooser", "{0} (metric Table 7 assumed: published)").format(
            lnrs_status_words(meta))
    table = "Table 7" if meta.lnrs_published else "Table 8"
    return QCoreApplication.translate("PackChooser", "{0} (metric {1})").format(lnrs_status_words(meta), table)
