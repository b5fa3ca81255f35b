"""A Processing feedback that keeps what an algorithm logs (information and warnings, in order)."""

from __future__ import annotations

from qgis.core import QgsProcessingFeedback


class FeedbackLog(QgsProcessingFeedback):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def pushInfo(self, info: str) -> None:
        self.lines.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning: str) -> None:
        self.lines.append(warning)
        super().pushWarning(warning)

    def text(self) -> str:
        return "\n".join(self.lines)
