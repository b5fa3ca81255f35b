"""Every number a user gives is checked (finite, in range, whole where it must be) before any answer (issue 15)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.screening.index_cache import clear_cache
from lnrs_toolkit.plugin.core.screening.options import ScreeningOptions, checked_number
from lnrs_toolkit.tests.unit.packs import build_small_pack

BAD_DISTANCES = ["nan", "NaN", "inf", "-inf", "-5", "1e308", "abc", ""]


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "pack.gpkg"
    build_small_pack(path)
    clear_cache()
    return path


@pytest.fixture()
def sites(tmp_path) -> Path:
    path = tmp_path / "sites.geojson"
    ring = [[10, 10], [60, 10], [60, 60], [10, 60], [10, 10]]
    feature = {"type": "Feature", "properties": {"ref": "A"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": crs, "features": [feature]}))
    return path


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1.0, 1e12])
def test_screening_options_refuse_non_finite_negative_or_absurd_distances(value):
    with pytest.raises(InputError, match="search distance"):
        ScreeningOptions(search_distance_m=value)
    with pytest.raises(InputError, match="search distance"):
        ScreeningOptions().with_search_distance(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -0.5])
def test_screening_options_refuse_a_bad_sliver_tolerance(value):
    with pytest.raises(InputError, match="sliver tolerance"):
        ScreeningOptions(sliver_tolerance_m2=value)


def test_checked_number_wants_whole_numbers_where_it_must():
    assert checked_number("3", "version", 1, 10, integer=True) == 3
    for bad in ("2.7", "nan", "0", "x", True):
        with pytest.raises(InputError):
            checked_number(bad, "version", 1, 10, integer=True)


@pytest.mark.parametrize("value", BAD_DISTANCES)
def test_cli_screen_refuses_a_bad_search_distance_before_any_answer(pack, sites, value, tmp_path, capsys):
    out = tmp_path / "out.json"
    with pytest.raises(SystemExit) as exc:
        main(["screen", "--pack", str(pack), "--sites", str(sites), f"--search-distance={value}", "--json", str(out)])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "search distance" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(("flag", "value"), [("--from", "2.7"), ("--from", "0"), ("--from", "nan"), ("--to", "-1")])
def test_cli_compare_refuses_versions_that_are_not_whole_positive_numbers(pack, flag, value, capsys):
    argv = ["compare", "--pack", str(pack), "--to", "2", f"{flag}={value}"]
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "version number" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["-1", "nan", "1.5"])
def test_cli_validate_refuses_a_bad_limit(pack, value, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--pack", str(pack), f"--limit={value}"])
    assert exc.value.code == 2
    assert "limit" in capsys.readouterr().err
