"""Recognised national datasets (planning.data.gov.uk, Natural England) from the fixtures in their published shapes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.layer_plan import LNRS_CATALOGUE, plan_layer
from lnrs_toolkit.plugin.core.pack.recognition import KNOWN_DATASETS, prepare_rows, recognise
from shapely.geometry import shape

DATA = Path(__file__).resolve().parents[1] / "data" / "recognition"
TODAY = dt.date(2026, 1, 1)


def load(name: str) -> tuple[list[dict], np.ndarray, list[str]]:
    doc = json.loads((DATA / name).read_text())
    rows = [dict(f["properties"]) for f in doc["features"]]
    geoms = np.empty(len(rows), dtype=object)
    geoms[:] = [shape(f["geometry"]) for f in doc["features"]]
    return rows, geoms, list(rows[0])


# file -> (dataset key, role, designation, habitat type, {PARAMETER: field})
NATIONAL = {
    "natural_england_2016_ne_sssi.geojson": ("natural-england:sssi", "designated", "SSSI", "",
                                             {"NAME_FIELD": "sssi_name", "REF_FIELD": "reference"}),
    "natural_england_current_sssi.geojson": ("natural-england:sssi", "designated", "SSSI", "",
                                             {"NAME_FIELD": "SSSI_NAME", "REF_FIELD": "REF_CODE"}),
    "natural_england_2016_ne_special_areas_conservation.geojson": (
        "natural-england:sac", "designated", "SAC", "", {"NAME_FIELD": "sac_name", "REF_FIELD": "sac_code"}),
    "natural_england_2016_ne_special_protection_areas.geojson": (
        "natural-england:spa", "designated", "SPA", "", {"NAME_FIELD": "spa_name", "REF_FIELD": "spa_code"}),
    "natural_england_2016_ne_local_nature_reserves.geojson": (
        "natural-england:lnr", "designated", "LNR", "", {"NAME_FIELD": "lnr_name", "REF_FIELD": "reference"}),
    "natural_england_ramsar.geojson": ("natural-england:ramsar", "designated", "Ramsar", "",
                                       {"NAME_FIELD": "NAME", "REF_FIELD": "CODE"}),
    "natural_england_ancient_woodland_legacy.geojson": (
        "natural-england:ancient-woodland", "irreplaceable", "", "ancient_woodland",
        {"STATUS_FIELD": "status", "NAME_FIELD": "name"}),
    "natural_england_ancient_woodland_revised.geojson": (
        "natural-england:ancient-woodland-revised", "irreplaceable", "", "ancient_woodland",
        {"STATUS_FIELD": "THEMENAME", "NAME_FIELD": "NAME"}),
    "natural_england_priority_habitats.geojson": (
        "natural-england:priority-habitats", "priority_habitats", "", "",
        {"MAIN_HABITAT_FIELD": "MainHabs", "ADDITIONAL_HABITATS_FIELD": "AddHabs", "HABITAT_CODES_FIELD": "HabCodes",
         "CONFIDENCE_FIELD": "Confidence"}),
}
PLANNING = {
    "site-of-special-scientific-interest": ("designated", "SSSI"),
    "special-area-of-conservation": ("designated", "SAC"),
    "special-protection-area": ("designated", "SPA"),
    "ramsar": ("designated", "Ramsar"),
    "national-nature-reserve": ("designated", "NNR"),
    "local-nature-reserve": ("designated", "LNR"),
    "ancient-woodland": ("irreplaceable", ""),
    "local-planning-authority": ("lpa", ""),
    "local-nature-recovery-strategy": ("area", ""),
}


@pytest.mark.parametrize("fname", sorted(NATIONAL))
def test_natural_england_layers_are_recognised_with_their_fields(fname):
    rows, _, fields = load(fname)
    key, role, designation, habitat, placed = NATIONAL[fname]
    rec = recognise(fname, fields, rows)
    assert rec is not None and rec.complete
    assert (rec.dataset.key, rec.dataset.role) == (key, role)
    assert (rec.mapping.designation, rec.mapping.habitat_type) == (designation, habitat)
    assert dict(rec.assigned) == placed
    assert rec.end_date_field == ""


@pytest.mark.parametrize("slug", sorted(PLANNING))
def test_planning_data_downloads_are_told_by_their_dataset_column(slug):
    rows, _, fields = load(f"planning_data_{slug}.geojson")
    rec = recognise("download.geojson", fields, rows)  # a file name that says nothing
    assert rec is not None and rec.complete
    assert rec.dataset.slug == slug and rec.evidence == "'dataset' column"
    assert (rec.dataset.role, rec.mapping.designation) == PLANNING[slug]
    assert rec.mapping.ref_field == "reference" or slug == "local-nature-recovery-strategy"
    assert rec.end_date_field == "end-date"


def test_planning_data_told_by_file_name_when_only_geometry_remains():
    rec = recognise("E12000001-national-nature-reserve.geojson", [], [])
    assert rec is not None and rec.dataset.slug == "national-nature-reserve" and rec.evidence == "file name"
    assert rec.absent == ("NAME_FIELD", "REF_FIELD")
    assert "no field for NAME_FIELD, REF_FIELD" in rec.describe()
    # the longest name wins: 'local-nature-reserve' is not read in 'local-nature-recovery-strategy'
    assert recognise("x_local_nature_recovery_strategy.csv", ["reference", "entity"], []).dataset.role == "area"


def test_field_names_match_case_insensitively():
    rows, _, fields = load("natural_england_current_sssi.geojson")
    upper = recognise("a", fields, rows)
    lower = recognise("a", [f.lower() for f in fields], [{k.lower(): v for k, v in r.items()} for r in rows])
    assert upper.dataset == lower.dataset
    assert (upper.mapping.ref_field, lower.mapping.ref_field) == ("REF_CODE", "ref_code")


def test_end_dated_rows_are_left_out_and_counted():
    rows, _, fields = load("planning_data_ramsar.geojson")
    rec = recognise("ramsar.geojson", fields, rows)
    prepared = prepare_rows(rec, rows, "ramsar.geojson", TODAY)
    assert prepared.end_dated == 1 and prepared.keep == (0, 1)
    plan = plan_layer("ramsar.geojson", rows, load("planning_data_ramsar.geojson")[1], fields, "polygon", TODAY)
    assert len(plan.rows) == 2 and len(plan.geoms) == 2
    assert any("1 row(s) of 'ramsar.geojson' have an 'end-date' in the past" in line for line in plan.log)
    future = [dict(r, **{"end-date": "2999-01-01"}) for r in rows]
    assert prepare_rows(rec, future, "x", TODAY).end_dated == 0


def test_end_date_that_is_not_a_date_is_refused_naming_file_field_and_row():
    rows, _, fields = load("planning_data_ramsar.geojson")
    rows[1]["end-date"] = "soon"
    rec = recognise("r", fields, rows)
    with pytest.raises(InputError, match=r"'ramsar.geojson' row 2: the field 'end-date' holds 'soon'"):
        prepare_rows(rec, rows, "ramsar.geojson", TODAY)


def test_a_known_dataset_lacking_a_needed_field_says_which():
    rows, geoms, fields = load("planning_data_ancient-woodland.geojson")
    cut = [{k: v for k, v in r.items() if k != "ancient-woodland-status"} for r in rows]
    rec = recognise("aw.geojson", [f for f in fields if f != "ancient-woodland-status"], cut)
    assert rec is not None and not rec.complete
    with pytest.raises(InputError) as err:
        plan_layer("aw.geojson", cut, geoms, list(cut[0]), "polygon", TODAY)
    assert "'aw.geojson' looks like Ancient woodland (planning.data.gov.uk) but has no field for STATUS_FIELD " \
           "(one of ancient-woodland-status)" in str(err.value)
    assert "ROLE 'irreplaceable'" in str(err.value)


def test_published_categories_become_the_packs_codes():
    rows, _, fields = load("natural_england_ancient_woodland_revised.geojson")
    rec = recognise("r", fields, rows)
    assert rec.mapping.inventory == "revised"
    statuses = [r["THEMENAME"] for r in prepare_rows(rec, rows, "r", TODAY).rows]
    assert statuses == ["ASNW", "PAWS", "wood_pasture"]
    rows, _, fields = load("planning_data_ancient-woodland.geojson")
    rec = recognise("p", fields, rows)
    assert [r["ancient-woodland-status"] for r in prepare_rows(rec, rows, "p", TODAY).rows] == ["ASNW", "PAWS"]
    rows, _, fields = load("natural_england_ancient_woodland_legacy.geojson")
    assert recognise("l", fields, rows).mapping.inventory == "legacy"


def test_not_recognised():
    assert recognise("habitats.gpkg", ["Parcel Ref", "Baseline Habitat Type"], [{"Parcel Ref": "P1"}]) is None
    # NAME/CODE is Natural England's Ramsar layer only when the codes look like Ramsar codes
    assert recognise("x", ["NAME", "CODE"], [{"NAME": "Shop", "CODE": "A12"}]) is None
    assert recognise("x", ["NAME", "CODE"], [{"NAME": "Lake", "CODE": "UK11036"}]).dataset.designation == "Ramsar"
    assert plan_layer("other.geojson", [{"foo": 1}], None, ["foo"], "polygon") is None


def test_measures_catalogue_is_recognised():
    rows = [{"code": "WD001", "habitat_theme": "Woodland", "priority": "1", "measure": "Buffer."}]
    plan = plan_layer("catalogue.csv", rows, None, list(rows[0]), None)
    assert plan.dataset == LNRS_CATALOGUE and plan.role == "measures"
    assert (plan.mapping.code_field, plan.mapping.text_field, plan.mapping.theme_field) == \
        ("code", "measure", "habitat_theme")


def test_every_known_dataset_has_a_unique_key_and_a_known_role():
    from lnrs_toolkit.plugin.core.metric.vocabulary import ROLES

    keys = [d.key for d in KNOWN_DATASETS]
    assert len(keys) == len(set(keys))
    assert all(d.role in ROLES for d in KNOWN_DATASETS)
    assert all(d.identify or d.slug for d in KNOWN_DATASETS)


def test_local_authority_district_is_an_lpa_boundary_and_phi_without_confidence_is_complete():
    rows = [{"dataset": "local-authority-district", "reference": "E06000022", "name": "X", "entity": "1",
             "end-date": ""}]
    rec = recognise("lad.geojson", list(rows[0]), rows)
    assert (rec.dataset.role, rec.dataset.slug) == ("lpa", "local-authority-district")
    phi = recognise("phi.shp", ["MAINHABS", "ADDHABS", "HABCODES"], [{}])
    assert phi.complete and phi.absent == ("CONFIDENCE_FIELD",)
    assert phi.mapping.main_habitat_field == "MAINHABS"
