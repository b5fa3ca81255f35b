"""Both Defra templates: recognised from the file, read, scored for every module and written back in the same
template (round trips), with the command line's JSON."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.adapters.defra_file import assess_defra_file, read_defra_file, result_json, write_defra_file
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.parcels.templates import BNG_SERVICE, NATURAL_ENGLAND, detect_template
from lnrs_toolkit.plugin.core.screening.index_cache import load_index
from lnrs_toolkit.tests.unit.defra_files import BNG_LAYERS, make_bng_gpkg
from lnrs_toolkit.tests.unit.packs import SPLIT_X, build_split_pack
from osgeo import ogr

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_rlb_baseline_hedgerows_rivers.gpkg"
HIGH_TEXT = "Formally identified in local strategy"
LOW_TEXT = "Area/compensation not in local strategy/ no local strategy"
TREE_HIGH = "Within area formally identified in local strategy"


@pytest.fixture(scope="module")
def draft_index(tmp_path_factory):
    return load_index(str(build_split_pack(tmp_path_factory.mktemp("p") / "draft.gpkg", "not_published", True)))


@pytest.fixture(scope="module")
def published_index(tmp_path_factory):
    return load_index(str(build_split_pack(tmp_path_factory.mktemp("p") / "pub.gpkg", "published", True)))


def rows(path, layer):
    ds = ogr.Open(str(path))
    out = []
    for f in ds.GetLayerByName(layer):
        g = f.GetGeometryRef()
        size = 0.0 if g is None else (g.GetArea() if g.GetDimension() == 2 else g.Length())
        out.append((f.GetFID(), f.items(), size))
    return out


def layer_names(path):
    ds = ogr.Open(str(path))
    return [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]


def test_templates_are_recognised_from_the_layer_names(tmp_path):
    assert detect_template(layer_names(EXAMPLE)) == NATURAL_ENGLAND
    assert detect_template(layer_names(make_bng_gpkg(tmp_path / "bng.gpkg"))) == BNG_SERVICE
    with pytest.raises(InputError, match="not a Defra metric GeoPackage: its layers are sites"):
        detect_template(["sites"])
    with pytest.raises(InputError, match="both Defra templates"):
        detect_template(["Habitats", "Area Habitats Baseline"])


def test_natural_england_round_trip_fills_every_module(draft_index, tmp_path):
    dfile = read_defra_file(EXAMPLE, "baseline")
    assert [name for _, name in dfile.layers] == ["Habitats", "Hedgerows", "Rivers"]
    result = assess_defra_file(draft_index, dfile)
    out = write_defra_file(dfile, result, tmp_path / "filled.gpkg")
    assert layer_names(out) == layer_names(EXAMPLE)
    for name in ("Red Line Boundary", "layer_styles"):
        assert rows(out, name) == rows(EXAMPLE, name)
    field = "Baseline Strategic Significance"
    for name in ("Hedgerows", "Rivers"):
        before, after = rows(EXAMPLE, name), rows(out, name)
        assert sum(s for *_, s in after) == pytest.approx(sum(s for *_, s in before), abs=1e-6)
        assert {items[field] for _, items, _ in after} <= {HIGH_TEXT, LOW_TEXT}
        assert len(after) > len(before)  # H2 and R1 cross SPLIT_X: split into High and Low pieces
    again = read_defra_file(out, "baseline")  # the filled copy reads back in the same template
    assert again.template == NATURAL_ENGLAND and len(again.parcels) == len(result.pieces)
    refs = sorted(p.ref for p in again.parcels if p.module == "watercourse")
    assert refs == ["R1-a", "R1-b"]
    lengths = {items["Parcel Ref"]: items["Length"] for _, items, _ in rows(out, "Rivers")}
    assert sum(lengths.values()) in (176, 177, 178)  # whole metres, as the template stores them


def test_bng_service_round_trip_post_intervention(draft_index, tmp_path):
    src = make_bng_gpkg(tmp_path / "bng.gpkg")
    dfile = read_defra_file(src, "proposed")
    assert dfile.template == BNG_SERVICE
    assert [name for _, name in dfile.layers] == ["Area Habitats Post-Intervention", "Hedgerows Post-Intervention"]
    result = assess_defra_file(draft_index, dfile)
    out = write_defra_file(dfile, result, tmp_path / "filled.gpkg")
    for name in ("Area Habitats Baseline", "Hedgerows Baseline", "Watercourses Baseline", "Individual Trees Baseline",
                 "Red Line Boundary"):
        assert rows(out, name) == rows(src, name)  # the other phase is untouched
    area = {items["Habitat Ref"]: (items["Proposed Strategic Significance"], items["Area"], size)
            for _, items, size in rows(out, "Area Habitats Post-Intervention")}
    # the 200 x 100 m parcel splits at SPLIT_X: 1 ha High (GL001 delivers grassland) and 1 ha Low; Area in ha
    assert area == {"PI1-a": (HIGH_TEXT, pytest.approx(1.0), pytest.approx(10000.0)),
                    "PI1-b": (LOW_TEXT, pytest.approx(1.0), pytest.approx(10000.0))}
    hedges = {items["Habitat Ref"]: (items["Proposed Strategic Significance"], items["Length"])
              for _, items, _ in rows(out, "Hedgerows Post-Intervention")}
    assert hedges == {"PH1-a": (HIGH_TEXT, pytest.approx(0.08)), "PH1-b": (LOW_TEXT, pytest.approx(0.04))}


def test_bng_service_baseline_trees_and_json(draft_index, published_index, tmp_path):
    src = make_bng_gpkg(tmp_path / "bng.gpkg")
    dfile = read_defra_file(src, "baseline")
    result = assess_defra_file(draft_index, dfile)
    doc = result_json(dfile, result)
    assert doc["template"] == BNG_SERVICE and doc["rule"] == "Table 8"
    by = {f["ref"]: f for f in doc["features"]}
    assert by["T1"]["metric_text"] == TREE_HIGH and by["T1"]["module"] == "tree" and by["T1"]["codes"] == ["HW001"]
    assert by["T2"]["category"] == "Low"
    assert by["W1"]["length_km"] == pytest.approx(0.08) and by["W1"]["codes"] == ["HW001"]
    assert by["A1-a"]["area_ha"] == pytest.approx(1.0) and by["A1-a"]["split_from"] == "A1"
    assert all(i["severity"] in ("error", "warning") for i in doc["issues"])
    published = result_json(dfile, assess_defra_file(published_index, dfile))
    assert {f["category"] for f in published["features"]} == {"Low"} and published["rule"] == "Table 7"


def test_an_empty_red_line_is_an_error_not_a_silent_switch(draft_index, tmp_path):
    layers = [(n, k, f, [] if n == "Red Line Boundary" else feats) for n, k, f, feats in BNG_LAYERS]
    dfile = read_defra_file(make_bng_gpkg(tmp_path / "bng.gpkg", layers), "baseline")
    result = assess_defra_file(draft_index, dfile)
    (err,) = (i for i in result.issues if i.code == "NO_REDLINE")
    assert err.severity == "error" and "not checked against the red line" in err.message


def test_the_input_is_never_written_and_cannot_be_the_output(draft_index, tmp_path):
    src = tmp_path / "in.gpkg"
    shutil.copyfile(EXAMPLE, src)
    before = src.read_bytes()
    dfile = read_defra_file(src, "baseline")
    with pytest.raises(InputError, match="must be a new file"):
        write_defra_file(dfile, assess_defra_file(draft_index, dfile), src)
    assert src.read_bytes() == before


def test_an_iggi_layer_is_read_and_checked_against_the_red_line(draft_index, tmp_path):
    x, y = SPLIT_X, 431400.0
    iggis = ("IGGIs", "Polygon", [("Habitat Ref", "String")],
             [(f"POLYGON(({x - 50} {y + 90},{x} {y + 90},{x} {y + 110},{x - 50} {y + 110},{x - 50} {y + 90}))",
               ["G1"]),
              (f"POLYGON(({x} {y + 10},{x + 10} {y + 10},{x + 10} {y + 20},{x} {y + 20},{x} {y + 10}))", ["G2"])])
    dfile = read_defra_file(make_bng_gpkg(tmp_path / "bng.gpkg", [*BNG_LAYERS, iggis]), "baseline")
    assert [(p.ref, p.layer) for p in dfile.iggis] == [("G1", "IGGIs"), ("G2", "IGGIs")]
    assert all(p.layer != "IGGIs" for p in dfile.parcels)  # not assessed for significance
    (out,) = (i for i in assess_defra_file(draft_index, dfile).issues if i.code == "IGGIS_OUTSIDE_REDLINE")
    assert out.ref == "G1" and "500.00 m²" in out.message  # 50 m x 10 m beyond the red line


def test_run_defra_file_is_what_the_dock_shows(draft_index, tmp_path):
    from lnrs_toolkit.plugin.adapters.defra_file import peek_defra_file, run_defra_file

    src = make_bng_gpkg(tmp_path / "bng.gpkg")
    assert peek_defra_file(src)[0] == BNG_SERVICE and "Red Line Boundary" in peek_defra_file(src)[1]
    run = run_defra_file(draft_index, src, "baseline")
    modules = run.modules()
    assert list(modules) == ["area", "hedgerow", "watercourse", "tree"]
    assert modules["area"][:2] == (1, 2) and modules["area"][2] == pytest.approx(2.0)  # 1 parcel, 2 pieces, 2 ha
    assert modules["tree"] == (2, 2, 0.0)
    split = [p for p in run.result.pieces if run.was_split(p)]
    assert [p.ref for p in split if p.module == "area"] == ["A1-a", "A1-b"]
    assert all(run.parent_ref(p) == run.parcels[p.parent].ref for p in split)
    assert run.split_features == len({p.parent for p in split})
    out = run.write(tmp_path / "filled.gpkg")
    assert out.exists() and peek_defra_file(out)[0] == BNG_SERVICE
