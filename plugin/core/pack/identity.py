"""Stable feature ids across re-imports: which rows of a pack table keep which fid when a source is added again.

Check-ins, the audit trail, working copies and version comparison all name a feature by its fid, so
re-adding a layer with ``lnrs:addtohabitatmap`` must not renumber anything (issue 20, defect 2):

- rows of other sources keep their fids;
- a row of the incoming layer that stands for a row it replaces (a row of the same source, or of a
  source the user says it replaces, e.g. the same layer from another file) takes that row's fid. It is
  matched by the source's own id (``ref``, from ``REF_FIELD``; ``code`` in the measures catalogue) when
  that id names exactly one replaced row and one incoming row, else by its geometry hash, so an
  unchanged area keeps its fid and a changed area with the same reference keeps it too;
- every other incoming row gets a new fid above every fid the table ever held (SQLite's ``AUTOINCREMENT``
  sequence, kept across rewrites by :func:`.gpkg.write_table`) and above every fid the audit trail names:
  a deleted feature's fid is never handed out again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .builder import MappedRows, kept_rows
from .content_hash import geometry_sha256
from .model import GeomArray, PackLayer


@dataclass(frozen=True)
class KeyedRows:
    """The table's rows after a merge, with the fid each keeps (``None``: a new fid)."""

    columns: dict[str, list[Any]]
    geoms: GeomArray | None
    fids: list[int | None]
    kept_fids: int          # incoming rows that took the fid of the row they replace
    replaced: int           # rows of the table that incoming rows replaced


def _source_id(spec_role: str, columns: Mapping[str, Sequence[Any]], i: int) -> str:
    column = "code" if spec_role == "measures" else "ref"
    values = columns.get(column)
    if values is None or values[i] is None:
        return ""
    return str(values[i]).strip().upper() if column == "code" else str(values[i]).strip()


def merge_keeping_ids(existing: PackLayer | None, new: MappedRows, replaces: Sequence[str] = ()) -> KeyedRows:
    """Existing rows (minus those ``new`` replaces) + ``new``, with fids kept as the module says."""
    spec = new.spec
    n_new = len(new)
    if existing is None:
        return KeyedRows(dict(new.columns), new.geoms, [None] * n_new, 0, 0)
    keep = kept_rows(existing, new, replaces)
    idx = np.flatnonzero(keep)
    gone = np.flatnonzero(~keep)
    cols = {c: [existing.columns[c][i] for i in idx] + list(new.columns[c]) for c in spec.column_names}
    geoms = None
    if spec.is_spatial:
        old = existing.geoms[idx] if existing.geoms is not None else np.empty(0, dtype=object)
        geoms = np.concatenate([old, new.geoms if new.geoms is not None else np.empty(0, dtype=object)])
    fids: list[int | None] = [int(existing.fids[i]) for i in idx]
    fids.extend(_matched_fids(existing, gone, new))
    return KeyedRows(cols, geoms, fids, sum(f is not None for f in fids[len(idx):]), len(gone))


def _matched_fids(existing: PackLayer, gone: npt.NDArray[np.intp], new: MappedRows) -> list[int | None]:
    role = new.spec.role
    n_new = len(new)
    out: list[int | None] = [None] * n_new
    if not len(gone):
        return out
    old_ids = {int(i): _source_id(role, existing.columns, int(i)) for i in gone}
    new_ids = [_source_id(role, new.columns, i) for i in range(n_new)]
    old_count = Counter(v for v in old_ids.values() if v)
    new_count = Counter(v for v in new_ids if v)
    by_id = {v: i for i, v in old_ids.items() if v and old_count[v] == 1}
    taken: set[int] = set()
    for j, key in enumerate(new_ids):
        if key and new_count[key] == 1 and key in by_id:
            out[j] = int(existing.fids[by_id[key]])
            taken.add(by_id[key])
    if existing.geoms is None or new.geoms is None:
        return out
    by_hash: dict[str, list[int]] = {}
    for i in gone:
        if int(i) not in taken:
            digest = geometry_sha256(existing.geoms[int(i)])
            if digest:
                by_hash.setdefault(digest, []).append(int(i))
    for j in range(n_new):
        if out[j] is not None:
            continue
        queue = by_hash.get(geometry_sha256(new.geoms[j]))
        if queue:
            out[j] = int(existing.fids[queue.pop(0)])
    return out
