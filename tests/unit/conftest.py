"""Unit tier: pure Python, no QGIS. Fails the run if anything imported QGIS."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True, scope="session")
def _no_qgis_in_unit_tier():
    yield
    leaked = sorted(name for name in sys.modules if name == "qgis" or name.startswith("qgis."))
    assert not leaked, f"the unit tier imported QGIS modules: {leaked[:5]}"
