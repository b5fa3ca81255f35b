"""Property tier for the pack reader (issue 15): generated damage never gives a traceback, a hang or a quiet answer.

Hypothesis damages one thing in a clean pack (a coded value, a number, a layer's SRS, a geometry blob) and the
sites are screened again. Whatever it did, the outcome is one of:

- a refusal (:class:`PackError`) with a sentence;
- the clean pack's answer (the damage was a case or spacing variant the reader normalises);
- the damaged layer listed in ``unchecked``, and every check either as in the clean pack or ``not_checked``
  (irreplaceable habitats may stay ``found`` from its other layer, with the reason in the notes) — never a
  ``clear`` the clean pack did not give.
"""

from __future__ import annotations

import shutil
import signal
import struct
import tempfile
from pathlib import Path

import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lnrs_toolkit.plugin.core.errors import PackError, VocabularyError
from lnrs_toolkit.plugin.core.metric.vocabulary import (
    normalise_designation,
    normalise_habitat_type,
    normalise_tree_status,
)
from lnrs_toolkit.plugin.core.pack.gpkg import read_pack
from lnrs_toolkit.plugin.core.screening.engine import PackIndex, screen_sites
from lnrs_toolkit.plugin.core.screening.results import CLEAR, NOT_CHECKED
from lnrs_toolkit.tests.unit.hostile_packs import build_hostile_base, gpkg_blob, nested_collection_wkb, sql
from shapely.geometry import box

SITES = [box(10, 10, 60, 60), box(40, 120, 80, 170), box(0, 200, 50, 250), box(420, 20, 480, 80)]
CHECK_LAYERS = {"designated": ("designated_sites",), "irreplaceable": ("irreplaceable_habitats", "ancient_trees"),
                "opportunity": ("opportunity_areas",)}
CODED = {("designated_sites", "designation"): ("SSSI", normalise_designation),
         ("irreplaceable_habitats", "habitat_type"): ("ancient_woodland", normalise_habitat_type),
         ("ancient_trees", "status"): ("veteran", normalise_tree_status)}
SPATIAL = ("designated_sites", "irreplaceable_habitats", "ancient_trees", "opportunity_areas")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    path = build_hostile_base(tmp_path_factory.mktemp("clean") / "pack.gpkg")
    return path, [answer(r) for r in screen_sites(PackIndex.build(read_pack(path)), SITES)]


def answer(result) -> dict:
    d = result.to_dict()
    return {k: d.get(k) for k in ("verdict", "checks", "irreplaceable", "designated_sites", "strategic_significance",
                                  "measures", "error")}


def _respaced(draw, text: str) -> str:
    """``text`` in another case, with other spacing (the reader must read it as ``text``)."""
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)
    return " " * draw(st.integers(0, 2)) + cased.replace("_", draw(st.sampled_from(["_", " ", "  "]))) \
        + " " * draw(st.integers(0, 2))


def _unknown(normalise):
    def unknown(text: str) -> bool:
        try:
            normalise(text)
        except VocabularyError:
            return True
        return False
    return unknown


@st.composite
def damage(draw):
    kind = draw(st.sampled_from(["coded", "number", "srs", "blob"]))
    if kind == "coded":
        (table, column), (value, normalise) = draw(st.sampled_from(sorted(CODED.items())))
        how = draw(st.sampled_from(["respaced", "unknown", "number"]))
        if how == "respaced":
            new = _respaced(draw, value)
        elif how == "unknown":
            new = draw(st.text(min_size=1, max_size=12).filter(_unknown(normalise)))
        else:
            new = draw(st.one_of(st.integers(-5, 5), st.floats(allow_nan=True)))
        return ("coded", table, column, new)
    if kind == "number":
        new = draw(st.one_of(st.text(min_size=1, max_size=8).filter(lambda t: not t.strip().lstrip("-").replace(
            ".", "", 1).isdigit()), st.floats(max_value=-0.001), st.sampled_from([float("inf"), "NaN", "1,5"])))
        return ("number", "ancient_trees", draw(st.sampled_from(["stem_diameter_m", "crown_radius_m"])), new)
    if kind == "srs":
        return ("srs", draw(st.sampled_from(SPATIAL)), draw(st.integers(-1, 100000).filter(lambda s: s != 27700)))
    good = shapely.to_wkb(shapely.box(0, 0, 100, 100))
    blob = draw(st.one_of(
        st.binary(max_size=64),
        st.integers(0, len(good) - 1).map(lambda n: gpkg_blob(good[:n])),
        st.integers(0, 40).map(lambda n: b"GP\x00\x03" + struct.pack("<i", 27700) + bytes(n)),
        st.sampled_from([gpkg_blob(nested_collection_wkb(300)), gpkg_blob(nested_collection_wkb(50_000)),
                         gpkg_blob(shapely.to_wkb(shapely.Polygon([(0, 0), (9, 0), (float("inf"), 9), (0, 0)]))),
                         gpkg_blob(shapely.to_wkb(shapely.LineString([(0, 0), (9, 9)]))),
                         gpkg_blob(shapely.to_wkb(shapely.box(-3.0, 50.0, -2.9, 50.1)))])))
    return ("blob", draw(st.sampled_from(SPATIAL)), draw(st.integers(1, 2)), blob)


def apply(path: Path, d) -> str:
    """Damage the pack at ``path``; return the table damaged."""
    if d[0] in ("coded", "number"):
        _, table, column, value = d
        sql(path, f'UPDATE "{table}" SET "{column}" = ? WHERE fid = 1', params=(value,))
        return table
    if d[0] == "srs":
        sql(path, "UPDATE gpkg_geometry_columns SET srs_id = ? WHERE table_name = ?", params=(d[2], d[1]))
        return d[1]
    _, table, fid, blob = d
    sql(path, f'UPDATE "{table}" SET geom = ? WHERE fid = ?', params=(blob, fid))
    return table


class HangError(Exception):
    """An example took longer than its alarm."""


def _alarm(_signum, _frame):
    raise HangError


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(d=damage())
def test_a_damaged_pack_is_refused_or_not_checked_never_answered_differently(clean, d):
    path, expected = clean
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "pack.gpkg"
        shutil.copy(path, copy)
        table = apply(copy, d)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(60)  # a hang fails the example instead of the run
        try:
            try:
                pack = read_pack(copy)
            except PackError as exc:
                assert str(exc).strip()
                return
            screened = screen_sites(PackIndex.build(pack), SITES)
            results = [answer(r) for r in screened]
            notes = screened[0].notes
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    if not pack.unchecked:
        assert results == expected, d
        return
    assert table in pack.unchecked and pack.unchecked[table] in notes, d
    for got, want in zip(results, expected):
        for check, state in got["checks"].items():
            if state == want["checks"][check]:
                continue
            assert state != CLEAR, (d, check, got, want)
            assert state == NOT_CHECKED or (check == "irreplaceable" and state == "found"), (d, check)
            assert any(t in pack.unchecked for t in CHECK_LAYERS[check]), (d, check)
