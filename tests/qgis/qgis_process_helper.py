"""Run ``qgis_process`` headless with this plugin loaded from the work tree.

How qgis_process (3.40, 3.44) finds the plugin:
  - ``QGIS_CUSTOM_CONFIG_PATH`` points at a throwaway config folder; qgis_process uses its
    ``profiles/default`` profile;
  - ``QGIS_PLUGINPATH`` adds a plugin folder: ``build/pkgroot`` holds ``lnrs_toolkit``, a symlink
    to the repository (made by ``tests/conftest.py``);
  - only *enabled* plugins are loaded: ``[PythonPlugins] lnrs_toolkit=true`` in the profile's
    ``QGIS/QGIS3.ini`` (what ``qgis_process plugins enable lnrs_toolkit`` writes);
  - ``PYTHONPATH`` gets the venv's site-packages first, for shapely 2 (Debian ships 1.8).

``/usr/bin/qgis_process`` is a shell wrapper that is broken here; the binary is called directly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PKGROOT = ROOT / "build" / "pkgroot"
QGIS_PROCESS = "/usr/bin/qgis_process.bin"


def venv_site_packages() -> str:
    """The site-packages of the Python running the tests (the venv with shapely 2)."""
    import shapely

    return str(Path(shapely.__file__).resolve().parent.parent)


def make_config(config_dir: Path) -> Path:
    """A throwaway QGIS config folder with lnrs_toolkit enabled; returns ``config_dir``."""
    ini = config_dir / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True, exist_ok=True)
    ini.write_text("[PythonPlugins]\nlnrs_toolkit=true\n\n[qgis]\ncheckVersion=false\n", encoding="utf-8")
    link = PKGROOT / "lnrs_toolkit"
    if not link.exists():
        PKGROOT.mkdir(parents=True, exist_ok=True)
        link.symlink_to(ROOT, target_is_directory=True)
    return config_dir


def qgis_process_env(config_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QGIS_CUSTOM_CONFIG_PATH": str(config_dir),
        "QGIS_PLUGINPATH": str(PKGROOT),
        "PYTHONPATH": os.pathsep.join(p for p in (venv_site_packages(), env.get("PYTHONPATH", "")) if p),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


def available() -> str | None:
    """``None`` when qgis_process can be run, else the reason it cannot."""
    if not Path(QGIS_PROCESS).is_file():
        return f"{QGIS_PROCESS} is not installed (Debian package qgis)"
    if not sys.platform.startswith("linux"):
        return "the qgis_process helper is written for Linux"
    return None


def run_qgis_process(args: list[str], config_dir: Path, timeout: float = 300,
                     cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``qgis_process.bin ARGS`` with the plugin enabled; never raises on a non-zero exit."""
    make_config(config_dir)
    return subprocess.run([QGIS_PROCESS, *args], env=qgis_process_env(config_dir), cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def run_algorithm(algorithm: str, params: dict[str, Any], config_dir: Path,
                  timeout: float = 300) -> tuple[subprocess.CompletedProcess[str], dict[str, Any] | None]:
    """``qgis_process --json run ALGORITHM -- KEY=VALUE ...``; returns the process and its JSON (if any)."""
    args = ["--json", "run", algorithm, "--"]
    for key, value in params.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            args.append(f"{key}={item}")
    proc = run_qgis_process(args, config_dir, timeout=timeout)
    parsed = None
    start = proc.stdout.find("{")
    if start >= 0:
        try:
            parsed = json.loads(proc.stdout[start:])
        except json.JSONDecodeError:
            parsed = None
    return proc, parsed
