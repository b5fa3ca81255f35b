"""The batch machinery of the screening engine: chunks screened side by side give exactly what one chunk at a
time gives, the vectorised opportunity unions match a plain per-site reference, and the cycle collector is
always resumed."""

from __future__ import annotations

import gc
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from lnrs_toolkit.plugin.core.pack.memory import memory_layer, memory_pack
from lnrs_toolkit.plugin.core.screening import batch, candidates, chunk, opportunity
from lnrs_toolkit.plugin.core.screening.batch import CHUNK, MIN_CHUNK
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.plugin.core.screening.index import CodeTable
from lnrs_toolkit.plugin.core.screening.results import SiteError
from lnrs_toolkit.plugin.core.screening.site_geometry import prepare_site
from shapely.geometry import LineString, Polygon

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "bench_data.py"
_spec = importlib.util.spec_from_file_location("bench_data", _PATH)
assert _spec is not None and _spec.loader is not None
bd = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_data", bd)
_spec.loader.exec_module(bd)

N_MAP, SEED = 2000, 5


@pytest.fixture(scope="module")
def index():
    tables = bd.make_map(N_MAP, SEED)
    layers = [memory_layer(name, None if t.geoms is None else list(t.geoms), **t.columns) for name, t in tables.items()]
    return PackIndex.build(memory_pack(layers))


@pytest.fixture(scope="module")
def sites():
    geoms = list(bd.make_sites(400, bd.extent_for(N_MAP), SEED))
    x, y = shapely.get_coordinates(geoms[0])[0]
    # sites the engine refuses or repairs, among the others
    geoms[3] = None
    geoms[150] = LineString([(x, y), (x + 10, y + 10)])
    geoms[151] = Polygon([(x, y), (x + 50, y + 50), (x + 50, y), (x, y + 50)])  # bow-tie: repaired
    geoms[399] = "not a geometry"
    return geoms


@pytest.mark.parametrize("proposed", [None, "Woodland and forest"])
def test_chunks_side_by_side_give_exactly_the_serial_answers(index, sites, monkeypatch, proposed):
    monkeypatch.setattr(batch, "_WORKERS", 1)
    serial = screen_sites(index, sites, proposed_habitat=proposed)
    monkeypatch.setattr(batch, "_WORKERS", 2)
    parallel = screen_sites(index, sites, proposed_habitat=proposed)
    assert len(batch._chunks(len(sites), 2)) > 2
    assert parallel == serial  # every field of every finding, and the order of findings, reasons and sites
    assert [r.index for r in parallel] == list(range(len(sites)))
    assert sum(isinstance(r, SiteError) for r in parallel) == 3
    assert sum(len(r.measures) for r in parallel if not isinstance(r, SiteError)) > 100


def _reference_opportunity_areas(index, p, n_sites):
    """The per-site union areas computed the plain way: one union of all the pieces, one site and code at a time."""

    def union_area(positions):
        if not positions:
            return 0.0
        return float(shapely.union_all(p.pieces[np.array(positions)]).area)

    out = []
    for s in range(n_sites):
        hits = [j for j in np.flatnonzero(p.site == s).tolist() if p.overlap[j] > 0]
        by_code: dict[str, list[int]] = {}
        for j in hits:
            for code in index.opportunity_codes[int(p.feat[j])]:
                by_code.setdefault(code, []).append(j)
        out.append((union_area(hits), {code: (g, union_area(g)) for code, g in by_code.items()}))
    return out


def _assert_same_areas(got, want):
    """Same sites, codes (in the same order) and pieces; areas equal to a millionth of a square metre."""
    assert len(got) == len(want)
    for (g_mapped, g_codes), (w_mapped, w_codes) in zip(got, want):
        assert g_mapped == pytest.approx(w_mapped, abs=1e-6)
        assert list(g_codes) == list(w_codes)
        for code, (g_pos, g_area) in g_codes.items():
            w_pos, w_area = w_codes[code]
            assert g_pos == w_pos
            assert g_area == pytest.approx(w_area, abs=1e-6)


def test_opportunity_unions_match_the_plain_reference(index, sites):
    geoms = [prepare_site(g).geometry for g in sites if isinstance(g, Polygon) or getattr(g, "geom_type", "") ==
             "MultiPolygon"]
    arr = np.empty(len(geoms), dtype=object)
    arr[:] = geoms
    shapely.prepare(arr)
    p = candidates.pairs(index.opportunity, arr, shapely.area(arr), 0.0, want_pieces=True)
    got = opportunity.opportunity_areas(index, p, len(arr))
    want = _reference_opportunity_areas(index, p, len(arr))
    assert np.count_nonzero(p.overlap > 0) > opportunity.FEW_PIECES  # the vectorised path
    _assert_same_areas(got, want)  # codes in first-met order, pieces in position order
    _assert_same_areas(opportunity._opportunity_areas_plain(index, p, len(arr)), want)  # the path for a few pieces
    # the map exercises every case: merged unions, pieces on their own, codes shared by overlapping pieces
    assert len(p.link_a) > 50
    assert any(len(g) > 1 for _, codes in got for g, _ in codes.values())


def test_union_areas_add_up_the_connected_parts_of_a_group():
    # a, b overlap; c overlaps d and e; f stands alone; g touches nothing in its group
    sq = [shapely.box(0, 0, 10, 10), shapely.box(5, 5, 15, 15), shapely.box(100, 0, 110, 10),
          shapely.box(105, 0, 120, 10), shapely.box(95, 5, 102, 30), shapely.box(200, 0, 201, 1),
          shapely.box(300, 300, 330, 330)]
    pieces = np.empty(len(sq), dtype=object)
    pieces[:] = sq
    a, b = candidates._links(np.zeros(len(sq), dtype=np.int64), shapely.area(pieces), pieces)
    groups = [(0, 1), (0, 1, 2, 3, 4), (2, 3, 4), (0, 1, 2, 3, 4, 5), (0, 1)]
    want = [float(shapely.union_all(pieces[list(g)]).area) for g in groups]
    got = opportunity._union_areas(pieces, groups, a, b)
    assert got.tolist() == pytest.approx(want, abs=1e-9)
    assert got[0] == 175.0 and got[4] == 175.0  # a pair: area(a) + area(b) - area(a & b)
    assert opportunity._union_areas(pieces, groups).tolist() == pytest.approx(want, abs=1e-9)  # without links
    assert opportunity._connected((0, 1, 2, 3, 4, 5), {0: [1], 1: [0], 2: [3, 4], 3: [2], 4: [2]}) == \
        [(0, 1), (2, 3, 4), (5,)]


def test_code_table_numbers_each_features_codes_in_order():
    codes = (("WD001", "FW002"), (), ("FW002",), ("WD001", "FW002"), ("GL003", "WD001"))
    table = CodeTable.of(codes)
    rebuilt = tuple(tuple(table.names[i] for i in table.ids[table.ptr[k]:table.ptr[k + 1]])
                    for k in range(len(codes)))
    assert rebuilt == codes
    assert table.names == ("WD001", "FW002", "GL003")
    assert CodeTable.of(()).ptr.tolist() == [0]


@pytest.mark.parametrize("n", [0, 1, 31, 32, 33, 255, 256, 257, 700, 5000])
@pytest.mark.parametrize("workers", [1, 2, 4])
def test_chunks_cover_the_batch_once_in_order(n, workers):
    bounds = batch._chunks(n, workers)
    if n == 0:
        assert bounds == []
        return
    assert [lo for lo, _ in bounds] == [0, *[hi for _, hi in bounds[:-1]]]
    assert bounds[-1][1] == n
    sizes = [hi - lo for lo, hi in bounds]
    assert all(0 < s <= CHUNK for s in sizes)
    if workers == 1:
        assert all(s == CHUNK for s in sizes[:-1])
    else:
        assert all(s >= MIN_CHUNK for s in sizes[:-1])
        assert sizes == sorted(sizes, reverse=True)  # big chunks first, small ones last


def test_the_cycle_collector_is_resumed_after_a_batch_and_after_a_failure(index, sites, monkeypatch):
    monkeypatch.setattr(batch, "_WORKERS", 2)
    assert gc.isenabled()
    screen_sites(index, sites[:200])
    assert gc.isenabled()

    def boom(*args, **kwargs):
        raise RuntimeError("chunk failed")

    monkeypatch.setattr(chunk, "_chunk_results", boom)
    with pytest.raises(RuntimeError, match="chunk failed"):
        screen_sites(index, sites[:200])
    assert gc.isenabled()
    gc.disable()
    try:
        monkeypatch.undo()
        monkeypatch.setattr(batch, "_WORKERS", 2)
        screen_sites(index, sites[:200])
        assert not gc.isenabled()  # a collector the caller paused stays paused
    finally:
        gc.enable()
