"""Where the dock keeps the officers' overrides: the QGIS project (a custom entry, saved with the project) and a
small sidecar JSON beside each exported report. The matching and the log's format are the core's
(:mod:`..core.screening.overrides`); this module only reads and writes them.

Reading back: the project's log comes first. When the project holds no entry at all for a screened site (its
reference and geometry hash), for instance in a new project, the sidecars of the most recent exports (their paths
are remembered in the plugin settings, newest first, :data:`MAX_RECENT_SIDECARS` of them) are read, and the first
one that holds entries for the site gives them: they are copied into the project's log and reapplied like the
project's own (applied for the same pack content, flagged for review when the pack changed). A sidecar that is
gone or cannot be read is skipped. :meth:`OverrideKeeper.remember_sidecar` puts any sidecar first (the dock calls it
for each one it writes; no button opens one yet).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from qgis.core import QgsProject, QgsSettings

from ..__about__ import PLUGIN_SLUG
from ..core.errors import LnrsError
from ..core.reports.json_report import write_text_atomic
from ..core.screening.overrides import (
    Override,
    Reapplied,
    dumps_log,
    for_site_geometry,
    loads_log,
    reapply,
    record,
    site_geometry_hash,
)
from ..core.screening.results import ScreeningResult, SiteError
from ..log import log_error

SCOPE = "lnrs_toolkit"
KEY = "overrides"
SIDECAR_SUFFIX = ".overrides.json"
#: The plugin setting that remembers the sidecars last written or named, newest first.
RECENT_SIDECARS_KEY = f"{PLUGIN_SLUG}/recent_override_sidecars"
MAX_RECENT_SIDECARS = 20


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


def read_sidecar(path: str) -> list[Override]:
    """The log in a sidecar; a missing or unreadable one is read as empty (and logged when it exists)."""
    try:
        return loads_log(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, LnrsError) as exc:
        log_error(f"the overrides beside a report, {path}, cannot be read: {exc}")
        return []


def sidecar_path(report_path: str) -> Path:
    """``report.pdf`` -> ``report.pdf.overrides.json`` (beside the report, named after it)."""
    return Path(report_path).with_name(Path(report_path).name + SIDECAR_SUFFIX)


class OverrideKeeper:
    """The log of overrides of the project, and what it says about the results on show."""

    def __init__(self, project: QgsProject | None = None, settings_store: QgsSettings | None = None) -> None:
        self._project = project
        self._settings = settings_store
        self.log: list[Override] = []
        self.hashes: dict[int, str] = {}  # a result's index -> its site's geometry hash
        self.active: list[Override] = []
        self.for_review: list[Override] = []
        self.from_sidecar: list[Override] = []  # read back from a sidecar at the last load (not in the project)
        self.sidecar_sources: list[str] = []  # the sidecars they came from

    def project(self) -> QgsProject:
        return self._project or QgsProject.instance()

    def settings(self) -> QgsSettings:
        return self._settings if self._settings is not None else QgsSettings()

    def recent_sidecars(self) -> list[str]:
        raw = self.settings().value(RECENT_SIDECARS_KEY, [])
        paths = [raw] if isinstance(raw, str) else list(raw or [])
        return [str(p) for p in paths if str(p)]

    def remember_sidecar(self, path: str | Path) -> None:
        """Put a sidecar first among those read back."""
        text = str(Path(path).resolve())
        recent = [text, *(p for p in self.recent_sidecars() if p != text)][:MAX_RECENT_SIDECARS]
        self.settings().setValue(RECENT_SIDECARS_KEY, recent)

    def load(self, results: Sequence[ScreeningResult | SiteError],
             geometry_of: Callable[[ScreeningResult | SiteError], Any]) -> None:
        """Read the project's log, complete it from the sidecars for sites it knows nothing of, and reapply it to
        ``results`` (``geometry_of(result)`` is the site checked)."""
        self.log = read_project_log(self.project())
        self.hashes = {r.index: site_geometry_hash(geometry_of(r)) for r in results}
        self.active, self.for_review, self.from_sidecar, self.sidecar_sources = [], [], [], []
        self._read_back(results)
        for r in results:
            found: Reapplied = reapply(self.log, r, self.hashes.get(r.index, ""))
            self.active += found.active
            self.for_review += found.for_review

    def _read_back(self, results: Sequence[ScreeningResult | SiteError]) -> None:
        """The sidecars' entries for the screened sites the project's log has none for, copied into the log (and
        the project)."""
        unknown = {(r.site_ref, self.hashes.get(r.index, "")) for r in results if not isinstance(r, SiteError)}
        unknown = {(ref, h) for ref, h in unknown if h and not for_site_geometry(self.log, ref, h)}
        if not unknown:
            return
        for path in self.recent_sidecars():
            logged = read_sidecar(path)
            for ref, h in sorted(unknown):
                entries = for_site_geometry(logged, ref, h)
                if not entries:
                    continue
                unknown.discard((ref, h))
                for entry in entries:
                    self.log = record(self.log, entry)
                self.from_sidecar += entries
                if path not in self.sidecar_sources:
                    self.sidecar_sources.append(path)
            if not unknown:
                break
        if self.from_sidecar:
            write_project_log(self.project(), self.log)

    def clear(self) -> None:
        self.hashes, self.active, self.for_review = {}, [], []
        self.from_sidecar, self.sidecar_sources = [], []

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
        """The log of the reported sites beside the report (nothing when they have none), remembered to be read
        back; returns an error sentence or ""."""
        sites = {(r.site_ref, self.hashes.get(r.index, "")) for r in results}
        mine = [o for o in self.log if (o.site_ref, o.geometry_hash) in sites]
        if not mine:
            return ""
        path = sidecar_path(report_path)
        try:
            write_text_atomic(path, dumps_log(mine))
        except OSError as exc:
            return f"The overrides could not be written beside the report to {path}: {exc.strerror or exc}"
        self.remember_sidecar(path)
        return ""
