"""lnrs:parcelsignificance on the Defra digital metric example GeoPackage and on purpose-built parcels."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from lnrs_toolkit.tests.unit.packs import SPLIT_X, build_split_pack
from osgeo import ogr
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE = DATA / "example_rlb_baseline_hedgerows_rivers.gpkg"
DEMO_PACK = Path(__file__).resolve().parents[2] / "resources" / "data" / "demo_lnrs_pack.gpkg"
LOW_TEXT = "Area/compensation not in local strategy/ no local strategy"
HIGH_TEXT = "Formally identified in local strategy"
SIG = "Baseline Strategic Significance"


@pytest.fixture()
def example(tmp_path):
    path = tmp_path / "metric.gpkg"
    shutil.copyfile(EXAMPLE, path)
    return path


@pytest.fixture(scope="module")
def split_pack(tmp_path_factory):
    return build_split_pack(tmp_path_factory.mktemp("pack") / "pack.gpkg")


def run(params):
    import processing

    return processing.run("lnrs:parcelsignificance", params)


def sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rows(path, layer):
    ds = ogr.Open(str(path))
    lyr = ds.GetLayerByName(layer)
    out = []
    for f in lyr:
        g = f.GetGeometryRef()
        out.append((f.GetFID(), f.items(), None if g is None else g.ExportToWkt(), 0.0 if g is None else g.GetArea()))
    return out


def issue_kinds(layer):
    return sorted((f["code"], f["ref"]) for f in layer.getFeatures())


def habitats_layer(path):
    layer = QgsVectorLayer(f"{path}|layername=Habitats", "Habitats", "ogr")
    assert layer.isValid()
    return layer


def test_defra_example_with_demo_pack(lnrs_provider, example, tmp_path):
    before = sha(example)
    out = tmp_path / "out.gpkg"
    res = run({"INPUT": habitats_layer(example), "PACK": str(DEMO_PACK), "PHASE": "baseline",
               "OUTPUT": str(out), "ISSUES": "TEMPORARY_OUTPUT"})
    assert sha(example) == before  # the input file is never written
    assert res["OUTPUT"] == f"{out}|layername=Habitats"
    src, dst = ogr.Open(str(example)), ogr.Open(str(out))
    assert [dst.GetLayer(i).GetName() for i in range(dst.GetLayerCount())] == \
        [src.GetLayer(i).GetName() for i in range(src.GetLayerCount())]
    for name in ("Red Line Boundary", "Hedgerows", "Rivers", "layer_styles"):
        assert rows(out, name) == rows(example, name)
    before_rows, after_rows = rows(example, "Habitats"), rows(out, "Habitats")
    assert len(after_rows) == len(before_rows) == 3  # the demo map has no measures here: nothing splits
    for (fid, a, wkt, _), (fid2, b, wkt2, _) in zip(before_rows, after_rows):
        assert fid == fid2 and wkt == wkt2
        assert b[SIG] == LOW_TEXT
        assert {k: v for k, v in a.items() if k != SIG} == {k: v for k, v in b.items() if k != SIG}
    # the example's second parcel records 2460 m² but measures 13,607.6 m² (advice: Defra measures the geometry);
    # its parcels add up to the red line within Defra's 0.5 m²
    assert issue_kinds(res["ISSUES"]) == [("AREA_FIELD_MISMATCH", "P2")]
    assert res["N_ERRORS"] == 0


def test_defra_parcels_split_where_high_starts(lnrs_provider, example, split_pack, tmp_path):
    out = tmp_path / "split.gpkg"
    res = run({"INPUT": habitats_layer(example), "PACK": str(split_pack), "PHASE": "baseline",
               "OUTPUT": str(out), "ISSUES": "TEMPORARY_OUTPUT"})
    before = {fid: (items, area) for fid, items, _, area in rows(example, "Habitats")}
    after = rows(out, "Habitats")
    assert res["SPLIT_PARCELS"] >= 1
    by_parent: dict[int, list] = {}
    for fid, items, _, area in after:
        ref = str(items["Parcel Ref"])
        parent = int(ref[1:].split("-")[0]) if ref.startswith("P") and "-" in ref else fid
        by_parent.setdefault(parent, []).append((items, area))
    assert set(by_parent) == set(before)
    for parent, pieces in by_parent.items():
        items0, area0 = before[parent]
        assert abs(sum(a for _, a in pieces) - area0) < 0.01
        for items, _ in pieces:
            changed = {"Parcel Ref", "Area", SIG} if len(pieces) > 1 else {SIG}
            assert {k: v for k, v in items.items() if k not in changed} == \
                {k: v for k, v in items0.items() if k not in changed}
        if len(pieces) > 1:
            assert sorted(i["Parcel Ref"] for i, _ in pieces) == [f"P{parent}-{c}" for c in "abcdefgh"[:len(pieces)]]
    grass = by_parent[2]  # Modified grassland straddles the line: High to the west, Low to the east
    assert sorted(i[SIG] for i, _ in grass) == sorted([HIGH_TEXT, LOW_TEXT])
    assert all(i[SIG] == LOW_TEXT for p in (1, 3) for i, _ in by_parent[p])  # urban and scrub deliver no GL001


def wkt_box(x0, y0, x1, y1):
    return f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"


def memory(kind, fields, feats, crs="EPSG:27700"):
    layer = QgsVectorLayer(f"{kind}?crs={crs}&" + "&".join(f"field={f}" for f in fields), "m", "memory")
    out = []
    for attrs, wkt in feats:
        f = QgsFeature(layer.fields())
        f.setAttributes(attrs)
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        out.append(f)
    layer.dataProvider().addFeatures(out)
    return layer


def test_purpose_built_parcels_split_and_qa(lnrs_provider, split_pack):
    x = SPLIT_X
    parcels = memory("Polygon", ["hab:string", "cond:string"], [
        (["Grassland - Modified grassland", "3. Moderate"], wkt_box(x - 50, 0 + 430000, x + 50, 430100)),
        (["Grassland - Lowland meedows", "3. Moderate"], wkt_box(x + 40, 430000, x + 80, 430050)),  # overlaps 1st
        (["Null", "Null"], wkt_box(x + 100, 430000, x + 150, 430100)),
    ])
    red = memory("Polygon", ["n:string"], [(["site"], wkt_box(x - 50, 430000, x + 150, 430100))])
    lpas = memory("Polygon", ["name:string"], [(["West"], wkt_box(x - 1000, 429000, x + 20, 431000)),
                                                (["East"], wkt_box(x + 20, 429000, x + 1000, 431000))])
    res = run({"INPUT": parcels, "PACK": str(split_pack), "HABITAT_FIELD": "hab", "PHASE": "proposed",
               "RED_LINE": red, "LPA_BOUNDARIES": lpas, "OUTPUT": "TEMPORARY_OUTPUT", "ISSUES": "TEMPORARY_OUTPUT"})
    out = res["OUTPUT"]
    pieces = sorted((f["piece_ref"], f["category"], f["lpa"], f["significance"], f["measure_codes"],
                     f.geometry().area()) for f in out.getFeatures())
    first = [p for p in pieces if p[0].startswith("P1")]
    assert [p[:5] for p in first] == [("P1-a", "High", "West", HIGH_TEXT, "GL001"),
                                      ("P1-b", "Low", "West", LOW_TEXT, ""),
                                      ("P1-c", "Low", "East", LOW_TEXT, "")]
    assert abs(sum(p[5] for p in first) - 100 * 100) < 0.01
    kinds = issue_kinds(res["ISSUES"])
    assert kinds == sorted([("PARCEL_OVERLAPS", "P1; P2"), ("HABITAT_UNKNOWN", "P2"), ("HABITAT_MISSING", "P3"),
                            ("AREA_SUM_MISMATCH", "")])
    hint = next(f["fix"] for f in res["ISSUES"].getFeatures() if f["code"] == "HABITAT_UNKNOWN")
    assert "Grassland - Lowland meadows" in hint


def test_refuses_to_overwrite_input(lnrs_provider, example):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException):
        run({"INPUT": habitats_layer(example), "PACK": str(DEMO_PACK), "PHASE": "baseline",
             "OUTPUT": str(example), "ISSUES": "TEMPORARY_OUTPUT"})
