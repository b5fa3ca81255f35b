"""OSTN15 in QGIS: OS's test points through the plugin's QgsCoordinateTransform, the grid installed for QGIS,
no "preferred transform" warning once it is, and Processing results that say which transformation was used."""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lnrs_toolkit.plugin.adapters import qgis_ostn15
from lnrs_toolkit.plugin.adapters.qgis_geometry import transform_to_pack
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsPointXY,
)

from .qgis_process_helper import PKGROOT, venv_site_packages
from .test_screen_sites_alg import X, Y, pack, run, sites_layer, wkt_box  # noqa: F401 - the pack fixture

DATA = Path(__file__).resolve().parents[1] / "data" / "ostn15"


def _points(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("source", ["EPSG:4326", "EPSG:4258"])
def test_os_test_points_within_a_centimetre(qgis_app, source):
    crs = QgsCoordinateReferenceSystem(source)
    transform = transform_to_pack(crs, QgsCoordinateTransformContext(), "test")
    assert qgis_ostn15.describe_transform(crs, transform).grid
    points = _points("OSTN15_TestPoints_ETRStoOSGB.csv")
    assert len(points) == 40
    errors = {}
    for p in points:
        bng = transform.transform(QgsPointXY(float(p["etrs89_lon"]), float(p["etrs89_lat"])))
        errors[p["point_id"]] = math.hypot(bng.x() - float(p["osgb36_easting"]),
                                           bng.y() - float(p["osgb36_northing"]))
    worst = max(errors, key=errors.__getitem__)
    assert errors[worst] <= 0.01, f"{worst} is {errors[worst]:.4f} m from OS's answer"


def test_qgis_itself_uses_the_grid_back_to_etrs89(qgis_app):
    """The canvas direction, with QGIS's own choice of operation (the grid on PROJ's path)."""
    transform = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                       QgsCoordinateReferenceSystem("EPSG:4258"), QgsCoordinateTransformContext())
    for p in _points("OSTN15_TestPoints_OSGBtoETRS.csv"):
        ll = transform.transform(QgsPointXY(float(p["osgb36_easting"]), float(p["osgb36_northing"])))
        dn = (ll.y() - float(p["etrs89_lat"])) * 111_250
        de = (ll.x() - float(p["etrs89_lon"])) * 111_250 * math.cos(math.radians(ll.y()))
        assert math.hypot(de, dn) <= 0.01, p["point_id"]


def test_a_project_choice_of_operation_is_respected(qgis_app):
    wgs84, bng = QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateReferenceSystem("EPSG:27700")
    helmert = ("+proj=pipeline +step +proj=axisswap +order=2,1 +step +proj=unitconvert +xy_in=deg +xy_out=rad "
               "+step +proj=push +v_3 +step +proj=cart +ellps=WGS84 +step +inv +proj=helmert +x=446.448 "
               "+y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842 +s=-20.489 +convention=position_vector "
               "+step +inv +proj=cart +ellps=airy +step +proj=pop +v_3 +step +proj=tmerc +lat_0=49 +lon_0=-2 "
               "+k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy")
    context = QgsCoordinateTransformContext()
    assert context.addCoordinateOperation(wgs84, bng, helmert)
    transform = transform_to_pack(wgs84, context, "test")
    described = qgis_ostn15.describe_transform(wgs84, transform)
    assert not described.grid and described.warning and "EPSG:4326" in described.warning


def test_install_copies_the_grid_once_and_never_overwrites(qgis_app, tmp_path, monkeypatch):
    assert qgis_ostn15.install_proj_grid(tmp_path) is not None  # PROJ finds it already: nothing copied
    assert not (tmp_path / qgis_ostn15.GRID_FILE).exists()
    monkeypatch.setattr(qgis_ostn15, "grid_in", lambda paths: None)
    installed = qgis_ostn15.install_proj_grid(tmp_path)
    assert installed == tmp_path / qgis_ostn15.GRID_FILE
    assert installed.read_bytes() == qgis_ostn15.bundled_grid().read_bytes()
    assert (tmp_path / "OSTN15-LICENCE.txt").is_file()
    installed.write_bytes(b"the user's own file")
    assert qgis_ostn15.install_proj_grid(tmp_path) == installed
    assert installed.read_bytes() == b"the user's own file"


STARTUP = """
import sys
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem as Crs, QgsCoordinateTransform,
                       QgsCoordinateTransformContext, QgsDatumTransform)
app = QgsApplication([], False)
app.initQgis()
messages = []
QgsApplication.messageLog().messageReceived.connect(lambda message, tag, level: messages.append(message))
bng, wgs84 = Crs("EPSG:27700"), Crs("EPSG:4326")
preferred = QgsDatumTransform.operations(bng, wgs84)[0]
transform = QgsCoordinateTransform(bng, wgs84, QgsCoordinateTransformContext())
transform.transform(437303.0, 289239.0)
app.processEvents()
print("PREFERRED_AVAILABLE", preferred.isAvailable)
print("GRIDS", [g.shortName for g in transform.instantiatedCoordinateOperationDetails().grids])
print("WARNINGS", sum("preferred" in m for m in messages))
if sys.argv[1] == "install":  # what the plugin does when QGIS loads it
    from lnrs_toolkit.plugin.adapters.qgis_ostn15 import install_proj_grid
    print("INSTALLED", install_proj_grid())
"""


def _start_qgis(home: Path, step: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PROJ_DATA", "PROJ_LIB", "QGIS_CUSTOM_CONFIG_PATH")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "share"), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([venv_site_packages(), str(PKGROOT)]))
    done = subprocess.run([sys.executable, "-c", STARTUP, step], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout


def test_no_preferred_transform_warning_once_the_plugin_installed_the_grid(tmp_path):
    """A fresh profile: QGIS falls back to Helmert and warns; the plugin installs the grid; the next start
    uses OSTN15 and does not warn (in the desktop the warning is the "Cannot use preferred transform" bar)."""
    first = _start_qgis(tmp_path, "install")
    assert "PREFERRED_AVAILABLE False" in first and "WARNINGS 0" not in first
    installed = next(line for line in first.splitlines() if line.startswith("INSTALLED")).split(" ", 1)[1]
    assert installed.endswith("proj/uk_os_OSTN15_NTv2_OSGBtoETRS.tif") and str(tmp_path) in installed
    second = _start_qgis(tmp_path, "check")
    assert "PREFERRED_AVAILABLE True" in second and "WARNINGS 0" in second
    assert "GRIDS ['uk_os_OSTN15_NTv2_OSGBtoETRS.tif']" in second


def test_processing_json_says_ostn15_and_carries_the_site(lnrs_provider, pack, tmp_path):  # noqa: F811
    bng_to_wgs84 = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:27700"),
                                          QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateTransformContext())
    from qgis.core import QgsGeometry

    g = QgsGeometry.fromWkt(wkt_box(X, Y, X + 100, Y + 100))
    g.transform(bng_to_wgs84)
    out_json = tmp_path / "out.json"
    run({"INPUT": sites_layer("EPSG:4326", [("S", g.asWkt(17))]), "PACK": str(pack), "OUTPUT": "memory:",
         "JSON": str(out_json)})
    [d] = json.loads(out_json.read_text(encoding="utf-8"))
    assert d["transform"]["from"] == "EPSG:4326" and d["transform"]["grid"] is True
    assert "OSTN15" in d["transform"]["operation"]
    ring = d["site_geometry"]["coordinates"][0]
    assert min(x for x, _ in ring) == pytest.approx(X, abs=0.001)
    assert min(y for _, y in ring) == pytest.approx(Y, abs=0.001)
    assert not any(n.startswith("Warning:") for n in d["notes"])
