"""Told when a colleague saves, for a pack in PostGIS (issue 20, what teams miss): PostgreSQL LISTEN/NOTIFY.

- A check-in to a PostGIS pack (:mod:`.postgis_opportunity_store`) calls :func:`announce_checkin` inside its own
  transaction, just before the commit: ``pg_notify`` on the pack's channel (:func:`checkin_channel`, named for the
  schema) with a JSON payload: the check-in's session, who saved (the audit's ``edited_by``), the areas' fids and
  the pack's new content hash. PostgreSQL delivers it only if the transaction commits, to every connection that
  listens on the channel, and never a rolled-back check-in.
- :class:`CheckinListener` holds one separate autocommit connection that ``LISTEN``\\ s on the channel. It blocks
  nothing: its descriptor (:meth:`~CheckinListener.fileno`) is watched by the caller (the dock's ``QSocketNotifier``,
  :mod:`..gui.map_listen`) and :meth:`~CheckinListener.read` only takes what has arrived.

The payload is data from the database: it is parsed defensively (:func:`parse_notice`), never evaluated.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication

from ..core.errors import PackError
from .pack_source import _check_schema, _scrub
from .pg_connection import _psycopg2, pg_open

#: PostgreSQL refuses a channel name of 64 bytes or more; a payload must stay under 8000 bytes.
MAX_CHANNEL = 63
MAX_PAYLOAD = 7000
#: libpq keepalives, so that a listener on a connection that died quietly finds out within a few minutes.
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 60, "keepalives_interval": 10, "keepalives_count": 5}


def tr(message: str) -> str:
    return str(QCoreApplication.translate("PostgisNotify", message))


def checkin_channel(schema: str) -> str:
    """The channel of the pack in ``schema``: ``lnrs_<schema>``, shortened with a hash of the name when too long."""
    _check_schema(schema)
    name = f"lnrs_{schema}"
    if len(name) <= MAX_CHANNEL:
        return name
    return f"lnrs_{schema[:44]}_{hashlib.sha256(schema.encode('utf-8')).hexdigest()[:12]}"


@dataclass(frozen=True)
class CheckinNotice:
    """One check-in someone committed to the pack."""

    schema: str
    session: str
    edited_by: str
    fids: tuple[int, ...]
    content_sha256: str
    more: int = 0  # fids left out of the payload (a very large check-in)

    @property
    def count(self) -> int:
        return len(self.fids) + self.more


def notice_payload(schema: str, session: str, edited_by: str, fids: Sequence[int], content_sha256: str) -> str:
    """The JSON payload of a check-in's notice (fids cut so that it stays under :data:`MAX_PAYLOAD` bytes)."""
    ids = sorted({int(f) for f in fids})
    body = {"schema": schema, "session": session, "edited_by": edited_by[:200], "content_sha256": content_sha256}
    room = MAX_PAYLOAD - len(json.dumps({**body, "fids": [], "more": len(ids)}).encode("utf-8"))
    kept: list[int] = []
    for fid in ids:
        room -= len(str(fid)) + 2
        if room < 0:
            break
        kept.append(fid)
    return json.dumps({**body, "fids": kept, "more": len(ids) - len(kept)}, sort_keys=True)


def parse_notice(payload: str) -> CheckinNotice | None:
    """A notice from its payload; None when it is not one of ours."""
    try:
        data = json.loads(payload)
        return CheckinNotice(str(data["schema"]), str(data["session"]), str(data.get("edited_by", "")),
                             tuple(int(f) for f in data.get("fids", [])), str(data.get("content_sha256", "")),
                             max(0, int(data.get("more", 0))))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def announce_checkin(cur: Any, schema: str, session: str, edited_by: str, fids: Sequence[int],
                     content_sha256: str) -> None:
    """Queue the notice of a check-in in the open transaction of ``cur`` (sent when it commits).

    It runs in a savepoint: a notice that cannot be queued is given up, never the check-in."""
    psycopg2 = _psycopg2()
    cur.execute("SAVEPOINT lnrs_notify")
    try:
        cur.execute("SELECT pg_notify(%s, %s)", (checkin_channel(schema),
                                                 notice_payload(schema, session, edited_by, fids, content_sha256)))
    except psycopg2.Error:
        cur.execute("ROLLBACK TO SAVEPOINT lnrs_notify")
    else:
        cur.execute("RELEASE SAVEPOINT lnrs_notify")


class CheckinListener:
    """A connection listening for the check-ins to the pack in ``schema`` (:meth:`open` connects: not on the main
    thread, it may wait for the server)."""

    def __init__(self, connection_name: str, schema: str) -> None:
        self.connection_name = connection_name
        self.schema = _check_schema(schema)
        self.conn: Any = None

    def open(self) -> CheckinListener:
        psycopg2 = _psycopg2()
        conn = pg_open(self.connection_name, **KEEPALIVES)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(psycopg2.sql.SQL("LISTEN {}").format(psycopg2.sql.Identifier(checkin_channel(
                    self.schema))))
        except psycopg2.Error as exc:
            conn.close()
            raise PackError(tr("Cannot listen for colleagues' saves to the pack in schema {0}: {1}").format(
                self.schema, _scrub(str(exc)))) from None
        self.conn = conn
        return self

    def fileno(self) -> int:
        if self.conn is None:
            raise PackError(tr("The listener is not connected."))
        return int(self.conn.fileno())

    def read(self) -> list[CheckinNotice]:
        """The notices that have arrived (without waiting); PackError when the connection is lost."""
        if self.conn is None:
            return []
        psycopg2 = _psycopg2()
        try:
            self.conn.poll()
        except psycopg2.Error as exc:
            self.close()
            raise PackError(tr("The connection listening for colleagues' saves was lost: {0}").format(
                _scrub(str(exc)))) from None
        notices = []
        while self.conn.notifies:
            note = self.conn.notifies.pop(0)
            notice = parse_notice(note.payload)
            if notice is not None and notice.schema == self.schema:
                notices.append(notice)
        return notices

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()
