"""The per-polygon finding records of a screening result: one irreplaceable habitat polygon or tree, one
designated site polygon, one priority habitat polygon. (Re-exported by :mod:`.results`; grouped by named site
in :mod:`.grouping`.)"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def rounded(value: float | None, digits: int = 4) -> float | None:
    """``value`` rounded for JSON (None stays None)."""
    return None if value is None else round(float(value), digits)


_r = rounded

#: The inventory an ancient woodland polygon came from, in words (the pack's ``inventory`` column).
INVENTORY_TITLES = {"revised": "revised Ancient Woodland Inventory", "legacy": "legacy Ancient Woodland Inventory"}


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
    #: ancient woodland: the inventory the polygon came from, "revised" or "legacy" ("" when not known)
    inventory: str = ""

    @property
    def inventory_title(self) -> str:
        """"revised Ancient Woodland Inventory", "legacy Ancient Woodland Inventory" or "" (not known)."""
        return INVENTORY_TITLES.get(self.inventory, self.inventory)

    def to_dict(self) -> dict[str, Any]:
        return {"habitat": self.habitat, "name": self.name, "ref": self.ref, "status": self.status,
                "inventory": self.inventory,
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


@dataclass(frozen=True)
class PriorityHabitatFinding:
    """One Priority Habitats Inventory polygon on or within the search distance of a site."""

    main_habitat: str  # MainHabs, as published
    additional_habitats: str  # AddHabs, as published ("" when none)
    habitat_codes: str  # HabCodes, as published
    confidence: str  # the inventory's confidence, "" when not given
    overlap_m2: float
    pct_of_site: float  # overlap as a share of the site (%)
    distance_m: float
    relation: str  # overlap | adjoins | nearby
    layer: str
    fid: int

    @property
    def on_site(self) -> bool:
        return self.relation == "overlap"

    def to_dict(self) -> dict[str, Any]:
        return {"main_habitat": self.main_habitat, "additional_habitats": self.additional_habitats,
                "habitat_codes": self.habitat_codes, "confidence": self.confidence,
                "overlap_m2": _r(self.overlap_m2), "pct_of_site": _r(self.pct_of_site, 3),
                "distance_m": _r(self.distance_m, 3), "relation": self.relation}
