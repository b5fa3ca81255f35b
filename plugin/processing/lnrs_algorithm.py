"""What every LNRS Toolkit Processing algorithm shares: translation, a fresh instance, its group."""

from __future__ import annotations

import os
from typing import Any

from qgis.core import (
    QgsMapLayer,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingUtils,
    QgsProperty,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..adapters.ogr_sites import network_source, remote_refusal
from ..core.errors import LnrsError
from ..core.reports.output_guard import check_output
from ..core.screening.options import checked_number

#: group id -> group name (translated when asked for)
GROUPS = {
    "screening": QT_TRANSLATE_NOOP("LnrsAlgorithm", "Screening"),
    "packs": QT_TRANSLATE_NOOP("LnrsAlgorithm", "Local Habitat Map packs"),
}


class LnrsAlgorithm(QgsProcessingAlgorithm):
    """Base of the ``lnrs`` algorithms: a subclass sets ``GROUP_ID`` and its own name, texts and parameters.

    ``self.tr("...")`` translates in the context of the subclass's name, which is the context pylupdate5
    gives the strings it finds in that class.
    """

    GROUP_ID = "screening"

    def tr(self, text: str) -> str:
        return str(QCoreApplication.translate(type(self).__name__, text))

    def createInstance(self) -> LnrsAlgorithm:  # noqa: N802
        return type(self)()

    def group(self) -> str:
        return str(QCoreApplication.translate("LnrsAlgorithm", GROUPS[self.GROUP_ID]))

    def groupId(self) -> str:  # noqa: N802
        return self.GROUP_ID

    def number(self, parameters: dict[str, Any], name: str, context: Any, low: float, high: float,
               integer: bool = False) -> float:
        """Parameter ``name`` as a finite number in ``[low, high]`` (whole when ``integer``), or a sentence.

        QGIS lets ``nan`` through a number parameter's range check and rounds ``2.7`` for an integer one;
        here the value as given is checked instead.
        """
        raw = parameters.get(name)
        if raw is None or isinstance(raw, str) and not raw.strip():
            raw = self.parameterAsDouble(parameters, name, context)
        elif not isinstance(raw, (int, float, str)):
            raw = self.parameterAsDouble(parameters, name, context)  # an expression or property: QGIS evaluates
        try:
            return checked_number(raw, name, low, high, integer)
        except LnrsError as exc:
            raise QgsProcessingException(str(exc)) from exc

    def layer_path(self, parameters: dict[str, Any], name: str, context: Any) -> str | None:
        """The file behind the vector layer parameter ``name`` (None when unset or not a file)."""
        if parameters.get(name) in (None, ""):
            return None
        layer = self.parameterAsVectorLayer(parameters, name, context)
        return None if layer is None else str(layer.source())

    def refuse_clobbering(self, parameters: dict[str, Any], context: Any, outputs: tuple[str, ...],
                          inputs: dict[str, str | None]) -> None:
        """Refuse, before anything is written, an output that is (or links to) the pack or an input."""
        for name in outputs:
            definition = self.parameterDefinition(name)
            if definition is None or parameters.get(name) in (None, ""):
                continue
            if definition.type() == "fileDestination":
                dest = self.parameterAsFileOutput(parameters, name, context)
            else:
                dest = self.parameterAsOutputLayer(parameters, name, context)
            try:
                check_output(dest, inputs)
            except LnrsError as exc:
                raise QgsProcessingException(f"{name}: {exc}") from exc

    #: Layer and file parameters that must be local (sites, parcels): refused when they come over the network.
    LOCAL_INPUTS: tuple[str, ...] = ()

    def checkParameterValues(self, parameters: dict[str, Any], context: Any) -> tuple[bool, str]:  # noqa: N802
        """Refuse a network input here, before Processing opens any layer (it opens them to compare their CRS)."""
        for name in self.LOCAL_INPUTS:
            refusal = self.network_refusal(parameters, name, context)
            if refusal is not None:
                return False, refusal
        ok, message = super().checkParameterValues(parameters, context)
        return bool(ok), str(message)

    def refuse_network_layer(self, parameters: dict[str, Any], name: str, context: Any) -> None:
        refusal = self.network_refusal(parameters, name, context)
        if refusal is not None:
            raise QgsProcessingException(refusal)

    def network_refusal(self, parameters: dict[str, Any], name: str, context: Any) -> str | None:
        """Why the layer parameter ``name`` cannot be read (its features come over the network: a URL, a web
        service, a VRT), judged before anything opens it, or None: the command line's rule for a sites file
        (:func:`..adapters.ogr_sites.network_source`)."""
        raw = parameters.get(name)
        if isinstance(raw, QgsProcessingFeatureSourceDefinition):
            raw = raw.source
        if isinstance(raw, QgsProperty):
            raw = raw.staticValue()
        if raw is None or raw == "":
            return None
        layer = raw if isinstance(raw, QgsMapLayer) else QgsProcessingUtils.mapLayerFromString(str(raw), context,
                                                                                                False)
        if layer is not None:
            provider, source = layer.providerType(), layer.source()
            driver = layer.dataProvider().storageType() if provider == "ogr" and layer.dataProvider() else ""
        else:  # a path QGIS has not opened yet
            provider, source = "ogr", str(raw)
            driver = "" if network_source(source) else _driver_of(source)
        if network_source(source, provider, driver):
            return f"{name}: {remote_refusal(self.tr('The layer'), source)}"
        return None


def _driver_of(source: str) -> str:
    """The GDAL driver that would open the local file ``source`` (identified from its first bytes, nothing fetched)."""
    path = source.split("|", 1)[0].strip()
    if not os.path.isfile(path):
        return ""
    from osgeo import gdal

    try:
        driver = gdal.IdentifyDriverEx(path, gdal.OF_VECTOR)
    except RuntimeError:
        return ""
    return str(driver.ShortName) if driver is not None else ""
