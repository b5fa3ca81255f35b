"""shapely imported with its own GEOS, even where another GEOS sits in the global symbol scope (as in QGIS).

QGIS on Linux links GEOS into the executable; the same situation is made here by preloading the system GEOS
into a plain Python process.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import shapely
from lnrs_toolkit.plugin.shapely_import import parse_geos_version

PKGROOT = Path(__file__).resolve().parents[2] / "build" / "pkgroot"
PROBE = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[2])
    if sys.argv[1] == "plain":
        import shapely
    else:
        from lnrs_toolkit.plugin.shapely_import import import_shapely
        shapely = import_shapely()
    from lnrs_toolkit.plugin.shapely_import import global_geos_version, mixed_geos_warning
    out = {"global": global_geos_version(), "built": list(shapely.geos_version), "warning": mixed_geos_warning()}
    try:
        out["wkb"] = "ok" if shapely.Point(1, 2).wkb else "empty"
    except Exception as exc:
        out["wkb"] = str(exc)
    out["area"] = shapely.intersection(shapely.box(0, 0, 2, 2), shapely.box(1, 1, 3, 3)).area
    print(json.dumps(out))
""")


def _system_geos() -> str | None:
    return ctypes.util.find_library("geos_c") if sys.platform.startswith("linux") else None


def _probe(mode: str) -> dict:
    env = dict(os.environ, LD_PRELOAD=str(_system_geos()))
    proc = subprocess.run([sys.executable, "-c", PROBE, mode, str(PKGROOT)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(_system_geos() is None, reason="no system GEOS to stand in for QGIS's")
def test_shapely_runs_on_its_own_geos_beside_another_one():
    got = _probe("isolated")
    assert got["global"] is not None  # the preloaded GEOS is visible process-wide, as in QGIS
    assert got["wkb"] == "ok"
    assert got["area"] == pytest.approx(1.0)
    assert got["warning"] is None


@pytest.mark.skipif(_system_geos() is None, reason="no system GEOS to stand in for QGIS's")
def test_plain_import_beside_an_older_geos_is_reported():
    got = _probe("plain")
    built, running = tuple(got["built"][:2]), tuple(got["global"][:2])
    if built == running:
        assert got["warning"] is None
        assert got["wkb"] == "ok"
        return
    # shapely imported the ordinary way is served partly by the other GEOS: the plugin says so
    assert got["warning"] is not None
    assert f"GEOS {running[0]}.{running[1]}" in got["warning"] and "restart QGIS" in got["warning"]
    if built >= (3, 12) and running < (3, 12):
        assert "dimension" in got["wkb"]  # the failure the isolated import avoids


def test_geos_version_text_parsed():
    assert parse_geos_version("3.11.1-CAPI-1.17.1") == (3, 11, 1)
    assert parse_geos_version("3.13.0beta1-CAPI-1.19.0") == (3, 13, 0)
    assert parse_geos_version("3.12") == (3, 12, 0)
    assert parse_geos_version("garbage") is None


def test_import_shapely_returns_the_loaded_module():
    from lnrs_toolkit.plugin.shapely_import import import_shapely

    assert import_shapely() is shapely
