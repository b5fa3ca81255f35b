"""Shape measures the opportunity-area checks use (:mod:`.validation`): thin spikes, digitising tolerance at the
strategy boundary, overlap counted once.

- :func:`thin_spikes`: a part can be wide on average and still carry a long thin spike (a 300 m x 0.5 m strip
  on a field), which the average width 2 x area / perimeter misses. A morphological opening (shrink by half the
  minimum width, grow back) removes every strip narrower than that width; what it removes, when it is long
  (at least :data:`SPIKE_LENGTH_FACTOR` x the minimum width, and at least the minimum width squared in area),
  is a spike. Corner tips removed by the opening are
  short and never count.
- :func:`beyond_tolerance`: the part of a polygon outside the strategy area, ignoring strips narrower than the
  distance tolerance (a boundary digitised 1 cm outside is the same boundary).
- :func:`covered_area`: the area of several overlap pieces counted once (an SSSI and a SAC on the same wood).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

#: A thin strip counts as a spike when it is at least this many times the minimum width long.
SPIKE_LENGTH_FACTOR = 10.0
#: Narrower than this on average (1 mm), a strip left by the opening is floating-point noise, not a shape.
NOISE_WIDTH_M = 0.001


def average_width(geom: BaseGeometry) -> float:
    """2 x area / perimeter: the width of a long strip, half the side of a square."""
    perimeter = float(shapely.length(geom))
    return 2.0 * float(shapely.area(geom)) / perimeter if perimeter > 0 else 0.0


def thin_spikes(part: BaseGeometry, min_width: float) -> list[BaseGeometry]:
    """The long strips of ``part`` narrower than ``min_width`` (empty when there are none)."""
    return spikes_of(np.asarray([part], dtype=object), min_width)[0]


def spikes_of(geoms: Any, min_width: float) -> list[list[BaseGeometry]]:
    """:func:`thin_spikes` of each geometry of an array, the opening computed for all of them at once."""
    out: list[list[BaseGeometry]] = [[] for _ in range(len(geoms))]
    if min_width <= 0 or not len(geoms):
        return out
    half = min_width / 2.0
    opened = shapely.buffer(shapely.buffer(geoms, -half, join_style="mitre"), half, join_style="mitre")
    floor = min_width * min_width
    # the opening removes area only where a part is thinner than min_width: compare areas before the
    # (much dearer) difference, which only the few shapes that lost a spike's worth of area need
    lost = np.flatnonzero(shapely.area(geoms) - shapely.area(opened) >= floor)
    for k in lost.tolist():
        for piece in shapely.get_parts(shapely.difference(geoms[k], opened[k])):
            if piece.geom_type != "Polygon" or piece.is_empty:
                continue
            width = average_width(piece)
            # rounding noise of the opening along a boundary: hair-thin, a fraction of a square metre
            if float(shapely.area(piece)) < floor or width < NOISE_WIDTH_M:
                continue
            if float(shapely.length(piece)) / 2.0 >= SPIKE_LENGTH_FACTOR * min_width and width < min_width:
                out[k].append(piece)
    return out


def beyond_tolerance(outside: BaseGeometry, tolerance_m: float) -> float:
    """The area of ``outside`` (a polygon's part outside the strategy area) left once the strips narrower than
    ``tolerance_m`` are ignored."""
    if outside.is_empty:
        return 0.0
    if tolerance_m <= 0:
        return float(shapely.area(outside))
    half = tolerance_m / 2.0
    core = shapely.buffer(outside, -half, join_style="mitre")
    if core.is_empty:
        return 0.0
    return float(shapely.area(shapely.intersection(shapely.buffer(core, half, join_style="mitre"), outside)))


def covered_area(pieces: Any) -> tuple[float, BaseGeometry]:
    """The union of ``pieces`` and its area: land under two overlapping targets counted once."""
    union = shapely.union_all(list(pieces)) if len(pieces) > 1 else pieces[0]
    return float(shapely.area(union)), union


def unique_labels(labels: Sequence[tuple[str, str]]) -> list[str]:
    """(kind, title) pairs named once each: ``SSSI ‘Kings Wood’`` and ``SAC ‘Kings Wood’`` become
    ``SSSI and SAC ‘Kings Wood’``; untitled ones stay as they are."""
    kinds: dict[str, list[str]] = {}
    order: list[str] = []
    for kind, title in labels:
        key = title or f"\x00{len(order)}:{kind}"
        if key not in kinds:
            kinds[key] = []
            order.append(key)
        if kind not in kinds[key]:
            kinds[key].append(kind)
    out = []
    for key in order:
        what = " and ".join(kinds[key])
        out.append(f"{what} ‘{key}’" if not key.startswith("\x00") else what)
    return out
