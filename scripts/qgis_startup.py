"""Startup code for ``qgis --code``: open the demo pack and, when probing, report back.

Environment:
  LNRS_STARTUP_OPEN_DEMO=1  ask the plugin to open the bundled demo pack with styled layers
  LNRS_PROBE_OUT=path       write what was found (JSON) there, save a screenshot, exit QGIS
  LNRS_SCREENSHOT=path      where the screenshot goes
  LNRS_PROBE_SITE=1         also screen a demo site in the dock before the screenshot
"""

import json
import os
import traceback

from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QApplication, QDockWidget
from qgis.utils import iface, plugins

DOCK_NAME = "LnrsToolkitDock"
report = {"plugin_loaded": False, "dock_found": False, "errors": []}


def _plugin():
    return plugins.get("lnrs_toolkit")


def open_demo():
    plugin = _plugin()
    if plugin is None:
        return
    try:
        hook = getattr(plugin, "open_demo_for_startup", None)
        if hook is not None:
            hook()
            report["demo_opened"] = True
    except Exception:  # noqa: BLE001 - report, never crash QGIS
        report["errors"].append(traceback.format_exc())


def geos_report():
    """Which GEOS serves shapely inside this QGIS process (the plugin loads shapely onto its own GEOS)."""
    import shapely
    from lnrs_toolkit.plugin.shapely_import import global_geos_version

    out = {"shapely": shapely.__version__, "shapely_geos": list(shapely.geos_version),
           "qgis_geos": global_geos_version()}
    try:
        wkb = shapely.Point(1, 2).wkb  # shapely 2.1 asks GEOS 3.12+ for 4D WKB, which an older GEOS refuses
        out["default_wkb"] = "ok" if wkb else "empty"
    except Exception as exc:  # noqa: BLE001
        out["default_wkb"] = str(exc)
    return out


def probe():
    try:
        plugin = _plugin()
        report["plugin_loaded"] = plugin is not None
        main = iface.mainWindow()
        dock = main.findChild(QDockWidget, DOCK_NAME)
        report["dock_found"] = dock is not None
        if dock is not None:
            dock.setUserVisible(True)
            dock.raise_()
            report["dock_title"] = dock.windowTitle()
            report["dock_area"] = int(main.dockWidgetArea(dock))
        if plugin is not None and os.environ.get("LNRS_PROBE_SITE") == "1":
            hook = getattr(plugin, "probe_screen_demo_site", None)
            if hook is not None:
                report["probe_site"] = hook()
        report["main_window_title"] = main.windowTitle()
        screen = QApplication.primaryScreen().availableGeometry()
        report["screen_size"] = [screen.width(), screen.height()]
        report["main_window_size"] = [main.frameGeometry().width(), main.frameGeometry().height()]
        report["main_window_minimum"] = [main.minimumSizeHint().width(), main.minimumSizeHint().height()]
        if dock is not None:
            report["dock_size"] = [dock.width(), dock.height()]
            report["dock_minimum"] = [dock.minimumSizeHint().width(), dock.minimumSizeHint().height()]
        report["geos"] = geos_report()
    except Exception:  # noqa: BLE001
        report["errors"].append(traceback.format_exc())
    QTimer.singleShot(int(os.environ.get("LNRS_PROBE_SETTLE_MS", "3000")), finish)


def finish():
    shot = os.environ.get("LNRS_SCREENSHOT")
    try:
        QApplication.processEvents()
        if shot:
            pixmap = iface.mainWindow().grab()
            report["screenshot_saved"] = bool(pixmap.save(shot, "PNG"))
            report["screenshot"] = shot
            dock = iface.mainWindow().findChild(QDockWidget, DOCK_NAME)
            if dock is not None:
                dock_shot = os.path.splitext(shot)[0] + "_dock.png"
                dock.grab().save(dock_shot, "PNG")
                report["dock_screenshot"] = dock_shot
    except Exception:  # noqa: BLE001
        report["errors"].append(traceback.format_exc())
    with open(os.environ["LNRS_PROBE_OUT"], "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=2)
    os._exit(0)


if os.environ.get("LNRS_STARTUP_OPEN_DEMO") == "1":
    QTimer.singleShot(500, open_demo)
if os.environ.get("LNRS_PROBE_OUT"):
    iface.mainWindow().showMaximized()
    # Xvfb runs no window manager, which is what maximises a window: fill the screen by hand as well, so the
    # probe and its screenshots see QGIS as a user at 1366 x 768 does (a fresh profile starts smaller)
    iface.mainWindow().setGeometry(QApplication.primaryScreen().availableGeometry())
    QTimer.singleShot(int(os.environ.get("LNRS_PROBE_DELAY_MS", "4000")), probe)
