"""Parcel significance in the background: a :class:`.background_task.BackgroundTask` around
:func:`..adapters.parcel_layers.assess_parcel_layers`."""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import QgsCoordinateTransformContext

from ..adapters.parcel_layers import ParcelRequest, ParcelRun, assess_parcel_layers
from ..core.screening.engine import PackIndex
from .background_task import BackgroundTask


def parcels_task(description: str, index: PackIndex, request: ParcelRequest, context: QgsCoordinateTransformContext,
                 on_done: Callable[[ParcelRun | None, str, bool], None]) -> BackgroundTask:
    """A task that assesses the parcels of ``request``; ``on_done(run, error, cancelled)`` gets None when it did
    not finish. The request (and its layers' feature sources) is released when the task finishes."""
    context = QgsCoordinateTransformContext(context)

    def work(is_cancelled: Callable[[], bool], progress: Callable[[float], None]) -> ParcelRun:
        return assess_parcel_layers(index, request, context, is_cancelled=is_cancelled, progress=progress)

    return BackgroundTask(description, work, on_done,
                          "the parcels could not be assessed because of an unexpected error; the details are in the "
                          "LNRS Toolkit tab of the message log.")
