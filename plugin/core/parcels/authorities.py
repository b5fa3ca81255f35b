"""The local planning authority boundaries parcels are split by: the ones the user gives, else the pack's own
``lpa_boundaries`` table (added by ``lnrs:addtohabitatmap`` from a planning.data.gov.uk
``local-planning-authority`` download), said in a note so every front logs which were used."""

from __future__ import annotations

from collections.abc import Sequence

import shapely
from shapely.geometry.base import BaseGeometry

from ..pack.model import PackData
from ..pack.schema import LPA_BOUNDARIES

Authorities = Sequence[tuple[str, BaseGeometry]]
#: Authorities named in the note, at most.
_NAMED = 5


def pack_authorities(pack: PackData) -> list[tuple[str, BaseGeometry]]:
    """(name, polygon) of every authority in the pack's ``lpa_boundaries`` table (name, else its code, else
    ``LPA <fid>``), in table order; none when the pack has no such table."""
    layer = pack.layer(LPA_BOUNDARIES.name)
    if layer is None or layer.geoms is None:
        return []
    names, refs = layer.columns["name"], layer.columns["ref"]
    out = []
    for i, geom in enumerate(layer.geoms):
        if geom is None or shapely.is_empty(geom):
            continue
        label = str(names[i] or "").strip() or str(refs[i] or "").strip() or f"LPA {int(layer.fids[i])}"
        out.append((label, geom))
    return out


def authorities_to_use(pack: PackData, given: Authorities | None) -> tuple[Authorities, str | None]:
    """The authorities to split by and the note saying where they came from (None when the user gave them,
    or when neither the user nor the pack has any)."""
    if given is not None:
        return given, None
    own = pack_authorities(pack)
    if not own:
        return (), None
    names = [name for name, _ in own]
    shown = ", ".join(names[:_NAMED]) + (f" and {len(names) - _NAMED} more" if len(names) > _NAMED else "")
    return own, (f"Local planning authority boundaries: no LPA_BOUNDARIES layer was given, so the pack's own "
                 f"'{LPA_BOUNDARIES.name}' table was used ({len(own)} authorit{'y' if len(own) == 1 else 'ies'}: "
                 f"{shown}).")
