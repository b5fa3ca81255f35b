"""Told when a colleague saves, for a pack in PostGIS: the dock's side of LISTEN/NOTIFY
(:mod:`..adapters.postgis_notify`).

:class:`MapListen` connects a :class:`~..adapters.postgis_notify.CheckinListener` off the main thread (a task: the
server may be slow to answer), then watches its descriptor with a ``QSocketNotifier``: Qt's event loop wakes it when a
notice arrives, with no polling loop and no wait on the main thread. Check-ins of this dock's own sessions are not
news (``own(session)``); every other one goes to ``notify(notice)``. A lost connection is tried again every
:data:`RETRY_MS`.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from typing import Any

from qgis.PyQt.QtCore import QObject, QSocketNotifier, QTimer

from ..adapters.postgis_notify import CheckinListener, CheckinNotice
from ..core.errors import LnrsError
from ..log import log_error
from .edit_task import EngineTask, run_engine

#: How long after a lost connection (or one that could not be made) listening is tried again.
RETRY_MS = 30_000


class MapListen(QObject):
    """Listens for check-ins to one PostGIS pack while a working copy of it is open."""

    def __init__(self, parent: QObject | None, own: Callable[[str], bool], notify: Callable[[CheckinNotice], None],
                 synchronous: Callable[[], bool] = lambda: False) -> None:
        super().__init__(parent)
        self.own, self.notify, self.synchronous = own, notify, synchronous
        self.target: tuple[str, str] | None = None  # (connection, schema)
        self.listener: CheckinListener | None = None
        self.notifier: QSocketNotifier | None = None
        self.task: EngineTask | None = None
        self._generation = 0  # a connection made for an earlier target is closed, not used
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self._connect)

    def listen(self, connection_name: str, schema: str) -> None:
        if self.target == (connection_name, schema) and (self.listener is not None or self.task is not None):
            return
        self.stop()
        self.target = (connection_name, schema)
        self._connect()

    def listening(self) -> bool:
        return self.notifier is not None

    def _connect(self) -> None:
        if self.target is None:
            return
        self._generation += 1
        generation, (connection_name, schema) = self._generation, self.target

        def done(listener: Any, error: BaseException | None) -> None:
            self.task = None
            if generation != self._generation or self.target is None:
                if listener is not None:
                    listener.close()
                return
            if error is not None or listener is None:
                if error is not None and not isinstance(error, LnrsError):
                    log_error("".join(traceback.format_exception(type(error), error, error.__traceback__)))
                self.retry.start()  # the map works without it; the next try may reach the server
                return
            self._attach(listener)

        self.task = run_engine("LNRS: listen for colleagues' saves", CheckinListener(connection_name, schema).open,
                               done, self.synchronous())

    def _attach(self, listener: CheckinListener) -> None:
        self.listener = listener
        self.notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._readable)
        self._readable()  # anything that arrived while the notifier was being set up

    def _readable(self, *_args: Any) -> None:
        if self.listener is None:
            return
        try:
            notices = self.listener.read()
        except LnrsError:
            self._drop()
            self.retry.start()
            return
        for notice in notices:
            if not self.own(notice.session):
                self.notify(notice)

    def _drop(self) -> None:
        notifier, self.notifier = self.notifier, None
        if notifier is not None:
            notifier.setEnabled(False)
            with contextlib.suppress(TypeError, RuntimeError):
                notifier.activated.disconnect(self._readable)
            notifier.deleteLater()
        listener, self.listener = self.listener, None
        if listener is not None:
            listener.close()

    def stop(self) -> None:
        self._generation += 1
        self.retry.stop()
        self.target = None
        self._drop()
