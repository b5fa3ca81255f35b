"""What every LNRS Toolkit Processing algorithm shares: translation, a fresh instance, its group."""

from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

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
