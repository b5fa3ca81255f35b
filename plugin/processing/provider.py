"""The ``lnrs`` Processing provider."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..__about__ import PROVIDER_ID, __icon_path__, __version__


def algorithm_classes() -> list[type]:
    """Every algorithm class the provider offers (imported lazily)."""
    from .alg_add_to_habitat_map import AddToHabitatMapAlgorithm
    from .alg_compare_versions import CompareVersionsAlgorithm
    from .alg_parcel_significance import ParcelSignificanceAlgorithm
    from .alg_publish_pack_to_postgis import PublishPackToPostgisAlgorithm
    from .alg_publish_version import PublishVersionAlgorithm
    from .alg_screen_sites import ScreenSitesAlgorithm
    from .alg_setup_postgis_roles import SetupPostgisRolesAlgorithm
    from .alg_validate_opportunities import ValidateOpportunitiesAlgorithm

    classes: list[type] = [AddToHabitatMapAlgorithm, ScreenSitesAlgorithm, ParcelSignificanceAlgorithm,
                           ValidateOpportunitiesAlgorithm, PublishVersionAlgorithm, CompareVersionsAlgorithm,
                           SetupPostgisRolesAlgorithm, PublishPackToPostgisAlgorithm]
    return classes


class LnrsProvider(QgsProcessingProvider):
    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return QCoreApplication.translate("LnrsProvider", "LNRS Toolkit")

    def longName(self) -> str:  # noqa: N802
        return f"{self.name()} {__version__}"

    def icon(self) -> QIcon:
        return QIcon(str(__icon_path__))

    def loadAlgorithms(self) -> None:  # noqa: N802
        for cls in algorithm_classes():
            self.addAlgorithm(cls())
