"""*Snap to the boundary*, the Problems list's offer to put a digitising slip right (issue 20, defect 7).

For an ``outside_strategy_area`` error or a ``gap`` warning chosen in the Problems list, the button snaps that
working-copy area's vertices onto the strategy boundary, or onto its neighbouring areas, within the snapping distance
(:mod:`..core.editing.boundary_snap`, which also says why an area too far out is not moved). The result is an
ordinary edit of the working layer (one entry of QGIS's undo history: Edit > Undo takes it back), and the changes are
checked again with the snapped shape, without saving the layer (which would empty the undo history).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import shapely
from qgis.core import Qgis, QgsFeatureRequest, QgsGeometry, QgsRectangle, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, QObject
from qgis.PyQt.QtWidgets import QHBoxLayout, QPushButton

from ..adapters.layer_rows import plain
from ..core.editing.boundary_snap import (
    NEIGHBOURS,
    SNAP_TARGETS,
    SNAP_TOLERANCE_M,
    SnapResult,
    snap_to_neighbours,
    snap_to_strategy_area,
    snapped_edits,
)
from ..core.editing.edits import as_multi
from ..core.editing.opportunity_feature import OpportunityFeature
from ..core.editing.validation_index import cached_index
from ..core.editing.validation_rules import OpportunityRules
from ..core.pack.schema import AREA
from .edit_issues import ROLE
from .edit_store import edits_report

translate = QCoreApplication.translate  # context "EditingPanel": these texts are the tab's


def snappable(issue: Any) -> bool:
    """A problem *Snap to the boundary* can put right: a rule it snaps for, on an area of the working layer."""
    return issue is not None and issue.rule in SNAP_TARGETS and str(issue.key).isdigit()


def _shape(geometry: QgsGeometry) -> Any:
    return shapely.from_wkb(bytes(geometry.asWkb()))


class SnapAction(QObject):
    """The *Snap to the boundary* button under the Problems list of the Edit map tab."""

    def __init__(self, panel: Any) -> None:  # the Edit map tab (not imported: it imports this module)
        super().__init__(panel)
        self.panel = panel
        box = panel.issues_box
        self.button = QPushButton(translate("EditingPanel", "S&nap to the boundary"), box)
        self.button.setObjectName("snapToBoundaryButton")
        self.button.clicked.connect(lambda: self.snap())
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.button)
        layout = box.layout()
        if layout is not None:
            layout.addLayout(row)
        panel.issues_list.currentItemChanged.connect(lambda *_a: self.update_state())
        self.update_state()

    def chosen(self) -> Any:
        item = self.panel.issues_list.currentItem()
        return item.data(ROLE) if item is not None else None

    def update_state(self) -> None:
        issue = self.chosen()
        panel = self.panel
        ready = panel.task is None and panel.working is not None and panel.layer is not None
        self.button.setEnabled(ready and snappable(issue))
        if snappable(issue) and SNAP_TARGETS[issue.rule] == NEIGHBOURS:
            self.button.setToolTip(translate("EditingPanel", "Snap the chosen area's vertices onto the neighbouring "
                                                             "area's boundary, closing the gap (Edit > Undo takes it "
                                                             "back)"))
        else:
            self.button.setToolTip(translate("EditingPanel", "For a problem 'outside the strategy area' or 'narrow "
                                                             "gap': snap the area's vertices onto the strategy "
                                                             "boundary or its neighbour, within {0:g} m (Edit > Undo "
                                                             "takes it back)").format(SNAP_TOLERANCE_M))

    # ------------------------------------------------------------------ the snap
    def snap(self, issue: Any = None) -> bool:
        """Snap the area of ``issue`` (the chosen problem by default) and check the changes again; True when it
        was snapped (in the background: when the snap started)."""
        panel = self.panel
        issue = issue if issue is not None else self.chosen()
        if not snappable(issue):
            panel.show_error(translate("EditingPanel", "Choose a problem 'outside the strategy area' or 'narrow gap' "
                                                       "in the Problems list first."))
            return False
        layer, source = panel.layer, panel.source
        if layer is None or panel.working is None or source is None:
            panel.show_error(translate("EditingPanel", "Start editing first."))
            return False
        if panel.task is not None:
            panel.show_message(translate("EditingPanel", "The map is being read or saved; snap again when it has "
                                                         "finished."), Qgis.MessageLevel.Warning)
            return False
        fid = int(issue.key)
        feature = layer.getFeature(fid)
        if not feature.isValid() or not feature.hasGeometry():
            panel.show_error(translate("EditingPanel", "{0} is no longer in the working layer; check the changes "
                                                       "again.").format(issue.feature))
            return False
        before = bytes(feature.geometry().asWkb())
        geometry = _shape(feature.geometry())
        target = SNAP_TARGETS[issue.rule]
        neighbours = []
        if target == NEIGHBOURS:  # the issue's location is the shortest line across the gap
            gap = float(shapely.length(issue.location)) if issue.location is not None else 0.0
            neighbours = self._neighbours(layer, fid, geometry, max(SNAP_TOLERANCE_M, gap) + 1.0)
        state = self._state(feature, geometry)
        pending, label = list(panel.pending), issue.feature or state.label()
        result: list[bool] = []

        def work() -> tuple[SnapResult, Any]:
            pack = panel.packs.get(source).pack
            rules = OpportunityRules.from_pack(pack)
            if target == NEIGHBOURS:
                snap = snap_to_neighbours(geometry, neighbours, label, max(SNAP_TOLERANCE_M, rules.max_gap_m))
            else:
                area = cached_index(pack, AREA.name)
                snap = snap_to_strategy_area(geometry, area.geoms if area is not None else [], label,
                                             SNAP_TOLERANCE_M, rules)
            if not snap.changed:
                return snap, None
            edits = snapped_edits(pending, dataclasses.replace(state, geometry=as_multi(snap.geometry)))
            return snap, edits_report(edits, pack)  # the check again, with the snapped shape

        def done(answer: Any, error: BaseException | None) -> None:
            panel.task = None
            if error is not None:
                panel._engine_error(translate("EditingPanel", "The area could not be snapped"), error)
                result.append(False)
            else:
                result.append(self._apply(layer, fid, before, *answer))
            panel._update_buttons()

        panel._run(translate("EditingPanel", "LNRS: snap to the boundary"), work, done)
        return bool(result and result[0]) if panel.synchronous else True

    @staticmethod
    def _neighbours(layer: QgsVectorLayer, fid: int, geometry: Any, reach: float) -> list[Any]:
        """The other areas of the working layer within ``reach`` of the area's bounding box (with the edits not
        yet saved into the working copy)."""
        x0, y0, x1, y1 = shapely.bounds(geometry).tolist()
        request = QgsFeatureRequest().setFilterRect(QgsRectangle(x0 - reach, y0 - reach, x1 + reach, y1 + reach))
        request.setNoAttributes()
        return [_shape(f.geometry()) for f in layer.getFeatures(request) if f.id() != fid and f.hasGeometry()]

    @staticmethod
    def _state(feature: Any, geometry: Any) -> OpportunityFeature:
        """The area as the layer has it now, as the edit engine reads it."""
        def text(name: str) -> str:
            value = plain(feature.attribute(name)) if feature.fieldNameIndex(name) >= 0 else None
            return "" if value is None else str(value)

        pack_fid = plain(feature.attribute("pack_fid")) if feature.fieldNameIndex("pack_fid") >= 0 else None
        return OpportunityFeature(None if pack_fid is None else int(pack_fid), text("measures"), as_multi(geometry),
                                  text("name"), text("ref"), str(feature.id()))

    def _apply(self, layer: QgsVectorLayer, fid: int, before: bytes, snap: SnapResult, report: Any) -> bool:
        """Change the area's geometry in one undoable edit, list the problems found again and say what was done."""
        panel = self.panel
        if not snap.changed or snap.geometry is None:
            panel.show_message(snap.message, Qgis.MessageLevel.Warning)
            return False
        current = layer.getFeature(fid) if panel.layer is layer else None
        if current is None or not current.isValid() or bytes(current.geometry().asWkb()) != before:
            panel.show_error(translate("EditingPanel", "The area changed while it was being snapped, so it was left as "
                                                       "it is; snap it again."))
            return False
        if not layer.isEditable() and not layer.startEditing():
            panel.show_error(translate("EditingPanel", "The working layer cannot be put in edit mode, so the area "
                                                       "was not snapped."))
            return False
        geometry = QgsGeometry()
        geometry.fromWkb(shapely.to_wkb(as_multi(snap.geometry), output_dimension=2))
        layer.beginEditCommand(translate("EditingPanel", "Snap to the boundary"))
        if not layer.changeGeometry(fid, geometry):
            layer.destroyEditCommand()
            panel.show_error(translate("EditingPanel", "QGIS did not accept the snapped shape, so the area was not "
                                                       "changed."))
            return False
        layer.endEditCommand()
        layer.triggerRepaint()
        panel.set_issues(report.issues, report.notes)
        panel.refresh()
        checked = (translate("EditingPanel", "Checked again: your changes pass every check.") if report.ok else
                   translate("EditingPanel", "Checked again: {0} problem(s) still to fix in the Problems "
                                             "list.").format(len(report.errors)))
        panel.show_message(" ".join((snap.message, checked, translate(
            "EditingPanel", "Edit > Undo (Ctrl+Z) takes the snap back."))), Qgis.MessageLevel.Success)
        return True
