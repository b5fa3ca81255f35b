"""An Open Digital Planning (PlanX) application JSON as a site: the parser, and the command line reading it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.plugin.core.screening.odp_application import (
    application_site,
    is_odp_application,
    read_application_file,
)
from shapely.geometry import box

EXAMPLE = Path(__file__).parents[1] / "data" / "odp_fullHouseholder_submission.json"


def test_the_schema_example_gives_reference_address_and_red_line():
    site = read_application_file(EXAMPLE)
    assert site is not None
    assert site.reference == "ABC-123-XYZ"
    assert site.address == "40, STANSFIELD ROAD, LONDON, SW9 9RZ"
    assert site.boundary_from == "submission.data.proposal.boundary.site"
    assert site.application_type == "pp.full.householder"
    assert site.geometry.geom_type == "Polygon" and len(site.geometry.exterior.coords) == 5
    assert site.geometry.exterior.coords[0] == (-0.1186569035053321, 51.465703531871384)  # longitude first


def test_a_submission_without_reference_or_proposal_boundary_falls_back():
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del doc["data"]  # not yet given a reference by the authority
    del doc["submission"]["data"]["proposal"]["boundary"]
    del doc["submission"]["data"]["property"]["address"]["singleLine"]
    site = application_site(doc)
    assert (site.reference, site.address) == ("", "40, STANSFIELD ROAD, LONDON")
    assert site.boundary_from == "submission.data.property.boundary.site"


def test_other_json_is_not_an_application_and_bad_boundaries_are_refused(tmp_path):
    fc = tmp_path / "sites.json"
    fc.write_text(json.dumps({"type": "FeatureCollection", "features": []}), encoding="utf-8")
    assert read_application_file(fc) is None
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert read_application_file(broken) is None
    assert read_application_file(EXAMPLE.with_suffix(".geojson")) is None  # only .json files are looked into
    assert not is_odp_application({"data": {"property": {}}})
    point = {"data": {"property": {"boundary": {"site": {"type": "Feature", "properties": None,
                                                          "geometry": {"type": "Point", "coordinates": [0, 51]}}}}}}
    assert is_odp_application(point)
    with pytest.raises(InputError, match="is a Point, not a polygon"):
        application_site(point)


def test_the_command_line_screens_an_application_file(tmp_path, capsys):
    # a pack covering the example's address (E 530787, N 175754) with one opportunity area over it
    pack = tmp_path / "pack.gpkg"
    add_rows(pack, map_rows("area", [{}], [box(530000, 175000, 532000, 177000)], FieldMapping(), "area", [],
                            "polygon"), {"lnrs_name": "ODP test", "version": "1"})
    add_rows(pack, map_rows("opportunity", [{"m": "UB001"}], [box(530700, 175700, 530900, 175800)],
                            FieldMapping(measures_field="m"), "opp", ["m"], "polygon"))
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(EXAMPLE), "--json", str(out)]) == 0
    [d] = json.loads(out.read_text(encoding="utf-8"))
    assert d["site_ref"] == "ABC-123-XYZ"
    # PlanX says 125.92 m² (a spherical area); on the WGS84 ellipsoid it is 126.394 m², times the National
    # Grid's areal scale there (0.999622): 126.346 m² in EPSG:27700
    assert d["site_area_m2"] == pytest.approx(126.346, abs=0.05)
    assert [m["code"] for m in d["measures"]] == ["UB001"]
    text = capsys.readouterr().out
    assert ("note: site ABC-123-XYZ: Open Digital Planning application, boundary from "
            "submission.data.proposal.boundary.site, address 40, STANSFIELD ROAD, LONDON, SW9 9RZ.") in text
