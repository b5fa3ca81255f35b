"""Shared test set-up: make the repository importable as the package ``lnrs_toolkit``.

The repository root *is* the plugin folder, whose installed name is ``lnrs_toolkit``;
a symlink under ``build/pkgroot`` gives tests that same import name.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKGROOT = ROOT / "build" / "pkgroot"
LINK = PKGROOT / "lnrs_toolkit"

PKGROOT.mkdir(parents=True, exist_ok=True)
if not LINK.exists():
    with contextlib.suppress(FileExistsError):  # another worker made it first
        LINK.symlink_to(ROOT, target_is_directory=True)
if str(PKGROOT) not in sys.path:
    sys.path.insert(0, str(PKGROOT))


def pytest_report_header(config):
    """Python, numpy and shapely (with the GEOS shapely runs on) for both tiers; the QGIS tier adds QGIS's."""
    import platform

    import numpy
    from lnrs_toolkit.plugin.shapely_import import import_shapely

    shapely = import_shapely()  # the plugin's way (its own GEOS on Linux), as the plugin will find it
    return [f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), numpy {numpy.__version__}, "
            f"Python {platform.python_version()}"]


@pytest.fixture()
def listener():
    """A local HTTP port that records whether anyone connected: (port, hits)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    hits: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join(2)
    server.close()
