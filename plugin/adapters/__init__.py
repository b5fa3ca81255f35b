"""Adapters: QGIS layers, connections and projects into the engine's plain inputs (done once)."""
