"""Import shapely so that it runs on the GEOS it was built with, not on QGIS's (Linux).

A QGIS executable on Linux links GEOS, so GEOS's C functions sit in the process's global symbol scope. A
shapely wheel brings its own GEOS (shapely 2.1: GEOS 3.13) in ``shapely.libs``. Loaded the ordinary way,
shapely's extension modules have their GEOS calls bound to the first definition the dynamic linker finds,
which is the global one: QGIS's GEOS (Debian 12: 3.11). shapely then runs a mixture of two GEOS versions. A
call whose meaning changed fails (shapely 2.1 asks for four-dimensional WKB, which GEOS 3.11 refuses, so
``geometry.wkb`` raises), and a function the older GEOS lacks binds to the bundled GEOS, which is then handed
geometries made by the other one.

Loaded with ``RTLD_DEEPBIND``, shapely's modules look up symbols in their own dependencies first, so shapely
runs on its own GEOS throughout. numpy is imported first, the ordinary way. Where shapely was already imported
by something else, nothing can be changed: :func:`mixed_geos_warning` then says what to do. QGIS 3.40's
``qgis.core`` imports shapely itself when QGIS starts (``QgsGeometry.as_shapely``), so inside QGIS >= 3.40
the isolation only applies where shapely was loaded earlier (``make run`` does that, see
scripts/qgis_preload); elsewhere shapely has to be built for QGIS's GEOS.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from types import ModuleType

#: Whether this module imported shapely with its own GEOS (None: shapely was imported elsewhere first).
_isolated: bool | None = None


def import_shapely() -> ModuleType:
    """shapely, imported (the first time) with its GEOS calls bound to its own GEOS where the platform allows.

    Raises ImportError when shapely is not installed.
    """
    global _isolated
    if "shapely" in sys.modules:
        return sys.modules["shapely"]
    deepbind = getattr(os, "RTLD_DEEPBIND", 0)  # glibc only
    if not deepbind:
        import shapely

        _isolated = True  # Windows and macOS keep each library's symbols apart already
        return shapely
    import numpy  # noqa: F401 - loaded the ordinary way, before the flags change

    flags = sys.getdlopenflags()
    sys.setdlopenflags(flags | deepbind)
    try:
        import shapely
    finally:
        sys.setdlopenflags(flags)
    _isolated = True
    return shapely


def global_geos_version() -> tuple[int, int, int] | None:
    """The version of the GEOS in the process's global symbol scope (QGIS's, in QGIS on Linux), if any."""
    try:
        fn = ctypes.CDLL(None).GEOSversion
    except (OSError, AttributeError, TypeError):
        return None
    fn.restype = ctypes.c_char_p
    fn.argtypes = []
    raw = fn()
    if not raw:
        return None
    return parse_geos_version(raw.decode("ascii", "replace"))


def parse_geos_version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) from a GEOS version text such as ``3.11.1-CAPI-1.17.1``."""
    numbers = [int(m.group()) for m in (re.match(r"\d+", part) for part in text.split("-")[0].split(".")[:3])
               if m is not None]
    if len(numbers) < 2:
        return None
    return (numbers[0], numbers[1], numbers[2] if len(numbers) > 2 else 0)


def mixed_geos_warning() -> str | None:
    """A warning when shapely was imported before this plugin and another GEOS answers part of its calls."""
    if _isolated or "shapely" not in sys.modules:
        return None
    shapely = sys.modules["shapely"]
    built = tuple(getattr(shapely, "geos_version", ())[:2])
    running = global_geos_version()
    if running is None or not built or built == running[:2]:
        return None
    return (f"shapely {shapely.__version__} (built for GEOS {built[0]}.{built[1]}) was loaded before LNRS Toolkit "
            "(QGIS 3.40 and later import it themselves when they start, for QgsGeometry.as_shapely), "
            f"and QGIS's GEOS {running[0]}.{running[1]} answers part of its calls, so some geometry operations "
            "may fail. Install a shapely built for QGIS's GEOS: your distribution's python3-shapely where it is "
            "version 2, else on Debian 12 /usr/bin/python3 -m pip install --user --break-system-packages "
            "\"shapely>=2,<2.1\" (its GEOS is 3.11, as QGIS's), then restart QGIS.")
