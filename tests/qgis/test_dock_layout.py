"""The dock on a 1366 x 768 screen: it never forces QGIS's window taller than the screen, no tab scrolls sideways or
cuts a button's label at the dock's width there, messages wrap (a long one in at most four lines, Show all for the
rest), and the pack's path takes one line, elided in the middle, whole in its tooltip."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from qgis.core import QgsCoordinateReferenceSystem
from qgis.gui import QgsMessageViewer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import QAbstractButton, QApplication, QLabel, QPushButton, QTextBrowser, QToolButton

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


def test_messages_wrap_and_the_pack_path_reads_on_one_line(dock, pack):
    assert dock.set_pack_path(str(pack))
    path_label = dock.pack_chooser.pack_path_label
    assert path_label.full_text() == str(pack) and str(pack) in path_label.toolTip()
    assert str(pack) not in dock.pack_chooser.pack_info.text()  # the path has a line of its own
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), QgsCoordinateReferenceSystem("EPSG:27700"))
    click_check(dock)
    dock.site_panel.set_site_geometry(site_geometry(X + 10, Y, X + 90, Y + 90),
                                      QgsCoordinateReferenceSystem("EPSG:27700"))
    panel = dock.results_panel
    for label in (panel.stale_label, panel.review_label, panel.results_view.banner, dock.site_panel.site_label,
                  dock.pack_chooser.pack_info):
        assert isinstance(label, QLabel) and label.wordWrap(), label.objectName()
    dock.setFloating(True)
    dock.resize(330, 600)
    QCoreApplication.processEvents()
    stale = panel.stale_label
    assert stale.isVisible() and stale.height() >= stale.heightForWidth(stale.width())  # every line of it shows
    # too long for the narrow dock: one line, elided in the middle (the file name stays), the whole in the tooltip
    shown = path_label.text()
    assert "\u2026" in shown and shown.endswith(pack.name) and shown.startswith(str(pack)[:2])
    assert path_label.fontMetrics().horizontalAdvance(shown) <= path_label.contentsRect().width()
    assert path_label.height() < 2 * path_label.fontMetrics().lineSpacing()


def _message_browser(dock):
    return dock.message_bar.currentItem().findChild(QTextBrowser)


def _show_all(dock):
    return dock.message_bar.currentItem().findChild(QToolButton, "messageShowAllButton")


def test_a_message_of_a_few_lines_shows_whole_in_a_narrow_dock(dock):
    dock.setFloating(True)
    QCoreApplication.processEvents()
    sentence = "Type the reference of the new site, then Check: every word shows."  # 3 lines at 380 px
    dock.show_message(sentence)
    dock.resize(380, 600)  # narrowed after the message came: it wraps again
    QCoreApplication.processEvents()
    browser = _message_browser(dock)
    assert browser.height() >= browser.document().size().height()  # no line hidden behind a scroll bar
    assert browser.height() > 42  # taller than QGIS's two lines
    assert not _show_all(dock).isVisible()  # nothing more to show


def test_a_long_error_takes_at_most_four_lines_and_shows_all_in_a_window(dock):
    """A 600-character error scrolls in a bar of four lines (it used to take most of the dock at 1366 x 768); its
    Show all button opens the whole of it."""
    dock.setFloating(True)
    dock.resize(DOCK_WIDTH, DOCK_HEIGHT)
    QCoreApplication.processEvents()
    error = ("Nothing was saved to the Local Habitat Map: 1 problem(s) must be fixed first. Opportunity area 18 "
             "'Illustrative grassland' has measure code(s) GL0002 that are not in the pack's measures catalogue. " * 4)
    assert len(error) >= 600
    dock.show_error(error)
    QCoreApplication.processEvents()
    browser = _message_browser(dock)
    lines = browser.fontMetrics().lineSpacing()
    assert 3 * lines < browser.viewport().height() <= 4 * lines + 2 * browser.document().documentMargin()
    assert dock.message_bar.height() <= 5 * lines + 10, dock.message_bar.height()
    assert browser.verticalScrollBar().maximum() > 0  # the rest is read by scrolling the bar...
    whole = _show_all(dock)
    assert whole.isVisible() and whole.width() >= whole.sizeHint().width()
    whole.click()  # ... or in a window of its own
    QCoreApplication.processEvents()
    viewers = [w for w in QApplication.topLevelWidgets() if isinstance(w, QgsMessageViewer) and w.isVisible()]
    assert len(viewers) == 1
    text = viewers[0].findChild(QTextBrowser).toPlainText()
    assert text == error
    viewers[0].close()
    viewers[0].deleteLater()


def _cut_labels(page):
    """The buttons on show whose label is wider than the button (the style's padding included)."""
    cut = []
    for button in page.findChildren(QAbstractButton):
        text = button.text().replace("&", "")
        if not button.isVisible() or not text or button.objectName().startswith("qt_"):
            continue
        if button.fontMetrics().horizontalAdvance(text) >= button.width() or (
                isinstance(button, QPushButton) and button.width() < button.sizeHint().width()):
            cut.append((button.objectName(), text, button.width()))
    return cut


@pytest.mark.parametrize("width", [440, 460, 470])
def test_every_tab_fits_the_dock_width_at_1366_by_768(dock, pack, width):
    """At the width QGIS gives the dock on a 1366 x 768 screen, with a long error on show: no tab scrolls sideways,
    no button's label is cut, every tab's title shows, and the message bar leaves the tab a good part of the dock."""
    assert dock.set_pack_path(str(pack))
    dock.site_panel.set_site_geometry(site_geometry(X, Y, X + 100, Y + 100), QgsCoordinateReferenceSystem("EPSG:27700"))
    click_check(dock)  # the Results tab with its buttons
    dock.setFloating(True)
    dock.resize(width, DOCK_HEIGHT)
    dock.show_error("Nothing was saved to the Local Habitat Map: 1 problem(s) must be fixed first. " * 8)
    QCoreApplication.processEvents()
    assert dock.width() == width  # nothing made the dock wider
    assert dock.message_bar.height() <= DOCK_HEIGHT // 5
    assert dock.tabs.tabBar().sizeHint().width() <= dock.tabs.width()  # no scroll arrows on the tab bar
    for tab in range(dock.tabs.count()):
        dock.tabs.setCurrentIndex(tab)
        for _ in range(3):
            QCoreApplication.processEvents()
        name, scroll, page = dock.tabs.tabText(tab), dock.tabs.widget(tab), dock.tabs.page(tab)
        assert page.minimumSizeHint().width() <= scroll.viewport().width(), (name, page.minimumSizeHint())
        assert scroll.horizontalScrollBar().maximum() == 0, name
        assert not _cut_labels(page), (name, _cut_labels(page))
        assert scroll.height() >= DOCK_HEIGHT // 3, (name, scroll.height())  # was under a fifth
    assert not _cut_labels(dock.pack_chooser)


def test_the_edit_map_buttons_read_and_tab_row_by_row(dock, pack):
    """Two columns, the everyday actions first; Tab goes through them in the order they read."""
    assert dock.set_pack_path(str(pack))
    panel = dock.editing_panel
    order = [panel.start_button, panel.validate_button, panel.save_button, panel.local_save.button,
             panel.discard_button, panel.update_button, panel.audit_button, panel.postgis_menu.button]
    grid = panel.start_button.parentWidget().layout().itemAt(1).layout()
    cells = [grid.getItemPosition(grid.indexOf(button))[:2] for button in order]
    assert cells == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (3, 1)]
    for first, second in zip(order, order[1:]):
        widget = first.nextInFocusChain()
        while widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            widget = widget.nextInFocusChain()
        assert widget is second, (first.objectName(), widget.objectName())
    for button in order:  # the full wording is in the tooltip
        assert button.toolTip() or button is panel.start_button
