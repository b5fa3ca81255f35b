"""A survey checked in the background: a :class:`.background_task.BackgroundTask` around
:func:`..adapters.defra_file.run_defra_file` (the engine entry point of ``lnrs_cli.py parcels`` and
``lnrs:parcelsignificance`` with GEOPACKAGE) for a Defra GeoPackage, or
:func:`..adapters.project_survey.run_survey` for survey layers of the project; both answer a
:class:`..adapters.defra_file.DefraRun`."""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import QgsCoordinateTransformContext

from ..adapters.defra_file import DefraRun, run_defra_file
from ..adapters.parcel_layers import LayerInput, read_lpas
from ..adapters.project_survey import SurveyRequest, run_survey
from ..core.screening.engine import PackIndex
from .background_task import BackgroundTask


def parcels_task(description: str, index: PackIndex, source: str | SurveyRequest, phase: str,
                 lpa: LayerInput | None, context: QgsCoordinateTransformContext,
                 on_done: Callable[[DefraRun | None, str, bool], None]) -> BackgroundTask:
    """A task that reads, checks and scores every module of ``source`` (the path of a GeoPackage, or the project
    layers of a :class:`..adapters.project_survey.SurveyRequest`) for ``phase``; ``on_done(run, error,
    cancelled)`` gets None when it did not finish. The layers' feature sources are released when the task
    finishes."""
    context = QgsCoordinateTransformContext(context)

    def work(is_cancelled: Callable[[], bool], progress: Callable[[float], None]) -> DefraRun:
        lpas = read_lpas(lpa, context, is_cancelled)
        if isinstance(source, SurveyRequest):
            return run_survey(index, source, lpas, context, is_cancelled, progress)
        return run_defra_file(index, source, phase, lpas, is_cancelled, progress)

    return BackgroundTask(description, work, on_done,
                          "the survey could not be checked because of an unexpected error; the details are in "
                          "the LNRS Toolkit tab of the message log.")
