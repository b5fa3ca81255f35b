"""One habitat parcel as the core sees it: the input of the parcel QA and the significance split."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Parcel:
    """One habitat parcel as the core sees it (EPSG:27700)."""

    ref: str
    geometry: BaseGeometry | None
    habitat: str | None = None  # a metric label, a unique habitat type, or a broad habitat
    broad_habitat: str | None = None  # e.g. the Defra "... Broad Habitat Type" field
    condition: str | None = None
    area: float | None = None  # the area recorded in the parcel's attributes (m²)
    check_condition: bool = True
