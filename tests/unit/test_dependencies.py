"""A missing or old shapely gives a clear message instead of a traceback at load."""

from __future__ import annotations

from lnrs_toolkit.plugin.dependencies import missing_dependency_message


def test_shapely_2_is_fine():
    assert missing_dependency_message("2.0.6") is None
    assert missing_dependency_message() is None  # the test environment has shapely 2


def test_old_shapely_is_explained():
    message = missing_dependency_message("1.8.5")
    assert message is not None
    assert "shapely 1.8.5" in message and "pip install" in message


def test_unknown_version_is_judged_by_the_api():
    # Debian sid's python3-shapely 2.2 reports "0+unknown"; shapely 2's functions say what it is
    assert missing_dependency_message("0+unknown", v2_api=True) is None
    assert missing_dependency_message("0+unknown") is not None
    assert missing_dependency_message("1.8.5", v2_api=True) is not None
