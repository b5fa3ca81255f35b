"""Translations: the .ts is generated from the sources and the matching .qm is loaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lnrs_toolkit.plugin import i18n
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "i18n" / "lnrs_toolkit_en_GB.ts"


def test_ts_holds_the_dock_strings():
    text = TS.read_text(encoding="utf-8")
    assert "<name>LnrsDockWidget</name>" in text or "LnrsDockWidget" in text
    assert "<source>LNRS Toolkit</source>" in text


def test_matching_qm_is_found_and_installed(qgis_app, tmp_path, monkeypatch):
    lrelease = shutil.which("lrelease") or "/usr/lib/qt5/bin/lrelease"
    if not Path(lrelease).exists():
        pytest.skip("lrelease (Debian qttools5-dev-tools) is not installed")
    ts = tmp_path / "lnrs_toolkit_en_GB.ts"
    ts.write_text(TS.read_text(encoding="utf-8").replace(
        "<source>LNRS Toolkit</source>\n        <translation type=\"unfinished\"></translation>",
        "<source>LNRS Toolkit</source>\n        <translation>LNRS Toolkit (en-GB)</translation>"),  # every context
        encoding="utf-8")
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(tmp_path / "lnrs_toolkit_en_GB.qm")], check=True)
    assert i18n.qm_path_for("en_GB", tmp_path) == tmp_path / "lnrs_toolkit_en_GB.qm"
    assert i18n.qm_path_for("fr_FR", tmp_path) is None
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    monkeypatch.setattr(i18n, "qm_path_for", lambda loc, d=tmp_path: (tmp_path / "lnrs_toolkit_en_GB.qm")
                        if loc.startswith("en") else None)
    QgsSettings().setValue("locale/userLocale", "en_GB")
    translator = i18n.install_translator()
    try:
        assert translator is not None
        context = next(c for c in ("LnrsDockWidget", "LnrsToolkitPlugin")
                       if QCoreApplication.translate(c, "LNRS Toolkit") == "LNRS Toolkit (en-GB)")
        assert context
    finally:
        i18n.remove_translator(translator)
    assert QCoreApplication.translate("LnrsDockWidget", "LNRS Toolkit") == "LNRS Toolkit"
