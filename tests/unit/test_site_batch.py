"""prepare_sites (the batch path) gives exactly what prepare_site gives, site by site, for every kind of input."""

from __future__ import annotations

import math

import pytest
import shapely
from lnrs_toolkit.plugin.core.errors import InputError
from lnrs_toolkit.plugin.core.screening.site_batch import plain_sites, prepare_sites
from lnrs_toolkit.plugin.core.screening.site_geometry import prepare_site
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon, box

X, Y = 400_000.0, 200_000.0

SITES = [
    box(X, Y, X + 100, Y + 50),                                                      # plain polygon
    MultiPolygon([box(X, Y, X + 10, Y + 10), box(X + 20, Y, X + 30, Y + 10)]),       # plain multipolygon
    Polygon([(X, Y), (X, Y), (X + 10, Y), (X + 10, Y + 10), (X, Y + 10)]),           # repeated point
    Polygon([(X, Y), (X + 10, Y + 10), (X + 10, Y), (X, Y + 10)]),                   # bow-tie: repaired
    Polygon([(X, Y, 5), (X + 10, Y, 5), (X + 10, Y + 10, 5)]),                       # Z dropped
    GeometryCollection([box(X, Y, X + 5, Y + 5), Point(X, Y)]),                      # collection: part ignored
    box(-1.0, 50.0, -0.9, 50.1),                                                     # degrees
    box(X, Y, X + 1e7, Y + 10),                                                      # beyond the grid
    box(2e6, 2e6, 2e6 + 10, 2e6 + 10),                                               # outside the grid
    Polygon([(X, Y), (X + 10, Y), (X + math.nan, Y + 10)]),                          # NaN vertex
    Polygon([(X, Y), (X + 10, Y), (X + 20, Y)]),                                     # no area
    Polygon(),                                                                       # empty
    Point(X, Y),                                                                     # point
    LineString([(X, Y), (X + 1, Y + 1)]),                                            # line
    None,                                                                            # no geometry
    "not a geometry",
    (X, Y),
    Polygon([(X, Y), (X + 10, Y), (X + 10, Y + 10), (X, Y + 10)],
            [[(X + 2, Y + 2), (X + 4, Y + 2), (X + 4, Y + 4), (X + 2, Y + 4)]]),   # hole
]


def _one(geom, label):
    try:
        return prepare_site(geom, label)
    except (InputError, shapely.errors.GEOSException, ValueError) as exc:
        return exc


@pytest.mark.parametrize("order", [1, -1])
def test_batch_equals_one_by_one(order):
    sites = SITES[::order]
    labels = [f"site {i}" for i in range(len(sites))]
    batch = prepare_sites(sites, labels)
    assert len(batch) == len(sites)
    for got, geom, label in zip(batch, sites, labels):
        want = _one(geom, label)
        if isinstance(want, Exception):
            assert type(got) is type(want) and str(got) == str(want)
        else:
            assert not isinstance(got, Exception)
            assert got.area_m2 == want.area_m2 and got.notes == want.notes and got.repaired == want.repaired
            assert shapely.to_wkb(got.geometry) == shapely.to_wkb(want.geometry)


def test_only_plain_sites_take_the_fast_path():
    import numpy as np

    geoms = np.empty(len(SITES), dtype=object)
    for i, g in enumerate(SITES):
        geoms[i] = g
    plain = plain_sites(geoms).tolist()
    assert plain[:3] == [True, True, True] and plain[-1] is True
    assert not any(plain[3:-1])


def test_the_same_geometry_twice_gives_two_geometries():
    g = box(X, Y, X + 10, Y + 10)
    a, b = prepare_sites([g, g], ["a", "b"])
    assert a.geometry is not b.geometry and a.geometry == b.geometry
