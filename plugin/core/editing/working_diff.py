"""Reading a working copy's rows and bases and diffing them: the edits a check-in sends (:mod:`.working_copy`).

:func:`diff` gives an insert for a row without a known pack fid (several rows with the same pack fid, as after
*Split Features*: the first is the feature, the others are inserts), an update for a row that differs from its base
and a delete for a base with no row left. It works on every feature (:func:`bases`, :func:`rows`) or only on those
the change log names (:mod:`.change_log`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import shapely

from ..errors import PackError
from ..pack.gpkg import decode_blob
from . import change_log
from .edits import Edit, FeatureState
from .opportunity_feature import OpportunityFeature

WORKING = change_log.WORKING
CHECKED_OUT = change_log.BASES
_BASE_SELECT = f'SELECT pack_fid, base_measures, base_name, base_ref, base_geom_sha256, base_geom FROM "{CHECKED_OUT}"'
_ROW_SELECT = f'SELECT fid, pack_fid, measures, name, ref, geom FROM "{WORKING}"'


def _from_wkb(data: Any) -> Any:
    return None if data is None else shapely.from_wkb(bytes(data))


def _from_blob(blob: Any) -> Any:
    wkb = decode_blob(blob)
    return None if wkb is None else shapely.force_2d(shapely.from_wkb(wkb))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Base:
    fid: int
    measures: str
    name: str
    ref: str
    geom_sha256: str
    geometry: Any

    def feature(self, key: str) -> OpportunityFeature:
        return OpportunityFeature(self.fid, self.measures, self.geometry, self.name, self.ref, key)

    def state(self) -> FeatureState:
        return FeatureState(self.measures, self.name.strip(), self.ref.strip(), self.geom_sha256)


@dataclass(frozen=True)
class Row:
    fid: int
    pack_fid: int | None
    measures: str
    name: str
    ref: str
    geometry: Any

    def feature(self, pack_fid: int | None) -> OpportunityFeature:
        return OpportunityFeature(pack_fid, self.measures, self.geometry, self.name, self.ref, str(self.fid))


def bases(conn: sqlite3.Connection, fids: set[int] | None = None) -> dict[int, Base]:
    """The base of every checked-out feature, or of those among ``fids``."""
    if fids is None:
        found = list(conn.execute(_BASE_SELECT))
    else:
        found = [r for chunk in change_log.chunks(fids) for r in conn.execute(
            f"{_BASE_SELECT} WHERE pack_fid IN ({change_log.marks(chunk)})", chunk)]
    return {int(r[0]): Base(int(r[0]), _text(r[1]), _text(r[2]), _text(r[3]), _text(r[4]), _from_wkb(r[5]))
            for r in found if r[0] is not None}


def base_states(conn: sqlite3.Connection, fids: set[int] | None = None) -> dict[int, FeatureState]:
    """What each base (or each of ``fids``) is, without reading its geometry (the hash says it)."""
    select = f'SELECT pack_fid, base_measures, base_name, base_ref, base_geom_sha256 FROM "{CHECKED_OUT}"'
    found = list(conn.execute(f"{select} WHERE pack_fid IS NOT NULL")) if fids is None else [
        r for chunk in change_log.chunks(fids) for r in conn.execute(
            f"{select} WHERE pack_fid IN ({change_log.marks(chunk)})", chunk)]
    return {int(r[0]): FeatureState(_text(r[1]), _text(r[2]).strip(), _text(r[3]).strip(), _text(r[4]))
            for r in found}


def rows(conn: sqlite3.Connection, pack_fids: set[int] | None = None, row_fids: set[int] | None = None) -> list[Row]:
    """Every row in fid order, or the rows of those pack fids and those row fids."""
    if pack_fids is None or row_fids is None:
        found = list(conn.execute(f"{_ROW_SELECT} ORDER BY fid"))
    else:
        by_fid = {int(r[0]): r for chunk in change_log.chunks(pack_fids) for r in conn.execute(
            f"{_ROW_SELECT} WHERE pack_fid IN ({change_log.marks(chunk)})", chunk)}
        by_fid.update((int(r[0]), r) for chunk in change_log.chunks(row_fids) for r in conn.execute(
            f"{_ROW_SELECT} WHERE fid IN ({change_log.marks(chunk)})", chunk))
        found = [by_fid[k] for k in sorted(by_fid)]
    out = []
    for fid, pack_fid, measures, name, ref, geom in found:
        try:
            geometry = _from_blob(geom)
        except (PackError, shapely.errors.GEOSException):
            geometry = None  # validation names the feature: "has no usable geometry"
        out.append(Row(int(fid), None if pack_fid is None else int(pack_fid), _text(measures), _text(name),
                       _text(ref), geometry))
    return out


def diff(base_of: dict[int, Base], found: list[Row]) -> list[Edit]:
    """The edits that turn the bases ``base_of`` into the rows ``found`` (rows in fid order)."""
    primary: dict[int, Row] = {}
    out: list[Edit] = []
    inserts: list[Row] = []
    for row in found:
        if row.pack_fid is not None and row.pack_fid in base_of and row.pack_fid not in primary:
            primary[row.pack_fid] = row
        else:
            inserts.append(row)
    for pack_fid in sorted(base_of):
        base = base_of[pack_fid]
        mine = primary.get(pack_fid)
        if mine is None:
            out.append(Edit("delete", pack_fid, f"deleted:{pack_fid}", base.feature(f"deleted:{pack_fid}"), None))
            continue
        new = mine.feature(pack_fid)
        if FeatureState.of(new) != base.state():
            out.append(Edit("update", pack_fid, str(mine.fid), base.feature(str(mine.fid)), new))
    out.extend(Edit("insert", None, str(r.fid), None, r.feature(None)) for r in inserts)
    return out
