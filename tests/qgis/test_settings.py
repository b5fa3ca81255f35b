"""Settings round-trip through QgsSettings with their types."""

from __future__ import annotations

from lnrs_toolkit.plugin.settings import MAX_RECENT_PACKS, PluginSettings
from qgis.core import QgsSettings


def test_defaults_then_round_trip(qgis_app):
    store = QgsSettings("lnrs_toolkit_tests", "settings")
    store.clear()
    loaded = PluginSettings.load(store)
    assert loaded == PluginSettings()
    loaded.search_distance_m = 250.0
    loaded.debug_mode = True
    loaded.remember_pack("/data/a.gpkg")
    loaded.save(store)
    again = PluginSettings.load(store)
    assert again.search_distance_m == 250.0
    assert again.debug_mode is True
    assert again.recent_packs == ["/data/a.gpkg"]
    assert again.last_pack == "/data/a.gpkg"


def test_bad_stored_value_falls_back_to_default(qgis_app):
    store = QgsSettings("lnrs_toolkit_tests", "settings_bad")
    store.clear()
    store.setValue("lnrs_toolkit/search_distance_m", "not a number")
    assert PluginSettings.load(store).search_distance_m == 500.0


def test_recent_packs_are_unique_and_bounded():
    settings = PluginSettings()
    for i in range(MAX_RECENT_PACKS + 3):
        settings.remember_pack(f"/p{i}.gpkg")
    settings.remember_pack("/p5.gpkg")
    assert settings.recent_packs[0] == "/p5.gpkg"
    assert len(settings.recent_packs) == MAX_RECENT_PACKS
    assert len(set(settings.recent_packs)) == MAX_RECENT_PACKS
