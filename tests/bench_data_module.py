"""scripts/bench_data.py as a module for the tests (the benchmark's deterministic maps and sites)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "scripts" / "bench_data.py"
_spec = importlib.util.spec_from_file_location("bench_data", _PATH)
assert _spec is not None and _spec.loader is not None
bd = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_data", bd)
_spec.loader.exec_module(bd)
