"""The Edit map tab's "Problems" group: the edit engine's validation issues, errors first, each one clickable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .results_view import tip

ROLE = Qt.ItemDataRole.UserRole
SEVERITY_COLOURS = {"error": "#b71c1c", "warning": "#e65100"}
SEVERITY_ICONS = {"error": "/mIconCritical.svg", "warning": "/mIconWarning.svg"}
translate = QCoreApplication.translate  # context "EditingPanel": these texts are the tab's (as before the split)


class IssuesBox(QGroupBox):
    """The list of validation issues; ``issue_chosen(issue)`` when one is clicked or activated."""

    issue_chosen = pyqtSignal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("EditingPanel", "Problems"), parent)
        self.setObjectName("issuesGroup")
        layout = QVBoxLayout(self)
        self.issues_label = QLabel(translate("EditingPanel", "No problems found yet."), self)
        self.issues_label.setObjectName("issuesLabel")
        self.issues_label.setWordWrap(True)
        layout.addWidget(self.issues_label)
        self.issues_list = QListWidget(self)
        self.issues_list.setObjectName("issuesList")
        self.issues_list.setWordWrap(True)
        self.issues_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.issues_list.setUniformItemSizes(False)
        self.issues_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.issues_list.setSpacing(2)
        self.issues_list.setAlternatingRowColors(True)
        self.issues_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issues_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.issues_list.setAccessibleName(translate("EditingPanel", "Problems with the changes"))
        self.issues_list.itemClicked.connect(lambda item: self.issue_chosen.emit(item.data(ROLE)))
        self.issues_list.itemActivated.connect(lambda item: self.issue_chosen.emit(item.data(ROLE)))
        self.issues_list.setMinimumHeight(4 * self.issues_list.fontMetrics().lineSpacing())  # usable when squeezed
        layout.addWidget(self.issues_list, 1)

    def show_issues(self, issues: Sequence[Any], notes: Sequence[str] = ()) -> None:
        """List validation issues (errors first as the engine orders them); ``notes`` say what was not checked."""
        self.issues_list.clear()
        words = {"error": translate("EditingPanel", "Error"), "warning": translate("EditingPanel", "Warning")}
        for issue in issues:
            item = QListWidgetItem(QgsApplication.getThemeIcon(SEVERITY_ICONS.get(issue.severity, "/mIconInfo.svg")),
                                   issue.message)
            item.setData(ROLE, issue)
            item.setToolTip(tip(f"{words.get(issue.severity, issue.severity)}: {issue.feature}"))
            if issue.severity == "error":
                item.setForeground(QBrush(QColor(SEVERITY_COLOURS["error"])))
            self.issues_list.addItem(item)
        errors = sum(i.severity == "error" for i in issues)
        warnings = len(issues) - errors
        if not issues:
            text = translate("EditingPanel", "No problems found.")
        else:
            text = translate("EditingPanel", "{0} error(s) to fix before saving, {1} warning(s). Click a problem to "
                                             "see it on the map.").format(errors, warnings)
        if notes:
            text += " " + translate("EditingPanel", "{0} check(s) could not be applied to this pack (hover for "
                                                    "why).").format(len(notes))
        self.issues_label.setText(text)
        self.issues_label.setToolTip("".join(tip(note) for note in notes))
        if issues:
            QTimer.singleShot(0, self.bring_into_view)

    def bring_into_view(self) -> None:
        """Scroll the tab (a scroll area in a short dock) so that the list of problems shows."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self.issues_list, 0, 0)
