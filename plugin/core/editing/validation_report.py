"""What a validation run found: one issue per problem, and the report a front shows or refuses a save on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .validation_rules import ERROR, WARNING


@dataclass(frozen=True)
class ValidationIssue:
    fid: int | None
    key: str
    feature: str  # the feature's label ("" for an issue about the whole pack)
    rule: str
    severity: str  # "error" | "warning"
    message: str  # a full sentence naming the feature and the problem, with how to fix it
    location: Any  # shapely geometry (EPSG:27700) to zoom to, or None


@dataclass(frozen=True)
class ValidationReport:
    issues: tuple[ValidationIssue, ...]
    checked: int
    #: What could not be checked and why (e.g. a rule whose measure group matches nothing in the catalogue).
    notes: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)

    @property
    def ok(self) -> bool:
        """No errors (warnings never block)."""
        return not self.errors

    def for_key(self, key: str) -> tuple[ValidationIssue, ...]:
        return tuple(i for i in self.issues if i.key == key)

    def summary(self, limit: int = 10) -> str:
        """A message for the user: counts, then the errors before the warnings, at most ``limit`` of them."""
        return "\n".join(self.summary_lines(limit))

    def summary_lines(self, limit: int = 10) -> list[str]:
        """The lines of :meth:`summary`, one per item (a terminal prints each as one line, whatever it holds)."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        head = (f"{self.checked} opportunity area(s) checked: {n_err} error(s), {n_warn} warning(s)."
                if self.issues else f"{self.checked} opportunity area(s) checked: no problems found.")
        ordered = [*self.errors, *self.warnings]
        lines = [head, *(f"- {i.severity}: {i.message}" for i in ordered[:max(0, limit)])]
        if len(ordered) > limit:
            lines.append(f"... and {len(ordered) - limit} more.")
        lines.extend(f"Note: {n}" for n in self.notes)
        return lines
