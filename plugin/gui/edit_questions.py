"""The Edit map tab's yes/no questions: resume an earlier working copy, and confirm throwing changes away."""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QMessageBox, QWidget

translate = QCoreApplication.translate  # context "EditingPanel": these texts are the tab's (as before the split)


def ask_resume(parent: QWidget, text: str) -> str | None:
    """"resume", "discard" (start again from the map) or None (cancelled)."""
    box = QMessageBox(QMessageBox.Icon.Question, translate("EditingPanel", "Resume editing?"), text,
                      QMessageBox.StandardButton.NoButton, parent)
    resume = box.addButton(translate("EditingPanel", "Resume my working copy"), QMessageBox.ButtonRole.AcceptRole)
    fresh = box.addButton(translate("EditingPanel", "Discard it and start again"),
                          QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(resume)
    box.exec()
    clicked = box.clickedButton()
    return "resume" if clicked is resume else "discard" if clicked is fresh else None


def ask_confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes
                                  | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return bool(answer == QMessageBox.StandardButton.Yes)
