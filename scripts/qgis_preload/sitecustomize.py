"""make run / the desktop tests only: shapely loaded onto its own GEOS before QGIS imports it.

QGIS 3.40's ``qgis.core`` imports shapely while QGIS starts (for ``QgsGeometry.as_shapely``), before any
plugin, so the plugin's isolated import (plugin/shapely_import.py) comes too late. Python runs this module
(``sitecustomize``, found through PYTHONPATH by scripts/run_qgis.sh) when QGIS starts its interpreter,
before ``qgis.core``: it imports shapely the plugin's way, from the plugin installed in the throwaway
profile (LNRS_PLUGINS_DIR), then runs the system's own sitecustomize, which this one hides.
"""

from __future__ import annotations

import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_plugins = os.environ.get("LNRS_PLUGINS_DIR")
if _plugins and os.path.isdir(os.path.join(_plugins, "lnrs_toolkit")):
    sys.path.insert(0, _plugins)
    try:
        from lnrs_toolkit.plugin.shapely_import import import_shapely

        import_shapely()
    except ImportError:
        pass  # no shapely: the plugin says so when it loads
    finally:
        sys.path.remove(_plugins)

for _dir in sys.path:
    _other = os.path.join(_dir, "sitecustomize.py")
    if os.path.abspath(_dir or ".") != _here and os.path.isfile(_other):
        with open(_other, encoding="utf-8") as _fh:
            exec(compile(_fh.read(), _other, "exec"), {"__name__": "sitecustomize", "__file__": _other})
        break
