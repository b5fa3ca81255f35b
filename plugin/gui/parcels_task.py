"""Parcel significance in the background: a QgsTask around :func:`..adapters.parcel_layers.assess_parcel_layers`."""

from __future__ import annotations

import traceback
from collections.abc import Callable

from qgis.core import QgsCoordinateTransformContext, QgsTask

from ..adapters.parcel_layers import ParcelRequest, ParcelRun, assess_parcel_layers
from ..core.errors import LnrsError
from ..core.pack_store import Cancelled
from ..core.screening import PackIndex
from ..log import log_error


class ParcelsTask(QgsTask):
    """Runs the parcel engine off the main thread; ``on_done(run, error, cancelled)`` runs on the main thread."""

    def __init__(self, description: str, index: PackIndex, request: ParcelRequest,
                 context: QgsCoordinateTransformContext,
                 on_done: Callable[[ParcelRun | None, str, bool], None]) -> None:
        super().__init__(description, QgsTask.CanCancel)
        self.index = index
        self.request = request
        self.context = QgsCoordinateTransformContext(context)
        self.on_done = on_done
        self.run_result: ParcelRun | None = None
        self.error = ""

    def run(self) -> bool:
        try:
            self.run_result = assess_parcel_layers(self.index, self.request, self.context,
                                                   is_cancelled=self.isCanceled, progress=self.setProgress)
        except Cancelled:
            return False
        except LnrsError as exc:
            self.error = str(exc)
            return False
        except Exception:  # noqa: BLE001 - the user gets a sentence; the traceback goes to the log
            log_error(traceback.format_exc())
            self.error = ("the parcels could not be assessed because of an unexpected error; the details are in the "
                          "LNRS Toolkit tab of the message log.")
            return False
        return not self.isCanceled()

    def finished(self, result: bool) -> None:
        cancelled = self.isCanceled()
        run, self.run_result = self.run_result, None
        self.request = None  # type: ignore[assignment]  # releases the layers' feature sources
        self.on_done(run if result and not cancelled else None, self.error, cancelled)
