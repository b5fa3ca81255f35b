"""Where the dock keeps the officers' overrides: the QGIS project (a custom entry, saved with the project) and a
small sidecar JSON beside each exported report. The matching and the log's format are the core's
(:mod:`..core.screening.overrides`); this module only reads and writes them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from qgis.core import QgsProject

from ..core.errors import LnrsError
from ..core.reports.json_report import write_text_atomic
from ..core.screening.overrides import Override, Reapplied, dumps_log, loads_log, reapply, record, site_geometry_hash
from ..core.screening.results import ScreeningResult, SiteError
from ..log import log_error

SCOPE = "lnrs_toolkit"
KEY = "overrides"
SIDECAR_SUFFIX = ".overrides.json"


def read_project_log(project: QgsProject) -> list[Override]:
    """The overrides kept in the project (an unreadable entry is logged and read as empty, never lost: it is only
    rewritten when the officer records a new decision)."""
    text, _ok = project.readEntry(SCOPE, KEY, "")
    try:
        return loads_log(str(text or ""))
    except LnrsError as exc:
        log_error(f"the overrides kept in the project cannot be read: {exc}")
        return []


def write_project_log(project: QgsProject, log: Sequence[Override]) -> None:
    project.writeEntry(SCOPE, KEY, dumps_log(log))


def sidecar_path(report_path: str) -> Path:
    """``report.pdf`` -> ``report.pdf.overrides.json`` (beside the report, named after it)."""
    return Path(report_path).with_name(Path(report_path).name + SIDECAR_SUFFIX)


class OverrideKeeper:
    """The log of overrides of the project, and what it says about the results on show."""

    def __init__(self, project: QgsProject | None = None) -> None:
        self._project = project
        self.log: list[Override] = []
        self.hashes: dict[int, str] = {}  # a result's index -> its site's geometry hash
        self.active: list[Override] = []
        self.for_review: list[Override] = []

    def project(self) -> QgsProject:
        return self._project or QgsProject.instance()

    def load(self, results: Sequence[ScreeningResult | SiteError],
             geometry_of: Callable[[ScreeningResult | SiteError], Any]) -> None:
        """Read the project's log and reapply it to ``results`` (``geometry_of(result)`` is the site checked)."""
        self.log = read_project_log(self.project())
        self.hashes = {r.index: site_geometry_hash(geometry_of(r)) for r in results}
        self.active, self.for_review = [], []
        for r in results:
            found: Reapplied = reapply(self.log, r, self.hashes.get(r.index, ""))
            self.active += found.active
            self.for_review += found.for_review

    def clear(self) -> None:
        self.hashes, self.active, self.for_review = {}, [], []

    def keep(self, override: Override) -> None:
        """Record a decision (a new override, or one withdrawn) in the log and the project; it settles any review
        of the same finding."""
        self.log = record(read_project_log(self.project()), override)
        finding = (override.site_ref, override.layer, override.fid)
        self.active = [o for o in self.active if (o.site_ref, o.layer, o.fid) != finding]
        self.for_review = [o for o in self.for_review if (o.site_ref, o.layer, o.fid) != finding]
        if not override.withdrawn:
            self.active.append(override)
        write_project_log(self.project(), self.log)

    def write_sidecar(self, report_path: str, results: Sequence[ScreeningResult | SiteError]) -> str:
        """The log of the reported sites beside the report (nothing when they have none); returns an error sentence
        or ""."""
        sites = {(r.site_ref, self.hashes.get(r.index, "")) for r in results}
        mine = [o for o in self.log if (o.site_ref, o.geometry_hash) in sites]
        if not mine:
            return ""
        path = sidecar_path(report_path)
        try:
            write_text_atomic(path, dumps_log(mine))
        except OSError as exc:
            return f"The overrides could not be written beside the report to {path}: {exc.strerror or exc}"
        return ""
