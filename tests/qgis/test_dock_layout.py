"""The dock on a 1366 x 768 screen: it never forces QGIS's window taller than the screen, messages wrap instead of
being cut, and the pack's path can be read whole."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QLabel, QTextBrowser

_spec = importlib.util.spec_from_file_location("dock_fixtures", Path(__file__).with_name("test_dock.py"))
assert _spec is not None and _spec.loader is not None
_dock_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_dock_tests)
X, Y, click_check, site_geometry = _dock_tests.X, _dock_tests.Y, _dock_tests.click_check, _dock_tests.site_geometry
dock, pack = _dock_tests.dock, _dock_tests.pack  # the fixtures

#: What a maximised QGIS on a 1366 x 768 screen leaves a right-hand dock (menus, two toolbar rows, status bar).
DOCK_HEIGHT = 768 - 200
#: The widest a right-hand dock may insist on at 1366 pixels: the layers panel and a usable map canvas beside it.
DOCK_WIDTH = 1366 // 3


def test_every_tab_fits_a_1366_by_768_main_window(dock):
    """Whatever a tab holds (tall Parcels and Versions tabs, the Results panes), it scrolls inside the dock: the
    dock's minimum size stays within what QGIS leaves a dock on a 1366 x 768 screen, on every tab."""
    assert dock.tabs.count() == 5
    for tab in range(dock.tabs.count()):
        dock.tabs.setCurrentIndex(tab)
        QCoreApplication.processEvents()
        need = dock.minimumSizeHint().expandedTo(dock.minimumSize())
        name = dock.tabs.tabText(tab)
        assert need.height() <= DOCK_HEIGHT, (name, need.height())
        assert need.width() <= DOCK_WIDTH, (name, need.width())
        page = dock.tabs.page(tab)
        assert dock.tabs.indexOf(page) == tab  # the page itself (not its scroll area) finds its tab
        if page.minimumSizeHint().height() > DOCK_HEIGHT:  # taller than the dock can be: it scrolls
            dock.resize(DOCK_WIDTH, DOCK_HEIGHT)
            QCoreApplication.processEvents()
            assert dock.tabs.widget(tab).verticalScrollBar().maximum() > 0, name


def test_messages_wrap_and_the_pack_path_reads_whole(dock, pack):
    assert dock.set_pack_path(str(pack))
    info = dock.pack_chooser.pack_info.text()
    assert "/\u200b" in info and info.replace("\u200b", "").count(str(pack.name)) == 1
    assert str(pack.parent).replace("/", "/\u200b") in info  # every folder of the path, breakable after each
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), QgsCoordinateReferenceSystem("EPSG:27700"))
    click_check(dock)
    dock.site_panel.set_site_geometry(site_geometry(X + 10, Y, X + 90, Y + 90),
                                      QgsCoordinateReferenceSystem("EPSG:27700"))
    panel = dock.results_panel
    for label in (panel.stale_label, panel.review_label, panel.results_view.banner, dock.site_panel.site_label,
                  dock.pack_chooser.pack_info):
        assert isinstance(label, QLabel) and label.wordWrap(), label.objectName()
    dock.resize(330, 600)
    QCoreApplication.processEvents()
    stale = panel.stale_label
    assert stale.isVisible() and stale.height() >= stale.heightForWidth(stale.width())  # every line of it shows


def test_a_long_message_shows_whole_in_a_narrow_dock(dock):
    dock.setFloating(True)
    QCoreApplication.processEvents()
    sentence = ("Type the application reference of the new site (it goes on the results and reports), then Check. "
                "Every word of this sentence has to be readable without scrolling the message.")
    dock.show_message(sentence)
    dock.resize(380, 600)  # narrowed after the message came: it wraps again
    QCoreApplication.processEvents()
    browser = dock.message_bar.currentItem().findChild(QTextBrowser)
    assert browser.height() >= browser.document().size().height()  # no line hidden behind a scroll bar
    assert browser.height() > 42  # taller than QGIS's two lines
