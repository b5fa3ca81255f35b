"""The demo site screened in the dock of a real QGIS desktop (Xvfb), as the README's screenshots are made."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.desktop
def test_probe_screens_the_demo_site_and_writes_the_pdf():
    if not (ROOT / "resources" / "data" / "demo_lnrs_pack.gpkg").is_file():
        pytest.skip("no bundled demo pack")
    env = dict(os.environ, HEADLESS="1", PROBE_SITE="1", QGIS_TIMEOUT="180")
    env.pop("QT_QPA_PLATFORM", None)
    pdf = ROOT / "build" / "demo_report.pdf"
    pdf.unlink(missing_ok=True)
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "run_qgis.sh")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((ROOT / "build" / "desktop_probe.json").read_text(encoding="utf-8"))
    assert report["errors"] == []
    # shapely runs on its own GEOS inside QGIS (which links GEOS into the process), not on a mixture
    assert report["geos"]["default_wkb"] == "ok", report["geos"]
    probe = report["probe_site"]
    assert probe["verdict"] == "red", probe
    assert probe["measures"], probe
    assert probe["pdf"] == str(pdf)
    assert pdf.read_bytes()[:4] == b"%PDF"
