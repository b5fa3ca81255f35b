"""Nothing in plugin/ that breaks on a Qt6 build of QGIS (scripts/qt6_check.py says what and why)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("qt6_check", ROOT / "scripts" / "qt6_check.py")
assert _spec is not None and _spec.loader is not None
qt6_check = importlib.util.module_from_spec(_spec)
sys.modules["qt6_check"] = qt6_check
_spec.loader.exec_module(qt6_check)


def test_plugin_has_no_qt6_breakers():
    found = qt6_check.check_paths([ROOT / "plugin"])
    assert not found, "Qt6 breakers (python scripts/qt6_check.py --fix rewrites the known enums):\n" + "\n".join(
        str(f) for f in found)


@pytest.mark.parametrize(("source", "expected"), [
    ("from PyQt5.QtCore import Qt\n", "from PyQt5.QtCore import ..."),
    ("import sip\n", "import sip"),
    ("from qgis.PyQt.Qt import Qt\n", "from qgis.PyQt.Qt import ..."),
    ("from qgis.PyQt.QtWidgets import QAction\n", "QAction from qgis.PyQt.QtWidgets"),
    ("from qgis.PyQt.QtCore import QRegExp\n", "QRegExp"),
    ("dialog.exec_()\n", ".exec_()"),
    ("from qgis.PyQt.QtCore import Qt\nx = Qt.AlignLeft\n", "Qt.AlignLeft"),
    ("from qgis.PyQt.QtCore import QVariant\nx = QVariant.String\n", "QVariant.String"),
    ("from qgis.core import Qgis\nlevel = Qgis.Warning\n", "Qgis.Warning"),
    ("from qgis.core import QgsWkbTypes\nf(QgsWkbTypes.PolygonGeometry)\n", "QgsWkbTypes.PolygonGeometry"),
])
def test_each_breaker_is_found(source, expected):
    assert [f.text for f in qt6_check.check_source(source)] == [expected]


@pytest.mark.parametrize("source", [
    "from qgis.PyQt.QtCore import Qt\nx = Qt.AlignmentFlag.AlignLeft\n",
    "from qgis.PyQt.QtGui import QAction\n",
    "from qgis.PyQt import sip\n",
    "from qgis.core import Qgis\ndef f(level: Qgis.MessageLevel) -> None: ...\n",
    "from qgis.core import QgsProcessing\nx = QgsProcessing.TEMPORARY_OUTPUT\n",
    "from qgis.PyQt.QtWidgets import QFileDialog\nQFileDialog.getSaveFileName()\n",
    "from qgis.core import QgsFeatureSink\nx = QgsFeatureSink.Flag.FastInsert\n",
    "from enum import Enum\nx = Enum.Member\n",  # not a Qt or QGIS class
])
def test_qt6_safe_code_passes(source):
    assert qt6_check.check_source(source) == []


def test_fix_scopes_members_and_imports_what_they_need():
    source = ("from qgis.core import QgsWkbTypes\nfrom qgis.PyQt.QtCore import QVariant\n"
              "a = QgsWkbTypes.PolygonGeometry\nb = QVariant.String\nc = QgsWkbTypes.PointGeometry\n")
    fixed = qt6_check.fix_source(source)
    assert "a = Qgis.GeometryType.Polygon\n" in fixed
    assert "b = QMetaType.Type.QString\n" in fixed
    assert "c = Qgis.GeometryType.Point\n" in fixed
    assert fixed.startswith("from qgis.core import Qgis, QgsWkbTypes\n")
    assert "from qgis.PyQt.QtCore import QMetaType, QVariant\n" in fixed
    assert [f.text for f in qt6_check.check_source(fixed)] == []
