"""National datasets recognised from their fields, as data: which role, which fixed value, which field goes where.

Two publishers' shapes are known:

- planning.data.gov.uk dataset downloads (fields ``reference``, ``name``, ``entity``, ``organisation-entity``,
  ``start-date``, ``end-date``, ``entry-date``, ``dataset``, ``prefix`` ...). The dataset is told by the
  ``dataset`` (or ``prefix``) column, else by the dataset's name in the file name (``...-ramsar.geojson``), else
  by a field only that dataset has (``ancient-woodland-status``). Rows whose ``end-date`` is in the past are
  left out and counted.
- Natural England's open data layers, whose field names differ by layer and vintage (``SSSI_NAME``,
  ``SAC_CODE``, ``THEMNAME``/``THEMENAME``, ``MainHabs``...). Field names are matched case-insensitively.

A layer that is recognised but lacks a field the role needs is a *partial* recognition: it says which
fields it still needs (give them as *_FIELD parameters).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from .builder import FieldMapping

PLANNING_DATA = "planning.data.gov.uk"
NATURAL_ENGLAND = "Natural England"
#: Fields every planning.data.gov.uk dataset download may carry (its dataset specifications).
PLANNING_DATA_FIELDS: frozenset[str] = frozenset({
    "reference", "name", "geometry", "point", "entity", "organisation", "organisation-entity", "start-date",
    "end-date", "entry-date", "dataset", "prefix", "typology", "notes", "documentation-url", "description",
    "geojson", "quality", "wkt",
})


@dataclass(frozen=True)
class FieldRule:
    """A canonical column (a FieldMapping attribute) and the input field names that fill it, best first."""

    target: str
    candidates: tuple[str, ...]
    required: bool = False

    @property
    def parameter(self) -> str:
        return self.target.upper()


@dataclass(frozen=True)
class KnownDataset:
    key: str
    title: str
    publisher: str
    role: str
    #: fields (any one, case-insensitive) that tell this Natural England layer; empty for planning.data.gov.uk
    identify: tuple[str, ...] = ()
    fields: tuple[FieldRule, ...] = ()
    designation: str = ""
    habitat_type: str = ""
    #: ancient woodland: 'legacy' or 'revised' inventory
    inventory: str = ""
    #: planning.data.gov.uk dataset name
    slug: str = ""
    #: target -> ((lower-case input value, canonical value), ...): values rewritten before mapping
    value_maps: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    #: (field, regular expression) that the first non-empty value must match, for generic field names
    value_pattern: tuple[str, str] | None = None


# Ancient woodland categories as the inventories publish them -> the pack's status codes.
_LEGACY_AW_STATUS = (("asnw", "ASNW"), ("paws", "PAWS"), ("ancient & semi-natural woodland", "ASNW"),
                     ("ancient replanted woodland", "PAWS"))
_REVISED_AW_STATUS = (("ancient semi natural woodland", "ASNW"), ("ancient semi-natural woodland", "ASNW"),
                      ("ancient replanted woodland", "PAWS"), ("ancient wood pasture", "wood_pasture"),
                      ("infilled ancient wood pasture", "wood_pasture"), ("asnw", "ASNW"), ("paws", "PAWS"),
                      ("awp", "wood_pasture"), ("iawp", "wood_pasture"))
_PLANNING_AW_STATUS = (
    *_REVISED_AW_STATUS, ("ancient-semi-natural-woodland", "ASNW"), ("ancient-replanted-woodland", "PAWS"),
    ("ancient-wood-pasture", "wood_pasture"), ("infilled-ancient-wood-pasture", "wood_pasture"),
    ("plantation on ancient woodland site", "PAWS"))

_PD_NAME = FieldRule("name_field", ("name",))
_PD_REF = FieldRule("ref_field", ("reference",))


def _pd(slug: str, title: str, role: str, designation: str = "", **kw: Any) -> KnownDataset:
    fields = kw.pop("fields", (_PD_NAME, _PD_REF))
    return KnownDataset(f"planning-data:{slug}", title, PLANNING_DATA, role, fields=fields,
                        designation=designation, slug=slug, **kw)


def _ne(key: str, title: str, role: str, identify: tuple[str, ...], fields: tuple[FieldRule, ...],
        **kw: Any) -> KnownDataset:
    return KnownDataset(f"natural-england:{key}", title, NATURAL_ENGLAND, role, identify=identify, fields=fields, **kw)


#: Every recognised national dataset. Order matters only among Natural England layers sharing a field.
KNOWN_DATASETS: tuple[KnownDataset, ...] = (
    _pd("ancient-woodland", "Ancient woodland", "irreplaceable", habitat_type="ancient_woodland",
        fields=(_PD_NAME, _PD_REF, FieldRule("status_field", ("ancient-woodland-status",), True)),
        value_maps=(("status_field", _PLANNING_AW_STATUS),)),
    _pd("site-of-special-scientific-interest", "Site of special scientific interest", "designated", "SSSI"),
    _pd("special-area-of-conservation", "Special area of conservation", "designated", "SAC"),
    _pd("special-protection-area", "Special protection area", "designated", "SPA"),
    _pd("ramsar", "Ramsar site", "designated", "Ramsar"),
    _pd("national-nature-reserve", "National nature reserve", "designated", "NNR"),
    _pd("local-nature-reserve", "Local nature reserve", "designated", "LNR"),
    _pd("local-planning-authority", "Local planning authority boundary", "lpa"),
    _pd("local-authority-district", "Local authority district", "lpa"),
    _pd("local-nature-recovery-strategy", "Local nature recovery strategy area", "area", fields=(_PD_NAME,)),
    _ne("sssi", "Sites of Special Scientific Interest (England)", "designated", ("sssi_name",),
        (FieldRule("name_field", ("sssi_name",)),
         FieldRule("ref_field", ("ref_code", "reference", "ensis_id", "ensisid"))), designation="SSSI"),
    _ne("sac", "Special Areas of Conservation (England)", "designated", ("sac_name", "sac_code"),
        (FieldRule("name_field", ("sac_name",)), FieldRule("ref_field", ("sac_code",))),
        designation="SAC"),
    _ne("spa", "Special Protection Areas (England)", "designated", ("spa_name", "spa_code"),
        (FieldRule("name_field", ("spa_name",)), FieldRule("ref_field", ("spa_code",))),
        designation="SPA"),
    _ne("nnr", "National Nature Reserves (England)", "designated", ("nnr_name",),
        (FieldRule("name_field", ("nnr_name",)), FieldRule("ref_field", ("reference", "ref_code"))),
        designation="NNR"),
    _ne("lnr", "Local Nature Reserves (England)", "designated", ("lnr_name",),
        (FieldRule("name_field", ("lnr_name",)), FieldRule("ref_field", ("reference", "ref_code"))),
        designation="LNR"),
    _ne("ramsar", "Ramsar (England)", "designated", ("code",),
        (FieldRule("name_field", ("name",)), FieldRule("ref_field", ("code",))),
        designation="Ramsar", value_pattern=("code", r"^UK1\d{4}$")),
    _ne("ancient-woodland-revised", "Ancient Woodland - Revised (England)", "irreplaceable", ("themename",),
        (FieldRule("status_field", ("themename",), True), FieldRule("name_field", ("name",))),
        habitat_type="ancient_woodland", inventory="revised", value_maps=(("status_field", _REVISED_AW_STATUS),)),
    _ne("ancient-woodland", "Ancient Woodland (England)", "irreplaceable", ("themname",),
        (FieldRule("status_field", ("status", "themname"), True), FieldRule("name_field", ("name",))),
        habitat_type="ancient_woodland", inventory="legacy", value_maps=(("status_field", _LEGACY_AW_STATUS),)),
    _ne("priority-habitats", "Priority Habitats Inventory (England)", "priority_habitats", ("mainhabs",),
        (FieldRule("main_habitat_field", ("mainhabs",), True), FieldRule("additional_habitats_field", ("addhabs",)),
         FieldRule("habitat_codes_field", ("habcodes",)), FieldRule("confidence_field", ("confidence",)))),
)
_PD_BY_SLUG: dict[str, KnownDataset] = {d.slug: d for d in KNOWN_DATASETS if d.slug}


@dataclass(frozen=True)
class Recognition:
    """What a layer was recognised as, and which of its fields fills each canonical column."""

    dataset: KnownDataset
    mapping: FieldMapping
    #: (PARAMETER, input field) for every field that was placed
    assigned: tuple[tuple[str, str], ...]
    #: sentences 'PARAMETER (one of a, b)' for required columns the layer has no field for
    missing: tuple[str, ...] = ()
    #: optional parameters the layer has no field for (left empty)
    absent: tuple[str, ...] = ()
    #: the input's end-date field (planning.data.gov.uk), '' when none
    end_date_field: str = ""
    #: how the dataset was told: 'fields', 'dataset column', 'file name' ...
    evidence: str = "fields"

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe(self) -> str:
        placed = ", ".join(f"{p} = '{f}'" for p, f in self.assigned) or "no field"
        fixed = []
        if self.dataset.designation:
            fixed.append(f"DESIGNATION = {self.dataset.designation}")
        if self.dataset.habitat_type:
            fixed.append(f"HABITAT_TYPE = {self.dataset.habitat_type}")
        fixed_text = f"; {', '.join(fixed)}" if fixed else ""
        absent = f"; no field for {', '.join(self.absent)}" if self.absent else ""
        return (f"{self.dataset.title} ({self.dataset.publisher}, told by its {self.evidence}) as role "
                f"'{self.dataset.role}': {placed}{fixed_text}{absent}")

    def missing_sentence(self, source: str) -> str:
        return (f"'{source}' looks like {self.dataset.title} ({self.dataset.publisher}) but has no field for "
                f"{'; '.join(self.missing)}. Give ROLE '{self.dataset.role}' and the field(s) as parameters, or "
                "check the file is the published download.")


def _lower_map(fields: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in fields:
        out.setdefault(f.lower(), f)
    return out


def _first_value(rows: Sequence[Mapping[str, Any]], field: str) -> str:
    for row in rows[:50]:
        value = row.get(field)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _place(dataset: KnownDataset, lower: Mapping[str, str], evidence: str) -> Recognition:
    values: dict[str, str] = {}
    assigned: list[tuple[str, str]] = []
    missing: list[str] = []
    absent: list[str] = []
    for rule in dataset.fields:
        found = next((lower[c] for c in rule.candidates if c in lower), "")
        if found:
            values[rule.target] = found
            assigned.append((rule.parameter, found))
        elif rule.required:
            missing.append(f"{rule.parameter} (one of {', '.join(rule.candidates)})")
        else:
            absent.append(rule.parameter)
    if dataset.designation:
        values["designation"] = dataset.designation
    if dataset.habitat_type:
        values["habitat_type"] = dataset.habitat_type
    end_date = lower.get("end-date", "") if dataset.publisher == PLANNING_DATA else ""
    if dataset.inventory:
        values["inventory"] = dataset.inventory
    return Recognition(dataset, FieldMapping(**values), tuple(assigned), tuple(missing), tuple(absent), end_date,
                       evidence)


def _slug_in_name(name: str) -> str:
    text = re.sub(r"[\s_]+", "-", name.lower())
    hits = [slug for slug in _PD_BY_SLUG if slug in text]
    return max(hits, key=len) if hits else ""


def _planning_data(name: str, lower: Mapping[str, str], rows: Sequence[Mapping[str, Any]]) -> Recognition | None:
    extra = {f for f in lower if f not in PLANNING_DATA_FIELDS}
    specific = {f for d in _PD_BY_SLUG.values() for r in d.fields for f in r.candidates} - PLANNING_DATA_FIELDS
    looks_like = ("entity" in lower and "reference" in lower) or not (extra - specific)
    if not looks_like:
        return None
    for column in ("dataset", "prefix"):
        if column in lower:
            slug = _first_value(rows, lower[column]).lower()
            if slug in _PD_BY_SLUG:
                return _place(_PD_BY_SLUG[slug], lower, f"'{lower[column]}' column")
    slug = _slug_in_name(name)
    if slug:
        return _place(_PD_BY_SLUG[slug], lower, "file name")
    for dataset in _PD_BY_SLUG.values():
        own = {c for r in dataset.fields for c in r.candidates} & specific
        if own and own <= set(lower):
            return _place(dataset, lower, "fields")
    return None


def recognise(name: str, fields: Sequence[str], rows: Sequence[Mapping[str, Any]] = ()) -> Recognition | None:
    """The known dataset a layer named ``name`` with these ``fields`` (and first ``rows``) is, or ``None``."""
    lower = _lower_map(fields)
    candidates: list[tuple[int, KnownDataset]] = []
    for dataset in KNOWN_DATASETS:
        if dataset.publisher != NATURAL_ENGLAND:
            continue
        hits = sum(1 for f in dataset.identify if f in lower)
        if not hits:
            continue
        if dataset.value_pattern is not None:
            field, pattern = dataset.value_pattern
            if not re.match(pattern, _first_value(rows, lower.get(field, ""))):
                continue
        candidates.append((hits, dataset))
    if candidates:
        best = max(candidates, key=lambda c: c[0])[1]
        return _place(best, lower, "fields")
    return _planning_data(name, lower, rows)


def value_map(dataset: KnownDataset, target: str) -> dict[str, str]:
    for key, pairs in dataset.value_maps:
        if key == target:
            return dict(pairs)
    return {}


@dataclass(frozen=True)
class PreparedRows:
    """Rows ready for ``map_rows``: end-dated rows left out, published values rewritten to the pack's."""

    rows: list[dict[str, Any]]
    keep: tuple[int, ...]  # indexes of the input rows kept
    end_dated: int


def _date(value: Any) -> _dt.date | None:
    text = str(value or "").strip()[:10]
    if not text:
        return None
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


def prepare_rows(recognition: Recognition, rows: Sequence[Mapping[str, Any]], source: str,
                 today: _dt.date | None = None) -> PreparedRows:
    """Leave out rows whose end-date is in the past; rewrite published category names to the pack's codes.

    A value of a mapped category the table does not know is left as it is (the builder refuses it with
    the row number). An end-date that is not a date is refused naming the file, the field and the row.
    """
    today = today or _dt.date.today()
    maps = {getattr(recognition.mapping, target): value_map(recognition.dataset, target)
            for target, _ in recognition.dataset.value_maps if getattr(recognition.mapping, target)}
    out: list[dict[str, Any]] = []
    keep: list[int] = []
    ended = 0
    for i, row in enumerate(rows):
        if recognition.end_date_field:
            raw = row.get(recognition.end_date_field)
            end = _date(raw)
            if end is None and str(raw or "").strip():
                raise InputError(f"'{source}' row {i + 1}: the field '{recognition.end_date_field}' holds "
                                 f"'{raw}', which is not a date (YYYY-MM-DD).")
            if end is not None and end <= today:
                ended += 1
                continue
        new = dict(row)
        for field, table in maps.items():
            value = new.get(field)
            if value is not None:
                new[field] = table.get(" ".join(str(value).split()).lower(), value)
        out.append(new)
        keep.append(i)
    return PreparedRows(out, tuple(keep), ended)

