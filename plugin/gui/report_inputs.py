"""What the dock's reports need besides the results: the report's facts (officer from the plugin settings, local
time, the pack's authority and metadata), each site's facts (address, grid reference, transformation), the JSON
payload with the site geometry, and the map drawn as a PNG image for the HTML report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QSize
from qgis.PyQt.QtGui import QColor
from shapely.geometry import mapping

from ..__about__ import __version__
from ..core.reports.report_content import ReportFacts, SiteFacts, authority_of, local_time_words, site_grid_reference
from ..core.screening.overrides import Override, result_payload
from ..core.screening.results import ScreeningResult, SiteError
from .dock_context import DockContext
from .map_highlight import pack_crs

Result = ScreeningResult | SiteError


def pack_metadata(context: DockContext) -> dict[str, str]:
    """The loaded pack's metadata pairs (also while a large pack loads)."""
    if context.index is not None:
        return dict(context.index.pack.metadata.as_pairs())
    if context.windowed is not None:
        return dict(context.windowed.outline.metadata.as_pairs())
    return {}


def report_facts(context: DockContext, moment: datetime | None = None) -> ReportFacts:
    """The officer's name as set in the plugin settings (never the login name), the local date and time."""
    meta = pack_metadata(context)
    return ReportFacts(officer=context.settings.officer_name.strip(),
                       generated=local_time_words(moment or datetime.now().astimezone()),
                       authority=authority_of(meta), metadata=tuple(meta.items()),
                       tool=f"LNRS Toolkit {__version__}")


def site_facts(result: Result, site: Any, geometry: Any) -> SiteFacts:
    """``site`` is the :class:`.site_sources.Site` checked (its address when it came with one)."""
    transform = getattr(result, "transform", None)
    words = transform.citation() if transform is not None and hasattr(transform, "citation") else ""
    return SiteFacts(address=str(getattr(site, "address", "") or ""), grid_reference=site_grid_reference(geometry),
                     transform=words)


def site_geometry_json(geometry: Any) -> dict[str, Any] | None:
    """GeoJSON of the site as screened (EPSG:27700, full precision)."""
    if geometry is None:
        return None
    data = dict(mapping(geometry))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    return data


def json_payload(result: Result, overrides: Sequence[Override], for_review: Sequence[Override], geometry: Any,
                 facts: ReportFacts, generated_at: str) -> dict[str, Any]:
    """One site's JSON: the result, its overrides, the site geometry, who exported it and when."""
    data = result_payload(result, overrides, for_review)
    if data.get("site_geometry") is None:
        data["site_geometry"] = site_geometry_json(geometry)
    data["report"] = {"officer": facts.officer, "generated_at": generated_at, "generated": facts.generated,
                      "tool": facts.tool}
    return data


def map_png(layers: Sequence[Any], bounds: tuple[float, float, float, float], size: tuple[int, int] = (900, 700)
            ) -> bytes:
    """The layers drawn over ``bounds`` (EPSG:27700) as a PNG (for the HTML report)."""
    settings = QgsMapSettings()
    settings.setDestinationCrs(pack_crs())
    settings.setLayers([lyr for lyr in layers if lyr is not None])
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor("white"))
    settings.setExtent(QgsRectangle(*bounds))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    job.renderedImage().save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())
