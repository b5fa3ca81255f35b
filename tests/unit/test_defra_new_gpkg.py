"""A survey with no file behind it (the Parcels tab's project layers) written as a new Natural England template
GeoPackage: every layer of the template, the phase's fields, the features' ids; then filled like a file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.adapters.defra_file import DefraRun, assess_defra_file, read_defra_file
from lnrs_toolkit.plugin.adapters.defra_new_gpkg import NE_LAYERS, write_template_gpkg
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.parcels.qa import RedLine
from lnrs_toolkit.plugin.core.parcels.templates import NATURAL_ENGLAND, detect_template
from lnrs_toolkit.plugin.core.screening.index_cache import load_index
from lnrs_toolkit.tests.unit.packs import build_split_pack
from osgeo import ogr
from shapely.geometry import Point

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_rlb_baseline_hedgerows_rivers.gpkg"


def items(path, layer):
    ds = ogr.Open(str(path))
    out = {f.GetFID(): (f.items(), f.GetGeometryRef().ExportToWkt() if f.GetGeometryRef() else None)
           for f in ds.GetLayerByName(layer)}
    ds = None
    return out


def test_the_template_is_written_with_every_layer_and_the_survey_read_back_unchanged(tmp_path):
    survey = read_defra_file(EXAMPLE, "proposed")
    out = write_template_gpkg(tmp_path / "new.gpkg", "proposed", survey.parcels,
                              range(1, len(survey.parcels) + 1), survey.red_line.geoms)
    ds = ogr.Open(str(out))
    names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
    ds = None
    assert names == ["Red Line Boundary", "Habitats", "Hedgerows", "Rivers", "Urban Trees"]
    assert detect_template(names) == NATURAL_ENGLAND
    again = read_defra_file(out, "proposed")
    assert [(p.ref, p.module, p.habitat, p.broad_habitat, p.condition) for p in again.parcels] == \
        [(p.ref, p.module, p.habitat, p.broad_habitat, p.condition) for p in survey.parcels]
    assert all(a.geometry.equals(b.geometry) for a, b in zip(again.parcels, survey.parcels))  # multi-part now
    hedges = items(out, "Hedgerows")
    first, _ = next(iter(hedges.values()))
    assert first["Baseline Hedge Type"] is None and first["Proposed Strategic Significance"] is None
    assert first["Length"] == pytest.approx(next(p for p in survey.parcels if p.module == "hedgerow").geometry.length)
    assert items(out, "Urban Trees") == {}


def test_a_survey_without_a_file_is_filled_in_a_new_natural_england_geopackage(tmp_path):
    index = load_index(str(build_split_pack(tmp_path / "draft.gpkg", "not_published", True)))
    from_file = read_defra_file(EXAMPLE, "baseline")
    tree = replace(from_file.parcels[0], ref="T1", geometry=Point(425860, 431440), module="tree", layer="Trees",
                   habitat=None, broad_habitat=None, condition=None, area=None)
    fids = []
    for module in ("area", "hedgerow", "watercourse"):
        fids += range(1, 1 + sum(1 for p in from_file.parcels if p.module == module))
    survey = replace(from_file, path=None, source="Survey parcels, Hedges", parcels=(*from_file.parcels, tree),
                     fids=(*fids, 1), layer_index=(*from_file.layer_index, 3),
                     ref_fields=(*from_file.ref_fields, "Tree Ref"),
                     layers=(*from_file.layers, (NE_LAYERS["tree"], "Urban Trees")))
    assert survey.name == "Survey parcels, Hedges" and survey.stem == "Habitats"
    run = DefraRun(survey, assess_defra_file(index, survey))
    out = run.write(tmp_path / "filled.gpkg")
    filled = read_defra_file(out, "baseline")
    sig = {i["Parcel Ref"]: i["Baseline Strategic Significance"] for i, _ in items(out, "Hedgerows").values()}
    assert {sig["H2-a"], sig["H2-b"]} == {"Formally identified in local strategy",
                                          "Area/compensation not in local strategy/ no local strategy"}
    (tree_row,) = items(out, "Urban Trees").values()
    assert tree_row[0]["Tree Ref"] == "T1"
    assert tree_row[0]["Baseline Strategic Significance"] == "Within area formally identified in local strategy"
    assert sorted(p.ref for p in filled.parcels) == sorted(p.ref for p in run.result.pieces)
    assert list(tmp_path.glob("lnrs_survey_*")) == []  # the intermediate file is gone


def test_an_existing_file_is_never_overwritten(tmp_path):
    taken = tmp_path / "taken.gpkg"
    taken.write_bytes(b"mine")
    with pytest.raises(InputError, match="already exists"):
        write_template_gpkg(taken, "baseline", (), (), RedLine(()).geoms)
    assert taken.read_bytes() == b"mine"
