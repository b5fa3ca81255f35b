"""A demonstration site on the demo pack, screened in the dock (for screenshots and the desktop probe)."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import box

from ..core.screening.engine import PackIndex

DEMO_REF = "DEMO/0001/FUL"
DEMO_HABITAT = "Woodland and forest"


def demo_site(index: PackIndex, half_width_m: float = 90.0) -> Any | None:
    """A square site straddling the edge of an ancient woodland where an opportunity area is mapped.

    Falls back to any ancient woodland edge, then to the middle of the first opportunity area.
    """
    aw, opp = index.irreplaceable, index.opportunity
    if aw is not None and opp is not None:
        for k in range(len(aw.geoms)):
            near = aw.geoms[k].buffer(60.0)
            for j in opp.tree.query(near, predicate="intersects"):
                meeting = shapely.intersection(near, opp.geoms[int(j)])
                if meeting.is_empty:
                    continue
                edge = shapely.intersection(aw.geoms[k].boundary, meeting.buffer(1.0))
                p = (edge if not edge.is_empty else meeting).representative_point()
                return box(p.x - half_width_m, p.y - half_width_m, p.x + half_width_m, p.y + half_width_m)
    for li in (aw, opp):
        if li is not None and len(li.geoms):
            p = li.geoms[0].boundary.representative_point()
            return box(p.x - half_width_m, p.y - half_width_m, p.x + half_width_m, p.y + half_width_m)
    return None


def screen_demo_site(dock: Any, pack_path: str, pdf_path: str = "",
                     window_size: tuple[int, int] | None = None) -> dict[str, Any]:
    """Load ``pack_path`` into ``dock``, screen the demo site synchronously and show the result."""
    from .site_sources import Site

    if dock.pack_path != pack_path and not dock.set_pack_path(pack_path):
        return {"error": dock.last_message}
    site = demo_site(dock.index)
    if site is None:
        return {"error": "the demo pack has no ancient woodland or opportunity area"}
    site_panel, results_panel = dock.site_panel, dock.results_panel
    site_panel.set_sites([Site(DEMO_REF, site)])
    site_panel.ref_edit.setText(DEMO_REF)
    site_panel.habitat_combo.setEditText(DEMO_HABITAT)
    main = dock.parentWidget()
    if main is not None and hasattr(main, "resizeDocks"):
        from qgis.PyQt.QtCore import Qt

        if window_size is not None:
            main.resize(*window_size)
        main.resizeDocks([dock], [470], Qt.Orientation.Horizontal)
    site_panel.check(synchronous=True)
    result = results_panel.current_result()
    if result is None:
        return {"error": dock.last_message}
    view = results_panel.results_view
    items = view.finding_items()
    if items:
        view.tree.setCurrentItem(items[0])
    report: dict[str, Any] = {"site_ref": result.site_ref, "verdict": getattr(result, "verdict", None),
                              "measures": list(getattr(result, "measure_codes", ()))}
    if pdf_path:
        report["pdf"] = results_panel.export_pdf(pdf_path) or dock.last_message
        dock.message_bar.clearWidgets()
    return report
