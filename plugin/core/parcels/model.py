"""One feature of a metric survey as the core sees it: an area habitat parcel, a hedgerow, a watercourse
or an individual tree; the input of the parcel QA and the significance split."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry

from ..metric.module_types import AREA


@dataclass(frozen=True)
class Parcel:
    """One survey feature (EPSG:27700): polygons for area habitats, lines for hedgerows and
    watercourses, points for individual trees."""

    ref: str
    geometry: BaseGeometry | None
    habitat: str | None = None  # a metric label, a unique habitat type, a broad habitat; a hedge / river type
    broad_habitat: str | None = None  # e.g. the Defra "... Broad Habitat Type" field
    condition: str | None = None
    area: float | None = None  # the area recorded in the feature's attributes (m²)
    check_condition: bool = True
    module: str = AREA  # see metric.module_types.MODULES
    layer: str = ""  # the layer it came from, as issues name it
    advance_years: str | None = None  # "Habitat created in advance/years"
    delay_years: str | None = None  # "Delay in starting habitat creation/years"
