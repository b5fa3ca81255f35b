"""``lnrs:addtohabitatmap`` without field mapping: recognised national datasets, LNRS opportunity maps in their
published shapes, and whole downloads (folder, .zip, multi-layer GeoPackage) in one atomic write."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from qgis.core import Qgis
from qgis.PyQt.QtCore import QCoreApplication

from ..adapters.dataset_bundle import BundleLayer
from ..adapters.layer_rows import LayerRows, read_layer_rows, refuse_json_fields
from ..core.errors import InputError
from ..core.metric.habitats import default_table
from ..core.pack.builder import FieldMapping, MappedRows, map_rows, repair_geometries
from ..core.pack.gpkg import open_readonly, read_metadata_pairs
from ..core.pack.layer_plan import (
    LNRS_CATALOGUE,
    LNRS_OPPORTUNITY,
    LayerPlan,
    not_recognised_sentence,
    opportunity_plan,
    plan_layer,
)
from ..core.pack.opportunity_shapes import CODE_LIKE_NAME
from ..core.pack.store import BuildReport, Cancelled, add_many


def tr(message: str) -> str:
    return str(QCoreApplication.translate("RecognisedInput", message))


@dataclass
class Outcome:
    """What one run did, for the algorithm's outputs."""

    reports: list[BuildReport] = field(default_factory=list)
    recognised: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    repaired: int = 0
    dropped: int = 0
    end_dated: int = 0


@dataclass(frozen=True)
class OpportunityInput:
    """What the user said about an opportunity layer (all optional)."""

    base: FieldMapping
    table: tuple[str, Any] | None = None  # (name, QgsFeatureSource) of an area -> measures table
    area_field: str = ""


def _read(source: Any, name: str, context: Any, feedback: Any) -> tuple[LayerRows, Any, int, int]:
    spatial = source.wkbType() != Qgis.WkbType.NoGeometry
    data = read_layer_rows(source, name=name, spatial=spatial, transform_context=context.transformContext(),
                           is_cancelled=feedback.isCanceled)
    geoms, repaired, dropped = data.geoms, 0, 0
    if geoms is not None and data.geometry_kind == "polygon":
        geoms, repaired, dropped = repair_geometries(geoms, polygonal=True)
        if repaired:
            feedback.pushWarning(tr("Repaired {0} invalid geometries in '{1}'.").format(repaired, name))
        if dropped:
            feedback.pushWarning(tr("Dropped {0} features of '{1}' with no usable geometry.").format(dropped, name))
    return data, geoms, repaired, dropped


def _kept(data: LayerRows, geoms: Any) -> tuple[list[dict[str, Any]], Any]:
    if geoms is None:
        return data.rows, None
    keep = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    return [r for r, k in zip(data.rows, keep) if k], geoms[keep]


def plan_source(source: Any, name: str, context: Any, feedback: Any, opportunity: OpportunityInput | None = None
                ) -> tuple[LayerPlan | None, LayerRows, int, int]:
    """Read one layer and plan it (recognised, or as an opportunity map when ``opportunity`` is given)."""
    data, geoms, repaired, dropped = _read(source, name, context, feedback)
    # a field named like a measure code may be a flag column: read as nulls it would flag nothing
    refuse_json_fields(data, [f for f in data.json_fields if CODE_LIKE_NAME.match(f)])
    rows, geoms = _kept(data, geoms)
    plan: LayerPlan | None
    if opportunity is not None:
        table = None
        if opportunity.table is not None:
            table_name, table_source = opportunity.table
            table_data = read_layer_rows(table_source, name=table_name, spatial=False,
                                         is_cancelled=feedback.isCanceled)
            refuse_json_fields(table_data, table_data.fields)  # every column of an area -> measures table counts
            table = (table_name, table_data.rows, table_data.fields)
        plan = opportunity_plan(name, rows, geoms, data.fields, opportunity.base.measures_field,
                                opportunity.base.measures_separator, table, opportunity.area_field, opportunity.base)
    else:
        plan = plan_layer(name, rows, geoms, data.fields, data.geometry_kind)
    if plan is not None:
        refuse_json_fields(data, plan.mapping.fields_used().values())
    return plan, data, repaired, dropped


def map_plan(plan: LayerPlan, geometry_kind: str | None) -> MappedRows:
    return map_rows(plan.role, plan.rows, plan.geoms, plan.mapping, plan.source, plan.fields, geometry_kind,
                    habitat_table=default_table())


#: Pack metadata key prefix recording which source each recognised national dataset came from.
DATASET_SOURCE_PREFIX = "dataset_source:"


def _pack_metadata(pack: Path) -> dict[str, str]:
    if not pack.exists():
        return {}
    conn = open_readonly(pack)
    try:
        return read_metadata_pairs(conn)
    finally:
        conn.close()


def _with_provenance(existing: dict[str, str], plan: LayerPlan, rows: MappedRows, feedback: Any) -> MappedRows:
    """Record the source of a national dataset; a later download of it under another name replaces the earlier."""
    if plan.dataset in (LNRS_OPPORTUNITY, LNRS_CATALOGUE):
        return rows
    key = DATASET_SOURCE_PREFIX + plan.dataset
    earlier = existing.get(key, "")
    replaces: tuple[str, ...] = ()
    if earlier and earlier != plan.source:
        replaces = (earlier,)
        feedback.pushWarning(tr("'{0}' is {1}, which the pack already holds from '{2}': its rows replace those of "
                                "'{2}' (an earlier download of the same dataset).").format(
            plan.source, plan.title, earlier))
    return replace(rows, metadata={**rows.metadata, key: plan.source}, replaces=replaces)


def _duplicates(plans: Sequence[LayerPlan]) -> None:
    seen: dict[str, str] = {}
    for plan in plans:
        if plan.dataset == LNRS_OPPORTUNITY:
            continue
        if plan.dataset in seen:
            raise InputError(tr("'{0}' and '{1}' are both {2}: two downloads of the same dataset. Keep one and run "
                                "again; nothing was written.").format(seen[plan.dataset], plan.source, plan.title))
        seen[plan.dataset] = plan.source


def add_layers(pack: Path, layers: Sequence[BundleLayer], context: Any, feedback: Any, metadata: dict[str, str],
               whole_download: bool, is_cancelled: Callable[[], bool]) -> Outcome:
    """Plan every layer, refuse bad input naming the file, then write every recognised layer at once."""
    outcome = Outcome()
    plans: list[tuple[LayerPlan, str | None]] = []
    crss: dict[str, list[str]] = {}
    for n, item in enumerate(layers):
        feedback.setProgress(60.0 * n / max(len(layers), 1))
        if is_cancelled():
            raise Cancelled
        plan, data, repaired, dropped = plan_source(item.layer, item.name, context, feedback)
        if plan is None:
            if not whole_download:
                raise InputError(not_recognised_sentence(item.name, data.fields))
            outcome.skipped.append(tr("{0}: not a recognised dataset (fields: {1})").format(
                item.name, ", ".join(data.fields) or tr("none")))
            continue
        if data.source_crs and data.geoms is not None:
            crss.setdefault(data.source_crs, []).append(item.name)
        outcome.repaired += repaired
        outcome.dropped += dropped
        outcome.end_dated += plan.end_dated
        for line in plan.log:
            feedback.pushInfo(line)
        plans.append((plan, data.geometry_kind))
        outcome.recognised.append(f"{item.name}: {plan.title}")
    _duplicates([p for p, _ in plans])
    if len(crss) > 1:
        feedback.pushWarning(tr("The layers are in different coordinate reference systems ({0}); each was "
                                "reprojected to EPSG:27700 from its own.").format(
            "; ".join(f"{crs}: {', '.join(names)}" for crs, names in sorted(crss.items()))))
    for line in outcome.skipped:
        feedback.pushWarning(tr("Skipped {0}.").format(line))
    if not plans:
        raise InputError(tr("Nothing in '{0}' is a recognised dataset; nothing was written. Add the layers one by "
                            "one with their ROLE and *_FIELD parameters.").format(
            Path(layers[0].name).parts[0] if layers else ""))
    existing = _pack_metadata(pack)
    mapped = [_with_provenance(existing, plan, map_plan(plan, kind), feedback) for plan, kind in plans]
    for rows in mapped:
        for note in rows.notes:
            feedback.pushWarning(note)
    outcome.reports = add_many(pack, mapped, metadata, is_cancelled=is_cancelled)
    for report in outcome.reports:
        feedback.pushInfo(tr("{0} rows added to '{1}', which now holds {2} rows.").format(
            report.rows_added, report.table, report.rows_in_table))
    return outcome
