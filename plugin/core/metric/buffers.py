"""Natural England and Forestry Commission standing-advice buffers around irreplaceable habitats.

Standing advice on ancient woodland, ancient trees and veteran trees: a buffer of at least 15 m from
ancient woodland; around an ancient or veteran tree at least 15 x the stem diameter, or 5 m beyond
the edge of the canopy if larger. Every default is documented in docs/rules.md and configurable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .vocabulary import IRREPLACEABLE_TYPES


@dataclass(frozen=True)
class BufferRules:
    """Buffers around irreplaceable habitats, in metres."""

    #: Minimum buffer per irreplaceable polygon type (standing advice: ancient woodland >= 15 m).
    habitat_buffer_m: tuple[tuple[str, float], ...] = (
        ("ancient_woodland", 15.0),
        ("blanket_bog", 0.0),
        ("lowland_fen", 0.0),
        ("limestone_pavement", 0.0),
        ("coastal_sand_dunes", 0.0),
        ("spartina_saltmarsh_swards", 0.0),
        ("mediterranean_saltmarsh_scrub", 0.0),
    )
    #: Tree buffer = max(stem_multiplier x stem diameter, crown radius + canopy_margin_m).
    stem_multiplier: float = 15.0
    canopy_margin_m: float = 5.0
    #: Used when neither stem diameter nor crown radius is known (15 x an assumed 1 m stem).
    assumed_tree_buffer_m: float = 15.0

    def for_habitat(self, habitat_type: str) -> float:
        return dict(self.habitat_buffer_m).get(habitat_type, 0.0)

    def for_tree(self, stem_diameter_m: float | None, crown_radius_m: float | None) -> tuple[float, bool]:
        """The buffer for one tree and whether it had to be assumed."""
        candidates = []
        if _known(stem_diameter_m):
            candidates.append(self.stem_multiplier * float(stem_diameter_m))  # type: ignore[arg-type]
        if _known(crown_radius_m):
            candidates.append(float(crown_radius_m) + self.canopy_margin_m)  # type: ignore[arg-type]
        if not candidates:
            return self.assumed_tree_buffer_m, True
        return max(candidates), False


def _known(value: float | None) -> bool:
    return value is not None and not math.isnan(value) and value > 0


assert set(dict(BufferRules().habitat_buffer_m)) == set(IRREPLACEABLE_TYPES)
