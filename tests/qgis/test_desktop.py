"""A real QGIS desktop under Xvfb with the plugin in a throwaway profile."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.desktop
def test_desktop_finds_dock_and_saves_screenshot():
    env = dict(os.environ, HEADLESS="1", QGIS_TIMEOUT="180")
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run_qgis.sh")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads((ROOT / "build" / "desktop_probe.json").read_text(encoding="utf-8"))
    assert report["errors"] == []
    assert report["plugin_loaded"] is True
    assert report["dock_found"] is True
    assert report["dock_title"] == "LNRS Toolkit"
    shot = ROOT / "build" / "screenshot.png"
    assert shot.is_file() and shot.stat().st_size > 10_000
    # maximised on the 1366 x 768 screen, QGIS's window with the dock fits the screen (no tab forces it taller)
    assert report["screen_size"] == [1366, 768], report["screen_size"]
    width, height = report["main_window_size"]
    assert width <= 1366 and height <= 768, report["main_window_size"]
    assert report["main_window_minimum"][0] <= 1366 and report["main_window_minimum"][1] <= 768
    assert report["dock_minimum"][1] <= 768 - 200, report["dock_minimum"]
