"""Widgets: they render results and forward user actions; no checks live here."""
