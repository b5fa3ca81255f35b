"""The parcel QA's rules as data: Defra's BNG Metric service codes and tolerances, then our own advice.

Defra's upload validation (public repository DEFRA/bng-metric-backend: the fifteen geometry rules are
``src/validation/geopackage/geos/checks.js``, their tolerances ``src/validation/geopackage/geometry-constants.js``,
the layers ``src/validation/baseline/geopackage.js``; see also ``docs/geometry-validation.md``) refuses a
GeoPackage on fifteen geometry rules with named codes. Two of them, as Defra's source states them:

- ``SLIVERS_OUTSIDE_REDLINE``: the dissolved (repaired) parcels minus the dissolved red line, split into its
  parts; every part over 0.5 m² (``PARCEL_OUTSIDE_TOLERANCE_SQ_M``) is one sliver. The same escaping land as
  ``AREA_PARCELS_OUTSIDE_REDLINE`` cut the other way (one sliver across four parcels: one row here, four there).
- ``IGGIS_OUTSIDE_REDLINE``: IGGI is *integrated greening of grey infrastructure* (green roofs, green walls ...),
  polygons in a layer named ``IGGIs`` / ``IGGI`` / ``integrated_greening_grey_infrastructure``; flagged like the
  parcels, on the area outside the red line (over 0.5 m²).

``error`` is what Defra's service refuses; ``warning`` is this plugin's extra advice (same code style).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class QaRule:
    code: str
    severity: str
    defra: bool  # Defra's own code (else ours)
    rule: str  # one line for docs/parcels.md and the tooltip


RULES: tuple[QaRule, ...] = (
    QaRule("NO_REDLINE", ERROR, True, "the GeoPackage has no Red Line Boundary polygon"),
    QaRule("REDLINE_INVALID_GEOMETRY", ERROR, True, "the red line is invalid (self-intersecting) or not a polygon"),
    QaRule("REDLINE_UNKNOWN_SRS", ERROR, False, "the red line's coordinate reference system is unknown"),
    QaRule("REDLINE_OUTSIDE_ENGLAND", ERROR, True,
           "more than 0.5 m² of the red line lies outside England (bundled outline: 2 km border, 10 km coast)"),
    QaRule("REDLINE_AREA_TOO_LARGE", ERROR, True, "the red line covers more than 100 km²"),
    QaRule("NO_HABITAT_AREAS", ERROR, True, "the GeoPackage has no area habitat parcel"),
    QaRule("FEATURE_NO_GEOMETRY", ERROR, False, "a feature has no geometry"),
    QaRule("AREA_PARCELS_INVALID_GEOMETRY", ERROR, True, "a parcel's geometry is invalid (e.g. self-intersecting)"),
    QaRule("PARCEL_OVERLAPS", ERROR, True, "two parcels overlap by more than 0.5 m²"),
    QaRule("AREA_PARCELS_TOO_SMALL", ERROR, True, "a parcel is smaller than 1 m²"),
    QaRule("AREA_PARCELS_OUTSIDE_REDLINE", ERROR, True, "more than 0.5 m² of a parcel lies outside the red line"),
    QaRule("SLIVERS_OUTSIDE_REDLINE", ERROR, True,
           "a piece of the dissolved parcels outside the red line covers more than 0.5 m²"),
    QaRule("AREA_SUM_MISMATCH", ERROR, True, "the parcels' areas differ from the red line's by more than 0.5 m²"),
    QaRule("HEDGEROWS_OUTSIDE_REDLINE", ERROR, True, "a hedgerow runs more than 0.1 m outside the red line"),
    QaRule("WATERCOURSES_OUTSIDE_REDLINE", ERROR, True, "a watercourse runs more than 0.1 m outside the red line"),
    QaRule("IGGIS_OUTSIDE_REDLINE", ERROR, True,
           "more than 0.5 m² of an IGGI (integrated greening of grey infrastructure) lies outside the red line"),
    QaRule("TREES_OUTSIDE_REDLINE", ERROR, True, "a tree stands more than 0.1 m outside the red line"),
    QaRule("DUPLICATE_HABITAT_REF", ERROR, True, "two features of a layer share a reference"),
    QaRule("ADVANCE_AND_DELAY_BOTH_SET", ERROR, True, "a feature has both advance and delay years"),
    QaRule("HABITAT_MISSING", WARNING, False, "a feature has no habitat type"),
    QaRule("HABITAT_UNKNOWN", WARNING, False, "a habitat type is not one of the metric's (closest names suggested)"),
    QaRule("CONDITION_MISSING", WARNING, False, "a feature has no condition (when the layer has the field)"),
    QaRule("AREA_FIELD_MISMATCH", WARNING, False, "the stored Area differs from the geometry by over max(1 m², 1 %)"),
    QaRule("HIGH_ON_APIB", WARNING, False, "a High piece lies on an area of particular importance (footnote 6)"),
)
RULES_BY_CODE: dict[str, QaRule] = {r.code: r for r in RULES}


def severity(code: str) -> str:
    return RULES_BY_CODE[code].severity


@dataclass(frozen=True)
class QaOptions:
    """Tolerances; the defaults are Defra's (``docs/geometry-validation.md``)."""

    overlap_m2: float = 0.5
    area_sum_m2: float = 0.5
    outside_m2: float = 0.5
    line_outside_m: float = 0.1
    tree_outside_m: float = 0.1
    min_parcel_m2: float = 1.0
    max_red_line_m2: float = 100e6
    iggi_outside_m2: float = 0.5
    #: REDLINE_OUTSIDE_ENGLAND: area of the red line beyond the England zone (:mod:`..metric.england`) allowed.
    england_outside_m2: float = 0.5
    sliver_m2: float = 0.5
    #: The stored area may differ from the geometry's by this much (m²) or this share, whichever is larger.
    area_abs_m2: float = 1.0
    area_rel: float = 0.01
