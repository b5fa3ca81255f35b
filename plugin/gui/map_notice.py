"""Told when a colleague saves (issue 20, what teams miss): one notice for both kinds of pack.

While a working copy is open, :class:`MapNotice` watches its pack: a GeoPackage through its file
(:class:`.map_watch.MapWatch`), a PostGIS schema through LISTEN/NOTIFY (:class:`.map_listen.MapListen`; this
editor's own check-ins are recognised by their session and are not news). When someone else saved, the dock's
message bar says so, who and how many areas when PostGIS tells, with an *Update from the map* button that runs the
tab's own :meth:`.edit_check_in.CheckIn.update_from_map`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication, QObject
from qgis.PyQt.QtWidgets import QPushButton

from ..adapters.postgis_notify import CheckinNotice
from .map_listen import MapListen
from .map_watch import MapWatch

translate = QCoreApplication.translate  # context "EditingPanel": the tab's texts


class MapNotice(QObject):
    """Watches the pack of the panel's working copy and shows the notice; ``sessions``: this editor's check-ins."""

    def __init__(self, panel: Any) -> None:
        super().__init__(panel if isinstance(panel, QObject) else None)
        self.panel = panel
        self.sessions: set[str] = set()
        self.button: QPushButton | None = None
        self.watch = MapWatch(self, self._known, lambda: panel.task is not None, lambda _digest: self._file_changed())
        self.listen = MapListen(self, self.sessions.__contains__, self._checked_in,
                                lambda: bool(getattr(panel, "synchronous", False)))

    def _known(self) -> str:
        working = self.panel.working
        return str(working.known_map_sha256()) if working is not None else ""

    def start(self) -> None:
        """Watch the pack of the panel's working copy (nothing when none is open)."""
        source = self.panel.source
        if self.panel.working is None or source is None:
            self.stop()
        elif source.kind == "postgis":
            self.watch.stop()
            self.listen.listen(source.connection, source.schema)
        else:
            self.listen.stop()
            self.watch.watch(Path(source.path))

    def stop(self) -> None:
        self.watch.stop()
        self.listen.stop()

    def own(self, session: str) -> None:
        """A check-in this editor is sending: its notice is not news."""
        if session:
            self.sessions.add(session)

    def _file_changed(self) -> None:
        self.show(translate("EditingPanel", "Someone saved changes to the Local Habitat Map since your working copy "
                                            "last took them in: Update from the map brings them in (the areas you "
                                            "changed stay as you have them)."))

    def _checked_in(self, notice: CheckinNotice) -> None:
        if self.panel.working is None:
            return
        who = notice.edited_by or translate("EditingPanel", "Someone")
        self.show(translate("EditingPanel", "{0} saved changes to {1} area(s) of the Local Habitat Map: Update from "
                                            "the map brings them in (the areas you changed stay as you have "
                                            "them).").format(who, notice.count))

    def show(self, text: str) -> None:
        """The notice, in the dock's message bar until closed, with the *Update from the map* button."""
        context = self.panel.context
        context.show_message(text, Qgis.MessageLevel.Info, 0)
        item = context.message_bar.currentItem()
        if item is None:
            return
        button = QPushButton(translate("EditingPanel", "Update from the map"))
        button.setObjectName("updateFromMapNoticeButton")
        button.clicked.connect(lambda: self._update(item))
        item.setWidget(button)
        self.button = button

    def _update(self, item: Any) -> None:
        self.panel.context.message_bar.popWidget(item)
        self.button = None
        self.panel.update_from_map()
