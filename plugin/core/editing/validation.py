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
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..errors import PackError, VocabularyError
from ..metric.vocabulary import IRREPLACEABLE_TYPES, normalise_designation, normalise_habitat_type
from ..pack.measure_codes import invalid_codes, parse_measure_codes
from ..pack.model import GeomArray, PackData
from ..pack.schema import AREA, DESIGNATED, IRREPLACEABLE, OPPORTUNITY
from ..screening.engine import IntArray, _layer_index, _polygonal

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
    Rule("outside_strategy_area", ERROR, "Outside the strategy area",
         "{Feature} has {area:,.0f} m² ({share:.0%} of it) outside the strategy area.",
         "Clip it to the strategy area (Vector > Geoprocessing Tools > Clip) or correct its boundary: a strategy "
         "maps measures only within its own area."),
    Rule("theme_conflict", ERROR, "Contradictory measures on the same land",
         "{Feature} maps {codes_a} ({group_a}) on the same land as {codes_b} ({group_b}){other}: {reason}.",
         "Map the two measures on separate polygons, or remove one of the codes."),
    Rule("habitat_conflict", ERROR, "Measure contradicts a habitat in the pack",
         "{Feature} maps {codes} ({group}) over {area:,.0f} m² of {target}: {reason}.",
         "Cut that part out of the polygon (Vector > Geoprocessing Tools > Difference with the pack's {layer} "
         "layer), or remove the code."),
    Rule("apib_overlap", ERROR, "Overlap with an Area of Particular Importance",
         "{Feature} overlaps {target} by {area:,.0f} m², an Area of Particular Importance for Biodiversity where "
         "the strategy maps no {what}{reason}.",
         "Cut the overlap out of the polygon (Vector > Geoprocessing Tools > Difference with the pack's {layer} "
         "layer), or change the strategy's policy in the pack metadata 'opportunity_rules' > apib."),
    Rule("small_polygon", WARNING, "Very small polygon",
         "{Feature} is only {area:,.1f} m² (below {limit:g} m²).",
         "Check it is not a leftover of an edit; merge it into a neighbour or delete it if so."),
    Rule("sliver", WARNING, "Sliver or thin shape",
         "{Feature} has {count} thin part(s), the thinnest {width:,.2f} m wide on average over {area:,.1f} m² "
         "(below {limit:g} m).",
         "Remove or snap the sliver (the Vertex Tool, or Vector > Geoprocessing Tools > Eliminate Selected "
         "Polygons)."),
    Rule("duplicate_geometry", WARNING, "Duplicate of another polygon",
         "{Feature} has {how} boundary as {other}.",
         "Put their measure codes on one polygon and delete the other."),
    Rule("many_codes", WARNING, "Many measure codes",
         "{Feature} has {count} measure codes (more than {limit}).",
         "Check each applies there: a long list is often pasted from another polygon."),
)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}

#: England's extent on the British National Grid with a margin (Isles of Scilly to Berwick), in metres:
#: an LNRS polygon outside it was not reprojected (degrees near 0, 0; Web Mercator in the millions).
ENGLAND_BOUNDS: tuple[float, float, float, float] = (60_000.0, 0.0, 680_000.0, 680_000.0)


@dataclass(frozen=True)
class MeasureGroup:
    """Measures that share an aim, by catalogue code and/or catalogue habitat theme."""

    id: str
    label: str
    codes: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # catalogue habitat themes (case-insensitive): every measure of the theme

    def matches(self, code: str, theme: str) -> bool:
        return code in self.codes or (bool(theme) and _fold(theme) in {_fold(t) for t in self.themes})


@dataclass(frozen=True)
class GroupConflict:
    """Two measure groups that cannot be the aim of the same land."""

    a: str
    b: str
    reason: str


@dataclass(frozen=True)
class OverlapPolicy:
    """Opportunity areas mapping these measures must not overlap these pack features.

    The measures are ``groups`` and ``themes`` (both empty: every opportunity area); the pack
    features are ``designations`` of ``designated_sites`` and ``habitat_types`` of
    ``irreplaceable_habitats``. Overlaps below ``tolerance_m2`` (shared boundaries) are ignored.
    """

    groups: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    designations: tuple[str, ...] = ()
    habitat_types: tuple[str, ...] = ()
    tolerance_m2: float = 1.0
    reason: str = ""

    @property
    def any_measure(self) -> bool:
        return not self.groups and not self.themes


#: Measure groups of the default rules, by code of the Leicestershire, Leicester and Rutland LNRS catalogue
#: (the demo pack's catalogue; each code's own wording is quoted in docs/editing.md). A strategy with
#: another catalogue names its own codes or themes in 'opportunity_rules' > groups.
DEFAULT_GROUPS: tuple[MeasureGroup, ...] = (
    MeasureGroup("woodland_creation", "woodland creation or tree planting", ("WD004", "UB003")),
    MeasureGroup("open_habitat", "open habitat protection, restoration or creation",
                 ("GL001", "GL002", "GL004", "GL007", "OM001", "OM002", "FW002")),
    MeasureGroup("open_habitat_creation", "open habitat or wetland creation",
                 ("GL002", "GL004", "OM002", "FW002", "FW013")),
    MeasureGroup("habitat_creation", "creation of a new habitat",
                 ("WD004", "UB003", "GL002", "GL004", "OM002", "FW002", "FW013", "UB005", "AG006")),
)
DEFAULT_GROUP_CONFLICTS: tuple[GroupConflict, ...] = (
    GroupConflict("woodland_creation", "open_habitat",
                  "planting trees would shade out and replace the open habitat the other measure protects, restores "
                  "or creates"),
)
_OPEN_IRREPLACEABLE = ("blanket_bog", "lowland_fen", "limestone_pavement", "coastal_sand_dunes",
                       "spartina_saltmarsh_swards", "mediterranean_saltmarsh_scrub")
DEFAULT_HABITAT_CONFLICTS: tuple[OverlapPolicy, ...] = (
    OverlapPolicy(groups=("woodland_creation",), habitat_types=_OPEN_IRREPLACEABLE,
                  reason="planting trees would destroy an open irreplaceable habitat, which cannot be recreated "
                         "elsewhere"),
    OverlapPolicy(groups=("open_habitat_creation",), habitat_types=("ancient_woodland",),
                  reason="creating open habitat or wetland there means clearing ancient woodland, an irreplaceable "
                         "habitat"),
)
DEFAULT_APIB: tuple[OverlapPolicy, ...] = (
    OverlapPolicy(groups=("habitat_creation",), designations=("SSSI", "SAC", "SPA", "Ramsar", "NNR"),
                  habitat_types=tuple(IRREPLACEABLE_TYPES),
                  reason="creating a new habitat there would replace what the site is designated or irreplaceable "
                         "for"),
)


@dataclass(frozen=True)
class OpportunityRules:
    """The validation policy, as data.

    ``severities`` overrides a rule's default severity (``"error"``, ``"warning"`` or ``"off"``).
    A pack carries its own policy as JSON under the metadata key ``opportunity_rules``
    (see docs/editing.md); keys left out keep their defaults.
    """

    severities: tuple[tuple[str, str], ...] = ()
    #: overlaps between two opportunity areas below this are shared boundaries, not the same land
    overlap_tolerance_m2: float = 1.0
    #: the part of a polygon outside the strategy area that is tolerated (digitising along the boundary)
    outside_tolerance_m2: float = 1.0
    min_area_m2: float = 100.0
    min_width_m: float = 2.0
    max_codes: int = 10
    #: two polygons each covered this much by the other are duplicates
    duplicate_share: float = 0.99
    groups: tuple[MeasureGroup, ...] = DEFAULT_GROUPS
    group_conflicts: tuple[GroupConflict, ...] = DEFAULT_GROUP_CONFLICTS
    habitat_conflicts: tuple[OverlapPolicy, ...] = DEFAULT_HABITAT_CONFLICTS
    apib: tuple[OverlapPolicy, ...] = DEFAULT_APIB

    def severity(self, rule_id: str) -> str:
        for rid, sev in self.severities:
            if rid == rule_id:
                return sev
        return RULES_BY_ID[rule_id].severity

    def group(self, group_id: str) -> MeasureGroup:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": {r.id: self.severity(r.id) for r in RULES},
            **{k: getattr(self, k) for k in _NUMBERS},
            "groups": {g.id: {"label": g.label, "codes": list(g.codes), "themes": list(g.themes)}
                       for g in self.groups},
            "group_conflicts": [{"groups": [c.a, c.b], "reason": c.reason} for c in self.group_conflicts],
            "habitat_conflicts": [_policy_dict(p) for p in self.habitat_conflicts],
            "apib": [_policy_dict(p) for p in self.apib],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> OpportunityRules:
        if len(text) > _MAX_RULES_CHARS:
            raise _config_error("", f"is {len(text):,} characters long, more than the {_MAX_RULES_CHARS:,} allowed")
        try:
            data = json.loads(text)
        except RecursionError:
            raise _config_error("", "nests brackets too deeply to be read") from None
        except json.JSONDecodeError as exc:
            raise PackError(f"The pack's metadata key '{METADATA_KEY}' is not valid JSON ({exc.msg} at line "
                            f"{exc.lineno}, column {exc.colno}); correct it or delete the key to use the default "
                            "opportunity rules (see docs/editing.md).") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> OpportunityRules:
        """Rules from a JSON object; keys left out keep their defaults, ``groups`` are merged by id."""
        if not isinstance(data, dict):
            raise _config_error("", "must be a JSON object such as {\"severity\": {\"small_polygon\": \"off\"}}")
        known = ("severity", *_NUMBERS, "groups", "group_conflicts", "habitat_conflicts", "apib")
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise _config_error("", f"has unknown key(s) {', '.join(unknown)}; known keys: {', '.join(known)}")
        values: dict[str, Any] = {}
        if "severity" in data:
            values["severities"] = _severities(data["severity"])
        for key, (kind, low) in _NUMBERS.items():
            if key in data:
                values[key] = _number(key, data[key], kind, low)
        groups = {g.id: g for g in DEFAULT_GROUPS}
        if "groups" in data:
            groups.update(_groups(data["groups"]))
        values["groups"] = tuple(groups.values())
        if "group_conflicts" in data:
            values["group_conflicts"] = _group_conflicts(data["group_conflicts"], groups)
        for key in ("habitat_conflicts", "apib"):
            if key in data:
                values[key] = _policies(key, data[key], groups)
        rules = cls(**values)
        for key in ("habitat_conflicts", "apib"):  # defaults must still find their groups
            for p in getattr(rules, key):
                _known_groups(key, p.groups, groups)
        for c in rules.group_conflicts:
            _known_groups("group_conflicts", (c.a, c.b), groups)
        return rules

    @classmethod
    def from_pack(cls, pack: PackData) -> OpportunityRules:
        """The pack's own rules (metadata key ``opportunity_rules``), or the defaults."""
        text = dict(pack.metadata.extra).get(METADATA_KEY, "")
        if not text or not text.strip():
            return cls()
        return cls.from_json(text)


#: Longest 'opportunity_rules' text read (a policy is a few kilobytes).
_MAX_RULES_CHARS = 1_000_000

#: Numeric settings: JSON key -> (type, smallest allowed value).
_NUMBERS: dict[str, tuple[type, float]] = {
    "overlap_tolerance_m2": (float, 0.0), "outside_tolerance_m2": (float, 0.0), "min_area_m2": (float, 0.0),
    "min_width_m": (float, 0.0), "max_codes": (int, 1), "duplicate_share": (float, 0.5),
}


def _policy_dict(p: OverlapPolicy) -> dict[str, Any]:
    return {"groups": list(p.groups), "themes": list(p.themes), "designations": list(p.designations),
            "habitat_types": list(p.habitat_types), "tolerance_m2": p.tolerance_m2, "reason": p.reason}


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
        if sev != RULES_BY_ID[rid].severity:  # only overrides are kept, so equal policies compare equal
            out.append((str(rid), str(sev)))
    return tuple(out)


def _number(key: str, value: Any, kind: type, low: float) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)
    if ok and kind is int:
        ok = float(value).is_integer()
    if not ok or value < low:
        what = "a whole number" if kind is int else "a number"
        raise _config_error(key, f"is {json.dumps(value)}; it must be {what} of at least {low:g}")
    return int(value) if kind is int else float(value)


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _config_error(key, f"is {json.dumps(value)}; it must be a list of texts")
    return tuple(v.strip() for v in value)


def _object(key: str, value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _config_error(key, "must be a JSON object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise _config_error(key, f"has unknown key(s) {', '.join(unknown)}; known keys: {', '.join(allowed)}")
    return value


def _groups(value: Any) -> dict[str, MeasureGroup]:
    out = {}
    for gid, spec in _object("groups", value, tuple(value) if isinstance(value, dict) else ()).items():
        key = f"groups > {gid}"
        spec = _object(key, spec, ("label", "codes", "themes"))
        codes = tuple(c.upper() for c in _strings(f"{key} > codes", spec.get("codes", [])))
        themes = _strings(f"{key} > themes", spec.get("themes", []))
        if not codes and not themes:
            raise _config_error(key, "names neither codes nor themes, so it would match no measure")
        label = spec.get("label", gid)
        if not isinstance(label, str):
            raise _config_error(f"{key} > label", "must be a text")
        out[str(gid)] = MeasureGroup(str(gid), label.strip() or str(gid), codes, themes)
    return out


def _known_groups(key: str, ids: Sequence[str], groups: Mapping[str, MeasureGroup]) -> None:
    for gid in ids:
        if gid not in groups:
            raise _config_error(key, f"names the measure group '{gid}', which is not defined; groups: "
                                     f"{', '.join(groups)}")


def _group_conflicts(value: Any, groups: Mapping[str, MeasureGroup]) -> tuple[GroupConflict, ...]:
    if not isinstance(value, list):
        raise _config_error("group_conflicts", "must be a list of {\"groups\": [A, B], \"reason\": ...}")
    out = []
    for i, item in enumerate(value):
        key = f"group_conflicts > {i + 1}"
        item = _object(key, item, ("groups", "reason"))
        ids = _strings(f"{key} > groups", item.get("groups"))
        if len(ids) != 2 or ids[0] == ids[1]:
            raise _config_error(f"{key} > groups", "must name two different measure groups")
        _known_groups(key, ids, groups)
        out.append(GroupConflict(ids[0], ids[1], _reason(key, item)))
    return tuple(out)


def _reason(key: str, item: Mapping[str, Any]) -> str:
    reason = item.get("reason", "")
    if not isinstance(reason, str):
        raise _config_error(f"{key} > reason", "must be a text")
    return reason.strip()


def _policies(name: str, value: Any, groups: Mapping[str, MeasureGroup]) -> tuple[OverlapPolicy, ...]:
    if not isinstance(value, list):
        raise _config_error(name, "must be a list of policy objects")
    out = []
    for i, item in enumerate(value):
        key = f"{name} > {i + 1}"
        item = _object(key, item, ("groups", "themes", "designations", "habitat_types", "tolerance_m2", "reason"))
        ids = _strings(f"{key} > groups", item.get("groups", []))
        _known_groups(key, ids, groups)
        try:
            designations = tuple(normalise_designation(d)
                                 for d in _strings(f"{key} > designations", item.get("designations", [])))
            habitats = tuple(normalise_habitat_type(h)
                             for h in _strings(f"{key} > habitat_types", item.get("habitat_types", [])))
        except VocabularyError as exc:
            raise _config_error(key, f"is not usable: {str(exc).rstrip('.')}") from exc
        if not designations and not habitats:
            raise _config_error(key, "names neither designations nor habitat_types, so it would forbid nothing")
        tolerance = _number(f"{key} > tolerance_m2", item.get("tolerance_m2", 1.0), float, 0.0)
        out.append(OverlapPolicy(ids, _strings(f"{key} > themes", item.get("themes", [])), designations, habitats,
                                 tolerance, _reason(key, item)))
    return tuple(out)


def _fold(text: str) -> str:
    return " ".join(str(text).split()).lower()


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
_RULE_ORDER = {r.id: i for i, r in enumerate(RULES)}
#: Pack layers an overlap policy can name: table -> (column holding the value, how a feature is named).
_TARGET_LAYERS: dict[str, str] = {IRREPLACEABLE.name: "habitat_type", DESIGNATED.name: "designation"}


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _codes_text(codes: Sequence[str]) -> str:
    return ", ".join(codes)


@dataclass(frozen=True)
class _Other:
    """A polygon the checked features are compared with: another checked feature or a pack feature."""

    feature: OpportunityFeature
    codes: tuple[str, ...]
    position: int | None  # index among the checked features, None for a pack feature


class _Checker:
    """Collects issues for one validation run (rules and pack fixed)."""

    def __init__(self, pack: PackData, rules: OpportunityRules) -> None:
        self.pack = pack
        self.rules = rules
        self.issues: list[tuple[int, int, ValidationIssue]] = []  # (feature position, rule order, issue)
        self.notes: list[str] = []
        self._themes = {code: m.theme for code, m in pack.measures.items()}

    def on(self, rule_id: str) -> bool:
        return self.rules.severity(rule_id) != OFF

    def add(self, rule_id: str, feature: OpportunityFeature | None, location: Any, position: int = -1,
            **values: Any) -> None:
        severity = self.rules.severity(rule_id)
        if severity == OFF:
            return
        rule = RULES_BY_ID[rule_id]
        label = feature.label() if feature is not None else ""
        fields = {"feature": label, "Feature": _capitalise(label), **values}
        message = f"{rule.message.format(**fields)} {rule.fix.format(**fields)}"
        self.issues.append((position, _RULE_ORDER[rule_id], ValidationIssue(
            feature.fid if feature is not None else None, feature.key if feature is not None else "", label,
            rule_id, severity, message, location)))

    def report(self, checked: int) -> ValidationReport:
        ordered = sorted(self.issues, key=lambda t: (t[0], t[1]))  # stable: pack-level issues first
        return ValidationReport(tuple(i for _, _, i in ordered), checked, tuple(dict.fromkeys(self.notes)))

    def matching(self, codes: Sequence[str], group_ids: Sequence[str], themes: Sequence[str] = ()) -> list[str]:
        """The codes that belong to any of the groups or themes."""
        groups = [self.rules.group(g) for g in group_ids]
        folded = {_fold(t) for t in themes}
        return [c for c in codes
                if any(g.matches(c, self._themes.get(c, "")) for g in groups)
                or (folded and _fold(self._themes.get(c, "")) in folded)]

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
        limit = self.rules.max_codes
        for pos, (f, cs, loc) in enumerate(zip(features, codes, where)):
            bad = invalid_codes(cs)
            if bad:
                self.add("malformed_code", f, loc, pos, codes=", ".join(f"'{c}'" for c in bad))
            good = [c for c in cs if c not in bad]
            if not cs:
                self.add("no_codes", f, loc, pos)
            if catalogue and good:
                unknown = [c for c in good if c not in catalogue]
                if unknown:
                    hints = []
                    for c in unknown:
                        close = difflib.get_close_matches(c, known, n=2, cutoff=0.6)
                        if close:
                            hints.append(f"{' or '.join(close)} for {c}")
                    hint = f" (did you mean {'; '.join(hints)}?)" if hints else ""
                    self.add("unknown_code", f, loc, pos, codes=_codes_text(unknown), hint=hint)
            if len(cs) > limit:
                self.add("many_codes", f, loc, pos, count=len(cs), limit=limit)

    def note_unmatched_groups(self) -> None:
        """Say so when a rule's measure group matches nothing in the catalogue (the rule then never fires)."""
        if not self.pack.measures:
            return
        used: dict[str, str] = {}
        if self.on("theme_conflict"):
            for c in self.rules.group_conflicts:
                used.setdefault(c.a, "theme_conflict")
                used.setdefault(c.b, "theme_conflict")
        for rule_id, policies in (("habitat_conflict", self.rules.habitat_conflicts),
                                  ("apib_overlap", self.rules.apib)):
            if self.on(rule_id):
                for p in policies:
                    for g in p.groups:
                        used.setdefault(g, rule_id)
        for gid, rule_id in used.items():
            group = self.rules.group(gid)
            if not self.matching(list(self.pack.measures), [gid]):
                what = ", ".join([*group.codes, *group.themes])
                self.notes.append(f"Rule '{rule_id}': the measure group '{gid}' ({what}) matches no measure of this "
                                  "pack's catalogue, so it was not applied; name the catalogue's own codes or themes "
                                  f"in the pack metadata '{METADATA_KEY}' > groups (see docs/editing.md).")

    # ------------------------------------------------------------------ geometry
    def check_geometry(self, feature: OpportunityFeature, position: int) -> BaseGeometry | None:
        """Geometry issues of one feature; returns its polygonal geometry for the spatial checks
        (repaired when invalid), or None when there is none to use."""
        g = feature.geometry
        if g is None or shapely.is_missing(g) or shapely.is_empty(g):
            self.add("no_geometry", feature, None, position)
            return None
        g = shapely.force_2d(g)
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            kind = {"Point": "point", "MultiPoint": "set of points", "LineString": "line",
                    "MultiLineString": "set of lines", "LinearRing": "ring",
                    "GeometryCollection": "geometry collection"}.get(g.geom_type, g.geom_type)
            self.add("not_polygonal", feature, g, position, kind=kind)
            return None
        reason = str(shapely.is_valid_reason(g))
        if reason != "Valid Geometry":
            where, text = _explain(g, reason)
            self.add("invalid_geometry", feature, where, position, reason=text)
            if where is None:  # non-finite coordinates: nothing can be repaired or located
                return None
            try:
                repaired = _polygonal(shapely.make_valid(g))
            except shapely.errors.GEOSException:  # reported above; the other checks need a usable shape
                return None
            if repaired is None:
                return None
            g = repaired
        minx, miny, maxx, maxy = g.bounds
        gx0, gy0, gx1, gy1 = ENGLAND_BOUNDS
        if minx < gx0 or miny < gy0 or maxx > gx1 or maxy > gy1:
            c = g.representative_point()
            self.add("outside_england", feature, c, position, x=c.x, y=c.y)
            return None
        return g

    def check_shapes(self, features: Sequence[OpportunityFeature], pos: IntArray, geoms: GeomArray) -> None:
        """Very small polygons and thin parts (warnings)."""
        if not len(geoms):
            return
        areas = shapely.area(geoms)
        if self.on("small_polygon"):
            limit = self.rules.min_area_m2
            for k in np.flatnonzero(areas < limit).tolist():
                p = int(pos[k])
                self.add("small_polygon", features[p], geoms[k], p, area=float(areas[k]), limit=limit)
        if self.on("sliver"):
            parts, owner = shapely.get_parts(geoms, return_index=True)
            perimeter = shapely.length(parts)
            width = np.where(perimeter > 0, 2.0 * shapely.area(parts) / np.maximum(perimeter, 1e-12), 0.0)
            thin = np.flatnonzero(width < self.rules.min_width_m)
            by_owner: dict[int, list[int]] = {}
            for t in thin.tolist():
                by_owner.setdefault(int(owner[t]), []).append(t)
            for k, ts in by_owner.items():
                worst = min(ts, key=lambda t: float(width[t]))
                p = int(pos[k])
                self.add("sliver", features[p], parts[worst], p, count=len(ts), width=float(width[worst]),
                         area=float(shapely.area(parts[worst])), limit=self.rules.min_width_m)

    def check_strategy_area(self, features: Sequence[OpportunityFeature], pos: IntArray, geoms: GeomArray) -> None:
        if not self.on("outside_strategy_area") or not len(geoms):
            return
        area = _layer_index(self.pack, AREA.name, [])
        if area is None or not len(area.geoms):
            self.notes.append("The pack has no strategy area, so opportunity areas were not checked against it.")
            return
        coverage = shapely.union_all(area.geoms)
        shapely.prepare(coverage)
        inside = np.asarray(shapely.covers(coverage, geoms), dtype=bool)
        rest = np.flatnonzero(~inside)
        if not len(rest):
            return
        outside = shapely.difference(geoms[rest], coverage)
        out_area = shapely.area(outside)
        total = shapely.area(geoms[rest])
        for k, part, a, t in zip(rest.tolist(), outside, out_area.tolist(), total.tolist()):
            if a >= self.rules.outside_tolerance_m2 and a > 0:
                p = int(pos[k])
                self.add("outside_strategy_area", features[p], part, p, area=a, share=a / t if t else 1.0)

    # ------------------------------------------------------------------ pack layers
    def check_layers(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                     pos: IntArray, geoms: GeomArray) -> None:
        """Measures that contradict a habitat in the pack, and overlaps the strategy's APIB policy forbids."""
        plans = [(rule_id, p) for rule_id, policies in (("habitat_conflict", self.rules.habitat_conflicts),
                                                        ("apib_overlap", self.rules.apib))
                 if self.on(rule_id) for p in policies]
        if not plans or not len(geoms):
            return
        reported: set[tuple[int, str, int]] = set()  # (feature position, layer, row): one problem, one issue
        for layer_name, column in _TARGET_LAYERS.items():
            wanted = [(r, p, set(p.habitat_types if layer_name == IRREPLACEABLE.name else p.designations))
                      for r, p in plans]
            wanted = [w for w in wanted if w[2]]
            if not wanted:
                continue
            layer = _layer_index(self.pack, layer_name, [])
            if layer is None:
                rules = sorted({r for r, _, _ in wanted})
                self.notes.append(f"The pack has no '{layer_name}' layer, so rule(s) {', '.join(rules)} could not "
                                  "check opportunity areas against it.")
                continue
            values = [_text(layer.columns[column][r]) for r in layer.rows.tolist()]
            qi, ti = layer.tree.query(geoms, predicate="intersects")
            if not len(qi):
                continue
            # which (feature, layer feature) pairs any policy cares about, before computing overlaps
            selected = []
            for rule_id, policy, targets in wanted:
                sel_codes = [self.matching(codes[int(pos[k])], policy.groups, policy.themes) for k in range(len(geoms))]
                relevant = np.array([(policy.any_measure or bool(sel_codes[q])) and values[t] in targets
                                     for q, t in zip(qi.tolist(), ti.tolist())], dtype=bool)
                selected.append((rule_id, policy, sel_codes, relevant))
            need = np.logical_or.reduce([s[3] for s in selected])
            pieces = np.empty(len(qi), dtype=object)
            overlap = np.zeros(len(qi))
            if need.any():
                pieces[need] = shapely.intersection(geoms[qi[need]], layer.geoms[ti[need]])
                overlap[need] = shapely.area(pieces[need])
            for rule_id, policy, sel_codes, relevant in selected:
                hits: dict[int, list[int]] = {}
                for j in np.flatnonzero(relevant & (overlap >= policy.tolerance_m2) & (overlap > 0)).tolist():
                    q, t = int(qi[j]), int(ti[j])
                    key = (int(pos[q]), layer_name, int(layer.rows[t]))
                    if key in reported:
                        continue
                    reported.add(key)
                    hits.setdefault(q, []).append(j)
                for q, js in hits.items():
                    p = int(pos[q])
                    js.sort(key=lambda j: -float(overlap[j]))
                    names = [self.target_label(layer, layer_name, int(ti[j])) for j in js]
                    target = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                    area = float(sum(overlap[j] for j in js))
                    location = shapely.union_all(pieces[js]) if len(js) > 1 else pieces[js[0]]
                    if rule_id == "habitat_conflict":
                        labels = self.group_labels(policy, sel_codes[q])
                        self.add(rule_id, features[p], location, p, codes=_codes_text(sel_codes[q]), group=labels,
                                 area=area, target=target, reason=policy.reason or "the strategy forbids it",
                                 layer=layer_name)
                    else:
                        what = ("opportunity areas" if policy.any_measure else
                                f"measures for {self.group_labels(policy, sel_codes[q])} (here "
                                f"{_codes_text(sel_codes[q])})")
                        self.add(rule_id, features[p], location, p, target=target, area=area, what=what,
                                 reason=f": {policy.reason}" if policy.reason else "", layer=layer_name)

    def group_labels(self, policy: OverlapPolicy, codes: Sequence[str]) -> str:
        labels = [self.rules.group(g).label for g in policy.groups if self.matching(codes, [g])]
        labels += [f"the {t} theme" for t in policy.themes if self.matching(codes, [], [t])]
        return " / ".join(dict.fromkeys(labels)) or "these measures"

    @staticmethod
    def target_label(layer: Any, layer_name: str, k: int) -> str:
        cols, row = layer.columns, int(layer.rows[k])
        title = _text(cols["name"][row]).strip() or _text(cols["ref"][row]).strip()
        if layer_name == IRREPLACEABLE.name:
            kind = _text(cols["habitat_type"][row])
            what = IRREPLACEABLE_TYPES.get(kind, kind or "irreplaceable habitat")
            what = what[:1].lower() + what[1:]
        else:
            what = _text(cols["designation"][row]) or "designated site"
        return f"{what} ‘{title}’" if title else f"{what} {int(layer.fids[k])}"

    # ------------------------------------------------------------------ other opportunity areas
    def check_own_conflicts(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                            where: Sequence[Any]) -> None:
        if not self.on("theme_conflict"):
            return
        for p, (f, cs) in enumerate(zip(features, codes)):
            for conflict in self.rules.group_conflicts:
                a, b = self.matching(cs, [conflict.a]), self.matching(cs, [conflict.b])
                if a and b and (set(a) != set(b) or len(a) > 1):
                    b = [c for c in b if c not in a] or b
                    self.add("theme_conflict", f, where[p], p, codes_a=_codes_text(a),
                             group_a=self.rules.group(conflict.a).label, codes_b=_codes_text(b),
                             group_b=self.rules.group(conflict.b).label, other="", reason=conflict.reason)

    def check_others(self, features: Sequence[OpportunityFeature], codes: Sequence[tuple[str, ...]],
                     pos: IntArray, geoms: GeomArray, exclude_fids: Collection[int]) -> None:
        """Contradictory measures on overlapping polygons, and duplicate polygons."""
        dup_on, theme_on = self.on("duplicate_geometry"), self.on("theme_conflict") and bool(self.rules.group_conflicts)
        if not (dup_on or theme_on) or not len(geoms):
            return
        others: list[_Other] = [_Other(features[int(p)], codes[int(p)], int(p)) for p in pos.tolist()]
        all_geoms = list(geoms)
        skip = {f.fid for f in features if f.fid is not None} | {int(x) for x in exclude_fids}
        layer = _layer_index(self.pack, OPPORTUNITY.name, [])
        if layer is not None:
            cols = layer.columns
            for k, (row, fid) in enumerate(zip(layer.rows.tolist(), layer.fids.tolist())):
                if int(fid) in skip:
                    continue
                f = OpportunityFeature(int(fid), _text(cols["measures"][row]), layer.geoms[k],
                                       _text(cols["name"][row]), _text(cols["ref"][row]), str(int(fid)))
                others.append(_Other(f, f.codes(), None))
                all_geoms.append(layer.geoms[k])
        pool = np.empty(len(all_geoms), dtype=object)
        pool[:] = all_geoms
        qi, ti = shapely.STRtree(pool).query(geoms, predicate="intersects")
        keep = np.array([q != t and (others[t].position is None or q < t) for q, t in zip(qi.tolist(), ti.tolist())],
                        dtype=bool)
        qi, ti = qi[keep], ti[keep]
        if not len(qi):
            return
        areas = shapely.area(pool)
        a_q, a_t = areas[qi], areas[ti]
        share = self.rules.duplicate_share
        dup_cand = (np.minimum(a_q, a_t) >= share * np.maximum(a_q, a_t)) if dup_on else np.zeros(len(qi), bool)
        groups_of = [{c.a: self.matching(o.codes, [c.a]) for c in self.rules.group_conflicts} |
                     {c.b: self.matching(o.codes, [c.b]) for c in self.rules.group_conflicts} for o in others] \
            if theme_on else []
        theme_cand = np.zeros(len(qi), dtype=bool)
        if theme_on:
            for j, (q, t) in enumerate(zip(qi.tolist(), ti.tolist())):
                gq, gt = groups_of[q], groups_of[t]
                theme_cand[j] = any((gq[c.a] and gt[c.b]) or (gq[c.b] and gt[c.a]) for c in self.rules.group_conflicts)
        need = dup_cand | theme_cand
        if not need.any():
            return
        inter = np.empty(len(qi), dtype=object)
        inter[need] = shapely.intersection(pool[qi[need]], pool[ti[need]])
        shared = np.zeros(len(qi))
        shared[need] = shapely.area(inter[need])
        for j in np.flatnonzero(need).tolist():
            q, t = int(qi[j]), int(ti[j])
            mine, other = others[q], others[t]
            p = int(mine.position if mine.position is not None else -1)
            if dup_cand[j] and shared[j] >= share * max(float(a_q[j]), float(a_t[j])) and shared[j] > 0:
                same = geometry_sha256(pool[q]) == geometry_sha256(pool[t])
                how = "the same" if same else f"almost the same ({shared[j] / max(float(a_q[j]), 1e-12):.1%} shared)"
                self.add("duplicate_geometry", mine.feature, pool[q], p, how=how, other=other.feature.label())
            if theme_cand[j] and shared[j] >= self.rules.overlap_tolerance_m2 and shared[j] > 0:
                for c in self.rules.group_conflicts:
                    for ga, gb in ((c.a, c.b), (c.b, c.a)):
                        mine_codes, their_codes = groups_of[q][ga], groups_of[t][gb]
                        if mine_codes and their_codes:
                            self.add("theme_conflict", mine.feature, inter[j], p, codes_a=_codes_text(mine_codes),
                                     group_a=self.rules.group(ga).label, codes_b=_codes_text(their_codes),
                                     group_b=self.rules.group(gb).label,
                                     other=f" of {other.feature.label()} ({float(shared[j]):,.0f} m² shared)",
                                     reason=c.reason)
                            break


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


def validate_features(features: Sequence[OpportunityFeature], pack: PackData,
                      rules: OpportunityRules | None = None, *,
                      exclude_fids: Collection[int] = ()) -> ValidationReport:
    """Check ``features`` (edited or new opportunity areas) against ``pack``.

    ``rules`` defaults to the pack's own (:meth:`OpportunityRules.from_pack`). A feature with a
    pack fid stands in for the pack's feature of that fid when polygons are compared with each
    other; ``exclude_fids`` are pack features being deleted in the same save (left out of those
    comparisons). Issues come in feature order, pack-level issues first.
    """
    active = rules if rules is not None else OpportunityRules.from_pack(pack)
    checker = _Checker(pack, active)
    codes = [f.codes() for f in features]
    usable = [checker.check_geometry(f, p) for p, f in enumerate(features)]
    checker.check_codes(features, codes, usable)
    checker.check_own_conflicts(features, codes, usable)
    pos = np.array([p for p, g in enumerate(usable) if g is not None], dtype=np.int64)
    geoms: GeomArray = np.empty(len(pos), dtype=object)
    geoms[:] = [usable[p] for p in pos.tolist()]
    checker.check_shapes(features, pos, geoms)
    checker.check_strategy_area(features, pos, geoms)
    checker.check_layers(features, codes, pos, geoms)
    checker.check_others(features, codes, pos, geoms, exclude_fids)
    checker.note_unmatched_groups()
    return checker.report(len(features))


def validate_pack(pack: PackData, rules: OpportunityRules | None = None) -> ValidationReport:
    """Check every opportunity area of ``pack``; refuses (PackError) a layer the reader could not use."""
    if OPPORTUNITY.name in pack.unchecked:  # validating without its rows would report a clean map
        raise PackError(pack.unchecked[OPPORTUNITY.name])
    return validate_features(opportunity_features(pack), pack, rules)
