"""lnrs:validateopportunities: processing.run on the demo pack and on a pack built to break every rule,
a PostGIS pack, and qgis_process.bin headless."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.core.editing.validation import validate_pack
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.gpkg import connect_rw, read_pack
from lnrs_toolkit.plugin.core.pack.gpkg_writer import write_table
from lnrs_toolkit.plugin.core.pack.schema import OPPORTUNITY
from lnrs_toolkit.plugin.core.pack.store import add_rows
from qgis.core import QgsProcessingException, QgsVectorLayer
from shapely.geometry import MultiPolygon, Polygon, box

ROOT = Path(__file__).resolve().parents[2]
DEMO_PACK = ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg"
CATALOGUE_CSV = ROOT / "resources" / "data" / "leicestershire_leicester_rutland_measures.csv"
X, Y = 370_000.0, 160_000.0

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("qgis_process_helper", HERE / "qgis_process_helper.py")
helper = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helper)


def sq(x, y, size=100.0):
    return box(X + x, Y + y, X + x + size, Y + y + size)


#: (measures, geometry, name) of the purpose-built pack's opportunity areas, fids 1.. in this order,
#: with the rule each one breaks.
OPPORTUNITY_ROWS = [
    ("WD001;WD006", sq(0, 0), "Buffer", "duplicate_geometry"),  # reported once, on the first of the pair
    ("GL002;XX999", sq(200, 0), "Unknown code", "unknown_code"),
    ("", sq(400, 0), "No codes", "no_codes"),
    ("WD001", Polygon([(X + 600, Y), (X + 700, Y + 100), (X + 700, Y), (X + 600, Y + 100)]), "Bow tie",
     "invalid_geometry"),
    ("FW012", sq(9_950, 0), "Over the edge", "outside_strategy_area"),
    ("WD004;GL001", sq(800, 0), "Wood and meadow", "theme_conflict"),
    ("WD004", sq(1_000, 1_000), "Wood on bog", "habitat_conflict"),
    ("GL002", sq(2_000, 2_000), "Meadow on SSSI", "apib_overlap"),
    ("FW012", sq(3_000, 0, 5), "Tiny", "small_polygon"),
    ("GL001", MultiPolygon([sq(3_200, 0), box(X + 3_400, Y, X + 3_600, Y + 0.5)]), "With a sliver", "sliver"),
    ("FW012", sq(0, 0), "Copy of the buffer", None),
]


def catalogue_rows():
    with open(CATALOGUE_CSV, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def build_broken_pack(path: Path, metadata: dict[str, str] | None = None) -> Path:
    """A pack whose opportunity areas break one rule each (written raw, so nothing is repaired)."""
    def add(role, rows, geoms, mapping, fields, kind="polygon", meta=None):
        add_rows(path, map_rows(role, rows, geoms, mapping, role, fields, kind), meta)

    add("area", [{}], [sq(0, 0, 10_000)], FieldMapping(), [], meta={"lnrs_name": "Broken on purpose",
                                                                    "version": "3", **(metadata or {})})
    add("irreplaceable", [{"n": "Black Moss"}], [sq(1_000, 1_000, 200)],
        FieldMapping(habitat_type="blanket_bog", name_field="n"), ["n"])
    add("designated", [{"n": "Bathampton Down"}], [sq(2_000, 2_000, 200)],
        FieldMapping(designation="SSSI", name_field="n"), ["n"])
    add("measures", catalogue_rows(), None, FieldMapping(code_field="code", theme_field="habitat_theme",
                                                         priority_field="priority", text_field="measure"),
        ["code", "habitat_theme", "priority", "measure"])
    add("opportunity", [{"m": "WD001"}], [sq(0, 0)], FieldMapping(measures_field="m"), ["m"])
    conn = connect_rw(path)
    try:
        conn.execute("BEGIN")
        n = len(OPPORTUNITY_ROWS)
        write_table(conn, OPPORTUNITY, {"measures": [r[0] for r in OPPORTUNITY_ROWS],
                                        "name": [r[2] for r in OPPORTUNITY_ROWS], "ref": [None] * n,
                                        "source_layer": ["broken"] * n}, [r[1] for r in OPPORTUNITY_ROWS],
                    fids=list(range(1, n + 1)))  # the fids the rows stand for (a rewrite keeps the table's sequence)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return path


@pytest.fixture(scope="module")
def broken_pack(tmp_path_factory):
    return build_broken_pack(tmp_path_factory.mktemp("broken") / "broken.gpkg")


def run(params):
    import processing

    return processing.run("lnrs:validateopportunities", params)


def rows(layer):
    return [{n: f[n] for n in layer.fields().names()} | {"geom": f.geometry()} for f in layer.getFeatures()]


def test_demo_pack_gives_the_core_answer(lnrs_provider):
    res = run({"PACK": str(DEMO_PACK), "OUTPUT": "memory:"})
    core = validate_pack(read_pack(DEMO_PACK))
    layer = res["OUTPUT"]
    got = rows(layer)
    assert res["CHECKED"] == 21 == core.checked
    assert res["ERRORS"] == len(core.errors) and res["WARNINGS"] == len(core.warnings)
    assert len(got) == len(core.issues) and res["ERRORS"] >= 1
    assert layer.crs().authid() == "EPSG:27700" and layer.geometryType() == 0  # points
    assert [(r["pack_fid"], r["rule"], r["severity"], r["message"]) for r in got] == \
        [(i.fid, i.rule, i.severity, i.message) for i in [*core.errors, *core.warnings]]
    unknown = [r for r in got if r["rule"] == "unknown_code"]
    assert len(unknown) == 1 and unknown[0]["pack_fid"] == 20 and "XX999" in unknown[0]["message"]
    assert unknown[0]["feature"] == "opportunity area 20 ‘Illustrative grassland: Odd Down’"
    extent = read_pack(DEMO_PACK).layer("opportunity_areas").geoms
    import shapely

    minx, miny, maxx, maxy = shapely.total_bounds(extent)
    for r in got:
        p = r["geom"].asPoint()
        assert minx <= p.x() <= maxx and miny <= p.y() <= maxy


def test_purpose_built_pack_breaks_each_rule_once(lnrs_provider, broken_pack, tmp_path):
    out = tmp_path / "issues.gpkg"
    res = run({"PACK": str(broken_pack), "OUTPUT": str(out)})
    layer = QgsVectorLayer(f"{out}|layername=issues", "issues", "ogr")
    if not layer.isValid():
        layer = QgsVectorLayer(str(out), "issues", "ogr")
    assert layer.isValid()
    got = rows(layer)
    expected = {(fid, rule) for fid, (*_, rule) in enumerate(OPPORTUNITY_ROWS, start=1) if rule}
    assert {(r["pack_fid"], r["rule"]) for r in got} == expected
    assert res["CHECKED"] == len(OPPORTUNITY_ROWS)
    errors = {"unknown_code", "no_codes", "invalid_geometry", "outside_strategy_area", "theme_conflict",
              "habitat_conflict", "apib_overlap"}
    assert res["ERRORS"] == len(errors) and res["WARNINGS"] == len(expected) - len(errors)
    by_rule = {r["rule"]: r for r in got}
    assert {r: by_rule[r]["severity"] for r in errors} == dict.fromkeys(errors, "error")
    assert by_rule["invalid_geometry"]["message"].startswith(
        "Opportunity area 4 ‘Bow tie’ has invalid geometry: self-intersection at 370,650.00, 160,050.00.")
    p = by_rule["invalid_geometry"]["geom"].asPoint()
    assert (p.x(), p.y()) == (X + 650, Y + 50)
    assert "blanket bog ‘Black Moss’" in by_rule["habitat_conflict"]["message"]
    assert "SSSI ‘Bathampton Down’" in by_rule["apib_overlap"]["message"]
    assert all(r["feature"].startswith("opportunity area ") for r in got)


def test_rules_from_pack_metadata_apply(lnrs_provider, tmp_path):
    rules = {"severity": {"unknown_code": "warning", "sliver": "off"}, "min_area_m2": 10}
    pack = build_broken_pack(tmp_path / "configured.gpkg", {"opportunity_rules": json.dumps(rules)})
    got = rows(run({"PACK": str(pack), "OUTPUT": "memory:"})["OUTPUT"])
    by_rule = {r["rule"]: r for r in got}
    assert by_rule["unknown_code"]["severity"] == "warning"
    assert "sliver" not in by_rule and "small_polygon" not in by_rule


def test_bad_rules_json_is_a_clear_error(lnrs_provider, tmp_path):
    pack = build_broken_pack(tmp_path / "bad.gpkg", {"opportunity_rules": "{severity: off}"})
    with pytest.raises(QgsProcessingException, match="'opportunity_rules' is not valid JSON"):
        run({"PACK": str(pack), "OUTPUT": "memory:"})


def test_missing_pack_and_bad_address_are_clear_errors(lnrs_provider, tmp_path):
    with pytest.raises(QgsProcessingException, match="does not exist"):
        run({"PACK": str(tmp_path / "nope.gpkg"), "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match=r"not a PostGIS pack address \(postgis:CONNECTION/SCHEMA\)"):
        run({"PACK": "postgis:no-schema", "OUTPUT": "memory:"})


@pytest.mark.postgis
def test_postgis_pack_gives_the_same_answer_as_its_file(lnrs_provider, connection, broken_pack):
    from lnrs_toolkit.plugin.adapters.pack_source import publish_pack_to_postgis

    publish_pack_to_postgis(broken_pack, connection, "broken_pack", replace_existing=True)
    from_db = rows(run({"PACK": f"postgis:{connection}/broken_pack", "OUTPUT": "memory:"})["OUTPUT"])
    from_file = rows(run({"PACK": str(broken_pack), "OUTPUT": "memory:"})["OUTPUT"])
    strip = [{k: v for k, v in r.items() if k != "geom"} for r in from_file]
    assert [{k: v for k, v in r.items() if k != "geom"} for r in from_db] == strip


@pytest.mark.slow
def test_validateopportunities_headless(broken_pack, tmp_path):
    reason = helper.available()
    if reason:
        pytest.skip(reason)
    out = tmp_path / "issues.gpkg"
    proc, parsed = helper.run_algorithm("lnrs:validateopportunities", {"PACK": str(broken_pack),
                                                                       "OUTPUT": str(out)}, tmp_path / "config")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert out.exists()
    assert parsed is not None, proc.stdout
    results = parsed["results"]
    assert results["CHECKED"] == len(OPPORTUNITY_ROWS) and results["ERRORS"] == 7 and results["WARNINGS"] == 3
    assert "Opportunity area 2 ‘Unknown code’ has measure code(s) XX999" in proc.stdout + proc.stderr
