"""Validation of opportunity (ACB) polygons: one engine behind the edit check-in, Processing and the CLI.

``validate_features(features, pack)`` checks edited (or new) opportunity areas against a pack;
``validate_pack(pack)`` checks every opportunity area of a pack. Each rule is data (:data:`RULES`:
id, default severity, message template, fix) and its policy is data too (:class:`OpportunityRules`,
read from the pack's metadata key ``opportunity_rules``). Errors refuse a save; warnings never do.
All geometry is shapely in EPSG:27700 metres.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from .errors import PackError
from .measures import invalid_codes, parse_measure_codes
from .pack_model import PackData
from .pack_schema import OPPORTUNITY

ERROR, WARNING, OFF = "error", "warning", "off"
SEVERITIES: tuple[str, ...] = (ERROR, WARNING, OFF)
#: The pack metadata key that holds a strategy's own rules (JSON).
METADATA_KEY = "opportunity_rules"


# --------------------------------------------------------------------------- the rules, as data
@dataclass(frozen=True)
class Rule:
    """One check: ``message`` and ``fix`` are ``str.format`` templates.

    Every template may use ``{feature}`` (the feature's label) and ``{Feature}`` (the same,
    capitalised at the start of a sentence), plus the fields the check supplies.
    """

    id: str
    severity: str  # the default: "error" refuses a save, "warning" never does
    title: str
    message: str
    fix: str


RULES: tuple[Rule, ...] = (
    Rule("no_catalogue", ERROR, "No measures catalogue",
         "The pack {why}, so the measure codes of {count} opportunity area(s) cannot be checked.",
         "Add the strategy's measures to the pack (Processing: Add layer to Local Habitat Map pack, role "
         "'measures'), then validate again."),
    Rule("unknown_code", ERROR, "Unknown measure code",
         "{Feature} has measure code(s) {codes} that are not in the pack's measures catalogue{hint}.",
         "Pick its measures from the catalogue list, or add the measure to the catalogue first."),
    Rule("malformed_code", ERROR, "Malformed measure code",
         "{Feature} has {codes} in its measure list, which is not a measure code (a code is letters and digits "
         "such as WD001, with at most '.', '_', '-' or '/', separated by ';').",
         "Choose its measures from the catalogue list instead of typing them."),
    Rule("no_codes", ERROR, "No measure codes",
         "{Feature} has no measure codes.",
         "Pick at least one measure from the catalogue: an opportunity area says which measures apply there."),
    Rule("no_geometry", ERROR, "No geometry",
         "{Feature} has no geometry.",
         "Draw its boundary, or delete the feature."),
    Rule("not_polygonal", ERROR, "Not a polygon",
         "{Feature} is a {kind}, not a polygon.",
         "Opportunity areas are polygons: redraw it as a polygon, or delete it."),
    Rule("invalid_geometry", ERROR, "Invalid geometry",
         "{Feature} has invalid geometry: {reason}.",
         "Repair it with Vector > Geometry Tools > Fix Geometries (or move the offending vertex with the Vertex "
         "Tool), then save again."),
    Rule("outside_england", ERROR, "Not in England on the British National Grid",
         "{Feature} lies at {x:,.0f}, {y:,.0f}, which is not in England on the British National Grid "
         "(EPSG:27700).",
         "Its coordinates were probably not reprojected (degrees read as metres?): redraw it in EPSG:27700, or "
         "reproject it from its real CRS."),
)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

#: England's extent on the British National Grid with a margin (Isles of Scilly to Berwick), in metres:
#: an LNRS polygon outside it was not reprojected (degrees near 0, 0; Web Mercator in the millions).
ENGLAND_BOUNDS: tuple[float, float, float, float] = (60_000.0, 0.0, 680_000.0, 680_000.0)


@dataclass(frozen=True)
class OpportunityRules:
    """The validation policy, as data.

    ``severities`` overrides a rule's default severity (``"error"``, ``"warning"`` or ``"off"``).
    A pack carries its own policy as JSON under the metadata key ``opportunity_rules``
    (see docs/editing.md); keys left out keep their defaults.
    """

    severities: tuple[tuple[str, str], ...] = ()

    def severity(self, rule_id: str) -> str:
        for rid, sev in self.severities:
            if rid == rule_id:
                return sev
        return RULES_BY_ID[rule_id].severity

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        return {"severity": {r.id: self.severity(r.id) for r in RULES}}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> OpportunityRules:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PackError(f"The pack's metadata key '{METADATA_KEY}' is not valid JSON ({exc.msg} at line "
                            f"{exc.lineno}, column {exc.colno}); correct it or delete the key to use the default "
                            "opportunity rules (see docs/editing.md).") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> OpportunityRules:
        if not isinstance(data, dict):
            raise _config_error("", "must be a JSON object such as {\"severity\": {\"small_polygon\": \"off\"}}")
        unknown = sorted(set(data) - {"severity"})
        if unknown:
            raise _config_error("", f"has unknown key(s) {', '.join(unknown)}; known keys: severity")
        return cls(severities=_severities(data.get("severity", {})))

    @classmethod
    def from_pack(cls, pack: PackData) -> OpportunityRules:
        """The pack's own rules (metadata key ``opportunity_rules``), or the defaults."""
        text = dict(pack.metadata.extra).get(METADATA_KEY, "")
        if not text or not text.strip():
            return cls()
        return cls.from_json(text)


def _config_error(key: str, problem: str) -> PackError:
    where = f"'{METADATA_KEY}'" + (f" > {key}" if key else "")
    return PackError(f"The pack's opportunity rules ({where}) {problem}; correct the pack metadata or delete the "
                     f"key '{METADATA_KEY}' to use the defaults (see docs/editing.md).")


def _severities(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise _config_error("severity", "must be an object of rule id to \"error\", \"warning\" or \"off\"")
    out = []
    for rid, sev in value.items():
        if rid not in RULES_BY_ID:
            raise _config_error("severity", f"names an unknown rule '{rid}'; rules: {', '.join(RULES_BY_ID)}")
        if sev not in SEVERITIES:
            raise _config_error(f"severity > {rid}", f"is {json.dumps(sev)}; use \"error\", \"warning\" or \"off\"")
        out.append((str(rid), str(sev)))
    return tuple(out)


# --------------------------------------------------------------------------- features and results
@dataclass(frozen=True)
class OpportunityFeature:
    """An opportunity area as edited: what validation and the check-in work on."""

    fid: int | None  # pack fid; None for a feature not yet in the pack
    measures: str  # the stored text as edited ("WD001;GR002"; any of ; , | or spaces, or "{A,B}")
    geometry: Any  # shapely geometry in EPSG:27700, or None
    name: str = ""
    ref: str = ""
    key: str = ""  # the caller's id (e.g. working-copy fid) so issues map back to what the user sees

    def label(self) -> str:
        """How messages name the feature, e.g. "opportunity area 12 ‘Bath meadows’"."""
        title = (self.name or "").strip() or (self.ref or "").strip()
        quoted = f" ‘{title}’" if title else ""
        if self.fid is not None:
            return f"opportunity area {self.fid}{quoted}"
        if quoted:
            return f"new opportunity area{quoted}"
        return f"new opportunity area (feature {self.key})" if self.key else "a new opportunity area"

    def codes(self) -> tuple[str, ...]:
        """The measure codes, upper-cased and de-duplicated (a ``{A,B}`` array literal is accepted)."""
        return feature_codes(self.measures)


@dataclass(frozen=True)
class ValidationIssue:
    fid: int | None
    key: str
    feature: str  # the feature's label ("" for an issue about the whole pack)
    rule: str
    severity: str  # "error" | "warning"
    message: str  # a full sentence naming the feature and the problem, with how to fix it
    location: Any  # shapely geometry (EPSG:27700) to zoom to, or None


@dataclass(frozen=True)
class ValidationReport:
    issues: tuple[ValidationIssue, ...]
    checked: int
    #: What could not be checked and why (e.g. a rule whose measure group matches nothing in the catalogue).
    notes: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)

    @property
    def ok(self) -> bool:
        """No errors (warnings never block)."""
        return not self.errors

    def for_key(self, key: str) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.key == key)

    def summary(self, limit: int = 10) -> str:
        """A message for the user: counts, then the errors before the warnings, at most ``limit`` of them."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        head = (f"{self.checked} opportunity area(s) checked: {n_err} error(s), {n_warn} warning(s)."
                if self.issues else f"{self.checked} opportunity area(s) checked: no problems found.")
        ordered = [*self.errors, *self.warnings]
        lines = [head, *(f"- {i.severity}: {i.message}" for i in ordered[:max(0, limit)])]
        if len(ordered) > limit:
            lines.append(f"... and {len(ordered) - limit} more.")
        lines.extend(f"Note: {n}" for n in self.notes)
        return "\n".join(lines)


def feature_codes(value: object) -> tuple[str, ...]:
    """Measure codes of a stored value: ``parse_measure_codes`` plus PostgreSQL array text (``{A,"B"}``)."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{") and text.endswith("}"):
            text = text[1:-1]
            return tuple(c.strip('"') for c in parse_measure_codes(text) if c.strip('"'))
    return parse_measure_codes(value)


def geometry_sha256(geometry: Any) -> str:
    """sha256 (hex) of the normalised 2D WKB of ``geometry``; ``""`` for None or empty.

    A single polygon is hashed as the multipolygon the pack stores, and ``shapely.normalize``
    orders rings and vertices, so the same shape read from a GeoPackage, PostGIS or a QGIS layer
    gives the same hash.
    """
    if geometry is None or shapely.is_missing(geometry) or shapely.is_empty(geometry):
        return ""
    geom = shapely.force_2d(geometry)
    if geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    wkb = shapely.to_wkb(shapely.normalize(geom), output_dimension=2, byte_order=1, include_srid=False)
    return hashlib.sha256(bytes(wkb)).hexdigest()


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def opportunity_features(pack: PackData) -> list[OpportunityFeature]:
    """Every opportunity area of ``pack`` (keys are the pack fids as text)."""
    layer = pack.layer(OPPORTUNITY.name)
    if layer is None:
        return []
    geoms = layer.geoms if layer.geoms is not None else np.full(len(layer), None, dtype=object)
    measures, names, refs = layer.column("measures"), layer.column("name"), layer.column("ref")
    return [OpportunityFeature(int(fid), _text(measures[i]), geoms[i], _text(names[i]), _text(refs[i]), str(int(fid)))
            for i, fid in enumerate(layer.fids.tolist())]


# --------------------------------------------------------------------------- the engine
_LOCATION = re.compile(r"\[\s*(-?[\d.eE+-]+|nan|inf)\s+(-?[\d.eE+-]+|nan|inf)\s*\]", re.IGNORECASE)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Checker:
    """Collects issues for one validation run (rules and pack fixed)."""

    def __init__(self, pack: PackData, rules: OpportunityRules) -> None:
        self.pack = pack
        self.rules = rules
        self.issues: list[ValidationIssue] = []
        self.notes: list[str] = []

    def on(self, rule_id: str) -> bool:
        return self.rules.severity(rule_id) != OFF

    def add(self, rule_id: str, feature: OpportunityFeature | None, location: Any, **values: Any) -> None:
        severity = self.rules.severity(rule_id)
        if severity == OFF:
            return
        rule = RULES_BY_ID[rule_id]
        label = feature.label() if feature is not None else ""
        fields = {"feature": label, "Feature": _capitalise(label), **values}
        message = f"{rule.message.format(**fields)} {rule.fix.format(**fields)}"
        self.issues.append(ValidationIssue(
            feature.fid if feature is not None else None, feature.key if feature is not None else "", label,
            rule_id, severity, message, location))

    # ------------------------------------------------------------------ measure codes
    def check_codes(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                    where: Sequence[Any]) -> None:
        catalogue = self.pack.measures
        if not catalogue:
            n = sum(1 for c in codes if c)
            if n:
                why = "has an empty measures catalogue" if self.pack.has_catalogue else "has no measures catalogue"
                self.add("no_catalogue", None, None, why=why, count=n)
        known = sorted(catalogue)
        for f, cs, loc in zip(features, codes, where):
            bad = invalid_codes(cs)
            if bad:
                self.add("malformed_code", f, loc, codes=", ".join(f"'{c}'" for c in bad))
            good = [c for c in cs if c not in bad]
            if not cs:
                self.add("no_codes", f, loc)
            if catalogue and good:
                unknown = [c for c in good if c not in catalogue]
                if unknown:
                    hints = []
                    for c in unknown:
                        close = difflib.get_close_matches(c, known, n=2, cutoff=0.6)
                        if close:
                            hints.append(f"{' or '.join(close)} for {c}")
                    hint = f" (did you mean {'; '.join(hints)}?)" if hints else ""
                    self.add("unknown_code", f, loc, codes=", ".join(unknown), hint=hint)

    # ------------------------------------------------------------------ geometry
    def check_geometry(self, feature: OpportunityFeature) -> BaseGeometry | None:
        """Geometry issues of one feature; returns its polygonal geometry for the spatial checks
        (repaired when invalid), or None when there is none to use."""
        g = feature.geometry
        if g is None or shapely.is_missing(g) or shapely.is_empty(g):
            self.add("no_geometry", feature, None)
            return None
        g = shapely.force_2d(g)
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            kind = {"Point": "point", "MultiPoint": "set of points", "LineString": "line",
                    "MultiLineString": "set of lines", "LinearRing": "ring",
                    "GeometryCollection": "geometry collection"}.get(g.geom_type, g.geom_type)
            self.add("not_polygonal", feature, g, kind=kind)
            return None
        reason = str(shapely.is_valid_reason(g))
        if reason != "Valid Geometry":
            where, text = _explain(g, reason)
            self.add("invalid_geometry", feature, where, reason=text)
            if where is None:  # non-finite coordinates: nothing can be repaired or located
                return None
            repaired = _polygonal(shapely.make_valid(g))
            if repaired is None:
                return None
            g = repaired
        minx, miny, maxx, maxy = g.bounds
        gx0, gy0, gx1, gy1 = ENGLAND_BOUNDS
        if minx < gx0 or miny < gy0 or maxx > gx1 or maxy > gy1:
            c = g.representative_point()
            self.add("outside_england", feature, c, x=c.x, y=c.y)
            return None
        return g


def _explain(geom: BaseGeometry, reason: str) -> tuple[BaseGeometry | None, str]:
    """GEOS's reason ("Self-intersection[5 5]") as words and a point to zoom to (None for NaN/inf)."""
    m = _LOCATION.search(reason)
    words = _LOCATION.sub("", reason).strip().lower() or "invalid"
    if m is None:
        return geom.representative_point(), words
    try:
        x, y = float(m.group(1)), float(m.group(2))
    except ValueError:
        x = y = float("nan")
    if not (np.isfinite(x) and np.isfinite(y)):
        return None, f"{words} (a vertex has a coordinate that is not a number)"
    return Point(x, y), f"{words} at {x:,.2f}, {y:,.2f}"


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def validate_features(features: Sequence[OpportunityFeature], pack: PackData,
                      rules: OpportunityRules | None = None) -> ValidationReport:
    """Check ``features`` (edited or new opportunity areas) against ``pack``.

    ``rules`` defaults to the pack's own (:meth:`OpportunityRules.from_pack`). A feature with a
    pack fid stands in for the pack's feature of that fid.
    """
    active = rules if rules is not None else OpportunityRules.from_pack(pack)
    checker = _Checker(pack, active)
    usable = [checker.check_geometry(f) for f in features]
    checker.check_codes(features, [f.codes() for f in features], usable)
    return ValidationReport(tuple(checker.issues), len(features), tuple(checker.notes))


def validate_pack(pack: PackData, rules: OpportunityRules | None = None) -> ValidationReport:
    """Check every opportunity area of ``pack``."""
    return validate_features(opportunity_features(pack), pack, rules)


__all__ = [
    "ERROR", "METADATA_KEY", "OFF", "RULES", "RULES_BY_ID", "WARNING", "OpportunityFeature", "OpportunityRules",
    "Rule", "ValidationIssue", "ValidationReport", "feature_codes", "geometry_sha256", "opportunity_features",
    "validate_features", "validate_pack",
]
