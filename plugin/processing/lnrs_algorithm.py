"""What every LNRS Toolkit Processing algorithm shares: translation, a fresh instance, its group."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ..core.errors import LnrsError
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
