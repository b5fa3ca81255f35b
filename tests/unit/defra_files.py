"""Defra metric GeoPackages built in tests: a small file of the BNG Metric service template."""

from __future__ import annotations

from pathlib import Path

from lnrs_toolkit.tests.unit.packs import SPLIT_X

Y0 = 431400.0
# (layer, geometry type, fields, features: (wkt, values))
BNG_LAYERS: list[tuple[str, str, list[tuple[str, str]], list[tuple[str, list]]]] = [
    ("Red Line Boundary", "Polygon", [("Site Name", "String")],
     [(f"POLYGON(({SPLIT_X - 100} {Y0},{SPLIT_X + 100} {Y0},{SPLIT_X + 100} {Y0 + 100},{SPLIT_X - 100} {Y0 + 100},"
       f"{SPLIT_X - 100} {Y0}))", ["Test site"])]),
    ("Area Habitats Baseline", "Polygon",
     [("Habitat Ref", "String"), ("Baseline Broad Habitat Type", "String"), ("Baseline Habitat Type", "String"),
      ("Baseline Condition", "String"), ("Baseline Strategic Significance", "String"), ("Area", "Real")],
     [(f"POLYGON(({SPLIT_X - 100} {Y0},{SPLIT_X + 100} {Y0},{SPLIT_X + 100} {Y0 + 100},{SPLIT_X - 100} {Y0 + 100},"
       f"{SPLIT_X - 100} {Y0}))", ["A1", "Grassland", "Modified grassland", "Poor", None, 2.0])]),
    ("Area Habitats Post-Intervention", "Polygon",
     [("Habitat Ref", "String"), ("Parent Ref", "String"), ("Proposed Broad Habitat Type", "String"),
      ("Proposed Habitat Type", "String"), ("Proposed Condition", "String"),
      ("Proposed Strategic Significance", "String"), ("Area", "Real")],
     [(f"POLYGON(({SPLIT_X - 100} {Y0},{SPLIT_X + 100} {Y0},{SPLIT_X + 100} {Y0 + 100},{SPLIT_X - 100} {Y0 + 100},"
       f"{SPLIT_X - 100} {Y0}))", ["PI1", "A1", "Grassland", "Lowland meadows", "Good", None, 2.0])]),
    ("Hedgerows Baseline", "LineString",
     [("Habitat Ref", "String"), ("Baseline Hedge Type", "String"), ("Baseline Condition", "String"),
      ("Baseline Strategic Significance", "String"), ("Length", "Real")],
     [(f"LINESTRING({SPLIT_X - 80} {Y0 + 50},{SPLIT_X + 40} {Y0 + 50})", ["H1", "Native hedgerow", "Good",
                                                                          "Null", 0.12])]),
    ("Hedgerows Post-Intervention", "LineString",
     [("Habitat Ref", "String"), ("Proposed Hedge Type", "String"), ("Proposed Condition", "String"),
      ("Proposed Strategic Significance", "String"), ("Length", "Real")],
     [(f"LINESTRING({SPLIT_X - 80} {Y0 + 50},{SPLIT_X + 40} {Y0 + 50})", ["PH1", "Species-rich native hedgerow",
                                                                          "Good", None, 0.12])]),
    ("Watercourses Baseline", "LineString",
     [("Habitat Ref", "String"), ("Baseline River Type", "String"), ("Baseline Condition", "String"),
      ("Baseline Strategic Significance", "String"), ("Length", "Real")],
     [(f"LINESTRING({SPLIT_X - 90} {Y0 + 10},{SPLIT_X - 10} {Y0 + 10})", ["W1", "Ditches", "Moderate", None, 0.08])]),
    ("Individual Trees Baseline", "Point",
     [("Tree Ref", "String"), ("Baseline Tree Type", "String"), ("Baseline Condition", "String"),
      ("Baseline Strategic Significance", "String")],
     [(f"POINT({SPLIT_X - 50} {Y0 + 80})", ["T1", "Rural tree", "Good", None]),
      (f"POINT({SPLIT_X + 50} {Y0 + 80})", ["T2", "Rural tree", "Good", None])]),
]


def make_bng_gpkg(path: Path, layers=None) -> Path:
    """A GeoPackage of the BNG Metric service template (EPSG:27700); ``layers`` replaces :data:`BNG_LAYERS`."""
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    kinds = {"Polygon": ogr.wkbPolygon, "LineString": ogr.wkbLineString, "Point": ogr.wkbPoint}
    types = {"String": ogr.OFTString, "Real": ogr.OFTReal}
    for name, kind, fields, feats in (BNG_LAYERS if layers is None else layers):
        layer = ds.CreateLayer(name, srs, kinds[kind])
        for fname, ftype in fields:
            layer.CreateField(ogr.FieldDefn(fname, types[ftype]))
        for wkt, values in feats:
            f = ogr.Feature(layer.GetLayerDefn())
            for (fname, _), v in zip(fields, values):
                if v is not None:
                    f.SetField(fname, v)
            f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
            layer.CreateFeature(f)
    ds = None
    return path
