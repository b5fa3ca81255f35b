"""The release zip holds the plugin and LICENSE, and nothing of the developers' kit."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _package_module():
    spec = importlib.util.spec_from_file_location("package_script", ROOT / "scripts" / "package.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_zip_has_plugin_and_license_but_no_dev_files(tmp_path):
    package = _package_module()
    out = package.build_zip(tmp_path / "lnrs_toolkit.zip")
    names = zipfile.ZipFile(out).namelist()
    assert "lnrs_toolkit/metadata.txt" in names
    assert "lnrs_toolkit/LICENSE" in names
    assert "lnrs_toolkit/__init__.py" in names
    assert "lnrs_toolkit/plugin/lnrs_plugin.py" in names
    assert all(name.startswith("lnrs_toolkit/") for name in names)
    forbidden = ("tests/", "scripts/", "build/", ".ci/", "Makefile", "pyproject.toml", ".git")
    assert not [n for n in names if any(f in n for f in forbidden)]
    assert not [n for n in names if n.endswith((".pyc", ".ts"))]
