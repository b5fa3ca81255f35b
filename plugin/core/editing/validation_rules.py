"""The opportunity-area validation rules, as data, and a strategy's own policy read from its pack.

:data:`RULES` is the rule table (id, default severity, message template, fix); the measure groups,
their conflicts and the overlap policies (contradicting habitats, Areas of Particular Importance)
have defaults here. :class:`OpportunityRules` holds a strategy's policy, read from the pack's
metadata key ``opportunity_rules`` (JSON; keys left out keep their defaults, see docs/editing.md).
The checks that apply them are in :mod:`.validation`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import PackError, VocabularyError
from ..metric.vocabulary import IRREPLACEABLE_TYPES, normalise_designation, normalise_habitat_type
from ..pack.model import PackData

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
         "reproject it from its real CRS. An LNRS maps England only (the check allows 2 km across the Scottish and "
         "Welsh borders and 10 km out to sea)."),
    Rule("outside_strategy_area", ERROR, "Outside the strategy area",
         "{Feature} has {area:,.0f} m² ({share:.0%} of it) outside the strategy area.",
         "Snap it to the strategy boundary (Vector > Geometry Tools > Snap Geometries to Layer, with the pack's "
         "strategy_area layer and a tolerance of a few metres), clip it to the strategy area (Vector > "
         "Geoprocessing Tools > Clip) or correct its boundary: a strategy maps measures only within its own "
         "area."),
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
    Rule("gap", WARNING, "Narrow gap to a neighbouring area",
         "{Feature} is {gap:,.2f} m from {other} (less than {limit:g} m): a gap left by digitising, not land "
         "between two areas.",
         "Snap the two boundaries together (the Vertex Tool with snapping on, or Vector > Geometry Tools > Snap "
         "Geometries to Layer)."),
    Rule("many_codes", WARNING, "Many measure codes",
         "{Feature} has {count} measure codes (more than {limit}).",
         "Check each applies there: a long list is often pasted from another polygon."),
)
RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}



@dataclass(frozen=True)
class MeasureGroup:
    """Measures that share an aim, by catalogue code and/or catalogue habitat theme."""

    id: str
    label: str
    codes: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # catalogue habitat themes (case-insensitive): every measure of the theme

    def matches(self, code: str, theme: str) -> bool:
        return code in self.codes or (bool(theme) and fold_theme(theme) in {fold_theme(t) for t in self.themes})


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
    #: strips outside the strategy area narrower than this are the same boundary digitised again (5 cm)
    outside_tolerance_m: float = 0.05
    min_area_m2: float = 100.0
    min_width_m: float = 2.0
    max_codes: int = 10
    #: two polygons each covered this much by the other are duplicates
    duplicate_share: float = 0.99
    #: two areas closer than this (but not touching) leave a digitising gap (0 = not checked)
    max_gap_m: float = 1.0
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
    "overlap_tolerance_m2": (float, 0.0), "outside_tolerance_m2": (float, 0.0), "outside_tolerance_m": (float, 0.0),
    "min_area_m2": (float, 0.0), "max_gap_m": (float, 0.0),
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


def fold_theme(text: str) -> str:
    """A catalogue theme as compared: spaces collapsed, lower case."""
    return " ".join(str(text).split()).lower()
