"""``lnrs_cli.py parcels``: a Defra GeoPackage in, JSON and a filled copy out, exit 1 when Defra would refuse it."""

from __future__ import annotations

import json
from pathlib import Path

from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.tests.unit.defra_files import BNG_LAYERS, make_bng_gpkg
from lnrs_toolkit.tests.unit.packs import build_split_pack

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example_rlb_baseline_hedgerows_rivers.gpkg"


def test_parcels_json_and_filled_copy(tmp_path, capsys):
    pack = build_split_pack(tmp_path / "pack.gpkg", "not_published", True)
    out, doc = tmp_path / "out.gpkg", tmp_path / "issues.json"
    rc = main(["parcels", "--pack", str(pack), "--geopackage", str(EXAMPLE), "--output", str(out),
               "--json", str(doc)])
    assert rc == 0 and out.exists()
    data = json.loads(doc.read_text(encoding="utf-8"))
    assert data["template"] == "natural_england"
    assert [i["code"] for i in data["issues"]] == ["AREA_FIELD_MISMATCH"]
    keys = {"layer", "ref", "module", "habitat", "category", "multiplier", "metric_text", "codes", "split_from"}
    for f in data["features"]:
        assert keys <= set(f) and (("length_km" in f) == (f["module"] in ("hedgerow", "watercourse")))
    rivers = [f for f in data["features"] if f["layer"] == "Rivers"]
    assert sorted(f["category"] for f in rivers) == ["High", "Low"] and {f["split_from"] for f in rivers} == {"R1"}
    text = capsys.readouterr().out  # with --json FILE the summary still goes to stdout
    assert "Natural England template: 6 feature(s) in Habitats, Hedgerows, Rivers; 9 piece(s)." in text
    assert "watercourse: 1 piece(s) High" in text and f"Wrote {out}." in text


def test_parcels_exit_1_on_defra_errors_and_2_on_bad_input(tmp_path, capsys):
    pack = build_split_pack(tmp_path / "pack.gpkg")
    layers = [(n, k, f, [] if n == "Red Line Boundary" else feats) for n, k, f, feats in BNG_LAYERS]
    bad = make_bng_gpkg(tmp_path / "bng.gpkg", layers)
    assert main(["parcels", "--pack", str(pack), "--geopackage", str(bad), "--phase", "proposed"]) == 1
    text = capsys.readouterr().out
    assert "BNG Metric service template" in text and "error NO_REDLINE [Red Line Boundary]" in text
    assert main(["parcels", "--pack", str(pack), "--geopackage", str(tmp_path / "missing.gpkg")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_parcels_never_writes_over_the_pack_or_the_input(tmp_path, capsys):
    """--output or --json naming the pack or the input GeoPackage (or a link to one) is refused before any work,
    and neither file changes."""
    import shutil

    pack = build_split_pack(tmp_path / "pack.gpkg")
    src = tmp_path / "survey.gpkg"
    shutil.copyfile(EXAMPLE, src)
    link = tmp_path / "link.gpkg"
    link.symlink_to(pack)
    before = pack.read_bytes(), src.read_bytes()
    for option, target in (("--output", pack), ("--output", link), ("--output", src), ("--json", pack),
                           ("--json", src)):
        assert main(["parcels", "--pack", str(pack), "--geopackage", str(src), option, str(target)]) == 2
        err = capsys.readouterr().err
        assert "would destroy it" in err and "Traceback" not in err
    assert (pack.read_bytes(), src.read_bytes()) == before


def test_parcels_shows_escape_sequences_in_the_file_rather_than_obeying_them(tmp_path, capsys):
    import shutil

    from osgeo import ogr

    pack = build_split_pack(tmp_path / "pack.gpkg")
    src = tmp_path / "survey.gpkg"
    shutil.copyfile(EXAMPLE, src)
    ds = ogr.Open(str(src), 1)
    layer = ds.GetLayerByName("Habitats")
    feature = layer.GetFeature(2)  # the parcel whose stored Area Defra's example gets wrong (an issue names it)
    feature.SetField("Parcel Ref", "P2\x1b[2J\nforged")
    layer.SetFeature(feature)
    ds = None
    main(["parcels", "--pack", str(pack), "--geopackage", str(src)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2J\\x0aforged" in out
