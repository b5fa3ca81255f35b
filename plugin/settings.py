"""Typed plugin settings stored in ``QgsSettings`` under ``lnrs_toolkit/``."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from qgis.core import QgsSettings

from .__about__ import PLUGIN_SLUG

MAX_RECENT_PACKS = 8


@dataclass
class PluginSettings:
    """Everything the user can change between sessions.

    Only plain values live here: no secrets (database credentials go through
    QGIS's authentication manager, never into settings).
    """

    search_distance_m: float = 500.0
    sliver_tolerance_m2: float = 1.0
    last_pack: str = ""
    recent_packs: list[str] = field(default_factory=list)
    officer_name: str = ""
    add_layers_to_project: bool = True
    debug_mode: bool = False
    #: While editing opportunity areas, snap to the strategy boundary and the neighbouring areas (Edit map tab).
    snap_while_editing: bool = True

    @classmethod
    def load(cls, qsettings: QgsSettings | None = None) -> PluginSettings:
        """Read every field, falling back to the default on a missing or bad value."""
        store = qsettings or QgsSettings()
        values: dict[str, Any] = {}
        defaults = cls()
        for f in fields(cls):
            default = getattr(defaults, f.name)
            raw = store.value(f"{PLUGIN_SLUG}/{f.name}", default)
            values[f.name] = _coerce(raw, default)
        return cls(**values)

    def save(self, qsettings: QgsSettings | None = None) -> None:
        store = qsettings or QgsSettings()
        for key, value in asdict(self).items():
            store.setValue(f"{PLUGIN_SLUG}/{key}", value)

    def remember_pack(self, source: str) -> None:
        """Put ``source`` at the top of the recent packs list."""
        recent = [p for p in self.recent_packs if p != source]
        self.recent_packs = [source, *recent][:MAX_RECENT_PACKS]
        self.last_pack = source


def _coerce(raw: Any, default: Any) -> Any:
    """Turn what QSettings hands back (often strings) into the default's type."""
    if raw is None:
        return default
    try:
        if isinstance(default, bool):
            if isinstance(raw, str):
                return raw.strip().lower() in {"1", "true", "yes", "on"}
            return bool(raw)
        if isinstance(default, float):  # distances and tolerances: finite, 0 or more
            value = float(raw)
            return value if math.isfinite(value) and value >= 0 else default
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, list):
            if isinstance(raw, str):
                return [raw] if raw else []
            return [str(v) for v in raw]
        return str(raw)
    except (TypeError, ValueError):
        return default
