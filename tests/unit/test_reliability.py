"""Reliability (issue 8), pure-Python tier: bad inputs, fault injection, hostile data, no network.

Each test is one row of docs/reliability.md; keep the two in step.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lnrs_toolkit.plugin.cli import main
from lnrs_toolkit.plugin.core.errors import InputError, PackError
from lnrs_toolkit.plugin.core.pack import store as pack_store
from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.pack.store import add_rows
from lnrs_toolkit.plugin.core.reports import json_report as report_json
from lnrs_toolkit.plugin.core.reports.html_report import render_html
from lnrs_toolkit.plugin.core.reports.json_report import write_json_atomic, write_text_atomic
from lnrs_toolkit.plugin.core.screening.batch import CHUNK
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_site, screen_sites
from lnrs_toolkit.plugin.core.screening.index_cache import clear_cache, load_index
from lnrs_toolkit.plugin.core.screening.results import ScreeningResult, SiteError
from lnrs_toolkit.tests.unit.packs import add_sites, build_small_pack
from shapely.geometry import Polygon, box

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"
X, Y = 370000.0, 160000.0
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scratch_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or ".tmp" in p.name)


@pytest.fixture()
def pack(tmp_path):
    path = tmp_path / "pack.gpkg"
    build_small_pack(path)
    clear_cache()
    return path


def write_sites(path: Path, features, crs: str | None = None) -> Path:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ref": ref},
         "geometry": {"type": "Polygon", "coordinates": [ring]}} for ref, ring in features]}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def square(x: float, y: float, size: float = 50.0) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


@pytest.fixture()
def sites(tmp_path):
    return write_sites(tmp_path / "sites.geojson", [("A1", square(10, 10))], "urn:ogc:def:crs:EPSG::27700")


# --------------------------------------------------------------------------- damaged packs, command line
@pytest.mark.parametrize("keep", [0.05, 0.5, 0.95])
def test_cli_truncated_pack_exits_2_with_a_sentence(pack, sites, keep, capsys):
    data = pack.read_bytes()
    pack.write_bytes(data[: int(len(data) * keep)])
    assert main(["screen", "--pack", str(pack), "--sites", str(sites)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lnrs-toolkit: ") and "Traceback" not in err
    assert re.search(r"damaged|not a readable|cannot be read|not an LNRS", err)


def test_cli_newer_schema_version_says_update_the_plugin(pack, sites, capsys):
    conn = sqlite3.connect(pack)
    conn.execute("UPDATE pack_metadata SET value = '7' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    assert main(["info", "--pack", str(pack)]) == 2
    assert "update the plugin" in capsys.readouterr().err
    assert main(["screen", "--pack", str(pack), "--sites", str(sites)]) == 2
    assert "update the plugin" in capsys.readouterr().err


def test_locked_pack_gives_a_message_not_a_hang(pack):
    """Another program holds an EXCLUSIVE transaction: reading and adding refuse within a bounded time."""
    before = sha(pack)
    holder = sqlite3.connect(pack, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        with pytest.raises(PackError, match="locked"):
            read_pack(pack)
        with pytest.raises(PackError, match="locked"):
            add_sites(pack, source="more")
        assert time.monotonic() - start < 30
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sha(pack) == before
    assert scratch_files(pack.parent) == []


def test_pack_in_read_only_folder_is_refused_and_untouched(pack, monkeypatch):
    before = sha(pack)
    real_access = os.access
    monkeypatch.setattr(pack_store.os, "access",
                        lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    with pytest.raises(InputError, match="not writable"):
        add_sites(pack, source="more")
    assert sha(pack) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_pack_in_read_only_folder_real_permissions(pack):
    before = sha(pack)
    pack.parent.chmod(0o555)
    try:
        with pytest.raises(InputError, match="not writable"):
            add_sites(pack, source="more")
    finally:
        pack.parent.chmod(0o755)
    assert sha(pack) == before


# --------------------------------------------------------------------------- geometry extremes
def test_polygon_with_a_million_vertices_is_screened_in_bounded_time():
    n = 1_000_000
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = 400 + 5 * np.sin(t * 997)  # wiggly, valid ring
    ring = np.column_stack([X + r * np.cos(t), Y + r * np.sin(t)])
    site = Polygon(ring)
    layers = [memory_layer("strategy_area", [box(X - 5000, Y - 5000, X + 5000, Y + 5000)]),
              memory_layer("designated_sites", [box(X - 100, Y - 100, X + 100, Y + 100)],
                           designation=["SSSI"], name=["Core"])]
    index = PackIndex.build(memory_pack(layers))
    start = time.monotonic()
    result = screen_site(index, site, "huge")
    elapsed = time.monotonic() - start
    assert isinstance(result, ScreeningResult), getattr(result, "message", "")
    assert result.site_area_m2 == pytest.approx(site.area, rel=1e-9)
    assert result.designated_sites[0].overlap_m2 == pytest.approx(40000.0, rel=1e-6)
    assert elapsed < 60


def test_very_long_and_non_ascii_names_round_trip(tmp_path):
    long_name = ("Ancient Wood é ü ŵ 森 " * 500)[:10_000]
    path = tmp_path / "p.gpkg"
    add_sites(path, rows=[{"name": long_name, "desig": "SSSI", "ref": "R" * 10_000}],
              geoms=[box(X, Y, X + 100, Y + 100)])
    layer = read_pack(path).layers["designated_sites"]
    assert layer.columns["name"] == [long_name] and layer.columns["ref"] == ["R" * 10_000]
    clear_cache()
    [r] = screen_sites(load_index(path), [box(X + 50, Y, X + 150, Y + 100)], ["S" * 10_000])
    assert r.site_ref == "S" * 10_000 and r.designated_sites[0].name == long_name
    assert long_name in render_html([r])


def test_cli_reads_a_latin1_shapefile(pack, tmp_path, capsys):
    ogr = pytest.importorskip("osgeo.ogr")
    osr = pytest.importorskip("osgeo.osr")
    path = tmp_path / "sites_latin1.shp"
    ds = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(27700)
    lyr = ds.CreateLayer("sites_latin1", srs, ogr.wkbPolygon, options=["ENCODING=ISO-8859-1"])
    lyr.CreateField(ogr.FieldDefn("ref", ogr.OFTString))
    feat = ogr.Feature(lyr.GetLayerDefn())
    feat.SetField("ref", "Café Près")
    feat.SetGeometry(ogr.CreateGeometryFromWkt("POLYGON ((10 10,60 10,60 60,10 60,10 10))"))
    lyr.CreateFeature(feat)
    ds = None  # closes the file
    assert b"Caf\xe9" in path.with_suffix(".dbf").read_bytes()  # really latin-1 on disk
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(path), "--ref-field", "ref",
                 "--json", str(out), "--quiet"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["site_ref"] == "Café Près"


def test_cli_sites_file_that_is_not_utf8_is_a_sentence(pack, tmp_path, capsys):
    bad = tmp_path / "bad.geojson"
    bad.write_bytes(b'{"type": "FeatureCollection", "features": [\xff\xfe\x00 not json')
    assert main(["screen", "--pack", str(pack), "--sites", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "cannot be opened" in err and "Traceback" not in err


# --------------------------------------------------------------------------- injection in measure codes
@pytest.mark.parametrize("codes", ["WD001'; DROP TABLE measures;--", "<script>alert(1)</script>",
                                   "WD001\"); DELETE FROM pack_metadata; --", "../../etc/passwd",
                                   "__import__('os').system('id')"])
def test_injected_measure_codes_are_refused(codes):
    with pytest.raises(InputError, match="not (a )?valid"):
        map_rows("opportunity", [{"m": codes}], [box(X, Y, X + 10, Y + 10)],
                 FieldMapping(measures_field="m"), "opp", ["m"], "polygon")


def test_injection_in_measure_text_is_stored_verbatim_and_inert(tmp_path):
    path = tmp_path / "p.gpkg"
    add_sites(path)
    text = "Buffer'); DROP TABLE measures;-- " + HOSTILE
    add_rows(path, map_rows("measures", [{"code": "WD001", "measure": text, "theme": "Woodland"}], None,
                            FieldMapping(code_field="code", text_field="measure", theme_field="theme"),
                            "cat", ["code", "measure", "theme"]))
    add_rows(path, map_rows("opportunity", [{"m": "WD001", "n": HOSTILE}], [box(0, 0, 100, 100)],
                            FieldMapping(measures_field="m", name_field="n"), "opp", ["m", "n"], "polygon"))
    data = read_pack(path)
    assert data.measures["WD001"].text == text
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    conn.close()
    assert {"measures", "pack_metadata", "designated_sites", "opportunity_areas"} <= tables
    clear_cache()
    [r] = screen_sites(load_index(path), [box(10, 10, 60, 60)], [HOSTILE])
    html = render_html([r], officer=HOSTILE)
    assert r.measures[0].text == text
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;" in html


def test_hostile_pack_names_are_escaped_in_the_html_report(tmp_path):
    path = tmp_path / "p.gpkg"
    add_sites(path, rows=[{"name": HOSTILE, "desig": "SSSI", "ref": "\"><svg onload=alert(1)>"}],
              geoms=[box(X, Y, X + 100, Y + 100)], lnrs_name=HOSTILE, version="<b>1</b>")
    clear_cache()
    [r] = screen_sites(load_index(path), [box(X + 50, Y, X + 150, Y + 100)], ["<i>ref</i>"])
    html = render_html([r, SiteError(HOSTILE, HOSTILE)], officer=HOSTILE, generated_at=HOSTILE)
    body = html.split("</style>", 1)[1]
    assert not re.search(r"<(script|img|svg|i>|b>)", body, re.IGNORECASE)
    assert body.count("&lt;script&gt;") >= 3


# --------------------------------------------------------------------------- fault injection
def _enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["replace", "copy", "fsync"])
def test_disk_full_during_pack_build_keeps_previous_pack(pack, monkeypatch, where):
    before = sha(pack)
    target = {"replace": (pack_store.os, "replace"), "copy": (pack_store.shutil, "copy2"),
              "fsync": (pack_store.os, "fsync")}[where]
    monkeypatch.setattr(*target, _enospc)
    with pytest.raises(OSError, match="No space left"):
        add_sites(pack, source="more")
    monkeypatch.undo()
    assert sha(pack) == before
    assert scratch_files(pack.parent) == []
    assert len(read_pack(pack).layers["designated_sites"]) == 3


def test_disk_full_creating_a_new_pack_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(pack_store.os, "replace", _enospc)
    with pytest.raises(OSError):
        add_sites(tmp_path / "new.gpkg")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("writer", ["json", "html"])
@pytest.mark.parametrize("fault", ["replace", "write"])
def test_disk_full_during_report_export_keeps_previous_file(tmp_path, monkeypatch, writer, fault):
    module = report_json  # JSON and HTML reports share one atomic writer
    target = tmp_path / f"report.{writer}"
    target.write_text("previous report\n", encoding="utf-8")
    before = sha(target)
    if fault == "replace":
        monkeypatch.setattr(module.os, "replace", _enospc)
    else:
        monkeypatch.setattr(module.os, "fsync", _enospc)  # the data never reached the disk
    with pytest.raises(OSError):
        if writer == "json":
            write_json_atomic(target, [{"site_ref": "x" * 100_000}])
        else:
            write_text_atomic(target, "<html>" + "x" * 100_000)
    assert sha(target) == before
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


KILL_SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {pkgroot!r})
    import numpy as np
    from shapely.geometry import box
    from lnrs_toolkit.plugin.core.pack.builder import FieldMapping, map_rows
    from lnrs_toolkit.plugin.core.pack.store import add_rows
    n = 60000
    geoms = np.asarray([box(i, 0, i + 0.5, 0.5) for i in range(n)], dtype=object)
    rows = [{{"d": "LWS", "n": "site %d" % i}} for i in range(n)]
    mapped = map_rows("designated", rows, geoms, FieldMapping(designation_field="d", name_field="n"),
                      "big", ["d", "n"], "polygon")
    print("ready", flush=True)
    while True:
        add_rows({pack!r}, mapped)
""")


@pytest.mark.slow
def test_killed_process_during_pack_build_leaves_previous_pack_valid(pack, tmp_path):
    before = sha(pack)
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT.format(pkgroot=str(PKGROOT), pack=str(pack))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        scratch = pack.with_name(f".{pack.name}.{proc.pid}.tmp")
        deadline = time.monotonic() + 60
        while not scratch.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        assert scratch.exists(), "the build never started"
        time.sleep(0.3)  # well inside the write of 60,000 rows
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert sha(pack) == before  # the kill came before the first replace
    data = read_pack(pack)
    assert len(data.layers["designated_sites"]) == 3
    # the next build by another process ignores the dead one's scratch file and succeeds
    add_sites(pack, source="after-kill")
    assert len(read_pack(pack).layers["designated_sites"]) == 6


def test_cancelled_batch_writes_no_json(pack, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("previous\n", encoding="utf-8")
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    index = load_index(pack)
    n = CHUNK * 3
    results = screen_sites(index, [box(10, 10, 20, 20)] * n, is_cancelled=cancelled)
    # a cancelled batch returns short (callers discard it) and nothing is written
    assert 0 < len(results) < n
    assert out.read_text(encoding="utf-8") == "previous\n"


# --------------------------------------------------------------------------- nothing in data can act
FORBIDDEN = {
    # the builtins, not Qt's dialog.exec() (the Qt6-safe spelling of exec_())
    r"(?<![.\w])eval\(": set(), r"(?<![.\w])exec\(": set(), r"\bpickle\b": set(), r"\bmarshal\b": set(),
    r"\burllib\b": set(), r"\brequests\b": set(), r"\bsocket\b": set(), r"\bhttp\.client\b": set(),
    r"\bQNetworkAccessManager\b": set(), r"\bsubprocess\b": set(), r"\bos\.system\(": set(),
    r"__import__\(": set(), r"\bshell=True": set(), r"\byaml\.load\(": set(),
}


def test_no_eval_exec_pickle_or_network_in_the_plugin():
    exec_pattern, eval_pattern = r"(?<![.\w])exec\(", r"(?<![.\w])eval\("
    assert re.search(exec_pattern, "x = exec(code)") and re.search(eval_pattern, "eval(s)")
    assert not re.search(exec_pattern, "dialog.exec()") and not re.search(eval_pattern, "node.eval(ctx)")
    hits = []
    for path in sorted((ROOT / "plugin").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for pattern, allowed in FORBIDDEN.items():
                if re.search(pattern, code) and rel not in allowed:
                    hits.append(f"{rel}:{n}: {line.strip()}")
    assert hits == []


def test_screening_and_reports_run_with_the_network_cut(pack, sites, tmp_path, monkeypatch):
    def no_network(*_a, **_k):
        raise AssertionError("network access attempted")

    for name in ("socket", "create_connection", "getaddrinfo", "socketpair"):
        monkeypatch.setattr(socket, name, no_network)
    out = tmp_path / "out.json"
    assert main(["screen", "--pack", str(pack), "--sites", str(sites), "--json", str(out), "--quiet"]) == 0
    assert main(["info", "--pack", str(pack), "--verify"]) == 0
    results = screen_sites(load_index(pack), [box(10, 10, 60, 60)])
    write_text_atomic(tmp_path / "r.html", render_html(results))


# --------------------------------------------------------------------------- properties over wild polygons
INDEX = PackIndex.build(memory_pack([
    memory_layer("strategy_area", [box(X - 5000, Y - 5000, X + 5000, Y + 5000)]),
    memory_layer("irreplaceable_habitats", [box(X, Y, X + 120, Y + 80)], habitat_type=["ancient_woodland"]),
    memory_layer("designated_sites", [box(X - 100, Y + 100, X + 100, Y + 300)], designation=["SSSI"]),
    memory_layer("opportunity_areas", [box(X - 50, Y - 50, X + 150, Y + 150)], measures=["WD001"]),
]))
wild = st.floats(-300, 300) | st.floats(-2e6, 2e6) | st.sampled_from([0.0, 1e-9, -1e-9, 120.0, 80.0])


@st.composite
def wild_polygons(draw):
    """Valid and invalid rings: bow-ties, repeated points, spikes, slivers, 0-10 vertices, far outside GB."""
    pts = draw(st.lists(st.tuples(wild, wild), min_size=0, max_size=10))
    if len(pts) < 3:
        return shapely.Polygon()
    return Polygon([(X + x, Y + y) for x, y in pts])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(wild_polygons(), min_size=1, max_size=4))
def test_any_polygon_gives_a_result_or_a_site_error(polys):
    results = screen_sites(INDEX, polys, [f"s{i}" for i in range(len(polys))])
    assert [r.site_ref for r in results] == [f"s{i}" for i in range(len(polys))]
    for r in results:
        if isinstance(r, SiteError):
            assert r.message and "Traceback" not in r.message
            continue
        assert r.verdict in {"red", "amber", "green"}
        assert math.isfinite(r.site_area_m2) and r.site_area_m2 > 0
        for f in [*r.irreplaceable, *r.designated_sites]:
            assert 0 <= f.overlap_m2 <= r.site_area_m2 * (1 + 1e-9) + 1e-6
        json.dumps(r.to_dict(), allow_nan=False)


def test_screening_is_thread_safe_enough_for_a_background_task():
    polys = [box(X + i, Y + i, X + i + 50, Y + i + 50) for i in range(20)]
    want = [r.to_dict() for r in screen_sites(INDEX, polys)]
    got: list = []
    threads = [threading.Thread(target=lambda: got.append([r.to_dict() for r in screen_sites(INDEX, polys)]))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert got == [want] * 4


def test_site_with_an_infinite_vertex_is_a_site_error():
    bad = Polygon([(X, Y), (X, Y), (X, math.inf), (X, Y)])
    results = screen_sites(INDEX, [bad, box(X, Y, X + 10, Y + 10)], ["bad", "good"])
    assert isinstance(results[0], SiteError) and isinstance(results[1], ScreeningResult)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_site_with_an_absurd_coordinate_is_a_site_error():
    bad = Polygon([(X, Y), (X, 8.98846567431158e307), (X + 10, Y)])
    [r] = screen_sites(INDEX, [bad], ["bad"])
    assert isinstance(r, SiteError)
