"""metadata.txt is complete and sane for the official plugin repository."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from lnrs_toolkit.plugin import __about__

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = [
    "name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
    "repository", "tracker", "tags", "icon", "changelog", "hasProcessingProvider",
]


def _meta() -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return dict(parser["general"])


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def test_required_keys_present_and_not_empty():
    meta = _meta()
    missing = [k for k in REQUIRED if not meta.get(k, "").strip()]
    assert not missing


def test_versions_are_valid_and_ordered():
    meta = _meta()
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["version"])
    assert meta["qgisMinimumVersion"] == "3.40"  # the lowest QGIS that CI runs the suite on (.ci/run)
    assert _version_tuple(meta["qgisMinimumVersion"]) <= _version_tuple(meta["qgisMaximumVersion"])
    assert meta["hasProcessingProvider"] == "yes"


def test_icon_exists_and_is_svg():
    meta = _meta()
    icon = ROOT / meta["icon"]
    assert icon.is_file()
    assert "<svg" in icon.read_text(encoding="utf-8")


def test_about_module_reads_metadata_once():
    meta = _meta()
    assert __about__.__title__ == "LNRS Toolkit" == meta["name"]
    assert __about__.__version__ == meta["version"]
    assert __about__.__icon_path__ == ROOT / meta["icon"]
    assert __about__.PROVIDER_ID == "lnrs"


def test_license_is_gpl2_or_later():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "either version 2 of the License, or" in text
    assert "GNU GENERAL PUBLIC LICENSE" in text
