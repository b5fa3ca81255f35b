"""Unit tier: pure Python, no QGIS. Fails the run if anything imported QGIS."""

from __future__ import annotations

import sys

import pytest
from lnrs_toolkit.plugin.core.editing.working_copy import check_out
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.tests.unit.edit_packs import build_edit_pack


@pytest.fixture(autouse=True, scope="session")
def _no_qgis_in_unit_tier():
    yield
    leaked = sorted(name for name in sys.modules if name == "qgis" or name.startswith("qgis."))
    assert not leaked, f"the unit tier imported QGIS modules: {leaked[:5]}"


# The editing tests' pack (tests/unit/edit_packs.py) and a working copy checked out of it.
@pytest.fixture()
def pack_path(tmp_path):
    path = tmp_path / "lhm.gpkg"
    build_edit_pack(path)
    return path


@pytest.fixture()
def copy(pack_path, tmp_path):
    return check_out(read_pack(pack_path), str(pack_path), tmp_path / "work.gpkg")
