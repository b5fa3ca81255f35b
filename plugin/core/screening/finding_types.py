"""The per-polygon finding records of a screening result: one irreplaceable habitat polygon or tree, one
designated site polygon. (Re-exported by :mod:`.results`; grouped by named site in :mod:`.grouping`.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def rounded(value: float | None, digits: int = 4) -> float | None:
    """``value`` rounded for JSON (None stays None)."""
    return None if value is None else round(float(value), digits)


_r = rounded


@dataclass(frozen=True)
class IrreplaceableFinding:
    habitat: str  # pack vocabulary, or "ancient_veteran_tree"
    name: str
    ref: str
    status: str
    overlap_m2: float
    distance_m: float
    buffer_m: float
    buffer_assumed: bool
    in_buffer: bool
    relation: str  # overlap | adjoins | buffer | nearby
    buffer_intrusion_m2: float
    layer: str
    fid: int

    def to_dict(self) -> dict[str, Any]:
        return {"habitat": self.habitat, "name": self.name, "ref": self.ref, "status": self.status,
                "overlap_m2": _r(self.overlap_m2), "distance_m": _r(self.distance_m, 3),
                "buffer_m": _r(self.buffer_m, 3), "buffer_assumed": self.buffer_assumed,
                "in_buffer": self.in_buffer, "relation": self.relation,
                "buffer_intrusion_m2": _r(self.buffer_intrusion_m2)}


@dataclass(frozen=True)
class DesignatedFinding:
    designation: str
    name: str
    ref: str
    overlap_m2: float
    distance_m: float
    relation: str  # overlap | adjoins | nearby
    layer: str
    fid: int

    def to_dict(self) -> dict[str, Any]:
        return {"designation": self.designation, "name": self.name, "ref": self.ref,
                "overlap_m2": _r(self.overlap_m2), "distance_m": _r(self.distance_m, 3),
                "relation": self.relation}
